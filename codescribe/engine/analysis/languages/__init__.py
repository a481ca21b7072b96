"""Shared machinery for the tree-sitter extractors, one module per grammar family beside this one.

Each extractor module exposes ``SPEC`` (a :class:`LanguageSpec`: which node types branch,
return, throw, start a nested function or are comments) and ``extract(ctx)``, which reads
declarations from a :class:`Context` and returns an :class:`Extraction`. Everything that
needs a whole-tree scan (complexity, returns, throws, comments) comes from one tree-sitter
query built from the spec, so the Python side only visits declarations.
"""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codescribe.engine.analysis.model import ClassInfo, FunctionInfo, ImportInfo, LineCounts

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = [
    "Context",
    "Extraction",
    "LanguageSpec",
    "clean_comments",
    "count_lines",
    "first_error_line",
    "last_row",
    "type_name",
    "unique",
]


@dataclass(frozen=True, slots=True)
class LanguageSpec:
    """The node types one grammar uses for what every extractor measures."""

    #: Nodes that each add one path through a function: if, loops, case arms, catch, ternary.
    branches: tuple[str, ...]
    #: Return (and yield) nodes; one with a value child means the function returns a value.
    returns: tuple[str, ...]
    #: Function-like nodes whose returns and throws belong to themselves, not their encloser.
    nested_functions: tuple[str, ...]
    comments: tuple[str, ...]
    throws: tuple[str, ...] = ()
    #: Operators of ``binary_expression`` that short-circuit, and so branch.
    logical_operators: tuple[str, ...] = ("&&", "||")
    #: Raw query patterns for what a node-type list cannot say (``@branch`` adds, ``@unbranch`` subtracts).
    extra_patterns: str = ""

    def query_source(self) -> str:
        """The one query that collects every capture :class:`Context` indexes."""

        def alternation(types: tuple[str, ...], capture: str) -> str:
            return f"[{' '.join(f'({kind})' for kind in types)}] @{capture}" if types else ""

        operators = " ".join(f'"{operator}"' for operator in self.logical_operators)
        patterns = [
            alternation(self.branches, "branch"),
            f"(binary_expression operator: [{operators}] @branch)" if operators else "",
            alternation(self.returns, "return"),
            alternation(self.throws, "throw"),
            alternation(self.nested_functions, "function"),
            alternation(self.comments, "comment"),
            self.extra_patterns,
        ]
        return "\n".join(pattern for pattern in patterns if pattern)


@dataclass(slots=True)
class Extraction:
    """What an extractor found, before it is frozen into a FileAnalysis."""

    functions: list[FunctionInfo] = field(default_factory=list)
    classes: list[ClassInfo] = field(default_factory=list)
    imports: list[ImportInfo] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)
    module_docstring: str | None = None


class _Spans:
    """Nodes of one capture kind, sorted by start byte so a function's share is two bisections."""

    __slots__ = ("nodes", "starts")

    def __init__(self, nodes: Iterable[Node]) -> None:
        self.nodes = sorted(nodes, key=lambda node: node.start_byte)
        self.starts = [node.start_byte for node in self.nodes]

    def within(self, node: Node) -> list[Node]:
        low = bisect_left(self.starts, node.start_byte)
        high = bisect_left(self.starts, node.end_byte, low)
        return self.nodes[low:high]

    def count_within(self, node: Node) -> int:
        low = bisect_left(self.starts, node.start_byte)
        return bisect_left(self.starts, node.end_byte, low) - low


