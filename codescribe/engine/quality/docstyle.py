"""One docstring or doc comment read into what it documents.

Google (``Args:``), NumPy (``Parameters`` over dashes), Sphinx (``:param x:``), Markdown-style
headers as in Rust (``# Examples``) and JSDoc / Javadoc tags (``@param {T} x``) are understood.
A section counts only when it has a body.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from functools import lru_cache

from codescribe.engine.quality.rubrics import DOC_SECTION_KINDS, PROSE_MENTION_CREDIT

__all__ = ["DocInfo", "parse_comment", "parse_docstring"]

_NAMES = "|".join(sorted((re.escape(name) for name in DOC_SECTION_KINDS), key=len, reverse=True))
_HEADER = re.compile(rf"^(\s*)(#{{1,4}}\s*)?({_NAMES})\s*(?:(:)\s*(.*))?$", re.IGNORECASE)
_DASHES = re.compile(r"^\s*-{3,}\s*$")
_GOOGLE_ENTRY = re.compile(
    r"^(?:[-*+]\s+)?`?(\*{0,2}[A-Za-z_$][\w$]*)`?\s*(?:\(([^)]*)\))?\s*(?::|\s[-–]{1,2}\s)\s*(.*)$"
)
_NUMPY_ENTRY = re.compile(r"^(\*{0,2}[A-Za-z_]\w*(?:\s*,\s*\*{0,2}[A-Za-z_]\w*)*)\s*(?::\s*(\S.*))?$")
_GOOGLE_RETURN_TYPE = re.compile(r"^\s*[\w.]+(?:\[[^\]]*\])?(?:\s*\|\s*[\w.]+(?:\[[^\]]*\])?)*:\s")
_NUMPY_RETURN_TYPE = re.compile(r"^\s*(?:\w+\s+:\s+)?[\w.|]+(?:\[[^\]]*\])?\s*$")
_SPHINX_PARAM = re.compile(r"^\s*:(?:param|parameter|arg|argument|key|keyword)\s+(?:([^:]+?)\s+)?\*{0,2}(\w+)\s*:")
_SPHINX_TYPE = re.compile(r"^\s*:type\s+\*{0,2}(\w+)\s*:\s*\S")
_SPHINX_RETURNS = re.compile(r"^\s*:(?:returns?|yields?)\s*:\s*\S")
_SPHINX_RTYPE = re.compile(r"^\s*:rtype\s*:\s*\S")
_SPHINX_RAISES = re.compile(r"^\s*:(?:raises?|except(?:ion)?)\b[^:]*:")
_EXAMPLE_MARKERS = re.compile(r"^\s*(?:>>>\s*\S|\.\. (?:code-block|code|doctest)::)", re.MULTILINE)
_FENCED_CODE = re.compile(r"^\s*(`{3,}|~{3,})[^\n]*\n(.*?)^\s*\1", re.MULTILINE | re.DOTALL)
_TAG = re.compile(r"^\s*@(\w+)\b(.*)$")
_JSDOC_PARAM = re.compile(r"^\s*(?:\{([^}]*)\}\s*)?\[?\s*([\w$]+(?:\.[\w$]+)*)")
_HAS_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What one doc says: which parameters it documents, and whether it covers returns, raises, examples."""

    text: str
    #: Parameters with an entry of their own (Args entry, ``:param:``, ``@param``).
    params: frozenset[str] = frozenset()
    #: Parameters whose entry states a type.
    typed_params: frozenset[str] = frozenset()
    returns: bool = False
    returns_typed: bool = False
    raises: bool = False
    examples: bool = False

    def param_credit(self, name: str) -> float:
        """1 for an entry of its own, PROSE_MENTION_CREDIT when only named in the text, else 0."""
        if name in self.params:
            return 1.0
        return PROSE_MENTION_CREDIT if _word_pattern(name).search(self.text) else 0.0


@lru_cache(maxsize=1024)
def _word_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")


@dataclass(slots=True)
class _Found:
    params: set[str]
    typed: set[str]
    returns: bool = False
    returns_typed: bool = False
    raises: bool = False
    examples: bool = False


def parse_docstring(text: str, *, clean: bool = True) -> DocInfo:
    """Read a Python docstring (or a doc comment without @tags); ``clean=False`` when already dedented."""
    lines = (inspect.cleandoc(text) if clean else text).splitlines()
    found = _Found(set(), set())
    headers = _headers(lines)
    for number, (start, kind, style, indent, inline) in enumerate(headers):
        end = headers[number + 1][0] if number + 1 < len(headers) else len(lines)
        body = [inline] if inline else []
        for line in lines[start + (2 if style == "numpy" else 1) : end]:
            if style == "google" and line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            body.append(line)
        if not any(_HAS_WORD.search(line) for line in body):
            continue
        _read_section(kind, style, body, found)
    for line in lines:
        if line.lstrip().startswith(":"):
            _read_sphinx(line, found)
    found.examples = found.examples or bool(_EXAMPLE_MARKERS.search(text)) or _has_fenced_code(text)
    return _info(text, found)


