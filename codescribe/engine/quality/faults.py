r"""Faults that cost a document points whatever its rubric: what a reader trips over.

- **Invented names**: identifiers the document names that the code does not have
  (:func:`~codescribe.engine.quality.identifiers.truthfulness`); a reader who calls one gets an error.
- **False signatures**: parameters, types and defaults the code does not declare
  (:func:`~codescribe.engine.quality.signatures.false_statements`); a call written from them fails.
- **Empty sections**: a heading with nothing under it (nor under its sub-headings).
- **Repeated paragraphs**: a paragraph of eight words or more said twice (in a docstrings
  rewrite, twice in one docstring).
- **Broken diagrams**: a Mermaid block Mermaid could not draw
  (:func:`~codescribe.engine.quality.mermaid_check.mermaid_faults`), in any Markdown document but an
  architecture one, where the diagram criterion already gives it nothing.
- **Sections out of order**: the sections a reader looks for, out of the order READMEs and design
  documents keep (overview, installation, usage, reference, components, data flow, design,
  then contributing and licence).

Each kind of fault is a line of the report's breakdown with negative points (:data:`FAULT_POINTS`,
:func:`cost`), so the score says what it lost and why.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from codescribe.engine.quality.markdown import SYNONYM_PATTERNS, MarkdownDoc, normalise_title, parse_markdown
from codescribe.engine.quality.mermaid_check import mermaid_faults
from codescribe.engine.quality.report import Criterion

__all__ = ["FAULT_POINTS", "cost", "faults"]

#: Points the first fault of a kind costs, and the most that kind can cost (see :func:`cost`).
FAULT_POINTS = {
    "Invented names": (5.0, 25.0),
    "False signatures": (5.0, 25.0),
    "Empty sections": (5.0, 20.0),
    "Repeated paragraphs": (5.0, 15.0),
    "Sections out of order": (5.0, 10.0),
    "Broken diagrams": (5.0, 15.0),
}
#: The order sections are read in; a section's rank is that of the first kind its title names.
_ORDER = ("overview", "installation", "usage", "reference", "components", "data_flow", "design", "closing")
_KIND_PATTERNS = {
    **SYNONYM_PATTERNS,
    "reference": re.compile(r"(?<![\w-])(?:api|reference|functions|classes|methods)(?![\w-])"),
    "closing": re.compile(r"(?<![\w-])(?:licen[cs]e|contributing|contribute|changelog|authors|credits)(?![\w-])"),
}
_WORD = re.compile(r"[a-z0-9]+")
_MIN_REPEATED_WORDS = 8


def faults(
    document: str,
    doc_type: str,
    invented: Sequence[str],
    docstrings: Iterable[str] = (),
    false: Sequence[str] = (),
) -> list[Criterion]:
    r"""The faults of a document, as breakdown lines with negative points.

    Args:
        document: the Markdown (for ``docstrings``, the rewritten source: only its docstrings' texts,
            given apart, are read for repeats).
        doc_type: the document's type.
        invented: the names it mentions that the code does not have.
        docstrings: for ``docstrings``, the text of each docstring or doc comment.
        false: the false statements it makes about signatures (see :mod:`.signatures`).

    Returns:
        A :class:`~codescribe.engine.quality.report.Criterion` per kind of fault found (``points``
        below zero, ``max_points`` 0, status ``fault``, the suggestion naming what to fix).

    Examples:
        >>> page = "# calc\n\n## Usage\n\n## Installation\n\nRun `pip install calc` to get it.\n"
        >>> [(fault.name, fault.points) for fault in faults(page, "readme", ["mul"])]
        [('Invented names', -5.0), ('Empty sections', -5.0), ('Sections out of order', -5.0)]
    """
    found: list[tuple[str, int, str]] = []
    if invented:
        shown = ", ".join(f"`{name}`" for name in invented[:5])
        found.append(("Invented names", len(invented), f"Remove or correct names the code does not have: {shown}."))
    if false:
        found.append(("False signatures", len(false), f"Correct what the code does not declare: {false[0]}."))
    if doc_type == "docstrings":
        repeats = sum(_repeats(_paragraphs(text)) for text in docstrings)
    else:
        doc = parse_markdown(document)
        empty = _empty_sections(doc)
        if empty:
            shown = ", ".join(f"'{title}'" for title in empty[:3])
            found.append(("Empty sections", len(empty), f"Write something under {shown}, or remove the heading."))
        repeats = _repeats(block.text for block in doc.blocks if block.kind in ("prose", "list"))
        disorder = _out_of_order(doc)
        if disorder:
            found.append(("Sections out of order", len(disorder), disorder[0]))
        broken = [
            fault for block in doc.code_blocks if block.language == "mermaid" for fault in mermaid_faults(block.text)
        ]
        if broken and doc_type != "architecture":  # there, a broken diagram earns no diagram points instead
            found.append(("Broken diagrams", len(broken), f"Fix the diagram so Mermaid can draw it: {broken[0]}"))
    if repeats:
        found.append(("Repeated paragraphs", repeats, "Say each thing once: a paragraph is repeated."))
    return [Criterion(name, -cost(name, count), 0.0, "fault", suggestion) for name, count, suggestion in found]


def cost(kind: str, count: int) -> float:
    """The points ``count`` faults of ``kind`` cost: the first costs its points, each further one a little less.

    Each further fault costs what the last did times ``1 - each / most``, so the cost keeps growing
    with every fault and never passes the kind's most (:data:`FAULT_POINTS`).

    Args:
        kind: the kind of fault, a key of :data:`FAULT_POINTS`.
        count: how many there are.

    Returns:
        The points lost, from 0 (no fault) up to, not past, the kind's most.

    Examples:
        >>> [round(cost("Repeated paragraphs", count), 2) for count in (0, 1, 2, 3, 10)]
        [0.0, 5.0, 8.33, 10.56, 14.74]
    """
    each, most = FAULT_POINTS[kind]
    return round(most * (1 - (1 - each / most) ** count), 2)


def _empty_sections(doc: MarkdownDoc) -> list[str]:
    return [
        section.title
        for index, section in enumerate(doc.sections)
        if section.level >= 2 and index != doc.title_index and not section.blocks
    ]


def _paragraphs(text: str) -> list[str]:
    return [part for part in re.split(r"\n\s*\n", text) if part.strip()]


def _repeats(paragraphs: Iterable[str]) -> int:
    seen: set[tuple[str, ...]] = set()
    repeated = 0
    for paragraph in paragraphs:
        words = tuple(_WORD.findall(paragraph.lower()))
        if len(words) < _MIN_REPEATED_WORDS:
            continue
        if words in seen:
            repeated += 1
        seen.add(words)
    return repeated


def _rank(title: str) -> int | None:
    if re.fullmatch(r"\s*`[^`]+`.*", title):
        return None  # an entry of the reference (`TestFlagsInUsage`), not a kind of section
    text = normalise_title(title)
    return next((rank for rank, kind in enumerate(_ORDER) if _KIND_PATTERNS[kind].search(text)), None)


def _out_of_order(doc: MarkdownDoc) -> list[str]:
    """A suggestion for each section that comes after one it should precede."""
    top = min((s.level for i, s in enumerate(doc.sections) if s.level and i != doc.title_index), default=0)
    ranked = [
        (rank, section.title)
        for index, section in enumerate(doc.sections)
        if section.level == top and index != doc.title_index and (rank := _rank(section.title)) is not None
    ]
    return [
        f"Put '{next_title}' before '{title}': readers look for sections in the usual order."
        for (rank, title), (next_rank, next_title) in itertools.pairwise(ranked)
        if next_rank < rank
    ]
