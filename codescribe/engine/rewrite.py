r"""Docstrings rewrites that change documentation and nothing else.

A docstrings run hands back the user's code with documentation added. Whoever wrote the rewrite (a
model, or the offline engine), :func:`merge_documentation` makes that true in two steps:

1. **Only documentation changed** (:func:`code_change`). For Python, the syntax tree without its
   docstrings (a scope's first string, and the string after an assignment, which griffe and Sphinx
   read as the attribute's docstring) is the original's; for the tree-sitter languages, the tokens
   without comments are the original's. Otherwise the rewrite is refused, saying where the code
   differs.
2. **The original's layout is kept.** The rewrite's documentation is carried into the original
   text, which is otherwise left byte for byte as it was: indentation (tabs or spaces, and their
   width), line endings, byte-order mark, final newline and formatting. A Python docstring goes in
   its scope (or replaces the one there); a doc comment goes on its own lines above the
   declaration, above its decorators, attributes and annotations, replacing the doc comment already
   attached there (a JSDoc or Javadoc block even across blank lines, as TypeScript attaches it),
   unless that JSDoc block holds tags TypeScript reads as code (``@typedef``, ``@private``,
   ``@param {string} x``) that the new one drops: the author's block then stays. Comments the
   rewrite left out are kept. The result is checked again before it is returned.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, AnyStr

from .analysis import declared_encoding
from .cpu import parse_python

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tree_sitter import Node

__all__ = ["CodeChangedError", "Piece", "apply_answer", "code_change", "cr_only", "merge_documentation", "pieces"]

_BOM = "\ufeff"
_FENCED = re.compile(r"```[\w+-]*\r?\n(.*?)\r?\n```", re.DOTALL)
_LINE_BREAK = re.compile(rb"[\r\n]")
_SCOPES = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
_ASSIGNMENTS: tuple[type[ast.stmt], ...] = (ast.Assign, ast.AnnAssign, getattr(ast, "TypeAlias", ast.AnnAssign))
#: JSDoc tags TypeScript reads as part of the program (types, visibility, generics: https://www.typescriptlang.org/docs/
#: handbook/jsdoc-supported-types.html): a doc comment that holds them is code, and is never replaced without them.
_TYPE_TAGS = re.compile(
    rb"@(?:typedef|type|callback|template|private|protected|public|internal|readonly|enum|this|satisfies|overload|"
    rb"import|augments|extends|implements|class|constructor|property|prop|param|arg|argument|returns?)\b"
    rb"[ \t]*(?:\{[^}\n]*\})?[ \t]*[\w$.\[\]=]*"
)
_JSDOC_LANGUAGES = frozenset({"javascript", "typescript", "tsx"})
#: Nodes that sit between a doc comment and its declaration: decorators, attributes, annotations.
_DECORATORS = frozenset({"decorator", "attribute_item", "marker_annotation", "annotation"})
#: Comments that document what follows in their language's own syntax (``/** */``, ``///``).
_DOC_COMMENT = re.compile(rb"^(?:/\*\*(?!/)|///(?!/))")


class CodeChangedError(ValueError):
    """A rewrite changed more than documentation, so it cannot be applied.

    The message says what changed (``it drops 2 of 3 definitions (remove_item, total)``, ``it
    changes code at line 2: ...``); :attr:`reason` holds it too.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def code_change(original: str, rewritten: str, language: str) -> str | None:
    r"""What a rewrite changed besides documentation, or ``None`` when it changed documentation only.

    Args:
        original: the file's text (a leading byte-order mark is ignored).
        rewritten: the rewrite's text.
        language: the file's language (``python``, or a tree-sitter language: ``go``, ``rust`` ...).

    Returns:
        ``None``, or a sentence on the first difference (``it does not parse (line 3: ...)``, ``it
        drops 2 of 3 definitions (remove_item, total)``, ``it changes code at line 2: `...` ``).

    Raises:
        KeyError: ``language`` is not one CodeScribe analyses.

    Examples:
        >>> code_change("def f():\n    return 1\n", 'def f():\n    "One."\n    return 1\n', "python")
        >>> code_change("def f():\n    return 1\n", 'def f():\n    "One."; g()\n    return 1\n', "python")
        'it changes code at line 2: `"One."; g()`'
        >>> code_change("let a = 1;\n", "/** A. */\nlet a = 1; // one\n", "javascript")
    """
    original, rewritten = original.removeprefix(_BOM), rewritten.removeprefix(_BOM)
    if (bare := _BARE_CR.search(rewritten)) and not _BARE_CR.search(original):
        line = rewritten[: bare.start()].count("\n") + 1
        return f"it adds a bare carriage return (line {line}), which ends a line of code"
    if language == "java":  # javac reads \u escapes before anything else (JLS 3.3): `\u002a/` ends a comment
        original, rewritten = _java_unescaped(original), _java_unescaped(rewritten)
    if language == "python":  # only docstrings are carried from a Python rewrite: never a comment
        return _python_change(original, rewritten)
    before, after = _parse(original, language), _parse(rewritten, language)
    found = _token_change(before, after, rewritten) or _directive_change(before, after, original, language)
    return found or (_cgo_change(before, after) if language == "go" else None)


