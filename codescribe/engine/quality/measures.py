"""Measuring a document of each type: shares (0..1) per rubric criterion, required sections, claims.

The points come from :data:`.rubrics.RUBRICS`; this module only measures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace

from codescribe.engine.analysis.model import FileAnalysis
from codescribe.engine.analysis.project import module_name
from codescribe.engine.quality.diagram_edges import flowchart_edges
from codescribe.engine.quality.functions import (
    FunctionCheck,
    MarkdownIndex,
    check_docstring,
    class_entries,
    is_boilerplate,
    public_callables,
    public_classes,
    restates_signature,
)
from codescribe.engine.quality.identifiers import (
    Claims,
    code_claims,
    inline_spans,
    module_parts,
    prose_claims,
    source_imports,
    text_claims,
)
from codescribe.engine.quality.markdown import (
    Block,
    ContentLevel,
    MarkdownDoc,
    code_has_content,
    content_level,
    parse_markdown,
    words_of,
)
from codescribe.engine.quality.mermaid_check import mermaid_faults
from codescribe.engine.quality.rubrics import (
    CODE_BLOCK_TIERS,
    COMPONENT_WEIGHTS,
    INSTALL_COMMAND,
    INVENTORY_WORDS,
    PARTIAL_CREDIT,
    STRUCTURE_ADVICE,
    STRUCTURE_MIN_H2,
    STRUCTURE_WEIGHTS,
    USAGE_PROSE_ONLY_CREDIT,
)
from codescribe.engine.quality.source import read_source_docs

__all__ = ["MEASURES", "Measured", "unwrap_fence"]

Share = tuple[float, str | None]
_LEVEL_SHARE: dict[ContentLevel, float] = {"rich": 1.0, "thin": PARTIAL_CREDIT, "empty": 0.0}
_INSTALL_LINE = re.compile(INSTALL_COMMAND)
_SPAN = re.compile(r"(`+)[^`]+?\1")
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_MERMAID_EDGE = re.compile(
    r"[\w\])}\"'|]\s*(?:[<*o|}{x]?(?:--|==|-\.|\.\.)[-=.]*(?:>>|[>ox)]|\|[^|\n]*\|)?[|{}o]?|-{1,2}(?:>>|[x)>]))"
    r"\s*(?:\|[^|\n]*\|)?\s*[\w\[(\"'|{]"
)
_EXAMPLE_LINE = re.compile(r"^\s*(?:>>>|\.\.\.)(?: |$)", re.MULTILINE)
_FENCED = re.compile(r"^\s*(`{3,}|~{3,})([\w+-]*)[^\n]*\n(.*?)^\s*\1", re.MULTILINE | re.DOTALL)
_JSDOC_EXAMPLE = re.compile(r"@example\b(.*?)(?=^\s*@\w|\Z)", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"\{@link(?:code|plain)?\s+([^}|\s]+)")


_OUTER_FENCE = re.compile(r"\A\s*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[ \t]*\n(.*)\n[ \t]*\1[ \t]*\s*\Z", re.DOTALL)
_MARKDOWN_LANGUAGES = frozenset({"markdown", "md", "gfm"})
_OPENING_FENCE = re.compile(r"\A\s*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[ \t]*\n")


def unwrap_fence(document: str, doc_type: str) -> str:
    r"""The document without the one code fence wrapping it whole, as chat models often answer.

    For a Markdown doc type only a ``markdown`` / ``md`` / ``gfm`` fence is removed; for
    ``docstrings`` (a rewritten source file) any fence is. An opening fence that is never closed
    (the answer was cut off) is removed too, for Markdown doc types, when it is a Markdown fence
    or has no language.

    Args:
        document: the writer's answer.
        doc_type: the doc type it answers.

    Returns:
        The text inside the fence, or ``document`` unchanged.

    Examples:
        >>> unwrap_fence("```markdown\n# Calc\n```", "readme"), unwrap_fence("```python\nX = 1\n```", "docstrings")
        ('# Calc', 'X = 1')
        >>> unwrap_fence("```python\nX = 1\n```", "readme")
        '```python\nX = 1\n```'
    """
    match = _OUTER_FENCE.match(document)
    if match and (doc_type == "docstrings" or match.group(2).lower() in _MARKDOWN_LANGUAGES):
        return match.group(3)
    opening = _OPENING_FENCE.match(document)
    cut_off = opening is not None and document.count(opening.group(1)) == 1  # never closed: the answer was cut
    if opening and cut_off and doc_type != "docstrings" and opening.group(2).lower() in (*_MARKDOWN_LANGUAGES, ""):
        return document[opening.end() :]
    return document


@dataclass(slots=True)
class Measured:
    """What measuring found: a share and an optional suggestion detail per criterion key.

    Attributes:
        shares: ``(share 0..1, detail or None)`` by rubric criterion key; the detail completes the
            criterion's suggestion (``"Missing: `add`."``).
        requirements: ``(section, satisfied)`` for every section the code calls for, e.g.
            ``("parse: Returns", False)``.
        claims: the identifiers the document claims exist, for truthfulness.
    """

    shares: dict[str, Share]
    #: (section, satisfied) for every section the code calls for, e.g. ("parse: Returns", False).
    requirements: list[tuple[str, bool]]
    claims: Claims = field(default_factory=Claims)


def _share(done: float, total: float) -> float:
    return done / total if total else 1.0


def _credit_share(credits: Iterable[tuple[str, float]], label: str) -> Share:
    """The mean credit of ``(name, credit)`` pairs (1.0 when there are none); the detail names those short of 1."""
    pairs = list(credits)
    weak = [name for name, credit in pairs if credit < 1.0]
    return _share(sum(credit for _, credit in pairs), len(pairs)), (f"{label}: {_names(weak)}." if weak else None)


def _names(items: Iterable[str], limit: int = 5) -> str:
    listed = sorted(set(items))
    shown = ", ".join(f"`{name}`" for name in listed[:limit])
    return shown + (f" and {len(listed) - limit} more" if len(listed) > limit else "")


def _tier(count: int) -> float:
    return next((share for least, share in CODE_BLOCK_TIERS if count >= least), 0.0)


def _function_requirements(checks: Sequence[FunctionCheck]) -> list[tuple[str, bool]]:
    return [(f"{c.function.qualname}: {label}", ok) for c in checks for label, ok in c.requirements()]


def _markdown_claims(doc: MarkdownDoc, analysis: FileAnalysis) -> Claims:
    # An example importing from the package itself (a README's ``from "tiny-range"``: its name is among a
    # project's exports) claims the names it imports, as one importing from its modules does.
    own = module_parts(analysis) | frozenset(analysis.exports)
    claims = text_claims(doc.inline_code)
    claims.extend(prose_claims("\n".join(block.text for block in doc.blocks if block.kind in ("prose", "list"))))
    claims.extend(code_claims([(b.text, b.language) for b in doc.code_blocks], own, analysis.language.lower()))
    claims.edges = [
        edge for block in doc.code_blocks if block.language == "mermaid" for edge in flowchart_edges(block.text)
    ]
    return claims


def _overview(doc: MarkdownDoc) -> ContentLevel:
    """The lead paragraphs, or the overview section, whichever says more.

    Counts of parts say nothing, nor do names alone: the lead's code spans (``**Uses:** `pkg.exc` ``) are not
    read as its words."""
    title = doc.sections[doc.title_index].title if doc.title_index is not None else ""
    prose = [replace(block, text=_SPAN.sub("", block.text)) if block.kind != "code" else block for block in doc.lead]
    lead = content_level(prose, words_of(title) | INVENTORY_WORDS)
    section, _ = doc.best_of_kind("overview", INVENTORY_WORDS)
    return lead if _LEVEL_SHARE[lead] >= _LEVEL_SHARE[section] else section


def _structure(doc: MarkdownDoc) -> Share:
    headings = doc.headings
    h1 = [section for section in headings if section.level == 1]
    title = 1.0 if len(h1) == 1 and doc.title_index is not None else (0.5 if h1 else 0.0)
    sections = min(1.0, sum(1 for section in headings if section.level == 2) / STRUCTURE_MIN_H2)
    # A heading has content when its own text has some, or one of its sub-sections does.
    filled = [content_level(section.own, words_of(section.title)) != "empty" for section in doc.sections]
    for index in range(len(doc.sections) - 1, 0, -1):
        parent = doc.sections[index].parent
        if filled[index] and parent is not None:
            filled[parent] = True
    sound, previous = 0, 0
    for index, section in enumerate(headings, start=1):
        if section.level <= max(previous + 1, 2) and filled[index]:
            sound += 1
        previous = section.level
    hierarchy = sound / len(headings) if headings else 0.0
    lists = 1.0 if any(block.kind in ("list", "table") and words_of(block.text) for block in doc.blocks) else 0.0
    parts = {"title": title, "sections": sections, "hierarchy": hierarchy, "lists": lists}
    share = sum(STRUCTURE_WEIGHTS[key] * value for key, value in parts.items())
    weak = [key for key, value in parts.items() if value < 1.0]
    return share, (f"Missing: {'; '.join(STRUCTURE_ADVICE[key] for key in weak)}." if weak else None)


def _has_command(blocks: list[Block]) -> bool:
    """Whether an installation section shows how to install: a code block, or an inline install command."""
    for block in blocks:
        if block.kind == "code" and code_has_content(block.text):
            return True
        if any(_INSTALL_LINE.match(span) for span in inline_spans(block.text)):
            return True
    return False


def measure_readme(document: str, analysis: FileAnalysis) -> Measured:
    r"""Measure a README against the ``readme`` rubric.

    Overview: the lead paragraphs or an overview section (rich 1.0, thin 0.5). Installation: an
    installation section (rich only with a command: a code block, or an inline install command).
    Usage: code blocks with content outside the installation section that are not install commands
    (3 or more 1.0, 2 0.75, 1 0.5; a rich usage section without code 0.25). API
    coverage: the share of public top-level functions and classes mentioned. Structure: see the
    ``STRUCTURE_WEIGHTS`` of :mod:`~codescribe.engine.quality.rubrics`.

    Args:
        document: the Markdown document.
        analysis: the analysis of the code it documents.

    Returns:
        Shares for ``overview``, ``installation``, ``usage``, ``api_coverage`` and ``structure``;
        ``Overview`` and ``Installation`` required (rich); the claims of its inline code and code blocks.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
        >>> measured = measure_readme("# calc\n\nAdds numbers with `add`.\n", analysis)
        >>> measured.shares["api_coverage"], measured.shares["installation"], measured.requirements
        ((1.0, None), (0.0, None), [('Overview', False), ('Installation', False)])
    """
    doc = parse_markdown(document)
    index = MarkdownIndex(doc)
    overview = _overview(doc)
    install, _ = doc.best_of_kind("installation")
    usage, _ = doc.best_of_kind("usage")
    install_blocks = [block for section in doc.sections_of_kind("installation") for block in section.blocks]
    if install == "rich" and not _has_command(install_blocks):
        install = "thin"  # "install it from its source": words about installing, no way to do it
    in_install = {id(block) for block in install_blocks}
    blocks = [
        block
        for block in doc.code_blocks
        if id(block) not in in_install and block.language != "mermaid" and code_has_content(block.text)
    ]
    examples = [
        block
        for block in blocks
        if not restates_signature(block.text)  # `result = add(a, b)`: a signature, not an example
        and not all(_INSTALL_LINE.match(line) for line in block.text.splitlines() if line.strip())
    ]
    found = f"Found {len(examples)} code example(s)"
    if len(blocks) > len(examples):
        found += f"; {len(blocks) - len(examples)} other block(s) only install or restate a signature (`f(a, b)`)"
    usage_share = _tier(len(examples)) or (USAGE_PROSE_ONLY_CREDIT if usage == "rich" else 0.0)
    # A module's hooks (``__getattr__``) are no API a README names.
    functions = [f.name for f in analysis.functions if f.is_public and not f.name.startswith("__")]
    names = functions + [c.name for c in public_classes(analysis)]
    shares = {
        "overview": (_LEVEL_SHARE[overview], None),
        "installation": (_LEVEL_SHARE[install], None),
        "usage": (usage_share, f"{found}."),
        "api_coverage": _credit_share(((name, float(index.mentioned(name))) for name in names), "Not mentioned"),
        "structure": _structure(doc),
    }
    requirements = [("Overview", overview == "rich"), ("Installation", install == "rich")]
    return Measured(shares, requirements, _markdown_claims(doc, analysis))


def measure_module(document: str, analysis: FileAnalysis) -> Measured:
    r"""Measure a module reference against the ``module`` rubric.

    API coverage: each public function, method and class earns 1 for a heading of its own, 0.5 for
    appearing only in a section's code (a class: for a mention anywhere). Signatures: see
    :meth:`~codescribe.engine.quality.functions.MarkdownIndex.signature_credit`. Examples: half for
    the code blocks that call the module's names (3 or more 1.0, 2 0.75, 1 0.5), half for the share
    of public functions with an example in their own section (1.0 when the module has no names).
    Overview and structure as for a README.

    Args:
        document: the Markdown document.
        analysis: the analysis of the code it documents.

    Returns:
        Shares for ``overview``, ``api_coverage``, ``signatures``, ``examples`` and ``structure``; the
        sections each public function's entry calls for (``"add: Returns"``); the claims.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
        >>> page = "# calc\n\n## add\n\n```python\nadd(a, b)\n```\n\n```python\nadd(1, 2)\n```\n"
        >>> measured = measure_module(page, analysis)
        >>> measured.shares["signatures"], measured.shares["examples"]
        ((1.0, None), (0.75, 'Found 1 example(s).'))
    """
    doc = parse_markdown(document)
    index = MarkdownIndex(doc)
    callables = public_callables(analysis)
    checks = [index.check(function) for function in callables]
    credits = {check.function.qualname: check.documented for check in checks} | _class_credits(index, analysis)
    credits |= _value_credits(index, analysis)
    signatures = [(f.qualname, index.signature_credit(f)) for f in callables]
    names = frozenset(f.name for f in callables) | {c.name for c in public_classes(analysis)}
    example_count = index.example_blocks(names, frozenset(f.signature.strip() for f in callables))
    shares = {
        "overview": (_LEVEL_SHARE[_overview(doc)], None),
        "api_coverage": _credit_share(credits.items(), "No entry"),
        "signatures": _credit_share(signatures, "Missing"),
        "examples": (_module_examples(example_count, checks) if names else 1.0, f"Found {example_count} example(s)."),
        "structure": _structure(doc),
    }
    if not names and credits:
        shares = _values_only(shares, "api_coverage", ("signatures", "examples"))
    return Measured(shares, _function_requirements(checks), _markdown_claims(doc, analysis))


def _module_examples(count: int, checks: Sequence[FunctionCheck]) -> float:
    """Half for the page's examples (:func:`_tier` of their count), half for the functions with one of their own."""
    own = sum(check.examples for check in checks) / len(checks) if checks else _tier(count)
    return 0.5 * _tier(count) + 0.5 * own


