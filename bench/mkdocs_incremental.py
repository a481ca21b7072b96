"""Build times of the ``codescribe`` MkDocs plugin: first build, no-change rebuild, one-module edit.

What is measured, on a synthetic but realistic Python package (``--modules`` modules, 200 by
default: 20 subpackages of an ``__init__`` and 9 modules; each with a docstring, 3-6 typed and
documented functions, a class with methods, and imports of 1-3 other modules of the package,
mostly of its own subpackage), documented with ``doc_types: [module]`` by the ``openai``
provider talking to an in-process :class:`ScriptedLLMServer` on loopback that answers each request
``--latency`` seconds (1.0 by default: a fast model writing a short page) after it arrived,
``concurrency: 8``, ``LLM_MAX_RETRIES=0``. At 0.1 s, MkDocs' own rendering of the pages (about
1.2 s for 200, which cannot overlap the calls) is half the ideal, so the first-build ratio
there measures MkDocs more than the plugin; run ``--latency 0.1`` to see it:

* **first build** (empty page cache): wall time against the ideal, *calls * latency /
  concurrency*, i.e. the time the provider calls alone take when the plugin keeps
  ``concurrency`` calls in flight all the time. Target: at most 1.3 times the ideal. The cache is
  deleted before each round.
* **no-change rebuild**: wall time and provider calls (must be 0), against a plain ``mkdocs
  build`` of a site without the plugin whose ``docs/`` holds the very pages the plugin
  generates (captured from a plugin build), so that both builds render the same pages from
  the same Markdown. The two kinds of build alternate, the order swapped every round; the
  ratio is the median of the per-round ratios. Target: at most 1.2 times.
* **one-module edit**: a statement is added to a function body of one module (a different
  module each round), then the site is rebuilt: exactly one page must be regenerated, with
  one provider call. Each edit follows a no-change rebuild; the median difference between the
  two should be about one latency.

Every build runs in-process through the MkDocs API (``load_config`` + ``build``; the timed
span covers both), into a ``site_dir`` emptied beforehand, with MkDocs' logging at ERROR
level and ``gc.collect()`` before each build. One untimed build of each site comes first (it
also imports the OpenAI SDK and captures the plugin's pages for the plain site); its time is
reported as the cold first build. A probe plugin times the ``codescribe`` plugin's
``on_files`` hook (planning, cache look-ups, generation and rendering of the page Markdown),
so each build splits into that hook and everything else MkDocs does.

Run it with ``.venv/bin/python bench/mkdocs_incremental.py``; it prints the tables and
writes the section "MkDocs plugin: incremental builds" of ``bench/RESULTS.md`` (the rest of
the file is kept). ``--quick`` makes a short, rougher run; ``--profile`` adds a cProfile of
one first build and one no-change rebuild.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import logging
import os
import platform
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import mkdocs
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority
from results import machine, progress, publish  # bench/results.py: run as `python bench/<name>.py`

from codescribe.mkdocs_plugin.plugin import BuildStats, CodeScribePlugin
from tests.scripted_server import ScriptedLLMServer

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

RESULTS = Path(__file__).resolve().with_name("RESULTS.md")
SECTION = "## MkDocs plugin: incremental builds"
COMMAND = ".venv/bin/python bench/mkdocs_incremental.py"

PACKAGE = "acme"
MODEL = "gpt-6.1-sol"
PER_SUBPACKAGE = 10  # an __init__ and nine modules
FIRST_TARGET = 1.3  # first build / (calls * latency / concurrency)
REBUILD_TARGET = 1.2  # no-change rebuild ÷ plain mkdocs build

SUBPACKAGES = (
    "accounts",
    "billing",
    "catalog",
    "checkout",
    "customers",
    "delivery",
    "discounts",
    "events",
    "fulfilment",
    "inventory",
    "invoices",
    "ledger",
    "loyalty",
    "notifications",
    "orders",
    "payments",
    "pricing",
    "reports",
    "returns",
    "shipping",
    "suppliers",
    "tax",
    "users",
    "warehouse",
)
MODULES = ("models", "store", "service", "rules", "schema", "cache", "api", "events", "utils")
KINDS = ("Store", "Service", "Registry", "Policy", "Schema", "Cache", "Client", "Journal", "Helper")
NOUNS = ("item", "slot", "record", "parcel", "order", "line", "account", "event", "limit", "rate", "window", "token")
VERBS = ("load", "save", "merge", "split", "check", "count", "find", "score", "rank", "group", "clamp", "render")

# -- the synthetic package ---------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    """One generated source file."""

    relative: str  # path relative to the package folder, e.g. "billing/rules.py"
    name: str  # dotted module name, e.g. "acme.billing.rules"
    subpackage: str
    class_name: str

    @property
    def is_init(self) -> bool:
        return self.relative.endswith("__init__.py")

    @property
    def uri(self) -> str:
        """The URI of the plugin's page for this module."""
        return f"reference/{self.name.replace('.', '/')}.md"