def parse_comment(text: str) -> DocInfo:
    """Read a doc comment's text (``/** */`` markers and leading ``*`` already removed)."""
    prose = parse_docstring(text)
    found = _Found(set(prose.params), set(prose.typed_params), prose.returns, prose.returns_typed, prose.raises)
    found.examples = prose.examples
    tags: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        tag = _TAG.match(line)
        if tag:
            tags.append((tag.group(1).lower(), [tag.group(2)]))
        elif tags:
            tags[-1][1].append(line)
    for name, body_lines in tags:
        body = "\n".join(body_lines).strip()
        if name in ("param", "arg", "argument"):
            entry = _JSDOC_PARAM.match(body)
            if entry:
                # ``@param props.items`` documents ``props`` and the destructured ``items``.
                parts = entry.group(2).split(".")
                found.params.update({parts[0], parts[-1]})
                if entry.group(1):
                    found.typed.update({parts[0], parts[-1]})
        elif name in ("returns", "return", "yields", "yield") and body:
            found.returns = True
            found.returns_typed = found.returns_typed or body.startswith("{")
        elif name in ("throws", "throw", "exception") and body:
            found.raises = True
        elif name == "example" and _HAS_WORD.search(body):
            found.examples = True
    return _info(text, found)


def _info(text: str, found: _Found) -> DocInfo:
    return DocInfo(
        text,
        frozenset(found.params),
        frozenset(found.typed),
        found.returns,
        found.returns_typed,
        found.raises,
        found.examples,
    )


def _headers(lines: list[str]) -> list[tuple[int, str, str, int, str]]:
    """(line, kind, style, indent, text after the colon) for every section header.

    A "name:" line indented inside an open Google section is an entry of it (a parameter
    called ``errors`` or ``output``), not a header.
    """
    headers = []
    open_indent: int | None = None
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if open_indent is not None and line.strip() and indent <= open_indent:
            open_indent = None
        header = _HEADER.match(line)
        if not header:
            continue
        kind = DOC_SECTION_KINDS[header.group(3).lower()]
        inline = (header.group(5) or "").strip()
        if header.group(2):
            headers.append((number, kind, "hash", indent, inline))
        elif header.group(4):
            if open_indent is None:
                headers.append((number, kind, "google", indent, inline))
                open_indent = indent
        elif number + 1 < len(lines) and _DASHES.match(lines[number + 1]):
            headers.append((number, kind, "numpy", indent, ""))
    return headers


def _read_section(kind: str, style: str, body: list[str], found: _Found) -> None:
    if kind == "returns":
        found.returns = True
        first = next(line for line in body if line.strip())
        pattern = _NUMPY_RETURN_TYPE if style == "numpy" else _GOOGLE_RETURN_TYPE
        found.returns_typed = found.returns_typed or bool(pattern.match(first))
    elif kind == "raises":
        found.raises = True
    elif kind == "examples":
        found.examples = True
    elif kind == "params":
        entries = [line for line in body if line.strip()]
        indent = min(len(line) - len(line.lstrip()) for line in entries)
        for line in entries:
            if len(line) - len(line.lstrip()) != indent:
                continue
            _read_entry(line.strip(), style, found)


def _read_entry(line: str, style: str, found: _Found) -> None:
    if style == "numpy":
        numpy = _NUMPY_ENTRY.match(line)
        if numpy:
            names = [name.strip().lstrip("*") for name in numpy.group(1).split(",")]
            found.params.update(names)
            if numpy.group(2):
                found.typed.update(names)
            return
    google = _GOOGLE_ENTRY.match(line)
    if google:
        name = google.group(1).lstrip("*")
        found.params.add(name)
        if google.group(2):
            found.typed.add(name)


def _read_sphinx(line: str, found: _Found) -> None:
    param = _SPHINX_PARAM.match(line)
    if param:
        found.params.add(param.group(2))
        if param.group(1):
            found.typed.add(param.group(2))
        return
    typed = _SPHINX_TYPE.match(line)
    if typed:
        found.typed.add(typed.group(1))
    found.returns = found.returns or bool(_SPHINX_RETURNS.match(line))
    found.returns_typed = found.returns_typed or bool(_SPHINX_RTYPE.match(line))
    found.raises = found.raises or bool(_SPHINX_RAISES.match(line))


def _has_fenced_code(text: str) -> bool:
    return any(_HAS_WORD.search(match.group(2)) for match in _FENCED_CODE.finditer(text))
