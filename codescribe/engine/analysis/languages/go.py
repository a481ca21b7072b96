"""Go declarations: funcs, structs and interfaces, with methods attached to their receiver's type."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from codescribe.engine.analysis.languages import Context, Extraction, LanguageSpec, clean_comments, unique
from codescribe.engine.analysis.model import ClassInfo, FunctionInfo, ImportInfo, Parameter

if TYPE_CHECKING:
    from tree_sitter import Node

SPEC = LanguageSpec(
    branches=("if_statement", "for_statement", "expression_case", "type_case", "communication_case"),
    returns=("return_statement",),
    nested_functions=("func_literal",),
    comments=("comment",),
)

#: Type kinds that are classes; other named types (``type Celsius float64``) only are when they have methods.
_CLASS_KINDS = {"struct_type": "struct", "interface_type": "interface"}
#: ``//go:generate``, ``//nolint:...``, ``//line``: tool directives, which go doc leaves out of doc text.
_DIRECTIVE = re.compile(r"^//(line |extern |export |[a-z0-9]+:[a-z0-9])")


def _is_public(name: str) -> bool:
    return name[:1].isupper()


def extract(ctx: Context) -> Extraction:
    r"""Read the functions, types, imports and exported names of one Go file.

    Methods are attached to their receiver's type; the methods of a type declared in another file
    of the package form an ``impl`` group of their own. Structs and interfaces are classes; another
    named type (``type Celsius float64``) is one only when it has methods; aliases are not. The
    comment above ``package`` (tool directives such as ``//go:generate`` left out) is the module
    docstring, and any comment directly above a declaration is its doc, as for ``go doc``.
    Exports are the capitalised names of functions, types, variables and constants.

    Args:
        ctx: the parsed file, with the captures of :data:`SPEC`'s query.

    Returns:
        What the file declares; imports carry the package path and no names.

    Examples:
        >>> import tree_sitter as ts, tree_sitter_go as tsgo
        >>> from codescribe.engine.analysis.languages import Context
        >>> grammar = ts.Language(tsgo.language())
        >>> data = b"// Package calc adds.\npackage calc\n\n// Add adds.\n"
        >>> data += b"func Add(a, b int) int { return a + b }\n\ntype Box struct{}\n"
        >>> data += b"func (b *Box) Get() int { return 1 }\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> found = extract(Context(data, root, captures, SPEC.comments))
        >>> [function.signature for function in found.functions], found.module_docstring
        (['func Add(a, b int) int'], 'Package calc adds.')
        >>> [(cls.name, cls.kind, [method.qualname for method in cls.methods]) for cls in found.classes]
        [('Box', 'struct', ['Box.Get'])]
        >>> found.exports
        ['Add', 'Box']
    """
    out = Extraction()
    types: dict[str, ClassInfo] = {}
    methods: dict[str, list[FunctionInfo]] = {}
    for node in ctx.root.named_children:
        kind = node.type
        if kind == "package_clause":
            out.module_docstring = _doc(ctx, node)
        elif kind == "import_declaration":
            out.imports += _imports(ctx, node)
        elif kind == "function_declaration":
            function = _function(ctx, node, owner="")
            out.functions.append(function)
            out.exports.append(function.name)
        elif kind == "method_declaration":
            owner = _receiver_type(ctx, node)
            methods.setdefault(owner, []).append(_function(ctx, node, owner=owner))
        elif kind == "type_declaration":
            declared = _types(ctx, node)
            out.exports += list(declared)
            types.update((name, info) for name, info in declared.items() if info is not None)
        elif kind in ("var_declaration", "const_declaration"):
            out.exports += [ctx.text(name) for name in _declared_names(node)]
    for name, info in types.items():
        if info.kind != "type" or name in methods:
            out.classes.append(_with_methods(info, methods.pop(name, [])))
    # Methods of a type declared in another file of the package: an impl-like group of their own.
    for name, group in methods.items():
        out.classes.append(
            ClassInfo(
                name=name,
                methods=tuple(group),
                start_line=group[0].start_line,
                end_line=group[-1].end_line,
                is_public=_is_public(name),
                kind="impl",
            )
        )
    out.exports = [name for name in unique(out.exports) if _is_public(name)]
    return out


def _with_methods(info: ClassInfo, methods: list[FunctionInfo]) -> ClassInfo:
    return ClassInfo(
        name=info.name,
        bases=info.bases,
        methods=info.methods + tuple(methods),
        start_line=info.start_line,
        end_line=info.end_line,
        docstring=info.docstring,
        is_public=info.is_public,
        kind=info.kind,
    )


def _doc(ctx: Context, node: Node) -> str | None:
    comments, _ = ctx.comments_above(node, bool)  # any comment directly above documents a Go declaration
    return clean_comments(text for c in comments if not _DIRECTIVE.match(text := ctx.text(c)))


def _types(ctx: Context, declaration: Node) -> dict[str, ClassInfo | None]:
    """The names a ``type`` declaration introduces; aliases (``type B = A``) are no types of their own."""
    found: dict[str, ClassInfo | None] = {}
    for spec in declaration.named_children:
        if spec.type in ("type_spec", "type_alias"):
            name = ctx.text(spec.child_by_field_name("name"))
            found[name] = _type(ctx, declaration, spec, name) if spec.type == "type_spec" else None
    return found


def _imports(ctx: Context, node: Node) -> list[ImportInfo]:
    specs = [child for child in node.named_children if child.type == "import_spec"]
    for group in node.named_children:
        if group.type == "import_spec_list":
            specs += [spec for spec in group.named_children if spec.type == "import_spec"]
    return [
        ImportInfo(ctx.text(spec.child_by_field_name("path")).strip('"`'), (), spec.start_point.row + 1)
        for spec in specs
    ]


def _declared_names(node: Node) -> list[Node]:
    specs = [child for child in node.named_children if child.type in ("var_spec", "const_spec")]
    for group in node.named_children:
        if group.type in ("var_spec_list", "const_spec_list"):
            specs += [spec for spec in group.named_children if spec.type in ("var_spec", "const_spec")]
    return [name for spec in specs for name in spec.children_by_field_name("name")]


def _receiver_type(ctx: Context, method: Node) -> str:
    """``func (s *Store[T]) ...`` -> ``Store``: the first type name in the receiver."""
    receiver = method.child_by_field_name("receiver")
    pending = [receiver] if receiver is not None else []
    while pending:
        node = pending.pop(0)
        if node.type == "type_identifier":
            return ctx.text(node)
        pending += node.named_children
    return ctx.flat(receiver).strip("()")


def _parameters(ctx: Context, node: Node | None) -> tuple[Parameter, ...]:
    found: list[Parameter] = []
    for declaration in node.named_children if node is not None else []:
        if declaration.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        annotation = ctx.flat(declaration.child_by_field_name("type")) or None
        variadic = declaration.type == "variadic_parameter_declaration"
        # "a, b int" declares two parameters of one type; "func(int, string)" names none.
        names = [ctx.text(name) for name in declaration.children_by_field_name("name")] or ["_"]
        found += [Parameter(name, annotation, None, "var_positional" if variadic else "positional") for name in names]
    return tuple(found)


def _function(ctx: Context, node: Node, owner: str) -> FunctionInfo:
    name = ctx.text(node.child_by_field_name("name"))
    result = ctx.flat(node.child_by_field_name("result")) or None
    return FunctionInfo(
        name=name,
        qualname=f"{owner}.{name}" if owner else name,
        parameters=_parameters(ctx, node.child_by_field_name("parameters")),
        returns=result,
        start_line=node.start_point.row + 1,
        end_line=node.end_point.row + 1,
        docstring=_doc(ctx, node),
        complexity=ctx.complexity(node),
        is_public=_is_public(name),
        is_method=bool(owner),
        returns_value=result is not None,
        declaration=ctx.header(node),
    )


def _type(ctx: Context, declaration: Node, spec: Node, name: str) -> ClassInfo:
    body = spec.child_by_field_name("type")
    kind = _CLASS_KINDS.get(body.type if body is not None else "", "type")
    # In "type ( A struct{}; B int )" each spec has its own comment; a lone spec's is above "type".
    docstring = _doc(ctx, spec) or (_doc(ctx, declaration) if spec == declaration.named_children[0] else None)
    bases: list[str] = []
    methods: list[FunctionInfo] = []
    if body is not None and kind == "struct":
        for fields in body.named_children:
            bases += [
                ctx.flat(field.child_by_field_name("type")).lstrip("*")
                for field in fields.named_children
                if field.type == "field_declaration" and field.child_by_field_name("name") is None
            ]
    elif body is not None and kind == "interface":
        for element in body.named_children:
            if element.type == "method_elem":
                methods.append(_function(ctx, element, owner=name))
            elif element.type == "type_elem":
                bases.append(ctx.flat(element))
    return ClassInfo(
        name=name,
        bases=tuple(bases),
        methods=tuple(methods),
        start_line=spec.start_point.row + 1,
        end_line=spec.end_point.row + 1,
        docstring=docstring,
        is_public=_is_public(name),
        kind=kind,
    )
