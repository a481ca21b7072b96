"""Rust items: fns, structs, enums and traits, with ``impl`` blocks' methods attached to their type."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from codescribe.engine.analysis.languages import Context, Extraction, LanguageSpec, clean_comments, unique
from codescribe.engine.analysis.model import ClassInfo, FunctionInfo, ImportInfo, Parameter, VariableInfo, VariableKind

if TYPE_CHECKING:
    from tree_sitter import Node

SPEC = LanguageSpec(
    branches=("if_expression", "while_expression", "for_expression", "match_arm"),
    returns=("return_expression",),
    nested_functions=("closure_expression", "function_item"),
    comments=("line_comment", "block_comment"),
    # Only arms beyond the first branch: a one-arm match is a single path. Every use declaration,
    # those in function bodies included, for the imports.
    extra_patterns="(match_block . (match_arm) @unbranch)\n(use_declaration) @use",
)

_TYPE_KINDS = {
    "struct_item": "struct",
    "enum_item": "enum",
    "union_item": "union",
    "trait_item": "trait",
    "type_item": "type",
}
#: Items whose ``pub`` name a user of the crate can reach.
_NAMED_ITEMS = frozenset({"function_item", "const_item", "static_item", "type_item", "mod_item", "macro_definition"})
_METHOD_ITEMS = frozenset({"function_item", "function_signature_item"})
#: ``doc = "text"``: a doc attribute written out (what ``///`` stands for).
_DOC_ATTRIBUTE = re.compile(r'doc\s*=\s*"((?:[^"\\]|\\.)*)"', re.DOTALL)
#: Return types that give the caller nothing: unit, and never (the function does not return).
_NO_VALUE = frozenset({"()", "!"})


def _is_outer_doc(text: str) -> bool:
    return (text.startswith("///") and not text.startswith("////")) or (
        text.startswith("/**") and not text.startswith("/***") and text != "/**/"
    )


def _is_inner_doc(text: str) -> bool:
    return text.startswith(("//!", "/*!"))


def parse_input(data: bytes, language: str) -> bytes:
    """The file's bytes with ``~`` read as ``-``, every offset kept.

    ``~`` is a token Rust's lexer still gives to macros (anyhow's ``ensure!`` counts its fuel in
    ``~~~~~~~~~~``), and tree-sitter-rust 0.24 cannot read it inside a token tree. Nowhere else in
    Rust code is it valid, and in strings and comments the parse does not care; names and
    signatures are read from the source.

    Args:
        data: the file's UTF-8 bytes.
        language: ``rust``.

    Returns:
        Bytes of the same length.

    Examples:
        >>> parse_input(b"m!(~~ x);", "rust")
        b'm!(-- x);'
    """
    return data.replace(b"~", b"-")


def extract(ctx: Context) -> Extraction:
    r"""Read the items, ``use`` declarations and ``pub`` names of one Rust file.

    Functions, structs, enums, unions, traits and type aliases (kind ``type``) are read, those of
    inline modules named ``module::name``; ``macro_rules!`` macros are functions named as they are
    invoked (``bail!``), public when ``#[macro_export]``. Struct and union fields (a tuple struct's
    ``0``, ``1`` ...), enum variants and associated consts are the type's attributes. The methods
    and consts of ``impl`` blocks are attached to their type, and an ``impl`` for a type declared
    elsewhere forms an ``impl`` group of its own. A trait impl adds the trait to the type's bases,
    and its methods are public. ``//!`` and ``/*!`` comments make the module docstring; ``///`` and
    ``/** */`` comments before an item (over attributes, plain comments and blank lines, as rustdoc
    reads them) are its doc. Imports are the ``use`` declarations (function bodies' too) and each
    ``mod x;``, recorded as ``use self::x``. Exports are the top-level ``pub`` items and what
    ``pub use`` re-exports; ``pub(crate)`` and ``pub(super)`` items are not public.

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
    #: Impl blocks by (inline module path, type name): the block, its methods and its associated consts.
    impls: dict[tuple[str, str], list[tuple[Node, list[FunctionInfo], list[VariableInfo]]]] = field(
        default_factory=dict
    )
    #: The start bytes of the use declarations read with their module's items.
    seen_uses: set[int] = field(default_factory=set)

    def finish(self) -> Extraction:
        for (path, name), blocks in self.impls.items():
            # An impl in an inline module extends that module's type if it declares one of the name.
            key = f"{path}{name}" if f"{path}{name}" in self.types else name
            info = self.types.get(key)
            methods = tuple(method for _, group, _ in blocks for method in group)
            consts = tuple(const for _, _, group in blocks for const in group)
            traits = tuple(self.ctx.flat(node.child_by_field_name("trait")) for node, _, _ in blocks)
            if info is None:  # the type is declared in another file: the impl blocks stand for it
                first, last = blocks[0][0], blocks[-1][0]
                public = any(method.is_public for method in methods)
                info = ClassInfo(key, start_line=first.start_point.row + 1, end_line=last.end_point.row + 1)
                info = replace(info, is_public=public, kind="impl")
            self.types[key] = replace(
                info,
                bases=tuple(unique((*info.bases, *traits))),
                methods=info.methods + methods,
                attributes=info.attributes + consts,
            )
        self.out.classes = list(self.types.values())
        self.out.exports = unique(self.out.exports)
        self.out.module_docstring = clean_comments(
            self.ctx.text(node) for node in self.ctx.root.named_children if _is_inner_doc(self.ctx.text(node))
        )
        # Use declarations in function bodies import too (after the items' own, in source order).
        for node in sorted(self.ctx.extra.get("use", ()), key=lambda use: use.start_byte):
            if node.start_byte not in self.seen_uses:
                self.out.imports += self.use(node)
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
                self.seen_uses.add(node.start_byte)
                imports = self.use(node)
                self.out.imports += imports
                argument = node.child_by_field_name("argument")
                if top and public and argument is not None:
                    self.out.exports += self.bound_names(argument)
            elif kind == "function_item":
                self.out.functions.append(self.function(node, owner=path, public=public))
            elif kind in _TYPE_KINDS:
                self.types[f"{path}{name}"] = self.type_item(node, f"{path}{name}", public)
            elif kind == "impl_item":
                self.impl(node, path)
            elif kind == "macro_definition":
                self.out.functions.append(self.macro(node, path))
            elif kind == "mod_item" and (body := node.child_by_field_name("body")) is not None:
                self.items(body, f"{path}{name}::", top=False)
            elif kind == "mod_item":  # mod x; reads x.rs (or x/mod.rs): an import of the module
                self.out.imports.append(ImportInfo("self", (name,), node.start_point.row + 1))

    def is_pub(self, node: Node) -> bool:
        # pub(crate) and pub(super) stay inside the crate: not part of what its users can reach.
        return any(child.type == "visibility_modifier" and self.ctx.text(child) == "pub" for child in node.children)

    def attributes_and_doc(self, node: Node) -> tuple[tuple[str, ...], str | None]:
        """An item's attributes and doc comment, as rustdoc reads them.

        ``///`` and ``/** */`` are ``#[doc]`` attributes of the item that follows, so the walk back
        goes over attributes, other comments (``#[cfg(x)] // rustc <1.39``) and blank lines, and stops
        at anything else.
        """
        docs: list[Node] = []
        attributes: list[Node] = []
        sibling = node.prev_named_sibling
        while sibling is not None:
            if sibling.type == "attribute_item":
                attributes.append(sibling)
            elif sibling.type in self.ctx.comment_types:
                if _is_outer_doc(self.ctx.text(sibling)):
                    docs.append(sibling)
                elif _is_inner_doc(self.ctx.text(sibling)):
                    break
            else:
                break
            sibling = sibling.prev_named_sibling
        names = tuple(
            self.ctx.flat(attribute.named_children[0]) for attribute in reversed(attributes) if attribute.named_children
        )
        docstring = clean_comments(self.ctx.text(doc) for doc in reversed(docs))
        # ``#[doc = "..."]`` is what ``///`` stands for (macros and generated code write it)
        written = [m.group(1) for name in names if (m := _DOC_ATTRIBUTE.fullmatch(name))]
        if docstring is None and written:
            docstring = "\n".join(line.strip() for text in written for line in text.split("\\n")).strip() or None
        return names, docstring

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

    def macro(self, node: Node, path: str) -> FunctionInfo:
        """A ``macro_rules!`` macro, named as it is invoked (``bail!``); public when ``#[macro_export]``."""
        name = self.ctx.text(node.child_by_field_name("name"))
        decorators, docstring = self.attributes_and_doc(node)
        return FunctionInfo(
            name=f"{name}!",
            qualname=f"{path}{name}!",
            decorators=decorators,
            start_line=node.start_point.row + 1,
            end_line=node.end_point.row + 1,
            docstring=docstring,
            is_public="macro_export" in decorators or any(d.startswith("macro_export(") for d in decorators),
            declaration=f"macro_rules! {name}",
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
            attributes=self.members(node, body, public),
        )

    def members(self, node: Node, body: Node | None, public: bool) -> tuple[VariableInfo, ...]:
        """A struct's or union's fields (a tuple struct's named ``0``, ``1`` ...), an enum's variants,
        a trait's associated consts."""
        if body is None:
            return ()
        if body.type == "ordered_field_declaration_list":
            return tuple(
                self.variable(kind, str(index), "field", self.is_pub_before(kind))
                for index, kind in enumerate(body.children_by_field_name("type"))
            )
        found: list[VariableInfo] = []
        for item in body.named_children:
            if item.type == "field_declaration":
                found.append(self.variable(item, self.ctx.text(item.child_by_field_name("name")), "field"))
            elif item.type == "enum_variant":  # as reachable as the enum
                variant = self.variable(item, self.ctx.text(item.child_by_field_name("name")), "enum_member")
                found.append(replace(variant, is_public=public))
            elif item.type == "const_item" and node.type == "trait_item":
                found.append(replace(self.const(item), is_public=public))
        return tuple(found)

    def is_pub_before(self, node: Node) -> bool:
        """Whether a tuple struct's field type is preceded by ``pub`` (``struct Wrapper(pub T)``)."""
        previous = node.prev_named_sibling
        return previous is not None and previous.type == "visibility_modifier" and self.ctx.text(previous) == "pub"

    def variable(self, node: Node, name: str, kind: VariableKind, public: bool | None = None) -> VariableInfo:
        _, docstring = self.attributes_and_doc(node)
        tuple_field = node.parent is not None and node.parent.type == "ordered_field_declaration_list"
        annotation = self.ctx.flat(node if tuple_field else node.child_by_field_name("type"))
        return VariableInfo(
            name=name,
            kind=kind,
            annotation=annotation or None,
            value=self.ctx.flat(node.child_by_field_name("value")) or None,
            line=node.start_point.row + 1,
            docstring=docstring,
            is_public=self.is_pub(node) if public is None else public,
        )

    def const(self, node: Node) -> VariableInfo:
        """An associated ``const`` (of an impl or a trait), a constant of its type."""
        return self.variable(node, self.ctx.text(node.child_by_field_name("name")), "constant")

    def impl(self, node: Node, path: str) -> None:
        target = node.child_by_field_name("type")
        # impl<T> Stack<T> / impl fmt::Display for Account: the type's own name, without path or generics.
        while target is not None and target.type in ("generic_type", "scoped_type_identifier"):
            target = target.child_by_field_name("type") or target.child_by_field_name("name")
        name = self.ctx.flat(target)
        is_trait_impl = node.child_by_field_name("trait") is not None
        body = node.child_by_field_name("body")
        children = body.named_children if body is not None else []
        methods = [
            # Methods of a trait impl carry no pub: they are as reachable as the trait.
            self.function(item, name, public=is_trait_impl or self.is_pub(item), method=True)
            for item in children
            if item.type in _METHOD_ITEMS
        ]
        # A trait impl's consts are the trait's; an inherent impl's are the type's own.
        consts = [self.const(item) for item in children if item.type == "const_item" and not is_trait_impl]
        self.impls.setdefault((path, name), []).append((node, methods, consts))

    def use(self, node: Node) -> list[ImportInfo]:
        """``use a::b::{c, d as e}`` -> module ``a::b`` with names c, d."""
        line = node.start_point.row + 1
        argument = node.child_by_field_name("argument")
        if argument is None:
            return []
        grouped: dict[str, list[str]] = {}
        for module, names in self.use_tree(argument):
            grouped.setdefault(module, []).extend(names)
        return [ImportInfo(module, tuple(names), line) for module, names in grouped.items()]

    def use_tree(self, node: Node, prefix: str = "") -> list[tuple[str, list[str]]]:
        """The (module, names) pairs of a use tree; nested lists (``a::{b::C, d::{E, F}}``) are flattened."""
        ctx = self.ctx

        def join(path: str) -> str:
            return f"{prefix}::{path}" if prefix and path else prefix or path

        if node.type == "use_as_clause":
            node = node.child_by_field_name("path") or node
        if node.type == "scoped_use_list":
            module = join(ctx.flat(node.child_by_field_name("path")))
            items = node.child_by_field_name("list")
            return self.use_tree(items, module) if items is not None else []
        if node.type == "use_wildcard":
            return [(join(ctx.flat(node.named_children[0]) if node.named_children else ""), ["*"])]
        if node.type == "use_list":
            return [pair for item in node.named_children for pair in self.use_tree(item, prefix)]
        if node.type == "scoped_identifier":
            return [(join(ctx.flat(node.child_by_field_name("path"))), [ctx.flat(node.child_by_field_name("name"))])]
        if prefix:
            return [(prefix, [ctx.flat(node)])]
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


def _crate_folder(path: PurePosixPath, files: frozenset[str]) -> PurePosixPath | None:
    """The folder of the crate root (``lib.rs`` or ``main.rs``) nearest above a file."""
    return next((folder for folder in path.parents if _module_file(folder, [], files) is not None), None)


def _module_file(folder: PurePosixPath, parts: list[str], files: frozenset[str]) -> str | None:
    """The file of the module ``parts`` (below the crate root ``folder``): ``a/b.rs`` or ``a/b/mod.rs``; for
    no parts, the crate root itself, ``lib.rs`` or ``main.rs``."""
    if parts:
        options = (folder.joinpath(*parts[:-1], f"{parts[-1]}.rs"), folder.joinpath(*parts, "mod.rs"))
    else:
        options = (folder / "lib.rs", folder / "main.rs")
    return next((name for option in options if (name := option.as_posix().removeprefix("./")) in files), None)


@functools.lru_cache(maxsize=256)
def _inline_modules(file: Path, stamp: tuple[int, int]) -> tuple[tuple[int, int, str], ...]:
    """The inline modules of a file as (first line, last line, name), outermost first (``stamp``: mtime, size)."""
    import tree_sitter_rust
    from tree_sitter import Language, Parser

    from ..bounded_parse import ParseTooCostly, parse_bytes

    data = file.read_bytes()
    found: list[tuple[int, int, str]] = []
    try:
        stack = [parse_bytes(Parser(Language(tree_sitter_rust.language())), data).root_node]
    except ParseTooCostly:  # read as having none: the file's own analysis says why
        return ()
    while stack:
        node = stack.pop()
        for child in reversed(node.named_children):
            body = child.child_by_field_name("body") if child.type == "mod_item" else None
            if body is not None:
                name = child.child_by_field_name("name")
                text = data[name.start_byte : name.end_byte].decode() if name is not None else ""
                found.append((child.start_point.row + 1, child.end_point.row + 1, text))
                stack.append(body)
    return tuple(sorted(found))


_last_files: list[tuple[Mapping[str, str], frozenset[str], dict[str, str]]] = []


def _files(modules: Mapping[str, str]) -> tuple[frozenset[str], dict[str, str]]:
    """The project's module files, and module names by file, built once per project (the import graph
    asks once per ``use``; built each time, a large crate's graph took time quadratic in its size)."""
    if not _last_files or _last_files[0][0] is not modules:
        _last_files[:] = [(modules, frozenset(modules.values()), {file: name for name, file in modules.items()})]
    return _last_files[0][1], _last_files[0][2]


def _enclosing_modules(root: Path, path: str, line: int) -> list[str]:
    file = root / path
    try:
        status = file.stat()
        spans = _inline_modules(file, (status.st_mtime_ns, status.st_size))
    except (OSError, ValueError, ImportError):
        return []
    return [name for first, last, name in spans if first <= line <= last]


def import_targets(imported: ImportInfo, path: str, modules: Mapping[str, str], root: Path) -> list[str]:
    """The project's modules (files) a ``use`` or a ``mod x;`` reaches, as the compiler finds them.

    The crate root is the ``lib.rs`` (or ``main.rs``) nearest above the importing file; its folder
    holds the modules: module ``a::b`` is ``a/b.rs`` or ``a/b/mod.rs`` there. The importing file's
    own module comes from its path (``lib.rs`` and ``main.rs`` are the crate, ``a/mod.rs`` and
    ``a.rs`` are ``a``), plus the inline modules (``mod tests { ... }``) around the ``use``'s line,
    read again from the file under ``root``. A path starting with ``crate`` starts at the crate,
    ``self`` at the current module, each ``super`` one module up; another first segment is a child
    module of the current one when such a file exists (Rust 2018's relative paths), else another
    crate (``std``, a dependency) and no edge. Then, for each imported name, the longest prefix of
    the path that names a module file is the target: ``use crate::error::ErrorImpl`` reaches
    ``error.rs``, ``use crate::Error`` the crate root, ``use super::*`` the parent module's file.
    ``mod x;`` is recorded as ``use self::x`` and reaches ``x.rs`` or ``x/mod.rs`` (``#[path]`` is not
    read). Re-exports are not followed: ``use crate::Chain`` reaches the crate root even when the
    crate root only re-exports ``Chain`` from ``chain.rs``.

    Args:
        imported: one import of the file (module ``crate::a``, names ``("b",)``).
        path: the importing file's path, relative to ``root``.
        modules: the project's modules: module name (path without ``.rs``) -> relative path.
        root: the project's folder.

    Returns:
        The module names reached (paths without ``.rs``), the importing file's own among them when
        the names are its items.

    Examples:
        >>> from pathlib import Path
        >>> modules = {"src/lib": "src/lib.rs", "src/error": "src/error.rs", "src/ptr/mod": "src/ptr/mod.rs"}
        >>> import_targets(ImportInfo("crate::ptr", ("Own", "Ref")), "src/error.rs", modules, Path("."))
        ['src/ptr/mod']
        >>> import_targets(ImportInfo("self", ("error",)), "src/lib.rs", modules, Path("."))
        ['src/error']
        >>> import_targets(ImportInfo("std::fmt", ("Debug",)), "src/lib.rs", modules, Path("."))
        []
    """
    file = PurePosixPath(path)
    files, by_file = _files(modules)
    folder = _crate_folder(file, files)
    if folder is None:
        return []
    relative = file.relative_to(folder).with_suffix("").parts
    current = list(relative)
    if current[-1:] == ["mod"] or current in (["lib"], ["main"]):
        current.pop()
    current += _enclosing_modules(root, path, imported.line) if imported.line else []
    segments = [segment for segment in imported.module.split("::") if segment]
    if not segments:
        return []
    base: list[str]
    head = segments[0]
    if head == "crate":
        base, segments = [], segments[1:]
    elif head in ("self", "super"):
        base = list(current)
        while segments and segments[0] in ("self", "super"):
            if segments.pop(0) == "super" and base:
                base.pop()
    elif _module_file(folder, [*current, head], files) is not None:
        base = list(current)
    else:
        return []
    found: list[str] = []
    for name in imported.names or ("",):
        parts = base + segments + [part for part in name.split("::") if part not in ("", "*", "self")]
        for end in range(len(parts), -1, -1):
            target = _module_file(folder, parts[:end], files)
            if target is not None:
                found.append(by_file[target])
                break
    return unique(found)
