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

from codescribe.engine.analysis.model import ClassInfo, FunctionInfo, ImportInfo, LineCounts, VariableInfo

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
    """The node types one grammar uses for what every extractor measures.

    Node type names are the grammar's own (its ``node-types.json``); the patterns use tree-sitter's
    query syntax.

    Attributes:
        branches: nodes that each add one path through a function: if, loops, case arms, catch, ternary.
        returns: return (and yield) nodes; one with a value child means the function returns a value.
        nested_functions: function-like nodes whose returns and throws belong to themselves, not
            their encloser.
        comments: the comment node types.
        throws: throw nodes (empty for a language without them).
        logical_operators: operators of ``binary_expression`` that short-circuit, and so branch
            (empty for a grammar without ``binary_expression``).
        extra_patterns: raw query patterns for what a node-type list cannot say (``@branch`` adds,
            ``@unbranch`` subtracts, other captures land in :attr:`Context.extra`).
    """

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
        """The one query that collects every capture :class:`Context` indexes.

        Returns:
            Tree-sitter query source, a pattern per line: ``@branch``, ``@return``, ``@throw``,
            ``@function`` and ``@comment`` alternations (a list left empty gives no line), the logical
            operators' pattern, then :attr:`extra_patterns`.

        Examples:
            >>> spec = LanguageSpec(("if_statement",), ("return_statement",), (), ("comment",))
            >>> print(spec.query_source())
            [(if_statement)] @branch
            (binary_expression operator: ["&&" "||"] @branch)
            [(return_statement)] @return
            [(comment)] @comment
        """

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
    """What an extractor found, before it is frozen into a FileAnalysis.

    Attributes:
        functions: top-level functions.
        classes: classes, structs, interfaces ... with their methods.
        imports: import statements.
        exports: names a user of the module can reach.
        module_docstring: the file's leading doc comment; ``None`` when there is none.
        variables: module-level constants and variables (Go's ``const`` and ``var`` ...).
        default_export: the local name of a JavaScript module's default export (see
            :attr:`~codescribe.engine.analysis.model.FileAnalysis.default_export`).
        package: the package the file declares (Go's ``package uuid``); ``None`` when it declares none.
        export_aliases: ``(exported name, local name)`` of JavaScript's ``export { a as b }`` (see
            :attr:`~codescribe.engine.analysis.model.FileAnalysis.export_aliases`).
    """

    functions: list[FunctionInfo] = field(default_factory=list)
    classes: list[ClassInfo] = field(default_factory=list)
    imports: list[ImportInfo] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)
    module_docstring: str | None = None
    variables: list[VariableInfo] = field(default_factory=list)
    default_export: str | None = None
    package: str | None = None
    export_aliases: list[tuple[str, str]] = field(default_factory=list)


#: Statements whose guarded ``body`` has handlers, and the handler clauses (the grammars share these names).
_TRIES = frozenset({"try_statement", "try_with_resources_statement"})
_HANDLERS = frozenset({"catch_clause", "except_clause", "except_group_clause"})


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


