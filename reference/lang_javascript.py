"""CodeScribe's JavaScript and TypeScript analysis against the TypeScript compiler API, export by export.

The tool's side is ``reference/javascript/extract.mjs`` (node 20, ``typescript`` pinned in
:data:`TYPESCRIPT`): a ``Program`` over the package's files (``allowJs``, ``checkJs`` off), each
file's exports from ``checker.getExportsOfModule`` (CommonJS's ``exports.x =``,
``module.exports =`` and the properties of the object ``module.exports`` is, as TypeScript's
JavaScript support binds them), the members of exported classes, the JSDoc TypeScript attaches
(``ts.getJSDocCommentsAndTags``), and the import edges ``ts.resolveModuleName`` resolves.

Records are keyed ``file:name`` (``file:Class.member`` for members, ``file`` for the module itself),
each with ``kind``, ``docstring`` and, for functions and methods, ``signature``.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import textwrap
from pathlib import Path
from typing import Any

from reference.harness import Edge, Package, Record

LANGUAGE = "javascript"
TYPESCRIPT = "5.6.3"
TOOL = (
    f"the TypeScript compiler API (typescript {TYPESCRIPT}, node 20): checker.getExportsOfModule per file, "
    "ts.getJSDocCommentsAndTags for JSDoc, ts.resolveModuleName for import edges"
)
NORMALISATIONS = (
    "Records are a file's exports declared in that file: names re-exported from another module "
    "(export ... from, export *, an imported name exported again, exports.x = require(...)) are "
    "recorded where they are declared, the re-export being an import edge.",
    "CommonJS: exports.x = value, module.exports.x = value and o.x = value where o is the object "
    "module.exports is (TypeScript lists these as the module's exports) are keyed by x; "
    "module.exports = f is recorded under f's own name (or the variable it is bound to); "
    "module.exports = {} itself is no record.",
    "Kind is function (a function declaration, or a variable or property whose value is a function "
    "or arrow expression), class (also a JavaScript constructor function TypeScript flags as a "
    "class: this.x = assignments in its body or X.prototype.m = assignments), interface, type, enum, "
    "namespace or variable; members of exported classes are method (constructors, methods, fields "
    "holding a function, functions assigned to X.prototype) or property (get/set accessors, one "
    "record for both); private, protected and #private members and plain fields are left out.",
    "A name declared several ways (declaration merging: an interface and a namespace, a type and a "
    "const) is one record: the kind of its first value declaration (function, class, enum, variable), "
    "else of its first declaration; the JSDoc of the first declaration that has one.",
    "Signature is compared for functions and methods: the declaration's source text, name, type "
    "parameters, parameter list and return type, whitespace runs made one space; for overloads the "
    "first overload's (the TypeScript Handbook: the implementation's signature is not visible from "
    "the outside); for a variable declared with a function type (const f: (a: A) => R = ...), the "
    "type's; for a function assigned to a property, the property's name.",
    "JSDoc is the nearest /** */ block TypeScript attaches, blank lines allowed, with its tags; "
    "blocks tagged @file, @fileoverview, @module, @packageDocumentation, @license, @typedef or "
    "@callback are not a declaration's; for overloads, the first declaration with one. Both sides "
    "are compared after removing the /** */ markers and the * gutter, and dedenting.",
    "A module's doc (one record per file, kind module) is, TypeDoc's way, the first /** */ block "
    "before the first statement ('use strict' aside) tagged @file/@fileoverview/@module/"
    "@packageDocumentation, or the first of several such blocks, or the only one when an import "
    "or nothing follows; a /*! licence */ header is not documentation.",
    "JSDoc @typedef/@callback types in JavaScript are not compared (type-checker aliases, not code).",
    "Import edges: relative specifiers of import, export ... from, import x = require(), require() "
    "and import() (import type and export type included: a reader's dependency, though erased at run "
    "time), resolved with moduleResolution bundler, between the compared files, a file to itself "
    "left out.",
    "A module's doc may also be a block of // comments opening the file, set off by a blank line from "
    "the import statement that follows (CodeScribe's reading of a file header; no tool has one).",
)
FIELDS = ("kind", "signature", "docstring")

PACKAGES = (
    Package(
        name="express",
        version="4.22.3",
        registry="npm",
        root="package",
        include=("index.js", "lib/**/*.js"),
        slice=("lib/response.js", "lib/utils.js", "lib/router/route.js", "lib/router/layer.js"),
    ),
    Package(
        name="body-parser",
        version="1.20.3",
        registry="npm",
        root="package",
        include=("index.js", "lib/**/*.js"),
        slice=("index.js", "lib/read.js", "lib/types/json.js", "lib/types/urlencoded.js"),
    ),
    Package(
        name="zod",
        version="3.25.76",
        registry="npm",
        root="package",
        include=("src/**/*.ts",),
        exclude=("src/**/tests/**/*.ts",),
        slice=(
            "src/v3/errors.ts",
            "src/v3/ZodError.ts",
            "src/v3/helpers/util.ts",
            "src/v3/helpers/typeAliases.ts",
            "src/v3/helpers/parseUtil.ts",
            "src/v3/locales/en.ts",
            "src/v4/core/core.ts",
        ),
        options={"language": "typescript"},
    ),
    Package(
        name="query-core",
        version="5.59.20",
        registry="npm",
        registry_name="@tanstack/query-core",
        root="package",
        include=("src/**/*.ts",),
        slice=(
            "src/subscribable.ts",
            "src/focusManager.ts",
            "src/onlineManager.ts",
            "src/removable.ts",
            "src/utils.ts",
        ),
        options={"language": "typescript"},
    ),
)

HERE = Path(__file__).resolve().parent
NODE = HERE.parent / ".cache" / "reference" / "node"
EXTRACT = HERE / "javascript" / "extract.mjs"


def install() -> None:
    """Install the pinned ``typescript`` under ``.cache/reference/node`` when it is missing."""
    (NODE.parent / "npm").mkdir(parents=True, exist_ok=True)  # reference.fetch.npm unpacks beside it
    manifest = NODE / "node_modules" / "typescript" / "package.json"
    if manifest.is_file() and json.loads(manifest.read_text(encoding="utf-8"))["version"] == TYPESCRIPT:
        return
    NODE.mkdir(parents=True, exist_ok=True)
    command = ["npm", "install", "--prefix", str(NODE), "--no-audit", "--no-fund", f"typescript@{TYPESCRIPT}"]
    subprocess.run(command, check=True, capture_output=True)


@functools.cache
def _tool(root: Path, files: tuple[str, ...]) -> dict[str, Any]:
    """The extractor's answer for ``files`` under ``root`` (asked once for records and edges)."""
    request = {"root": str(root), "files": list(files), "typescript": str(NODE / "node_modules")}
    done = subprocess.run(["node", str(EXTRACT)], input=json.dumps(request), capture_output=True, text=True, check=True)
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def clean_jsdoc(raw: str | None) -> str | None:
    """A JSDoc block's words: without ``/**``, ``*/`` and the ``*`` gutter, dedented and stripped.

    Examples:
        >>> clean_jsdoc("/**\\n * Adds.\\n *\\n * @param a first\\n */")
        'Adds.\\n\\n@param a first'
        >>> clean_jsdoc("/** */") is None
        True
    """
    if raw is None:
        return None
    if raw.startswith("//"):  # a block of line comments (a module's header)
        lines = [re.sub(r"^(///|//!|//)", "", line.strip()).rstrip() for line in raw.split("\n")]
        return textwrap.dedent("\n".join(lines)).strip() or None
    body = raw.strip().removeprefix("/**").removesuffix("*/")
    lines = []
    for line in body.split("\n"):
        stripped = line.lstrip()
        lines.append((stripped[1:] if stripped.startswith("*") else line).rstrip())
    return textwrap.dedent("\n".join(lines)).strip() or None