def plan_package(count: int) -> list[Module]:
    """``count`` modules: the package's ``__init__``, then subpackages of an ``__init__`` and nine modules."""
    modules = [Module("__init__.py", PACKAGE, "", "Application")]
    index = 0
    while len(modules) < count:
        base = SUBPACKAGES[index % len(SUBPACKAGES)]
        sub = base if index < len(SUBPACKAGES) else f"{base}{index // len(SUBPACKAGES) + 1}"
        title = sub.title().replace("_", "")
        modules.append(Module(f"{sub}/__init__.py", f"{PACKAGE}.{sub}", sub, f"{title}Facade"))
        for position, stem in enumerate(MODULES[: PER_SUBPACKAGE - 1]):
            if len(modules) >= count:
                break
            modules.append(Module(f"{sub}/{stem}.py", f"{PACKAGE}.{sub}.{stem}", sub, f"{title}{KINDS[position]}"))
        index += 1
    return modules[:count]


def _imports(module: Module, modules: list[Module], rng: random.Random) -> list[Module]:
    """1-3 other modules, mostly of the same subpackage, so that the package imports without a cycle.

    A module imports the modules before it in its subpackage, and modules of the subpackages
    before its own; a subpackage's ``__init__`` imports its own modules; the package's
    ``__init__`` imports any module. (So the package's very first module imports none.)
    """
    position = modules.index(module)
    subpackages = list(dict.fromkeys(m.subpackage for m in modules))
    mine = subpackages.index(module.subpackage)

    def earlier(other: Module) -> bool:
        return not module.subpackage or subpackages.index(other.subpackage) < mine

    inner = [m for m in modules if m.subpackage == module.subpackage and not m.is_init and m != module]
    same = inner if module.is_init else [m for m in inner if modules.index(m) < position]
    other = [m for m in modules if m.subpackage and m.subpackage != module.subpackage and not m.is_init and earlier(m)]
    chosen: list[Module] = []
    for _ in range(rng.randint(1, 3)):
        pool = same if same and (rng.random() < 0.7 or not other) else other
        candidates = [m for m in pool if m not in chosen]
        if candidates:
            chosen.append(rng.choice(candidates))
    return chosen


def _import_line(module: Module, target: Module) -> str:
    if target.subpackage == module.subpackage and module.subpackage:
        return f"from .{target.name.rpartition('.')[2]} import {target.class_name}"
    return f"from {target.name} import {target.class_name}"


_FUNCTIONS: tuple[Callable[[str, str], str], ...] = (
    lambda verb, noun: (
        f'''
def {verb}_{noun}s(values: list[float], rate: float = 0.2) -> float:
    """{verb.title()} the {noun}s: the sum of ``values`` with ``rate`` applied, rounded to cents."""
    total = 0.0
    for value in values:
        total += value * (1 + rate)
    return round(total, 2)
'''
    ),
    lambda verb, noun: (
        f'''
def {verb}_{noun}(key: str, table: dict[str, int], default: int = 0) -> int:
    """{verb.title()} one {noun} by ``key``; ``default`` when ``table`` has no such key."""
    if not key:
        raise ValueError("key must not be empty")
    return table.get(key.strip().lower(), default)
'''
    ),
    lambda verb, noun: (
        f'''
def {verb}_{noun}_window(start: datetime, days: int = 7) -> tuple[datetime, datetime]:
    """The {noun} window that starts at ``start`` and lasts ``days`` days."""
    if days <= 0:
        raise ValueError(f"days must be positive, not {{days}}")
    return start, start + timedelta(days=days)
'''
    ),
    lambda verb, noun: (
        f'''
def {verb}_by_{noun}(rows: list[dict[str, str]], field_name: str = "{noun}") -> dict[str, list[dict[str, str]]]:
    """Group ``rows`` by the value of ``field_name``, keeping their order within each group."""
    groups: dict[str, list[dict[str, str]]] = {{}}
    for row in rows:
        groups.setdefault(row.get(field_name, ""), []).append(row)
    return groups
'''
    ),
    lambda verb, noun: (
        f'''
def {verb}_{noun}_limit(value: int, lower: int = 0, upper: int = DEFAULT_LIMIT) -> int:
    """``value`` clamped to ``[lower, upper]``; logs when it had to be clamped."""
    clamped = max(lower, min(upper, value))
    if clamped != value:
        log.debug("%s clamped from %d to %d", "{noun}", value, clamped)
    return clamped
'''
    ),
    lambda verb, noun: (
        f'''
def {verb}_{noun}_label(name: str, *, prefix: str = "{noun}", width: int = 24) -> str:
    """A fixed-width label for ``name``, like ``{noun}:name``, truncated to ``width`` characters."""
    label = f"{{prefix}}:{{name}}"
    return label if len(label) <= width else label[: width - 1] + "…"
'''
    ),
    lambda verb, noun: (
        f'''
def {verb}_{noun}_scores(scores: dict[str, float], top: int = 3) -> list[tuple[str, float]]:
    """The ``top`` best {noun} scores, best first; ties keep their name order."""
    ranked = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))
    return ranked[:top]
'''
    ),
)

