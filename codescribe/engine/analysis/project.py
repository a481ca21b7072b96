"""A project as a whole: its files, module tree, import graph, dependency order and repo map."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar, cast

from ...llm.tokens import chars_for_tokens
from . import LANGUAGES, SourceError, analyze_file, analyze_source, read_source
from .model import FileAnalysis
from .saved import AnalysisStore

T = TypeVar("T")

__all__ = ["DEFAULT_EXCLUDES", "ProjectAnalysis", "analyze_project", "discover_sources"]

#: Folders that never hold the project's own source.
DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "env",
    "node_modules",
    "__pycache__",
    "build",
    "dist",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".cache",
    "target",
    "vendor",
    "site-packages",
    ".eggs",
)


def discover_sources(root: str | Path, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> Iterator[Path]:
    """Source files under ``root`` in a stable order, skipping vendored and generated folders.

    ``include``/``exclude`` are glob patterns matched against paths relative to ``root``.
    """
    base = Path(root)
    if base.is_file():
        yield base
        return
    includes, excludes = tuple(include), (*DEFAULT_EXCLUDES, *exclude)
    for folder, subfolders, files in os.walk(base):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in excludes)
        for name in sorted(files):
            path = Path(folder, name)
            relative = path.relative_to(base).as_posix()
            if path.suffix.lower() not in LANGUAGES:
                continue
            if any(fnmatch.fnmatch(relative, pattern) for pattern in excludes):
                continue
            if includes and not any(fnmatch.fnmatch(relative, pattern) for pattern in includes):
                continue
            yield path


def module_name(relative_path: str) -> str:
    """``pkg/sub/mod.py`` → ``pkg.sub.mod``; ``pkg/__init__.py`` → ``pkg``; other languages keep the path."""
    path = PurePosixPath(relative_path)
    if path.suffix not in (".py", ".pyi"):
        return path.with_suffix("").as_posix()
    parts = list(path.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or path.stem


@dataclass
class ProjectAnalysis:
    """The analysed files of a project, keyed by path relative to its root."""

    root: Path
    files: dict[str, FileAnalysis] = field(default_factory=dict)
    #: Files that could not be analysed at all, with the reason (the batch goes on without them).
    errors: dict[str, str] = field(default_factory=dict)
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def _remember(self, name: str, compute: Callable[[], T], *args: Any) -> T:
        """Compute once per set of files: the graph and its products are asked for once a page."""
        key = (name, tuple(self.files), args)
        if key not in self._memo:
            self._memo[key] = compute()
        return cast("T", self._memo[key])

    @property
    def modules(self) -> dict[str, str]:
        """Module name → relative path (named from the package when the root is one)."""
        return self._remember("modules", self._modules)

    def _modules(self) -> dict[str, str]:
        prefix = f"{self.root.name}." if (self.root / "__init__.py").is_file() else ""
        return {_prefixed(prefix, module_name(path), path): path for path in self.files}

    def import_graph(self) -> dict[str, set[str]]:
        """Module → the project's own modules it imports (third-party imports left out)."""
        return self._remember("import_graph", self._import_graph)

    def _import_graph(self) -> dict[str, set[str]]:
        modules = self.modules
        graph: dict[str, set[str]] = {name: set() for name in modules}
        for name, path in modules.items():
            package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
            for imported in self.files[path].imports:
                for target in _candidates(imported.module, imported.names, imported.level, package, path):
                    if target in modules and target != name:
                        graph[name].add(target)
                        break
        return graph

    def dependency_order(self) -> list[str]:
        """Modules ordered so that a module comes after what it imports (cycles broken by name)."""
        return self._remember("dependency_order", self._dependency_order)

    def _dependency_order(self) -> list[str]:
        graph = self.import_graph()
        order: list[str] = []
        state: dict[str, int] = {}  # 1 = on the stack, 2 = done

        def visit(name: str) -> None:
            # Iterative DFS: deep import chains must not hit the recursion limit.
            stack = [(name, iter(sorted(graph[name])))]
            state[name] = 1
            while stack:
                current, pending = stack[-1]
                child = next(pending, None)
                if child is None:
                    stack.pop()
                    state[current] = 2
                    order.append(current)
                elif child not in state:
                    state[child] = 1
                    stack.append((child, iter(sorted(graph[child]))))

        for name in sorted(graph):
            if name not in state:
                visit(name)
        return order

    def repo_map(self, budget_tokens: int = 2000) -> str:
        """A compact outline of the project (modules, classes, public signatures) within a token budget.

        Tokens are estimated as ``codescribe.llm.tokens`` does; modules are listed in dependency order and the
        outline stops, with a note, where the budget ends.
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


def _prefixed(prefix: str, name: str, path: str) -> str:
    if not prefix or not path.endswith((".py", ".pyi")):
        return name
    return prefix.rstrip(".") if path == "__init__.py" else prefix + name


def _candidates(module: str, names: tuple[str, ...], level: int, package: str, path: str) -> list[str]:
    if not path.endswith((".py", ".pyi")):
        return [module.lstrip("./")]
    if level:
        base = package.split(".") if package else []
        base = base[: len(base) - (level - 1)] if level > 1 else base
        module = ".".join([*base, module] if module else base)
    # "from pkg import mod" may import a module, not a name.
    return [f"{module}.{name}" for name in names] + [module]


def _outline(name: str, analysis: FileAnalysis) -> str:
    lines = [f"{name}:"]
    lines += [f"  def {function.signature}" for function in analysis.functions if function.is_public]
    for cls in analysis.classes:
        if cls.is_public:
            lines.append(f"  class {cls.name}" + (f"({', '.join(cls.bases)})" if cls.bases else ""))
            lines += [f"    def {method.signature}" for method in cls.methods if method.is_public]
    return "\n".join(lines)


def analyze_project(
    root: str | Path, include: Iterable[str] = (), exclude: Iterable[str] = (), store: AnalysisStore | None = None
) -> ProjectAnalysis:
    """Analyse every source file under ``root``; a file that cannot be read is recorded, not fatal.

    With a ``store``, a file whose text was analysed before is not parsed again.
    """
    base = Path(root)
    if not base.exists():
        raise SourceError(f"{root}: no such file or folder. Check the path.")
    project = ProjectAnalysis(root=base if base.is_dir() else base.parent)
    for path in discover_sources(base, include, exclude):
        relative = path.relative_to(project.root).as_posix()
        try:
            if store is None:
                project.files[relative] = analyze_file(path, root=project.root)
                continue
            source, warnings = read_source(path)
            key = store.key(relative, source)
            analysis = store.get(key)
            if analysis is None:
                analysis = analyze_source(source, relative)
                if warnings:
                    analysis = replace(analysis, warnings=warnings + analysis.warnings)
                store.put(key, analysis)
            project.files[relative] = analysis
        except (SourceError, OSError) as exc:
            project.errors[relative] = str(exc)
    return project