def _name_credits(index: MarkdownIndex, names: Iterable[str], described: Collection[str] = ()) -> dict[str, float]:
    """Each name's credit: 1 for a heading of its own (not the page's title) or, for one of ``described``, a line
    that says what it is; 0.5 for a mention anywhere, else 0."""
    return {
        name: 1.0 if name in described or index.headings_with.get(name) else 0.5 if index.mentioned(name) else 0.0
        for name in names
    }


def _class_credits(index: MarkdownIndex, analysis: FileAnalysis) -> dict[str, float]:
    """Each public class's credit (:func:`_name_credits`)."""
    return _name_credits(index, [cls.name for cls in public_classes(analysis)])


def _value_credits(index: MarkdownIndex, analysis: FileAnalysis) -> dict[str, float]:
    """Each public module constant's credit: 1 for a heading of its own or a line that says what it is (two words
    besides its code), 0.5 for a mention anywhere (``Pos = int`` listed alone), else 0."""
    names = [v.name for v in analysis.variables if v.is_public]
    if not names:
        return {}
    described = {  # the names on the lines that say something: read once, whatever the number of constants
        name
        for block in index.doc.blocks
        if block.kind != "code" and len(words_of(_SPAN.sub(" ", block.text))) >= 2
        for name in _NAME.findall(block.text)
    }
    return _name_credits(index, names, described)


