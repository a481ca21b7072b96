"""CodeScribe's Go analysis against Go's own documentation tooling: ``go/doc`` and ``go list``.

The reference side is ``reference/go/godoc/main.go``: it parses every package folder with
``go/parser`` and prints what ``go/doc`` (Go 1.19, Debian's ``golang-go``) documents: the
package's doc, its exported consts, vars, types, funcs and methods, each with its signature as
gofmt prints it (``go/printer``, without body) and its doc comment. The import graph is
``go list -e -json ./...`` run in a temporary GOPATH holding a copy of the compared files.

Records are keyed ``<folder>:<Name>`` (``<folder>:<Type>.<Method>`` for methods), the folder
being the package's folder relative to the root, ``.`` for the root; a package's own record is
keyed by its folder alone.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from reference.harness import Edge, Package, Record

if TYPE_CHECKING:
    from codescribe.engine.analysis.model import FileAnalysis, FunctionInfo
    from codescribe.engine.analysis.project import ProjectAnalysis

LANGUAGE = "go"
TOOL = (
    "go/doc and go/printer (Go 1.19, Debian's golang-go) through reference/go/godoc/main.go for the "
    "declarations, `go list -e -json ./...` (GOPATH mode, no network) for the import graph"
)
NORMALISATIONS = (
    "Only exported names are compared, as go/doc documents them: methods of unexported types and "
    "unexported interface methods are left out on both sides, and so are methods go/doc promotes "
    "from embedded types (declared elsewhere).",
    "Keys are `<folder>:<Name>` and `<folder>:<Type>.<Method>` (the folder relative to the root, `.` "
    "for the root); each package has a record keyed by its folder, with go/doc's package doc.",
    "Kinds: `package`, `const`, `var`, `func`, `method` (receiver methods and interface methods), "
    "`struct`, `interface`, `type` (another named type); go/doc's grouping of constructors, consts "
    "and vars under their type is flattened: a func is a `func` wherever go/doc lists it.",
    "Each name of a grouped `const ( ... )` / `var ( ... )` is a record of its own; its doc is the "
    "comment above its own line in the group, else the group's doc (go/doc's Value.Doc).",
    "Signatures of funcs and methods are compared with every run of whitespace collapsed to one "
    "space (gofmt breaks long parameter lists over lines); an interface method's is `Name(params) "
    "results`. A const's or var's signature is `Name [Type] [= value]`, its own value of the spec "
    "(an implicit iota repetition has none). Types and packages have no signature.",
    "Doc comments are go/doc's text (markers and directives such as `//go:generate` removed) with "
    "the final newline dropped; an empty doc is None.",
    "Build constraints are not applied: every non-test `.go` file is read on both sides (go doc would "
    "read the current platform's only); `go list` does apply them, so imports of other platforms' "
    "files draw no edge in the reference.",
    "Import edges are package folder -> package folder within the project; CodeScribe's file-level "
    "graph is reduced to folders, and a package's edges to itself are dropped.",
)
FIELDS = ("kind", "signature", "docstring")

_GOCODE = "usr/share/gocode/src/github.com/spf13"
PACKAGES = (
    Package(
        name="cobra",
        version="1.6.1",
        registry="debian",
        registry_name="golang-github-spf13-cobra-dev",
        registry_version="1.6.1-1",
        root=f"{_GOCODE}/cobra",
        include=("**/*.go",),
        exclude=("**/*_test.go",),
        slice=(
            "args.go",
            "cobra.go",
            "command.go",
            "flag_groups.go",
            "shell_completions.go",
            "doc/man_docs.go",
            "doc/md_docs.go",
            "doc/util.go",
        ),
    ),
    Package(
        name="afero",
        version="1.9.3",
        registry="debian",
        registry_name="golang-github-spf13-afero-dev",
        registry_version="1.9.3-1",
        root=f"{_GOCODE}/afero",
        include=("**/*.go",),
        exclude=("**/*_test.go",),
        slice=(
            "afero.go",
            "basepath.go",
            "iofs.go",
            "memmap.go",
            "unionFile.go",
            "internal/common/adapters.go",
            "mem/dir.go",
            "mem/dirmap.go",
            "mem/file.go",
            "zipfs/file.go",
            "zipfs/fs.go",
        ),
    ),
)

_HERE = Path(__file__).resolve().parent
_GODOC = _HERE / "go" / "godoc" / "main.go"
_CACHE = _HERE.parent / ".cache" / "reference" / "go"
_KINDS = {"constant": "const", "variable": "var"}


def install() -> None:
    """Install Debian's Go toolchain (``golang-go``) when ``go`` is not on the PATH.

    Raises:
        subprocess.CalledProcessError: apt-get failed even after ``apt-get update``.
    """
    if shutil.which("go"):
        return
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    installed = subprocess.run(["apt-get", "install", "-y", "golang-go"], env=environment, check=False)
    if installed.returncode != 0:
        subprocess.run(["apt-get", "update"], env=environment, check=True)
        subprocess.run(["apt-get", "install", "-y", "golang-go"], env=environment, check=True)


def _go_environment(gopath: Path) -> dict[str, str]:
    """GOPATH mode, no network, a cache of our own: nothing is fetched for Go modules."""
    _CACHE.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "GO111MODULE": "off",
        "GOFLAGS": "",
        "GOPROXY": "off",
        "GOPATH": str(gopath),
        "GOCACHE": str(_CACHE / "build-cache"),
    }


def _import_path(root: Path) -> str:
    """The module path of ``go.mod`` at the root, else the path after GOPATH's ``src/``."""
    go_mod = root / "go.mod"
    if go_mod.is_file():
        for line in go_mod.read_text(encoding="utf-8").splitlines():
            if line.startswith("module "):
                return line.split()[1].strip('"')
    parts = root.resolve().parts
    if "src" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("src") :])
    return root.name


