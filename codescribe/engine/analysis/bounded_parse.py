"""tree-sitter parses within a budget of work: its error recovery is quadratic on some inputs no one writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Parser, Tree

__all__ = ["PARSE_REPORTS_MARGIN", "PARSE_REPORTS_PER_KB", "ParseTooCostly", "parse_bytes"]

#: tree-sitter's work on a file, in its progress reports: about 10 per kilobyte of code (4 for TypeScript), but its
#: error recovery on some inputs no one writes is quadratic (``<!--`` 8,000 times, 32 KB of Python, made 1.3
#: million reports in 68 s). A parse past this budget is abandoned (:class:`ParseTooCostly`).
PARSE_REPORTS_PER_KB = 100
PARSE_REPORTS_MARGIN = 10_000


class ParseTooCostly(ValueError):
    """tree-sitter's parse of a file took far more work than its size calls for, and was abandoned."""


def parse_bytes(parser: Parser, data: bytes) -> Tree:
    r"""Parse ``data`` with ``parser``, within a budget of work proportional to its size.

    Args:
        parser: a tree-sitter parser with its language set.
        data: the source's bytes.

    Returns:
        The syntax tree.

    Raises:
        ParseTooCostly: the parse went past :data:`PARSE_REPORTS_MARGIN` plus :data:`PARSE_REPORTS_PER_KB` per
            kilobyte of progress reports.

    Examples:
        >>> import tree_sitter_go, tree_sitter_python
        >>> from tree_sitter import Language, Parser
        >>> parse_bytes(Parser(Language(tree_sitter_go.language())), b"package calc\n").root_node.type
        'source_file'
        >>> parse_bytes(Parser(Language(tree_sitter_python.language())), b"<!--" * 8000)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        codescribe.engine.analysis.bounded_parse.ParseTooCostly: tree-sitter gave up on it: ... for 32,000 bytes
    """
    budget = PARSE_REPORTS_MARGIN + PARSE_REPORTS_PER_KB * len(data) // 1024
    reports = 0

    def read(offset: int, _point: object) -> bytes:
        return data[offset : offset + 65_536]

    def progress(*_state: object) -> bool:
        nonlocal reports
        reports += 1
        return reports > budget  # True cancels the parse

    try:
        return parser.parse(read, progress_callback=progress)
    except ValueError as exc:
        if reports > budget:
            raise ParseTooCostly(
                f"tree-sitter gave up on it: its error recovery took more than {budget:,} steps for {len(data):,} bytes"
            ) from exc
        raise
