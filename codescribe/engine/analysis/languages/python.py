"""Python through tree-sitter, for the files ``ast`` cannot read: a syntax error, or too large to parse whole.

tree-sitter recovers from errors, so the definitions around a broken line are still found.
Annotations and defaults are the source text as written.
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING

from codescribe.engine.analysis.languages import Context, Extraction, LanguageSpec, type_name, unique
from codescribe.engine.analysis.model import ClassInfo, FunctionInfo, ImportInfo, Parameter, ParameterKind
from codescribe.engine.analysis.python import catches
from codescribe.engine.cpu import literal_eval

if TYPE_CHECKING:
    from tree_sitter import Node

SPEC = LanguageSpec(
    branches=(
        "if_statement",
        "elif_clause",
        "for_statement",
        "while_statement",
        "except_clause",
        "conditional_expression",
        "with_statement",
        "assert_statement",
        "for_in_clause",
        "case_clause",
    ),
    returns=("return_statement", "yield"),
    nested_functions=("function_definition", "class_definition", "lambda"),
    comments=("comment",),
    throws=("raise_statement",),
    logical_operators=(),
    extra_patterns="(boolean_operator) @branch",
)

_SPLATS: dict[str, ParameterKind] = {
    "list_splat_pattern": "var_positional",
    "dictionary_splat_pattern": "var_keyword",
}


def extract(ctx: Context) -> Extraction:
    r"""Functions, classes, imports and ``__all__`` (or the public names) of one Python file.

    Used for the Python files ``ast`` cannot read: tree-sitter recovers around a syntax error, so the
    definitions before and after it are still found (a broken one may lose its parameters). A
    method's ``self`` or ``cls`` is left out of its parameters (not a ``@staticmethod``'s). The
    exports are the names of a literal ``__all__`` list or tuple; when there is none, or it is empty,
    the public top-level functions and classes.

    Args:
        ctx: The parsed file, with the captures of :data:`SPEC`'s query.

    Returns:
        What the file declares at its top level, methods inside their classes.

    Examples:
        >>> import tree_sitter as ts, tree_sitter_python as tspy
        >>> from codescribe.engine.analysis.languages import Context
        >>> grammar = ts.Language(tspy.language())
        >>> data = b"'''Geometry.'''\nimport math\n\ndef area(w: float, h: float = 1.0) -> float:\n"
        >>> data += b"    '''Area.'''\n    return w * h\n\ndef broken(:\n    pass\n\n"
        >>> data += b"class Box(Base):\n    def get(self, key):\n        return key\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> found = extract(Context(data, root, captures, SPEC.comments))
        >>> [(function.signature, function.docstring) for function in found.functions], found.module_docstring
        ([('area(w: float, h: float = 1.0) -> float', 'Area.'), ('broken()', None)], 'Geometry.')
        >>> [(cls.name, cls.bases, [method.signature for method in cls.methods]) for cls in found.classes]
        [('Box', ('Base',), ['get(key)'])]
        >>> [imported.module for imported in found.imports], found.exports
        (['math'], ['area', 'broken', 'Box'])
    """
    out = Extraction(module_docstring=_docstring(ctx, ctx.root))
    declared: list[str] | None = None
    for node in ctx.root.named_children:
        definition, decorators = _undecorated(ctx, node)
        if definition.type == "function_definition":
            out.functions.append(_function(ctx, definition, decorators, owner=None))
        elif definition.type == "class_definition":
            out.classes.append(_class(ctx, definition, decorators))
        elif definition.type in ("import_statement", "import_from_statement", "future_import_statement"):
            out.imports.append(_import(ctx, definition))
        elif definition.type == "expression_statement" and (names := _declared_all(ctx, definition)) is not None:
            declared = out.exports = names
    if declared is None:  # ``__all__ = []`` declares that nothing is exported
        out.exports = [f.name for f in out.functions if f.is_public] + [c.name for c in out.classes if c.is_public]
    out.exports = unique(out.exports)
    return out


def _undecorated(ctx: Context, node: Node) -> tuple[Node, tuple[str, ...]]:
    if node.type != "decorated_definition":
        return node, ()
    decorators = tuple(ctx.flat(d).removeprefix("@").strip() for d in node.named_children if d.type == "decorator")
    return node.child_by_field_name("definition") or node, decorators


def _docstring(ctx: Context, node: Node | None) -> str | None:
    children = node.named_children if node is not None else []
    first = next((child for child in children if child.type != "comment"), None)
    if first is None or first.type != "expression_statement" or first.named_child_count != 1:
        return None
    string = first.named_children[0]
    if string.type != "string":
        return None
    try:
        value = literal_eval(ctx.text(string))
    except (SyntaxError, ValueError):
        return None
    return inspect.cleandoc(value) if isinstance(value, str) else None


def _is_public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def _function(ctx: Context, node: Node, decorators: tuple[str, ...], owner: str | None) -> FunctionInfo:
    name = ctx.text(node.child_by_field_name("name"))
    parameters = _parameters(ctx, node.child_by_field_name("parameters"))
    if owner is not None and parameters and parameters[0].name in ("self", "cls") and "staticmethod" not in decorators:
        parameters = parameters[1:]
    returns = node.child_by_field_name("return_type")
    return FunctionInfo(
        name=name,
        qualname=f"{owner}.{name}" if owner else name,
        parameters=parameters,
        returns=ctx.flat(returns) if returns is not None else None,
        is_async=any(child.type == "async" for child in node.children),
        decorators=decorators,
        start_line=node.start_point.row + 1,
        end_line=node.end_point.row + 1,
        docstring=_docstring(ctx, node.child_by_field_name("body")),
        complexity=ctx.complexity(node),
        is_public=_is_public(name),
        is_method=owner is not None,
        returns_value=ctx.returns_value(node),
        raises=tuple(unique(_raises(ctx, node))),
    )


def _raises(ctx: Context, function: Node) -> list[str]:
    """The exceptions a function's own ``raise`` statements name, less those its own ``try`` catches."""
    found = []
    for throw in ctx.throws(function):
        raised = _raised(ctx, throw)
        if raised and not ctx.caught(throw, function, functools.partial(_takes, ctx, raised=raised)):
            found.append(raised)
    return found