def syntax_error(source: str, language: str) -> str | None:
    r"""Where a source does not parse in its language, or ``None`` when it parses.

    A file that does not parse gets no docstrings: where a definition begins and ends is a guess
    there, and the check that a rewrite changed documentation only cannot be made.

    Args:
        source: the file's text.
        language: its language (``python``, or a tree-sitter language).

    Returns:
        ``"syntax error at line 2"`` (Python's own parser; tree-sitter's first error for the others), or ``None``.

    Examples:
        >>> syntax_error('def f(a):\n    print "hi", a\n', "python")
        'syntax error at line 2'
        >>> syntax_error("function f( {\n}\n", "javascript")
        'syntax error at line 1'
        >>> syntax_error("def f():\n    return 1\n", "python") is None
        True
    """
    source = source.removeprefix(_BOM)
    if language == "python":
        try:
            parse_python(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            return f"syntax error at line {getattr(error, 'lineno', None) or 1}"
        return None
    from .analysis.bounded_parse import ParseTooCostly
    from .analysis.languages import first_error_line
    from .analysis.treesitter import parse_tree

    try:
        root = parse_tree(source, language)[1]
    except ParseTooCostly as exc:
        return str(exc)
    return f"syntax error at line {first_error_line(root)}" if root.has_error else None


def merge_documentation(original: str, rewritten: str, language: str) -> str:
    r"""The original text with the rewrite's documentation carried into it, and nothing else changed.

    Args:
        original: the file's text, exactly as read (line endings and byte-order mark kept).
        rewritten: the rewrite (a model's answer, or the offline engine's).
        language: the file's language.

    Returns:
        The original with the rewrite's new or changed docstrings (doc comments) in place; the
        original itself when the rewrite documents nothing new.

    Raises:
        CodeChangedError: the rewrite changed code (the message says what), or its documentation
            could not be placed without changing code.
        KeyError: ``language`` is not one CodeScribe analyses.

    Examples:
        >>> original = "def add(a, b):\r\n\treturn a + b\r\n"
        >>> merge_documentation(original, 'def add(a, b):\n    "Add."\n    return a + b', "python")
        'def add(a, b):\r\n\t"Add."\r\n\treturn a + b\r\n'
        >>> js = "export class A {\n  @log\n  run() {}\n}\n"
        >>> print(merge_documentation(js, "export class A {\n  @log\n  /** Run. */\n  run() {}\n}", "typescript"))
        export class A {
          /** Run. */
          @log
          run() {}
        }
        <BLANKLINE>
    """
    if rewritten.removeprefix(_BOM) == original.removeprefix(_BOM):
        return original  # nothing to carry (a file that does not parse comes back so from the offline engine)
    change = code_change(original, rewritten, language)
    if change is not None:
        raise CodeChangedError(change)
    bom = _BOM if original.startswith(_BOM) else ""
    body, rewritten = original.removeprefix(_BOM), rewritten.removeprefix(_BOM)
    if cr_only(body):  # classic Mac line endings: merged as \n, handed back as they were
        return bom + merge_documentation(body.replace("\r", "\n"), _lf(rewritten), language).replace("\n", "\r")
    merged = _merge_python(body, rewritten) if language == "python" else _merge_comments(body, rewritten, language)
    after = code_change(body, merged, language) or _placement_change(body, merged, language)
    if after is not None:  # never hand back code the check refuses, whatever went wrong in placing
        raise CodeChangedError(f"its documentation could not be placed without changing code ({after})")
    encoding = declared_encoding(body, language)
    try:
        merged.encode(encoding)
    except UnicodeEncodeError as error:
        character = merged[error.start]
        raise CodeChangedError(
            f"its documentation has a character ({character!r}) the file's declared encoding {encoding} cannot hold"
        ) from None
    return bom + merged


def cr_only(text: str) -> bool:
    r"""Whether ``text``'s lines end at a lone ``\r`` (classic Mac OS), which Python's parser reads as line ends too.

    Args:
        text: a file's text.

    Returns:
        ``True`` when it has a ``\r`` and no ``\n``.

    Examples:
        >>> cr_only("a = 1\rb = 2\r"), cr_only("a = 1\r\nb = 2\r\n")
        (True, False)
    """
    return "\r" in text and "\n" not in text


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def apply_answer(answer: str, original: str, language: str) -> str:
    r"""The original with the documentation of a docstrings answer carried into it.

    The rewritten file is the answer's code: between its first fence and its last (a file may hold
    fences of its own, in a docstring), else its longest fenced block, else the whole answer; the
    first of these that changes documentation only is used.

    Args:
        answer: what the writer answered (a model's text, or the offline engine's rewrite).
        original: the file's text, exactly as read.
        language: the file's language.

    Returns:
        The merged text (see :func:`merge_documentation`).

    Raises:
        CodeChangedError: no reading of the answer changes documentation only; the message says what
            the first one changed.
        KeyError: ``language`` is not one CodeScribe analyses.

    Examples:
        >>> answer = 'Here it is:\n\n```python\ndef f():\n    "Return one."\n    return 1\n```\n'
        >>> apply_answer(answer, "def f():\n    return 1\n", "python")
        'def f():\n    "Return one."\n    return 1\n'
    """
    lines = answer.split("\n")
    fences = [index for index, line in enumerate(lines) if line.lstrip().startswith("```")]
    candidates = []
    if len(fences) >= 2:
        candidates.append("\n".join(lines[fences[0] + 1 : fences[-1]]))
    blocks = _FENCED.findall(answer)
    if blocks:
        candidates.append(max(blocks, key=len))
    candidates.append(answer)
    first: CodeChangedError | None = None
    for candidate in dict.fromkeys(candidates):
        try:
            return merge_documentation(original, candidate, language)
        except CodeChangedError as error:
            first = first or error
    assert first is not None
    raise first


@dataclass(frozen=True)
class Piece:
    """A run of whole top-level definitions of a file, rewritten on its own when the file is too big.

    Attributes:
        start: where it starts in the file's text (a character offset).
        end: where it ends (exclusive); the pieces of a file cover it, in order.
        first_line: its first line, 1-based.
        last_line: its last line.
        fits: whether it fits the budget; a piece that does not is one definition too big by itself,
            left as it is.
    """

    start: int
    end: int
    first_line: int
    last_line: int
    fits: bool


def pieces(source: str, language: str, budget: int) -> list[Piece]:
    r"""Cut a file into runs of whole top-level definitions, each at most ``budget`` characters.

    A definition keeps the comments and decorators above it; each run is as long as the budget
    allows, so a file too big for one prompt is rewritten a few definitions at a time and loses
    nothing. A definition longer than the budget by itself is a piece of its own that does not
    fit.

    Args:
        source: the file's text.
        language: its language.
        budget: the most characters one piece may hold.

    Returns:
        The pieces, covering ``source`` in order; one piece when it fits whole.

    Raises:
        KeyError: ``language`` is not one CodeScribe analyses.

    Examples:
        >>> code = "def a():\n    return 1\n\n\ndef b():\n    return 2\n"
        >>> [(p.first_line, p.last_line, p.fits) for p in pieces(code, "python", 30)]
        [(1, 2, True), (3, 6, True)]
    """
    if len(source) <= budget:
        return [Piece(0, len(source), 1, source.count("\n") + 1, True)]
    bounds = _unit_ends(source, language)
    found: list[Piece] = []
    start = 0
    for index, end in enumerate(bounds):
        last = index == len(bounds) - 1
        if not last and bounds[index + 1] - start <= budget:
            continue  # the next unit fits in this piece too
        first_line = source.count("\n", 0, start) + 1
        last_line = first_line + source.count("\n", start, max(start, end - 1))
        found.append(Piece(start, end, first_line, last_line, end - start <= budget))
        start = end
    return found


def _unit_ends(source: str, language: str) -> list[int]:
    """Where each top-level unit ends (a character offset), the last at the end of the file."""
    ends: list[int] = []
    if language == "python":
        try:
            body = parse_python(source.removeprefix(_BOM)).body
        except SyntaxError:
            return [len(source)]
        starts = _line_starts(source.split("\n"))
        for statement in body[:-1]:
            line = statement.end_lineno or statement.lineno
            ends.append(starts[line] if line < len(starts) else len(source))
    else:
        from .analysis.treesitter import parse_tree

        data, root = parse_tree(source, language)
        for node, following in itertools.pairwise(root.named_children):
            if "comment" in node.type or node.type in _DECORATORS or following.start_point.row == node.end_point.row:
                continue  # comments and attributes go with what follows them, and a line is never cut
            end = data.rfind(b"\n", 0, following.start_byte) + 1
            ends.append(len(data[:end].decode("utf-8", "replace")))
    ends = sorted({end for end in ends if 0 < end < len(source)})
    return [*ends, len(source)]


# -- Python -------------------------------------------------------------------------------------


#: A carriage return that does not start a CRLF: a line break in every language here (and refused by rustc in a
#: doc comment), where a reader sees none.
_BARE_CR = re.compile(r"\r(?!\n)")
_JAVA_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u+([0-9a-fA-F]{4})")
#: Comments a compiler or a tool reads as instructions, by language: Go's directives (``//go:generate`` runs a
#: command, ``//go:build`` leaves a file out: "go help buildconstraint", the gc compiler's directives, cgo's
#: ``//export``), TypeScript's triple-slash directives and ``@ts-`` pragmas, lint switches and source maps.
_DIRECTIVES = {
    "go": re.compile(
        r"^(?://|/\*)(?:go:|line |export |extern |\s*\+build\b)|#cgo\b|//\s*nolint\b|//\s*lint:", re.MULTILINE
    ),
    # javac warns of a @deprecated element (and -Werror fails the build)
    "java": re.compile(r"^[/*\s]*@deprecated\b", re.MULTILINE),
    "javascript": re.compile(
        r"^///\s*<|^[/*\s]*(?:@ts-(?:ignore|nocheck|check|expect-error)|eslint-(?:disable|enable)|@jsx\w*\b|@flow\b"
        r"|[#@]\s*source(?:Mapping)?URL=)"
        r"|@internal\b",  # anywhere in a comment: tsc --stripInternal then leaves the declaration out
        re.MULTILINE,
    ),
}
_DIRECTIVES["typescript"] = _DIRECTIVES["tsx"] = _DIRECTIVES["javascript"]


def _java_unescaped(text: str) -> str:
    r"""Java source as javac reads it: each unicode escape (``\u002a``, with any number of ``u``) replaced by
    its character, unless its backslash is itself escaped (JLS 3.3)."""
    return _JAVA_ESCAPE.sub(lambda match: match.group(1) + chr(int(match.group(2), 16)), text)


def _cgo_change(before: _Parsed, after: _Parsed) -> str | None:
    """A change to the comment right above ``import "C"``: cgo compiles it as C (its "preamble")."""
    old, new = _cgo_preamble(before), _cgo_preamble(after)
    return None if old == new else 'it changes the comment above import "C", which cgo compiles as C code'


def _cgo_preamble(parsed: _Parsed) -> list[bytes]:
    """The comment group directly above each ``import "C"`` (no blank line between), as cgo reads it."""
    data, found = parsed.data, []
    comments = [node for _, node in parsed.comments]
    for match in _IMPORT_C.finditer(data):
        group: list[bytes] = []
        end = match.start()
        for node in reversed([node for node in comments if node.end_byte <= end]):
            if data[node.end_byte : end].strip() or data[node.end_byte : end].count(b"\n") > 1:
                break
            group.insert(0, data[node.start_byte : node.end_byte])
            end = node.start_byte
        found.append(b"\n".join(group))
    return found


_IMPORT_C = re.compile(rb'(?m)^[ \t]*import[ \t]+(?:"C"|`C`)')


def _directive_change(before: _Parsed, after: _Parsed, original: str, language: str) -> str | None:
    """A comment the rewrite adds that a compiler or tool obeys (:data:`_DIRECTIVES`): code, though a comment."""
    pattern = _DIRECTIVES.get(language)
    if pattern is None:
        return None
    old, new = (Counter(_directive_lines(parsed, pattern)) for parsed in (before, after))
    added = new - old
    if language == "java" and sum(added.values()) <= len(re.findall(r"@Deprecated\b", original)) - sum(old.values()):
        return None  # the Javadoc tag of an element the code already marks @Deprecated: javac sees no change
    if not added:
        return None
    return f"it adds a comment its language's tools obey: `{next(iter(added))[:80]}`"


def _directive_lines(parsed: _Parsed, pattern: re.Pattern[str]) -> list[str]:
    """The lines of the parsed text's comments that match ``pattern``, stripped."""
    comments = (parsed.data[node.start_byte : node.end_byte].decode("utf-8", "replace") for _, node in parsed.comments)
    lines = [line.strip() for comment in comments for line in comment.splitlines()]
    return [line for line in lines if pattern.search(line)]


def _python_change(original: str, rewritten: str) -> str | None:
    try:
        before = parse_python(original)
    except SyntaxError:
        return None if original == rewritten else "the original does not parse, so no rewrite can be checked"
    try:
        after = parse_python(rewritten)
    except SyntaxError as error:
        return f"it does not parse (line {error.lineno}: {error.msg})"
    _strip_docstrings(before)
    _strip_docstrings(after)
    if ast.dump(before) == ast.dump(after):
        return None
    names_before, names_after = _definitions(before), _definitions(after)
    missing = [name for name in names_before if name not in set(names_after)]
    if missing:
        listed = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
        return f"it drops {len(missing):,} of {len(names_before):,} definitions ({listed})"
    added = [name for name in names_after if name not in set(names_before)]
    if added:
        return f"it adds definitions ({', '.join(added[:5])})"
    for node_before, node_after in zip(_preorder(before), _preorder(after), strict=False):
        if _shape(node_before) != _shape(node_after):
            return _at_line(rewritten, getattr(node_after, "lineno", 0))
    return "it changes code"


def _strip_docstrings(tree: ast.AST) -> dict[tuple[int, int], ast.Expr]:
    """Remove every docstring from ``tree``; return them by (scope number, statement index they precede)."""
    found: dict[tuple[int, int], ast.Expr] = {}
    scopes = [node for node in _preorder(tree) if isinstance(node, _SCOPES)]
    for number, scope in enumerate(scopes):
        kept: list[ast.stmt] = []
        body: list[ast.stmt] = scope.body
        for index, statement in enumerate(body):
            attribute = index > 0 and not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef)
            documents = index == 0 or (attribute and isinstance(body[index - 1], _ASSIGNMENTS))
            if documents and _is_string(statement) and (number, len(kept)) not in found:  # a second string is code
                found[(number, len(kept))] = statement  # type: ignore[assignment]
                continue
            kept.append(statement)
        scope.body = kept
    return found


