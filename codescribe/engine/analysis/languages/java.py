"""Java declarations: classes, interfaces, enums and records (nested ones too), with their methods."""

from __future__ import annotations

from typing import TYPE_CHECKING

from codescribe.engine.analysis.languages import Context, Extraction, LanguageSpec, clean_comments, type_name, unique
from codescribe.engine.analysis.model import ClassInfo, FunctionInfo, ImportInfo, Parameter

if TYPE_CHECKING:
    from tree_sitter import Node

SPEC = LanguageSpec(
    branches=(
        "if_statement",
        "for_statement",
        "enhanced_for_statement",
        "while_statement",
        "do_statement",
        "catch_clause",
        "ternary_expression",
    ),
    returns=("return_statement",),
    throws=("throw_statement",),
    # A class body inside a method is an anonymous or local class: its returns are its own.
    nested_functions=("lambda_expression", "class_body"),
    comments=("line_comment", "block_comment"),
    # "case X:" and "case X ->" arms; "default" is not a branch of its own.
    extra_patterns='(switch_label "case") @branch',
)

_TYPE_KINDS = {
    "class_declaration": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "record_declaration": "record",
    "annotation_type_declaration": "annotation",
}
_METHODS = frozenset({"method_declaration", "constructor_declaration", "compact_constructor_declaration"})


def _is_javadoc(text: str) -> bool:
    return text.startswith("/**") and text != "/**/"


def extract(ctx: Context) -> Extraction:
    r"""Read the types, methods, imports and public top-level types of one Java file.

    Classes, interfaces, enums, records and annotation types are read with their methods and
    constructors (a constructor is named after its class); nested types follow their outer type,
    named ``Outer.Inner``. Java has no top-level functions, so ``functions`` stays empty. A method's
    ``raises`` lists its ``throws`` clause and the ``throw new X(...)`` in its body. The comment
    before ``package`` is the module docstring (else a leading comment that is not the first type's
    Javadoc); a ``/** */`` block directly above a declaration is its doc.

    Args:
        ctx: the parsed file, with the captures of :data:`SPEC`'s query.

    Returns:
        What the file declares; exports are its ``public`` top-level types.

    Examples:
        >>> import tree_sitter as ts, tree_sitter_java as tsjava
        >>> from codescribe.engine.analysis.languages import Context
        >>> grammar = ts.Language(tsjava.language())
        >>> data = b"package calc;\n\nimport java.util.List;\n\n/** Adds. */\n"
        >>> data += b"public class Calc {\n  public int add(int a, int b) throws java.io.IOException {\n"
        >>> data += b"    return a + b;\n  }\n}\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> found = extract(Context(data, root, captures, SPEC.comments))
        >>> [(cls.name, cls.docstring, [method.qualname for method in cls.methods]) for cls in found.classes]
        [('Calc', 'Adds.', ['Calc.add'])]
        >>> found.classes[0].methods[0].raises, found.exports, found.imports[0].names
        (('IOException',), ['Calc'], ('List',))
    """
    out = Extraction()
    package: Node | None = None
    for node in ctx.root.named_children:
        if node.type == "package_declaration":
            package = node
        elif node.type == "import_declaration":
            out.imports.append(_import(ctx, node))
        elif node.type in _TYPE_KINDS:
            out.classes += _types(ctx, node, prefix="", in_interface=False)
            if "public" in _modifiers(ctx, node)[0]:
                out.exports.append(ctx.text(node.child_by_field_name("name")))
    out.module_docstring = _module_docstring(ctx, package)
    return out


def _module_docstring(ctx: Context, package: Node | None) -> str | None:
    """The comment before ``package`` (a licence or overview), else a leading comment no type claims."""
    if package is not None:
        comments: list[Node] = []
        sibling = package.prev_named_sibling
        while sibling is not None and sibling.type in ctx.comment_types:
            comments.insert(0, sibling)
            if sibling.type == "block_comment":
                break
            sibling = sibling.prev_named_sibling
        return clean_comments(ctx.text(comment) for comment in comments)
    block = ctx.leading_comments()
    following = block[-1].next_named_sibling if block else None
    if following is not None and following.type in _TYPE_KINDS and ctx.comments_above(following, _is_javadoc)[0]:
        return None  # that comment is the first type's Javadoc
    return clean_comments(ctx.text(comment) for comment in block)


def _import(ctx: Context, node: Node) -> ImportInfo:
    path = next((ctx.flat(child) for child in node.named_children if child.type != "asterisk"), "")
    if any(child.type == "asterisk" for child in node.named_children):
        return ImportInfo(path, ("*",), node.start_point.row + 1)
    return ImportInfo(path, (path.rsplit(".", 1)[-1],), node.start_point.row + 1)