def _takes(ctx: Context, handler: Node, raised: str) -> bool:
    """Whether an ``except`` clause takes ``raised``: bare ``except:``, or a class or tuple of them that
    :func:`~codescribe.engine.analysis.python.catches` says takes it."""
    value = handler.child_by_field_name("value")
    if value is not None and value.type == "as_pattern":
        value = value.named_children[0] if value.named_child_count else None
    if value is None:
        return True
    handled = value.named_children if value.type in ("tuple", "parenthesized_expression") else [value]
    return any(catches(type_name(ctx.text(h)), raised) for h in handled)


def _raised(ctx: Context, node: Node) -> str:
    value = next(iter(node.named_children), None)
    if value is not None and value.type == "call":
        value = value.child_by_field_name("function")
    return type_name(ctx.text(value)) if value is not None else ""


def _parameters(ctx: Context, node: Node | None) -> tuple[Parameter, ...]:
    if node is None:
        return ()
    found: list[Parameter] = []
    kind: ParameterKind = "positional"
    for child in node.named_children:
        if child.type == "positional_separator":
            found = [Parameter(p.name, p.annotation, p.default, "positional_only") for p in found]
            continue
        if child.type == "keyword_separator":
            kind = "keyword_only"
            continue
        name_node, annotation, default = child, child.child_by_field_name("type"), child.child_by_field_name("value")
        if child.type in ("typed_parameter", "default_parameter", "typed_default_parameter"):
            name_node = child.child_by_field_name("name") or child.named_children[0]
        if (splat := _SPLATS.get(name_node.type)) is not None:
            found.append(Parameter(ctx.text(name_node).lstrip("*"), _text(ctx, annotation), None, splat))
            if splat == "var_positional":
                kind = "keyword_only"
            continue
        if name_node.type != "identifier":
            continue  # an ERROR node where the source is broken
        found.append(Parameter(ctx.text(name_node), _text(ctx, annotation), _text(ctx, default), kind))
    return tuple(found)


def _text(ctx: Context, node: Node | None) -> str | None:
    return ctx.flat(node) if node is not None else None


def _class(ctx: Context, node: Node, decorators: tuple[str, ...]) -> ClassInfo:
    name = ctx.text(node.child_by_field_name("name"))
    body = node.child_by_field_name("body")
    methods = []
    for child in body.named_children if body is not None else ():
        definition, method_decorators = _undecorated(ctx, child)
        if definition.type == "function_definition":
            methods.append(_function(ctx, definition, method_decorators, owner=name))
    superclasses = node.child_by_field_name("superclasses")
    bases = superclasses.named_children if superclasses is not None else []
    return ClassInfo(
        name=name,
        bases=tuple(ctx.flat(base) for base in bases if base.type != "keyword_argument"),
        methods=tuple(methods),
        start_line=node.start_point.row + 1,
        end_line=node.end_point.row + 1,
        docstring=_docstring(ctx, body),
        is_public=not name.startswith("_"),
        decorators=decorators,
    )


def _import(ctx: Context, node: Node) -> ImportInfo:
    line = node.start_point.row + 1
    if node.type == "import_statement":
        first = node.named_children[0]
        target = first.child_by_field_name("name") if first.type == "aliased_import" else first
        return ImportInfo(ctx.text(target), (), line)
    module = node.child_by_field_name("module_name")
    level, name = 0, ctx.text(module) if module is not None else "__future__"
    if module is not None and module.type == "relative_import":
        prefix = next((c for c in module.named_children if c.type == "import_prefix"), None)
        level = len(ctx.text(prefix))
        dotted = next((c for c in module.named_children if c.type == "dotted_name"), None)
        name = ctx.text(dotted)
    names = []
    for child in node.children_by_field_name("name"):
        target = child.child_by_field_name("name") if child.type == "aliased_import" else child
        names.append(ctx.text(target))
    if any(child.type == "wildcard_import" for child in node.named_children):
        names.append("*")
    return ImportInfo(name, tuple(names), line, level)


def _declared_all(ctx: Context, node: Node) -> list[str] | None:
    assignment = next(iter(node.named_children), None)
    if (
        assignment is None
        or assignment.type != "assignment"
        or ctx.text(assignment.child_by_field_name("left")) != "__all__"
    ):
        return None
    value = assignment.child_by_field_name("right")
    if value is None or value.type not in ("list", "tuple"):
        return None
    names = []
    for item in value.named_children:
        try:
            literal = literal_eval(ctx.text(item)) if item.type == "string" else None
        except (SyntaxError, ValueError):
            literal = None
        if isinstance(literal, str):
            names.append(literal)
    return names
