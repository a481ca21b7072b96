r"""The edges of a document's Mermaid flowcharts, checked against the project's import graph.

An architecture diagram claims that its components depend on each other. An edge ``A --> B``
between two of the project's modules (or groups of modules: a node labelled ``pkg.sub (3 modules)``
stands for every module under ``pkg.sub``) is real when one side imports the other, in either
direction (an arrow may point along a call or along the data); it is invented when neither does. An
edge whose ends are not modules (``User``, ``Database``) claims nothing. Only flowcharts are read
(https://mermaid.js.org/syntax/flowchart.html): nodes ``id``, ``id[label]``, ``id("label")`` and the
other shapes, links of any length with or without text, chains ``A --> B --> C`` and ``A & B --> C``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterable, Mapping

__all__ = ["flowchart_edges", "judge_edges"]

_HEADER = re.compile(r"^\s*(?:flowchart|graph)\b", re.IGNORECASE)
#: A node with a shape: its id and its label (quotes and Markdown backticks dropped later). Labels and link
#: texts are read up to :data:`_MAX_LABEL` characters, so that a long line without a closing bracket costs
#: linear time, not quadratic (each start would otherwise scan to the end of the line).
_MAX_LABEL = 500
_SHAPED = re.compile(
    r"([A-Za-z_][\w.$-]*)\s*(?:\[\[|\[\(|\(\(\(|\(\(|\[/|\[\\|\{\{|\[|\(|\{|>)"
    rf"\s*(?:\"([^\"\n]{{0,{_MAX_LABEL}}})\"|([^\]\)\}}\n]{{0,{_MAX_LABEL}}}+))\s*[\]\)\}}/\\]+"
)
#: Link text: ``-->|text|`` and ``-- text -->`` (the text is not a node).
_LINK_TEXT = re.compile(
    rf"\|[^|\n]{{0,{_MAX_LABEL}}}\||(?<=[-=.])(?:--|==|-\.)\s+[^-=>\n][^\n]{{0,{_MAX_LABEL}}}?\s+(?=[-=.]{{2,}}[>ox]?)"
)
_ARROW = re.compile(r"\s*<?(?:-{2,}|={2,}|-\.+-)[>ox]?\s*|\s*~~~\s*")
_ID = re.compile(r"^[A-Za-z_][\w.$-]*$")
_COUNT = re.compile(r"\s*\(\d+\s+modules?\)\s*$")


def flowchart_edges(code: str) -> list[tuple[str, str]]:
    """The edges of a Mermaid flowchart, as ``(from label, to label)``: a node's label, else its id.

    Args:
        code: the text of a ``mermaid`` block.

    Returns:
        The edges in the order written; empty for a diagram that is not a flowchart.

    Examples:
        >>> flowchart_edges('flowchart LR\\n  a["app.cli"] --> b[app.core]\\n  b -->|reads| c & d\\n  c -.-> a')
        [('app.cli', 'app.core'), ('app.core', 'c'), ('app.core', 'd'), ('c', 'app.cli')]
        >>> flowchart_edges("sequenceDiagram\\n  A->>B: hi")
        []
    """
    lines = [line for line in code.splitlines() if line.strip() and not line.lstrip().startswith("%%")]
    if not lines or not _HEADER.match(lines[0]):
        return []
    labels: dict[str, str] = {}
    edges: list[tuple[str, str]] = []
    for line in lines[1:]:
        for node, quoted, plain in _SHAPED.findall(line):
            labels.setdefault(node, (quoted or plain).strip().strip("'`").strip())
        bare = _LINK_TEXT.sub(" ", _SHAPED.sub(lambda m: m.group(1), line)).split(":::")[0]
        parts = [[node.strip() for node in part.split("&")] for part in _ARROW.split(bare)]
        for left, right in itertools.pairwise(parts):
            edges += [(a, b) for a in left for b in right if _ID.match(a) and _ID.match(b)]
    return [(labels.get(a, a), labels.get(b, b)) for a, b in edges]


def _modules(label: str, graph: Mapping[str, Collection[str]]) -> set[str]:
    """The modules a node's label names: one module, every module under a package, or none."""
    name = _COUNT.sub("", label).strip().strip("`")
    group = name != label.strip().strip("`")  # "pkg (3 modules)": the package and every module under it
    name = re.sub(r"\.(?:py|js|mjs|cjs|ts|tsx|go|rs|java)$", "", name).replace("::", ".")
    if not name:
        return set()
    for spelling in (name, name.replace("/", "."), name.replace(".", "/")):
        under = {module for module in graph if module.startswith((spelling + ".", spelling + "/"))}
        if spelling in graph:
            return {spelling} | (under if group else set())
        if under:
            return under
    return set()


def judge_edges(edges: Iterable[tuple[str, str]], graph: Mapping[str, Collection[str]]) -> tuple[int, list[str]]:
    """Which edges between the project's modules are backed by an import.

    Args:
        edges: ``(from label, to label)`` pairs, as :func:`flowchart_edges` gives them.
        graph: module name → the module names it imports
            (:meth:`~codescribe.engine.analysis.project.ProjectAnalysis.import_graph`).

    Returns:
        ``(real, invented)``: how many distinct edges are backed by an import, and the others
        between modules, as ``"A --> B"``. Edges with an end that is no module are in neither.

    Examples:
        >>> graph = {"app.cli": {"app.core"}, "app.core": set(), "app.db": set()}
        >>> judge_edges([("app.core", "app.cli"), ("app.cli", "app.db"), ("User", "app.cli")], graph)
        (1, ['app.cli --> app.db'])
    """
    real: set[tuple[str, str]] = set()
    invented: set[tuple[str, str]] = set()
    for a, b in set(edges):
        left, right = _modules(a, graph), _modules(b, graph)
        if not left or not right or left == right:
            continue
        linked = any(set(graph.get(m, ())) & right for m in left) or any(set(graph.get(m, ())) & left for m in right)
        (real if linked else invented).add((a, b))
    return len(real), sorted(f"{a} --> {b}" for a, b in invented)