def _values_only(shares: dict[str, Share], coverage: str, keys: Iterable[str]) -> dict[str, Share]:
    """``shares`` for code whose only public names are constants: no function or class makes the criteria
    ``keys`` hold by default, so each takes the ``coverage`` share (how well the constants are described)."""
    share, _ = shares[coverage]
    return shares | dict.fromkeys(keys, (share, "The module's only public names are constants: describe each one."))


def _check_shares(checks: Sequence[FunctionCheck]) -> dict[str, Share]:
    """Shares every per-function rubric uses: documented, params, returns, raises, examples, types."""

    def share_of(label: str, relevant: Callable[[FunctionCheck], bool], ok: Callable[[FunctionCheck], bool]) -> Share:
        return _credit_share(((c.function.qualname, float(ok(c))) for c in checks if relevant(c)), label)

    params = [(check.function.qualname, credit) for check in checks for _, credit in check.params]
    typed = [flag for check in checks for flag in check.typed]
    return {
        "documented": share_of(
            "Undocumented (or a doc that only restates the signature)", lambda _: True, lambda c: c.documented >= 1.0
        ),
        "params": _credit_share(params, "Incomplete"),
        "returns": share_of("Missing", lambda c: c.function.returns_value, lambda c: c.returns),
        "raises": share_of("Missing", lambda c: bool(c.function.raises), lambda c: c.raises),
        "examples": share_of("Missing", lambda _: True, lambda c: c.examples),
        "types": (_share(sum(typed), len(typed)), None),
    }


