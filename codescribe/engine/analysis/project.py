"""A project as a whole: its files, module tree, import graph, dependency order and repo map."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar, cast

from ...llm.tokens import chars_for_tokens
from ...progress import get_logger
from ..markers import OWN_FOLDER_MARKERS
from . import LANGUAGES, SourceError, _with_warnings, analyze_file, analyze_source, read_source
from .manifest import npm_entry_folders
from .model import ClassInfo, FileAnalysis, FunctionInfo, ImportInfo, VariableInfo
from .saved import AnalysisStore
from .treesitter import import_resolver

log = get_logger("codescribe")

T = TypeVar("T")
_Definition = TypeVar("_Definition", FunctionInfo, ClassInfo, VariableInfo)

__all__ = [
    "DEFAULT_EXCLUDES",
    "GENERATED_FOLDERS",
    "ProjectAnalysis",
    "analyze_project",
    "defined_names",
    "dependency_order_of",
    "discover_sources",
    "is_support_file",
    "skipped_folder_note",
]

#: Folders of tools, caches and installed dependencies: never the project's own source, skipped unsaid.
_NEVER_SOURCE = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "node_modules",
    "__pycache__",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".cache",
    "site-packages",
    ".eggs",
)

#: Folder names that usually hold build output, a virtual environment or vendored code, with what they
#: usually hold: skipped, and reported, unless they hold the project's own source (see
#: :func:`_is_source_folder`; ``vendor`` never does) or an ``--include`` pattern names them.
GENERATED_FOLDERS = {
    "build": "build output",
    "dist": "build output",
    "target": "build output",
    "env": "a virtual environment",
    "venv": "a virtual environment",
    "vendor": "vendored code",
}

#: Folders skipped by default, by name, wherever they are (those of :data:`GENERATED_FOLDERS` only
#: when they hold no source of the project's own).
DEFAULT_EXCLUDES = (*_NEVER_SOURCE, *GENERATED_FOLDERS)


def discover_sources(
    root: str | Path,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    skipped: dict[str, str] | None = None,
) -> Iterator[Path]:
    r"""Find the source files under ``root``, in a stable order, skipping vendored and generated folders.

    Only files whose suffix names a language CodeScribe reads are yielded. Folders whose name starts
    with a dot, or is one of :data:`DEFAULT_EXCLUDES` or of ``exclude``, are not entered, nor are
    folders CodeScribe wrote (documents from ``generate --out``, a cache: marked by one of
    :data:`~codescribe.engine.markers.OWN_FOLDER_MARKERS`), wherever they are. A folder named as
    one of :data:`GENERATED_FOLDERS` (``build``, ``dist``, ``env`` ...) is entered when it holds the
    project's own source: a Python package (an ``__init__.py``), a Go package (``.go`` files), a Rust
    module (``mod.rs``), or the folder a ``package.json`` beside it points its entries into (unless a
    ``src`` folder there holds what they are built from); or when an ``include`` pattern names it
    (``build/*``: a part of the pattern, not only wildcards, matches its name). Patterns
    are :mod:`fnmatch` globs matched against the path relative to ``root`` with ``/`` separators,
    in which ``*`` also matches ``/``. A missing ``root`` yields nothing. Symbolic links to files are
    not followed: one inside the tree would document its target twice, and one out of it reads what
    is not the project's. A Python stub (``.pyi``)
    beside its module's source is left out: both are one module, documented from the source (griffe
    merges the two the same way).

    Args:
        root: a project folder, or one file (yielded as it is, whatever its suffix).
        include: globs a file must match one of; empty for every file.
        exclude: globs (and folder names) to leave out, on top of :data:`DEFAULT_EXCLUDES`.
        skipped: filled, when given, with each folder of :data:`GENERATED_FOLDERS` left out (its path
            relative to ``root``) and what it holds, as the files are yielded.

    Yields:
        The files' paths (``root`` joined with the relative path), folder by folder, each folder's
        files and sub-folders sorted by name.

    Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> folder = tempfile.TemporaryDirectory()
            >>> names = ("app.py", "app.pyi", "notes.txt", "sub/calc.go", "tests/test_app.py")
            >>> names += ("node_modules/x.js", ".git/y.py", "build/lib/app.py", "src/build/__init__.py")
            >>> for name in names:
            ...     file = Path(folder.name, name)
            ...     file.parent.mkdir(parents=True, exist_ok=True)
            ...     _ = file.write_text("X = 1\n")
            >>> skipped = {}
            >>> [path.relative_to(folder.name).as_posix() for path in discover_sources(folder.name, skipped=skipped)]
            ['app.py', 'src/build/__init__.py', 'sub/calc.go', 'tests/test_app.py']
            >>> skipped
            {'build': 'build output'}
            >>> [path.relative_to(folder.name).as_posix() for path in discover_sources(folder.name, exclude=["tests"])]
            ['app.py', 'src/build/__init__.py', 'sub/calc.go']
            >>> [path.name for path in discover_sources(folder.name, include=["*.go"])]
            ['calc.go']
            >>> [path.name for path in discover_sources(folder.name, include=["build/*"])]
            ['app.py']
            >>> folder.cleanup()
    """
    base = Path(root)
    if base.is_file():
        yield base
        return
    includes, excludes = tuple(include), (*_NEVER_SOURCE, *exclude)
    for folder, subfolders, files in os.walk(base):
        entered = [name for name in sorted(subfolders) if _enters(Path(folder, name), files, subfolders, excludes)]
        subfolders[:] = []
        for name in entered:
            holds = _generated(Path(folder, name), files, entered, includes)
            if holds is None:
                subfolders.append(name)
            elif skipped is not None:
                skipped[Path(folder, name).relative_to(base).as_posix()] = holds
        for name in sorted(files):
            path = Path(folder, name)
            relative = path.relative_to(base).as_posix()
            if path.suffix.lower() not in LANGUAGES:
                continue
            if path.is_symlink():  # a link: its target is read where it is, or it is not the project's
                target = path.resolve()
                if not target.is_relative_to(base.resolve()):
                    _warn_outside(relative, str(target))
                continue
            if path.suffix == ".pyi" and name[:-1] in files:  # a stub beside its module: one module, one page
                continue
            if any(fnmatch.fnmatch(relative, pattern) for pattern in excludes):
                continue
            if includes and not any(fnmatch.fnmatch(relative, pattern) for pattern in includes):
                continue
            yield path


def skipped_folder_note(relative: str, holds: str) -> str:
    """Say which folder was left out, what it holds, and how to document it anyway.

    Args:
        relative: the folder's path relative to the project's root, with ``/`` separators.
        holds: what it holds, as :data:`GENERATED_FOLDERS` says (``build output``).

    Returns:
        One line: the folder, what it holds, and the ``--include`` options that bring it back.

    Examples:
        >>> skipped_folder_note("build", "build output")
        "build/ (build output; to document it too: --include '*' --include 'build/*')"
    """
    return f"{relative}/ ({holds}; to document it too: --include '*' --include '{relative}/*')"


def _enters(folder: Path, siblings: list[str], sibling_folders: list[str], excludes: tuple[str, ...]) -> bool:
    """Whether a folder may hold the project's files: not hidden, not excluded, not one CodeScribe wrote."""
    return not folder.name.startswith(".") and folder.name not in excludes and not _ours(folder)


def _generated(folder: Path, siblings: list[str], sibling_folders: list[str], includes: tuple[str, ...]) -> str | None:
    """What a folder skipped by name holds (``build output`` ...); ``None`` for a folder to enter."""
    if folder.name not in GENERATED_FOLDERS or _is_source_folder(folder, siblings, sibling_folders):
        return None
    if any(_names_folder(pattern, folder.name) for pattern in includes):
        return None
    return GENERATED_FOLDERS[folder.name]


def _is_source_folder(folder: Path, siblings: list[str], sibling_folders: list[str]) -> bool:
    """Whether a folder named as build output (or an environment) holds the project's own source.

    A Python package, a Go package or a Rust module folder is source wherever it is; so is the
    folder a ``package.json`` beside it points its entries into, unless a ``src`` folder beside it
    holds what they are built from. ``vendor`` is never the project's own source.
    """
    if folder.name == "vendor":
        return False
    try:
        names = os.listdir(folder)
    except OSError:  # a folder that cannot be read: nothing of it can be documented either
        return False
    if "__init__.py" in names or "mod.rs" in names or any(name.endswith(".go") for name in names):
        return True
    built_from_src = "src" in sibling_folders
    return "package.json" in siblings and not built_from_src and folder.name in npm_entry_folders(folder.parent)


def _names_folder(pattern: str, name: str) -> bool:
    """Whether an include pattern names a folder: one of its parts, not only wildcards, matches the name."""
    return any(part.strip("*?") and fnmatch.fnmatch(name, part) for part in pattern.split("/"))


def _ours(folder: Path) -> bool:
    """Whether ``folder`` is one CodeScribe wrote (documents, a cache): its files are not the project's."""
    try:
        return any((folder / marker).is_file() for marker in OWN_FOLDER_MARKERS)
    except OSError:  # a folder that cannot be read: its files are reported as they are met, if at all
        return False


@functools.cache
def _warn_outside(relative: str, target: str) -> None:
    """Say once that a link to a file outside the source tree was skipped (its text is not the project's)."""
    log.warning("%s links to %s, outside the source tree: skipped (it is not read or sent anywhere)", relative, target)


#: Which of several files of one module name keeps the name: the one an import resolves to first
#: (Python's source before its stub; TypeScript's resolution order, then Node's).
_RESOLUTION_ORDER = (".py", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".pyi")


#: Folders of a project's tests, documentation, examples and benchmarks: documented, but not its API.
_SUPPORT_FOLDERS = frozenset(
    {"test", "tests", "__tests__", "spec", "testdata", "fixtures", "docs", "doc", "examples", "example"}
    | {"benchmarks", "bench", "benches"}
)
#: Test files by each ecosystem's naming convention (pytest, ``go test``, Jest and Vitest).
_TEST_FILE = re.compile(r"^(?:test_.*\.pyi?|.*_test\.(?:py|go)|conftest\.py|.*\.(?:test|spec)\.[cm]?[jt]sx?)$")


#: Files that build, package or test a project rather than being part of it.
_BUILD_FILES = frozenset({"setup.py", "noxfile.py", "build.rs"})


def is_support_file(path: str) -> bool:
    """Whether a file holds a project's tests, docs, examples or benchmarks rather than its API.

    Args:
        path: the file's path relative to the project's root, with ``/`` separators.

    Returns:
        ``True`` for a file under a folder such as ``tests``, ``docs``, ``examples`` or ``benches``
        (Java's ``src/test`` too), or named as its ecosystem names tests (``test_*.py``,
        ``*_test.go``, ``*.test.ts``, ``conftest.py``), or one that builds it (``setup.py``, ``noxfile.py``,
        Cargo's ``build.rs``).

    Examples:
        >>> [is_support_file(p) for p in ("tests/util.py", "pkg/test_app.py", "docs/conf.py", "cmd/root_test.go")]
        [True, True, True, True]
        >>> is_support_file("src/itsdangerous/signer.py"), is_support_file("codescribe/testing/server.py")
        (False, False)
    """
    *folders, name = path.split("/")
    return bool(_SUPPORT_FOLDERS.intersection(folders)) or bool(_TEST_FILE.match(name)) or name in _BUILD_FILES


def _resolution_rank(path: str) -> tuple[int, str]:
    suffix = PurePosixPath(path).suffix
    rank = _RESOLUTION_ORDER.index(suffix) if suffix in _RESOLUTION_ORDER else len(_RESOLUTION_ORDER)
    return rank, path


def module_name(relative_path: str) -> str:
    """The module name of a file: ``pkg/sub/mod.py`` → ``pkg.sub.mod``; other languages keep the path.

    Args:
        relative_path: the file's path relative to the project's root, with ``/`` separators.

    Returns:
        For Python (``.py``, ``.pyi``), the dotted name, a package's ``__init__`` standing for the
        package; for other languages, the path without its suffix.

    Examples:
        >>> module_name("pkg/sub/mod.py"), module_name("pkg/__init__.py"), module_name("src/app.ts")
        ('pkg.sub.mod', 'pkg', 'src/app')
    """
    path = PurePosixPath(relative_path)
    if path.suffix not in (".py", ".pyi"):
        return path.with_suffix("").as_posix()
    parts = list(path.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or path.stem


@dataclass
class ProjectAnalysis:
    """The analysed files of a project, keyed by path relative to its root.

    The module names, import graph, dependency order and repository map are computed once for a
    set of files and then remembered.

    Attributes:
        root: the project's folder.
        files: each file's analysis, by its path relative to ``root`` (``/`` separators).
        errors: files that could not be analysed at all, with the reason (the batch goes on without them).
        skipped_folders: folders left out by name as build output, an environment or vendored code
            (see :data:`GENERATED_FOLDERS`), by path relative to ``root``, with what they hold.
    """

    root: Path
    files: dict[str, FileAnalysis] = field(default_factory=dict)
    #: Files that could not be analysed at all, with the reason (the batch goes on without them).
    errors: dict[str, str] = field(default_factory=dict)
    #: Folders left out as build output, an environment or vendored code, with what they hold.
    skipped_folders: dict[str, str] = field(default_factory=dict)
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def _remember(self, name: str, compute: Callable[[], T], *args: Any) -> T:
        """Compute once per set of files: the graph and its products are asked for once a page."""
        known = self._memo.get("files")  # (how many files, the last one) when the memo was filled
        files = (len(self.files), next(reversed(self.files), None))
        if known != files:
            self._memo.clear()  # files were added or removed: everything is computed again
            self._memo["files"] = files
        key = (name, args)
        if key not in self._memo:
            self._memo[key] = compute()
        return cast("T", self._memo[key])

    @property
    def modules(self) -> dict[str, str]:
        r"""Each file's module name, with its relative path.

        Names come from :func:`module_name`; when the root is itself a package (it has an
        ``__init__.py``), Python modules are named from it (``shop.util``); in the ``src`` layout
        (a ``src`` folder that is no package), from inside ``src``, as they are imported
        (``src/itsdangerous/exc.py`` is ``itsdangerous.exc``).

        Returns:
            Module name → relative path.

        Examples:
            >>> from pathlib import Path
            >>> from codescribe.engine.analysis import analyze_source
            >>> app = analyze_source("from util import slug\n\ndef main(argv):\n    return slug(argv[0])\n", "app.py")
            >>> util = analyze_source("def slug(text: str) -> str:\n    return text.lower()\n", "util.py")
            >>> project = ProjectAnalysis(root=Path("shop"), files={"app.py": app, "util.py": util})
            >>> project.modules
            {'app': 'app.py', 'util': 'util.py'}
        """
        return self._remember("modules", self._modules)

    def _modules(self) -> dict[str, str]:
        prefix = f"{self.root.name}." if (self.root / "__init__.py").is_file() else ""
        src_layout = not prefix and "src/__init__.py" not in self.files and not (self.root / "src/__init__.py").exists()
        claimants: dict[str, list[str]] = {}
        for path in self.files:
            python = path.endswith((".py", ".pyi"))
            name = module_name(path.removeprefix("src/") if src_layout and python else path)
            claimants.setdefault(_prefixed(prefix, name, path), []).append(path)
        modules: dict[str, str] = {}
        for name, paths in claimants.items():
            # ``a.py`` beside ``a.pyi``, ``a.js`` beside ``a.ts``: one keeps the name, the others are
            # named by their path, so that every file is a module of its own and none is lost.
            first, *others = sorted(paths, key=_resolution_rank)
            modules[name] = first
            modules.update((path, path) for path in others)
        return modules

    def import_graph(self, *, runtime_only: bool = True) -> dict[str, set[str]]:
        r"""Which of the project's own modules each module imports (third-party imports left out).

        Python imports are resolved, relative ones included (``from . import x`` and ``from pkg import
        mod`` may import a module). Other languages' imports are matched by their text without a
        leading ``./``, against the module names (paths without suffix) from the root.

        Args:
            runtime_only: leave out the imports made only for type checkers (under ``TYPE_CHECKING``)
                and by scripts, which make no edge at run time; ``False`` keeps them (a module
                imported only for its types is still used).

        Returns:
            Module name → the set of module names it imports (itself never among them).

        Examples:
            >>> from pathlib import Path
            >>> from codescribe.engine.analysis import analyze_source
            >>> app = analyze_source("from util import slug\n\ndef main(argv):\n    return slug(argv[0])\n", "app.py")
            >>> util = analyze_source("def slug(text: str) -> str:\n    return text.lower()\n", "util.py")
            >>> project = ProjectAnalysis(root=Path("shop"), files={"app.py": app, "util.py": util})
            >>> project.import_graph()
            {'app': {'util'}, 'util': set()}
        """
        return self._remember("import_graph", lambda: self._import_graph(runtime_only), runtime_only)

    def _import_graph(self, runtime_only: bool) -> dict[str, set[str]]:
        modules = self.modules
        graph: dict[str, set[str]] = {name: set() for name in modules}
        for name, path in modules.items():
            resolve = import_resolver(self.files[path].language)
            for imported in self.files[path].imports:
                if runtime_only and not imported.runtime:  # type checkers' and scripts' imports
                    continue
                if resolve is not None:
                    graph[name].update(t for t in resolve(imported, path, modules, self.root) if t != name)
                    continue
                *named, base = _candidates(imported.module, imported.names, imported.level, name, path)
                targets = [t for t in named if t in modules]
                others = [t.rpartition(".")[2] for t in named if t not in modules]
                if not named or "*" in others or (base in modules and self._defines(modules[base], others)):
                    targets.append(base)  # a name that is not a module is the base's own
                graph[name].update(t for t in targets if t in modules and t != name)
        return graph

    def _defines(self, path: str, names: list[str]) -> bool:
        """Whether a module defines or imports any of ``names`` (a star import may bring any)."""
        analysis = self.files[path]
        imported = {name for i in analysis.imports for name in i.bound_names}
        return bool(names) and ("*" in imported or any(n in analysis.identifiers or n in imported for n in names))

    def dependency_order(self) -> list[str]:
        r"""The modules ordered so that each comes after what it imports.

        A depth-first walk in name order; an import cycle is broken where the walk finds it.

        Returns:
            Every module name, once.

        Examples:
            >>> from pathlib import Path
            >>> from codescribe.engine.analysis import analyze_source
            >>> app = analyze_source("from util import slug\n\ndef main(argv):\n    return slug(argv[0])\n", "app.py")
            >>> util = analyze_source("def slug(text: str) -> str:\n    return text.lower()\n", "util.py")
            >>> project = ProjectAnalysis(root=Path("shop"), files={"app.py": app, "util.py": util})
            >>> project.dependency_order()
            ['util', 'app']
        """
        return self._remember("dependency_order", lambda: dependency_order_of(self.import_graph()))

    def public_interface(self, path: str) -> FileAnalysis:
        r"""A Python module's analysis with the names it re-exports from other modules of the project added.

        ``httpx/__init__.py`` lists ``Client`` in ``__all__`` and imports it from ``httpx._client``:
        users import ``httpx.Client``, so its page documents it there, as mkdocstrings and pdoc do.
        A name counts when the module exports it without defining it (``__all__``, ``import X as X``;
        ``exports.Command = Command``, ``export { match } from``) and imports it from a module of the
        project, through up to three such imports; its class (with nested classes), function or
        variable is added as that module defines it, public here whatever that module's ``__all__``
        says, a variable with that module's name in ``defined_in``. Without ``__all__``, ``from .core import *``
        re-exports everything ``core`` exports (``import *``'s rule); ``export * from`` all but its
        default export. Other languages' modules are returned as they are.

        Args:
            path: the file's path relative to the root, as in :attr:`files`.

        Returns:
            The analysis, with the re-exported names in its exports and their definitions after its
            own; the file's own analysis when it re-exports nothing.

        Examples:
            >>> from pathlib import Path
            >>> from codescribe.engine.analysis import analyze_source
            >>> init = analyze_source('from ._client import Client\n__all__ = ["Client"]\n', "pkg/__init__.py")
            >>> client = analyze_source("class Client:\n    def get(self, url):\n        pass\n", "pkg/_client.py")
            >>> project = ProjectAnalysis(Path("."), {"pkg/__init__.py": init, "pkg/_client.py": client})
            >>> [c.name for c in project.public_interface("pkg/__init__.py").classes]
            ['Client']
        """
        return self._remember("public_interface", lambda: self._public_interface(path), path)

    def _public_interface(self, path: str) -> FileAnalysis:
        analysis = self.files[path]
        if analysis.language not in _REEXPORTING:
            return analysis
        own = defined_names(analysis)
        exports = list(dict.fromkeys((*analysis.exports, *self._star_exports(path, {path}))))
        renamed = dict(analysis.export_aliases)
        hidden = set(renamed.values()) - set(exports)  # reachable under their aliases only
        functions = [f for f in analysis.functions if f.name not in hidden]
        classes = [c for c in analysis.classes if c.name.split(".")[0] not in hidden]
        variables = [v for v in analysis.variables if v.name not in hidden]
        for name in exports:
            if name in own:
                continue
            local = renamed.get(name, name)
            found = (path, local) if local in own else self.definition(path, local)
            if found is None:
                variables += self._namespace(path, local, name)
                continue
            target, original = self.files[found[0]], found[1]
            module = self._module_names().get(found[0]) if found[0] != path else None
            functions += [_reexported(f, original, name) for f in target.functions if f.name == original]
            classes += [
                _reexported(c, original, name)
                for c in target.classes
                if c.name == original or c.name.startswith(f"{original}.")
            ]
            variables += [
                replace(_reexported(v, original, name), defined_in=module)
                for v in target.variables
                if v.name == original
            ]
        default = analysis.default_export or self._whole_default(path)
        same = len(functions) + len(classes) + len(variables) == len(own) and exports == [*analysis.exports]
        if not hidden and same and default == analysis.default_export:
            return analysis
        return replace(
            analysis,
            functions=tuple(functions),
            classes=tuple(classes),
            variables=tuple(variables),
            exports=tuple(exports),
            default_export=default,
        )

    def _namespace(self, path: str, local: str, name: str) -> list[VariableInfo]:
        """The module ``local`` binds as one object (``import * as z from``, or ``require()`` of a module whose
        ``module.exports`` is an object of exports), as the variable ``name`` users reach it by."""
        for imported in self.files[path].imports:
            if local not in imported.bound_names:
                continue
            source = self._imported_file(path, imported)
            target = self.files.get(source) if source is not None and source != path else None
            whole = imported.namespace or imported.imported_as(local) == "default"
            if target is None or not whole or (not imported.namespace and target.default_export is not None):
                return []
            exports = [*target.exports, *self._star_exports(source, {source})] if source else []
            if not exports:  # nothing known of it: say nothing rather than "0 exports"
                return []
            shown = ", ".join(f"`{export}`" for export in exports[:8]) + (", ..." if len(exports) > 8 else "")
            words = f"The module `{imported.module}` as one object: its {len(exports)} exports, as `{name}.<export>`"
            module = repr(imported.module)
            value = f"import * as {local} from {module}" if imported.namespace else None  # module.exports, bound
            return [VariableInfo(name, value=value, line=imported.line, docstring=f"{words} ({shown}).")]
        return []

    def _whole_default(self, path: str) -> str | None:
        """The default export a CommonJS ``module.exports = require("./x")`` hands on: x's, default and all."""
        for imported in self.files[path].imports:
            if "*" in imported.names and "default" in imported.names:
                source = self._imported_file(path, imported)
                if source is not None and source != path:
                    return self.files[source].default_export
        return None

    def _star_exports(self, path: str, seen: set[str]) -> list[str]:
        """The names a module without ``__all__`` re-exports through ``from x import *`` of project modules."""
        analysis = self.files[path]
        if analysis.language not in _REEXPORTING or analysis.declares_all:
            return []
        names: list[str] = []
        for imported in analysis.imports:
            source = self._imported_file(path, imported) if "*" in imported.names else None
            if source is None or source in seen:
                continue
            seen.add(source)
            names += [*self.files[source].exports, *self._star_exports(source, seen)]
        if analysis.language == "python":
            return [name for name in names if not name.startswith("_")]
        return [name for name in names if name != "default"]  # ``export *`` hands on all but the default

    def _imported_file(self, path: str, imported: ImportInfo) -> str | None:
        """The project file an import statement reads its names from; ``None`` outside the project."""
        return self._remember("imported_file", lambda: self._resolve(path, imported), path, imported)

    def _resolve(self, path: str, imported: ImportInfo) -> str | None:
        resolve = import_resolver(self.files[path].language)
        if resolve is not None:
            targets = resolve(imported, path, self.modules, self.root)
            return self.modules[targets[0]] if targets else None
        *_, base = _candidates(imported.module, (), imported.level, self._module_names().get(path, ""), path)
        return self.modules.get(base)

    def _module_names(self) -> dict[str, str]:
        """The module name of each file, by its path: :attr:`modules` turned round."""
        return self._remember("module_names", lambda: {file: module for module, file in self.modules.items()})

    def definition(self, path: str, name: str, depth: int = 3) -> tuple[str, str] | None:
        r"""The module of the project that defines a name a module imports (and may re-export).

        Renamed imports are followed (``from ._x import a as b``, ``export { a as b } from``,
        ``export { default as B } from``), so the definition may have another name there.

        Args:
            path: the importing file's path relative to the root.
            name: the name as the importing module binds (or exports) it.
            depth: how many re-exporting modules may stand between them.

        Returns:
            ``(the defining file's path, the name it defines)``; ``None`` when the name is not
            imported from a module of the project, or its definition is not found.

        Examples:
            >>> from pathlib import Path
            >>> from codescribe.engine.analysis import analyze_source
            >>> index = analyze_source('export { parse as read } from "./parse";\n', "index.ts")
            >>> parse = analyze_source("export function parse(text: string) {}\n", "parse.ts")
            >>> ProjectAnalysis(Path("."), {"index.ts": index, "parse.ts": parse}).definition("index.ts", "read")
            ('parse.ts', 'parse')
        """
        for imported in self.files[path].imports:
            original = None if imported.namespace else imported.imported_as(name)
            if original is None:
                continue
            source = self._imported_file(path, imported)
            if source is None or source == path:
                continue
            target = self.files[source]
            if original == "default" and target.default_export not in (None, "default"):
                original = str(target.default_export)
            if original in defined_names(target):
                return source, original
            local = dict(target.export_aliases).get(original)
            if local is not None and local in defined_names(target):
                return source, local
            if depth > 1 and (found := self.definition(source, local or original, depth - 1)):
                return found
        local = dict(self.files[path].export_aliases).get(name)  # ``import P from``, then ``export { P as read }``
        return self.definition(path, local, depth - 1) if local not in (None, name) and depth > 0 else None

    def structure(self) -> str:
        r"""Everything an architecture page depends on, as text: the key of its cache entry.

        The public signatures (the :meth:`repo_map`, unbounded), the import graph, and per module its
        exports, its docstring's first paragraph and how many of its public functions and classes are
        documented. A function body, a comment or a blank line changes none of it, so the page is not
        written again; an import, a signature or a module docstring does.

        Returns:
            The text (JSON after the repo map).

        Examples:
            >>> from pathlib import Path
            >>> from codescribe.engine.analysis import analyze_source
            >>> app = analyze_source("from util import slug\n\ndef main(argv):\n    return slug(argv[0])\n", "app.py")
            >>> edited_text = "from util import slug\n\n\ndef main(argv):\n    x = 1\n    return slug(x)\n"
            >>> edited = analyze_source(edited_text, "app.py")
            >>> util = analyze_source("def slug(text: str) -> str:\n    return text.lower()\n", "util.py")
            >>> def structure(app):
            ...     return ProjectAnalysis(root=Path("shop"), files={"app.py": app, "util.py": util}).structure()
            >>> structure(app) == structure(edited)
            True
            >>> structure(app) == structure(analyze_source("def main(argv):\n    return argv\n", "app.py"))
            False
        """
        import json

        modules = {}
        for name, path in sorted(self.modules.items()):
            analysis = self.files[path]
            documented = sum(1 for f in analysis.all_functions if f.is_public and f.docstring)
            documented += sum(1 for c in analysis.classes if c.is_public and c.docstring)
            summary = (analysis.module_docstring or "").split("\n\n")[0]
            modules[name] = [list(analysis.exports), summary, documented]
        graph = sorted((name, sorted(targets)) for name, targets in self.import_graph().items())
        return self.repo_map(1_000_000) + "\n" + json.dumps({"graph": graph, "modules": modules}, sort_keys=True)

    def repo_map(self, budget_tokens: int = 2000) -> str:
        r"""A compact outline of the project (modules, classes, public signatures) within a token budget.

        Tokens are estimated as ``codescribe.llm.tokens`` does (about 4 characters a token); modules
        are listed in dependency order, and the outline stops, with a note, at the first module that
        would cross the budget.

        Args:
            budget_tokens: the most the outline may take, in tokens.

        Returns:
            A line ``<module>:`` per module, then its public functions (``def <signature>``) and public
            classes with their public methods, indented; a last line
            ``... (<n> more modules not shown)`` when the budget ran out.

        Examples:
            >>> from pathlib import Path
            >>> from codescribe.engine.analysis import analyze_source
            >>> app = analyze_source("from util import slug\n\ndef main(argv):\n    return slug(argv[0])\n", "app.py")
            >>> util = analyze_source("def slug(text: str) -> str:\n    return text.lower()\n", "util.py")
            >>> project = ProjectAnalysis(root=Path("shop"), files={"app.py": app, "util.py": util})
            >>> print(project.repo_map())
            util:
              def slug(text: str) -> str
            app:
              def main(argv)
            >>> project.repo_map(budget_tokens=5)
            '... (2 more modules not shown)'
        """
        return self._remember("repo_map", lambda: self._repo_map(budget_tokens), budget_tokens)

    def _repo_map(self, budget_tokens: int) -> str:
        budget = chars_for_tokens(budget_tokens)
        lines: list[str] = []
        used = 0
        modules = self.modules
        for position, name in enumerate(self.dependency_order()):
            block = _outline(name, self.files[modules[name]])
            if used + len(block) > budget:
                lines.append(f"... ({len(modules) - position} more modules not shown)")
                break
            lines.append(block)
            used += len(block)
        return "\n".join(lines)


#: Languages in which a module re-exports other modules' names (``from .core import *``, ``export * from``).
_REEXPORTING = frozenset({"python", "javascript", "typescript", "tsx"})


def _reexported(definition: _Definition, original: str, name: str) -> _Definition:
    """A definition as a module that re-exports it under ``name`` shows it (nested classes and methods too):
    public there, whatever its own module says (``b.__all__`` may list a name ``a.__all__`` leaves out)."""
    if isinstance(definition, ClassInfo):
        nested = definition.name.removeprefix(original)  # "" for the class itself, ".Inner" for a nested one
        public = not any(part.startswith("_") for part in nested.split("."))
        if original == name:
            return replace(definition, is_public=public)
        methods = tuple(replace(m, qualname=name + m.qualname.removeprefix(original)) for m in definition.methods)
        return replace(definition, name=name + nested, methods=methods, is_public=public)
    if original == name:
        return replace(definition, is_public=True)
    if isinstance(definition, FunctionInfo):
        word = rf"\b{re.escape(original)}\b"
        declaration = definition.declaration and re.sub(word, name, definition.declaration, count=1)
        return replace(definition, name=name, qualname=name, declaration=declaration, is_public=True)
    return replace(definition, name=name, is_public=True)


def defined_names(analysis: FileAnalysis) -> set[str]:
    r"""The names a file defines at its top: functions, classes (nested ones as ``Outer.Inner``), variables.

    Args:
        analysis: the file's analysis.

    Returns:
        The names.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> sorted(defined_names(analyze_source("X = 1\ndef f():\n    pass\nclass C:\n    pass\n", "m.py")))
        ['C', 'X', 'f']
    """
    names = {function.name for function in analysis.functions} | {cls.name for cls in analysis.classes}
    return names | {variable.name for variable in analysis.variables}


def _prefixed(prefix: str, name: str, path: str) -> str:
    if not prefix or not path.endswith((".py", ".pyi")):
        return name
    return prefix.rstrip(".") if path == "__init__.py" else prefix + name


def _candidates(module: str, names: tuple[str, ...], level: int, importer: str, path: str) -> list[str]:
    """``pkg.a``, ``pkg.b`` for ``from pkg import a, b`` (each reached where it is a module), then ``pkg``
    (reached for the names that are not modules, as grimp counts them); ``importer`` is the name of the
    importing module, ``path`` its file."""
    if not path.endswith((".py", ".pyi")):
        return [module.lstrip("./")]
    if level:
        package = importer if path.endswith("__init__.py") else importer.rpartition(".")[0]
        base = package.split(".") if package else []
        base = base[: len(base) - level + 1]  # ``from ..x``: one package up for each dot past the first
        module = ".".join([*base, module] if module else base)
    return [f"{module}.{name}" for name in names] + [module]


def _outline(name: str, analysis: FileAnalysis) -> str:
    def line(function: FunctionInfo) -> str:
        # Python's signatures are written without their keyword; other languages' carry their own.
        return function.signature if function.declaration else f"def {function.signature}"

    lines = [f"{name}:"]
    lines += [f"  {line(function)}" for function in analysis.functions if function.is_public]
    for cls in analysis.classes:
        if cls.is_public:
            lines.append(f"  class {cls.name}" + (f"({', '.join(cls.bases)})" if cls.bases else ""))
            lines += [f"    {line(method)}" for method in cls.methods if method.is_public]
    return "\n".join(lines)


def analyze_project(
    root: str | Path, include: Iterable[str] = (), exclude: Iterable[str] = (), store: AnalysisStore | None = None
) -> ProjectAnalysis:
    r"""Analyse every source file under ``root``; a file that cannot be read is recorded, not fatal.

    Files are found by :func:`discover_sources`. One that cannot be read or analysed (binary, not
    a regular file, an ``OSError``) goes to ``errors`` with the reason; a file that does not parse
    is still analysed, by tree-sitter around the error, with a warning.

    Args:
        root: a project folder, or one file (the project is then its folder, holding that file).
        include: globs of the files to analyse, relative to ``root``; empty for every file.
        exclude: globs (and folder names) to leave out, on top of :data:`DEFAULT_EXCLUDES`.
        store: analyses kept on disk: a file whose text was analysed before is not parsed again;
            ``None`` to analyse every file afresh.

    Returns:
        The project: its root, the analyses by relative path, the files that failed, and the folders
        skipped as build output, environments or vendored code.

    Raises:
        SourceError: ``root`` does not exist.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = tempfile.TemporaryDirectory()
        >>> names = ("app.py", "notes.txt", "sub/calc.go", "tests/test_app.py", "node_modules/x.js", ".git/y.py")
        >>> for name in names:
        ...     file = Path(folder.name, name)
        ...     file.parent.mkdir(parents=True, exist_ok=True)
        ...     _ = file.write_text("X = 1\n")
        >>> _ = Path(folder.name, "data.py").write_bytes(bytes(4))
        >>> project = analyze_project(folder.name)
        >>> sorted(project.files), list(project.errors)
        (['app.py', 'sub/calc.go', 'tests/test_app.py'], ['data.py'])
        >>> folder.cleanup()
    """
    base = Path(root)
    if not base.exists():
        raise SourceError(f"{root}: no such file or folder. Check the path.")
    project = ProjectAnalysis(root=base if base.is_dir() else base.parent)
    for path in discover_sources(base, include, exclude, project.skipped_folders):
        relative = path.relative_to(project.root).as_posix()
        try:
            if store is None:
                project.files[relative] = analyze_file(path, root=project.root)
                continue
            source, warnings = read_source(path)
            key = store.key(relative, source)
            analysis = store.get(key)
            if analysis is None:
                analysis = _with_warnings(analyze_source(source, relative), warnings)
                store.put(key, analysis)
            project.files[relative] = analysis
        except (SourceError, OSError) as exc:
            project.errors[relative] = str(exc)
    return project


def dependency_order_of(graph: dict[str, set[str]]) -> list[str]:
    """The nodes of ``graph`` ordered so that each comes after what it points to: a depth-first walk in name
    order, a cycle broken where the walk finds it (see :meth:`ProjectAnalysis.dependency_order`).

    Args:
        graph: name -> the names it imports; every name it imports is a key too.

    Returns:
        Every name, once.

    Examples:
        >>> dependency_order_of({"app": {"util"}, "util": set()})
        ['util', 'app']
    """
    order: list[str] = []
    seen: set[str] = set()  # on the stack or done
    for name in sorted(graph):
        if name in seen:
            continue
        # Iterative DFS: deep import chains must not hit the recursion limit.
        stack = [(name, iter(sorted(graph[name])))]
        seen.add(name)
        while stack:
            current, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                order.append(current)
            elif child not in seen:
                seen.add(child)
                stack.append((child, iter(sorted(graph[child]))))
    return order
