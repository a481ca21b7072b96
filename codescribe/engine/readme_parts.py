"""What a project's README says of its parts: the module map's rows, the overview line, Go's calls.

A module map lists what users import: a Python or JavaScript module is a file, a Go package is a
folder of files (``github.com/google/uuid`` is 23 files and one package, imported whole). The
offline engine's README template renders the rows; :func:`go_usage` writes a Go example as Go
code calls a package's function: imported by its path, called through its package name.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from .analysis.manifest import Manifest
from .analysis.model import FileAnalysis, FunctionInfo
from .analysis.project import ProjectAnalysis
from .usage import call_arguments

__all__ = ["ModuleRow", "go_import_path", "go_usage", "module_rows"]


@dataclass(frozen=True, slots=True)
class ModuleRow:
    """One row of a README's module map.

    Attributes:
        name: the module's dotted name (``idna.core``), or a Go package's import path.
        docstring: the module's docstring (a Go package's doc comment); ``None`` when it has none.
        exports: the names it exports, in the order its files give them.
        depth: how deep it sits: 0 for a Go module's root package, else its name's number of parts.
    """

    name: str
    docstring: str | None
    exports: tuple[str, ...]
    depth: int


def module_rows(project: ProjectAnalysis, names: list[str], manifest: Manifest | None) -> list[ModuleRow]:
    r"""The module map's rows for ``names``, in their order; a Go package's files make one row.

    Args:
        project: the analysed project.
        names: module names of :attr:`~codescribe.engine.analysis.project.ProjectAnalysis.modules`.
        manifest: the project's manifest (a ``go.mod`` names a Go package by its import path).

    Returns:
        One row per module, a Go package's row where its first file stands.

    Examples:
        >>> from pathlib import Path
        >>> from codescribe.engine.analysis import analyze_source
        >>> files = {"doc.go": analyze_source("// Package uuid makes UUIDs.\npackage uuid\n", "doc.go")}
        >>> code = "package uuid\n\nfunc New() UUID {\n\treturn UUID{}\n}\n"
        >>> files["version4.go"] = analyze_source(code, "version4.go")
        >>> project = ProjectAnalysis(Path("."), files)
        >>> go_mod = Manifest("go.mod", "github.com/google/uuid")
        >>> [(row.name, row.docstring, row.exports) for row in module_rows(project, ["doc", "version4"], go_mod)]
        [('github.com/google/uuid', 'Package uuid makes UUIDs.', ('New',))]
    """
    rows: list[ModuleRow] = []
    packages: dict[str, int] = {}
    for name in names:
        path = project.modules[name]
        analysis = project.files[path]
        if analysis.language != "go":
            exports = project.public_interface(path).exports
            rows.append(ModuleRow(name, analysis.module_docstring, exports, len(re.split(r"[./]", name))))
            continue
        folder = posixpath.dirname(path)
        if folder not in packages:
            packages[folder] = len(rows)
            depth = folder.count("/") + 1 if folder else 0
            rows.append(ModuleRow(go_import_path(path, analysis, manifest), None, (), depth))
        row = rows[packages[folder]]
        exports = tuple(dict.fromkeys((*row.exports, *analysis.exports)))
        rows[packages[folder]] = ModuleRow(row.name, row.docstring or analysis.module_docstring, exports, row.depth)
    return rows


def go_import_path(path: str, analysis: FileAnalysis, manifest: Manifest | None) -> str:
    """The path Go code imports a file's package by: the ``go.mod`` module path joined with its folder.

    Args:
        path: the file's path relative to the project's root.
        analysis: its analysis (without a ``go.mod``, the package it declares names it).
        manifest: the project's manifest.

    Returns:
        ``github.com/google/uuid`` for ``dce.go`` at the root of that module, ``example.com/m/internal/x``
        for ``internal/x/x.go``. Without a ``go.mod`` the module's path is unknown, so it is Go's
        documentation placeholder ``example.com`` joined with the folder (or the package's name at the
        root): a path without a dot in its first part is the standard library's (``errors``), which
        pkg/errors is not.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> analysis = analyze_source("package errors\\n", "errors.go")
        >>> pkg = Manifest("go.mod", "github.com/pkg/errors")
        >>> go_import_path("errors.go", analysis, None), go_import_path("errors.go", analysis, pkg)
        ('example.com/errors', 'github.com/pkg/errors')
    """
    folder = posixpath.dirname(path)
    if manifest is not None and manifest.file == "go.mod":
        return f"{manifest.name}/{folder}" if folder else manifest.name
    return "example.com/" + (folder or analysis.package or posixpath.splitext(posixpath.basename(path))[0])


def go_usage(function: FunctionInfo, analysis: FileAnalysis, import_path: str) -> str:
    r"""A Go example: the package imported by its path, ``function`` called through the package's name.

    The call's results are bound as Go code binds them: one name per result (``err`` for an
    ``error``), none when it returns nothing.

    Args:
        function: a top-level function of the package.
        analysis: the analysis of the file that declares it (its ``package`` clause).
        import_path: the package's import path (see :func:`go_import_path`).

    Returns:
        The import line, a blank line, the arguments' declarations (:func:`~codescribe.engine.usage.call_arguments`),
        then the call.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> code = "package uuid\n\nfunc NewDCEPerson() (UUID, error) {\n\treturn UUID{}, nil\n}\n"
        >>> analysis = analyze_source(code, "dce.go")
        >>> print(go_usage(analysis.functions[0], analysis, "github.com/google/uuid"))
        import "github.com/google/uuid"
        <BLANKLINE>
        result, err := uuid.NewDCEPerson()
        >>> code = "package uuid\n\nfunc SetNodeID(id []byte, u UUID) bool {\n\treturn true\n}\n"
        >>> analysis = analyze_source(code, "node.go")
        >>> print(go_usage(analysis.functions[0], analysis, "github.com/google/uuid"))
        import "github.com/google/uuid"
        <BLANKLINE>
        var id []byte
        var u uuid.UUID
        result := uuid.SetNodeID(id, u)
    """
    package = analysis.package or import_path.rsplit("/", 1)[-1]
    declarations, arguments = call_arguments(function, "go")
    call = f"{package}.{function.name}({', '.join(arguments)})"
    names = _result_names(function.returns)
    # a type the package declares is named through the package: ``var u uuid.UUID``
    declarations = [re.sub(r"(?<=[ \]*])([A-Z]\w*)$", rf"{package}.\1", line) for line in declarations]
    return f'import "{import_path}"\n\n' + "\n".join(
        [*declarations, f"{', '.join(names)} := {call}" if names else call]
    )


def _result_names(returns: str | None) -> list[str]:
    """``["result", "err"]`` for ``(UUID, error)``; one name per result, by the Go spec's result list."""
    if not returns:
        return []
    inner = returns.strip()
    inner = inner[1:-1] if inner.startswith("(") and inner.endswith(")") else inner
    results, depth, start = [], 0, 0
    for index, char in enumerate(inner):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            results.append(inner[start:index])
            start = index + 1
    results.append(inner[start:])
    types = [part.strip().split()[-1] if part.strip() else "" for part in results]
    named: list[str] = []
    for kind in types:
        base = "err" if kind == "error" else "result"
        count = sum(1 for n in named if n.rstrip("0123456789") == base)
        named.append(f"{base}{count + 1}" if count else base)
    return named
