"""JavaScript, TypeScript and TSX declarations: one extractor, since TypeScript's grammar extends JavaScript's.

What a file exports is read as TypeScript's compiler reads it: ES ``export`` statements, and
CommonJS's ``exports.x =``, ``module.exports =`` and assignments to the properties of the object
``module.exports`` is (``res.status = function status(code) {}`` after ``module.exports = res``).
Where the two differ, Node's runtime decides: ``module.exports = value`` replaces the object ``exports``
names, so ``exports.x =`` beside it exports nothing (TypeScript still lists ``x``). A JavaScript
constructor function (``this.x =`` in its body, or ``X.prototype.m =`` beside it) is a class whose
methods are its prototype's. Relative imports are resolved to files by :func:`import_targets`, as
TypeScript resolves them.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from codescribe.engine.analysis.languages import (
    Context,
    Extraction,
    LanguageSpec,
    clean_comments,
    last_row,
    type_name,
    unique,
)
from codescribe.engine.analysis.model import ClassInfo, FunctionInfo, ImportInfo, Parameter, VariableInfo

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
    # require("m") and import("m") calls anywhere; require's name is checked in Python.
    extra_patterns=(
        "(call_expression function: (identifier) arguments: (arguments . (string))) @require\n"
        "(call_expression function: (import) arguments: (arguments . (string))) @dynamic_import"
    ),
)

_FUNCTION_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})
_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "generator_function"})
_GENERATORS = frozenset({"generator_function", "generator_function_declaration"})
_CLASS_KINDS = {
    "class_declaration": "class",
    "abstract_class_declaration": "class",
    "class": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "type_alias_declaration": "type",
    "internal_module": "namespace",
    "module": "namespace",
}
_VARIABLES = frozenset({"lexical_declaration", "variable_declaration"})
#: Class members that are methods; ``method_signature`` in a class is an overload, the implementation follows.
_CLASS_METHODS = frozenset({"method_definition", "abstract_method_signature", "method_signature"})
_INTERFACE_METHODS = frozenset({"method_signature"})
_FIELDS = frozenset({"public_field_definition", "field_definition"})
_NO_VALUE = frozenset({"void", "never", "undefined", "Promise<void>"})
#: Tags of a block that documents the file (or declares a type, or is a licence), not the declaration below.
_FILE_TAG = re.compile(r"@(file|fileoverview|module|packageDocumentation)\b")
_NOT_A_DECLARATIONS_DOC = re.compile(r"@(file|fileoverview|module|packageDocumentation|license|typedef|callback)\b")
_EXPORT_OBJECTS = ("module.exports", "exports")
#: Nodes with a ``this`` of their own (an arrow function shares its encloser's).
_OWN_THIS = frozenset(
    {
        *_FUNCTION_DECLARATIONS,
        "function_expression",
        "generator_function",
        "method_definition",
        "class",
        "class_declaration",
    }
)
_Declared = TypeVar("_Declared", FunctionInfo, ClassInfo, VariableInfo)
_VALUE_LIMIT = 120  # a variable's value is kept up to this many characters
#: Extensions TypeScript tries after an extensionless specifier, in its order; then ``index`` in a folder.
_IMPLICIT = (".ts", ".tsx", ".d.ts", ".js", ".jsx")
#: The files Node itself runs; an import from one of them is resolved as Node resolves it.
_RUNTIME_EXTENSIONS = (".js", ".cjs", ".mjs")
#: A specifier's JavaScript extension, and the files TypeScript tries for it, in its order.
_REPLACED = {
    ".js": (".ts", ".tsx", ".d.ts", ".js", ".jsx"),
    ".jsx": (".tsx", ".d.ts", ".jsx"),
    ".mjs": (".mts", ".d.mts", ".mjs"),
    ".cjs": (".cts", ".d.cts", ".cjs"),
}
#: Variance annotations (``<in T>``, ``<out T>``, TypeScript 4.7), which tree-sitter-typescript 0.23 cannot parse.
_VARIANCE = re.compile(
    rb"([<,](?>\s+|/\*(?:[^*]|\*(?!/))*+\*/|//[^\n]*+)*+)"  # after < or , (and comments), without backtracking
    rb"((?:in|out)\s+(?:out\s+)?)(?=[A-Za-z_$][\w$]*\s*(?:extends\b|=|,|>))"
)
#: A generic call signature starting a line (``<R>(r: R): X`` in an interface); the grammar reads
#: ``X\n<R>`` as type arguments, where TypeScript needs them on the same line.
_CALL_SIGNATURE = re.compile(rb"\n[ \t]*([ \t])<[A-Za-z_$][\w$]*[ \t\r\n]*(?:extends\b|=|,|>)")
#: ``export default function (): T;``, the anonymous default export a ``.d.ts`` declares, which the
#: grammar cannot read without a name; the mask makes it ``export function default_(): T;``.
_ANONYMOUS_DEFAULT = re.compile(rb"\bexport([ \t]+)default([ \t]+)function([ \t]*)\(")


#: ``export { _null as null }``, ``export { function } from``: reserved words as exported names (valid since
#: ES2022) that the grammars reject; in the mask their first letter becomes ``_``.
_CLAUSE = re.compile(rb"(\b(?:export|import)\s*(?:type\s*)?\{)([^{}]*)(?=\})")
_RESERVED = re.compile(
    rb"(?<![\w$.])(?:break|case|catch|class|const|continue|debugger|delete|do|else|enum|export|extends|false|"
    rb"finally|for|function|if|import|in|instanceof|new|null|return|super|switch|this|throw|true|try|typeof|"
    rb"var|void|while|with|yield|let|static|package|private|protected|public|interface|implements)(?![\w$])"
)


def _is_jsdoc(text: str) -> bool:
    return text.startswith("/**") and text != "/**/"


def parse_input(data: bytes, language: str) -> bytes:
    r"""The file's bytes with what the grammar cannot parse masked, every offset kept.

    tree-sitter-typescript 0.23 reports valid TypeScript as errors in three places: variance
    annotations on type parameters (``interface ZodType<out Output = unknown>``; they become
    spaces), a generic call signature that starts a line after a member without ``;``
    (``): Curried\n\t<Recipe extends AnyFunc>(recipe: Recipe)``; the indentation before ``<`` becomes
    ``;``), and the anonymous default export a declaration file writes (``export default function
    (): T;``; it becomes ``export function default_(): T;``, read back as ``default``). Both
    grammars reject reserved words as names in an export or import clause (``export { _null as
    null }``, valid since ES2022; their first letter becomes ``_``). Only the parse sees the masked
    bytes: names and signatures are read from the source.

    Args:
        data: the file's UTF-8 bytes.
        language: ``javascript``, ``typescript`` or ``tsx`` (JavaScript has only its clauses masked;
            in TSX a line starting with ``<`` is JSX, so call signatures are left as they are).

    Returns:
        Bytes of the same length.

    Examples:
        >>> parse_input(b"interface A<out T = unknown, in out U> {}", "typescript")
        b'interface A<    T = unknown,        U> {}'
        >>> parse_input(b"interface P {\n  f(): C\n  <R>(r: R): X\n}", "typescript")
        b'interface P {\n  f(): C\n ;<R>(r: R): X\n}'
        >>> parse_input(b"export default function (): T;", "typescript")
        b'export function default_(): T;'
        >>> parse_input(b"export { _null as null };", "javascript")
        b'export { _null as _ull };'
    """

    def reserved(match: re.Match[bytes]) -> bytes:
        return match.group(1) + _RESERVED.sub(lambda word: b"_" + word.group()[1:], match.group(2))

    masked = _CLAUSE.sub(reserved, data)
    if language == "javascript":
        return masked

    def blank(match: re.Match[bytes]) -> bytes:
        return match.group(1) + re.sub(rb"[^\n]", b" ", match.group(2))

    masked = _VARIANCE.sub(blank, masked)
    masked = _ANONYMOUS_DEFAULT.sub(
        lambda m: b"export" + m[1] + b"function default" + b"_" * (len(m[2]) + len(m[3]) - 1) + b"(", masked
    )
    if language != "typescript":
        return masked
    out = bytearray(masked)
    for match in _CALL_SIGNATURE.finditer(masked):
        before = masked[: match.start()].rstrip()
        while before.endswith(b"*/") and b"/*" in before:  # a doc comment between the members
            before = before[: before.rindex(b"/*")].rstrip()
        if (
            before[-1:].isalnum()
            or before[-1:] in (b")", b"]", b"}", b"_", b"$")
            or (before.endswith(b">") and not before.endswith(b"=>"))
        ):
            out[match.start(1)] = ord(";")
    return bytes(out)


def extract(ctx: Context) -> Extraction:
    r"""Read the functions, classes, variables, imports and exports of one JavaScript, TypeScript or TSX file.

    Functions are declarations, and function or arrow values bound by ``const`` / ``let`` / ``var``
    or assigned to an export (``exports.name =``, ``res.name =`` when ``module.exports = res``);
    classes include TypeScript's interfaces, enums, type aliases (kind ``type``) and namespaces, and
    JavaScript constructor functions (their methods assigned to ``X.prototype``). Imports come from
    ``import``, ``export ... from``, ``require("m")`` and ``import("m")``. Public means exported,
    the ES way or the CommonJS way. A declaration's doc is the nearest ``/** */`` block above it
    (blank lines and ``//`` comments may come between, as TypeScript attaches JSDoc), unless that
    block is tagged ``@file``, ``@fileoverview``, ``@module``, ``@packageDocumentation``,
    ``@license``, ``@typedef`` or ``@callback``. The module's doc is a ``/** */`` block before the
    first statement tagged ``@file``, ``@fileoverview``, ``@module`` or ``@packageDocumentation``, or
    the first of several such blocks, or the only one when an import (or nothing) follows, or a
    leading block of ``//`` comments set off by a blank line before an import; a ``/*!`` licence is
    not documentation.

    Args:
        ctx: the parsed file, with the captures of :data:`SPEC`'s query.

    Returns:
        What the file declares.

    Examples:
        >>> import tree_sitter as ts, tree_sitter_javascript as tsjs
        >>> from codescribe.engine.analysis.languages import Context
        >>> grammar = ts.Language(tsjs.language())
        >>> data = b'import fs from "fs";\n\n/** Adds. */\n\n'
        >>> data += b"export function add(a, b = 1) {\n  return a + b;\n}\n\n"
        >>> data += b"class Box { get() { return 1 } }\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> found = extract(Context(data, root, captures, SPEC.comments))
        >>> [(function.signature, function.docstring) for function in found.functions]
        [('add(a, b = 1)', 'Adds.')]
        >>> [(cls.name, cls.is_public) for cls in found.classes], found.exports, found.imports[0].module
        ([('Box', False)], ['add'], 'fs')
        >>> data = b"var res = Object.create(null);\nmodule.exports = res;\n\n"
        >>> data += b"/**\n * Set status `code`.\n */\n\nres.status = function status(code) {\n  return this;\n};\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> found = extract(Context(data, root, captures, SPEC.comments))
        >>> [(f.signature, f.docstring, f.is_public) for f in found.functions], found.exports
        ([('status(code)', 'Set status `code`.', True)], ['res', 'status'])
    """
    return _Reader(ctx).read()


@dataclass
class _Constructor:
    """A JavaScript function that may turn out to be a class: its prototype's methods, found later."""

    function: FunctionInfo
    this_assignments: bool
    methods: list[FunctionInfo] = field(default_factory=list)
    prototype: bool = False


class _Reader:
    """Walks top-level statements; public means exported, which is only known once the file is read."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.out = Extraction()
        self.exported_locals: set[str] = set()
        #: Names bound to the object ``module.exports`` is: assignments to their properties are exports.
        self.export_objects: set[str] = set(_EXPORT_OBJECTS)
        #: Overload signatures (``function f(a: string): string;``) by name, with their docs.
        self.signatures: dict[str, list[tuple[Node, str | None]]] = {}
        self.constructors: dict[str, _Constructor] = {}
        #: What ``exports.x = ...`` made (by ``id``): public whatever locals share its name.
        self.exported_objects: set[int] = set()
        #: Names already assigned on the exports object: the first assignment is the declaration.
        self.assigned: set[str] = set()

    def read(self) -> Extraction:
        top = [*self.ctx.root.named_children, *_wrapped_module(self.ctx.root)]
        statements = [*top, *self.guarded_exports(top)]
        for node in statements:
            self.find_export_objects(node)
        for node in statements:
            self.statement(node)
        self.lone_signatures()
        self.calls()
        self.classes_from_constructors()
        out = self.out
        out.functions = [self.published(function) for function in out.functions]
        out.classes = [self.published(cls) for cls in out.classes]
        out.variables = [self.published(variable) for variable in out.variables]
        out.exports = unique(out.exports)
        out.module_docstring = self.module_docstring()
        return out

    def published(self, item: _Declared) -> _Declared:
        """``item``, public when it is exported by name or was made by ``exports.x = ...``."""
        return replace(item, is_public=item.name in self.exported_locals or id(item) in self.exported_objects)

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

    def declaration(self, node: Node, anchor: Node, default_name: str = "", anonymous: bool = False) -> list[str]:
        """Records a declaration (documented by comments above ``anchor``) and returns the names it binds."""
        ctx = self.ctx
        name = default_name if anonymous else ctx.text(node.child_by_field_name("name")) or default_name
        if node.type == "ambient_declaration":  # declare function / class / namespace / const ...
            inner = [child for child in node.named_children if child.type != "comment"]
            return self.declaration(inner[0], anchor, default_name) if inner else []
        if node.type == "function_signature" and name:  # an overload; the implementation follows
            self.signatures.setdefault(name, []).append((node, self.doc(anchor)))
            return [name]
        if node.type in _FUNCTION_DECLARATIONS or (node.type in _FUNCTION_VALUES and name):
            function = self.function(node, name, self.doc(anchor))
            self.out.functions.append(self.with_overloads(function))
            if node.type == "function_declaration" and name not in self.constructors:
                self.constructors[name] = _Constructor(self.out.functions[-1], _assigns_this(node))
            return [name]
        if node.type in _CLASS_KINDS and name and not name.startswith(("'", '"')):
            self.out.classes.append(self.klass(node, name, anchor))
            return [name]
        if node.type in _VARIABLES:
            declarators = [child for child in node.named_children if child.type == "variable_declarator"]
            single = anchor if len(declarators) == 1 else None  # a lone declarator takes the statement's doc
            return [name for declarator in declarators for name in self.variable(declarator, single, node)]
        return [name] if name else []

    def variable(self, declarator: Node, anchor: Node | None, statement: Node) -> list[str]:
        ctx = self.ctx
        target = declarator.child_by_field_name("name")
        if target is None:
            return []
        value = _final_value(declarator.child_by_field_name("value"))
        doc = self.doc(anchor)
        if value is not None and _is_require(ctx, value):  # an import, not a variable
            return [ctx.text(n) for n in ([target] if target.type == "identifier" else _pattern_names(target))]
        if target.type != "identifier":
            names = [ctx.text(n) for n in _pattern_names(target)]
            self.out.variables += [self.variable_info(n, None, statement, target, doc) for n in names]
            return names
        name = ctx.text(target)
        # var proto = module.exports = function () {}: the export is named by the function, or the variable
        exported = self.exports_chain(declarator.child_by_field_name("value"))
        if value is not None and value.type in _FUNCTION_VALUES:
            own = ctx.text(value.child_by_field_name("name")) if exported else ""
            declared = declarator.child_by_field_name("type")
            typed = declared.named_children[0] if declared is not None and declared.named_child_count else None
            function = self.function(
                value,
                own or name,
                doc,
                start=anchor or statement,
                typed=typed if typed is not None and typed.type == "function_type" else None,
            )
            self.out.functions.append(function)
            if exported:
                self.module_exports_is(own or name)
        elif value is not None and value.type in _CLASS_KINDS:
            self.out.classes.append(self.klass(value, name, anchor or statement))
            if exported:
                self.module_exports_is(name)
        elif exported and value is not None and value.type == "identifier":
            self.module_exports_is(ctx.text(value))
        elif not (exported and value is not None and value.type == "object"):
            self.out.variables.append(self.variable_info(name, value, statement, declarator, doc))
            if exported:
                self.exported_locals.add(name)
        return [name]

    def variable_info(self, name: str, value: Node | None, statement: Node, at: Node, doc: str | None) -> VariableInfo:
        ctx = self.ctx
        text = ctx.flat(value) if value is not None else None
        if text is not None and len(text) > _VALUE_LIMIT:
            text = text[: _VALUE_LIMIT - 3] + "..."
        annotation = ctx.flat(at.child_by_field_name("type")) if at.type == "variable_declarator" else ""
        constant = any(child.type == "const" for child in statement.children)
        return VariableInfo(
            name=name,
            kind="constant" if constant else "variable",
            annotation=_annotation(annotation) or None,
            value=text,
            line=at.start_point.row + 1,
            docstring=doc,
        )

    def export(self, node: Node) -> None:
        ctx, out = self.ctx, self.out
        declaration = node.child_by_field_name("declaration")
        # the mask names an anonymous ``export default function (`` ``default_`` (see parse_input)
        anonymous = declaration is not None and bool(_ANONYMOUS_DEFAULT.match(ctx.text(node).encode()))
        is_default = anonymous or any(child.type == "default" for child in node.children)
        value = node.child_by_field_name("value")
        source = node.child_by_field_name("source")
        if declaration is not None:
            names = self.declaration(declaration, anchor=node, default_name="default", anonymous=anonymous)
            self.exported_locals.update(names)
            out.exports += ["default", *names] if is_default else names
            if is_default and names:
                out.default_export = names[0]
        elif value is not None or any(child.type == "=" for child in node.children):  # export default x / export = x
            out.exports.append("default")
            self.export_default(value or node.named_children[-1], node)
        imported: list[str] = []
        aliases: list[tuple[str, str]] = []
        for child in node.named_children:
            if child.type == "export_clause":
                for spec in child.named_children:
                    if spec.type != "export_specifier":
                        continue
                    local = ctx.text(spec.child_by_field_name("name"))
                    exported = ctx.text(spec.child_by_field_name("alias")) or local
                    out.exports.append(exported)
                    imported.append(local)
                    if exported != local:
                        aliases.append((exported, local))
                    if source is None:
                        self.exported_locals.add(local)
            elif child.type == "namespace_export":  # ``export * as P from``: P, as ``import * as P`` binds it
                named = [ctx.text(n) for n in child.named_children]
                imported += named or ["*"]
                out.exports += named
        if source is not None:
            whole = any(child.type == "namespace_export" for child in node.named_children)
            self.imported(source, node, imported or ["*"], aliases, namespace=whole)
        else:
            out.export_aliases += [pair for pair in aliases if pair[0] != "default"]

    def import_(self, node: Node) -> None:
        ctx = self.ctx
        source = node.child_by_field_name("source")
        names: list[str] = []
        aliases: list[tuple[str, str]] = []
        whole = False
        for child in node.named_children:
            if child.type == "import_require_clause":  # TypeScript: import fs = require("fs"), as require's
                source = child.child_by_field_name("source")
            elif child.type != "import_clause":
                continue
            for part in child.named_children:
                if part.type == "identifier":  # ``import X from``: the module's default, bound to X
                    names.append("default")
                    aliases.append((ctx.text(part), "default"))
                elif part.type == "namespace_import":
                    names += [ctx.text(n) for n in part.named_children if n.type == "identifier"]
                    whole = True
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type == "import_specifier":
                            names.append(imported := ctx.text(spec.child_by_field_name("name")))
                            if (bound := ctx.text(spec.child_by_field_name("alias"))) and bound != imported:
                                aliases.append((bound, imported))
        if source is not None:
            self.imported(source, node, names, aliases, namespace=whole)

    def imported(
        self, source: Node, at: Node, names: list[str], aliases: list[tuple[str, str]], namespace: bool = False
    ) -> None:
        """Records an import of ``names`` from the module ``source`` (a string node), on the line of ``at``."""
        module = _string_value(self.ctx.text(source))
        info = ImportInfo(module, tuple(names), at.start_point.row + 1, namespace=namespace, aliases=tuple(aliases))
        self.out.imports.append(info)

    def calls(self) -> None:
        """``require("m")`` and ``import("m")`` calls, wherever they are (not ``typeof import("m")``)."""
        ctx = self.ctx
        # Tree-sitter's captures are not always in the source's order (minified code, several calls on a line):
        # the imports are taken in the order they are written, so that an analysis is the same every run.
        calls = [
            (call, capture == "require")
            for capture in ("require", "dynamic_import")
            for call in ctx.extra.get(capture, ())
        ]
        for call, required in sorted(calls, key=lambda pair: pair[0].start_byte):
            if required and ctx.text(call.child_by_field_name("function")) != "require":
                continue
            arguments = call.child_by_field_name("arguments")
            if arguments is None or arguments.named_child_count != 1:
                continue
            if call.parent is not None and call.parent.type == "type_query":
                continue
            names: list[str] = []
            aliases: list[tuple[str, str]] = []
            parent = call.parent
            target = parent.child_by_field_name("name") if parent is not None else None
            if parent is not None and parent.type == "variable_declarator" and target is not None:
                if target.type == "identifier":  # const m = require("m"): m's module.exports, its default
                    names, aliases = ["default"], [(ctx.text(target), "default")]
                else:  # const { a, b: c } = require("m"): m's a and b, b bound to c
                    aliases = _destructured(ctx, target)
                    names = [name for _, name in aliases]
                    aliases = [(bound, name) for bound, name in aliases if bound != name]
            elif _assigns_module_exports(ctx, parent, call):
                names = ["*", "default"]  # module.exports = require("m"): m's exports, its default too
            self.imported(arguments.named_children[0], call, names, aliases)
        self.out.imports.sort(key=lambda info: info.line)

    # -- CommonJS -------------------------------------------------------------------------------

    def guarded_exports(self, top: list[Node]) -> list[Node]:
        """The assignments in a module-level ``if`` that tests for CommonJS: UMD's ``if (typeof module !==
        'undefined') { module.exports = EventEmitter; }`` (eventemitter3), its ``else if`` branches too."""
        found: list[Node] = []
        for node in top:
            branch: Node | None = node
            while branch is not None and branch.type == "if_statement":
                condition = self.ctx.text(branch.child_by_field_name("condition"))
                body = branch.child_by_field_name("consequence")
                if re.search(r"\b(?:module|exports)\b", condition) and body is not None:
                    inside = body.named_children if body.type == "statement_block" else [body]
                    found += [child for child in inside if child.type == "expression_statement"]
                alternative = branch.child_by_field_name("alternative")
                branch = (
                    alternative.named_children[0] if alternative is not None and alternative.named_children else None
                )
        return found

    def find_export_objects(self, node: Node) -> None:
        """Names bound to ``module.exports`` (``var app = exports = module.exports = {}``, ``module.exports = res``)."""
        ctx = self.ctx
        if node.type in _VARIABLES:
            for declarator in node.named_children:
                value = declarator.child_by_field_name("value") if declarator.type == "variable_declarator" else None
                if value is not None and self.exports_chain(value):
                    target = declarator.child_by_field_name("name")
                    if target is not None and target.type == "identifier":
                        self.export_objects.add(ctx.text(target))
            return
        chain = node.named_children[0] if node.type == "expression_statement" and node.named_child_count else None
        if chain is None or not self.exports_chain(chain):
            return
        targets, value = self.assignment_chain(chain)
        names = {ctx.text(t) for t in targets if t.type == "identifier"}
        self.export_objects.update(names)
        if value is not None and value.type == "identifier":
            self.export_objects.add(ctx.text(value))
        elif "exports" not in names:
            # ``module.exports = setup(exports)`` replaces the object ``exports`` names: what is assigned to
            # ``exports.x`` (before or after) is no longer exported, as Node's module wrapper behaves.
            self.export_objects.discard("exports")

    def exports_chain(self, node: Node | None) -> bool:
        """Whether an assignment chain assigns ``module.exports`` (``exports = module.exports = x``)."""
        if node is None or node.type != "assignment_expression":
            return False
        targets, _ = self.assignment_chain(node)
        return any(self.ctx.text(target) == "module.exports" for target in targets)

    def assignment_chain(self, node: Node) -> tuple[list[Node], Node | None]:
        """``a = b.c = value``: the targets (``a``, ``b.c``) and the value, parentheses removed."""
        targets: list[Node] = []
        value: Node | None = node
        while value is not None and value.type == "assignment_expression":
            left = value.child_by_field_name("left")
            if left is not None:
                targets.append(left)
            value = value.child_by_field_name("right")
        return targets, _final_value(value)

    def commonjs(self, node: Node) -> None:
        """``module.exports =``, ``exports.name =``, ``o.name =`` (o the exports object), ``X.prototype.m =``."""
        ctx = self.ctx
        expression = node.named_children[0] if node.named_child_count else None
        if expression is not None and expression.type == "call_expression":
            self.define_property(expression, node)
            return
        if expression is None or expression.type != "assignment_expression":
            return
        targets, value = self.assignment_chain(expression)
        if value is None:
            return
        for target in targets:
            text = ctx.text(target)
            if text == "module.exports":
                self.module_exports(value, node)
                continue
            if target.type != "member_expression":
                continue
            owner = ctx.text(target.child_by_field_name("object"))
            name = ctx.text(target.child_by_field_name("property"))
            constructor = self.constructors.get(owner.removesuffix(".prototype"))
            if owner in self.export_objects and name:
                self.export_property(name, value, node)
            elif owner.endswith(".prototype") and constructor is not None:
                constructor.prototype = True
                self.constructor_method(constructor, name, value, node)
            elif text.endswith(".prototype") and text[: -len(".prototype")] in self.constructors:
                self.constructors[text[: -len(".prototype")]].prototype = True  # X.prototype = {...}
            elif constructor is not None:  # X.m = function: static
                self.constructor_method(constructor, name, value, node)

    def constructor_method(self, constructor: _Constructor, name: str, value: Node, anchor: Node) -> None:
        """``X.prototype.name = value`` or ``X.name = value``: a method of ``X`` when ``value`` is a function."""
        if value.type in _FUNCTION_VALUES:
            method = self.function(value, name, self.doc(anchor), owner=constructor.function.name)
            constructor.methods.append(replace(method, is_public=not _tagged_private(method.docstring)))

    def define_property(self, call: Node, anchor: Node) -> None:
        """``Object.defineProperty(exports, 'json', {...})``: an export named ``json`` (body-parser's getters),
        as TypeScript reads it."""
        ctx = self.ctx
        arguments = call.child_by_field_name("arguments")
        if ctx.text(call.child_by_field_name("function")) != "Object.defineProperty" or arguments is None:
            return
        args = arguments.named_children
        if len(args) < 3 or ctx.text(args[0]) not in self.export_objects | {"module.exports"}:
            return
        if args[1].type != "string" or not (name := ctx.text(args[1])[1:-1]):
            return
        self.out.exports.append(name)
        if name not in self.assigned:
            self.assigned.add(name)
            made = self.variable_info(name, args[2], anchor, anchor, self.doc(anchor))
            self.out.variables.append(made)
            self.exported_objects.add(id(made))

    def export_default(self, value: Node, anchor: Node) -> None:
        """The module's default export is ``value``: a name, a declaration, or a value (a variable ``default``)."""
        if value.type == "identifier":
            names = [self.ctx.text(value)]
        elif value.type in _FUNCTION_VALUES or value.type in _CLASS_KINDS:
            names = self.declaration(value, anchor=anchor, default_name="default")
        else:
            names = ["default"]
            self.out.variables.append(self.variable_info("default", value, anchor, anchor, self.doc(anchor)))
        self.exported_locals.update(names)
        self.out.exports += names
        self.out.default_export = names[0] if names else None

    def module_exports_is(self, name: str) -> None:
        """``module.exports`` is the function, class or value ``name``: the module's default export."""
        self.out.exports.append(name)
        self.exported_locals.add(name)
        self.out.default_export = name

    def module_exports(self, value: Node, anchor: Node) -> None:
        """``module.exports = value``: an object's entries are exports; a name or declaration is the export."""
        ctx = self.ctx
        # ``module.exports = exports`` is the same object; ``= require("m")`` re-exports m (an import, see calls).
        if ctx.text(value) == "exports" or _is_require(ctx, value):
            return
        if value.type != "object":
            self.export_default(value, anchor)
            return
        for entry in value.named_children:
            key = entry.child_by_field_name("key") if entry.type == "pair" else entry
            self.out.exports.append(ctx.text(key))
            local = entry.child_by_field_name("value") if entry.type == "pair" else entry
            self.exported_locals.add(ctx.text(local))

    def export_property(self, name: str, value: Node, anchor: Node) -> None:
        """``exports.name = value``: a function, a class, an alias of a local, or a variable."""
        ctx = self.ctx
        self.out.exports.append(name)
        if name in self.assigned:  # res.sendfile = deprecate.function(res.sendfile, ...): still the function
            return
        self.assigned.add(name)
        made: FunctionInfo | ClassInfo | VariableInfo
        if value.type in _FUNCTION_VALUES:
            made = self.function(value, name, self.doc(anchor))
            self.out.functions.append(made)
        elif value.type in _CLASS_KINDS:
            made = self.klass(value, name, anchor)
            self.out.classes.append(made)
        elif value.type == "identifier":  # ``exports.request = req``: req, exported as request
            self.exported_locals.add(local := ctx.text(value))
            if local != name:
                self.out.export_aliases.append((name, local))
            return
        elif value.type not in ("member_expression", "subscript_expression") and not _is_require(ctx, value):
            made = self.variable_info(name, value, anchor, anchor, self.doc(anchor))
            self.out.variables.append(made)
        else:
            return
        self.exported_objects.add(id(made))

    def classes_from_constructors(self) -> None:
        """A function TypeScript takes for a class (``this.x =`` in it, or a prototype) becomes one."""
        classes: dict[int, ClassInfo] = {}
        for constructor in self.constructors.values():
            if not (constructor.this_assignments or constructor.prototype):
                continue
            function = constructor.function
            classes[id(function)] = ClassInfo(
                name=function.name,
                methods=tuple(replace(m, is_method=True) for m in constructor.methods),
                start_line=function.start_line,
                end_line=max([function.end_line, *(m.end_line for m in constructor.methods)]),
                docstring=function.docstring,
                kind="class",
            )
        self.out.classes += list(classes.values())
        self.out.functions = [f for f in self.out.functions if id(f) not in classes]

    # -- declarations -------------------------------------------------------------------------

    def doc(self, anchor: Node | None, skip: frozenset[str] = frozenset()) -> str | None:
        """The nearest ``/** */`` block above ``anchor`` that TypeScript would attach to it.

        Blank lines and other comments may come between; code (or a comment trailing code) ends
        the search; blocks of the file or of a type (:data:`_NOT_A_DECLARATIONS_DOC`) are passed over.
        """
        if anchor is None:
            return None
        ctx = self.ctx
        sibling = anchor.prev_named_sibling
        while sibling is not None:
            if sibling.type in skip:
                sibling = sibling.prev_named_sibling
                continue
            if sibling.type not in ctx.comment_types or ctx.is_trailing(sibling):
                return None
            text = ctx.text(sibling)
            if _is_jsdoc(text) and not _NOT_A_DECLARATIONS_DOC.search(text):
                return clean_comments([text])
            sibling = sibling.prev_named_sibling
        return None

    def with_overloads(self, function: FunctionInfo) -> FunctionInfo:
        """The implementation of overloaded ``function_signature`` declarations, with their signatures and doc."""
        signatures = self.signatures.pop(function.qualname, None)
        if not signatures:
            return function
        first = signatures[0][0]  # the overloads' group starts here
        start = first.parent if first.parent is not None and first.parent.type == "export_statement" else first
        overloads = [self.function(node, function.name, doc) for node, doc in signatures]
        return _as_overloaded(function, overloads, start.start_point.row + 1)

    def lone_signatures(self) -> None:
        """``declare function f(): T`` (or overloads without an implementation): the first is the function."""
        for name, signatures in list(self.signatures.items()):
            overloads = [self.function(node, name, doc) for node, doc in signatures]
            first = overloads[0]
            self.out.functions.append(
                _as_overloaded(first, overloads, first.start_line) if len(overloads) > 1 else first
            )
        self.signatures.clear()

    def function(
        self,
        node: Node,
        name: str,
        docstring: str | None,
        *,
        owner: str = "",
        public: bool = True,
        decorators: tuple[str, ...] = (),
        start: Node | None = None,
        typed: Node | None = None,
    ) -> FunctionInfo:
        """The :class:`FunctionInfo` of ``node`` (a declaration, a method, or a function value);
        ``start``: the statement it begins with (``export const f = ...``), when not ``node``;
        ``typed``: the declared function type that gives its parameters and return type (``const f:
        (a: T) => R = ...``), when the variable declares one."""
        ctx = self.ctx
        typed = typed or node
        returns = _annotation(ctx.flat(typed.child_by_field_name("return_type"))) or None
        body = node.child_by_field_name("body")
        if body is None:
            returns_value = returns is not None and returns not in _NO_VALUE
        elif node.type == "arrow_function" and body.type != "statement_block":
            returns_value = True
        else:
            returns_value = ctx.returns_value(node)
        thrown = [  # a catch takes every exception: a throw in its try is kept unless the catch re-throws
            throw.named_children[0]
            for throw in ctx.throws(node)
            if throw.named_child_count and not ctx.caught(throw, node, lambda handler: True)
        ]
        raises = [
            type_name(ctx.flat(t.child_by_field_name("constructor"))) for t in thrown if t.type == "new_expression"
        ]
        return FunctionInfo(
            name=name,
            qualname=f"{owner}.{name}" if owner else name,
            parameters=self.parameters(typed),
            returns=returns,
            is_async=any(child.type == "async" for child in node.children),
            is_generator=node.type in _GENERATORS or any(child.type == "*" for child in node.children),
            decorators=decorators,
            start_line=(start or node).start_point.row + 1,
            end_line=node.end_point.row + 1,
            docstring=docstring,
            complexity=ctx.complexity(node),
            is_public=public,
            is_method=bool(owner),
            returns_value=returns_value,
            raises=tuple(sorted(unique(raises))),
            declaration=self.declaration_text(node, name, typed),
        )

    def declaration_text(self, node: Node, name: str, typed: Node | None = None) -> str:
        """``name(parameters): returns`` as the source writes it (TypeDoc's form), ``async`` first;
        the parameters and return type from ``typed`` (a declared function type) when given."""
        ctx = self.ctx
        typed = typed or node
        formal = typed.child_by_field_name("parameters") or typed.child_by_field_name("parameter")
        parameters = ctx.flat(formal) if formal is not None else "()"
        if not parameters.startswith("("):
            parameters = f"({parameters})"  # x => x
        generics = ctx.flat(typed.child_by_field_name("type_parameters"))
        returns = ctx.flat(typed.child_by_field_name("return_type"))
        if returns and not returns.startswith(":"):  # a function type's ``=> R``
            returns = f": {returns}"
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
                if default is None and child.type == "optional_parameter":
                    default = "undefined"  # ``x?: T``: a call may leave it out, and it is then undefined
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
        members = body.named_children if body is not None and kind in ("class", "interface") else []
        method_kinds = _INTERFACE_METHODS if kind == "interface" else _CLASS_METHODS
        methods: list[FunctionInfo] = []
        overloads: list[FunctionInfo] = []
        for member in members:
            value = member.child_by_field_name("value") if member.type in _FIELDS else None
            if member.type in method_kinds:
                target = member
            elif value is not None and value.type in _FUNCTION_VALUES:
                target = value  # handle = (event) => { ... }: a method in all but syntax
            else:
                continue
            method = self.method(member, target, name)
            if kind == "class" and member.type == "method_signature":
                overloads.append(method)  # an overload: its implementation (if any) follows
                continue
            earlier = [o for o in overloads if o.name == method.name]
            if earlier:
                overloads = [o for o in overloads if o.name != method.name]
                method = _as_overloaded(method, earlier, earlier[0].start_line)
            methods.append(method)
        methods += overloads  # a declared class's signatures, without implementations
        return ClassInfo(
            name=name,
            bases=tuple(self.bases(node)),
            methods=tuple(_accessors_merged(methods)),
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
        docstring = self.doc(anchor, skip=frozenset({"decorator"}))
        if docstring is None and anchor is not member:  # ``@log`` then ``/** Runs it. */``: the author's doc still
            docstring = self.doc(member)
        function = self.function(
            target,
            name,
            docstring,
            owner=owner,
            public=not (private or _tagged_private(docstring)),
            decorators=tuple(ctx.flat(d).removeprefix("@") for d in decorators),
        )
        accessor = any(child.type in ("get", "set") for child in member.children)
        return replace(function, is_property=True) if accessor else function

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
        ctx = self.ctx
        statements = [
            node
            for node in ctx.root.named_children
            if node.type not in ctx.comment_types and node.type != "hash_bang_line"
        ]
        while statements and _is_directive(statements[0]):  # "use strict"
            statements.pop(0)
        first = statements[0] if statements else None
        end = first.start_byte if first is not None else len(ctx.data)
        blocks = [
            text
            for text in (ctx.text(comment) for comment in ctx.comments if comment.start_byte < end)
            if _is_jsdoc(text) and "@license" not in text
        ]
        tagged = [text for text in blocks if _FILE_TAG.search(text)]
        plain = [text for text in blocks if not re.search(r"@(typedef|callback)\b", text)]
        before_import = first is None or first.type == "import_statement"
        if tagged or (plain and (len(plain) >= 2 or before_import)):
            return clean_comments([tagged[0] if tagged else plain[0]])
        # A leading block of // comments, set off by a blank line from the imports it heads.
        block = ctx.leading_comments(skip=frozenset({"hash_bang_line"}))
        if not block or not all(ctx.text(comment).startswith("//") for comment in block):
            return None
        following = block[-1].next_named_sibling
        if before_import and following == first and (first is None or first.start_point.row > last_row(block[-1]) + 1):
            return clean_comments(ctx.text(comment) for comment in block)
        return None


def _as_overloaded(implementation: FunctionInfo, overloads: list[FunctionInfo], start_line: int) -> FunctionInfo:
    """An overloaded function as callers see it: its overload signatures, the first one's parameters and
    return type, and the first doc of the overloads and the implementation, starting at ``start_line``.
    TypeScript hides the implementation's own signature ("the signature of the implementation is not visible
    from the outside", the Handbook's *Function Overloads*)."""
    first = overloads[0]
    docs = [function.docstring for function in (*overloads, implementation) if function.docstring]
    return replace(
        implementation,
        parameters=first.parameters,
        returns=first.returns,
        declaration=first.declaration,
        overloads=tuple(overload.signature for overload in overloads),
        docstring=docs[0] if docs else None,
        start_line=start_line,
    )


def _accessors_merged(methods: list[FunctionInfo]) -> list[FunctionInfo]:
    """A getter and its setter are one property (the first's place, the first doc of the two)."""
    merged: list[FunctionInfo] = []
    seen: dict[str, int] = {}
    for method in methods:
        if method.is_property and method.name in seen:
            index = seen[method.name]
            merged[index] = replace(merged[index], docstring=merged[index].docstring or method.docstring)
            continue
        if method.is_property:
            seen[method.name] = len(merged)
        merged.append(method)
    return merged


def _tagged_private(docstring: str | None) -> bool:
    """A member's JSDoc says ``@private`` or ``@protected`` (TypeScript's accessibility tags for JavaScript)."""
    return docstring is not None and re.search(r"@(private|protected)\b", docstring) is not None


def _assigns_this(function: Node) -> bool:
    """Whether ``this.x = ...`` in the function's own body (arrows share its ``this``; other functions do not)."""
    body = function.child_by_field_name("body")
    stack = list(body.named_children) if body is not None else []
    while stack:
        node = stack.pop()
        if node.type in _OWN_THIS:
            continue
        if node.type == "assignment_expression":
            left = node.child_by_field_name("left")
            target = (
                left.child_by_field_name("object") if left is not None and left.type == "member_expression" else None
            )
            if target is not None and target.type == "this":
                return True
        stack += node.named_children
    return False


def _wrapped_module(root: Node) -> list[Node]:
    """The statements of a module written inside a function run at once, as UMD wraps one (classnames:
    ``(function () { function classNames() {} ... module.exports = classNames; }());``): its own top level."""
    found: list[Node] = []
    for node in root.named_children:
        expression = node.named_children[0] if node.type == "expression_statement" and node.named_child_count else None
        while expression is not None and expression.type in ("parenthesized_expression", "unary_expression"):
            expression = expression.named_children[-1] if expression.named_child_count else None
        function = expression.child_by_field_name("function") if expression is not None else None
        while function is not None and function.type == "parenthesized_expression" and function.named_child_count:
            function = function.named_children[0]
        if expression is None or expression.type != "call_expression" or function is None:
            continue
        body = function.child_by_field_name("body") if function.type in _FUNCTION_VALUES else None
        if body is not None and body.type == "statement_block":
            found += body.named_children
    return found


def _final_value(node: Node | None) -> Node | None:
    """The value at the end of ``a = b = value``, without parentheses."""
    while node is not None and node.type in ("assignment_expression", "parenthesized_expression"):
        node = node.child_by_field_name("right") if node.type == "assignment_expression" else node.named_children[-1]
    return node


def _assigns_module_exports(ctx: Context, parent: Node | None, value: Node) -> bool:
    """Whether ``parent`` is ``module.exports = value``."""
    if parent is None or parent.type != "assignment_expression" or parent.child_by_field_name("right") != value:
        return False
    return ctx.text(parent.child_by_field_name("left")) == "module.exports"


def _is_require(ctx: Context, node: Node) -> bool:
    return node.type == "call_expression" and ctx.text(node.child_by_field_name("function")) == "require"


def _is_directive(node: Node) -> bool:
    return (
        node.type == "expression_statement" and node.named_child_count == 1 and node.named_children[0].type == "string"
    )


def _annotation(text: str) -> str:
    """A type annotation without the colon that introduces it."""
    return text.removeprefix(":").strip()


def _string_value(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] in "\"'`" else text


def _destructured(ctx: Context, pattern: Node) -> list[tuple[str, str]]:
    """``(bound name, property)`` for each name a destructuring pattern binds: ``{ a, b: c }`` binds a (property
    a) and c (property b); a name inside a nested pattern is its own."""
    renamed = {}
    for child in pattern.named_children:
        key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
        if child.type == "pair_pattern" and key is not None and value is not None and value.type == "identifier":
            renamed[ctx.text(value)] = ctx.text(key)
    return [(name, renamed.get(name, name)) for name in (ctx.text(n) for n in _pattern_names(pattern))]


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


def import_targets(imported: ImportInfo, path: str, modules: Mapping[str, str], root: Path) -> list[str]:
    """The project module a relative import names, resolved as TypeScript resolves it (``bundler`` mode).

    The rule, for a specifier starting with ``.`` (others are packages, not the project's files),
    joined to the importing file's folder:

    From a file Node runs (``.js``, ``.cjs``, ``.mjs``), Node's rule: the file named, then with one of
    those extensions added, then the folder's ``package.json`` ``main``, then its ``index``. From any
    other file, TypeScript's:

    1. a specifier ending in ``.js`` names ``.ts``, ``.tsx``, ``.d.ts``, then ``.js`` and ``.jsx``
       (``.jsx``: ``.tsx``, ``.d.ts``, ``.jsx``; ``.mjs``: ``.mts``, ``.d.mts``, ``.mjs``; ``.cjs``:
       ``.cts``, ``.d.cts``, ``.cjs``), in that order;
    2. otherwise the path itself (``./x.ts``), then with ``.ts``, ``.tsx``, ``.d.ts``, ``.js``,
       ``.jsx`` added;
    3. then, as a folder: its ``package.json``'s ``types``, ``typings`` or ``main`` file, then its
       ``index`` with those extensions.

    Args:
        imported: one import (``./util``, ``../types.js``, ``./router``).
        path: the importing file, relative to the project's root.
        modules: the project's modules (name -> relative path).
        root: the project's root (for a folder's ``package.json``).

    Returns:
        The one module the import resolves to, or nothing (a package, or a file outside the project).

    Examples:
        >>> from pathlib import Path
        >>> modules = {"lib/router/index": "lib/router/index.js", "lib/utils": "lib/utils.js"}
        >>> modules["src/types"] = "src/types.ts"
        >>> import_targets(ImportInfo("./router"), "lib/express.js", modules, Path("nowhere"))
        ['lib/router/index']
        >>> import_targets(ImportInfo("../utils"), "lib/router/index.js", modules, Path("nowhere"))
        ['lib/utils']
        >>> import_targets(ImportInfo("./types.js"), "src/index.ts", modules, Path("nowhere"))
        ['src/types']
        >>> import_targets(ImportInfo("express"), "index.js", modules, Path("nowhere"))
        []
    """
    specifier = imported.module
    if not specifier.startswith("."):
        return []
    base = posixpath.normpath(posixpath.join(posixpath.dirname(path), specifier))
    if base == ".." or base.startswith("../"):
        return []
    by_path = _by_path(modules)
    runtime = path.endswith(_RUNTIME_EXTENSIONS)  # Node runs it: the file named, never a declaration beside it
    for candidate in [*_file_candidates(base, runtime), *_folder_candidates(base, root, runtime)]:
        if candidate in by_path:
            return [by_path[candidate]]
    return []


_last_by_path: list[tuple[Mapping[str, str], dict[str, str]]] = []


def _by_path(modules: Mapping[str, str]) -> dict[str, str]:
    """Module names by file, built once per project (the import graph asks once per import)."""
    if not _last_by_path or _last_by_path[0][0] is not modules:
        _last_by_path[:] = [(modules, {file: name for name, file in modules.items()})]
    return _last_by_path[0][1]


def _file_candidates(base: str, runtime: bool) -> list[str]:
    """The files a specifier names, in the order they are tried; ``runtime``: as Node looks, not TypeScript."""
    if runtime:
        return [base, *(base + extension for extension in _RUNTIME_EXTENSIONS)]
    stem, extension = posixpath.splitext(base)
    if extension in _REPLACED:
        return [stem + replacement for replacement in _REPLACED[extension]]
    return [base, *(base + extension for extension in _IMPLICIT)]


def _folder_candidates(base: str, root: Path, runtime: bool) -> list[str]:
    """A folder's entry files: its ``package.json``'s ``types``, ``typings`` or ``main``, then its ``index``.

    ``runtime``: as Node looks (``main`` only, JavaScript extensions only), not as TypeScript does.
    """
    extensions = _RUNTIME_EXTENSIONS if runtime else _IMPLICIT
    candidates: list[str] = []
    manifest = root / base / "package.json"
    if manifest.is_file():
        try:
            fields = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            fields = {}
        for key in ("main",) if runtime else ("types", "typings", "main"):
            entry = fields.get(key) if isinstance(fields, dict) else None
            if isinstance(entry, str):
                found = posixpath.normpath(posixpath.join(base, entry))
                candidates += _file_candidates(found, runtime)
    return candidates + [f"{base}/index{extension}" for extension in extensions]