def _is_string(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _preorder(tree: ast.AST) -> list[ast.AST]:
    """Every node, parents before children, without recursion (deep expressions must not crash)."""
    nodes: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return nodes


def _definitions(tree: ast.AST) -> list[str]:
    return [
        node.name for node in _preorder(tree) if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def _shape(node: ast.AST) -> tuple[object, ...]:
    """A node's type and its plain fields (names, constants): preorders that differ part where the code does."""
    fields = []
    for name, value in ast.iter_fields(node):
        values = value if isinstance(value, list) else [value]
        if not any(isinstance(item, ast.AST) for item in values):
            fields.append((name, repr(value)))
    return type(node).__name__, tuple(fields)


def _at_line(text: str, line: int) -> str:
    lines = text.split("\n")
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    return f"it changes code at line {line}: `{shown}`" if shown else "it changes code"


class _PythonMerge:
    """Offsets by ast's (line, UTF-8 column) in the original and the rewrite; lines end at ``\\n``."""

    def __init__(self, original: str, rewritten: str) -> None:
        self.original, self.rewritten = original, rewritten
        self.o_lines, self.r_lines = original.split("\n"), rewritten.split("\n")
        self.o_starts, self.r_starts = _line_starts(self.o_lines), _line_starts(self.r_lines)
        self.newline = "\r\n" if self.o_lines[0].endswith("\r") and len(self.o_lines) > 1 else "\n"
        self.unit = _indent_unit(self.o_lines)

    def offset(self, lines: list[str], starts: list[int], line: int, column: int) -> int:
        prefix = lines[line - 1].encode("utf-8", "surrogatepass")[:column].decode("utf-8", "replace")
        return starts[line - 1] + len(prefix)

    def span(self, node: ast.stmt, *, rewrite: bool = False) -> tuple[int, int]:
        lines, starts = (self.r_lines, self.r_starts) if rewrite else (self.o_lines, self.o_starts)
        start = self.offset(lines, starts, node.lineno, node.col_offset)
        return start, self.offset(lines, starts, node.end_lineno or node.lineno, node.end_col_offset or 0)

    def literal(self, node: ast.stmt, indent: str) -> str:
        """The rewrite's docstring literal, its continuation lines moved from its indent to ``indent``."""
        start, end = self.span(node, rewrite=True)
        old = _indentation(self.r_lines[node.lineno - 1])
        return self.newline.join(_reindent(self.rewritten[start:end].replace("\r\n", "\n").split("\n"), old, indent))


def _reindent(rows: list[AnyStr], old: AnyStr, indent: AnyStr) -> list[AnyStr]:
    """A moved block's rows: each after the first from indent ``old`` to ``indent`` (one not at ``old`` as it is),
    blank ones emptied."""
    return rows[:1] + [
        row[:0] if not row.strip() else indent + row[len(old) :] if row.startswith(old) else row for row in rows[1:]
    ]


def _line_starts(lines: list[str]) -> list[int]:
    return list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))