class Context:
    """One parsed file: its bytes, its tree, and the indexed captures of its language's query."""

    def __init__(
        self, data: bytes, root: Node, captures: dict[str, list[Node]], comment_types: tuple[str, ...]
    ) -> None:
        self.data = data
        self.root = root
        self.comment_types = frozenset(comment_types)
        self.comments = sorted(captures.get("comment", ()), key=lambda node: node.start_byte)
        self._branches = _Spans(captures.get("branch", ()))
        self._unbranches = _Spans(captures.get("unbranch", ()))
        self._returns = _Spans(captures.get("return", ()))
        self._throws = _Spans(captures.get("throw", ()))
        self._functions = _Spans(captures.get("function", ()))
        self.extra = captures

    def text(self, node: Node | None) -> str:
        """The source text of a node (empty for None)."""
        if node is None:
            return ""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def flat(self, node: Node | None) -> str:
        """A node's text on one line, for signatures: runs of whitespace become one space."""
        return " ".join(self.text(node).split())

    def complexity(self, node: Node) -> int:
        """1 + the branches of a function, not counting those of functions nested in it (as for Python)."""
        branches = self._branches.count_within(node) - self._unbranches.count_within(node)
        for inner in self._nested(node):
            branches -= self._branches.count_within(inner) - self._unbranches.count_within(inner)
        return 1 + branches

    def returns_value(self, node: Node) -> bool:
        """Whether a return (or yield) with a value belongs to this function, not a nested one."""
        return any(self._has_value(ret) for ret in self._own(self._returns, node))

    def throws(self, node: Node) -> list[Node]:
        """The throw nodes that belong to this function, not to a function nested in it."""
        return self._own(self._throws, node)

    def _has_value(self, node: Node) -> bool:
        return any(child.type not in self.comment_types for child in node.named_children)

    def _nested(self, node: Node) -> list[Node]:
        """The outermost functions nested in a node (those nested in them are inside their ranges)."""
        outermost: list[Node] = []
        for inner in self._functions.within(node):
            if inner.end_byte > node.end_byte or (inner.start_byte, inner.end_byte) == (node.start_byte, node.end_byte):
                continue
            if outermost and inner.start_byte < outermost[-1].end_byte:
                continue
            outermost.append(inner)
        return outermost

    def _own(self, spans: _Spans, node: Node) -> list[Node]:
        candidates = spans.within(node)
        if not candidates:
            return []
        nested = [(inner.start_byte, inner.end_byte) for inner in self._nested(node)]
        return [
            candidate
            for candidate in candidates
            if not any(start <= candidate.start_byte < end for start, end in nested)
        ]

    def is_trailing(self, node: Node) -> bool:
        """Whether code precedes the node on its first line (a trailing comment documents that code)."""
        line_start = self.data.rfind(b"\n", 0, node.start_byte) + 1
        return bool(self.data[line_start : node.start_byte].strip())

    def comments_above(
        self,
        node: Node,
        is_doc: Callable[[str], bool],
        *,
        skip: frozenset[str] = frozenset(),
        single: bool = False,
    ) -> tuple[list[Node], list[Node]]:
        """Doc comments directly above a node (no blank line between), and the ``skip`` nodes passed over.

        ``skip`` names sibling kinds that may sit between a comment and its declaration (Rust
        attributes, TypeScript member decorators); they are returned so callers can use them.
        ``single`` keeps only the nearest comment (one ``/** */`` block documents a declaration).
        """
        docs: list[Node] = []
        skipped: list[Node] = []
        top = node.start_point.row
        sibling = node.prev_named_sibling
        while sibling is not None and last_row(sibling) >= top - 1:
            if sibling.type in skip:
                skipped.append(sibling)
            elif (
                sibling.type in self.comment_types
                and not (single and docs)
                and is_doc(self.text(sibling))
                and not self.is_trailing(sibling)
            ):
                docs.append(sibling)
            else:
                break
            top = sibling.start_point.row
            sibling = sibling.prev_named_sibling
        docs.reverse()
        skipped.reverse()
        return docs, skipped

    def docstring_above(self, node: Node, is_doc: Callable[[str], bool], *, single: bool = False) -> str | None:
        """The cleaned doc comment directly above a node, if any."""
        docs, _ = self.comments_above(node, is_doc, single=single)
        return clean_comments(self.text(doc) for doc in docs)

    def leading_comments(self, skip: frozenset[str] = frozenset()) -> list[Node]:
        """The comment block at the very top of the file (before any code, without blank-line gaps)."""
        block: list[Node] = []
        for child in self.root.named_children:
            if child.type in skip and not block:
                continue
            if child.type not in self.comment_types or (block and child.start_point.row > last_row(block[-1]) + 1):
                break
            block.append(child)
        return block


def last_row(node: Node) -> int:
    """The 0-based row a node's text ends on (line comments that swallow their newline end a row early)."""
    row, column = node.end_point
    return row - 1 if column == 0 and row > node.start_point.row else row


def type_name(text: str) -> str:
    """The short name of a type as ``raises`` lists it: ``errors.NotFound<T>`` -> ``NotFound``."""
    return text.split("<", 1)[0].rsplit(".", 1)[-1].rsplit("::", 1)[-1].strip()


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order, without repeats or empty strings."""
    return [item for item in dict.fromkeys(items) if item]


_LINE_MARKER = re.compile(r"^(///|//!|//|#)")


def _strip_comment(raw: str) -> list[str]:
    text = raw.strip()
    if text.startswith("/*"):
        # "/**" and "/*!" are doc markers; the "*" gutter of each line is layout, not words.
        body = text[2:].removesuffix("*/")
        body = body[1:] if body.startswith(("*", "!")) else body
        lines = []
        for line in body.split("\n"):
            stripped = line.lstrip()
            lines.append((stripped[1:] if stripped.startswith("*") else line).rstrip())
        return lines
    marker = _LINE_MARKER.match(text)
    body = text[marker.end() :] if marker else text
    return [body.rstrip()]


def clean_comments(raws: Iterable[str]) -> str | None:
    """The words of a block of comments, without markers, gutters or common indentation."""
    lines = [line for raw in raws for line in _strip_comment(raw)]
    text = textwrap.dedent("\n".join(lines)).strip()
    return text or None


def count_lines(data: bytes, comments: Iterable[Node]) -> LineCounts:
    """Total, code, comment-only and blank lines; a line is comment-only when comments cover all its text."""
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    covered: dict[int, list[tuple[int, int]]] = {}
    for comment in comments:
        (first_row, first_col), (last_row, last_col) = comment.start_point, comment.end_point
        for row in range(first_row, min(last_row, len(lines) - 1) + 1):
            start = first_col if row == first_row else 0
            end = last_col if row == last_row else len(lines[row])
            covered.setdefault(row, []).append((start, end))
    blank = comment_only = 0
    for row, line in enumerate(lines):
        if not line.strip():
            blank += 1
        elif row in covered and _only_comment(line, covered[row]):
            comment_only += 1
    total = len(lines)
    return LineCounts(total=total, code=total - blank - comment_only, comment=comment_only, blank=blank)


def _only_comment(line: bytes, spans: list[tuple[int, int]]) -> bool:
    rest = bytearray(line)
    for start, end in spans:
        rest[start:end] = b" " * (min(end, len(rest)) - start)
    return not rest.strip()


def first_error_line(root: Node) -> int:
    """The 1-based line of the first ERROR or MISSING node, following ``has_error`` down the tree."""
    node = root
    while True:
        for child in node.children:
            if child.is_error or child.is_missing:
                return child.start_point.row + 1
            if child.has_error:
                node = child
                break
        else:
            return node.start_point.row + 1
