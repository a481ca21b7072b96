"""Compare CodeScribe's analysis with a language's own tool, field by field, and record slices.

Every language module (``reference/lang_<language>.py``) provides the same things:

- ``LANGUAGE`` (``python``, ``javascript``, ``typescript``, ``go``, ``rust``, ``java``), ``TOOL``
  (the reference tool, in words) and ``NORMALISATIONS`` (each choice the comparison makes, in
  words, written into the report);
- ``FIELDS``: the fields compared besides ``names`` (``kind``, ``signature``, ``docstring`` ...);
- ``PACKAGES``: its :class:`Package` entries;
- ``tool_records(package, root, files)`` and ``codescribe_records(package, root, files)``: symbol
  key -> :data:`Record`, each record with a ``file`` (relative to ``root``) and the compared fields;
  the tool's side may be computed on the whole package, the harness keeps the records of ``files``;
- ``install()`` (optional): installs the tool when it is missing (npm, Debian's packages);
- ``tool_edges(package, root, files)`` and ``codescribe_edges(package, root, files)``: the import
  graph as ``(importer, imported)`` pairs of nodes, or ``None`` when the language's graph is not
  compared; ``edge_node(package, file)`` names the node a file belongs to (a Python module, a Go
  package's folder, the file itself).

A record is compared only on the fields both sides give. ``names`` counts the keys both sides
found over the keys either found.
"""

from __future__ import annotations

import importlib
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

Record = dict[str, Any]
Edge = tuple[str, str]

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "reference" / "data"
#: The language modules present (``reference/lang_<language>.py``), Python first.
LANGUAGE_MODULES = tuple(
    sorted((p.stem[5:] for p in HERE.glob("lang_*.py")), key=lambda name: (name != "python", name))
)
#: The agreement each language must reach on its fields (a fraction), as issue 11 sets them.
TARGETS: dict[str, dict[str, float]] = {
    "python": {"*": 0.99},
    "default": {"names": 0.97, "kind": 0.97, "signature": 0.97},
    "edges": {"precision": 0.98, "recall": 0.98},
}


@dataclass(frozen=True)
class Package:
    """One package of the corpus.

    Attributes:
        name: the package's name (the slice folder is ``<name>-<version>``).
        version: the version fetched.
        registry: ``pypi``, ``npm`` or ``debian``.
        root: the project's folder inside the unpacked archive (what CodeScribe is pointed at).
        include: glob patterns (relative to ``root``) of the source files compared.
        slice: the files (relative to ``root``) recorded for the offline test.
        registry_name: the name in the registry when it differs (a Debian package's name).
        registry_version: the version in the registry when it differs (Debian's ``-1`` revision).
        exclude: glob patterns left out of ``include``.
        options: anything the language module needs (a Python package's import name ...).
    """

    name: str
    version: str
    registry: str
    root: str
    include: tuple[str, ...]
    slice: tuple[str, ...]
    registry_name: str = ""
    registry_version: str = ""
    exclude: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The slice's folder name: ``name-version``."""
        return f"{self.name}-{self.version}"

    def fetch(self) -> Path:
        """Fetch and unpack the package; the project's root inside it."""
        from reference import fetch

        getter: Callable[[str, str], Path] = getattr(fetch, self.registry)
        unpacked = getter(self.registry_name or self.name, self.registry_version or self.version)
        return unpacked / self.root

    def files(self, root: Path) -> list[str]:
        """The compared source files under ``root``, relative, sorted."""
        chosen = {p for pattern in self.include for p in root.glob(pattern) if p.is_file()}
        dropped = {p for pattern in self.exclude for p in root.glob(pattern)}
        return sorted(p.relative_to(root).as_posix() for p in chosen - dropped)


@dataclass
class Agreement:
    """How far two sides agree: per field (agreeing, compared), per edge set, and each disagreement."""

    fields: dict[str, list[int]] = field(default_factory=dict)
    edges: dict[str, list[int]] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)

    def add(self, other: Agreement) -> None:
        """Add another agreement's counts and lines to this one."""
        for mine, theirs in ((self.fields, other.fields), (self.edges, other.edges)):
            for name, (good, total) in theirs.items():
                counts = mine.setdefault(name, [0, 0])
                counts[0] += good
                counts[1] += total
        self.disagreements += other.disagreements

    def ratio(self, name: str) -> float:
        """The share agreeing on a field (``names``, ``kind`` ...) or ``precision``/``recall``; 1.0 when none."""
        good, total = self.fields.get(name) or self.edges.get(name) or (0, 0)
        return good / total if total else 1.0

    def misses(self, language: str) -> list[str]:
        """The targets this agreement misses, in words (empty when it meets them all)."""
        targets = TARGETS.get(language, TARGETS["default"])
        misses = []
        for name in self.fields:
            target = targets.get(name, targets.get("*"))
            if target is not None and self.ratio(name) < target:
                misses.append(f"{language} {name}: {self.ratio(name):.1%} < {target:.0%}")
        for name, target in TARGETS["edges"].items():
            if name in self.edges and self.ratio(name) < target:
                misses.append(f"{language} import edges {name}: {self.ratio(name):.1%} < {target:.0%}")
        return misses