def measure_api(document: str, analysis: FileAnalysis) -> Measured:
    r"""Measure an API reference against the ``api`` rubric.

    Each public function and method is checked against the section about it
    (:meth:`~codescribe.engine.quality.functions.MarkdownIndex.check`): a section of its own,
    every parameter described, Returns when it returns a value, an example, and Raises when it
    raises; each share is over the functions that need it. Each public class earns its share of
    ``endpoints`` for a heading of its own (half for a mention); a page about classes alone needs an
    example of them somewhere.

    Args:
        document: the Markdown document.
        analysis: the analysis of the code it documents.

    Returns:
        Shares for ``endpoints``, ``parameters``, ``returns``, ``examples`` and ``errors``; the
        sections each function's entry calls for; the claims.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
        >>> measured = measure_api("# calc\n\n## add\n\nAdds a and b.\n\nReturns the sum.\n", analysis)
        >>> measured.shares["parameters"], measured.shares["returns"], measured.shares["examples"]
        ((1.0, None), (1.0, None), (0.0, 'Missing: `add`.'))
    """
    doc = parse_markdown(document)
    index = MarkdownIndex(doc)
    checks = [index.check(function) for function in public_callables(analysis)]
    shares = _check_shares(checks)
    values = _value_credits(index, analysis)
    credits = {check.function.qualname: check.documented for check in checks} | _class_credits(index, analysis) | values
    endpoints = _credit_share(credits.items(), "Undocumented")
    examples = shares["examples"]
    classes = [cls.name for cls in public_classes(analysis)]
    if classes and not checks and not index.example_blocks(frozenset(classes)):  # classes only, no example
        examples = (0.0, f"Missing: {_names(classes)}.")
    measured = {
        "endpoints": endpoints,
        "parameters": shares["params"],
        "returns": shares["returns"],
        "examples": examples,
        "errors": shares["raises"],
    }
    if values and len(values) == len(credits):
        measured = _values_only(measured, "endpoints", ("parameters", "returns", "examples", "errors"))
    return Measured(measured, _function_requirements(checks), _markdown_claims(doc, analysis))


