"""JavaScript, TypeScript and TSX declarations: one extractor, since TypeScript's grammar extends JavaScript's."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from codescribe.engine.analysis.languages import (
    Context,
    Extraction,
    LanguageSpec,
    clean_comments,
    last_row,
    type_name,
    unique,
)
from codescribe.engine.analysis.model import ClassInfo, FunctionInfo, ImportInfo, Parameter

if TYPE_CHECKING:
    from tree_sitter import Node

SPEC = LanguageSpec(
    branches=(
        "if_statement",
        "for_statement",
        "for_in_statement",
        "while_statement",
        "do_statement",
        "switch_case",
        "catch_clause",
        "ternary_expression",
    ),
    returns=("return_statement", "yield_expression"),
    throws=("throw_statement",),
    nested_functions=(
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "generator_function",
        "arrow_function",
        "method_definition",
    ),
    comments=("comment",),
    # require("m") calls anywhere; the callee's name is checked in Python.
    extra_patterns="(call_expression function: (identifier) arguments: (arguments . (string))) @require",
)

_FUNCTION_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})
_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "generator_function"})
_CLASS_KINDS = {
    "class_declaration": "class",
    "abstract_class_declaration": "class",
    "class": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
}
_VARIABLES = frozenset({"lexical_declaration", "variable_declaration"})
#: Class members that are methods; ``method_signature`` in a class is an overload, the implementation follows.
_CLASS_METHODS = frozenset({"method_definition", "abstract_method_signature"})
_INTERFACE_METHODS = frozenset({"method_signature"})
_FIELDS = frozenset({"public_field_definition", "field_definition"})
_NO_VALUE = frozenset({"void", "never", "undefined", "Promise<void>"})
_FILE_TAG = re.compile(r"@(file|fileoverview|module|license|packageDocumentation)\b")


def _is_jsdoc(text: str) -> bool:
    return text.startswith("/**") and text != "/**/"


def extract(ctx: Context) -> Extraction:
    r"""Read the functions, classes, imports and exports of one JavaScript, TypeScript or TSX file.

    Functions are declarations, and function or arrow values bound by ``const`` / ``let`` / ``var``
    or assigned to ``exports.name``; classes include TypeScript's interfaces and enums. Imports
    come from ``import``, ``export ... from`` and ``require("m")`` calls. Public means exported,
    the ES way or the CommonJS way (``module.exports``, ``exports.name``). A ``/** */`` block directly
    above a declaration is its doc; the file's leading comment block is the module docstring,
    unless it is one JSDoc block attached to the first declaration without a ``@file``,
    ``@fileoverview``, ``@module``, ``@license`` or ``@packageDocumentation`` tag.

    Args:
        ctx: the parsed file, with the captures of :data:`SPEC`'s query.

    Returns:
        What the file declares.

    Examples:
        >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
        >>> from codescribe.engine.analysis.languages import Context
        >>> grammar = ts.Language(tsjs.language())
        >>> data = b'import fs from "fs";\n\n/** Adds. */\n'
        >>> data += b"export function add(a, b = 1) {\n  return a + b;\n}\n\n"
        >>> data += b"class Box { get() { return 1 } }\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> found = extract(Context(data, root, captures, SPEC.comments))
        >>> [(function.signature, function.docstring) for function in found.functions]
        [('add(a, b = 1)', 'Adds.')]
        >>> [(cls.name, cls.is_public) for cls in found.classes], found.exports, found.imports[0].module
        ([('Box', False)], ['add'], 'fs')
    """
    return _Reader(ctx).read()


class _Reader:
    """Walks top-level statements; public means exported, which is only known once the file is read."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.out = Extraction()
        self.exported_locals: set[str] = set()

    def read(self) -> Extraction:
        for node in self.ctx.root.named_children:
            self.statement(node)
        self.requires()
        public = self.exported_locals
        self.out.functions = [replace(f, is_public=f.name in public) for f in self.out.functions]
        self.out.classes = [replace(cls, is_public=cls.name in public) for cls in self.out.classes]
        self.out.exports = unique(self.out.exports)
        self.out.module_docstring = self.module_docstring()
        return self.out

    # -- statements ---------------------------------------------------------------------------

    def statement(self, node: Node) -> None:
        kind = node.type
        if kind == "export_statement":
            self.export(node)
        elif kind == "import_statement":
            self.import_(node)
        elif kind == "expression_statement":
            self.commonjs(node)
        else:
            self.declaration(node, anchor=node)

    def declaration(self, node: Node, anchor: Node, default_name: str = "") -> list[str]:
        """Records a declaration (documented by comments above ``anchor``) and returns the names it binds."""
        ctx = self.ctx
        name = ctx.text(node.child_by_field_name("name")) or default_name
        if node.type in _FUNCTION_DECLARATIONS or (node.type in _FUNCTION_VALUES and name):
            self.out.functions.append(self.function(node, name, self.doc(anchor)))
            return [name]
        if node.type in _CLASS_KINDS and name:
            self.out.classes.append(self.klass(node, name, anchor))
            return [name]
        if node.type in _VARIABLES:
            names: list[str] = []
            for declarator in node.named_children:
                if declarator.type == "variable_declarator":
                    names += self.variable(declarator, anchor)
            return names
        return [name] if name else []

    def variable(self, declarator: Node, anchor: Node) -> list[str]:
        ctx = self.ctx
        target = declarator.child_by_field_name("name")
        value = declarator.child_by_field_name("value")
        if target is None:
            return []
        if target.type != "identifier":
            return [ctx.text(n) for n in _pattern_names(target)]
        name = ctx.text(target)
        if value is not None and value.type in _FUNCTION_VALUES:
            self.out.functions.append(self.function(value, name, self.doc(anchor)))
        elif value is not None and value.type in _CLASS_KINDS:
            self.out.classes.append(self.klass(value, name, anchor))
        return [name]

    def export(self, node: Node) -> None:
        ctx, out = self.ctx, self.out
        is_default = any(child.type == "default" for child in node.children)
        declaration = node.child_by_field_name("declaration")
        value = node.child_by_field_name("value")
        source = node.child_by_field_name("source")
        if declaration is not None:
            names = self.declaration(declaration, anchor=node, default_name="default")
            self.exported_locals.update(names)
            out.exports += ["default", *names] if is_default else names
        elif value is not None:
            out.exports.append("default")
            names = self.declaration(value, anchor=node, default_name="default")
            if value.type == "identifier":
                names = [ctx.text(value)]
            self.exported_locals.update(names)
            out.exports += names
        imported: list[str] = []
        for child in node.named_children:
            if child.type == "export_clause":
                for spec in child.named_children:
                    if spec.type != "export_specifier":
                        continue
                    local = ctx.text(spec.child_by_field_name("name"))
                    out.exports.append(ctx.text(spec.child_by_field_name("alias")) or local)
                    imported.append(local)
                    if source is None:
                        self.exported_locals.add(local)
            elif child.type == "namespace_export":
                imported.append("*")
                out.exports += [ctx.text(n) for n in child.named_children]
        if source is not None:
            module = _string_value(ctx.text(source))
            out.imports.append(ImportInfo(module, tuple(imported or ["*"]), node.start_point.row + 1))

    def import_(self, node: Node) -> None:
        ctx = self.ctx
        source = node.child_by_field_name("source")
        names: list[str] = []
        for child in node.named_children:
            if child.type == "import_require_clause":  # TypeScript: import fs = require("fs")
                source = child.child_by_field_name("source")
                names += [ctx.text(n) for n in child.named_children if n.type == "identifier"]
            if child.type != "import_clause":
                continue
            for part in child.named_children:
                if part.type == "identifier":
                    names.append(ctx.text(part))
                elif part.type == "namespace_import":
                    names += [ctx.text(n) for n in part.named_children if n.type == "identifier"]
                elif part.type == "named_imports":
                    names += [
                        ctx.text(spec.child_by_field_name("name"))
                        for spec in part.named_children
                        if spec.type == "import_specifier"
                    ]
        if source is not None:
            self.out.imports.append(ImportInfo(_string_value(ctx.text(source)), tuple(names), node.start_point.row + 1))

    def requires(self) -> None:
        ctx = self.ctx
        for call in self.ctx.extra.get("require", ()):
            if ctx.text(call.child_by_field_name("function")) != "require":
                continue
            arguments = call.child_by_field_name("arguments")
            if arguments is None or arguments.named_child_count != 1:
                continue
            names: list[str] = []
            parent = call.parent
            if parent is not None and parent.type == "variable_declarator":
                target = parent.child_by_field_name("name")
                if target is not None:
                    names = (
                        [ctx.text(target)]
                        if target.type == "identifier"
                        else [ctx.text(n) for n in _pattern_names(target)]
                    )
            module = _string_value(ctx.text(arguments.named_children[0]))
            self.out.imports.append(ImportInfo(module, tuple(names), call.start_point.row + 1))
        self.out.imports.sort(key=lambda info: info.line)

    def commonjs(self, node: Node) -> None:
        """``module.exports = {...}`` and ``exports.name = ...``: CommonJS's way to export."""
        ctx = self.ctx
        assignment = node.named_children[0] if node.named_child_count else None
        if assignment is None or assignment.type != "assignment_expression":
            return
        target = ctx.text(assignment.child_by_field_name("left"))
        value = assignment.child_by_field_name("right")
        if value is None:
            return
        if target == "module.exports":
            if value.type == "object":
                for entry in value.named_children:
                    key = entry.child_by_field_name("key") if entry.type == "pair" else entry
                    self.out.exports.append(ctx.text(key))
                    local = entry.child_by_field_name("value") if entry.type == "pair" else entry
                    self.exported_locals.add(ctx.text(local))
            else:
                names = self.declaration(value, anchor=node)
                if value.type == "identifier":
                    names = [ctx.text(value)]
                self.out.exports += names
                self.exported_locals.update(names)
        elif target.startswith(("exports.", "module.exports.")):
            name = target.rsplit(".", 1)[1]
            self.out.exports.append(name)
            self.exported_locals.add(name)
            if value.type in _FUNCTION_VALUES:
                self.out.functions.append(self.function(value, name, self.doc(node)))
            elif value.type == "identifier":
                self.exported_locals.add(ctx.text(value))

    # -- declarations -------------------------------------------------------------------------

    def doc(self, anchor: Node) -> str | None:
        return self.ctx.docstring_above(anchor, _is_jsdoc, single=True)

    def function(
        self,
        node: Node,
        name: str,
        docstring: str | None,
        *,
        owner: str = "",
        public: bool = True,
        decorators: tuple[str, ...] = (),
    ) -> FunctionInfo:
        ctx = self.ctx
        returns = _annotation(ctx.flat(node.child_by_field_name("return_type"))) or None
        body = node.child_by_field_name("body")
        if body is None:
            returns_value = returns is not None and returns not in _NO_VALUE
        elif node.type == "arrow_function" and body.type != "statement_block":
            returns_value = True
        else:
            returns_value = ctx.returns_value(node)
        raises = []
        for throw in ctx.throws(node):
            thrown = throw.named_children[0] if throw.named_child_count else None
            if thrown is not None and thrown.type == "new_expression":
                raises.append(type_name(ctx.flat(thrown.child_by_field_name("constructor"))))
        return FunctionInfo(
            name=name,
            qualname=f"{owner}.{name}" if owner else name,
            parameters=self.parameters(node),
            returns=returns,
            is_async=any(child.type == "async" for child in node.children),
            decorators=decorators,
            start_line=node.start_point.row + 1,
            end_line=node.end_point.row + 1,
            docstring=docstring,
            complexity=ctx.complexity(node),
            is_public=public,
            is_method=bool(owner),
            returns_value=returns_value,
            raises=tuple(sorted(unique(raises))),
            declaration=self.declaration_text(node, name),
        )

    def declaration_text(self, node: Node, name: str) -> str:
        """``name(parameters): returns`` as the source writes them (TypeDoc's form), ``async`` first."""
        ctx = self.ctx
        formal = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
        parameters = ctx.flat(formal) if formal is not None else "()"
        if not parameters.startswith("("):
            parameters = f"({parameters})"  # x => x
        generics = ctx.flat(node.child_by_field_name("type_parameters"))
        returns = ctx.flat(node.child_by_field_name("return_type"))
        prefix = "async " if any(child.type == "async" for child in node.children) else ""
        return f"{prefix}{name}{generics}{parameters}{returns}"

    def parameters(self, node: Node) -> tuple[Parameter, ...]:
        ctx = self.ctx
        formal = node.child_by_field_name("parameters")
        if formal is None:  # x => x
            single = node.child_by_field_name("parameter")
            return (Parameter(ctx.text(single)),) if single is not None else ()
        found: list[Parameter] = []
        for child in formal.named_children:
            pattern: Node | None = child
            annotation = default = None
            if child.type in ("required_parameter", "optional_parameter"):
                pattern = child.child_by_field_name("pattern")
                annotation = _annotation(ctx.flat(child.child_by_field_name("type"))) or None
                default = ctx.flat(child.child_by_field_name("value")) or None
            elif child.type == "assignment_pattern":
                pattern = child.child_by_field_name("left")
                default = ctx.flat(child.child_by_field_name("right"))
            if pattern is None or pattern.type in ("comment", "this", "decorator"):
                continue
            if pattern.type == "rest_pattern":
                inner = pattern.named_children[0] if pattern.named_child_count else pattern
                found.append(Parameter(ctx.flat(inner), annotation, default, "var_positional"))
            else:
                found.append(Parameter(ctx.flat(pattern), annotation, default))
        return tuple(found)

    def klass(self, node: Node, name: str, anchor: Node) -> ClassInfo:
        ctx = self.ctx
        kind = _CLASS_KINDS[node.type]
        decorators = [
            ctx.flat(d).removeprefix("@") for d in (*anchor.children, *node.children) if d.type == "decorator"
        ]
        body = node.child_by_field_name("body")
        members = body.named_children if body is not None else []
        method_kinds = _INTERFACE_METHODS if kind == "interface" else _CLASS_METHODS
        methods = []
        for member in members:
            value = member.child_by_field_name("value") if member.type in _FIELDS else None
            if member.type in method_kinds:
                target = member
            elif value is not None and value.type in _FUNCTION_VALUES:
                target = value  # handle = (event) => { ... }: a method in all but syntax
            else:
                continue
            methods.append(self.method(member, target, name))
        return ClassInfo(
            name=name,
            bases=tuple(self.bases(node)),
            methods=tuple(methods),
            start_line=node.start_point.row + 1,
            end_line=node.end_point.row + 1,
            docstring=self.doc(anchor),
            decorators=tuple(unique(decorators)),
            kind=kind,
        )

    def method(self, member: Node, target: Node, owner: str) -> FunctionInfo:
        ctx = self.ctx
        name_node = member.child_by_field_name("name") or member.child_by_field_name("property")
        name = ctx.flat(name_node)
        _, decorators = ctx.comments_above(member, _is_jsdoc, skip=frozenset({"decorator"}), single=True)
        decorators += [child for child in member.children if child.type == "decorator"]
        private = name.startswith("#") or any(
            child.type == "accessibility_modifier" and ctx.text(child) in ("private", "protected")
            for child in member.children
        )
        # Comments sit above the decorators, which are the member's siblings in TypeScript's grammar.
        anchor = min([member, *decorators], key=lambda node: node.start_byte)
        return self.function(
            target,
            name,
            self.doc(anchor),
            owner=owner,
            public=not private,
            decorators=tuple(ctx.flat(d).removeprefix("@") for d in decorators),
        )

    def bases(self, node: Node) -> list[str]:
        ctx = self.ctx
        bases: list[str] = []
        for child in node.named_children:
            if child.type == "class_heritage":
                for clause in child.named_children:
                    if clause.type == "extends_clause":
                        bases.append(ctx.flat(clause).removeprefix("extends").strip())
                    elif clause.type == "implements_clause":
                        bases += [ctx.flat(n) for n in clause.named_children]
                    else:  # plain JavaScript: class_heritage holds the expression itself
                        bases.append(ctx.flat(clause))
            elif child.type == "extends_type_clause":
                bases += [ctx.flat(n) for n in child.named_children]
        return bases

    def module_docstring(self) -> str | None:
        block = self.ctx.leading_comments(skip=frozenset({"hash_bang_line"}))
        if not block:
            return None
        text = self.ctx.text(block[-1])
        following = block[-1].next_named_sibling
        # A JSDoc block touching the first declaration documents that declaration, not the file.
        attached = (
            following is not None
            and following.start_point.row <= last_row(block[-1]) + 1
            and following.type not in ("import_statement", "expression_statement")
        )
        if len(block) == 1 and _is_jsdoc(text) and attached and not _FILE_TAG.search(text):
            return None
        return clean_comments(self.ctx.text(comment) for comment in block)


def _annotation(text: str) -> str:
    """A type annotation without the colon that introduces it."""
    return text.removeprefix(":").strip()


def _string_value(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] in "\"'`" else text


def _pattern_names(pattern: Node) -> list[Node]:
    """The identifiers a destructuring pattern binds: ``{ a, b: c }`` binds a and c."""
    names = []
    for child in pattern.named_children:
        if child.type in ("identifier", "shorthand_property_identifier_pattern"):
            names.append(child)
        elif child.type == "pair_pattern":
            value = child.child_by_field_name("value")
            if value is not None and value.type == "identifier":
                names.append(value)
        elif child.type in ("object_pattern", "array_pattern", "rest_pattern"):
            names += _pattern_names(child)
    return names