def _indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _indent_unit(lines: list[str]) -> str:
    for line in lines:
        stripped = line.lstrip(" \t")
        if stripped and stripped[0] != "#" and line != stripped:
            return line[: len(line) - len(stripped)]
    return "    "


def _merge_python(original: str, rewritten: str) -> str:
    before, after = parse_python(original), parse_python(rewritten)
    old_docs, new_docs = _strip_docstrings(before), _strip_docstrings(after)
    scopes = [node for node in _preorder(before) if isinstance(node, _SCOPES)]
    merge = _PythonMerge(original, rewritten)
    edits: list[tuple[int, int, str]] = []
    for key, new in new_docs.items():
        old = old_docs.get(key)
        if old is not None and old.value.value == new.value.value:  # type: ignore[attr-defined]
            continue
        scope, index = scopes[key[0]], key[1]
        if old is not None:
            start, end = merge.span(old)
            edits.append((start, end, merge.literal(new, _indentation(merge.o_lines[old.lineno - 1]))))
        else:
            edits.append(_python_insert(merge, scope, index, new))
    return _spliced(original, edits)


def _spliced(text: AnyStr, edits: Iterable[tuple[int, int, AnyStr]]) -> AnyStr:
    """``text`` with each ``(start, end, replacement)`` made, the last first so that the offsets hold."""
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _python_insert(merge: _PythonMerge, scope: ast.AST, index: int, new: ast.Expr) -> tuple[int, int, str]:
    body: list[ast.stmt] = scope.body  # type: ignore[attr-defined]
    newline = merge.newline
    if index == 0:
        if not body:  # a module of comments only, or empty
            text = merge.original
            lead = "" if not text or text.endswith("\n") else newline
            return len(text), len(text), lead + merge.literal(new, "") + newline
        first = body[0]
        line_number = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", []))])
        own_line = not isinstance(scope, ast.Module) and line_number > scope.lineno  # type: ignore[attr-defined]
        if isinstance(scope, ast.Module) or own_line:
            indent = _indentation(merge.o_lines[line_number - 1])
            start = merge.o_starts[line_number - 1]
            return start, start, indent + merge.literal(new, indent) + newline
        # a one-line body (``def f(): return 1``): the docstring and the body go on lines of their own
        indent = _indentation(merge.o_lines[scope.lineno - 1]) + merge.unit  # type: ignore[attr-defined]
        at = start = merge.span(first)[0]
        while start > 0 and merge.original[start - 1] in " \t":
            start -= 1
        return start, at, newline + indent + merge.literal(new, indent) + newline + indent
    previous = body[index - 1]
    end_line = previous.end_lineno or previous.lineno
    rest = merge.o_lines[end_line - 1].encode("utf-8", "surrogatepass")[previous.end_col_offset or 0 :]
    if rest.strip() and not rest.strip().startswith(b"#"):
        raise CodeChangedError(f"its docstring for line {previous.lineno} cannot go on a line of its own")
    indent = _indentation(merge.o_lines[previous.lineno - 1])
    start = merge.o_starts[end_line] if end_line < len(merge.o_starts) else len(merge.original)
    lead = "" if start == 0 or merge.original[start - 1] == "\n" else newline
    return start, start, lead + indent + merge.literal(new, indent) + newline


