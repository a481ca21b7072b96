"""Per-function checks: what each public function's documentation covers.

For docstrings the doc is the function's own docstring (see :mod:`.source`); for Markdown it is
the section whose heading names the function (falling back to the smallest section that shows it
in code). The code decides what is required: Args when there are parameters, Returns when a value
is returned, Raises when something is raised, Examples always (the function is public).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from codescribe.engine.analysis.model import ClassInfo, FileAnalysis, FunctionInfo
from codescribe.engine.quality.docstyle import DocInfo
from codescribe.engine.quality.identifiers import inline_spans
from codescribe.engine.quality.markdown import Block, MarkdownDoc, content_level
from codescribe.engine.quality.rubrics import DOC_SECTION_KINDS, NON_CODE_LANGUAGES, PLACEHOLDER_WORDS, STOPWORDS

__all__ = [
    "FunctionCheck",
    "MarkdownIndex",
    "check_docstring",
    "class_entries",
    "public_callables",
    "public_classes",
    "required_params",
    "restates_signature",
]

_RECEIVERS = frozenset({"self", "cls", "this"})
_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")
_TYPE_AFTER_PATTERN = re.compile(r"(?<=[}\]])\s*:.*$", re.DOTALL)
_LITERALS = re.compile(r"\"[^\"]*\"|'[^']*'|`[^`]*`")
_PIECE_NAME = re.compile(r"[A-Za-z_$][\w$]*(?=\s*(?::[^,]*)?$)")
_TOKEN = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
_CALL = re.compile(r"([A-Za-z_$][\w$]*)\s*!?\s*\(")
_DISTINCTIVE = re.compile(r"_|[a-z][A-Z]|\d")  # an underscore, camelCase or a digit somewhere
_DEFINITION_LINE = re.compile(
    r"^\s*(?:(?:export|public|private|protected|static|async|pub|abstract|final|override|default)\s+)*"
    r"(?:def|function|fn|func|class|interface|type)\b"
)
_ANNOTATED_ARGUMENT = re.compile(r"^\s*\*{0,2}[\w$]+\??\s*:\s*[\w$\[({]")
_RETURN_ANNOTATION = re.compile(r"^\s*(?:->|:\s*[\w$\[<{(|])")
_WORD = re.compile(r"\w")
#: A JavaScript default import (``import ms from "ms"``, ``const ms = require("ms")``): the caller names the
#: module's default export.
_DEFAULT_IMPORT = re.compile(r"\bimport\s+[\w$]+\s*(?:,|\s+from\b)|\b(?:const|let|var)\s+[\w$]+\s*=\s*require\(")


def _label_pattern(kind: str) -> re.Pattern[str]:
    names = (re.escape(name) for name, found in DOC_SECTION_KINDS.items() if found == kind)
    alternatives = "|".join(sorted(names, key=len, reverse=True))  # longest first: "return value" before "return"
    return re.compile(rf"^\s*(?:\|\s*)?(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*|__|\*|_)?\s*(?:{alternatives})\b(.*)$", re.I)


_LABELS = {kind: _label_pattern(kind) for kind in ("params", "returns", "raises", "examples")}


def _is_dunder(name: str, owner: str = "") -> bool:
    """Protocol methods and constructors (``__init__``, ``constructor``, a Java constructor, ``[Symbol.iterator]``):
    documented with their class."""
    return (name.startswith("__") and name.endswith("__")) or name in ("constructor", owner) or name.startswith("[")


def public_callables(analysis: FileAnalysis) -> tuple[FunctionInfo, ...]:
    r"""The functions whose documentation is scored: public top-level functions, then public methods of public classes.

    Protocol methods and constructors (``__init__``, ``__str__``, JavaScript's ``constructor``, a
    Java constructor, ``[Symbol.iterator]``) are left out: they are documented with their class.

    Args:
        analysis: the analysed file.

    Returns:
        The functions, top-level ones first, then each class's methods in order.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> code = "def add(a, b):\n    return a + b\n\ndef _hidden():\n    pass\n\n"
        >>> code += "class Box:\n    def __init__(self):\n        pass\n\n    def get(self, key):\n        return key\n"
        >>> analysis = analyze_source(code, "calc.py")
        >>> [function.qualname for function in public_callables(analysis)]
        ['add', 'Box.get']
    """
    top = [function for function in analysis.functions if function.is_public and not _is_dunder(function.name)]
    methods = [
        method
        for cls in analysis.classes
        if cls.is_public
        for method in cls.methods
        if method.is_public and not _is_dunder(method.name, cls.name)
    ]
    return (*top, *methods)


def public_classes(analysis: FileAnalysis) -> tuple[ClassInfo, ...]:
    r"""The public classes (structs, interfaces ...) of a file.

    Args:
        analysis: the analysed file.

    Returns:
        The classes whose ``is_public`` is set, in order.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> analysis = analyze_source("class Box:\n    pass\n\nclass _Cache:\n    pass\n", "calc.py")
        >>> [cls.name for cls in public_classes(analysis)]
        ['Box']
    """
    return tuple(cls for cls in analysis.classes if cls.is_public)


def class_entries(analysis: FileAnalysis) -> tuple[FunctionInfo, ...]:
    r"""Each public class as the entry its documentation is checked as: the class with its constructor's parameters.

    A class's doc documents its constructor (Python's ``__init__``, JavaScript's ``constructor``, a
    Java constructor), as griffe's ``merge_init_into_class`` and Sphinx's ``autoclass_content``
    read it. ``impl`` blocks (their type is declared elsewhere) are left out.

    Args:
        analysis: the analysed file.

    Returns:
        One :class:`~codescribe.engine.analysis.model.FunctionInfo` per public class: its name and
        qualified name are the class's, its parameters the constructor's; it returns nothing.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> code = "class Box:\n    def __init__(self, size):\n        self.size = size\n"
        >>> entries = class_entries(analyze_source(code, "box.py"))
        >>> [(entry.name, [parameter.name for parameter in entry.parameters]) for entry in entries]
        [('Box', ['size'])]
    """
    entries = []
    for cls in public_classes(analysis):
        if cls.kind == "impl":
            continue
        init = next((m for m in cls.methods if m.name in ("__init__", "constructor", cls.name)), None)
        parameters = init.parameters if init is not None else ()
        entries.append(FunctionInfo(cls.name, cls.name, parameters, start_line=cls.start_line, end_line=cls.end_line))
    return tuple(entries)


def required_params(function: FunctionInfo) -> tuple[str, ...]:
    """The parameter names a doc must describe.

    ``self``, ``cls`` and ``this`` are left out; a destructured parameter gives the names it binds
    (``{ a, b = 1 }`` gives a and b; string literals and a type after the pattern are ignored).

    Args:
        function: the function.

    Returns:
        The names in order, each once.

    Examples:
        >>> from codescribe.engine.analysis.model import FunctionInfo, Parameter
        >>> parameters = (Parameter("self"), Parameter("{ a, b = 1 }"), Parameter("c"))
        >>> required_params(FunctionInfo("f", "f", parameters))
        ('a', 'b', 'c')
    """
    names: list[str] = []
    for parameter in function.parameters:
        if _IDENTIFIER.match(parameter.name):
            names.append(parameter.name)
        else:
            pattern = _TYPE_AFTER_PATTERN.sub("", _LITERALS.sub("", parameter.name))
            pieces = pattern.strip("{}[]() ").split(",")
            names += [match.group() for piece in pieces if (match := _PIECE_NAME.search(piece.split("=")[0]))]
    return tuple(name for name in dict.fromkeys(names) if name not in _RECEIVERS)


@dataclass(frozen=True, slots=True)
class FunctionCheck:
    """What one public function's doc covers.

    Attributes:
        function: the function checked.
        documented: 1 for a doc / section of its own, 0.5 for a mention only, 0 for nothing.
        params: ``(parameter, credit)``: 1 documented, ``PROSE_MENTION_CREDIT`` only named in prose, 0 absent.
        typed: one entry per parameter and per returned value: whether a type is stated.
        returns: the doc has a Returns (or Yields) section.
        raises: the doc has a Raises section (for Markdown, also: it names a raised exception).
        examples: the doc has an example.
    """

    function: FunctionInfo
    #: 1 for a doc / section of its own, 0.5 for a mention only, 0 for nothing.
    documented: float
    #: (parameter, credit): 1 documented, PROSE_MENTION_CREDIT only named in prose, 0 absent.
    params: tuple[tuple[str, float], ...]
    #: One entry per parameter and per returned value: whether a type is stated.
    typed: tuple[bool, ...]
    returns: bool
    raises: bool
    examples: bool

    def requirements(self) -> list[tuple[str, bool]]:
        r"""The sections the code calls for, and whether the doc has each.

        Args when there are parameters (``Args (b, c)`` naming those missing when some are
        documented), Returns when a value is returned, Raises when something is raised, Examples
        always (the function is public).

        Returns:
            ``(section, satisfied)`` pairs, in that order.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.quality.docstyle import parse_docstring
            >>> add = analyze_source("def add(a, b):\n    return a + b\n", "calc.py").functions[0]
            >>> doc = parse_docstring("Add.\n\nArgs:\n    a: one.\n\nReturns:\n    The sum.")
            >>> check_docstring(add, doc, frozenset()).requirements()
            [('Args (b)', False), ('Returns', True), ('Examples', False)]
        """
        found: list[tuple[str, bool]] = []
        if self.params:
            missing = [name for name, credit in self.params if credit < 1.0]
            partial = missing and len(missing) < len(self.params)
            found.append((f"Args ({', '.join(missing)})" if partial else "Args", not missing))
        if self.function.returns_value:
            found.append(("Returns", self.returns))
        if self.function.raises:
            found.append(("Raises", self.raises))
        found.append(("Examples", self.examples))
        return found


def check_docstring(function: FunctionInfo, doc: DocInfo | None, annotated: frozenset[str]) -> FunctionCheck:
    r"""Check a function against its own docstring or doc comment.

    A parameter counts as typed when the analysis, the rewritten source's annotations or the doc
    entry states its type; so does the returned value (return annotation, or a typed Returns entry).

    Args:
        function: the function, as analysed from the original code.
        doc: what its doc says; ``None`` when it has none.
        annotated: ``"qualname:param"`` and ``"qualname:return"`` for every annotation the rewritten
            source has (:attr:`~codescribe.engine.quality.source.SourceDocs.annotated`).

    Returns:
        What the doc covers (``documented`` 1.0 with a doc, 0.0 and nothing covered without, or
        with a boilerplate one: :func:`is_boilerplate`).

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> from codescribe.engine.quality.docstyle import parse_docstring
        >>> add = analyze_source("def add(a, b):\n    return a + b\n", "calc.py").functions[0]
        >>> check = check_docstring(add, parse_docstring("Add.\n\nArgs:\n    a (int): one.\n    b: two."), frozenset())
        >>> check.params, check.typed, check.returns
        ((('a', 1.0), ('b', 1.0)), (True, False, False), False)
        >>> check_docstring(add, None, frozenset({"add:return"})).documented
        0.0
    """
    names = required_params(function)
    qualname = function.qualname
    typed = [
        bool(parameter.annotation)
        or f"{qualname}:{parameter.name}" in annotated
        or (doc is not None and parameter.name in doc.typed_params)
        for parameter in function.parameters
        if parameter.name not in _RECEIVERS
    ]
    if function.returns_value:
        typed.append(bool(function.returns) or f"{qualname}:return" in annotated or bool(doc and doc.returns_typed))
    said = [function.name, function.returns or "", *(f"{p.name} {p.annotation or ''}" for p in function.parameters)]
    if doc is None or is_boilerplate(doc.text, said):  # an example still shows use: it keeps its own credit
        examples = doc is not None and doc.examples
        return FunctionCheck(function, 0.0, tuple((name, 0.0) for name in names), tuple(typed), False, False, examples)
    params = tuple((name, doc.param_credit(name)) for name in names)
    return FunctionCheck(function, 1.0, params, tuple(typed), doc.returns, doc.raises, doc.examples)


def is_boilerplate(text: str, names: Iterable[str]) -> bool:
    r"""Whether a doc says nothing its signature does not: ``Init.``, ``Get value.``, ``Add a b.``, ``TODO``.

    Section headers (``Args:``, ``Returns:``), entry names and types (``size (int):``, ``@param
    {number} size``), defaults (``defaults to None``) and "optional" are the signature again, so only
    what the doc says besides them is read; examples (an Examples section, ``>>>`` sessions, fenced
    code) show use rather than say what the function does, so they are not read either.

    Args:
        text: the doc's text.
        names: the function's name (``__init__``, ``get_value``, ``parseConfig``), its parameters'
            and the types it declares.

    Returns:
        ``True`` for a doc whose every word, besides headers, names and types, is a word of those
        names (``Test response encoding.`` for ``test_response_encoding``), a placeholder (``todo``,
        ``tbd`` ...), a word such as ``function``, ``method``, ``constructor``, ``required`` or
        ``result``, or a stopword.

    Examples:
        >>> is_boilerplate("Init.", ["__init__"]), is_boilerplate("Get the value.", ["get_value"])
        (True, True)
        >>> is_boilerplate("Grow.\n\nArgs:\n    by (int): Required.\n\nReturns:\n    int", ["grow", "by", "int"])
        True
        >>> is_boilerplate('Init.\n\nArgs:\n    payload: Optional; defaults to None.', ["__init__", "payload"])
        True
        >>> is_boilerplate("Get the value, or None when unset.", ["get_value"])
        False
        >>> is_boilerplate("Inner.\n\nExamples:\n    >>> inner(3)\n    3", ["inner"])
        True
        >>> is_boilerplate("Nanoid.\n@param {number} [size=21]\n@returns the result.", ["nanoid", "size"])
        True
        >>> is_boilerplate("Parse.\n@return the result ({@code BigDecimal})", ["parse", "BigDecimal"])
        True
    """
    text = _INLINE_TAG.sub(r"\1", text)  # Javadoc's {@code BigDecimal} says BigDecimal
    said = " ".join(_entry_text(line) for line in _prose_lines(text) if not _SECTION_HEADER.match(line))
    said = _SIGNATURE_FACTS.sub(" ", said)  # "defaults to None", "Optional": the signature says so
    words = re.findall(r"[a-z0-9]+", said.lower())
    own = {word.lower() for name in names for word in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name or "")}
    own |= {word for name in names for word in re.findall(r"[a-z0-9]+", (name or "").lower())}  # ValueError whole
    return all(word in own or word in _BOILERPLATE_WORDS or word in STOPWORDS for word in words)


_SECTION_HEADER = re.compile(r"^\s*(?:[A-Z][a-z]+(?: [A-Za-z]+)?:?|-{3,}|#+ .*)\s*$")
_ENTRY = re.compile(
    r"^\s*(?:@\w+\s*(?:\{[^}]*\}\s*)?(?:\[[^\]]*\]|[\w$.]+)?|[-*]?\s*\*{0,2}[\w$]+\*{0,2}\s*(?:\([^)]*\))?\s*:)(.*)$"
)


_INLINE_TAG = re.compile(r"\{@(?:code|link|linkplain|literal)\s+([^}]*)\}")
_SIGNATURE_FACTS = re.compile(
    r"\b(?:defaults?\s+(?:to|is)|default:?)\s+(?:`[^`]*`|'[^']*'|\"[^\"]*\"|[\w.+-]+)|\boptional\b",
    re.IGNORECASE,
)


def _prose_lines(text: str) -> list[str]:
    """The lines of a doc besides its examples: an Examples header and what is indented under it,
    doctest sessions and fenced code are left out."""
    lines, skipping, fenced = [], False, False
    under: int | None = None  # the indentation of the Examples header being skipped
    for line in text.splitlines():
        stripped = line.strip()
        depth = len(line) - len(line.lstrip())
        if under is not None and (not stripped or depth > under):
            continue
        under = None
        if _EXAMPLES_HEADER.match(line):
            under = depth
            continue
        if stripped.startswith("```"):
            fenced = not fenced
            continue
        skipping = stripped.startswith(">>>") or (skipping and bool(stripped))  # a session and its output
        if not skipping and not fenced:
            lines.append(line)
    return lines


_EXAMPLES_HEADER = re.compile(r"^\s*(?:examples?:?|@example\b.*|\.\. (?:code-block|doctest)::.*)\s*$", re.IGNORECASE)


def _entry_text(line: str) -> str:
    """What a doc line says besides an entry's name and type (``size (int): Required.`` says ``Required.``)."""
    match = _ENTRY.match(line)
    return match.group(1) if match else line