_USES_DATETIME = 2  # the index of the one function template that needs ``datetime``


def module_source(module: Module, modules: list[Module], rng: random.Random) -> str:
    """The text of one module: a docstring, imports, a class with methods and 3-6 functions."""
    subject = module.subpackage or PACKAGE
    noun = rng.choice(NOUNS)
    lines = {_import_line(module, target) for target in _imports(module, modules, rng)}
    absolute = sorted(line for line in lines if not line.startswith("from ."))
    relative = sorted(line for line in lines if line.startswith("from ."))
    used = [line.split(" import ")[1] for line in absolute + relative]
    kinds = rng.sample(range(len(_FUNCTIONS)), rng.randint(3, 6))
    verbs = rng.sample(VERBS, len(kinds))
    bodies = [_FUNCTIONS[kind](verb, rng.choice(NOUNS)) for kind, verb in zip(kinds, verbs, strict=True)]
    functions = "\n" + "\n".join(bodies)  # two blank lines between top-level definitions
    stdlib = ["import logging", "from dataclasses import dataclass, field"]
    stdlib += ["from datetime import datetime, timedelta"] if _USES_DATETIME in kinds else []
    imports = "\n\n".join("\n".join(group) for group in (stdlib, absolute, relative) if group)
    collaborators = f"({used[0]},)" if len(used) == 1 else f"({', '.join(used)})"
    name = module.class_name
    title = f"The {subject} package" if module.is_init else f"{subject.title()} {module.name.rpartition('.')[2]}"
    return f'''"""{title}: the {noun}s of {subject} and the rules about them.

Part of the {PACKAGE} shop back end. The {name} class keeps {noun}s in memory; the functions
are small, pure helpers that the other modules of {subject} call.
"""

from __future__ import annotations

{imports}

log = logging.getLogger(__name__)

DEFAULT_LIMIT = {rng.randint(10, 500)}
COLLABORATORS: tuple[object, ...] = {collaborators}


@dataclass
class {name}:
    """{noun.title()}s of {subject}, by key, with a running count of changes."""

    name: str
    items: dict[str, int] = field(default_factory=dict)
    changes: int = 0

    def add(self, key: str, amount: int = 1) -> int:
        """Add ``amount`` to the {noun} ``key``; return its new value."""
        total = self.items.get(key, 0) + amount
        self.items[key] = total
        self.changes += 1
        return total

    def remove(self, key: str) -> int | None:
        """Remove the {noun} ``key``; return its last value, or None if there was none."""
        self.changes += 1
        return self.items.pop(key, None)

    def summary(self, *, limit: int = DEFAULT_LIMIT) -> dict[str, int]:
        """The ``limit`` largest {noun}s, largest first."""
        ranked = sorted(self.items.items(), key=lambda pair: -pair[1])
        return dict(ranked[:limit])
{functions}'''


def write_package(folder: Path, count: int, seed: int) -> list[Module]:
    rng = random.Random(seed)
    modules = plan_package(count)
    for module in modules:
        path = folder / module.relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(module_source(module, modules, rng), encoding="utf-8")
    return modules


