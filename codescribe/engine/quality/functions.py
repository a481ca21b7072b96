"""Per-function checks: what each public function's documentation covers.

For docstrings the doc is the function's own docstring (see :mod:`.source`); for Markdown it is
the section whose heading names the function (falling back to the smallest section that shows it
in code). The code decides what is required: Args when there are parameters, Returns when a value
is returned, Raises when something is raised, Examples always (the function is public).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from codescribe.engine.analysis.model import ClassInfo, FileAnalysis, FunctionInfo
from codescribe.engine.quality.docstyle import DocInfo
from codescribe.engine.quality.markdown import MarkdownDoc, content_level
from codescribe.engine.quality.rubrics import DOC_SECTION_KINDS, NON_CODE_LANGUAGES

__all__ = [
    "FunctionCheck",
    "MarkdownIndex",
    "check_docstring",
    "public_callables",
    "public_classes",
    "required_params",
]

_RECEIVERS = frozenset({"self", "cls", "this"})
_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")
_TYPE_AFTER_PATTERN = re.compile(r"(?<=[}\]])\s*:.*$", re.DOTALL)
_LITERALS = re.compile(r"\"[^\"]*\"|'[^']*'|`[^`]*`")
_PIECE_NAME = re.compile(r"[A-Za-z_$][\w$]*(?=\s*(?::[^,]*)?$)")
_TOKEN = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
_CALL = re.compile(r"([A-Za-z_$][\w$]*)\s*\(")
_DISTINCTIVE = re.compile(r"_|[a-z][A-Z]|\d")  # an underscore, camelCase or a digit somewhere
_DEFINITION_LINE = re.compile(
    r"^\s*(?:(?:export|public|private|protected|static|async|pub|abstract|final|override|default)\s+)*"
    r"(?:def|function|fn|func|class|interface|type)\b"
)
_ANNOTATED_ARGUMENT = re.compile(r"^\s*\*{0,2}[\w$]+\??\s*:\s*[\w$\[({]")
_RETURN_ANNOTATION = re.compile(r"^\s*(?:->|:\s*[\w$\[<{(|])")
_WORD = re.compile(r"\w")


def _label_pattern(kind: str) -> re.Pattern[str]:
    names = sorted((re.escape(name) for name, found in DOC_SECTION_KINDS.items() if found == kind), key=len)
    alternatives = "|".join(reversed(names))
    return re.compile(rf"^\s*(?:\|\s*)?(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*|__|\*|_)?\s*(?:{alternatives})\b(.*)$", re.I)


_LABELS = {kind: _label_pattern(kind) for kind in ("params", "returns", "raises", "examples")}


def _is_dunder(name: str, owner: str = "") -> bool:
    """Protocol methods and constructors (``__init__``, ``constructor``, a Java constructor, ``[Symbol.iterator]``):
    documented with their class."""
    return (name.startswith("__") and name.endswith("__")) or name in ("constructor", owner) or name.startswith("[")


def public_callables(analysis: FileAnalysis) -> tuple[FunctionInfo, ...]:
    """Public top-level functions, then public methods of public classes (dunders left out)."""
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
    return tuple(cls for cls in analysis.classes if cls.is_public)


def required_params(function: FunctionInfo) -> tuple[str, ...]:
    """Parameters a doc must describe (``self`` / ``cls`` left out; a destructured ``{ a, b = 1 }`` gives a, b)."""
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
    """What one public function's doc covers."""

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
        """(section, satisfied) for every section the code calls for."""
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
    """Check a function against its own docstring / doc comment (None when it has none)."""
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
    if doc is None:
        return FunctionCheck(function, 0.0, tuple((name, 0.0) for name in names), tuple(typed), False, False, False)
    params = tuple((name, doc.param_credit(name)) for name in names)
    return FunctionCheck(function, 1.0, params, tuple(typed), doc.returns, doc.raises, doc.examples)


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
    """A Markdown document indexed once for the per-function questions scoring asks."""

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
        self._own_code: dict[int, set[str]] = {}

    def mentioned(self, name: str) -> bool:
        """Named in code, an inline code span, a heading, or (for names no prose word looks like) in prose."""
        return name in self.code_tokens or name in self.headings_with or name in self.prose_tokens

    def section_for(self, function: FunctionInfo) -> tuple[int, float] | None:
        """(section index, 1.0) for the heading that names the function, else (index, 0.5) for the smallest
        section showing it in code, else None."""
        owner = function.qualname.rpartition(".")[0]
        best: tuple[int, int, int] | None = None  # (score, level, -index)
        candidates = sorted(
            {*self.headings_with.get(function.name, ()), *self.headings_with.get(function.qualname, ())}
        )
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
        shown = [
            (section.level, -index)
            for index, section in enumerate(self.doc.sections)
            if function.name in self._code_tokens_of(index)
        ]
        return (-max(shown)[1], 0.5) if shown else None

    def _under(self, index: int, owner: str) -> bool:
        parent = self.doc.sections[index].parent
        while parent is not None:
            if owner.rpartition(".")[2] in self.heading_tokens[parent]:
                return True
            parent = self.doc.sections[parent].parent
        return False

    def _code_tokens_of(self, index: int) -> set[str]:
        if index not in self._own_code:
            own = self.doc.sections[index].own
            text = "\n".join(block.text for block in own if block.kind == "code" and block.language != "mermaid")
            spans = [match.group(2) for block in own if block.kind != "code" for match in _SPANS.finditer(block.text)]
            self._own_code[index] = _tokens("\n".join([text, *spans]))
        return self._own_code[index]

    def check(self, function: FunctionInfo) -> FunctionCheck:
        """Check a function against the part of the document about it."""
        names = required_params(function)
        found = self.section_for(function)
        if found is None:
            return FunctionCheck(function, 0.0, tuple((name, 0.0) for name in names), (), False, False, False)
        index, documented = found
        section = self.doc.sections[index]
        outside = section.text_outside_code()
        tokens = _tokens(outside)
        lines = outside.splitlines()
        params = tuple((name, 1.0 if name in tokens else 0.0) for name in names)
        raises = self._labelled(index, lines, "raises") or any(name in tokens for name in function.raises)
        examples = any(
            block.language not in NON_CODE_LANGUAGES and calls_in_example(block.text, function.name)
            for block in section.code_blocks
        ) or self._labelled(index, lines, "examples", need_code=True)
        return FunctionCheck(
            function, documented, params, (), self._labelled(index, lines, "returns"), raises, examples
        )

    def _labelled(self, index: int, lines: list[str], kind: str, *, need_code: bool = False) -> bool:
        """A "Returns"-style label with something after it: on its line, below it, or as a sub-heading with content."""
        pattern = _LABELS[kind]
        section = self.doc.sections[index]
        following = index + 1
        while following < len(self.doc.sections) and self.doc.sections[following].level > section.level:
            sub = self.doc.sections[following]
            has_content = content_level(sub.blocks) != "empty" and (not need_code or sub.code_blocks)
            if has_content and pattern.match(sub.title):
                return True
            following += 1
        if need_code:
            return False
        for number, line in enumerate(lines):
            match = pattern.match(line)
            if match and (_WORD.search(match.group(1)) or any(rest.strip() for rest in lines[number + 1 :])):
                return True
        return False

    def signature_credit(self, function: FunctionInfo) -> float:
        """1 when code shows ``name(`` with every parameter, 0.5 when it shows ``name(`` only, else 0."""
        names = required_params(function)
        best = 0.0
        for end in self.calls.get(function.name, ()):
            inside = _tokens(_balanced(self.code_text, end))
            if all(name in inside for name in names):
                return 1.0
            best = 0.5
        return best

    def example_blocks(self, names: frozenset[str]) -> int:
        """Code blocks that call one of ``names`` (not just define or declare it) or hold a ``>>>`` session."""
        count = 0
        for block in self.doc.code_blocks:
            if block.language in NON_CODE_LANGUAGES:
                continue
            called = names.intersection(_CALL.findall(block.text))
            if ">>>" in block.text or any(calls_in_example(block.text, name) for name in sorted(called)):
                count += 1
        return count


_SPANS = re.compile(r"(`+)([^`]+?)\1")


@lru_cache(maxsize=1024)
def _call_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w$]){re.escape(name)}\s*\(")


def calls_in_example(code: str, name: str) -> bool:
    """Whether code calls ``name`` on a line that is not its definition or a bare signature."""
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
