"""One docstring or doc comment read into what it documents.

Python docstrings in the Google (``Args:``), NumPy (``Parameters`` over dashes) and
reST/Sphinx (``:param x:``) styles are read by `docstring_parser`_; Markdown-style headers as
in rustdoc (``# Examples``) and JSDoc / Javadoc tags (``@param {T} x``) by the small readers
below. A section counts only when it has a body.

.. _docstring_parser: https://github.com/rr-/docstring_parser
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from docstring_parser import Docstring, ParseError, numpydoc, rest
from docstring_parser.google import GoogleParser, Section, SectionType

from codescribe.engine.quality.rubrics import DOC_SECTION_KINDS, PROSE_MENTION_CREDIT

__all__ = ["SPHINX_ROLE", "DocInfo", "parse_comment", "parse_docstring", "parse_prose_comment", "read_docstring"]

#: A Sphinx role (https://www.sphinx-doc.org/en/master/usage/referencing.html): its name, the text it
#: shows and its target: ``:class:`~pkg.Foo```, ``:py:meth:`the send method <Client.send>```, ``:rfc:`5891```.
SPHINX_ROLE = re.compile(r":(?:py:|js:)?([a-z]+):`~?!?([^`<]*?)(?:\s*<([^>`]+)>)?`")

#: How docstring_parser files each kind of section, and how many entries the section holds.
_SECTION_KEYS: dict[str, tuple[str, SectionType]] = {
    "params": ("param", SectionType.MULTIPLE),
    "returns": ("returns", SectionType.SINGULAR_OR_MULTIPLE),
    "raises": ("raises", SectionType.MULTIPLE),
    "examples": ("examples", SectionType.SINGULAR),
    "other": ("other", SectionType.SINGULAR),
}
#: Google sections under every header CodeScribe knows ("Keyword Args", "Usage", "Panics", ...).
_GOOGLE = GoogleParser(
    [
        Section(title, *_SECTION_KEYS[kind])
        for name, kind in DOC_SECTION_KINDS.items()
        for title in {name.capitalize(), name.title()}
    ]
)
_NUMPY = numpydoc.NumpydocParser()
_HASH_HEADER = re.compile(r"^\s*#{1,4}\s*(\w[\w ]*?)\s*$")
_HASH_ENTRY = re.compile(r"^\s*[-*+]\s+`?(\*{0,2}[A-Za-z_$][\w$]*)`?\s*(?::|\s[-–]{1,2}\s)")
_TYPE = re.compile(r"^[\w.]+(?:\[.*\])?(?:\s*\|\s*[\w.]+(?:\[.*\])?)*$")
_EXAMPLE_MARKERS = re.compile(r"^\s*(?:>>>\s*\S|\.\. (?:code-block|code|doctest)::)", re.MULTILINE)
#: An "Examples:" or "Usage:" header with code below it, indented or not (``q = QueryParams("a=1")``).
_CODE_UNDER_EXAMPLES = re.compile(
    r"^[ \t]*(?:Examples?|Usage)[ \t]*:{0,2}[ \t]*\n(?:[ \t]*\n)*[ \t]*[\w$.]+[ \t]*(?:\(|=[^=])", re.MULTILINE
)
_FENCED_CODE = re.compile(r"^\s*(`{3,}|~{3,})[^\n]*\n(.*?)^\s*\1", re.MULTILINE | re.DOTALL)
_TAG = re.compile(r"^\s*@(\w+)\b(.*)$")
_JSDOC_PARAM = re.compile(r"^\s*(?:\{([^}]*)\}\s*)?\[?\s*([\w$]+(?:\.[\w$]+)*)")
_HAS_WORD = re.compile(r"\w")
#: reST fields with the type in parentheses after the name (``:param text (str):``, ``:return (str):``), a
#: variant python-slugify and others write; docstring_parser reads ``:param TYPE NAME:`` and ``:returns TYPE:``.
_REST_PARAM_TYPE_AFTER = re.compile(
    r"^(\s*:(?:param|parameter|arg|argument|key|keyword)\s+)(\*{0,2}\w+)\s*\(([^():]+)\)\s*:", re.MULTILINE
)
_REST_RETURN_TYPE = re.compile(r"^(\s*:(?:returns?|yields?)\s*)\(([^():]+)\)\s*:", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What one doc says: which parameters it documents, and whether it covers returns, raises, examples.

    Attributes:
        text: The doc's text as read.
        params: Parameters with an entry of their own (Args entry, ``:param:``, ``@param``).
        typed_params: Parameters whose entry states a type.
        returns: Whether a returns (or yields) section or tag has a body.
        returns_typed: Whether that section states the returned type.
        raises: Whether a raises (or throws, panics) section or tag has a body.
        examples: Whether the doc holds an example: an examples section, ``>>>`` lines, or fenced code.
        prose_params: Whether naming a parameter in the prose documents it fully (Go's and Rust's
            convention), not only in part.
    """

    text: str
    params: frozenset[str] = frozenset()
    typed_params: frozenset[str] = frozenset()
    returns: bool = False
    returns_typed: bool = False
    raises: bool = False
    examples: bool = False
    prose_params: bool = False

    def param_credit(self, name: str) -> float:
        """How well the doc covers one parameter.

        Args:
            name: The parameter's name as the signature spells it.

        Returns:
            1.0 for an entry of its own, ``PROSE_MENTION_CREDIT`` when the text only names it, else 0.0.

        Examples:
            >>> info = parse_docstring("Add.\\n\\nArgs:\\n    a: The first number.\\n\\nUse with b.")
            >>> info.param_credit("a"), info.param_credit("b"), info.param_credit("c")
            (1.0, 0.5, 0.0)
        """
        if name in self.params:
            return 1.0
        if not _word_pattern(name).search(self.text):
            return 0.0
        return 1.0 if self.prose_params else PROSE_MENTION_CREDIT