class Context:
    r"""One parsed file: its bytes, its tree, and the indexed captures of its language's query.

    Args:
        data: the file's text, UTF-8 encoded (node offsets are byte offsets into it).
        root: the root node of the parsed tree.
        captures: the captures of the language's query (:meth:`LanguageSpec.query_source`) over the
            tree, by capture name, as ``tree_sitter.QueryCursor.captures`` returns them.
        comment_types: the grammar's comment node types.

    Attributes:
        data: the file's bytes.
        root: the root node.
        comment_types: the comment node types, as a frozenset.
        comments: every comment node, in source order.
        extra: all captures by name, those of ``extra_patterns`` included.

    Examples:
        >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
        >>> from codescribe.engine.analysis.languages.javascript import SPEC
        >>> grammar = ts.Language(tsjs.language())
        >>> data = b"// Math.\n/** Adds. */\nfunction add(a, b) {\n"
        >>> data += b"  if (a) { return a + b }  // sum\n  throw new Error('no')\n}\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> ctx, add = Context(data, root, captures, SPEC.comments), root.named_children[2]
        >>> [ctx.text(comment) for comment in ctx.comments]
        ['// Math.', '/** Adds. */', '// sum']
    """

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
        r"""The source text of a node.

        Args:
            node: a node of this file's tree; ``None`` gives ``""`` (a missing optional child).

        Returns:
            The node's bytes decoded as UTF-8 (undecodable bytes replaced).

        Examples:
            >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
            >>> from codescribe.engine.analysis.languages.javascript import SPEC
            >>> grammar = ts.Language(tsjs.language())
            >>> data = b"// Math.\n/** Adds. */\nfunction add(a, b) {\n"
            >>> data += b"  if (a) { return a + b }  // sum\n  throw new Error('no')\n}\n"
            >>> root = ts.Parser(grammar).parse(data).root_node
            >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
            >>> ctx, add = Context(data, root, captures, SPEC.comments), root.named_children[2]
            >>> ctx.text(add.child_by_field_name("name")), ctx.text(None)
            ('add', '')
        """
        if node is None:
            return ""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def flat(self, node: Node | None) -> str:
        r"""A node's text on one line, for signatures: runs of whitespace become one space.

        Args:
            node: a node of this file's tree; ``None`` gives ``""``.

        Returns:
            The text with every run of whitespace (newlines included) replaced by one space, and
            stripped.

        Examples:
            >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
            >>> from codescribe.engine.analysis.languages.javascript import SPEC
            >>> grammar = ts.Language(tsjs.language())
            >>> data = b"// Math.\n/** Adds. */\nfunction add(a, b) {\n"
            >>> data += b"  if (a) { return a + b }  // sum\n  throw new Error('no')\n}\n"
            >>> root = ts.Parser(grammar).parse(data).root_node
            >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
            >>> ctx, add = Context(data, root, captures, SPEC.comments), root.named_children[2]
            >>> print(ctx.flat(add.child_by_field_name("body")))
            { if (a) { return a + b } // sum throw new Error('no') }
        """
        return " ".join(self.text(node).split())

    def header(self, node: Node) -> str:
        r"""A declaration as the source writes it, up to its body: a signature in the file's own language.

        Args:
            node: a function-like node (its body is its ``body`` field, if it has one).

        Returns:
            The node's text before its body, on one line, without a trailing ``{`` or ``=>``.

        Examples:
            >>> import tree_sitter as ts, tree_sitter_go as tsgo
            >>> from codescribe.engine.analysis.languages.go import SPEC
            >>> grammar = ts.Language(tsgo.language())
            >>> data = b"package p\n\nfunc (s *Store) Get(key string) (string, error) {\n\treturn \"\", nil\n}\n"
            >>> root = ts.Parser(grammar).parse(data).root_node
            >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
            >>> Context(data, root, captures, SPEC.comments).header(root.named_children[1])
            'func (s *Store) Get(key string) (string, error)'
        """
        body = node.child_by_field_name("body")
        end = body.start_byte if body is not None else node.end_byte
        text = " ".join(self.data[node.start_byte : end].decode("utf-8", "replace").split())
        return text.removesuffix("=>").removesuffix("{").removesuffix(";").strip()

    def complexity(self, node: Node) -> int:
        r"""The cyclomatic complexity of a function: 1 + its branches, as for Python.

        Branches are the ``@branch`` captures inside the node (minus ``@unbranch`` ones), not
        counting those of functions nested in it.

        Args:
            node: a function-like node.

        Returns:
            The complexity, 1 for straight-line code.

        Examples:
            >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
            >>> from codescribe.engine.analysis.languages.javascript import SPEC
            >>> grammar = ts.Language(tsjs.language())
            >>> data = b"// Math.\n/** Adds. */\nfunction add(a, b) {\n"
            >>> data += b"  if (a) { return a + b }  // sum\n  throw new Error('no')\n}\n"
            >>> root = ts.Parser(grammar).parse(data).root_node
            >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
            >>> ctx, add = Context(data, root, captures, SPEC.comments), root.named_children[2]
            >>> ctx.complexity(add)
            2
        """

        def branches(scope: Node) -> int:
            return len(self._branches.within(scope)) - len(self._unbranches.within(scope))

        return 1 + branches(node) - sum(branches(inner) for inner in self._nested(node))

    def returns_value(self, node: Node) -> bool:
        r"""Whether a return (or yield) with a value belongs to this function, not a nested one.

        Args:
            node: a function-like node.

        Returns:
            ``True`` when one of the function's own return nodes has a child other than a comment.

        Examples:
            >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
            >>> from codescribe.engine.analysis.languages.javascript import SPEC
            >>> grammar = ts.Language(tsjs.language())
            >>> data = b"// Math.\n/** Adds. */\nfunction add(a, b) {\n"
            >>> data += b"  if (a) { return a + b }  // sum\n  throw new Error('no')\n}\n"
            >>> root = ts.Parser(grammar).parse(data).root_node
            >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
            >>> ctx, add = Context(data, root, captures, SPEC.comments), root.named_children[2]
            >>> ctx.returns_value(add)
            True
        """
        return any(self._has_value(ret) for ret in self._own(self._returns, node))

    def throws(self, node: Node) -> list[Node]:
        r"""The throw nodes that belong to this function, not to a function nested in it.

        Args:
            node: a function-like node.

        Returns:
            The function's own ``@throw`` nodes, in source order (empty for a language without throws).

        Examples:
            >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
            >>> from codescribe.engine.analysis.languages.javascript import SPEC
            >>> grammar = ts.Language(tsjs.language())
            >>> data = b"// Math.\n/** Adds. */\nfunction add(a, b) {\n"
            >>> data += b"  if (a) { return a + b }  // sum\n  throw new Error('no')\n}\n"
            >>> root = ts.Parser(grammar).parse(data).root_node
            >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
            >>> ctx, add = Context(data, root, captures, SPEC.comments), root.named_children[2]
            >>> [ctx.text(throw) for throw in ctx.throws(add)]
            ["throw new Error('no')"]
        """
        return self._own(self._throws, node)

    def caught(self, throw: Node, function: Node, takes: Callable[[Node], bool]) -> bool:
        r"""Whether a ``try`` of the function catches the throw and keeps it, so the function does not throw it.

        The throw must be in the ``try``'s guarded body (not a handler or ``finally``), and the first of
        its handlers that ``takes`` the exception must not pass it on (a bare ``raise``, or a throw of a
        variable such as ``throw e``); otherwise an enclosing ``try`` may still catch it.

        Args:
            throw: one of the function's throw nodes (:meth:`throws`).
            function: the function-like node it belongs to.
            takes: whether a handler (``catch_clause``, ``except_clause``) takes the thrown exception; the
                language's rule (JavaScript's ``catch`` takes everything, Java's the types it lists).

        Returns:
            ``True`` when the exception cannot leave the function from this throw.

        Examples:
            >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
            >>> from codescribe.engine.analysis.languages.javascript import SPEC
            >>> grammar = ts.Language(tsjs.language())
            >>> data = b"function f(a) {\n  try { throw new E() } catch (e) { return 0 }\n  throw new F()\n}\n"
            >>> root = ts.Parser(grammar).parse(data).root_node
            >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
            >>> ctx, f = Context(data, root, captures, SPEC.comments), root.named_children[0]
            >>> [ctx.caught(throw, f, lambda handler: True) for throw in ctx.throws(f)]
            [True, False]
        """
        child, parent = throw, throw.parent
        while parent is not None and child != function:
            if parent.type in _TRIES and child == parent.child_by_field_name("body"):
                handler = next((h for h in parent.named_children if h.type in _HANDLERS and takes(h)), None)
                if handler is not None and not self._passes_on(handler):
                    return True
            child, parent = parent, parent.parent
        return False

    def _passes_on(self, handler: Node) -> bool:
        """Whether a handler re-throws what it caught: a bare ``raise`` or a throw of a variable."""
        for throw in self._own(self._throws, handler):
            values = [child for child in throw.named_children if child.type not in self.comment_types]
            if not values or values[0].type == "identifier":
                return True
        return False

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
        r"""Whether code precedes the node on its first line (a trailing comment documents that code).

        Args:
            node: a node, usually a comment.

        Returns:
            ``True`` when something other than whitespace comes before the node on its line.

        Examples:
            >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
            >>> from codescribe.engine.analysis.languages.javascript import SPEC
            >>> grammar = ts.Language(tsjs.language())
            >>> data = b"// Math.\n/** Adds. */\nfunction add(a, b) {\n"
            >>> data += b"  if (a) { return a + b }  // sum\n  throw new Error('no')\n}\n"
            >>> root = ts.Parser(grammar).parse(data).root_node
            >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
            >>> ctx, add = Context(data, root, captures, SPEC.comments), root.named_children[2]
            >>> [ctx.is_trailing(comment) for comment in ctx.comments]
            [False, False, True]
        """
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
        r"""Doc comments directly above a node (no blank line between), and the ``skip`` nodes passed over.

        Walks back over the node's previous siblings while each ends at most one line above the start
        of what follows it. A trailing comment (code before it on its line), a comment ``is_doc``
        rejects, a second comment when ``single`` is set, or any other node ends the walk.

        Args:
            node: the declaration.
            is_doc: whether a comment's text is a doc comment (``bool`` accepts every comment).
            skip: sibling kinds that may sit between a comment and its declaration (Rust
                attributes, TypeScript member decorators); they are returned so callers can use them.
            single: keep only the nearest comment (one ``/** */`` block documents a declaration).

        Returns:
            ``(doc comments, skipped nodes)``, each in source order.

        Examples:
            >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
            >>> from codescribe.engine.analysis.languages.javascript import SPEC
            >>> grammar = ts.Language(tsjs.language())
            >>> data = b"// Math.\n/** Adds. */\nfunction add(a, b) {\n"
            >>> data += b"  if (a) { return a + b }  // sum\n  throw new Error('no')\n}\n"
            >>> root = ts.Parser(grammar).parse(data).root_node
            >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
            >>> ctx, add = Context(data, root, captures, SPEC.comments), root.named_children[2]
            >>> docs, skipped = ctx.comments_above(add, bool)
            >>> [ctx.text(doc) for doc in docs], skipped
            (['// Math.', '/** Adds. */'], [])
            >>> [ctx.text(doc) for doc in ctx.comments_above(add, bool, single=True)[0]]
            ['/** Adds. */']
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

    def leading_comments(self, skip: frozenset[str] = frozenset()) -> list[Node]:
        r"""The comment block at the very top of the file (before any code, without blank-line gaps).

        Args:
            skip: node types that may come before the block (a ``#!`` line).

        Returns:
            The comment nodes, in source order; empty when the file does not start with a comment.

        Examples:
            >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
            >>> from codescribe.engine.analysis.languages.javascript import SPEC
            >>> grammar = ts.Language(tsjs.language())
            >>> data = b"// Math.\n/** Adds. */\nfunction add(a, b) {\n"
            >>> data += b"  if (a) { return a + b }  // sum\n  throw new Error('no')\n}\n"
            >>> root = ts.Parser(grammar).parse(data).root_node
            >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
            >>> ctx, add = Context(data, root, captures, SPEC.comments), root.named_children[2]
            >>> [ctx.text(comment) for comment in ctx.leading_comments()]
            ['// Math.', '/** Adds. */']
        """
        block: list[Node] = []
        for child in self.root.named_children:
            if child.type in skip and not block:
                continue
            if child.type not in self.comment_types or (block and child.start_point.row > last_row(block[-1]) + 1):
                break
            block.append(child)
        return block


def last_row(node: Node) -> int:
    r"""The 0-based row a node's text ends on.

    A node that ends at column 0 of a later row (a line comment that swallows its newline, as Rust's
    grammar has them) ends on the row before.

    Args:
        node: any node.

    Returns:
        The row (0 for the first line).

    Examples:
        >>> import tree_sitter as ts, tree_sitter_rust as tsrust
        >>> root = ts.Parser(ts.Language(tsrust.language())).parse(b"/// Doc.\nfn f() {}\n").root_node
        >>> comment = root.named_children[0]
        >>> comment.end_point.row, last_row(comment)
        (1, 0)
    """
    row, column = node.end_point
    return row - 1 if column == 0 and row > node.start_point.row else row


def type_name(text: str) -> str:
    """The short name of a type as ``raises`` lists it: ``errors.NotFound<T>`` -> ``NotFound``.

    Args:
        text: a type as written: generics, a package or a ``::`` path are dropped.

    Returns:
        The last name of the type, without generic arguments.

    Examples:
        >>> type_name("errors.NotFound<T>"), type_name("std::io::Error")
        ('NotFound', 'Error')
    """
    return text.split("<", 1)[0].rsplit(".", 1)[-1].rsplit("::", 1)[-1].strip()


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order, without repeats or empty strings.

    Args:
        items: strings, possibly repeated or empty.

    Returns:
        A new list.

    Examples:
        >>> unique(["b", "a", "", "b"])
        ['b', 'a']
    """
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
    r"""The words of a block of comments, without markers, gutters or common indentation.

    Markers are ``//``, ``///``, ``//!``, ``#`` and ``/* */`` (with ``/**`` and ``/*!``); the gutter
    is the ``*`` that starts each line of a block comment.

    Args:
        raws: the comments' texts as written, in order.

    Returns:
        The text, its lines dedented together and the whole stripped; ``None`` when nothing is left.

    Examples:
        >>> clean_comments(["/**\n * Adds two numbers.\n *\n * @param a first\n */"])
        'Adds two numbers.\n\n@param a first'
        >>> clean_comments(["// one", "//   two"]), clean_comments(["//"])
        ('one\n  two', None)
    """
    lines = [line for raw in raws for line in _strip_comment(raw)]
    text = textwrap.dedent("\n".join(lines)).strip()
    return text or None


def count_lines(data: bytes, comments: Iterable[Node]) -> LineCounts:
    r"""Count a file's total, code, comment-only and blank lines.

    A line is comment-only when comments cover all of its text; a line with code and a trailing
    comment is code.

    Args:
        data: the file's bytes.
        comments: the file's comment nodes.

    Returns:
        The counts (a final newline does not start another line).

    Examples:
        >>> count_lines(b"a = 1\n\n", [])
        LineCounts(total=2, code=1, comment=0, blank=1)
        >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
        >>> from codescribe.engine.analysis.languages.javascript import SPEC
        >>> grammar = ts.Language(tsjs.language())
        >>> data = b"// Math.\n/** Adds. */\nfunction add(a, b) {\n"
        >>> data += b"  if (a) { return a + b }  // sum\n  throw new Error('no')\n}\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> ctx, add = Context(data, root, captures, SPEC.comments), root.named_children[2]
        >>> count_lines(data, ctx.comments)
        LineCounts(total=6, code=4, comment=2, blank=0)
    """
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
    r"""The 1-based line of the first ERROR or MISSING node, following ``has_error`` down the tree.

    Args:
        root: a node whose ``has_error`` is true (for a tree without errors the answer is the
            node's own first line).

    Returns:
        The line number (1 for the first line).

    Examples:
        >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
        >>> parser = ts.Parser(ts.Language(tsjs.language()))
        >>> first_error_line(parser.parse(b"let x = 1;\nfunction f( {\n").root_node)
        2
    """
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
