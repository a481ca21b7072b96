"""Python: CodeScribe's analysis against griffe (static, the analyser behind mkdocstrings) and grimp.

Records are keyed by dotted path (``rich.console.Console.print``) and carry:

- ``kind``: module, class, function, method, property or attribute;
- ``params``: for functions and methods, ``[name, kind, annotation, default]`` per parameter;
- ``overloads``: for functions and methods, how many ``@overload`` signatures they have;
- ``docstring``: the cleaned docstring, or None;
- ``exports``: for modules that declare ``__all__``, its names in order.

The import graph is grimp's (the engine behind import-linter), between the package's modules.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
from pathlib import Path
from typing import Any

from reference.harness import Edge, Package, Record

LANGUAGE = "python"
TOOL = (
    "griffe (static analysis, `allow_inspection=False`; mkdocstrings' analyser) for objects; "
    "grimp (import-linter's engine) with `exclude_type_checking_imports=True` for the import graph"
)
FIELDS = ("kind", "params", "overloads", "docstring", "exports")
NORMALISATIONS = (
    "Objects whose own name starts with `_` (`__init__` included) are left out on both sides, and so are "
    "private modules and everything under a private package; griffe's `is_public` is not used because it "
    "also hides names missing from `__all__`, which a reference page still documents.",
    "Imported names (griffe's aliases) are not objects of the importing module, except a name in `__all__` "
    "imported from a private module (httpx's `Client` from `httpx._client`): it is documented where users "
    "import it (`httpx.Client`), with the file that defines it.",
    "What a module defines under `if __name__ == '__main__':` is left out of griffe's side: it exists only "
    "when the file runs as a script, and CodeScribe does not document it.",
    "griffe gives `*args` the default `()` and `**kwargs` `{}`; they are compared without.",
    "Docstrings are compared after `inspect.cleandoc` and without trailing whitespace.",
    "`self`/`cls` is dropped from methods (CodeScribe shows the call signature).",
    "CodeScribe's finer kinds of value (constant, variable, attribute, field, enum member) are all griffe's "
    "`attribute`.",
    "Defaults and annotations are compared after `ast.unparse(ast.parse(text))` on both sides: griffe "
    "re-renders expressions (single quotes), CodeScribe keeps the source text of defaults.",
    "Import edges are between modules of the package, private ones included; an import under "
    "`if __name__ == '__main__':` draws no edge in CodeScribe (it does not run on import) and is removed "
    "from grimp's graph; a module importing itself is no edge.",
)

PACKAGES = (
    Package(
        "rich",
        "13.9.4",
        "pypi",
        root="rich-13.9.4",
        include=("rich/**/*.py",),
        slice=("rich/__init__.py", "rich/color.py", "rich/color_triplet.py", "rich/style.py", "rich/segment.py"),
        options={"import": "rich"},
    ),
    Package(
        "httpx",
        "0.27.2",
        "pypi",
        root="httpx-0.27.2",
        include=("httpx/**/*.py",),
        slice=("httpx/__init__.py", "httpx/_status_codes.py", "httpx/_exceptions.py", "httpx/_urls.py"),
        options={"import": "httpx"},
    ),
    Package(
        "pluggy",
        "1.5.0",
        "pypi",
        root="pluggy-1.5.0/src",
        include=("pluggy/**/*.py",),
        slice=("pluggy/__init__.py", "pluggy/_hooks.py", "pluggy/_result.py", "pluggy/_warnings.py"),
        options={"import": "pluggy"},
    ),
)

_GRIFFE_PARAMETER_KINDS = {
    "positional-only": "positional_only",
    "positional or keyword": "positional",
    "variadic positional": "var_positional",
    "keyword-only": "keyword_only",
    "variadic keyword": "var_keyword",
}


def _normal(expression: str | None, *, annotation: bool = False) -> str | None:
    """An expression as ``ast.unparse`` writes it (quotes, spacing), or as given if it does not parse;
    an annotation's quoted forward references unquoted (not the strings of ``Literal[...]``)."""
    if expression is None:
        return None
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return expression
    if annotation:
        tree = _Unquote().visit(tree)
    return ast.unparse(tree)