#: Words a doc may use and still say nothing (besides its function's own name and stopwords).
_BOILERPLATE_WORDS = frozenset(
    {
        *PLACEHOLDER_WORDS,
        "function",
        "method",
        "constructor",
        "init",
        "initialize",
        "initializer",
        "docstring",
        "helper",
        "class",
        "getter",
        "setter",
        "property",
        "implementation",
        "stub",
        "required",
        "optional",
        "result",
        "returns",
        "value",
        "none",
        "undocumented",  # a page's "Undocumented in the source."
        "source",
        "parameter",
        "parameters",
        "param",
        "params",
        "argument",
        "arguments",
        "arg",
        "args",
        "return",
        "returned",
        "takes",
        "no",  # "takes no arguments"
        "self",  # the receiver, which no parameter list holds
        "this",
        # what a template says of any function: "when the method cannot complete", "when the operation fails",
        # "each value"
        "when",
        "cannot",
        "complete",
        "operation",
        "fails",
        "each",
        "error",
        "accepts",
        "receives",
        "object",
        "instance",
        "given",
        "specified",
        "provided",
        "passed",
        "description",
        "type",
        "default",
        "defaults",
        "name",
    }
)


def _tokens(text: str) -> set[str]:
    """The identifiers in ``text``, dotted ones also by their parts."""
    found = set(_TOKEN.findall(text))
    for token in [token for token in found if "." in token]:
        found.update(token.split("."))
    return found