@lru_cache(maxsize=1024)
def _word_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")


@dataclass(slots=True)
class _Found:
    params: set[str] = field(default_factory=set)
    typed: set[str] = field(default_factory=set)
    returns: bool = False
    returns_typed: bool = False
    raises: bool = False
    examples: bool = False

    def info(self, text: str) -> DocInfo:
        return DocInfo(
            text,
            frozenset(self.params),
            frozenset(self.typed),
            self.returns,
            self.returns_typed,
            self.raises,
            self.examples,
        )


def parse_docstring(text: str, *, clean: bool = True) -> DocInfo:
    """Read a Python docstring, or a doc comment's prose, into what it documents.

    The Google, NumPy and reST styles are tried and the reading that finds the most sections
    wins, as docstring_parser's own ``AUTO`` style does.

    Args:
        text: The docstring's text, without quotes.
        clean: Whether to dedent it first (``inspect.cleandoc``); pass False when it already is.

    Returns:
        The parameters, returns, raises and examples the docstring documents.

    Examples:
        >>> info = parse_docstring('''Parse it.
        ...
        ... Args:
        ...     text (str): The input.
        ...
        ... Returns:
        ...     int: How long it is.
        ... ''')
        >>> sorted(info.params), sorted(info.typed_params), info.returns, info.returns_typed, info.raises
        (['text'], ['text'], True, True, False)
    """
    text = inspect.cleandoc(text) if clean else text
    return _read_sections(text).info(text)


def _read_sections(text: str) -> _Found:
    """What a cleaned docstring's sections (any style, rustdoc's ``# Examples`` too) and examples document."""
    found = _Found()
    _read_parsed(read_docstring(text), found)
    _read_hash_sections(text.splitlines(), found)
    found.examples = (
        found.examples
        or bool(_EXAMPLE_MARKERS.search(text) or _CODE_UNDER_EXAMPLES.search(text))
        or _has_fenced_code(text)
    )
    return found


def parse_comment(text: str) -> DocInfo:
    """Read a doc comment's text: JSDoc / Javadoc tags (``@param {T} x``) and its prose sections.

    Args:
        text: The comment's text, with its ``/** */`` markers and leading ``*`` already removed.

    Returns:
        What the comment documents; tags and prose sections both count.

    Examples:
        >>> info = parse_comment("Slugify.\\n@param {string} text - The text.\\n@returns {string} The slug.")
        >>> sorted(info.params), sorted(info.typed_params), info.returns, info.returns_typed
        (['text'], ['text'], True, True)
    """
    found = _read_sections(inspect.cleandoc(text))
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
    return found.info(text)


def parse_prose_comment(text: str) -> DocInfo:
    r"""Read a Go or Rust doc comment, whose conventions are prose rather than sections.

    Go's doc comments (https://go.dev/doc/comment) and Rust's API guidelines
    (https://rust-lang.github.io/api-guidelines/documentation.html) name the parameters in sentences,
    say what is returned in words ("reports whether", "returns"), give examples as indented code
    (Go) or under ``# Examples`` (Rust), and errors under ``# Errors`` / ``# Panics`` (Rust) or in
    words (Go). So a parameter named in the prose is documented, and so on.

    Args:
        text: The comment's text, its ``//`` or ``///`` markers removed.

    Returns:
        What the comment documents.

    Examples:
        >>> info = parse_prose_comment("Equal reports whether a and b are equal.\n\n\ta.Equal(1, 1)\n")
        >>> info.param_credit("a"), info.returns, info.examples
        (1.0, True, True)
    """
    found = parse_docstring(text)
    return replace(
        found,
        text=text,
        returns=found.returns or bool(_PROSE_RETURNS.search(text)),
        raises=found.raises or bool(_PROSE_RAISES.search(text)),
        examples=found.examples or any(line.startswith(("\t", "    ")) and line.strip() for line in text.splitlines()),
        prose_params=True,
    )