class _Unquote(ast.NodeTransformer):
    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if ast.unparse(node.value).rsplit(".", 1)[-1] == "Literal":
            return node
        return self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            try:
                return ast.parse(node.value.strip(), mode="eval").body
            except SyntaxError:
                return node
        return node


def _griffe_record(obj: Any, owner_kind: str | None) -> Record | None:
    """One griffe object as a record (without its file); None for a kind that is not compared."""
    kind = obj.kind.value
    docstring = _clean(obj.docstring and obj.docstring.value)
    if kind == "module":
        exports = None
        if "__all__" in obj.members and not obj.members["__all__"].is_alias:
            exports = [str(name) for name in (obj.exports or [])]
        return {"kind": "module", "docstring": docstring, "exports": exports}
    if kind == "class":
        return {"kind": "class", "docstring": docstring}
    if kind == "attribute":
        return {"kind": "property" if "property" in obj.labels else "attribute", "docstring": docstring}
    if kind != "function":
        return None
    parameters = list(obj.parameters)
    is_method = owner_kind == "class"
    if is_method and parameters and "staticmethod" not in obj.labels and parameters[0].name in ("self", "cls"):
        parameters = parameters[1:]
    return {
        "kind": "method" if is_method else "function",
        "params": [_griffe_parameter(p) for p in parameters],
        "overloads": len(obj.overloads or ()),
        "docstring": docstring,
    }


def _griffe_parameter(parameter: Any) -> list[str | None]:
    kind = _GRIFFE_PARAMETER_KINDS[parameter.kind.value]
    default = None if parameter.default is None or kind.startswith("var_") else str(parameter.default)
    annotation = None if parameter.annotation is None else str(parameter.annotation)
    return [parameter.name, kind, _normal(annotation, annotation=True), _normal(default)]


def _private(name: str) -> bool:
    return name.startswith("_")


def _clean(docstring: str | None) -> str | None:
    return inspect.cleandoc(docstring).rstrip() if docstring else None


def _module_of(path: str) -> str:
    parts = list(Path(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def edge_node(package: Package, file: str) -> str:
    """A file's node in the import graph: its dotted module name."""
    return _module_of(file)


def tool_records(package: Package, root: Path, files: list[str]) -> dict[str, Record]:
    """What griffe, statically (no import of the package), finds in the package."""
    import griffe

    modules = griffe.load(
        package.options["import"], search_paths=[str(root)], allow_inspection=False, resolve_aliases=True
    )
    records: dict[str, Record] = {}

    def visit(obj: Any, owner_kind: str | None, file: str) -> None:
        if obj.is_alias or (owner_kind == "module" and _in_main_block(root / file, obj.lineno)):
            return
        kind = obj.kind.value
        if kind == "module":
            if any(_private(part) for part in obj.path.split(".")[1:]):
                return
            file = Path(obj.filepath).relative_to(root).as_posix()
        record = _griffe_record(obj, owner_kind)
        if record is not None:
            records[obj.path] = {"file": file, **record}
        if kind in ("module", "class"):
            for name, member in obj.members.items():
                if not _private(name):
                    visit(member, kind, file)
        if kind == "module":
            for name in obj.exports or ():
                if not _private(str(name)):
                    reexport(obj.path, str(name), obj.members.get(str(name)))

    def reexport(module: str, name: str, member: Any) -> None:
        """A name in ``__all__`` imported from a private module: documented where users import it."""
        if member is None or not member.is_alias:
            return
        try:
            target = member.final_target
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            return
        if target.is_alias or not any(_private(part) for part in target.path.split(".")[1:]):
            return
        before = set(records)
        visit(target, "module", Path(target.filepath).relative_to(root).as_posix())
        for key in set(records) - before:
            records[module + key[len(target.parent.path) :]] = records.pop(key)

    visit(modules, None, "")
    return records


def codescribe_records(package: Package, root: Path, files: list[str]) -> dict[str, Record]:
    """What CodeScribe's analysis finds in the same files, as the same records."""
    from codescribe.engine.analysis import analyze_file
    from codescribe.engine.analysis.project import ProjectAnalysis

    project = ProjectAnalysis(root=root, files={file: analyze_file(root / file, root=root) for file in files})
    records: dict[str, Record] = {}
    for file in files:
        module = _module_of(file)
        if any(_private(part) for part in module.split(".")[1:]):
            continue
        own = project.files[file]
        analysis = project.public_interface(file)
        where = _definitions_by_name(project, file, analysis, own)
        records[module] = {
            "file": file,
            "kind": "module",
            "docstring": _clean(analysis.module_docstring),
            "exports": list(analysis.exports) if _declares_all(root / file) else None,
        }
        for variable in analysis.variables:
            if not _private(variable.name):
                records[f"{module}.{variable.name}"] = _attribute(where(variable.name), variable.docstring)
        for function in analysis.functions:
            if not _private(function.name):
                records[f"{module}.{function.name}"] = _function_record(where(function.name), function, "function")
        for cls in analysis.classes:
            if any(_private(part) for part in cls.name.split(".")):
                continue
            path, defined = f"{module}.{cls.name}", where(cls.name.split(".")[0])
            records[path] = {"file": defined, "kind": "class", "docstring": _clean(cls.docstring)}
            for attribute in cls.attributes:
                if not _private(attribute.name):
                    records[f"{path}.{attribute.name}"] = _attribute(defined, attribute.docstring)
            for method in cls.methods:
                if not _private(method.name):
                    records[f"{path}.{method.name}"] = _function_record(defined, method, "method")
    return records


def _definitions_by_name(project: Any, file: str, analysis: Any, own: Any) -> Any:
    """``name -> the file defining it``: the module itself, or the private module it re-exports from."""
    from codescribe.engine.analysis.project import defined_names

    defined = defined_names(own)

    def where(name: str) -> str:
        if name in defined:
            return file
        found = project.definition(file, name)
        return found[0] if found else file

    return where


def _attribute(file: str, docstring: str | None) -> Record:
    return {"file": file, "kind": "attribute", "docstring": _clean(docstring)}


def _declares_all(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(target, ast.Name) and target.id == "__all__"
        for node in tree.body
        for target in (node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)])
    )