def _balanced(text: str, start: int, limit: int = 400) -> str:
    depth = 1
    for index in range(start, min(len(text), start + limit)):
        char = text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if not depth:
                return text[start:index]
    return text[start : start + limit]


class MarkdownIndex:
    """A Markdown document indexed once for the per-function questions scoring asks.

    Args:
        doc: the parsed document.

    Attributes:
        doc: the parsed document.
        heading_tokens: the identifiers of each section's title, by section index.
        code_text: the text of every code block (Mermaid diagrams left out) and inline code span.
        code_tokens: the identifiers in ``code_text``.
        calls: for each name called in ``code_text`` (``name(``), where its arguments start.
        prose_tokens: the identifiers of the prose that look like code (an underscore, camelCase or
            a digit in them).
        headings_with: for each identifier, the sections (not the title) whose heading names it.
    """

    def __init__(self, doc: MarkdownDoc) -> None:
        self.doc = doc
        self.heading_tokens = [_tokens(section.title) for section in doc.sections]
        code_parts = [block.text for block in doc.code_blocks if block.language != "mermaid"]
        self.code_text = "\n".join([*code_parts, *doc.inline_code])
        self.code_tokens = _tokens(self.code_text)
        self.calls: dict[str, list[int]] = defaultdict(list)
        for match in _CALL.finditer(self.code_text):
            self.calls[match.group(1)].append(match.end())
        prose = "\n".join(block.text for block in doc.blocks if block.kind != "code")
        self.prose_tokens = {token for token in _tokens(prose) if _DISTINCTIVE.search(token)}
        self.headings_with: dict[str, list[int]] = defaultdict(list)
        for index, tokens in enumerate(self.heading_tokens):
            if index and index != doc.title_index:
                for token in tokens:
                    self.headings_with[token].append(index)
        self._sorted: dict[str, list[int]] = {}  # the sections whose headings name a name, in order
        self._sections: dict[str, tuple[int, float] | None] = {}  # section_for's answers, by qualified name
        #: Whether the page has an example calling a function, by (name, signature): methods of one name in many
        #: classes ask once, not once per class (each would scan every block that calls the name).
        self._examples: dict[tuple[str, str], bool] = {}
        #: The code blocks (not diagrams or shell) that call each name: an example is looked for only there.
        self._calling: dict[str, list[Block]] = defaultdict(list)
        for block in doc.code_blocks:
            if block.language not in NON_CODE_LANGUAGES:
                for called in dict.fromkeys(match.group(1) for match in _CALL.finditer(block.text)):
                    self._calling[called].append(block)

    def mentioned(self, name: str) -> bool:
        r"""Whether the document mentions a name anywhere it counts.

        In code, an inline code span or a heading (not the title); in prose only for names no prose word looks like
        (with an underscore, camelCase or a digit). A module's ``default`` export has the name its importer
        gives it: a default import in the code mentions it.

        Args:
            name: an identifier (a dotted one matches by its parts too).

        Returns:
            ``True`` when it is mentioned.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.quality.markdown import parse_markdown
            >>> code = "def add(a, b):\n    return a + b\n\nclass Box:\n    def get(self, key):\n        return key\n"
            >>> add, get = analyze_source(code, "calc.py").all_functions
            >>> doc = "# calc\n\n## add\n\nAdds `a` and b.\n\nReturns the sum.\n\n```python\nadd(1, 2)\n```\n\n"
            >>> doc += "## Box\n\n```python\nbox = Box()\nbox.get(key)\n```\n"
            >>> index = MarkdownIndex(parse_markdown(doc))
            >>> index.mentioned("add"), index.mentioned("Box"), index.mentioned("mul")
            (True, True, False)
        """
        if name == "default" and _DEFAULT_IMPORT.search(self.code_text):
            return True
        return name in self.code_tokens or name in self.headings_with or name in self.prose_tokens

    def section_for(self, function: FunctionInfo) -> tuple[int, float] | None:
        r"""The section about a function, and how fully it is the function's own.

        A heading naming the function wins (``Class.method`` first, then the name under a heading
        naming its class, then the name anywhere; deeper and earlier headings break ties); else the
        smallest section showing the name in its own code or inline code.

        Args:
            function: the function.

        Returns:
            ``(section index, 1.0)`` for a heading that names it, ``(section index, 0.5)`` for a
            section that only shows it, ``None`` when no section does.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.quality.markdown import parse_markdown
            >>> code = "def add(a, b):\n    return a + b\n\nclass Box:\n    def get(self, key):\n        return key\n"
            >>> add, get = analyze_source(code, "calc.py").all_functions
            >>> doc = "# calc\n\n## add\n\nAdds `a` and b.\n\nReturns the sum.\n\n```python\nadd(1, 2)\n```\n\n"
            >>> doc += "## Box\n\n```python\nbox = Box()\nbox.get(key)\n```\n"
            >>> index = MarkdownIndex(parse_markdown(doc))
            >>> index.section_for(add), index.section_for(get)
            ((2, 1.0), (3, 0.5))
        """
        function = _without_bang(function)
        # the answer depends on the qualified name alone: functions of one name (duplicates, overloads) share it
        if function.qualname not in self._sections:
            self._sections[function.qualname] = self._section_for(function)
        return self._sections[function.qualname]

    def _section_for(self, function: FunctionInfo) -> tuple[int, float] | None:
        owner = function.qualname.rpartition(".")[0]
        best: tuple[int, int, int] | None = None  # (score, level, -index)
        # A heading naming Class.method outranks every other, then one under its class's heading: when there
        # is one, the rest need no look (a module of thousands of classes that each have a method ``m`` would
        # otherwise cost quadratic time).
        by_name, by_qualname = self._headings_naming(function.name), self._headings_naming(function.qualname)
        if owner:
            candidates = by_qualname or self._under_headings(by_name, owner.rpartition(".")[2]) or by_name
        else:
            candidates = sorted({*by_name, *by_qualname})
        for index in candidates:
            section, tokens = self.doc.sections[index], self.heading_tokens[index]
            if owner and function.qualname in tokens:
                score = 3
            elif function.name in tokens:
                score = 2 if not owner or self._under(index, owner) else 1
            else:
                continue
            candidate = (score, section.level, -index)
            if best is None or candidate > best:
                best = candidate
        if best is not None:
            return -best[2], 1.0
        shown = [(self.doc.sections[index].level, -index) for index in self._showing.get(function.name, [])]
        return (-max(shown)[1], 0.5) if shown else None

    @cached_property
    def _showing(self) -> dict[str, list[int]]:
        """The sections whose own code or inline code shows each name, in order (made once, not per function)."""
        showing: dict[str, list[int]] = defaultdict(list)
        for index, section in enumerate(self.doc.sections):
            code = [block.text for block in section.own if block.kind == "code" and block.language != "mermaid"]
            spans = [span for block in section.own if block.kind != "code" for span in inline_spans(block.text)]
            for token in _tokens("\n".join([*code, *spans])):
                showing[token].append(index)
        return showing

    @cached_property
    def _ends(self) -> list[int]:
        """For each section, the index where its sub-sections end (exclusive): the next section at its level or
        above."""
        sections = self.doc.sections
        ends = [len(sections)] * len(sections)
        open_sections: list[int] = []
        for index, section in enumerate(sections):
            while open_sections and sections[open_sections[-1]].level >= section.level:
                ends[open_sections.pop()] = index
            open_sections.append(index)
        return ends

    def _headings_naming(self, name: str) -> list[int]:
        """The sections whose headings name ``name``, in order (sorted once per name: a name that thousands of
        headings hold is not sorted again for each function of that name)."""
        if name not in self._sorted:
            self._sorted[name] = sorted(self.headings_with.get(name, ()))
        return self._sorted[name]

    def _under_headings(self, candidates: list[int], name: str) -> list[int]:
        """Those of ``candidates`` (sorted section indexes) under a heading naming ``name``."""
        found: set[int] = set()
        for head in self.headings_with.get(name, ()):
            found.update(
                candidates[bisect.bisect_right(candidates, head) : bisect.bisect_left(candidates, self._ends[head])]
            )
        return sorted(found)

    def _under(self, index: int, owner: str) -> bool:
        parent = self.doc.sections[index].parent
        while parent is not None:
            if owner.rpartition(".")[2] in self.heading_tokens[parent]:
                return True
            parent = self.doc.sections[parent].parent
        return False

    def check(self, function: FunctionInfo) -> FunctionCheck:
        r"""Check a function against the part of the document about it (see :meth:`section_for`).

        In that section (with its sub-sections): a section whose prose only says the signature again
        (``Add item.``; see :func:`is_boilerplate`) documents nothing; a parameter is documented when its
        name appears outside code (half when every line naming it is boilerplate: ``| `cart` | The
        cart. |``); Returns, Raises and Examples need a label with content after it (``Returns:``, a
        ``### Examples`` sub-heading ...); naming a raised exception also counts for Raises, and a
        code block calling the function, there or anywhere on the page, counts for Examples. Types
        are not checked in Markdown.

        Args:
            function: the function.

        Returns:
            What the section covers; nothing (``documented`` 0.0) when no section is about it.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.quality.markdown import parse_markdown
            >>> code = "def add(a, b):\n    return a + b\n\nclass Box:\n    def get(self, key):\n        return key\n"
            >>> add, get = analyze_source(code, "calc.py").all_functions
            >>> doc = "# calc\n\n## add\n\nAdds `a` and b.\n\nReturns the sum.\n\n```python\nadd(1, 2)\n```\n\n"
            >>> doc += "## Box\n\n```python\nbox = Box()\nbox.get(key)\n```\n"
            >>> index = MarkdownIndex(parse_markdown(doc))
            >>> check = index.check(add)
            >>> check.documented, check.params, check.returns, check.examples
            (1.0, (('a', 1.0), ('b', 1.0)), True, True)
        """
        function = _without_bang(function)
        names = required_params(function)
        found = self.section_for(function)
        if found is None:
            return FunctionCheck(function, 0.0, tuple((name, 0.0) for name in names), (), False, False, False)
        index, documented = found
        section = self.doc.sections[index]
        # A table row that describes nothing ("`path` | — | required | —") documents no parameter.
        outside = "\n".join(block.text for block in section.blocks if block.kind != "code" and not _says_nothing(block))
        tokens = _tokens(outside)
        lines = outside.splitlines()
        own = [function.name, function.qualname, *(p.name for p in function.parameters), function.returns or ""]
        own += [*(p.annotation or "" for p in function.parameters), *function.raises]
        if is_boilerplate(outside, own):  # "Add item.", "`cart` | The cart.": the signature again
            documented = 0.0
        params = tuple((name, _described(name, lines, own) if name in tokens else 0.0) for name in names)
        raises = self._labelled(index, lines, "raises") or any(name in tokens for name in function.raises)
        signature = frozenset({function.signature.strip()})
        key = (function.name, function.signature.strip())
        if key not in self._examples:  # an example in its section, or one anywhere on the page that calls it
            self._examples[key] = any(
                not _only_signatures(block.text, signature) and calls_in_example(block.text, function.name)
                for block in self._calling.get(function.name, ())  # the section's blocks are among them
            )
        examples = self._examples[key] or self._labelled(index, lines, "examples", need_code=True)
        return FunctionCheck(
            function, documented, params, (), self._labelled(index, lines, "returns"), raises, examples
        )

    def _labelled(self, index: int, lines: list[str], kind: str, *, need_code: bool = False) -> bool:
        """A "Returns"-style label with something after it: on its line, below it, or as a sub-heading with content."""
        pattern = _LABELS[kind]
        for sub in self.doc.sections[index + 1 : self._ends[index]]:
            if pattern.match(sub.title) and content_level(sub.blocks) != "empty" and (not need_code or sub.code_blocks):
                return True
        if need_code:
            return False
        for number, line in enumerate(lines):
            match = pattern.match(line)
            if match and (_WORD.search(match.group(1)) or any(rest.strip() for rest in lines[number + 1 :])):
                return True
        return False

    def signature_credit(self, function: FunctionInfo) -> float:
        r"""How completely the document's code shows a function's signature.

        Args:
            function: the function.

        Returns:
            1.0 when some ``name(`` in code has every parameter's name inside its parentheses, 0.5
            when code only shows ``name(``, else 0.0.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.quality.markdown import parse_markdown
            >>> code = "def add(a, b):\n    return a + b\n\nclass Box:\n    def get(self, key):\n        return key\n"
            >>> add, get = analyze_source(code, "calc.py").all_functions
            >>> doc = "# calc\n\n## add\n\nAdds `a` and b.\n\nReturns the sum.\n\n```python\nadd(1, 2)\n```\n\n"
            >>> doc += "## Box\n\n```python\nbox = Box()\nbox.get(key)\n```\n"
            >>> index = MarkdownIndex(parse_markdown(doc))
            >>> index.signature_credit(add), index.signature_credit(get)
            (0.5, 1.0)
        """
        names = required_params(function)
        best = 0.0
        for end in self.calls.get(function.name.removesuffix("!"), ()):
            inside = _tokens(_balanced(self.code_text, end))
            if all(name in inside for name in names):
                return 1.0
            best = 0.5
        return best

    def example_blocks(self, names: frozenset[str], signatures: frozenset[str] = frozenset()) -> int:
        r"""Count the example code blocks: those that call one of ``names`` or hold a ``>>>`` session.

        Blocks in a non-code language (shell, JSON, Mermaid ...) do not count, nor do blocks that only
        define or declare a name (see :func:`calls_in_example`).

        Args:
            names: the functions' and classes' names.
            signatures: their signatures: a block that only shows some is no example.

        Returns:
            The number of such blocks.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.quality.markdown import parse_markdown
            >>> code = "def add(a, b):\n    return a + b\n\nclass Box:\n    def get(self, key):\n        return key\n"
            >>> add, get = analyze_source(code, "calc.py").all_functions
            >>> doc = "# calc\n\n## add\n\nAdds `a` and b.\n\nReturns the sum.\n\n```python\nadd(1, 2)\n```\n\n"
            >>> doc += "## Box\n\n```python\nbox = Box()\nbox.get(key)\n```\n"
            >>> index = MarkdownIndex(parse_markdown(doc))
            >>> index.example_blocks(frozenset({"add"})), index.example_blocks(frozenset({"add", "Box"}))
            (1, 2)
        """
        count = 0
        for block in self.doc.code_blocks:
            if block.language in NON_CODE_LANGUAGES or _only_signatures(block.text, signatures):
                continue
            called = names.intersection(_CALL.findall(block.text))
            if (">>>" in block.text and not restates_signature(block.text)) or any(
                calls_in_example(block.text, name) for name in sorted(called)
            ):
                count += 1
        return count