# -- tree-sitter languages ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    data: bytes
    root: Node
    tokens: list[tuple[str, bytes]]
    starts: list[int]  # each token's start byte
    nodes: list[Node | None]  # each token's leaf (None for uncovered text)
    comments: list[tuple[int, Node]]  # (tokens before it, comment)


def _parse(source: str, language: str) -> _Parsed:
    from .analysis.bounded_parse import ParseTooCostly
    from .analysis.treesitter import comment_types, parse_tree

    try:
        data, root = parse_tree(source, language)
    except ParseTooCostly as exc:  # an answer no parser can read in reasonable time is not the original's code
        raise CodeChangedError(f"it cannot be read: {exc}") from exc
    comment_kinds = set(comment_types(language))
    tokens: list[tuple[str, bytes]] = []
    starts: list[int] = []
    nodes: list[Node | None] = []
    comments: list[tuple[int, Node]] = []
    covered = 0  # the end of the last leaf or comment: text between two of them is code too
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in comment_kinds or node.child_count == 0:
            gap = data[covered : node.start_byte].strip()
            if gap:
                tokens.append(("text", gap))
                starts.append(covered)
                nodes.append(None)
            if node.type in comment_kinds:
                comments.append((len(tokens), node))
            elif node.end_byte > node.start_byte or node.is_missing:
                tokens.append((node.type, data[node.start_byte : node.end_byte]))
                starts.append(node.start_byte)
                nodes.append(node)
            covered = max(covered, node.end_byte)
            continue
        stack.extend(reversed(node.children))
    tail = data[covered:].strip()
    if tail:
        tokens.append(("text", tail))
        starts.append(covered)
        nodes.append(None)
    return _Parsed(data, root, tokens, starts, nodes, comments)


