"""Go's unit of code is the package, a folder of ``.go`` files, not the file: an architecture drawn for Go is
drawn per package.

A Go program imports packages, never files; the files of one package share every name without
importing each other. :func:`go_packages` groups a project's files by folder (tests left out, as
``go doc`` leaves them out), :func:`package_graph` gives the imports between packages, and
:func:`package_analysis` one analysis per package. :func:`edges_graph` is what a diagram's edges are
checked against: a box may name a package or one of its files.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from .model import FileAnalysis
from .project import ProjectAnalysis

__all__ = ["edges_graph", "go_packages", "is_go_project", "package_analysis", "package_graph"]


def is_go_project(project: ProjectAnalysis) -> bool:
    """Whether every file of ``project`` is Go (a project in several languages keeps its modules).

    Args:
        project: the analysed project.

    Returns:
        ``True`` for a project of Go files only, with at least one.

    Examples:
        >>> from pathlib import Path
        >>> from codescribe.engine.analysis import analyze_source
        >>> is_go_project(ProjectAnalysis(Path("m"), {"a.go": analyze_source("package m\\n", "a.go")}))
        True
    """
    return bool(project.files) and all(analysis.language == "go" for analysis in project.files.values())


def go_packages(project: ProjectAnalysis) -> dict[str, list[str]]:
    """Each package of a Go project, with its modules.

    A package is a folder; it is named by its path from the root (``mem``, ``internal/common``), and
    the root's by the package its files declare (``afero``), else the root folder's name. What the
    ``go`` tool leaves out of a build is left out: test files (``*_test.go``), and folders named
    ``testdata`` or starting with ``.`` or ``_`` ("go help packages"), and files whose build constraint is
    ``ignore`` (``//go:build ignore``: logrus's ``ci``); a folder named ``doc`` is a package like any other
    (``cobra/doc``).

    Args:
        project: the analysed project (its :attr:`~ProjectAnalysis.modules`).

    Returns:
        Package name -> its module names, in name order.

    Examples:
        >>> from pathlib import Path
        >>> from codescribe.engine.analysis import analyze_source
        >>> files = {p: analyze_source("package afero\\n", p) for p in ("afero.go", "os.go", "os_test.go")}
        >>> files["mem/file.go"] = analyze_source("package mem\\n", "mem/file.go")
        >>> go_packages(ProjectAnalysis(Path("afero"), files))
        {'afero': ['afero', 'os'], 'mem': ['mem/file']}
    """
    return project._remember("go_packages", lambda: _go_packages(project))  # read once a page: it reads file heads


def _go_packages(project: ProjectAnalysis) -> dict[str, list[str]]:
    root = _root_package(project)
    packages: dict[str, list[str]] = {}
    for name, path in sorted(project.modules.items()):
        *folders, file = path.split("/")
        if file.endswith("_test.go") or any(f == "testdata" or f.startswith((".", "_")) for f in folders):
            continue
        if _ignored(project.root / path):  # `//go:build ignore`: a program run by hand (`go run gen.go`)
            continue
        folder = str(PurePosixPath(path).parent)
        packages.setdefault(root if folder == "." else folder, []).append(name)
    return packages


def package_graph(project: ProjectAnalysis) -> dict[str, set[str]]:
    """The imports between the packages of :func:`go_packages`.

    Args:
        project: the analysed project.

    Returns:
        Package name -> the packages its files import (not itself).

    Examples:
        >>> from pathlib import Path
        >>> from codescribe.engine.analysis import analyze_source
        >>> mem = analyze_source("package mem\\n", "mem/file.go")
        >>> root = analyze_source('package afero\\n\\nimport "example.com/afero/mem"\\n', "memmap.go")
        >>> package_graph(ProjectAnalysis(Path("afero"), {"memmap.go": root, "mem/file.go": mem}))
        {'afero': {'mem'}, 'mem': set()}
    """
    packages = go_packages(project)
    owner = {module: package for package, modules in packages.items() for module in modules}
    graph = project.import_graph()
    return {
        package: {owner[target] for module in modules for target in graph[module] if target in owner} - {package}
        for package, modules in sorted(packages.items())
    }


def package_analysis(project: ProjectAnalysis, package: str, modules: list[str]) -> FileAnalysis:
    """One analysis holding a package's files: its names, and the package's doc comment.

    Args:
        project: the analysed project.
        package: the package's name (the analysis's path).
        modules: its module names, as :func:`go_packages` gives them.

    Returns:
        The files' functions, classes, variables and exports together (the exports types first); the module
        docstring is the first file's that has one (Go writes a package's doc comment in one file, often
        ``doc.go``).

    Examples:
        >>> from pathlib import Path
        >>> from codescribe.engine.analysis import analyze_source
        >>> files = {"a.go": analyze_source("// Package m adds.\\npackage m\\n\\nfunc Add() {}\\n", "a.go")}
        >>> merged = package_analysis(ProjectAnalysis(Path("m"), files), "m", ["a"])
        >>> merged.module_docstring, [f.name for f in merged.functions]
        ('Package m adds.', ['Add'])
    """
    files = [project.files[project.modules[module]] for module in modules]
    types = {c.name for a in files for c in a.classes}  # a package's types first: its exports are read in order
    return FileAnalysis(
        path=package,
        language="go",
        functions=tuple(f for a in files for f in a.functions),
        classes=tuple(c for a in files for c in a.classes),
        variables=tuple(v for a in files for v in a.variables),
        imports=tuple(i for a in files for i in a.imports),
        exports=tuple(sorted(dict.fromkeys(e for a in files for e in a.exports), key=lambda name: name not in types)),
        module_docstring=next((a.module_docstring for a in files if a.module_docstring), None),
        package=files[0].package if files else None,
    )


def edges_graph(project: ProjectAnalysis) -> dict[str, set[str]]:
    """What an architecture diagram's arrows are checked against (:func:`~codescribe.engine.quality.
    diagram_edges.judge_edges`): the import graph, and for Go the package graph, in which a box may name a
    package or any of its files (the files of one package are one unit: it imports what any of them does).

    Args:
        project: the analysed project.

    Returns:
        Name -> the names it imports: modules for most projects; for Go, packages and files as keys, each
        importing the packages its package imports and their files.

    Examples:
        >>> from pathlib import Path
        >>> from codescribe.engine.analysis import analyze_source
        >>> app = analyze_source("from util import slug\\n", "app.py")
        >>> util = analyze_source("def slug(text):\\n    return text\\n", "util.py")
        >>> edges_graph(ProjectAnalysis(Path("shop"), {"app.py": app, "util.py": util}))
        {'app': {'util'}, 'util': set()}
    """
    if not is_go_project(project):
        return project.import_graph()
    packages = go_packages(project)
    graph = package_graph(project)
    reached = {package: {*imported, *(m for p in imported for m in packages[p])} for package, imported in graph.items()}
    files = {module: reached[package] for package, modules in packages.items() for module in modules}
    return {**files, **reached}


_IGNORE_CONSTRAINT = re.compile(r"^//(?:go:build|\s*\+build)\s+ignore\s*$", re.MULTILINE)


def _ignored(path: Path) -> bool:
    """Whether a Go file's build constraint is ``ignore`` (no build includes it), read from its header."""
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            head = file.read(4096)
    except OSError:
        return False
    return bool(_IGNORE_CONSTRAINT.search(head.split("\npackage ", 1)[0]))


def _root_package(project: ProjectAnalysis) -> str:
    """The name of the package at the root: the one its files declare, else the root folder's name."""
    declared = [a.package for path, a in project.files.items() if "/" not in path and a.package and a.package != "main"]
    return declared[0] if declared else (project.root.resolve().name or "main")