def touch(folder: Path, module: Module, mark: int) -> None:
    """Change a function body of ``module``: a statement before its first top-level ``return``."""
    path = folder / module.relative
    text = path.read_text(encoding="utf-8")
    edited = text.replace("\n    return ", f'\n    log.debug("edit %d", {mark})\n    return ', 1)
    if edited == text:
        raise SystemExit(f"{path}: no top-level function body to change")
    path.write_text(edited, encoding="utf-8")


# -- the sites ---------------------------------------------------------------------------------

#: What the scripted model answers for every page: a module reference page of ordinary size.
PAGE = textwrap.dedent("""\
    # Module reference

    ## Overview

    This module keeps the records of one part of the shop in memory and offers the small, pure
    helpers that the rest of its subpackage calls: sums with a rate applied, look-ups by key,
    time windows, grouping, clamping, labels and rankings. Nothing here does I/O; the functions
    take plain values and return new ones, so they are safe to call from any thread.

    It imports the classes of its neighbours only to name them as collaborators: see the
    related modules at the end of the page.

    ## Usage

    ```python
    store = Store("main")
    store.add("sku-1", 3)
    store.add("sku-2")
    print(store.summary(limit=1))  # {"sku-1": 3}
    ```

    ## Functions

    | Function | What it does |
    |---|---|
    | `load_items(values, rate=0.2)` | Sums the values with the rate applied, rounded to cents. |
    | `find_entry(key, table, default=0)` | Looks a key up, case- and space-insensitively. |
    | `check_window(start, days=7)` | The window of `days` days that starts at `start`. |
    | `group_by_line(rows, field_name)` | Groups rows by a field, keeping their order. |

    ### `load_items(values: list[float], rate: float = 0.2) -> float`

    Returns the sum of `values`, each raised by `rate`, rounded to two decimals. An empty list
    gives `0.0`.

    - **values**: the amounts to add up.
    - **rate**: the rate to apply to each amount, `0.2` for 20 %.

    ```python
    load_items([10.0, 5.0])  # 18.0
    ```

    ### `find_entry(key: str, table: dict[str, int], default: int = 0) -> int`

    Looks `key` up in `table` after stripping and lower-casing it. Raises `ValueError` when the
    key is empty, and returns `default` when the table has no such key.

    ### `check_window(start: datetime, days: int = 7) -> tuple[datetime, datetime]`

    The start and the end of a window of `days` days. Raises `ValueError` when `days` is not
    positive.

    ## Classes

    ### `Store`

    A dataclass holding a `name`, the `items` by key and a count of `changes`.

    - `add(key, amount=1) -> int`: adds to an item and returns its new value.
    - `remove(key) -> int | None`: removes an item and returns its last value.
    - `summary(limit=DEFAULT_LIMIT) -> dict[str, int]`: the largest items, largest first.

    ## Errors

    `find_entry` and `check_window` raise `ValueError` on invalid input; nothing else raises.
    """)


@dataclass(frozen=True)
class Sites:
    root: Path
    package: Path
    plugin: Path  # the mkdocs.yml with the plugin
    plain: Path  # the mkdocs.yml without it
    cache: Path
    modules: list[Module]


def write_sites(root: Path, modules: int, concurrency: int, seed: int) -> Sites:
    package = root / "src" / PACKAGE
    generated = write_package(package, modules, seed)
    for name, plugins in (("plugin", None), ("plain", "plugins: []")):
        (root / name / "docs").mkdir(parents=True)
        (root / name / "docs" / "index.md").write_text("# Acme\n\nThe Acme shop back end.\n", encoding="utf-8")
        plugin_block = f"""\
            plugins:
              - codescribe:
                  source: ../src/{PACKAGE}
                  doc_types: [module]
                  provider: openai
                  model: {MODEL}
                  concurrency: {concurrency}
                  cache_dir: .cache/codescribe
                  badges: true
        """
        config = textwrap.dedent("""\
            site_name: Acme
            docs_dir: docs
            site_dir: site
        """) + (plugins + "\n" if plugins else textwrap.dedent(plugin_block))
        (root / name / "mkdocs.yml").write_text(config, encoding="utf-8")
    plugin = root / "plugin" / "mkdocs.yml"
    return Sites(root, package, plugin, root / "plain" / "mkdocs.yml", plugin.parent / ".cache", generated)


# -- building ----------------------------------------------------------------------------------


class _NoOptions(Config):  # type: ignore[no-untyped-call]
    """The probes' (empty) options."""