def _token_change(before: _Parsed, after: _Parsed, rewritten: str) -> str | None:
    if after.root.has_error and not before.root.has_error:
        from .analysis.languages import first_error_line

        return f"it does not parse (near line {first_error_line(after.root)})"
    if before.tokens == after.tokens:
        return None
    difference = len(before.tokens) - len(after.tokens)
    index = next(
        (i for i, (a, b) in enumerate(zip(before.tokens, after.tokens, strict=False)) if a != b),
        min(len(before.tokens), len(after.tokens)),
    )
    at = after.starts[index] if index < len(after.starts) else len(after.data)
    line = after.data[:at].count(b"\n") + 1
    described = _at_line(rewritten, line) if index < len(after.starts) else "it ends early"
    if difference > 0:
        return f"{described} (the rewrite has {difference:,} fewer tokens of code)"
    return described


def _placement_change(original: str, merged: str, language: str) -> str | None:
    """What placing the documentation changed besides tokens: a line break between two tokens
    (JavaScript's automatic semicolons and Go's implicit ones follow line breaks, so a comment put
    after ``return`` changes what the line does), or a Rust doc comment that documents nothing
    (before a ``}``, which rustc refuses). ``None`` when nothing did; Python's check is its AST."""
    if language == "python":
        return None
    before, after = _parse(original, language), _parse(merged, language)
    moved = next((i for i, (a, b) in enumerate(zip(_breaks(before), _breaks(after), strict=True)) if a != b), None)
    if moved is not None:
        line = before.data[: before.starts[moved + 1]].count(b"\n") + 1  # the line in the user's file
        return _at_line(original, line).replace("it changes code", "it puts a line break into code", 1)
    if language == "rust":
        for index, comment in after.comments:
            text = after.data[comment.start_byte : comment.end_byte]
            outer = text.startswith(b"///") and not text.startswith(b"////")
            outer = outer or (text.startswith(b"/**") and not text.startswith((b"/***", b"/**/")))
            if outer and (index >= len(after.tokens) or after.tokens[index][1] == b"}"):
                line = after.data[: comment.start_byte].count(b"\n") + 1
                return f"a doc comment at line {line} documents nothing (rustc refuses it)"
    return None