def tool_records(package: Package, root: Path, files: list[str]) -> dict[str, Record]:
    """The TypeScript compiler's exports, class members and JSDoc, by ``file:name`` key."""
    records: dict[str, Record] = _tool(root, tuple(files))["records"]
    return {key: {**record, "docstring": clean_jsdoc(record["docstring"])} for key, record in records.items()}


def tool_edges(package: Package, root: Path, files: list[str]) -> set[Edge]:
    """The relative imports ``ts.resolveModuleName`` resolves to compared files, as file pairs."""
    return {(a, b) for a, b in _tool(root, tuple(files))["edges"]}


def edge_node(package: Package, file: str) -> str:
    """A file is its own node in the import graph."""
    return file


def codescribe_records(package: Package, root: Path, files: list[str]) -> dict[str, Record]:
    """CodeScribe's public functions, classes (with public methods), variables and module docs, as records."""
    from codescribe.engine.analysis import analyze_file

    records: dict[str, Record] = {}
    for file in files:
        analysis = analyze_file(root / file)
        records[file] = {"file": file, "kind": "module", "docstring": analysis.module_docstring}
        found: dict[str, list[tuple[int, Record]]] = {}
        for function in analysis.functions:
            if function.is_public:
                record: Record = {"file": file, "kind": "function", "signature": function.signature}
                found.setdefault(function.name, []).append(
                    (function.start_line, {**record, "docstring": function.docstring})
                )
        for cls in analysis.classes:
            if not cls.is_public:
                continue
            found.setdefault(cls.name, []).append(
                (cls.start_line, {"file": file, "kind": cls.kind, "docstring": cls.docstring})
            )
            if cls.kind != "class":
                continue
            for method in cls.methods:
                if not method.is_public:
                    continue
                record = {"file": file, "kind": "property" if method.is_property else "method"}
                if not method.is_property:
                    record["signature"] = method.signature
                records[f"{file}:{cls.name}.{method.name}"] = {**record, "docstring": method.docstring}
        for variable in analysis.variables:
            if variable.is_public:
                record = {"file": file, "kind": "variable", "docstring": variable.docstring}
                found.setdefault(variable.name, []).append((variable.line, record))
        records.update({f"{file}:{name}": _merged(declarations) for name, declarations in found.items()})
    return records


def _merged(declarations: list[tuple[int, Record]]) -> Record:
    """One record for a name declared several ways (a type and a value): the value's kind, else the first's."""
    ordered = [record for _, record in sorted(declarations, key=lambda pair: pair[0])]
    chosen = next((record for record in ordered if record["kind"] in _VALUE_KINDS), ordered[0])
    docs = [record["docstring"] for record in ordered if record["docstring"]]
    return {**chosen, "docstring": docs[0] if docs else None}


_VALUE_KINDS = ("function", "class", "enum", "variable")


def codescribe_edges(package: Package, root: Path, files: list[str]) -> set[Edge]:
    """CodeScribe's import graph over ``files``, its modules mapped back to their files."""
    from codescribe.engine.analysis.project import analyze_project

    project = analyze_project(root, include=files)
    modules = project.modules
    return {
        (modules[importer], modules[imported])
        for importer, targets in project.import_graph().items()
        for imported in targets
    }
