"""Analysis of JavaScript, TypeScript, TSX, Go, Java and Rust source through tree-sitter grammars.

Nothing here imports ``tree_sitter`` or a grammar (dependencies of CodeScribe) until a file of
that language is analysed, so the CLI starts fast; each grammar, its query and its extractor are
then loaded once. A file that does not parse cleanly is still
analysed (tree-sitter recovers around ERROR nodes), with a warning saying where.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from codescribe.engine.analysis.bounded_parse import ParseTooCostly, parse_bytes
from codescribe.engine.analysis.languages import Context, Extraction, LanguageSpec, count_lines, first_error_line
from codescribe.engine.analysis.model import FileAnalysis, ImportInfo
from codescribe.install import DISTRIBUTION

if TYPE_CHECKING:
    from tree_sitter import Language, Node, Query

__all__ = [
    "INSTALL_HINT",
    "SUPPORTED_LANGUAGES",
    "ImportResolver",
    "TreeSitterUnavailable",
    "analyze_with_treesitter",
    "comment_types",
    "import_resolver",
    "parse_tree",
    "unread_analysis",
]

#: tree-sitter and the grammars are dependencies of CodeScribe itself: missing, the install is broken.
INSTALL_HINT = f"pip install --force-reinstall {DISTRIBUTION}"

#: Language -> (grammar package, its function returning the grammar, extractor module in ``languages``).
_GRAMMARS: dict[str, tuple[str, str, str]] = {
    "javascript": ("tree_sitter_javascript", "language", "javascript"),
    "typescript": ("tree_sitter_typescript", "language_typescript", "javascript"),
    "tsx": ("tree_sitter_typescript", "language_tsx", "javascript"),
    "go": ("tree_sitter_go", "language", "go"),
    "java": ("tree_sitter_java", "language", "java"),
    "rust": ("tree_sitter_rust", "language", "rust"),
    "python": ("tree_sitter_python", "language", "python"),
}

SUPPORTED_LANGUAGES: frozenset[str] = frozenset(_GRAMMARS)


class TreeSitterUnavailable(ImportError):
    """tree-sitter or a language's grammar is not installed (or does not load), so the caller should fall back.

    An ``ImportError``; its message names the missing package and the install command
    (:data:`INSTALL_HINT`).
    """


class _Extractor(Protocol):
    """What each module in ``codescribe.engine.analysis.languages`` provides."""

    SPEC: LanguageSpec

    def extract(self, ctx: Context) -> Extraction: ...


@functools.cache
def _language(language: str) -> Language:
    """The loaded grammar of one language (imports tree_sitter and the grammar package on first use)."""
    package, function, _ = _GRAMMARS[language]
    try:
        import tree_sitter

        grammar = importlib.import_module(package)
        # A grammar built for a newer tree-sitter ABI raises ValueError here: as unusable as a missing one.
        return tree_sitter.Language(getattr(grammar, function)())
    except (ImportError, AttributeError, ValueError) as error:
        raise TreeSitterUnavailable(
            f"analysing {language} needs tree-sitter and {package.replace('_', '-')} ({error}); "
            f"install them with: {INSTALL_HINT}"
        ) from error


@functools.cache
def _extractor(language: str) -> _Extractor:
    return cast("_Extractor", importlib.import_module(f"{__package__}.languages.{_GRAMMARS[language][2]}"))


#: ``(import, importing file's path, module name -> path, project root) -> the module names it imports``.
ImportResolver = Callable[[ImportInfo, str, Mapping[str, str], Path], list[str]]


def import_resolver(language: str) -> ImportResolver | None:
    """How a language's imports are resolved to the project's own modules, when its extractor says.

    An extractor module may define ``import_targets`` (an :data:`ImportResolver`): it is given one
    import, the importing file's path, the project's modules (name -> relative path, as
    :attr:`~codescribe.engine.analysis.project.ProjectAnalysis.modules` gives them) and the project's
    root, and returns every module the import reaches (a Go package is all of its files).

    Args:
        language: a language name (``go``, ``typescript`` ...).

    Returns:
        The resolver; ``None`` for Python (resolved by the project itself) and for a language whose
        extractor defines none.

    Examples:
        >>> import_resolver("python") is None
        True
    """
    if language not in _GRAMMARS or language == "python":
        return None
    return cast("ImportResolver | None", getattr(_extractor(language), "import_targets", None))


@functools.cache
def _query(language: str) -> Query:
    from tree_sitter import Query

    return Query(_language(language), _extractor(language).SPEC.query_source())


def parse_tree(source: str, language: str) -> tuple[bytes, Node]:
    r"""Parse a file with its language's grammar, what the grammar cannot read masked.

    Args:
        source: the file's text (lone surrogates from undecodable bytes are read as ``?``).
        language: one of :data:`SUPPORTED_LANGUAGES`.

    Returns:
        ``(data, root)``: the UTF-8 bytes node offsets point into, and the syntax tree's root.

    Raises:
        KeyError: ``language`` is not in :data:`SUPPORTED_LANGUAGES`.
        TreeSitterUnavailable: the grammar is not installed (or does not load).
        ParseTooCostly: the parse took far more work than the file's size calls for (see
            :func:`~codescribe.engine.analysis.bounded_parse.parse_bytes`).

    Examples:
        >>> data, root = parse_tree("package calc\n", "go")
        >>> root.type, root.has_error
        ('source_file', False)
    """
    from tree_sitter import Parser

    # Lone surrogates (from undecodable bytes) cannot be encoded; "?" keeps every other offset right.
    data = source.encode("utf-8", "replace")
    # An extractor's ``parse_input`` may mask what its grammar cannot parse (same length, so every
    # offset holds); node text is still read from ``data``.
    mask = getattr(_extractor(language), "parse_input", None)
    return data, parse_bytes(Parser(_language(language)), mask(data, language) if mask is not None else data).root_node


def comment_types(language: str) -> tuple[str, ...]:
    """The node types that are comments in a language's grammar (``line_comment``, ``comment`` ...).

    Args:
        language: one of :data:`SUPPORTED_LANGUAGES`.

    Returns:
        The grammar's comment node types.
    """
    return _extractor(language).SPEC.comments


#: The deepest syntax tree analysed: deeper than code people write, generated code included (a
#: union of 3,000 literal types nests 3,000 deep; Python's own parser stops near 200 brackets), and
#: shallow enough that tree-sitter's queries, whose time grows with the square of the depth, stay
#: under a second (a 20,000-deep chain of ``+`` took 9 s, 100,000 deep 340 s).
MAX_DEPTH = 4_000
#: The most children one syntax error node may hold. Unclosed brackets by the thousand (``((((``) parse into
#: one flat error node, on which tree-sitter's queries take time with the square of its width (40,000 took
#: 1.2 s, so a million would take 12 minutes); a real file's syntax errors hold a few nodes each.
MAX_ERROR_WIDTH = 5_000


def _unreadable(root: Node) -> str | None:
    """Why the tree under ``root`` is too costly to query, or ``None``: deeper than :data:`MAX_DEPTH`, or an
    error node wider than :data:`MAX_ERROR_WIDTH` (walked once, without recursion)."""
    if root.has_error and (widest := _widest_error(root)) > MAX_ERROR_WIDTH:
        return f"a syntax error spans {widest:,} nodes (more than {MAX_ERROR_WIDTH:,})"
    cursor, depth = root.walk(), 0
    while True:
        if depth > MAX_DEPTH:
            return f"it nests deeper than {MAX_DEPTH:,} levels"
        if cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return None
            depth -= 1


def _widest_error(root: Node) -> int:
    """The most children any error node under ``root`` has (only subtrees holding an error are walked)."""
    widest, pending = 0, [root]
    while pending:
        node = pending.pop()
        if node.is_error:
            widest = max(widest, node.child_count)
        pending.extend(child for child in node.children if child.has_error)
    return widest


def analyze_with_treesitter(source: str, path: str, language: str) -> FileAnalysis:
    r"""Analyse one JavaScript, TypeScript, TSX, Go, Java or Rust file.

    Syntax errors give a warning, not an exception (tree-sitter recovers around them); if
    extraction itself fails (a ``RecursionError`` on absurd nesting, say), only the file's lines
    are counted, and a warning says why (:func:`unread_analysis`).

    Args:
        source: the file's text (lone surrogates from undecodable bytes are read as ``?``).
        path: the file's path, recorded in the result and its warnings.
        language: one of :data:`SUPPORTED_LANGUAGES`.

    Returns:
        The analysis, with a warning naming the line of the first syntax error, if any.

    Raises:
        ValueError: ``language`` is not in :data:`SUPPORTED_LANGUAGES`.
        TreeSitterUnavailable: tree-sitter or the language's grammar is not installed (or does not
            load); the message says how to install them.

    Examples:
        >>> code = "package calc\n\n// Add adds.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n"
        >>> analysis = analyze_with_treesitter(code, "calc.go", "go")
        >>> analysis.functions[0].signature, analysis.functions[0].docstring, analysis.exports
        ('func Add(a, b int) int', 'Add adds.', ('Add',))
        >>> analyze_with_treesitter("function f( {\n", "f.js", "javascript").warnings
        ('f.js: syntax errors near line 1; results may be incomplete',)
    """
    if language not in _GRAMMARS:
        raise ValueError(f"tree-sitter analysis supports {', '.join(sorted(_GRAMMARS))}, not {language!r}")
    from tree_sitter import QueryCursor

    extractor = _extractor(language)
    try:
        data, root = parse_tree(source, language)
    except ParseTooCostly as exc:
        return unread_analysis(source, path, language, str(exc))
    if reason := _unreadable(root):  # tree-sitter's queries take quadratic time on such trees
        return unread_analysis(source, path, language, reason)
    captures = QueryCursor(_query(language)).captures(root)
    ctx = Context(data, root, captures, extractor.SPEC.comments)
    try:
        found = extractor.extract(ctx)
    except Exception as error:  # e.g. RecursionError on absurd nesting: say so rather than guess, and go on
        return unread_analysis(source, path, language, f"tree-sitter extraction failed ({type(error).__name__})")
    warnings: tuple[str, ...] = ()
    if root.has_error:
        warnings = (f"{path}: syntax errors near line {first_error_line(root)}; results may be incomplete",)
    return FileAnalysis(
        path=path,
        language=language,
        functions=tuple(found.functions),
        classes=tuple(found.classes),
        imports=tuple(found.imports),
        exports=tuple(found.exports),
        module_docstring=found.module_docstring,
        variables=tuple(found.variables),
        default_export=found.default_export,
        package=found.package,
        export_aliases=tuple(found.export_aliases),
        lines=count_lines(data, ctx.comments),
        warnings=warnings,
    )


def unread_analysis(source: str, path: str, language: str, reason: str) -> FileAnalysis:
    r"""The analysis of a file that could not be read: its line counts, and a warning saying why.

    Nothing is guessed: no function or class is reported that a parser did not find.

    Args:
        source: the file's text.
        path: the file's path, recorded in the result and its warning.
        language: the file's language.
        reason: why it could not be read, for the warning.

    Returns:
        A :class:`FileAnalysis` with ``used_fallback`` set, no definitions, and one warning.

    Examples:
        >>> analysis = unread_analysis("x = 1\n", "a.py", "python", "too deeply nested to analyse")
        >>> analysis.lines.total, analysis.functions, analysis.warnings
        (1, (), ('a.py: too deeply nested to analyse; only its lines were counted',))
    """
    from codescribe.engine.analysis.python import count_lines as count_source_lines

    return FileAnalysis(
        path=path,
        language=language,
        lines=count_source_lines(source, ("#", "//", "/*", "*")),
        warnings=(f"{path}: {reason}; only its lines were counted",),
        used_fallback=True,
    )