def _breaks(parsed: _Parsed) -> list[bool]:
    """Whether a line break (comments' own included) separates each token from the next."""
    ends = [start + len(text) for start, (_, text) in zip(parsed.starts, parsed.tokens, strict=True)]
    return [bool(_LINE_BREAK.search(parsed.data, ends[i], parsed.starts[i + 1])) for i in range(len(ends) - 1)]


def _own_line(data: bytes, node: Node) -> bool:
    line_start = data.rfind(b"\n", 0, node.start_byte) + 1
    return not data[line_start : node.start_byte].strip()


def _doc_block(parsed: _Parsed, gap: int, language: str) -> list[Node]:
    """The comments of gap ``gap`` (before token ``gap``) that document what follows it: the doc
    comments right above it (Go: any ``//`` lines); a plain comment is never one of them."""
    data = parsed.data
    in_gap = [node for count, node in parsed.comments if count == gap]
    end = parsed.starts[gap] if gap < len(parsed.starts) else len(data)
    block: list[Node] = []
    for node in reversed(in_gap):
        if not _own_line(data, node) or data[_end(data, node) : end].count(b"\n") > 1:
            break
        end = node.start_byte
        if language == "go" or _DOC_COMMENT.match(data[node.start_byte : node.end_byte]):
            block.insert(0, node)  # Go's doc comments are plain // lines; elsewhere /// and /** */ only
        elif block:
            break  # a plain comment above the doc block ends it (one below it is skipped, and kept)
    if language in ("javascript", "typescript", "tsx", "java") and not any(
        _DOC_COMMENT.match(data[n.start_byte : n.end_byte]) for n in block
    ):
        documented = [n for n in in_gap if _DOC_COMMENT.match(data[n.start_byte : n.end_byte]) and _own_line(data, n)]
        return documented[-1:]  # TypeScript attaches the nearest /** */ above, across blank lines
    return block