def compare(expected: dict[str, Record], actual: dict[str, Record], fields: Iterable[str]) -> Agreement:
    """Agreement of two record sets on ``names`` and on each of ``fields``.

    Args:
        expected: the tool's records, by symbol key.
        actual: CodeScribe's records, by the same keys.
        fields: the fields compared where both records have them.

    Returns:
        The counts and one line per disagreement (``field: file: key: expected ..., got ...``).
    """
    result = Agreement(fields={"names": [0, 0], **{name: [0, 0] for name in fields}})
    for key in sorted(expected.keys() | actual.keys()):
        want, got = expected.get(key), actual.get(key)
        result.fields["names"][1] += 1
        if want is None or got is None:
            where = (want or got or {}).get("file", "?")
            what = "missing" if got is None else "not in the reference"
            kind = (want or got or {}).get("kind", "?")
            result.disagreements.append(f"names: {where}: {key} ({kind}) {what}")
            continue
        result.fields["names"][0] += 1
        for name in fields:
            if name not in want or name not in got:
                continue
            result.fields[name][1] += 1
            if want[name] == got[name]:
                result.fields[name][0] += 1
            else:
                result.disagreements.append(
                    f"{name}: {want.get('file', '?')}: {key}: expected {want[name]!r}, got {got[name]!r}"
                )
    return result


def compare_edges(expected: set[Edge], actual: set[Edge]) -> Agreement:
    """Precision (CodeScribe's edges the tool has) and recall (the tool's edges CodeScribe has)."""
    both = expected & actual
    result = Agreement(edges={"precision": [len(both), len(actual)], "recall": [len(both), len(expected)]})
    result.disagreements += [f"edges: {a} -> {b} missing" for a, b in sorted(expected - actual)]
    result.disagreements += [f"edges: {a} -> {b} not in the reference" for a, b in sorted(actual - expected)]
    return result


def language_module(language: str) -> ModuleType:
    """The module ``reference.lang_<language>``."""
    return importlib.import_module(f"reference.lang_{language}")


def _keep(records: dict[str, Record], files: set[str]) -> dict[str, Record]:
    return {key: record for key, record in records.items() if record.get("file") in files}


def _keep_edges(module: ModuleType, package: Package, edges: set[Edge] | None, files: Iterable[str]) -> set[Edge]:
    if edges is None:
        return set()
    nodes = {module.edge_node(package, name) for name in files}
    return {(a, b) for a, b in edges if a in nodes and b in nodes}


def measure(module: ModuleType, package: Package, root: Path, files: list[str], reference: dict[str, Any]) -> Agreement:
    """CodeScribe's analysis of ``files`` under ``root`` against recorded tool answers."""
    kept = set(files)
    result = compare(
        _keep(reference["records"], kept),
        _keep(module.codescribe_records(package, root, files), kept),
        module.FIELDS,
    )
    if reference.get("edges") is not None:
        expected = {(a, b) for a, b in reference["edges"]}
        actual = _keep_edges(module, package, module.codescribe_edges(package, root, files), files)
        result.add(compare_edges(_keep_edges(module, package, expected, files), actual))
    return result


def record(module: ModuleType, package: Package) -> Agreement:
    """Fetch a package, ask the tool, compare on every file, and write the slice for the offline test.

    Returns:
        The agreement on the whole package.
    """
    if hasattr(module, "install"):
        module.install()  # the tool itself: npm's typescript, Debian's golang-go ...
    root = package.fetch()
    files = package.files(root)
    missing = [name for name in package.slice if name not in files]
    if missing:
        raise SystemExit(f"{package.key}: slice files not among the compared files: {missing}")
    edges = module.tool_edges(package, root, files)
    records = _keep(module.tool_records(package, root, files), set(files))
    reference: dict[str, Any] = {
        "records": records,
        "edges": None if edges is None else sorted(_keep_edges(module, package, edges, files)),
    }
    result = measure(module, package, root, files, reference)
    target = DATA / package.key
    if target.exists():
        shutil.rmtree(target)
    for name in package.slice:
        (target / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / name, target / "src" / name)
    sliced = {
        "package": package.name,
        "version": package.version,
        "language": module.LANGUAGE,
        "tool": module.TOOL,
        "records": _keep(records, set(package.slice)),
        "edges": None if edges is None else sorted(_keep_edges(module, package, edges, package.slice)),
    }
    licence = _licence(root)
    if licence is not None:
        shutil.copyfile(licence, target / "LICENSE")
    (target / "reference.json").write_text(json.dumps(sliced, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return result


def _licence(root: Path) -> Path | None:
    """The package's licence file: beside the sources or above them (a Debian package's copyright)."""
    cache = Path(__file__).resolve().parent.parent / ".cache"
    for folder in (root, *(p for p in root.parents if cache in p.parents)):
        for pattern in ("LICEN[CS]E*", "COPYING*", "usr/share/doc/*/copyright"):
            found = sorted(p for p in folder.glob(pattern) if p.is_file())
            if found:
                return found[0]
    return None


def check(slice_dir: Path) -> tuple[ModuleType, Agreement]:
    """Compare CodeScribe's analysis of a recorded slice with the tool's recorded answers (offline)."""
    reference = json.loads((slice_dir / "reference.json").read_text(encoding="utf-8"))
    module = language_module(reference["language"])
    package = next(p for p in module.PACKAGES if p.key == slice_dir.name)
    root = slice_dir / "src"
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return module, measure(module, package, root, files, reference)


def label(module: ModuleType, package: Package) -> str:
    """The language a package is reported under (the JavaScript module covers TypeScript too)."""
    return str(package.options.get("language", module.LANGUAGE))