@lru_cache(maxsize=1024)
def _call_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w$]){re.escape(name.removesuffix('!'))}\s*!?\s*\(")


def restates_signature(code: str) -> bool:
    r"""Whether an example only restates a signature: one call whose arguments are all bare names it never binds.

    ``result = add(a, b)`` shows nothing the signature ``add(a, b)`` does not; an example gives
    values (``add(1, 2)``) or builds them first.

    Args:
        code: a code block's text (doctest prompts allowed).

    Returns:
        ``True`` for a block of one statement (bound to a name or not, awaited or not) that calls
        something with zero or more bare names as arguments.

    Examples:
        >>> restates_signature("const result = isAbsolute(path);"), restates_signature(">>> add(a, b)")
        (True, True)
        >>> restates_signature('import ms from "ms";\nms(val, options);')  # the import shows nothing more
        True
        >>> restates_signature("add(1, 2)"), restates_signature("a = 1\nadd(a, 2)"), restates_signature("pick(True)")
        (False, False, False)
    """
    lines = [line.strip().removeprefix(">>>").strip() for line in code.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("#", "//")) and not _IMPORT_LINE.match(line)]
    match = _PLACEHOLDER_CALL.match(lines[0]) if len(lines) == 1 else None
    return match is not None and not _LITERAL_WORDS.intersection(re.findall(r"[\w$]+", match.group(1)))


