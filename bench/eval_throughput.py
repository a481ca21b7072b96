"""Throughput of the evaluation harness: ``EvalRunner.run()`` on 1,000 samples against a scripted model.

What is measured: one suite with one system, ``{provider: openai, model: gpt-6.1-sol,
concurrency: 50}``, ``doc_types: [readme]``, on a corpus of ``--files`` real Python files (20 by
default, small and medium modules of CodeScribe itself, copied into a temporary folder with a
``manifest.yaml``), with ``repeats`` chosen so that the run has ``--samples`` samples (1,000 by
default: 20 files x 50 repeats). The provider talks to a :class:`ScriptedLLMServer` on loopback
that answers every request with the same realistic README (about 240 words, 1.6 KB) ``--latency``
seconds after it arrived. ``LLM_API_KEY=x``, ``LLM_MAX_RETRIES=0``; every other ``LLM_*`` variable is
cleared for the run, so the runner's async clients use aiohttp (installed with the ``evals`` extra).

Three configurations run side by side in every round, each at ``--latency`` and at latency 0:

* ``auto``: ``EvalRunner.run()`` as users run it, ``workers`` left to auto (one worker process
  per core for a run of this size; the runner process schedules, budgets and stores).
* ``one``: ``EvalRunner.run(workers=1)``, every sample in the runner's own process.
* ``calls``: the floor: the samples' provider calls and nothing else, streamed, ``concurrency`` at
  a time from one event loop, through the provider the runner builds. No harness on this SDK,
  transport and server can be faster than its own calls.

The targets apply to ``auto``:

* **Wall time at the model's latency** (0.1 s), against the ideal *samples x latency / concurrency*
  (2.0 s by default): the time the calls alone would take if the runner kept ``concurrency``
  calls in flight at every moment and cost nothing. Target: at most 1.1 times the ideal.
* **Harness overhead per sample**: wall time at latency 0 ÷ samples: what everything that is not
  the model costs per sample (reading the file, analysing it, rendering the prompts, the SDK call
  over loopback, scoring the answer, storing the record, the event loops and processes). Target:
  at most 2 ms. CPU time per process (the runner, its workers, the server from ``/proc``) is
  recorded for every configuration at latency 0; ``run()`` returns before its workers have
  exited, so they are waited for after the timing, and their CPU time counted then.

Then, for the one-process cost, **the stages alone**: each stage of a sample timed on its own,
outside the runner and without a profiler, on the same files and answer: reading the file, the
analysis and the prompts (from the generator's memory after the first time for each file, as in
a run), scoring (``DocGenerator._complete``), making and storing the record; the call's figure is
the floor's run at latency 0. And **where the time goes** (``bench/profile_split.py``): one more
zero-latency run with ``workers: 1`` under ``cProfile``, every function's own time assigned to a
layer by the file it is defined in (``codescribe/evals``, ``codescribe/docs/quality``, ``codescribe/docs/analysis``,
the prompts and jinja2, ``codescribe/llm``, the SDK and its HTTP stack, the event loop); functions
of other modules (the standard library, builtins, other packages) belong to their callers in
proportion to the time each caller's calls took. The split is reported as shares of the profiled
run and, scaled by those shares, as milliseconds of the unprofiled one-process cost.

Each round runs the six timed runs and the stages, after one untimed warm-up run (one repeat of
the corpus: it imports the SDK). Figures are medians over ``--rounds`` rounds (7 by default: on
a shared VM the wall time varies by about 1% from run to run, as much as its margin to the
target). After every run the benchmark checks that its ``results.jsonl`` holds exactly ``samples`` records, one
per sample id, all with status ``ok``, and that the server received exactly ``samples`` requests.

The server runs in a child process by default, so that its own work (parsing the 10-20 KB request
bodies, writing the answers) does not compete with the harness for the GIL: the model is remote in
real use. ``--in-process`` runs it in a thread of the benchmark's process instead.

Run it with ``.venv/bin/python bench/eval_throughput.py``; it prints the tables and writes the
section "Evaluation harness: throughput" of ``bench/RESULTS.md`` (the rest of the file is kept).
``--quick`` makes a short, rougher run; ``--profile`` also prints the profiled run's top functions.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import cProfile
import gc
import json
import math
import multiprocessing
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import yaml
from profile_split import LAYERS, attribute, entry_points, profile_listing  # bench/profile_split.py
from results import machine, progress, publish  # bench/results.py: run as `python bench/<name>.py`

from codescribe.docs.generator import DocGenerator
from codescribe.evals.execute import _measures, build_provider
from codescribe.evals.runner import EvalRunner
from codescribe.evals.store import ResultStore
from codescribe.evals.suite import Suite, SystemSpec
from codescribe.llm import LLMConfig, LLMError, create_provider
from codescribe.llm.scripted_server import ScriptedLLMServer

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().with_name("RESULTS.md")
SECTION = "## Evaluation harness: throughput"
COMMAND = ".venv/bin/python bench/eval_throughput.py"

MODEL = "gpt-6.1-sol"
WALL_TARGET = 1.1  # wall time / (samples * latency / concurrency)
OVERHEAD_TARGET_MS = 2.0  # zero-latency wall time ÷ samples
MIN_LINES, MAX_LINES, SMALL_LINES = 60, 350, 150  # corpus files: 60-350 lines; "small" up to 150
SOURCES = ROOT / "codescribe"
STAGE_PASSES = 5  # passes over the corpus per round when timing the stages alone

#: The scripted model's answer to every request: a README of the kind the readme prompt asks for.
README = """# inventory