_PROSE_RETURNS = re.compile(r"\b(?:returns?|returning|reports?\s+(?:whether|if)|yields?)\b|^#+\s*Returns", re.I | re.M)
_PROSE_RAISES = re.compile(r"^#+\s*(?:Errors|Panics)\b|\b(?:panics?|returns?\s+an?\s+error)\b", re.I | re.M)


def read_docstring(text: str) -> Docstring | None:
    r"""docstring_parser's reading of a Python docstring in the style that finds the most sections.

    Args:
        text: the docstring, cleaned (``inspect.cleandoc``).

    Returns:
        The reading (Google with CodeScribe's section names, NumPy or reST); ``None`` when no style parses.

    Examples:
        >>> reading = read_docstring("Add.\n\nArgs:\n    a: The first number.")
        >>> [p.arg_name for p in reading.params]
        ['a']
    """
    best: Docstring | None = None
    if ":" in text:
        # A role's colons would end a Google entry's type (``console (:class:`Console`): ...``): it is read
        # as the literal it shows, and a type keeps only its name.
        text = SPHINX_ROLE.sub(_literal, text)
        text = _REST_RETURN_TYPE.sub(r"\1\2:", _REST_PARAM_TYPE_AFTER.sub(r"\1\3 \2:", text))
    for parse in (_GOOGLE.parse, _NUMPY.parse, rest.parse):
        try:
            reading = parse(text)
        except ParseError:
            continue
        if best is None or len(reading.meta) > len(best.meta):
            best = reading
    for item in best.meta if best is not None else ():
        if isinstance(getattr(item, "type_name", None), str):
            item.type_name = item.type_name.replace("``", "")  # type: ignore[attr-defined]
    return best


def _literal(role: re.Match[str]) -> str:
    """A Sphinx role as the literal it shows: ``~pkg.Foo`` shows ``Foo``; a titled one its title."""
    if role.group(1) in ("rfc", "pep"):
        return role.group(0)  # a standard, not a name: the page writes "RFC 5891"
    shown = (role.group(2) or role.group(3) or "").strip()
    return f"``{shown.rsplit('.', 1)[-1] if '~' in role.group(0) else shown}``"


def _read_parsed(reading: Docstring | None, found: _Found) -> None:
    if reading is None:
        return
    for param in reading.params:
        if not (param.description or param.type_name):
            continue
        # NumPy lets one entry document several parameters: ``a, b : int``.
        names = {name.strip().lstrip("*") for name in param.arg_name.split(",")}
        found.params.update(names)
        if param.type_name:
            found.typed.update(names)
    for returned in reading.many_returns:
        if returned.description or returned.type_name:
            found.returns = True
            found.returns_typed = found.returns_typed or bool(returned.type_name and _TYPE.match(returned.type_name))
    found.raises = found.raises or any(raised.description or raised.type_name for raised in reading.raises)
    found.examples = found.examples or any(
        _HAS_WORD.search(f"{example.snippet or ''} {example.description or ''}") for example in reading.examples
    )


def _read_hash_sections(lines: list[str], found: _Found) -> None:
    """Markdown-style sections, as rustdoc writes them: ``# Examples``, ``# Errors``, ``# Arguments``."""
    headers = [
        (number, DOC_SECTION_KINDS[match.group(1).lower()])
        for number, line in enumerate(lines)
        if (match := _HASH_HEADER.match(line)) and match.group(1).lower() in DOC_SECTION_KINDS
    ]
    for index, (start, kind) in enumerate(headers):
        end = headers[index + 1][0] if index + 1 < len(headers) else len(lines)
        body = lines[start + 1 : end]
        if not any(_HAS_WORD.search(line) for line in body):
            continue
        if kind == "params":
            found.params.update(entry.group(1).lstrip("*") for line in body if (entry := _HASH_ENTRY.match(line)))
        found.returns = found.returns or kind == "returns"
        found.raises = found.raises or kind == "raises"
        found.examples = found.examples or kind == "examples"


def _has_fenced_code(text: str) -> bool:
    return any(_HAS_WORD.search(match.group(2)) for match in _FENCED_CODE.finditer(text))