def _modifiers(ctx: Context, node: Node) -> tuple[set[str], list[str]]:
    """A declaration's keyword modifiers (public, static, ...) and its annotations without the ``@``."""
    keywords: set[str] = set()
    annotations: list[str] = []
    for modifiers in node.children:
        if modifiers.type != "modifiers":
            continue
        for child in modifiers.children:
            if child.type in ("marker_annotation", "annotation"):
                annotations.append(ctx.flat(child).removeprefix("@"))
            elif not child.is_named:
                keywords.add(child.type)
    return keywords, annotations


def _types(ctx: Context, node: Node, prefix: str, in_interface: bool) -> list[ClassInfo]:
    """A type declaration and the types nested in it, nested ones named ``Outer.Inner``."""
    name = prefix + ctx.text(node.child_by_field_name("name"))
    kind = _TYPE_KINDS[node.type]
    keywords, annotations = _modifiers(ctx, node)
    body = node.child_by_field_name("body")
    members = body.named_children if body is not None else []
    for member in list(members):
        if member.type == "enum_body_declarations":  # an enum's fields and methods follow its constants
            members += member.named_children
    methods: list[FunctionInfo] = []
    nested: list[ClassInfo] = []
    for member in members:
        if member.type in _METHODS:
            methods.append(_method(ctx, member, name, kind == "interface"))
        elif member.type in _TYPE_KINDS:
            nested += _types(ctx, member, f"{name}.", kind == "interface")
    info = ClassInfo(
        name=name,
        bases=tuple(_bases(ctx, node)),
        methods=tuple(methods),
        start_line=node.start_point.row + 1,
        end_line=node.end_point.row + 1,
        docstring=ctx.docstring_above(node, _is_javadoc, single=True),
        is_public="public" in keywords or (in_interface and "private" not in keywords),
        decorators=tuple(annotations),
        kind=kind,
    )
    return [info, *nested]


def _bases(ctx: Context, node: Node) -> list[str]:
    bases: list[str] = []
    for child in node.named_children:
        if child.type == "superclass":
            bases += [ctx.flat(n) for n in child.named_children]
        elif child.type in ("super_interfaces", "extends_interfaces"):
            for types in child.named_children:
                bases += [ctx.flat(n) for n in types.named_children] if types.type == "type_list" else [ctx.flat(types)]
    return bases


def _parameters(ctx: Context, node: Node | None) -> tuple[Parameter, ...]:
    found: list[Parameter] = []
    for child in node.named_children if node is not None else []:
        if child.type == "formal_parameter":
            annotation = ctx.flat(child.child_by_field_name("type")) + ctx.flat(child.child_by_field_name("dimensions"))
            found.append(Parameter(ctx.text(child.child_by_field_name("name")), annotation or None))
        elif child.type == "spread_parameter":  # String... notes
            types = [ctx.flat(n) for n in child.named_children if n.type not in ("modifiers", "variable_declarator")]
            declarator = next((n for n in child.named_children if n.type == "variable_declarator"), None)
            name = ctx.text(declarator.child_by_field_name("name")) if declarator is not None else ""
            found.append(Parameter(name, " ".join(types) or None, None, "var_positional"))
    return tuple(found)


def _method(ctx: Context, node: Node, owner: str, in_interface: bool) -> FunctionInfo:
    keywords, annotations = _modifiers(ctx, node)
    name = ctx.text(node.child_by_field_name("name")) or owner.rsplit(".", 1)[-1]
    returns = ctx.flat(node.child_by_field_name("type")) or None
    body = node.child_by_field_name("body")
    # An abstract or interface method has no body: its declared type says whether it returns something.
    returns_value = returns not in (None, "void") if body is None else ctx.returns_value(node)
    raises = [
        type_name(ctx.flat(thrown))
        for clause in node.named_children
        if clause.type == "throws"
        for thrown in clause.named_children
    ]
    for throw in ctx.throws(node):
        created = throw.named_children[0] if throw.named_child_count else None
        if created is not None and created.type == "object_creation_expression":
            raises.append(type_name(ctx.flat(created.child_by_field_name("type"))))
    return FunctionInfo(
        name=name,
        qualname=f"{owner}.{name}",
        parameters=_parameters(ctx, node.child_by_field_name("parameters")),
        returns=returns,
        decorators=tuple(annotations),
        start_line=node.start_point.row + 1,
        end_line=node.end_point.row + 1,
        docstring=ctx.docstring_above(node, _is_javadoc, single=True),
        complexity=ctx.complexity(node),
        is_public="public" in keywords or (in_interface and "private" not in keywords),
        is_method=True,
        returns_value=returns_value,
        raises=tuple(sorted(unique(raises))),
        declaration=_declaration(ctx.header(node), annotations),
    )


def _declaration(header: str, annotations: list[str]) -> str:
    """The header without its annotations (they are the ``decorators``), as Javadoc shows a signature."""
    for annotation in annotations:
        header = header.replace(f"@{annotation}", "", 1)
    return " ".join(header.split())