Keeps track of stock levels for a small shop: items, their quantities, and the reorder rules
that say when to buy more. The module is pure Python and has no dependencies.

## Installation

```bash
pip install inventory
```

## Usage

```python
from inventory import Inventory

stock = Inventory()
stock.add("apple", 12)
stock.remove("apple", 5)
print(stock.count("apple"))  # 7
```

## API

- `Inventory()`: an empty inventory.
- `Inventory.add(name, amount=1)`: adds `amount` units of `name` and returns the new count.
- `Inventory.remove(name, amount=1)`: removes units; raises `ValueError` when there are too few.
- `Inventory.count(name)`: the units of `name` in stock, 0 for an unknown item.
- `Inventory.low_stock(threshold=3)`: the items whose count is below `threshold`, sorted by name.
- `load_inventory(path)`: reads an inventory from a JSON file written by `save_inventory`.
- `save_inventory(stock, path)`: writes the inventory as JSON, replacing the file atomically.

## Configuration

The reorder threshold defaults to 3 units and can be set per item with `set_threshold(name, units)`.
Counts are whole numbers; negative amounts are rejected with a `ValueError` naming the item.

## Errors

`remove` raises `ValueError` when the stock would go below zero, and `load_inventory` raises
`FileNotFoundError` for a missing file and `ValueError` for a file that is not an inventory.

## Notes

The inventory is not thread-safe: guard it with a lock when several threads update it. Saving
writes to a temporary file first and renames it, so a crash never leaves a half-written file.
"""

# -- the corpus ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusEntry:
    path: str
    lines: int
    size: str


def pick_sources(count: int) -> list[Path]:
    """``count`` Python files of CodeScribe with 60-350 lines that parse, evenly spread over the sorted list."""
    candidates = []
    for path in sorted(SOURCES.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if not MIN_LINES <= len(text.splitlines()) <= MAX_LINES:
            continue
        try:
            ast.parse(text)
        except SyntaxError:
            continue  # another engineer's half-made edit: not a fair input
        candidates.append(path)
    if len(candidates) < count:
        raise SystemExit(f"only {len(candidates)} files of {SOURCES} have {MIN_LINES}-{MAX_LINES} lines; "
                         f"ask for at most that many with --files")  # fmt: skip
    step = len(candidates) / count
    return [candidates[int(index * step)] for index in range(count)]


def write_corpus(folder: Path, count: int) -> list[CorpusEntry]:
    """Copy ``count`` files into ``folder`` and write its ``manifest.yaml``."""
    entries: list[CorpusEntry] = []
    for source in pick_sources(count):
        relative = source.relative_to(SOURCES).as_posix()
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        lines = len(target.read_text(encoding="utf-8").splitlines())
        entries.append(CorpusEntry(relative, lines, "small" if lines <= SMALL_LINES else "medium"))
    manifest = [{"path": e.path, "language": "python", "project": "codescribe", "size": e.size, "lines": e.lines,
                 "has_reference_docs": True, "license": "MIT"} for e in entries]  # fmt: skip
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return entries


# -- the scripted model --------------------------------------------------------------------------


class Server(Protocol):
    """A running scripted model: its base URL, and the number of requests it received."""

    @property
    def openai_url(self) -> str: ...

    def take_count(self) -> int:
        """Requests received since the last call."""
        ...

    def cpu_seconds(self) -> float:
        """CPU time the server's process has used (nan when it cannot be told apart from ours)."""
        ...

    def close(self) -> None: ...


def _relisten(server: ScriptedLLMServer, backlog: int) -> None:
    """Re-listen with a longer accept queue: 50 connections opened at once overflow socketserver's 5."""
    if backlog > 0:
        server._server.socket.listen(backlog)


class InProcessServer:
    """The server in a thread of this process (it competes with the harness for the GIL)."""

    def __init__(self, latency: float, backlog: int) -> None:
        self.server = ScriptedLLMServer(text=README, latency=latency).start()
        _relisten(self.server, backlog)
        self.openai_url = self.server.openai_url

    def take_count(self) -> int:
        count = len(self.server.requests)
        self.server.requests.clear()
        return count

    def cpu_seconds(self) -> float:
        return float("nan")  # it runs in this process: counted with the runner

    def close(self) -> None:
        self.server.stop()


