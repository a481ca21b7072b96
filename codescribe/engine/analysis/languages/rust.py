"""Rust items: fns, structs, enums and traits, with ``impl`` blocks' methods attached to their type."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from codescribe.engine.analysis.languages import Context, Extraction, LanguageSpec, clean_comments, unique
from codescribe.engine.analysis.model import ClassInfo, FunctionInfo, ImportInfo, Parameter

if TYPE_CHECKING:
    from tree_sitter import Node

SPEC = LanguageSpec(
    branches=("if_expression", "while_expression", "for_expression", "match_arm"),
    returns=("return_expression",),
    nested_functions=("closure_expression", "function_item"),
    comments=("line_comment", "block_comment"),
    # Only arms beyond the first branch: a one-arm match is a single path.
    extra_patterns="(match_block . (match_arm) @unbranch)",
)

_TYPE_KINDS = {"struct_item": "struct", "enum_item": "enum", "union_item": "union", "trait_item": "trait"}
#: Items whose ``pub`` name a user of the crate can reach.
_NAMED_ITEMS = frozenset({"function_item", "const_item", "static_item", "type_item", "mod_item", "macro_definition"})
_METHOD_ITEMS = frozenset({"function_item", "function_signature_item"})
#: Return types that give the caller nothing: unit, and never (the function does not return).
_NO_VALUE = frozenset({"()", "!"})


def _is_outer_doc(text: str) -> bool:
    return (text.startswith("///") and not text.startswith("////")) or (
        text.startswith("/**") and not text.startswith("/***") and text != "/**/"
    )


def _is_inner_doc(text: str) -> bool:
    return text.startswith(("//!", "/*!"))


def extract(ctx: Context) -> Extraction:
    r"""Read the items, ``use`` declarations and ``pub`` names of one Rust file.

    Functions (those of inline modules named ``module::name``), structs, enums, unions and traits
    are read; the methods of ``impl`` blocks are attached to their type, and an ``impl`` for a type
    declared elsewhere forms an ``impl`` group of its own. A trait impl adds the trait to the type's
    bases, and its methods are public. ``//!`` and ``/*!`` comments make the module docstring;
    ``///`` and ``/** */`` comments directly above an item (attributes may sit between) are its doc.
    Exports are the top-level ``pub`` items and what ``pub use`` re-exports; ``pub(crate)`` and
    ``pub(super)`` items are not public.

    Args:
        ctx: the parsed file, with the captures of :data:`SPEC`'s query.

    Returns:
        What the file declares; a ``use a::b::{c, d}`` import is module ``a::b`` with names c, d.

    Examples:
        >>> import tree_sitter as ts, tree_sitter_rust as tsrust
        >>> from codescribe.engine.analysis.languages import Context
        >>> grammar = ts.Language(tsrust.language())
        >>> data = b"//! Adding.\nuse std::fmt;\n\n/// Adds.\n"
        >>> data += b"pub fn add(a: i32, b: i32) -> i32 { a + b }\n\npub struct Box;\n\n"
        >>> data += b"impl Box {\n    pub fn get(&self) -> i32 { 1 }\n}\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> found = extract(Context(data, root, captures, SPEC.comments))
        >>> [(function.signature, function.docstring) for function in found.functions], found.module_docstring
        ([('pub fn add(a: i32, b: i32) -> i32', 'Adds.')], 'Adding.')
        >>> [(cls.name, [method.qualname for method in cls.methods]) for cls in found.classes], found.exports
        ([('Box', ['Box.get'])], ['add', 'Box'])
    """
    reader = _Reader(ctx)
    reader.items(ctx.root, path="", top=True)
    return reader.finish()


@dataclass(slots=True)
class _Reader:
    """Collects items first, since an ``impl`` may come before (or without) the type it extends."""

    ctx: Context
    out: Extraction = field(default_factory=Extraction)
    types: dict[str, ClassInfo] = field(default_factory=dict)
    impls: dict[str, list[tuple[Node, list[FunctionInfo]]]] = field(default_factory=dict)

    def finish(self) -> Extraction:
        for name, blocks in self.impls.items():
            info = self.types.get(name)
            methods = tuple(method for _, group in blocks for method in group)
            traits = tuple(self.ctx.flat(node.child_by_field_name("trait")) for node, _ in blocks)
            if info is None:  # the type is declared in another file: the impl blocks stand for it
                first, last = blocks[0][0], blocks[-1][0]
                public = any(method.is_public for method in methods)
                info = ClassInfo(name, start_line=first.start_point.row + 1, end_line=last.end_point.row + 1)
                info = replace(info, is_public=public, kind="impl")
            self.types[name] = replace(
                info, bases=tuple(unique((*info.bases, *traits))), methods=info.methods + methods
            )
        self.out.classes = list(self.types.values())
        self.out.exports = unique(self.out.exports)
        self.out.module_docstring = clean_comments(
            self.ctx.text(node) for node in self.ctx.root.named_children if _is_inner_doc(self.ctx.text(node))
        )
        return self.out

    def items(self, parent: Node, path: str, top: bool) -> None:
        ctx = self.ctx
        for node in parent.named_children:
            kind = node.type
            public = self.is_pub(node)
            name = ctx.text(node.child_by_field_name("name"))
            if top and public and (kind in _NAMED_ITEMS or kind in _TYPE_KINDS):
                self.out.exports.append(name)
            if kind == "use_declaration":
                imports = self.use(node)
                self.out.imports += imports
                argument = node.child_by_field_name("argument")
                if top and public and argument is not None:
                    self.out.exports += self.bound_names(argument)
            elif kind == "function_item":
                self.out.functions.append(self.function(node, owner=path, public=public))
            elif kind in _TYPE_KINDS:
                self.types[name] = self.type_item(node, name, public)
            elif kind == "impl_item":
                self.impl(node)
            elif kind == "mod_item" and (body := node.child_by_field_name("body")) is not None:
                self.items(body, f"{path}{name}::", top=False)

    def is_pub(self, node: Node) -> bool:
        # pub(crate) and pub(super) stay inside the crate: not part of what its users can reach.
        return any(child.type == "visibility_modifier" and self.ctx.text(child) == "pub" for child in node.children)

    def attributes_and_doc(self, node: Node) -> tuple[tuple[str, ...], str | None]:
        docs, attributes = self.ctx.comments_above(node, _is_outer_doc, skip=frozenset({"attribute_item"}))
        names = tuple(
            self.ctx.flat(attribute.named_children[0]) for attribute in attributes if attribute.named_children
        )
        return names, clean_comments(self.ctx.text(doc) for doc in docs)

    def function(self, node: Node, owner: str, public: bool, *, method: bool = False) -> FunctionInfo:
        ctx = self.ctx
        name = ctx.text(node.child_by_field_name("name"))
        returns = ctx.flat(node.child_by_field_name("return_type")) or None
        decorators, docstring = self.attributes_and_doc(node)
        modifiers = [child for child in node.named_children if child.type == "function_modifiers"]
        separator = "." if method else ""
        return FunctionInfo(
            name=name,
            qualname=f"{owner}{separator}{name}",
            parameters=self.parameters(node.child_by_field_name("parameters")),
            returns=returns,
            is_async=any(token.type == "async" for modifier in modifiers for token in modifier.children),
            decorators=decorators,
            start_line=node.start_point.row + 1,
            end_line=node.end_point.row + 1,
            docstring=docstring,
            complexity=ctx.complexity(node),
            is_public=public,
            is_method=method,
            returns_value=returns is not None and returns not in _NO_VALUE,
            declaration=ctx.header(node),
        )

    def parameters(self, node: Node | None) -> tuple[Parameter, ...]:
        found: list[Parameter] = []
        for child in node.named_children if node is not None else []:
            pattern = child.child_by_field_name("pattern")
            # The receiver is left out, as Python's analyser leaves out self.
            if child.type != "parameter" or pattern is None or pattern.type == "self":
                continue
            found.append(Parameter(self.ctx.flat(pattern), self.ctx.flat(child.child_by_field_name("type")) or None))
        return tuple(found)

    def type_item(self, node: Node, name: str, public: bool) -> ClassInfo:
        ctx = self.ctx
        decorators, docstring = self.attributes_and_doc(node)
        methods: list[FunctionInfo] = []
        bounds = node.child_by_field_name("bounds")  # supertraits: trait Shape: Debug + Clone
        body = node.child_by_field_name("body")
        if node.type == "trait_item" and body is not None:
            # A trait's methods are as reachable as the trait itself.
            methods = [
                self.function(item, name, public, method=True)
                for item in body.named_children
                if item.type in _METHOD_ITEMS
            ]
        return ClassInfo(
            name=name,
            bases=tuple(ctx.flat(bound) for bound in bounds.named_children) if bounds is not None else (),
            methods=tuple(methods),
            start_line=node.start_point.row + 1,
            end_line=node.end_point.row + 1,
            docstring=docstring,
            is_public=public,
            decorators=decorators,
            kind=_TYPE_KINDS[node.type],
        )

    def impl(self, node: Node) -> None:
        target = node.child_by_field_name("type")
        # impl<T> Stack<T> / impl fmt::Display for Account: the type's own name, without path or generics.
        while target is not None and target.type in ("generic_type", "scoped_type_identifier"):
            target = target.child_by_field_name("type") or target.child_by_field_name("name")
        name = self.ctx.flat(target)
        is_trait_impl = node.child_by_field_name("trait") is not None
        body = node.child_by_field_name("body")
        methods = [
            # Methods of a trait impl carry no pub: they are as reachable as the trait.
            self.function(item, name, public=is_trait_impl or self.is_pub(item), method=True)
            for item in (body.named_children if body is not None else [])
            if item.type in _METHOD_ITEMS
        ]
        self.impls.setdefault(name, []).append((node, methods))

    def use(self, node: Node) -> list[ImportInfo]:
        """``use a::b::{c, d as e}`` -> module ``a::b`` with names c, d."""
        line = node.start_point.row + 1
        argument = node.child_by_field_name("argument")
        if argument is None:
            return []
        return [ImportInfo(module, tuple(names), line) for module, names in self.use_tree(argument)]

    def use_tree(self, node: Node) -> list[tuple[str, list[str]]]:
        ctx = self.ctx
        if node.type == "use_as_clause":
            node = node.child_by_field_name("path") or node
        if node.type == "scoped_use_list":
            module = ctx.flat(node.child_by_field_name("path"))
            items = node.child_by_field_name("list")
            names = [
                ctx.flat(item.child_by_field_name("path") if item.type == "use_as_clause" else item)
                for item in (items.named_children if items is not None else [])
            ]
            return [(module, names)]
        if node.type == "use_wildcard":
            return [(ctx.flat(node.named_children[0]) if node.named_children else "", ["*"])]
        if node.type == "use_list":
            return [entry for item in node.named_children for entry in self.use_tree(item)]
        if node.type == "scoped_identifier":
            return [(ctx.flat(node.child_by_field_name("path")), [ctx.flat(node.child_by_field_name("name"))])]
        return [(ctx.flat(node), [])]

    def bound_names(self, node: Node) -> list[str]:
        """The names a ``use`` makes visible here (what ``pub use`` re-exports): aliases, last segments."""
        if node.type == "use_as_clause":
            return [self.ctx.text(node.child_by_field_name("alias"))]
        if node.type == "scoped_use_list":
            items = node.child_by_field_name("list")
            return self.bound_names(items) if items is not None else []
        if node.type == "use_list":
            return [name for item in node.named_children for name in self.bound_names(item)]
        if node.type == "scoped_identifier":
            return [self.ctx.text(node.child_by_field_name("name"))]
        return [self.ctx.text(node)] if node.type == "identifier" else []
