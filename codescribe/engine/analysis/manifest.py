"""A project's manifest: its name, purpose, install command and entry points, as the project declares them.

Read from ``pyproject.toml`` (PEP 621 ``[project]``, or Poetry's ``[tool.poetry]``), setuptools'
``setup.cfg`` (``[metadata]``), ``PKG-INFO`` (the core metadata every source distribution carries),
``package.json``, ``go.mod`` or ``Cargo.toml`` at the project's root (the first that declares a
name, in that order), with the standard library's ``tomllib``, ``configparser``, ``email`` and
``json``. A project README is written from it.
"""

from __future__ import annotations

import configparser
import email.parser
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["MANIFESTS", "Manifest", "import_binding", "module_specifier", "npm_entry_folders", "read_manifest"]

#: The manifest files read, in the order they are looked for.
MANIFESTS = ("pyproject.toml", "setup.cfg", "PKG-INFO", "package.json", "go.mod", "Cargo.toml")


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a manifest declares.

    Attributes:
        file: the manifest's file name (``pyproject.toml`` ...).
        name: the package's (or Go module's) name.
        description: its one-line purpose; ``None`` when it declares none.
        version: its version; ``None`` when it declares none.
        install: the command that installs it (``pip install rich``, ``npm install express``,
            ``go get github.com/spf13/cobra``, ``cargo add anyhow``).
        entry_points: commands and entry modules it declares: ``name = target`` for console
            scripts and npm ``bin`` entries, ``main: index.js`` for an npm package's ``main`` (npm's
            default when it declares none), Cargo's ``[[bin]]``.
        source: the source the npm ``main`` is built from, when the manifest says (its ``source``
            field, as microbundle and Parcel read it: ``src/index.ts``); a Rust library's crate root
            (``[lib] path``, by default ``src/lib.rs``); ``None`` otherwise.
    """

    file: str
    name: str
    description: str | None = None
    version: str | None = None
    install: str = ""
    entry_points: tuple[str, ...] = ()
    source: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The names the manifest declares: the package's and its commands' (what a README may name).

        Returns:
            The package's name, then each declared command's, in the manifest's order.

        Examples:
            >>> Manifest("package.json", "ms", entry_points=("ms = bin/ms.js", "main: index.js")).names
            ('ms', 'ms')
        """
        commands = (entry.partition(" = ")[0] for entry in self.entry_points if " = " in entry)
        return (self.name, *commands)

    @property
    def main(self) -> str | None:
        """The npm package's ``main`` module.

        Returns:
            Its path as declared (``./index``, ``lib/index.js``); ``None`` for other manifests.

        Examples:
            >>> Manifest("package.json", "ms", entry_points=("main: ./index",)).main
            './index'
        """
        return next((entry.removeprefix("main: ") for entry in self.entry_points if entry.startswith("main: ")), None)

    def main_file(self, paths: Iterable[str]) -> str | None:
        """Which of a project's files is the npm package's main module (or the source it is built from), or
        a Rust library's crate root.

        ``main`` often names build output that is no part of the source tree (ts-pattern's
        ``dist/index.cjs``): the source it is built from is then the manifest's ``source``, else the
        same path under ``src/`` (``src/index.ts``), else under the root (``index.ts``).

        Args:
            paths: the project's files, relative to its root.

        Returns:
            The file's path; ``None`` when none is the main module or its source.

        Examples:
            >>> Manifest("package.json", "ts-pattern", entry_points=("main: dist/index.cjs",)).main_file(
            ...     ["src/index.ts", "src/match.ts"]
            ... )
            'src/index.ts'
        """
        if self.main is None and self.source is None:
            return None
        paths = list(paths)
        wanted = [module_specifier(self.main)] if self.main else []
        if self.source:
            wanted.append(module_specifier(self.source))
        built = module_specifier(self.main).split("/", 1) if self.main else []
        if len(built) == 2 and built[0] in _BUILD_FOLDERS:
            wanted += [f"src/{built[1]}", built[1]]
        found = {module_specifier(path): path for path in sorted(paths, key=len, reverse=True)}
        return next((found[name] for name in wanted if name in found), None)


#: Folders an npm package's build writes its ``main`` to, outside the sources.
_BUILD_FOLDERS = frozenset({"dist", "lib", "build", "out", "cjs", "esm", "umd"})


def module_specifier(path: str) -> str:
    """A module's path as an import names it.

    Args:
        path: a file's path relative to the project's root, or as a manifest declares it.

    Returns:
        The path without a leading ``./`` or an extension (``./index`` and ``index.js`` both give ``index``).

    Examples:
        >>> module_specifier("./lib/index.js"), module_specifier("index")
        ('lib/index', 'index')
    """
    return re.sub(r"\.[^./]+$", "", path.removeprefix("./"))


def import_binding(specifier: str) -> str:
    """The name a caller conventionally binds a module's default export to: its last part, camelCased.

    Args:
        specifier: what is imported (``ms``, ``@scope/body-parser``, ``pkg/lib/to-regex``).

    Returns:
        A JavaScript identifier (``ms``, ``bodyParser``, ``toRegex``).

    Examples:
        >>> import_binding("ms"), import_binding("@scope/body-parser"), import_binding("pkg/lib/2fa")
        ('ms', 'bodyParser', '_2fa')
    """
    words = re.findall(r"[A-Za-z0-9]+", specifier.rsplit("/", 1)[-1]) or ["module"]
    binding = words[0].lower() + "".join(word.capitalize() for word in words[1:])
    return f"_{binding}" if binding[0].isdigit() else binding