def _folder(file: str) -> str:
    return PurePosixPath(file).parent.as_posix()


def _go_files(files: Iterable[str]) -> list[str]:
    return [name for name in files if name.endswith(".go") and not name.endswith("_test.go")]


def _doc(text: str | None) -> str | None:
    return text.rstrip("\n") or None if text else None


def _flat(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


def tool_records(package: Package, root: Path, files: list[str]) -> dict[str, Record]:
    """What go/doc documents in every package folder under ``root`` (all of the package's files).

    Args:
        package: the corpus entry.
        root: the project's root (the Go module's folder).
        files: the compared files (the tool reads whole folders; the harness keeps these files' records).

    Returns:
        Records by key, each with ``file``, ``kind``, ``signature`` (funcs, methods, consts, vars)
        and ``docstring``.
    """
    with tempfile.TemporaryDirectory() as gopath:
        done = subprocess.run(
            ["go", "run", str(_GODOC), str(root)],
            env=_go_environment(Path(gopath)),
            capture_output=True,
            text=True,
            check=True,
        )
    records: dict[str, Record] = {}
    for item in json.loads(done.stdout) or []:
        folder, name, kind = item["package"], item["name"], item["kind"]
        record: Record = {"file": item["file"], "kind": kind, "docstring": _doc(item["doc"])}
        if kind in ("func", "method", "const", "var", "field"):
            record["signature"] = _flat(item["signature"])
        records[f"{folder}:{name}" if name else folder] = record
    return records


def tool_edges(package: Package, root: Path, files: list[str]) -> set[Edge]:
    """The packages each package imports, as ``go list`` says, between the project's own folders.

    The compared files are copied into a temporary GOPATH at the module's import path (``go.mod``'s
    module, else the path below GOPATH's ``src/``), so ``go list`` needs no network and no go.mod.

    Args:
        package: the corpus entry.
        root: the project's root.
        files: the compared files.

    Returns:
        ``(importer folder, imported folder)`` pairs, ``.`` for the root package.
    """
    module = _import_path(root)
    with tempfile.TemporaryDirectory() as gopath:
        tree = Path(gopath, "src", *module.split("/"))
        for name in _go_files(files):
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / name, tree / name)
        done = subprocess.run(
            ["go", "list", "-e", "-json", "./..."],
            cwd=tree,
            env=_go_environment(Path(gopath)),
            capture_output=True,
            text=True,
            check=True,
        )
    decoder, text, position = json.JSONDecoder(), done.stdout, 0
    listed: list[dict[str, object]] = []
    while text[position:].strip():
        position += len(text[position:]) - len(text[position:].lstrip())
        item, position = decoder.raw_decode(text, position)
        listed.append(item)
    folders = {str(item["ImportPath"]): Path(str(item["Dir"])).relative_to(tree).as_posix() or "." for item in listed}
    edges: set[Edge] = set()
    for item in listed:
        imports = item.get("Imports") or []
        assert isinstance(imports, list)
        importer = folders[str(item["ImportPath"])]
        edges |= {(importer, folders[path]) for path in imports if path in folders and folders[path] != importer}
    return edges