def _function_record(file: str, function: Any, kind: str) -> Record:
    if function.is_property:
        return {"file": file, "kind": "property", "docstring": _clean(function.docstring)}
    return {
        "file": file,
        "kind": kind,
        "params": [
            [p.name, p.kind, _normal(p.annotation, annotation=True), _normal(p.default)] for p in function.parameters
        ],
        "overloads": len(function.overloads),
        "docstring": _clean(function.docstring),
    }


def tool_edges(package: Package, root: Path, files: list[str]) -> set[Edge]:
    """grimp's import graph of the package, without type-checking imports and scripts' imports."""
    import grimp

    sys.path.insert(0, str(root))
    try:
        graph = grimp.build_graph(package.options["import"], exclude_type_checking_imports=True, cache_dir=None)
    finally:
        sys.path.remove(str(root))
    edges: set[Edge] = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            details = graph.get_import_details(importer=importer, imported=imported)
            if importer != imported and any(not _under_main(root, importer, d["line_number"]) for d in details):
                edges.add((importer, imported))
    return edges


def _under_main(root: Path, module: str, line: int) -> bool:
    base = root.joinpath(*module.split("."))
    return _in_main_block(base / "__init__.py" if base.is_dir() else base.with_suffix(".py"), line)


@functools.cache
def _main_blocks(path: Path) -> list[tuple[int, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
    ]


def _in_main_block(path: Path, line: int | None) -> bool:
    """Whether ``line`` of ``path`` lies in an ``if __name__ == "__main__":`` block."""
    return line is not None and any(start <= line <= end for start, end in _main_blocks(path))


def codescribe_edges(package: Package, root: Path, files: list[str]) -> set[Edge]:
    """CodeScribe's import graph of the same files."""
    from codescribe.engine.analysis import analyze_file
    from codescribe.engine.analysis.project import ProjectAnalysis

    project = ProjectAnalysis(root=root, files={file: analyze_file(root / file, root=root) for file in files})
    return {(a, b) for a, targets in project.import_graph().items() for b in targets}