def _hoisted(parsed: _Parsed, index: int) -> int:
    """The token a doc comment before token ``index`` belongs above: the first of its decorators."""
    if index >= len(parsed.nodes) or parsed.nodes[index] is None:
        return index
    target = parsed.starts[index]
    moved = True
    while moved:
        moved = False
        node = _outermost_at(parsed.root, target)
        sibling = node.prev_sibling
        while sibling is not None and (sibling.type in _DECORATORS or "comment" in sibling.type):
            if sibling.type in _DECORATORS:  # Rust's #[attributes], decorators in a TypeScript class body
                target, moved = sibling.start_byte, True
            sibling = sibling.prev_sibling
        parent = _outermost_at(parsed.root, target).parent
        before = [c for c in parent.children if c.end_byte <= target] if parent is not None else []
        if (
            parent is not None
            and parent.start_byte < target
            and before
            and all(c.type in _DECORATORS or "comment" in c.type for c in before)
        ):  # Java's annotations inside the modifiers, decorators inside their declaration
            target, moved = parent.start_byte, True
    return next((i for i, start in enumerate(parsed.starts) if start >= target), index)


def _outermost_at(root: Node, byte: int) -> Node:
    """The largest node that starts at ``byte`` (below the root)."""
    node = root.descendant_for_byte_range(byte, byte) or root
    while node.parent is not None and node.parent.parent is not None and node.parent.start_byte == byte:
        node = node.parent
    return node


def _end(data: bytes, node: Node) -> int:
    """Where a comment ends, without the line break tree-sitter-rust counts in a ``//`` comment."""
    end = node.end_byte
    while end > node.start_byte and data[end - 1 : end] in (b"\n", b"\r"):
        end -= 1
    return end


def _text(parsed: _Parsed, block: list[Node]) -> bytes:
    return parsed.data[block[0].start_byte : _end(parsed.data, block[-1])]


def _normalized(text: bytes) -> list[bytes]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _keeps_type_tags(old: bytes, new: bytes) -> bool:
    """Whether ``new`` holds every TypeScript-read JSDoc tag of ``old`` with its type and name (``@param {string}
    x``, ``@private``, ``@typedef HelpContext``); an untyped ``@param x`` may go, since it declares nothing."""

    def tags(text: bytes) -> set[bytes]:
        found = {re.sub(rb"\s+", b"", tag.group(0)) for tag in _TYPE_TAGS.finditer(text)}
        return {tag for tag in found if b"{" in tag or not tag.startswith((b"@param", b"@arg", b"@return"))}

    return tags(old) <= tags(new)


def _merge_comments(original: str, rewritten: str, language: str) -> str:
    before, after = _parse(original, language), _parse(rewritten, language)
    newline = b"\r\n" if b"\r\n" in before.data else b"\n"
    edits: dict[int, tuple[int, int, bytes]] = {}
    for gap in sorted({count for count, _ in after.comments}):
        new = _doc_block(after, gap, language)
        if not new:
            continue
        target = _hoisted(before, gap)
        old = _doc_block(before, target, language) or _doc_block(before, gap, language)
        if old and _normalized(_text(before, old)) == _normalized(_text(after, new)):
            continue
        if old and language in _JSDOC_LANGUAGES and not _keeps_type_tags(_text(before, old), _text(after, new)):
            continue  # the author's @typedef, @private or {types} are the program's, not prose to rewrite
        first_line = after.data[after.data.rfind(b"\n", 0, new[0].start_byte) + 1 : new[0].start_byte]
        at = before.starts[target] if target < len(before.starts) else len(before.data)
        line_start = before.data.rfind(b"\n", 0, at) + 1
        own = not before.data[line_start:at].strip()
        indent = before.data[line_start:at] if own else b""
        block = newline.join(_reindent(_text(after, new).replace(b"\r\n", b"\n").split(b"\n"), first_line, indent))
        if old:
            edits[old[0].start_byte] = (old[0].start_byte, _end(before.data, old[-1]), block)
        elif own:
            previous = before.data[: max(line_start - 1, 0)].rsplit(b"\n", 1)[-1].strip()
            # gofmt sets a doc comment off from the declaration above it: `}` then a blank line
            apart = newline if language == "go" and previous and not previous.endswith((b"{", b"(")) else b""
            apart = b"" if previous.startswith(b"//") else apart
            edits[line_start] = (line_start, at, apart + indent + block + newline + indent)
        else:
            edits[at] = (at, at, newline + block + newline)
    return _spliced(before.data, edits.values()).decode("utf-8")