def measure_docstrings(document: str, analysis: FileAnalysis) -> Measured:
    r"""Measure a rewritten source file against the ``docstrings`` rubric.

    Each public function, method and class of the original analysis is checked against its own
    docstring or doc comment in ``document`` (see :func:`~codescribe.engine.quality.functions.check_docstring`;
    a class as :func:`~codescribe.engine.quality.functions.class_entries` has it; an example is asked of
    functions, and one a class gives counts with theirs; a file of classes alone needs one somewhere):
    coverage, every parameter in an Args entry (half for a mention in prose), Returns when it returns
    a value, an example, and types (annotations, or types in the doc). A file with no function or
    class (constants alone) is covered by its module docstring.

    Args:
        document: the rewritten source file.
        analysis: the analysis of the original code.

    Returns:
        Shares for ``coverage``, ``params``, ``returns``, ``examples`` and ``types``; the sections
        each function's doc calls for; the claims of the docs' inline code, links and examples, and
        the names the rewritten source defines and documents.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
        >>> rewritten = "def add(a, b):\n    '''Add a and b.\n\n    Args:\n        a: one.\n        b: two.\n    '''\n"
        >>> measured = measure_docstrings(rewritten + "    return a + b\n", analysis)
        >>> measured.shares["params"], measured.requirements
        ((1.0, None), [('add: Args', True), ('add: Returns', False), ('add: Examples', False)])
    """
    language = analysis.language.lower()
    source = read_source_docs(document, language)
    checks = [check_docstring(f, source.doc_for(f), source.annotated) for f in public_callables(analysis)]
    classes = [check_docstring(c, source.doc_for(c), source.annotated) for c in class_entries(analysis)]
    # A class is not asked for an example, but one it gives counts with the functions' examples.
    example_share = _check_shares([*checks, *(check for check in classes if check.examples)])["examples"]
    if classes and not checks and not any(check.examples for check in classes):  # classes only, no example
        example_share = (0.0, f"Missing: {_names(check.function.qualname for check in classes)}.")
    shares = _check_shares([*checks, *classes]) | {"examples": example_share}
    if not checks and not classes:  # constants alone: the module's own docstring is what documents them
        said = source.module_doc and not is_boilerplate(source.module_doc, [module_name(analysis.path)])
        shares["documented"] = (1.0, None) if said else (0.0, "Give the module a docstring saying what it holds.")
    measured = {key: shares["documented" if key == "coverage" else key] for key in ("coverage", "params")}
    measured |= {key: shares[key] for key in ("returns", "examples", "types")}
    own = module_parts(analysis)
    claims = Claims(claims=[(name, False) for name in source.definitions], foreign=source_imports(document))
    examples: list[tuple[str, str]] = []
    for text in source.texts:
        claims.extend(text_claims([*inline_spans(text), *_LINK.findall(text)]))
        claims.extend(prose_claims(text))
        examples += [(match.group(3), match.group(2)) for match in _FENCED.finditer(text)]
        examples += [(match.group(1), "") for match in _JSDOC_EXAMPLE.finditer(text)]
        prompts = [line for line in text.splitlines() if _EXAMPLE_LINE.match(line)]
        if prompts:
            examples.append(("\n".join(prompts), "python"))
    claims.extend(code_claims(examples, own, language))
    for doc in source.by_qualname.values():
        claims.claims.extend((name, False) for name in sorted(doc.params))
    requirements = _function_requirements(checks)
    requirements += [item for item in _function_requirements(classes) if not item[0].endswith(": Examples")]
    return Measured(measured, requirements, claims)