def npm_entry_folders(root: str | Path) -> frozenset[str]:
    r"""The folders of a package that its ``package.json`` points an entry into: its code is there.

    Read are ``main``, ``module``, ``browser``, ``types``/``typings``, ``bin`` and every path in
    ``exports`` (conditions and subpaths, at any depth).

    Args:
        root: the folder that may hold a ``package.json``.

    Returns:
        The first folder of each entry's path (``build`` for ``./build/index.cjs``); empty when there
        is no ``package.json``, it does not parse, or every entry is a file at the root.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     text = '{"main": "build/index.cjs", "exports": {".": [{"import": "./esm/index.js"}]}}'
        ...     _ = Path(folder, "package.json").write_text(text)
        ...     sorted(npm_entry_folders(folder))
        ['build', 'esm']
    """
    try:
        package = json.loads(Path(root, "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    if not isinstance(package, dict):
        return frozenset()
    fields = ("main", "module", "browser", "types", "typings", "bin", "exports")
    paths = _strings([package.get(name) for name in fields])
    parts = (module_specifier(path).split("/", 1) for path in paths)
    return frozenset(part[0] for part in parts if len(part) == 2 and part[0] not in ("", ".", ".."))


def _strings(value: object) -> list[str]:
    """Every string in a JSON value (lists and objects walked to any depth)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [text for item in value for text in _strings(item)] if isinstance(value, list) else []


def read_manifest(root: str | Path) -> Manifest | None:
    r"""The manifest at a project's root, if it has one.

    Args:
        root: the project's folder.

    Returns:
        The first of :data:`MANIFESTS` found that parses and names the package (a ``pyproject.toml``
        with only build settings is passed over); ``None`` when there is none (a README is then
        written from the code alone).

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     text = '{"name": "express", "description": "Web framework", "main": "index.js"}'
        ...     _ = Path(folder, "package.json").write_text(text)
        ...     manifest = read_manifest(folder)
        >>> manifest.name, manifest.description, manifest.install, manifest.entry_points
        ('express', 'Web framework', 'npm install express', ('main: index.js',))
    """
    for name in MANIFESTS:
        path = Path(root) / name
        if not path.is_file():
            continue
        try:
            return _READERS[name](path.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, configparser.Error):
            continue
    return None


def _pyproject(text: str) -> Manifest:
    data: dict[str, Any] = tomllib.loads(text)
    # PEP 621's [project]; Poetry before 2.0 kept the same facts in [tool.poetry].
    project: dict[str, Any] = data.get("project") or data["tool"]["poetry"]
    scripts = {**project.get("scripts", {}), **project.get("gui-scripts", {})}
    return Manifest(
        "pyproject.toml",
        project["name"],
        project.get("description"),
        project.get("version"),
        f"pip install {project['name']}",
        tuple(f"{command} = {target}" for command, target in scripts.items()),
    )


def _setup_cfg(text: str) -> Manifest:
    config = configparser.ConfigParser(interpolation=None)
    config.read_string(text)
    metadata = config["metadata"]
    name = metadata["name"].strip()
    scripts = config.get("options.entry_points", "console_scripts", fallback="")
    entries = tuple(
        " = ".join(part.strip() for part in line.split("=", 1)) for line in scripts.splitlines() if "=" in line
    )
    return Manifest(
        "setup.cfg", name, metadata.get("description"), metadata.get("version"), f"pip install {name}", entries
    )


def _pkg_info(text: str) -> Manifest:
    # Core metadata (packaging.python.org/specifications/core-metadata): email-style headers.
    headers = email.parser.HeaderParser().parsestr(text)
    name = headers["Name"]
    if not name:
        raise KeyError("Name")
    summary = headers["Summary"]
    return Manifest(
        "PKG-INFO",
        name,
        summary if summary and summary != "UNKNOWN" else None,
        headers["Version"],
        f"pip install {name}",
    )


def _package_json(text: str) -> Manifest:
    package: dict[str, Any] = json.loads(text)
    bins = package.get("bin", {})
    bins = {package["name"].rsplit("/", 1)[-1]: bins} if isinstance(bins, str) else bins
    entries = [f"{command} = {target}" for command, target in bins.items()]
    # npm: "If main is not set, it defaults to index.js in the package's root folder" (package.json docs).
    main = package.get("main") if isinstance(package.get("main"), str) else "index.js"
    entries.append(f"main: {main}")
    source = package.get("source")
    return Manifest(
        "package.json",
        package["name"],
        package.get("description"),
        package.get("version"),
        f"npm install {package['name']}",
        tuple(entries),
        source if isinstance(source, str) else None,
    )


def _go_mod(text: str) -> Manifest:
    match = re.search(r"^module\s+(\S+)", text, re.MULTILINE)
    if match is None:
        raise ValueError("go.mod names no module")
    module = match.group(1)
    return Manifest("go.mod", module, None, None, f"go get {module}")


def _cargo(text: str) -> Manifest:
    manifest: dict[str, Any] = tomllib.loads(text)
    package = manifest["package"]
    bins = tuple(f"{b['name']} = {b.get('path', 'src/main.rs')}" for b in manifest.get("bin", []))
    version = package.get("version")
    return Manifest(
        "Cargo.toml",
        package["name"],
        package.get("description"),
        version if isinstance(version, str) else None,
        f"cargo add {package['name']}",
        bins,
        (manifest.get("lib") or {}).get("path", "src/lib.rs"),
    )


_READERS = {
    "pyproject.toml": _pyproject,
    "setup.cfg": _setup_cfg,
    "PKG-INFO": _pkg_info,
    "package.json": _package_json,
    "go.mod": _go_mod,
    "Cargo.toml": _cargo,
}