class _FilesStart(BasePlugin[_NoOptions]):  # type: ignore[no-untyped-call]
    """Runs before every other ``on_files`` hook: notes the time."""

    def __init__(self) -> None:
        self.at = 0.0

    @event_priority(100)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        self.at = time.perf_counter()
        return files


class _FilesEnd(BasePlugin[_NoOptions]):  # type: ignore[no-untyped-call]
    """Runs after every other ``on_files`` hook: notes the time, counts the pages, may capture them."""

    def __init__(self, capture: dict[str, str] | None) -> None:
        self.at = 0.0
        self.pages = 0
        self.capture = capture

    @event_priority(-100)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        self.at = time.perf_counter()
        self.pages = len(files.documentation_pages())
        if self.capture is not None:
            for file in files:
                if file.generated_by == "codescribe":
                    self.capture[file.src_uri] = file.content_string
        return files


@dataclass(frozen=True)
class BuildRun:
    """One build: its wall time, the ``codescribe`` plugin's ``on_files`` time and what it did."""

    seconds: float
    files_seconds: float
    pages: int
    requests: int  # requests the server received during the build
    stats: BuildStats | None  # None for the plain site


def build_site(yml: Path, server: ScriptedLLMServer, capture: dict[str, str] | None = None) -> BuildRun:
    site_dir = yml.parent / "site"
    shutil.rmtree(site_dir, ignore_errors=True)
    before = len(server.requests)
    start_probe, end_probe = _FilesStart(), _FilesEnd(capture)
    gc.collect()
    started = time.perf_counter()
    config = load_config(str(yml))
    config.plugins["bench-files-start"] = start_probe
    config.plugins["bench-files-end"] = end_probe
    build(config)
    seconds = time.perf_counter() - started
    plugin = config.plugins.get("codescribe")
    stats = plugin.stats if isinstance(plugin, CodeScribePlugin) else None
    return BuildRun(seconds, end_probe.at - start_probe.at, end_probe.pages, len(server.requests) - before, stats)


def clear_cache(sites: Sites) -> None:
    shutil.rmtree(sites.cache, ignore_errors=True)


@contextmanager
def environment(server: ScriptedLLMServer) -> Iterator[None]:
    """The ``LLM_*`` variables that point the plugin's provider at ``server``, restored afterwards."""
    names = ("LLM_PROVIDER", "LLM_MODEL", "LLM_BASE_URL", "LLM_API_KEY", "LLM_MAX_RETRIES", "NO_MKDOCS_2_WARNING")
    saved = {name: os.environ.get(name) for name in names}
    os.environ.pop("LLM_MODEL", None)
    os.environ.update(
        LLM_PROVIDER="openai",
        LLM_BASE_URL=server.openai_url,
        LLM_API_KEY="bench-key",
        LLM_MAX_RETRIES="0",
        NO_MKDOCS_2_WARNING="1",
    )
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# -- the measurements --------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """The command-line options."""

    modules: int
    latency: float
    concurrency: int
    first_rounds: int
    rebuild_rounds: int
    touch_rounds: int
    seed: int
    profile: bool
    profile_top: int
    keep: bool
    output: Path