_CHILD = """
import json, sys
from codescribe.llm.scripted_server import ScriptedLLMServer

latency, backlog, text = float(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
server = ScriptedLLMServer(text=text, latency=latency).start()
if backlog > 0:
    server._server.socket.listen(backlog)
print(server.openai_url, flush=True)
for line in sys.stdin:  # "count": requests since the last count; end of input: stop
    print(len(server.requests), flush=True)
    server.requests.clear()
server.stop()
"""


class ChildProcessServer:
    """The server in a child process; it stops when its standard input closes."""

    def __init__(self, latency: float, backlog: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(latency), str(backlog), json.dumps(README)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.openai_url = self._line()

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line:
            raise SystemExit(f"the scripted server's process exited ({self.process.poll()}) before answering")
        return line

    def take_count(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(self._line())

    def cpu_seconds(self) -> float:
        try:  # utime and stime, in clock ticks: fields 14 and 15 of /proc/<pid>/stat
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextmanager
def environment() -> Iterator[None]:
    """``LLM_API_KEY=x``, ``LLM_MAX_RETRIES=0`` and no other ``LLM_*`` variable; restored afterwards."""
    saved = {name: value for name, value in os.environ.items() if name.startswith("LLM_")}
    for name in saved:
        del os.environ[name]
    os.environ.update(LLM_API_KEY="x", LLM_MAX_RETRIES="0")
    try:
        yield
    finally:
        for name in [name for name in os.environ if name.startswith("LLM_")]:
            del os.environ[name]
        os.environ.update(saved)


# -- the runs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """The command-line options."""

    samples: int
    files: int
    latency: float
    concurrency: int
    rounds: int
    in_process: bool
    backlog: int
    profile: bool
    profile_top: int
    keep: bool
    output: Path

    @property
    def repeats(self) -> int:
        return self.samples // self.files


#: The configurations timed side by side: (key, label).
CONFIGS: tuple[tuple[str, str], ...] = (
    ("auto", "`EvalRunner.run()`, workers: auto"),
    ("one", "`EvalRunner.run()`, workers: 1 (one process)"),
    ("calls", "the provider calls alone (`agenerate_with_streaming`, one process)"),
)


@dataclass(frozen=True)
class Run:
    """One timed run of a configuration."""

    config: str
    latency: float
    seconds: float
    samples: int
    requests: int
    problems: tuple[str, ...]
    workers: int = 1
    gc_seconds: float = 0.0  # time in garbage collections during the run (this process)
    gc_full: int = 0  # of which full (generation 2) collections
    cpu: dict[str, float] = field(default_factory=dict)  # "runner", "workers", "server" -> CPU seconds


class GCTimer:
    """Adds up the time of the garbage collections made while it is installed (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.full += info["generation"] == 2

    @contextmanager
    def installed(self) -> Iterator[GCTimer]:
        gc.callbacks.append(self)
        try:
            yield self
        finally:
            gc.callbacks.remove(self)


@dataclass
class Workspace:
    """The temporary corpus, the runs folder, and the two servers."""

    corpus: Path
    runs: Path
    entries: list[CorpusEntry]
    servers: dict[float, Server]


def suite(url: str, args: Options, repeats: int) -> Suite:
    return Suite.model_validate({
        "name": "throughput",
        "systems": [{"provider": "openai", "model": MODEL, "base_url": url, "concurrency": args.concurrency}],
        "doc_types": ["readme"],
        "repeats": repeats,
    })  # fmt: skip


def check_run(run_dir: Path, expected: int, requests: int) -> tuple[str, ...]:
    """What is wrong with a finished run: its record count, ids, statuses, or the server's request count."""
    lines = (run_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    problems = []
    if len(records) != expected:
        problems.append(f"{len(records)} records, expected {expected}")
    if len({record["sample_id"] for record in records}) != len(records):
        problems.append("a sample id appears twice")
    failed = [record for record in records if record.get("status") != "ok"]
    if failed:
        kinds = sorted({f"{r.get('status')} {r.get('error_type')}: {str(r.get('error'))[:100]}" for r in failed})
        problems.append(f"{len(failed)} records not ok ({'; '.join(kinds)})")
    if requests != expected:
        problems.append(f"the server received {requests} requests, expected {expected}")
    return tuple(problems)


def cpu_now(server: Server) -> dict[str, float]:
    """CPU seconds so far: this process, its reaped children (the workers), the server."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"runner": time.process_time(), "workers": children.ru_utime + children.ru_stime,
            "server": server.cpu_seconds()}  # fmt: skip


def cpu_since(before: dict[str, float], server: Server) -> dict[str, float]:
    after = cpu_now(server)
    return {name: after[name] - before[name] for name in before}


def run_once(space: Workspace, args: Options, latency: float, *, workers: int | None = None,
             repeats: int | None = None, profiler: cProfile.Profile | None = None) -> Run:  # fmt: skip
    """One ``EvalRunner.run()`` against the server of ``latency``, timed, then checked and deleted."""
    server = space.servers[latency]
    repeats = repeats or args.repeats
    runner = EvalRunner(suite(server.openai_url, args, repeats), runs_dir=space.runs, corpus_dir=space.corpus,
                        workers=workers)  # fmt: skip
    server.take_count()
    gc.collect()
    with GCTimer().installed() as collections:
        before = cpu_now(server)
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        summary = runner.run()
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - started
        for worker in multiprocessing.active_children():  # run() returns before its workers exit: wait
            worker.join(10)  # for them, untimed, so that their CPU time counts for this run
        cpu = cpu_since(before, server)
    expected = repeats * len(space.entries)
    requests = server.take_count()
    problems = check_run(summary.run_dir, expected, requests)
    if summary.samples != expected or summary.errors:
        problems += (f"the summary counts {summary.samples} samples, {summary.errors} errors",)
    shutil.rmtree(summary.run_dir, ignore_errors=True)
    config = "one" if workers == 1 else "auto"
    return Run(config, latency, seconds, expected, requests, problems, summary.workers, collections.seconds,
               collections.full, cpu)  # fmt: skip


def rendered_prompts(space: Workspace) -> list[tuple[str, str]]:
    """The (system, user) prompts the runner sends for the corpus files, in corpus order."""
    generator = DocGenerator(create_provider(LLMConfig(provider="offline")))
    prompts = []
    for entry in space.entries:
        code = (space.corpus / entry.path).read_text(encoding="utf-8")
        request = generator._request(code, "readme", None, Path(entry.path).name, None)
        prompts.append(generator.prompts.messages("readme", **generator._context(request)))
    return prompts


def calls_alone(space: Workspace, args: Options, latency: float, prompts: list[tuple[str, str]]) -> Run:
    """The samples' provider calls and nothing else: streamed, ``concurrency`` at a time, from one
    event loop, through the provider the runner builds (same transport): what any harness on
    this SDK and server pays before doing anything of its own."""
    server = space.servers[latency]
    spec = SystemSpec(provider="openai", model=MODEL, base_url=server.openai_url, concurrency=args.concurrency)
    failed: list[str] = []

    async def all_calls() -> None:
        provider = build_provider(spec)
        gate = asyncio.Semaphore(args.concurrency)

        async def call(index: int) -> None:
            system, user = prompts[index % len(prompts)]
            async with gate:
                try:
                    await provider.agenerate_with_streaming(user, _ignore, system_prompt=system)
                except LLMError as exc:
                    failed.append(exc.error_type.value)

        await asyncio.gather(*(call(index) for index in range(args.samples)))
        await provider.aclose()

    server.take_count()
    gc.collect()
    before = cpu_now(server)
    started = time.perf_counter()
    asyncio.run(all_calls())
    seconds = time.perf_counter() - started
    cpu = cpu_since(before, server)
    received = server.take_count()
    problems: tuple[str, ...] = (f"{len(failed)} calls failed ({', '.join(sorted(set(failed)))})",) if failed else ()
    if received != args.samples:
        problems += (f"the server received {received} requests, expected {args.samples}",)
    return Run("calls", latency, seconds, args.samples, received, problems, 1, cpu=cpu)


def _ignore(chunk: str) -> None:
    """The chunks are not needed: streaming is for the time to first token."""


# -- the stages alone ----------------------------------------------------------------------------

#: The stages of one sample, timed one at a time outside the runner: (key, label).
STAGES: tuple[tuple[str, str], ...] = (
    ("read", "read the corpus file (`Path.read_text`)"),
    ("analysis", "analyse it (`analyze_source` once per file, then from memory; amortised over the repeats)"),
    ("prompts", "render the prompts (`PromptSet.messages` once per file, then from memory; amortised)"),
    ("call", "provider call over loopback (`agenerate_with_streaming`, {concurrency} in flight)"),
    ("score", "score the answer (`DocGenerator._complete` → `score_document`)"),
    ("store", "make and store the record (`_measures`, `ResultStore.append`; fsync in the background)"),
)


def time_stages(space: Workspace, passes: int, repeats: int) -> dict[str, float]:
    """Milliseconds per sample of each of :data:`STAGES` but the call, each run alone ``passes``
    times over the corpus files (the call's figure is that of :func:`calls_alone` at latency 0).

    The analysis and the prompts are made once per file, then come from the generator's memory:
    their first pass and the others are timed apart, and amortised as in a run of ``repeats``."""
    config = LLMConfig.from_env(None, provider="openai", model=MODEL, base_url=space.servers[0.0].openai_url)
    generator = DocGenerator(create_provider(config))
    store = ResultStore(space.runs / "stages")
    store.start({"what": "stage timings"})
    files = [space.corpus / entry.path for entry in space.entries]
    seconds = dict.fromkeys((key for key, _ in STAGES), 0.0)
    first_pass: dict[str, float] = {}

    @contextmanager
    def timed(key: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        seconds[key] += time.perf_counter() - started

    metadata = {"provider": "openai", "model": MODEL, "input_tokens": 12, "output_tokens": 9}
    prompts: list[tuple[str, str]] = []
    gc.collect()
    for index in range(passes):
        for file in files:
            with timed("read"):
                code = file.read_text(encoding="utf-8", errors="replace")
            with timed("analysis"):
                request = generator._request(code, "readme", None, file.name, None)
            with timed("prompts"):
                prompts.append(generator._messages(request))
            with timed("score"):
                result = generator._complete(request, (README, metadata))
            with timed("store"):
                store.append({"sample_id": str(len(prompts)), **_measures(result, None)})
        if index == 0:
            first_pass = {key: seconds[key] for key in ("analysis", "prompts")}
    for key, cold in first_pass.items():  # per file: cold once, then warm (repeats - 1) times
        warm = (seconds[key] - cold) / max(passes - 1, 1)
        seconds[key] = (cold + warm * (repeats - 1)) / repeats * passes
    per_sample = {key: value / len(prompts) * 1000 for key, value in seconds.items() if key != "call"}
    store.close()
    shutil.rmtree(store.run_dir, ignore_errors=True)
    return per_sample


@dataclass
class Results:
    """Every timed run, the profile split, and the checks that failed."""

    args: Options
    entries: list[CorpusEntry]
    warmup: Run | None = None
    runs: dict[tuple[str, float], list[Run]] = field(default_factory=dict)  # (config, latency) -> rounds
    profiled: Run | None = None
    split: dict[str, float] = field(default_factory=dict)  # layer -> profiled seconds
    entry_points: list[tuple[str, float, int]] = field(default_factory=list)  # label, cumulative s, calls
    profile_text: str = ""
    stages: dict[str, list[float]] = field(default_factory=dict)  # stage -> ms per sample, per round
    problems: list[str] = field(default_factory=list)
    runtime: float = 0.0

    @property
    def ideal(self) -> float:
        return self.args.samples * self.args.latency / self.args.concurrency

    def seconds(self, config: str, latency: float) -> float:
        return statistics.median(run.seconds for run in self.runs[config, latency])

    def per_sample_ms(self, config: str, latency: float) -> float:
        return self.seconds(config, latency) / self.args.samples * 1000

    def cpu_ms(self, config: str, latency: float, process: str) -> float:
        """Median CPU milliseconds per sample that ``process`` spent."""
        return statistics.median(run.cpu[process] for run in self.runs[config, latency]) / self.args.samples * 1000

    def workers(self, config: str) -> int:
        return statistics.median_low(run.workers for run in self.runs[config, 0.0])

    @property
    def wall(self) -> float:
        return self.seconds("auto", self.args.latency)

    @property
    def ratio(self) -> float:
        return self.wall / self.ideal if self.ideal else float("inf")

    @property
    def bare_wall(self) -> float:
        return self.seconds("auto", 0.0)

    @property
    def overhead_ms(self) -> float:
        return self.bare_wall / self.args.samples * 1000

    @property
    def gc_ms(self) -> float:
        runs = self.runs["one", 0.0]
        return statistics.median(run.gc_seconds for run in runs) / self.args.samples * 1000

    def stage_ms(self, key: str) -> float:
        return statistics.median(self.stages[key])

    @property
    def wall_ok(self) -> bool:
        return self.ratio <= WALL_TARGET

    @property
    def overhead_ok(self) -> bool:
        return self.overhead_ms <= OVERHEAD_TARGET_MS

    def add(self, what: str, run: Run) -> None:
        self.runs.setdefault((run.config, run.latency), []).append(run)
        self.problems += [f"{what}: {problem}" for problem in run.problems]


def measure(space: Workspace, args: Options) -> Results:
    results = Results(args, space.entries)
    results.warmup = run_once(space, args, 0.0, repeats=1)
    results.problems += [f"warm-up run: {problem}" for problem in results.warmup.problems]
    progress(f"  warm-up run ({results.warmup.samples} samples, latency 0): {results.warmup.seconds:.2f} s")
    prompts = rendered_prompts(space)
    for index in range(args.rounds):
        for latency in (args.latency, 0.0):
            for run in (run_once(space, args, latency), run_once(space, args, latency, workers=1),
                        calls_alone(space, args, latency, prompts)):  # fmt: skip
                results.add(f"round {index + 1}, {run.config}, latency {latency:g} s", run)
                failed = " FAILED CHECKS" if run.problems else ""
                progress(f"  round {index + 1}/{args.rounds}, {run.config} ({run.workers} worker(s)), latency "
                         f"{latency:g} s: {run.seconds:.2f} s ({run.seconds / run.samples * 1000:.2f} ms/sample)"
                         f"{failed}")  # fmt: skip
        call_ms = results.runs["calls", 0.0][-1].seconds / args.samples * 1000
        stages = {**time_stages(space, STAGE_PASSES, args.repeats), "call": call_ms}
        for key, value in stages.items():
            results.stages.setdefault(key, []).append(value)
        progress(f"  round {index + 1}/{args.rounds}, stages alone: "
                 + ", ".join(f"{key} {value:.2f}" for key, value in stages.items()) + " ms/sample")  # fmt: skip
    profiler = cProfile.Profile()
    results.profiled = run_once(space, args, 0.0, workers=1, profiler=profiler)
    results.problems += [f"profiled run: {problem}" for problem in results.profiled.problems]
    progress(f"  profiled run (workers: 1), latency 0: {results.profiled.seconds:.2f} s")
    stats = pstats.Stats(profiler)
    results.split = attribute(stats)
    results.entry_points = entry_points(stats)
    if args.profile:
        results.profile_text = profile_listing(profiler, args.profile_top)
    return results


# -- report --------------------------------------------------------------------------------------


def filesystem(path: Path) -> str:
    """The type of the file system holding ``path`` (it decides what an fsync costs), from /proc/mounts."""
    best, kind = "", "unknown"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    resolved = str(path.resolve())
    for line in mounts:
        fields = line.split()
        if len(fields) < 3 or len(fields[1]) <= len(best):
            continue
        if resolved == fields[1] or resolved.startswith(fields[1].rstrip("/") + "/"):
            best, kind = fields[1], fields[2]
    return kind


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in ("openai", "httpx2", "aiohttp", "jinja2"))


def para(text: str, width: int = 105) -> list[str]:
    """``text`` wrapped as one Markdown paragraph, never between a number and its unit.

    Left unwrapped if a wrapped line would start like a heading, a list item, a table or a quote.
    """
    glued = re.sub(r"(\d) (s|ms|µs|%)(?=[\s.,;:)]|$)", "\\1\0\\2", text)
    lines = [line.replace("\0", " ") for line in
             textwrap.wrap(glued, width=width, break_long_words=False, break_on_hyphens=False)]  # fmt: skip
    if any(re.match(r"[#*+|>-]|\d+[.)](\s|$)", line) for line in lines[1:]):
        return [text]
    return lines


def fmt_ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.2f}"


def result_table(r: Results) -> list[str]:
    args = r.args
    loaded = [run.seconds for run in r.runs["auto", args.latency]]
    bare = [run.seconds / args.samples * 1000 for run in r.runs["auto", 0.0]]
    floor = r.seconds("calls", args.latency)
    one_bare = r.per_sample_ms("one", 0.0)
    return [
        f"With `workers` left to auto, the runner used {r.workers('auto')} worker processes here.",
        "",
        "| Measure | Median | Rounds | Compared with | Ratio | Target | Result |",
        "|---|---:|---|---|---:|---|---|",
        f"| wall time, latency {args.latency:g} s | {r.wall:.3f} s | {min(loaded):.3f}–{max(loaded):.3f} s "
        f"| ideal {args.samples:,} × {args.latency:g} s ÷ {args.concurrency} = {r.ideal:.2f} s | {r.ratio:.3f}× "
        f"| ≤ {WALL_TARGET:g}× | {verdict(r.wall_ok)} |",
        f"| harness overhead per sample (latency 0) | {r.overhead_ms:.2f} ms | {min(bare):.2f}–{max(bare):.2f} ms "
        f"| wall {r.bare_wall:.2f} s ÷ {args.samples:,} samples | | ≤ {OVERHEAD_TARGET_MS:g} ms "
        f"| {verdict(r.overhead_ok)} |",
        "",
        *para(
            f"The floor: the same {args.samples:,} streamed calls with nothing else around them, "
            f"{args.concurrency} at a time from one event loop through the same provider and transport, took "
            f"{floor:.3f} s at {args.latency:g} s, {floor / r.ideal:.3f}× the ideal: the SDK's own client-side "
            f"work ({r.per_sample_ms('calls', 0.0):.2f} ms per streamed call at latency 0) is most of the margin "
            f"the target allows. The runner took {r.wall / floor:.3f}× the floor. In one "
            f"process (`workers: 1`) the harness costs {one_bare:.2f} ms per sample at latency 0. Garbage "
            f"collection took {r.gc_ms:.2f} ms per sample of the one-process zero-latency runs "
            f"({statistics.median_low(run.gc_full for run in r.runs['one', 0.0])} full collections per run)."
        ),
    ]


def comparison_table(r: Results) -> list[str]:
    args = r.args
    lines = [
        *para(
            "Side by side, medians over the rounds. CPU per sample is the CPU time each process used during the "
            "run ÷ samples: the runner's own process, its worker processes (waited for after the timed run), "
            "and the scripted server's process."
        ),
        "",
        f"| Configuration | Workers | Wall at {args.latency:g} s | ÷ ideal | Wall ÷ samples at 0 s "
        "| CPU ms/sample at 0 s: runner | workers | server |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for config, label in CONFIGS:
        wall = r.seconds(config, args.latency)
        lines.append(
            f"| {label} | {r.workers(config)} | {wall:.2f} s | {wall / r.ideal:.2f}× | "
            f"{r.per_sample_ms(config, 0.0):.2f} ms | {fmt_ms(r.cpu_ms(config, 0.0, 'runner'))} | "
            f"{fmt_ms(r.cpu_ms(config, 0.0, 'workers'))} | {fmt_ms(r.cpu_ms(config, 0.0, 'server'))} |"
        )
    return lines


def stage_table(r: Results) -> list[str]:
    one = r.per_sample_ms("one", 0.0)
    sum_ms = sum(r.stage_ms(key) for key, _ in STAGES)
    lines = [
        *para(
            f"The stages of a sample timed alone, outside the runner, on the same files and answer ({STAGE_PASSES} "
            "passes over the corpus per round; the provider calls, one per sample of a run, go to the "
            "zero-latency server from one event loop: the floor's run at 0 s), medians over the rounds, "
            "against the runner's cost per sample in one process (`workers: 1`, latency 0):"
        ),
        "",
        "| Stage (alone, unprofiled) | ms/sample | Share of the one-process cost |",
        "|---|---:|---:|",
    ]
    for key, label in STAGES:
        value = r.stage_ms(key)
        lines.append(f"| {label.format(concurrency=r.args.concurrency)} | {value:.2f} | {value / one:.0%} |")
    remainder = one - sum_ms
    lines += [
        f"| sum of the stages | {sum_ms:.2f} | {sum_ms / one:.0%} |",
        f"| `EvalRunner.run()` with `workers: 1` at latency 0 | {one:.2f} | 100% |",
        f"| remainder: the runner's tasks and scheduling, garbage collection, interference | {remainder:.2f} "
        f"| {remainder / one:.0%} |",
    ]
    return lines


def profile_tables(r: Results) -> list[str]:
    if r.profiled is None or not r.split:
        return []
    one = r.per_sample_ms("one", 0.0)
    total = sum(r.split.values())
    profiled_ms = r.profiled.seconds / r.profiled.samples * 1000
    lines = [
        *para(
            f"The split by layer: one zero-latency run with `workers: 1` of {r.profiled.samples:,} samples under "
            f"cProfile ({r.profiled.seconds:.2f} s, {profiled_ms:.2f} ms/sample, "
            f"{r.profiled.seconds / r.seconds('one', 0.0):.2f}× "
            "the unprofiled run). A layer's figure is its own functions' time plus that of the standard-library, "
            "builtin and other-package functions it calls; the last column scales the shares to the unprofiled "
            f"{one:.2f} ms (cProfile inflates call-heavy code such as the AST walks the most, so "
            "the stage timings above are the better absolute figures)."
        ),
        "",
        "| Layer | Profiled (s) | Profiled ms/sample | Share | ≈ ms/sample unprofiled |",
        "|---|---:|---:|---:|---:|",
    ]
    for layer, label in LAYERS.items():
        seconds = r.split.get(layer, 0.0)
        share = seconds / total if total else 0.0
        lines.append(f"| {label} | {seconds:.2f} | {seconds / r.profiled.samples * 1000:.2f} | {share:.0%} "
                     f"| {share * one:.2f} |")  # fmt: skip
    lines += [
        f"| total (profiled run) | {total:.2f} | {total / r.profiled.samples * 1000:.2f} | 100% | {one:.2f} |",
        "",
        *para(
            "Main entry points in the same profiled run, cumulative (they nest; a coroutine's time counts "
            "only while it runs, and its calls count its resumptions):"
        ),
        "",
        "| Entry point | Calls | Profiled (s) | Profiled ms/sample |",
        "|---|---:|---:|---:|",
    ]
    for label, seconds, calls in r.entry_points:
        lines.append(f"| {label} | {calls:,} | {seconds:.2f} | {seconds / r.profiled.samples * 1000:.2f} |")
    return lines


def tables(r: Results) -> list[str]:
    lines = [*result_table(r), "", *comparison_table(r), ""]
    if r.stages:
        lines += [*stage_table(r), ""]
    if r.split:
        lines += [*profile_tables(r), ""]
    if r.warmup is not None:
        lines += para(f"The untimed warm-up run ({r.warmup.samples} samples at latency 0, the first of the process: "
                      f"it imports the SDK) took {r.warmup.seconds:.2f} s.")  # fmt: skip
    if r.problems:
        lines += ["", "**Checks that failed:**", "", *(f"- {problem}" for problem in r.problems)]
    else:
        lines += ["", *para("Checks: every run's `results.jsonl` held exactly its samples' records, one per sample "
                            "id, all `ok`, and the server received exactly one request per sample.")]  # fmt: skip
    return lines


def section(r: Results, space: Workspace) -> str:
    args = r.args
    command = " ".join([COMMAND, *sys.argv[1:]])
    small = sum(1 for entry in r.entries if entry.size == "small")
    lines_total = sum(entry.lines for entry in r.entries)
    where = "a thread of the benchmark's process" if args.in_process else "a child process"
    backlog = f"re-listening with a backlog of {args.backlog}" if args.backlog > 0 else "with its own backlog of 5"
    lines = [
        SECTION,
        "",
        *para(
            f"Wall time of `EvalRunner.run()` on {args.samples:,} samples: one system (`provider: openai`, "
            f"`model: {MODEL}`, `concurrency: {args.concurrency}`), `doc_types: [readme]`, a corpus of "
            f"{len(r.entries)} Python files of CodeScribe ({small} small, {len(r.entries) - small} medium; "
            f"{MIN_LINES}–{MAX_LINES} lines, {lines_total:,} in all) × {args.repeats} repeats. The provider "
            f"talks to a `ScriptedLLMServer` in {where} ({backlog}), which answers every request with the same "
            f"README of {len(README.split())} words the latency after it arrived (`LLM_API_KEY=x`, "
            f"`LLM_MAX_RETRIES=0`; the runner's async clients use aiohttp, installed with the `evals` extra). "
            f"The run at {args.latency:g} s is compared with the ideal, samples × latency ÷ concurrency; the "
            "run at latency 0 gives the harness's own cost per sample (file read, analysis, prompt rendering, "
            "the SDK call over loopback, scoring, the stored record, the event loops and the processes). Each "
            "round runs three configurations at both latencies: the runner as users run it (`workers` auto), "
            "the runner in one process, and the provider calls alone (the floor); medians over the rounds. "
            "See the docstring of `bench/eval_throughput.py`."
        ),
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Command: `{command}`",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); {versions()}",
        f"- Machine: {machine()}; runs stored on {filesystem(space.runs)} (records fsynced in the background)",
        f"- Rounds: {args.rounds} × (3 configurations × latencies {args.latency:g} s and 0 s, the stages alone), "
        f"then one profiled run at 0 s in one process; benchmark runtime {r.runtime:.0f} s",
        f"- Targets: wall time ≤ {WALL_TARGET:g}× the ideal; harness overhead ≤ {OVERHEAD_TARGET_MS:g} ms per sample",
        "",
        *tables(r),
    ]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


# -- main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--samples", type=int, default=None, help="samples per run (default 1000)")
    parser.add_argument("--files", type=int, default=20, help="files in the corpus (default 20)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds from a request to its answer (default 0.1)")
    parser.add_argument("--concurrency", type=int, default=50, help="the system's `concurrency` (default 50)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 7)")
    parser.add_argument("--quick", action="store_true", help="a short run: 1 round of 200 samples")
    parser.add_argument("--in-process", action="store_true", help="run the server in this process, not a child")
    parser.add_argument("--backlog", type=int, default=128,
                        help="the server's listen backlog (default 128; 0 keeps socketserver's 5)")  # fmt: skip
    parser.add_argument("--profile", action="store_true", help="also print the profiled run's top functions")
    parser.add_argument("--profile-top", type=int, default=30, help="functions listed per ordering (default 30)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"the report to update (default {RESULTS})")
    args = parser.parse_args(argv)
    samples = args.samples if args.samples is not None else (200 if args.quick else 1000)
    rounds = args.rounds if args.rounds is not None else (1 if args.quick else 7)
    if args.files < 1 or samples < args.files or samples % args.files:
        parser.error(f"--samples ({samples}) must be a positive multiple of --files ({args.files})")
    if not 1 <= samples // args.files <= 100:
        parser.error("--samples ÷ --files is the suite's `repeats`, which must be between 1 and 100")
    if not 1 <= args.concurrency <= 256 or args.latency <= 0 or rounds < 1 or args.backlog < 0:
        parser.error("--concurrency must be 1-256, --latency above 0, --rounds at least 1, --backlog at least 0")
    return Options(samples=samples, files=args.files, latency=args.latency, concurrency=args.concurrency,
                   rounds=rounds, in_process=args.in_process, backlog=args.backlog, profile=args.profile,
                   profile_top=args.profile_top, keep=args.keep, output=args.output)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="codescribe-eval-bench-"))
    factory: Callable[[float, int], Server] = InProcessServer if args.in_process else ChildProcessServer
    servers: dict[float, Server] = {}
    try:
        corpus = root / "corpus"
        corpus.mkdir()
        entries = write_corpus(corpus, args.files)
        progress(f"Copied {len(entries)} files ({sum(e.lines for e in entries):,} lines) into {corpus}")
        servers = {latency: factory(latency, args.backlog) for latency in dict.fromkeys((args.latency, 0.0))}
        space = Workspace(corpus, root / "runs", entries, servers)
        with environment():
            results = measure(space, args)
        results.runtime = time.perf_counter() - started
        text = section(results, space)
    finally:
        for server in servers.values():
            server.close()
        if args.keep:
            progress(f"Kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    publish(args.output, SECTION, text, results.profile_text)
    return 1 if results.problems else 0


if __name__ == "__main__":
    sys.exit(main())