def measure_architecture(document: str, analysis: FileAnalysis) -> Measured:
    r"""Measure an architecture document against the ``architecture`` rubric.

    Components: a components section (40%) and the share of public classes named (60%; public
    top-level functions when there are no classes). Data flow and design decisions: a section of
    each kind (rich 1.0, thin 0.5). Diagrams: a ``mermaid`` block with at least one edge
    (``A --> B`` and the other arrow forms of Mermaid flowcharts and sequence diagrams,
    https://mermaid.js.org), and none that Mermaid could not draw
    (:func:`~codescribe.engine.quality.mermaid_check.mermaid_faults`: nothing for the diagram, and
    a suggestion naming the fault).

    Args:
        document: the Markdown document.
        analysis: the analysis of the code it documents.

    Returns:
        Shares for ``overview``, ``components``, ``data_flow``, ``diagrams`` and ``design``;
        ``Components`` and ``Data flow`` required (rich); the claims.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> analysis = analyze_source("def add(a, b):\n    return a + b\n", "calc.py")
        >>> document = "# calc\n\n## Components\n\n`add` adds.\n\n```mermaid\ngraph LR\n  cli --> calc\n```\n"
        >>> measured = measure_architecture(document, analysis)
        >>> measured.shares["diagrams"], measured.shares["data_flow"], measured.requirements
        ((1.0, None), (0.0, None), [('Components', True), ('Data flow', False)])
    """
    doc = parse_markdown(document)
    index = MarkdownIndex(doc)
    components_level, _ = doc.best_of_kind("components")
    flow, _ = doc.best_of_kind("data_flow")
    design, _ = doc.best_of_kind("design")
    classes = [cls.name for cls in public_classes(analysis)] or [f.name for f in analysis.functions if f.is_public]
    prose = set(re.findall(r"[\w$]+", document))
    named, unnamed = _credit_share(
        ((name, float(index.mentioned(name) or name in prose)) for name in classes), "Not named"
    )
    components = COMPONENT_WEIGHTS["section"] * _LEVEL_SHARE[components_level] + COMPONENT_WEIGHTS["named"] * named
    mermaid = [block for block in doc.code_blocks if block.language == "mermaid"]
    faults = [fault for block in mermaid for fault in mermaid_faults(block.text)]
    edges = any(_has_edge(block.text) for block in mermaid) and not faults
    diagram_detail = "The mermaid block has no edges." if mermaid and not edges else None
    if faults:  # Mermaid would show an error instead of the diagram
        diagram_detail = f"The diagram does not parse: {'; '.join(faults[:3])}."
    shares = {
        "overview": (_LEVEL_SHARE[_overview(doc)], None),
        "components": (components, unnamed),
        "data_flow": (_LEVEL_SHARE[flow], None),
        "diagrams": (1.0 if edges else 0.0, diagram_detail),
        "design": (_LEVEL_SHARE[design], None),
    }
    requirements = [("Components", components_level == "rich"), ("Data flow", flow == "rich")]
    return Measured(shares, requirements, _markdown_claims(doc, analysis))


def _has_edge(code: str) -> bool:
    return any(
        _MERMAID_EDGE.search(line) for line in code.splitlines() if line.strip() and not line.lstrip().startswith("%%")
    )


MEASURES: dict[str, Callable[[str, FileAnalysis], Measured]] = {
    "readme": measure_readme,
    "api": measure_api,
    "architecture": measure_architecture,
    "docstrings": measure_docstrings,
    "module": measure_module,
}