_PLACEHOLDER_CALL = re.compile(
    r"^(?:(?:const|let|var|val)\s+)?(?:[\w$]+\s*:?=\s*)?(?:await\s+)?[\w$.]+!?\("
    r"(\s*(?:[A-Za-z_$][\w$]*(?:\s*=\s*[A-Za-z_$][\w$]*)?\s*(?:,\s*|(?=\))))*)\)(?:\.await)?;?$"
)
#: A line that only imports (Python, JavaScript's ``import``/``require``, Rust's ``use``, Go's ``import``).
_IMPORT_LINE = re.compile(
    r"^(?:from\s+\S+\s+import\b|import\b|use\s|(?:const|let|var)\s+[\w${},\s]+=\s*require\([^)]*\);?$)"
)
#: Names that are values: an argument spelled so is a literal.
_LITERAL_WORDS = frozenset({"True", "False", "None", "true", "false", "null", "nil", "undefined", "NaN"})


def _described(name: str, lines: list[str], own: list[str]) -> float:
    """1.0 when a line naming the parameter ``name`` says something of it; 0.5 when every such line only
    says its name again (``| `cart` | The cart. |``)."""
    naming = [line for line in lines if name in _tokens(line)]
    return 1.0 if any(not is_boilerplate(line, own) for line in naming) else 0.5


