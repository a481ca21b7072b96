"""Go declarations: funcs, named types, consts and vars, with methods attached to their receiver's type.

Imports are resolved to the project's own packages by :func:`import_targets`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from codescribe.engine.analysis.languages import Context, Extraction, LanguageSpec, clean_comments, unique
from codescribe.engine.analysis.model import (
    ClassInfo,
    FunctionInfo,
    ImportInfo,
    Parameter,
    VariableInfo,
    VariableKind,
)

if TYPE_CHECKING:
    from tree_sitter import Node

SPEC = LanguageSpec(
    branches=("if_statement", "for_statement", "expression_case", "type_case", "communication_case"),
    returns=("return_statement",),
    nested_functions=("func_literal",),
    comments=("comment",),
)

#: Type kinds with a class kind of their own; another named type (``type Celsius float64``) is a ``type``.
_CLASS_KINDS = {"struct_type": "struct", "interface_type": "interface"}
#: ``//go:generate``, ``//nolint:...``, ``//line``: tool directives, which go doc leaves out of doc text.
_DIRECTIVE = re.compile(r"^//(line |extern |export |[a-z0-9]+:[a-z0-9])")
_BLANK_LINES = re.compile(r"\n{3,}")


def _is_public(name: str) -> bool:
    return name[:1].isupper()


def extract(ctx: Context) -> Extraction:
    r"""Read the functions, types, imports and exported names of one Go file.

    Methods are attached to their receiver's type; the methods of a type declared in another file
    of the package form an ``impl`` group of their own. Every named type is a class: a struct, an
    interface, or a ``type`` (``type Celsius float64``, ``type PositionalArgs func(...)``), as
    ``go doc`` lists them; aliases (``type B = A``) are not. Consts and vars are variables, one per
    name (``const ( A = iota; B )`` gives two); a struct's named fields are its attributes (kind
    ``field``), its embedded types its bases. The comment above ``package`` (tool directives
    such as ``//go:generate`` left out) is the module docstring, and any comment directly above a
    declaration is its doc, as for ``go doc``: in a grouped ``type ( ... )``, ``const ( ... )`` or
    ``var ( ... )``, a name without a comment of its own takes the group's.
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
        >>> data = b"package calc\n\n// Modes.\nconst (\n\tFast Mode = iota\n\tSlow\n)\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> found = extract(Context(data, root, captures, SPEC.comments))
        >>> [(v.name, v.kind, v.annotation, v.value, v.docstring) for v in found.variables]
        [('Fast', 'constant', 'Mode', 'iota', 'Modes.'), ('Slow', 'constant', None, None, 'Modes.')]
    """
    out = Extraction()
    types: dict[str, ClassInfo] = {}
    methods: dict[str, list[FunctionInfo]] = {}
    for node in ctx.root.named_children:
        kind = node.type
        if kind == "package_clause":
            out.module_docstring = _doc(ctx, node)
            out.package = next((ctx.text(n) for n in node.named_children if n.type == "package_identifier"), None)
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
            variables = _variables(ctx, node)
            out.variables += variables
            out.exports += [variable.name for variable in variables]
    for name, info in types.items():
        out.classes.append(replace(info, methods=info.methods + tuple(methods.pop(name, []))))
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


def _doc(ctx: Context, node: Node) -> str | None:
    comments, _ = ctx.comments_above(node, bool)  # any comment directly above documents a Go declaration
    text = clean_comments(text for c in comments if not _DIRECTIVE.match(text := ctx.text(c)))
    # As go/doc's text: a run of blank lines inside the comment is one blank line.
    return _BLANK_LINES.sub("\n\n", text) if text else None


def _types(ctx: Context, declaration: Node) -> dict[str, ClassInfo | None]:
    """The names a ``type`` declaration introduces: named types, and aliases (``type B = A``: kind
    ``alias``, the aliased type as its base)."""
    found: dict[str, ClassInfo | None] = {}
    for spec in declaration.named_children:
        if spec.type in ("type_spec", "type_alias"):
            name = ctx.text(spec.child_by_field_name("name"))
            info = _type(ctx, declaration, spec, name)
            if spec.type == "type_alias":
                info = replace(info, kind="alias", bases=(ctx.flat(spec.child_by_field_name("type")),), methods=())
            found[name] = info
    return found


def _imports(ctx: Context, node: Node) -> list[ImportInfo]:
    return [
        ImportInfo(ctx.text(spec.child_by_field_name("path")).strip('"`'), (), spec.start_point.row + 1)
        for spec in _specs(node, ("import_spec",))
    ]


def _specs(node: Node, kinds: tuple[str, ...] = ("var_spec", "const_spec")) -> list[Node]:
    """The specs of an ``import``, ``const`` or ``var`` declaration, grouped (``var ( ... )``: in a
    ``var_spec_list``) or not."""
    specs = [child for child in node.named_children if child.type in kinds]
    for group in node.named_children:
        if group.type in [f"{kind}_list" for kind in kinds]:
            specs += [spec for spec in group.named_children if spec.type in kinds]
    return specs


def _variables(ctx: Context, node: Node) -> list[VariableInfo]:
    """One variable per name of a ``const`` or ``var`` declaration, with its own value and doc.

    A name's value is its position's in the spec's values (none when the counts differ, as for
    ``a, b = f()``, or the spec repeats the one above, as ``iota`` constants do). Its doc is the
    comment above its spec inside a group, else the declaration's own.
    """
    kind: VariableKind = "constant" if node.type == "const_declaration" else "variable"
    group_doc = _doc(ctx, node)
    found: list[VariableInfo] = []
    for spec in _specs(node):
        # The grammar files the commas of "a, b = 1, 2" under the "name" field too.
        names = [name for name in spec.children_by_field_name("name") if name.type == "identifier"]
        values_node = spec.child_by_field_name("value")
        values = [value for value in values_node.named_children if value.type != "comment"] if values_node else []
        annotation = ctx.flat(spec.child_by_field_name("type")) or None
        docstring = _doc(ctx, spec) or group_doc  # a lone spec has no comment of its own: the declaration's
        for index, name in enumerate(names):
            text = ctx.text(name)
            value = ctx.text(values[index]) if len(values) == len(names) else None
            found.append(
                VariableInfo(
                    name=text,
                    kind=kind,
                    annotation=annotation,
                    value=value,
                    line=name.start_point.row + 1,
                    docstring=docstring,
                    is_public=_is_public(text),
                )
            )
    return found


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
    # In "type ( A struct{}; B int )" each spec may have its own comment, else it takes the group's
    # (as go/doc does); a lone spec's is above "type".
    docstring = _doc(ctx, spec) or _doc(ctx, declaration)
    bases: list[str] = []
    methods: list[FunctionInfo] = []
    attributes: list[VariableInfo] = []
    if body is not None and kind == "struct":
        for fields in body.named_children:
            for field in fields.named_children:
                if field.type != "field_declaration":
                    continue
                annotation = ctx.flat(field.child_by_field_name("type"))
                names = [n for n in field.children_by_field_name("name") if n.type == "field_identifier"]
                if not names:  # an embedded type: a base, not a field
                    bases.append(annotation.lstrip("*"))
                field_doc = _doc(ctx, field)
                attributes += [
                    VariableInfo(
                        name=ctx.text(n),
                        kind="field",
                        annotation=annotation or None,
                        line=n.start_point.row + 1,
                        docstring=field_doc,
                        is_public=_is_public(ctx.text(n)),
                    )
                    for n in names
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
        attributes=tuple(attributes),
    )


def import_targets(imported: ImportInfo, path: str, modules: Mapping[str, str], root: Path) -> list[str]:
    """The project's modules (files) a Go import reaches: every file of the imported package's folder.

    The package's folder is found from its import path:

    1. with a ``go.mod`` at the root, the import path must be its module path (the root's package)
       or start with it and ``/`` (the folder is the rest: ``github.com/spf13/cobra/doc`` -> ``doc``);
       no other import reaches the project;
    2. else, when the root lies in a GOPATH (``.../src/github.com/spf13/cobra``), the path below
       ``src`` is taken for the module path, and the same rule applies to the imports it matches;
    3. else (and for the imports rule 2 does not match) the import path's suffix is matched
       against the project's folders: the longest folder ``f`` such that the path ends with ``/f``
       (``github.com/spf13/cobra/doc`` -> ``doc``), or the root when the path's last element names
       the root's package (its ``package`` clause: ``github.com/spf13/cobra`` -> ``cobra``) or
       folder. Standard-library paths (no dot in their first element: ``io/fs``, ``os``) never
       match here.

    ``_test.go`` files are no part of an imported package.

    Args:
        imported: one import (its ``module`` is the import path).
        path: the importing file's path, relative to the root.
        modules: the project's modules: module name (path without ``.go``) -> relative path.
        root: the project's root folder.

    Returns:
        The module names of the imported package's files, sorted; empty for a package outside the
        project.

    Examples:
        >>> from pathlib import Path
        >>> modules = {"command": "command.go", "doc/md_docs": "doc/md_docs.go", "doc/util": "doc/util.go"}
        >>> import_targets(ImportInfo("github.com/spf13/cobra/doc"), "command.go", modules, Path("nowhere"))
        ['doc/md_docs', 'doc/util']
        >>> import_targets(ImportInfo("io/fs"), "command.go", {**modules, "fs/fs": "fs/fs.go"}, Path("nowhere"))
        []
    """
    folders = _folders(modules)
    folder = _imported_folder(imported.module, root, folders)
    return sorted(folders.get(folder, [])) if folder is not None else []


_last_folders: list[tuple[Mapping[str, str], dict[str, list[str]]]] = []


def _folders(modules: Mapping[str, str]) -> dict[str, list[str]]:
    """The Go modules by folder (``""`` for the root), built once per project (asked once per import)."""
    if _last_folders and _last_folders[0][0] is modules:
        return _last_folders[0][1]
    folders: dict[str, list[str]] = {}
    for name, relative in modules.items():
        if relative.endswith(".go") and not relative.endswith("_test.go"):
            parent = PurePosixPath(relative).parent.as_posix()
            folders.setdefault("" if parent == "." else parent, []).append(name)
    _last_folders[:] = [(modules, folders)]
    return folders


def _imported_folder(import_path: str, root: Path, folders: Mapping[str, list[str]]) -> str | None:
    """The folder (``""`` for the root) of an imported package, by :func:`import_targets`' rules."""
    module, declared = _module_path(root)
    if module and import_path == module:
        return ""
    if module and import_path.startswith(module + "/"):
        return import_path[len(module) + 1 :]
    if declared:
        return None  # go.mod names the module: no other import is the project's
    if "." not in import_path.split("/", 1)[0]:
        return None  # the standard library
    matches = [folder for folder in folders if folder and import_path.endswith("/" + folder)]
    if matches:
        return max(matches, key=len)
    last = import_path.rsplit("/", 1)[-1]
    return "" if "" in folders and last in (_root_package(root, tuple(folders[""])), root.name) else None


def _module_path(root: Path) -> tuple[str, bool]:
    """``(go.mod's module path, True)``, else ``(the path below a GOPATH's src, False)`` (``""`` if none)."""
    try:
        stamp = (root / "go.mod").stat().st_mtime_ns
    except OSError:
        stamp = None
    return _read_module_path(root, stamp)


@functools.lru_cache(maxsize=64)
def _read_module_path(root: Path, stamp: int | None) -> tuple[str, bool]:
    """:func:`_module_path`, once per root and version of its ``go.mod`` (``stamp``: its mtime)."""
    try:
        text = (root / "go.mod").read_text(encoding="utf-8", errors="replace") if stamp is not None else ""
    except OSError:
        text = ""
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == "module":
            return words[1].strip('"`'), True
    parts = root.resolve().parts
    below = parts[len(parts) - parts[::-1].index("src") :] if "src" in parts else ()
    return "/".join(below), False


@functools.lru_cache(maxsize=64)
def _root_package(root: Path, names: tuple[str, ...]) -> str | None:
    """The package name the root's first readable Go file declares (``package cobra`` -> ``cobra``)."""
    for name in sorted(names):
        try:
            text = (root / f"{name}.go").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found = re.search(r"^package\s+(\w+)", text, re.MULTILINE)
        if found:
            return found.group(1)
    return None