@dataclass
class Results:
    """Every timed build, by kind, and the checks they passed or failed."""

    args: Options
    sites: Sites
    edges: int = 0
    cold: BuildRun | None = None
    first: list[BuildRun] = field(default_factory=list)
    rebuild: list[BuildRun] = field(default_factory=list)
    plain: list[BuildRun] = field(default_factory=list)
    #: Per edit round: the module, the no-change rebuild just before the edit, the build after it.
    touched: list[tuple[Module, BuildRun, BuildRun]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    runtime: float = 0.0
    profile: str = ""

    # first build
    @property
    def calls(self) -> int:
        return statistics.median_low([run.requests for run in self.first])

    @property
    def ideal(self) -> float:
        return self.calls * self.args.latency / self.args.concurrency

    @property
    def first_ratio(self) -> float:
        return median([run.seconds for run in self.first]) / self.ideal

    # no-change rebuild
    @property
    def rebuild_ratios(self) -> list[float]:
        return [a.seconds / b.seconds for a, b in zip(self.rebuild, self.plain, strict=True)]

    @property
    def rebuild_ratio(self) -> float:
        return statistics.median(self.rebuild_ratios)

    @property
    def rebuild_calls(self) -> int:
        return max(max(run.requests, run.stats.calls if run.stats else 0) for run in self.rebuild)

    # one-module edit
    @property
    def touch_ok(self) -> bool:
        return all(
            run.stats is not None and run.stats.generated == [module.uri] and run.requests == 1
            for module, _, run in self.touched
        )


def median(values: list[float]) -> float:
    return statistics.median(values)


def check(results: Results, run: BuildRun, what: str, *, calls: int, generated: int | None = None) -> None:
    """Record a problem when ``run`` made other than ``calls`` calls or had fallbacks or skipped pages."""
    stats = run.stats
    assert stats is not None
    expected_pages = len(results.sites.modules) + 1
    if run.requests != calls or stats.calls != calls:
        results.problems.append(f"{what}: {stats.calls} provider calls ({run.requests} requests), expected {calls}")
    if generated is not None and len(stats.generated) != generated:
        results.problems.append(f"{what}: {len(stats.generated)} pages regenerated, expected {generated}")
    if stats.fallbacks or stats.skipped:
        results.problems.append(f"{what}: fallbacks {stats.fallbacks!r}, skipped {stats.skipped!r}")
    if run.pages != expected_pages:
        results.problems.append(f"{what}: {run.pages} pages, expected {expected_pages}")


def capture_pages(sites: Sites, server: ScriptedLLMServer, results: Results) -> None:
    """The untimed cold build: it fills the cache and gives the plain site the plugin's pages."""
    pages: dict[str, str] = {}
    results.cold = build_site(sites.plugin, server, capture=pages)
    check(results, results.cold, "cold first build", calls=len(sites.modules))
    docs = sites.plain.parent / "docs"
    for uri, text in pages.items():
        path = docs / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    progress(f"  cold first build: {results.cold.seconds:.2f} s; {len(pages)} pages copied to the plain site")


def measure(sites: Sites, server: ScriptedLLMServer, args: Options) -> Results:
    results = Results(args, sites)
    modules = len(sites.modules)
    capture_pages(sites, server, results)
    build_site(sites.plain, server)  # warm-up
    for index in range(args.first_rounds):
        clear_cache(sites)
        run = build_site(sites.plugin, server)
        check(results, run, f"first build {index + 1}", calls=modules, generated=modules)
        results.first.append(run)
        progress(f"  first build {index + 1}/{args.first_rounds}: {run.seconds:.2f} s, {run.requests} calls")
    build_site(sites.plugin, server)  # leaves the cache in step with the sources
    for index in range(args.rebuild_rounds):
        order = ("plain", "plugin") if index % 2 == 0 else ("plugin", "plain")
        for kind in order:
            if kind == "plain":
                results.plain.append(build_site(sites.plain, server))
            else:
                run = build_site(sites.plugin, server)
                check(results, run, f"no-change rebuild {index + 1}", calls=0, generated=0)
                results.rebuild.append(run)
        progress(
            f"  no-change rebuild {index + 1}/{args.rebuild_rounds}: {results.rebuild[-1].seconds:.2f} s, "
            f"plain {results.plain[-1].seconds:.2f} s"
        )
        if results.plain[-1].pages != results.rebuild[-1].pages:
            results.problems.append(
                f"the plain site has {results.plain[-1].pages} pages, the plugin's {results.rebuild[-1].pages}"
            )
    candidates = [module for module in sites.modules if not module.is_init]
    step = max(1, len(candidates) // max(1, args.touch_rounds))
    for index in range(args.touch_rounds):
        module = candidates[(index * step + step // 2) % len(candidates)]
        before = build_site(sites.plugin, server)  # the no-change rebuild the edit is compared with
        check(results, before, f"no-change rebuild before edit {index + 1}", calls=0, generated=0)
        touch(sites.package, module, index)
        run = build_site(sites.plugin, server)
        check(results, run, f"edit of {module.name}", calls=1, generated=1)
        results.touched.append((module, before, run))
        generated = run.stats.generated if run.stats else []
        progress(
            f"  edit of {module.relative}: {run.seconds:.2f} s (no-change rebuild just before: "
            f"{before.seconds:.2f} s), regenerated {generated}"
        )
    return results


def profile_builds(sites: Sites, server: ScriptedLLMServer, top: int) -> str:
    """cProfile of one first build and one no-change rebuild: the top functions by own and total time."""
    out = io.StringIO()
    for title, empty_cache in (("first build (empty cache)", True), ("no-change rebuild", False)):
        if empty_cache:
            clear_cache(sites)
        profiler = cProfile.Profile()
        profiler.enable()
        build_site(sites.plugin, server)
        profiler.disable()
        for order in ("tottime", "cumulative"):
            out.write(f"\n=== {title}, by {order} ===\n")
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
    return out.getvalue()


def import_edges(sites: Sites) -> int:
    from codescribe.engine.analysis.project import analyze_project

    return sum(len(targets) for targets in analyze_project(sites.package).import_graph().values())


# -- report ------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def _seconds(runs: list[BuildRun]) -> str:
    return f"{median([run.seconds for run in runs]):.2f} s"


def tables(r: Results) -> list[str]:
    args = r.args
    rebuild = median([run.seconds for run in r.rebuild])
    plain = median([run.seconds for run in r.plain])
    touch_seconds = median([run.seconds for _, _, run in r.touched])
    extra = median([run.seconds - before.seconds for _, before, run in r.touched])
    ratios = r.rebuild_ratios
    regenerated = sorted({len(run.stats.generated) if run.stats else -1 for _, _, run in r.touched})
    touch_calls = sorted({run.requests for _, _, run in r.touched})
    floor = args.latency * r.calls / args.concurrency + plain
    lines = [
        "| Build | Median wall time | Provider calls | Compared with | Ratio | Target | Result |",
        "|---|---:|---:|---|---:|---|---|",
        f"| first build, empty cache ({len(r.first)} rounds) | {_seconds(r.first)} | {r.calls} "
        f"| ideal {r.calls} × {args.latency:g} s ÷ {args.concurrency} = {r.ideal:.2f} s | {r.first_ratio:.2f}× "
        f"| ≤ {FIRST_TARGET:g}× | {verdict(r.first_ratio <= FIRST_TARGET)} |",
        f"| no-change rebuild ({len(r.rebuild)} rounds) | {rebuild:.2f} s | {r.rebuild_calls} "
        f"| plain `mkdocs build`, same pages: {plain:.2f} s | {r.rebuild_ratio:.2f}× "
        f"(rounds {min(ratios):.2f}–{max(ratios):.2f}) | ≤ {REBUILD_TARGET:g}×, 0 calls "
        f"| {verdict(r.rebuild_ratio <= REBUILD_TARGET and r.rebuild_calls == 0)} |",
        f"| one module edited ({len(r.touched)} rounds) | {touch_seconds:.2f} s "
        f"| {', '.join(map(str, touch_calls))} | the no-change rebuild just before it: {extra:+.2f} s "
        f"(one call: {args.latency:g} s) | | exactly 1 page regenerated, 1 call "
        f"| {verdict(r.touch_ok)} ({', '.join(map(str, regenerated))} regenerated) |",
        "",
        f"For scale: the provider calls cannot overlap with MkDocs' own work, which comes after the plugin's "
        f"`on_files` hook, so the first build cannot beat the ideal plus a plain build, {r.ideal:.2f} + "
        f"{plain:.2f} = {floor:.2f} s; it took {median([run.seconds for run in r.first]) / floor:.2f}× that.",
        "",
        "Where the time goes (medians): the `codescribe` plugin's `on_files` hook (plan, cache look-ups, provider "
        "calls, page Markdown) against the rest of the build (config, MkDocs reading, rendering and writing "
        f"{r.rebuild[0].pages} pages).",
        "",
        "| Build | Wall time | `codescribe` on_files | Rest of the build |",
        "|---|---:|---:|---:|",
    ]
    kinds: list[tuple[str, list[BuildRun]]] = [
        ("first build, empty cache", r.first),
        ("no-change rebuild", r.rebuild),
        ("one module edited", [run for _, _, run in r.touched]),
        ("plain `mkdocs build` (no plugin)", r.plain),
    ]
    for title, runs in kinds:
        wall = median([run.seconds for run in runs])
        files = median([run.files_seconds for run in runs])
        rest = median([run.seconds - run.files_seconds for run in runs])
        lines.append(f"| {title} | {wall:.2f} s | {files:.2f} s | {rest:.2f} s |")
    if r.cold is not None:
        lines += [
            "",
            f"The untimed warm-up build, the first of the process (it imports the OpenAI SDK and loads "
            f"the theme), took {r.cold.seconds:.2f} s with an empty cache.",
        ]
    if r.problems:
        lines += ["", "**Checks that failed:**", "", *(f"- {problem}" for problem in r.problems)]
    return lines


def section(r: Results) -> str:
    args = r.args
    command = " ".join([COMMAND, *sys.argv[1:]])
    subpackages = len({m.subpackage for m in r.sites.modules if m.subpackage})
    lines = [
        SECTION,
        "",
        "Wall time of `mkdocs build` with the `codescribe` plugin (`doc_types: [module]`, `provider: openai`,",
        f"`concurrency: {args.concurrency}`, `badges: true`) on a generated package of {len(r.sites.modules)} "
        f"modules ({subpackages} subpackages; each",
        "module has a docstring, 3–6 typed, documented functions, a class with methods and 1–3 imports of other",
        f"modules, {r.edges} import edges in all). The provider talks to the in-process `ScriptedLLMServer`,",
        f"which answers each request {args.latency:g} s after it arrived (`LLM_MAX_RETRIES=0`). Builds run in-process",
        "(`load_config` + `build`, both timed) into an emptied `site_dir`. The first build is compared with the",
        "time its provider calls take at full concurrency; the no-change rebuild with a plain `mkdocs build` of",
        "a plugin-less site whose `docs/` holds the same generated pages (the two alternate, order swapped each",
        "round; the ratio is the median of per-round ratios); the edit adds a statement to a function body of",
        "one module (a different one each round) and is compared with the no-change rebuild made just before it.",
        "See the docstring of `bench/mkdocs_incremental.py`.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Command: `{command}`",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); mkdocs {mkdocs.__version__}",
        f"- Machine: {machine()}",
        f"- Rounds: {args.first_rounds} first builds, {args.rebuild_rounds} × (no-change rebuild + plain build), "
        f"{args.touch_rounds} edits; benchmark runtime {r.runtime:.0f} s",
        f"- Targets: first build ≤ {FIRST_TARGET:g}× the ideal; no-change rebuild 0 calls and ≤ "
        f"{REBUILD_TARGET:g}× the plain build; an edit regenerates exactly 1 page",
        "",
        *tables(r),
    ]
    return "\n".join(lines) + "\n"


# -- main --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--modules", type=int, default=200, help="modules in the generated package (default 200)")
    parser.add_argument(
        "--latency",
        type=float,
        default=1.0,
        help="seconds from a request to its answer (default 1.0, a fast model's page)",
    )
    parser.add_argument("--concurrency", type=int, default=8, help="the plugin's `concurrency` (default 8)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="rounds of every kind of build (default: 3 first builds, 5 no-change rebuild pairs, 3 edits)",
    )
    parser.add_argument("--quick", action="store_true", help="a short run: 1 first build, 2 rebuild pairs, 1 edit")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated package (default 1)")
    parser.add_argument("--profile", action="store_true", help="also cProfile one first build and one rebuild")
    parser.add_argument("--profile-top", type=int, default=30, help="functions listed per profile (default 30)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"the report to update (default {RESULTS})")
    args = parser.parse_args(argv)
    rounds: tuple[int, int, int] = (1, 2, 1) if args.quick else (3, 5, 3)
    if args.rounds is not None:
        rounds = (args.rounds, args.rounds, args.rounds)
    if args.modules < 2 or args.concurrency < 1 or args.latency < 0 or min(rounds) < 1:
        parser.error("--modules must be at least 2, --concurrency and --rounds at least 1, --latency at least 0")
    return Options(
        modules=args.modules,
        latency=args.latency,
        concurrency=args.concurrency,
        first_rounds=rounds[0],
        rebuild_rounds=rounds[1],
        touch_rounds=rounds[2],
        seed=args.seed,
        profile=args.profile,
        profile_top=args.profile_top,
        keep=args.keep,
        output=args.output,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    root = Path(tempfile.mkdtemp(prefix="codescribe-mkdocs-bench-"))
    try:
        sites = write_sites(root, args.modules, args.concurrency, args.seed)
        progress(f"Generated {len(sites.modules)} modules under {sites.package}")
        with ScriptedLLMServer(text=PAGE, latency=args.latency) as server, environment(server):
            results = measure(sites, server, args)
            results.edges = import_edges(sites)
            if args.profile:
                progress("Profiling one first build and one no-change rebuild ...")
                results.profile = profile_builds(sites, server, args.profile_top)
    finally:
        if args.keep:
            progress(f"Kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    results.runtime = time.perf_counter() - started
    text = section(results)
    publish(args.output, SECTION, text, results.profile)
    return 1 if results.problems else 0


if __name__ == "__main__":
    sys.exit(main())