def _says_nothing(block: Block) -> bool:
    """A table row whose last cell (its description) is empty or a dash."""
    return block.kind == "table" and block.text.rsplit("|", 1)[-1].strip() in ("", "—", "–", "-")


def _only_signatures(code: str, signatures: frozenset[str]) -> bool:
    """Whether every line of a block is one of ``signatures`` (a page's ``addItem(cart, quantity = 1)``)."""
    lines = [line.strip() for line in code.splitlines() if line.strip()]
    return bool(lines) and all(line in signatures or line.removeprefix("async ") in signatures for line in lines)


def _without_bang(function: FunctionInfo) -> FunctionInfo:
    """A Rust macro (``bail!``) by the name its headings and calls show it under (``bail``, ``bail!(``)."""
    if not function.name.endswith("!"):
        return function
    return replace(function, name=function.name[:-1], qualname=function.qualname.removesuffix("!"))


def calls_in_example(code: str, name: str) -> bool:
    """Whether code calls ``name`` on a line that is not its definition or a bare signature.

    A line that defines something (``def``, ``function``, ``fn``, ``class`` ...) does not count, nor
    does a signature shown as a call (annotated arguments, or a return type after it).

    Args:
        code: a code block's text.
        name: the function's name.

    Returns:
        ``True`` when some line calls it.

    Examples:
        >>> calls_in_example("result = add(1, 2)", "add"), calls_in_example("def add(a, b):", "add")
        (True, False)
        >>> calls_in_example("add(a: int, b: int) -> int", "add")
        False
    """
    if restates_signature(code):
        return False
    pattern = _call_pattern(name)
    for line in code.splitlines():
        match = pattern.search(line)
        if not match or _DEFINITION_LINE.match(line):
            continue
        inside = _balanced(line, match.end())
        after = line[match.end() + len(inside) + 1 :]
        if _ANNOTATED_ARGUMENT.match(inside) or _RETURN_ANNOTATION.match(after):
            continue
        return True
    return False