@functools.lru_cache(maxsize=4)
def _project(root: Path, files: tuple[str, ...]) -> ProjectAnalysis:
    from codescribe.engine.analysis.project import analyze_project

    return analyze_project(root, include=files)


def _function_record(file: str, function: FunctionInfo, kind: str) -> Record:
    return {"file": file, "kind": kind, "signature": _flat(function.signature), "docstring": function.docstring}


def _file_records(file: str, analysis: FileAnalysis) -> dict[str, Record]:
    folder = _folder(file)
    records: dict[str, Record] = {}
    for function in analysis.functions:
        if function.is_public:
            records[f"{folder}:{function.name}"] = _function_record(file, function, "func")
    for variable in analysis.variables:
        if variable.is_public:
            signature = " ".join(
                part for part in (variable.name, variable.annotation, variable.value and f"= {variable.value}") if part
            )
            records[f"{folder}:{variable.name}"] = {
                "file": file,
                "kind": _KINDS.get(variable.kind, variable.kind),
                "signature": _flat(signature),
                "docstring": variable.docstring,
            }
    for cls in analysis.classes:
        if not cls.is_public:
            continue
        if cls.kind != "impl":
            records[f"{folder}:{cls.name}"] = {"file": file, "kind": cls.kind, "docstring": cls.docstring}
        for attribute in cls.attributes:
            if attribute.is_public and attribute.kind == "field":
                records[f"{folder}:{cls.name}.{attribute.name}"] = {
                    "file": file,
                    "kind": "field",
                    "signature": _flat(f"{attribute.name} {attribute.annotation}"),
                    "docstring": attribute.docstring,
                }
        for method in cls.methods:
            if method.is_public:
                records[f"{folder}:{cls.name}.{method.name}"] = _function_record(file, method, "method")
    return records


def codescribe_records(package: Package, root: Path, files: list[str]) -> dict[str, Record]:
    """What CodeScribe's analysis finds in the same files, as the same records.

    A package's record takes the module docstrings of its files, in file-name order, joined by a
    newline (go/doc joins several package comments so); its ``file`` is the first file with one.

    Args:
        package: the corpus entry.
        root: the project's root.
        files: the compared files.

    Returns:
        Records by key, as :func:`tool_records` gives them.
    """
    project = _project(root, tuple(_go_files(files)))
    records: dict[str, Record] = {}
    docs: dict[str, list[tuple[str, str]]] = {}
    for file in sorted(project.files):
        analysis = project.files[file]
        records.update(_file_records(file, analysis))
        docs.setdefault(_folder(file), [])
        if analysis.module_docstring:
            docs[_folder(file)].append((file, analysis.module_docstring))
    for folder, found in docs.items():
        first = found[0][0] if found else min(f for f in project.files if _folder(f) == folder)
        records[folder] = {
            "file": first,
            "kind": "package",
            "docstring": "\n".join(text for _, text in found) or None,
        }
    return records


def codescribe_edges(package: Package, root: Path, files: list[str]) -> set[Edge]:
    """CodeScribe's import graph of the same files, reduced from files to package folders.

    Args:
        package: the corpus entry.
        root: the project's root.
        files: the compared files.

    Returns:
        ``(importer folder, imported folder)`` pairs, a folder's edges to itself left out.
    """
    project = _project(root, tuple(_go_files(files)))
    modules = project.modules
    return {
        (_folder(modules[importer]), _folder(modules[imported]))
        for importer, targets in project.import_graph().items()
        for imported in targets
        if _folder(modules[importer]) != _folder(modules[imported])
    }


def edge_node(package: Package, file: str) -> str:
    """The node a file belongs to in the import graph: its package's folder (``.`` for the root).

    Args:
        package: the corpus entry.
        file: a file's path relative to the root.

    Returns:
        The folder, relative to the root.
    """
    return _folder(file)
