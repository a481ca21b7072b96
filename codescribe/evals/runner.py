"""Running a suite: every (system, doc type, file, repeat) sample, concurrently per system.

One process, one event loop. Each system has a producer that starts its samples as tasks of
one :class:`asyncio.TaskGroup`, never more at once than twice the system's ``concurrency``
(calls in flight, and as many samples reading, analysing or scoring around them). The calls
themselves are bounded by the system's :class:`~codescribe.evals.limits.SystemLimiter`,
attempt by attempt, retries included. Every sample ends as a result or a recorded error; a
budget stops spending before it would be crossed; results go to an append-only store, so a
killed run resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import re
import time
import uuid
from collections.abc import Callable
from contextlib import aclosing, closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.cache import cache_key
from ..llm.attempts import earlier_keys
from ..llm.budget import CostBudget
from ..llm.providers.base import LLMProvider
from ..progress import printable, progress_bar
from .corpus import CorpusFile, default_corpus_dir, load_corpus
from .execute import (
    DOCUMENT_FIELD,
    JUDGE,
    RETRY_RESERVATIONS,
    RunSetup,
    SampleExecutor,
    SampleKey,
    judge_key,
    sample_id,
    settings_key,
)
from .pairwise import judge_pairs
from .spending import run_spending
from .store import RunStore, was_billed
from .suite import Suite

__all__ = ["EvalRunner", "RunSummary"]

#: Samples a system holds at once, per call it may have in flight: one calling, one around its
#: call (reading and analysing before, scoring after), so a slot never waits for a sample.
SAMPLES_PER_SLOT = 2


#: A run's id is a folder's name under the runs folder: never a path (``../x``, ``/abs``), never hidden.
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class RunSummary:
    """What a run did: the counts of one attempt (a first run or a resume), returned by :meth:`EvalRunner.arun`.

    Attributes:
        run_id: the run's id (its folder's name under ``runs_dir``).
        run_dir: the run's folder.
        samples: samples finished by this attempt (results, errors and over-budget alike).
        skipped_done: samples that succeeded in an earlier attempt of the run (the others are made again).
        errors: samples recorded as errors by this attempt.
        judge_errors: samples of this attempt whose rubric judge call failed (not an unparsed verdict:
            an error, or the budget); the sample keeps its document and scores.
        over_budget: samples refused because the budget could not cover them.
        spent_usd: USD spent by the run's calls and judge calls, earlier attempts included.
        unknown_costs: billed calls of the run whose cost is unknown (no price, no token counts): with a
            budget, ``spent_usd`` holds them at their worst case; without one, it leaves them out.
        seconds: wall-clock seconds of this attempt.
        pairs: pairwise verdicts made by this attempt.
    """

    run_id: str
    run_dir: Path
    samples: int = 0
    skipped_done: int = 0
    errors: int = 0
    judge_errors: int = 0
    over_budget: int = 0
    spent_usd: float = 0.0
    unknown_costs: int = 0
    seconds: float = 0.0
    pairs: int = 0


class _Spending:
    """The run's budget: reservations by key (a sample, its judge call, a retry, a pair), settled or
    released when the answer comes. Every call's worst case is committed to the run's store before
    the call may go (with no limit too, when the price is known), so a run killed mid-call counts it
    as spent when it resumes."""

    def __init__(self, limit: float | None, providers: dict[str, LLMProvider], store: RunStore) -> None:
        self.budget = CostBudget(limit)
        self.providers = providers
        self.store = store
        self.held: set[str] = set()
        #: Each reservation's worst case in USD (finite ones): what a billed call of unknown cost is charged.
        self.worst: dict[str, float] = {}
        #: Settled calls, each with whether it held a reservation: a sample's call may be settled before
        #: its judge's is reserved, and :meth:`close` then settles it no second time.
        self.settled: dict[str, bool] = {}

    def reserve(self, key: str, system: str, prompt_tokens: int, calls: int = 1) -> bool:
        """Whether the budget allows the calls (their worst case is then held, and recorded)."""
        granted = self.budget.reserve(key, self.providers[system], prompt_tokens, calls)
        return self._held(key, granted, system, prompt_tokens, calls)

    async def areserve(self, key: str, system: str, prompt_tokens: int, calls: int = 1) -> bool:
        """The :data:`~codescribe.evals.execute.Reserve` the executor awaits: :meth:`reserve`, but a
        call that does not fit waits while other calls are in flight (see
        :meth:`~codescribe.llm.budget.CostBudget.areserve`). A sample's own call is settled before its
        judge's is reserved (the executor's ``settle``), so a waiting call never holds room."""
        granted = await self.budget.areserve(key, self.providers[system], prompt_tokens, calls, mine=earlier_keys(key))
        return self._held(key, granted, system, prompt_tokens, calls)

    def _held(self, key: str, granted: bool, system: str, prompt_tokens: int, calls: int) -> bool:
        if granted:
            self.held.add(key)
            worst = self.budget.held(key)
            if self.budget.limit is None:  # nothing is held, but a kill must not forget the call
                worst = self.budget.worst_case(self.providers[system], prompt_tokens, calls)
            if math.isfinite(worst):
                self.store.reserve(key, worst)
                self.worst[key] = worst
            else:  # no price: a kill mid-call still leaves a billed call, of unknown cost
                self.store.reserve(key, None)
        return granted

    def close(self, record: dict[str, Any]) -> tuple[list[str], list[str]]:
        """Settle a sample's calls (its own, its judge's, their retries') with what they cost, unless
        settled already. Returns the keys of the reservations they held, for the store to release
        with the record, and those of retries whose cost is unknown, which stay counted as lost."""
        sample = record["sample_id"]
        # An answer is spent; so is a failed call that may have been billed (see failed_cost), and a
        # rewrite refused after the model answered.
        used = was_billed(record)
        # A billed call of unknown cost is charged its worst case: the record keeps it, so a resumed
        # run (and a failed attempt it replaces) counts it the same.
        calls = (("", used, sample), ("judge_", "judge_cost_usd" in record, judge_key(sample)))
        for prefix, billed, key in calls:
            cost = record.get(f"{prefix}cost_usd") if billed else None
            if billed and cost is None and key in self.worst:
                record[f"{prefix}charged_usd"] = self.worst[key]
            self.settle(key, cost, billed)
        retries: dict[str, float | None] = record.get(RETRY_RESERVATIONS, {})
        for key, cost in retries.items():
            self.settle(key, cost, True)
        held = [key for key in (sample, judge_key(sample), *retries) if self.settled.pop(key)]
        lost = [key for key in held if key in retries and retries[key] is None]
        return [key for key in held if key not in lost], lost

    def settle(self, key: str, cost: float | None, spent: bool) -> bool:
        """Record the end of ``key``'s call, once (a second call changes nothing).

        ``spent``: the call was billed (answered, or failed after using something), so ``cost``
        replaces its reservation, or is added to what is spent when nothing was reserved (a run
        without a budget); a ``cost`` of ``None`` (unknown) counts the reservation instead.
        Otherwise the reservation is released. Returns whether ``key`` held one."""
        if key in self.settled:
            return self.settled[key]
        held = key in self.held
        self.held.discard(key)
        if spent:
            self.budget.settle(key, cost)
        elif held:
            self.budget.release(key)
        self.settled[key] = held
        return held

    def spent_before(self) -> float:
        """What the run spent before this attempt: its stored samples' and verdicts' costs (answers
        from the cache cost nothing), and reservations that never came back (a call in flight when
        a run was killed), at their worst case."""
        self.store.keep_lost_reservations()
        spending = run_spending(self.store.run_dir)
        return spending.total_usd + spending.charged_usd  # unknown costs at the worst case they were charged


def _settings(executor: SampleExecutor, files: list[CorpusFile], corpus_dir: Path) -> dict[str, Any]:
    """What a resumed run must share with its start besides the suite: each system's settings
    (:func:`~codescribe.evals.execute.settings_key`) and the corpus files' contents, as digests."""
    contents = []
    for file in files:
        try:
            contents.append(hashlib.sha256((corpus_dir / file.path).read_bytes()).hexdigest())
        except OSError:
            contents.append("unreadable")
    return {
        "system_settings": {name: settings_key(generator) for name, generator in executor.generators.items()},
        "corpus_files": cache_key(*(file.path for file in files), *contents),
    }


class EvalRunner:
    """Runs one suite into ``runs_dir/<run_id>``; running again with the same ``run_id`` resumes it,
    skipping the samples already finished.

    Making a runner writes nothing; :meth:`run` (or :meth:`arun`) does the work.

    Args:
        suite: what to run (see :func:`codescribe.evals.suite.load_suite`).
        runs_dir: where runs are stored (default ``runs``); the response cache is
            ``runs_dir/.response-cache``.
        run_id: the run to start, or to resume; ``None``: a new id from the suite's name, the local
            time and a random suffix (``smoke-20261125-142501-3f9a1c``).
        corpus_dir: the corpus folder; ``None``: the suite's ``corpus_dir``, else
            :func:`~codescribe.evals.corpus.default_corpus_dir`.
        progress: show a progress bar on stderr.
        on_record: called with each sample's record (without its document) as it is stored;
            ``None`` for no callback.

    Examples:
        >>> from codescribe.evals.suite import Suite
        >>> suite = Suite.model_validate({"name": "smoke", "systems": [{"provider": "offline"}]})
        >>> runner = EvalRunner(suite, runs_dir="/tmp/runs", run_id="smoke-1", corpus_dir="evals/corpus")
        >>> runner.store.run_dir, runner.cache_dir
        (PosixPath('/tmp/runs/smoke-1'), PosixPath('/tmp/runs/.response-cache'))
    """

    def __init__(
        self,
        suite: Suite,
        *,
        runs_dir: str | Path = "runs",
        run_id: str | None = None,
        corpus_dir: str | Path | None = None,
        progress: bool = False,
        on_record: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.suite = suite
        if run_id is not None and not _RUN_ID.match(run_id):
            raise ValueError(
                f"--run-id {printable(repr(run_id))} is not a run's name: use letters, digits, '.', '_' and '-' "
                "(not starting with '.' or '-'), as the runs folder lists them."
            )
        made = f"{suite.name}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self.run_id = run_id or _UNSAFE.sub("-", made).lstrip(".-")
        self.store = RunStore(Path(runs_dir) / self.run_id)
        self.corpus_dir = Path(corpus_dir or suite.corpus_dir or default_corpus_dir())
        self.progress = progress
        self.on_record = on_record
        self.cache_dir = Path(runs_dir) / ".response-cache"

    def _check_same_run(self, suite: dict[str, Any], settings: dict[str, Any]) -> None:
        """Refuse to resume a run with another suite, corpus or settings (a model, a base URL or a
        ``max_tokens`` from the ``LLM_*`` environment): its records would be mixed with the new ones."""
        info = self.store.run_dir / "run.json"
        if not info.is_file():
            return
        try:
            started = json.loads(info.read_text(encoding="utf-8"))
            before = {**started.get("suite", {}), **started.get("settings", {})}
        except (OSError, ValueError, AttributeError, TypeError):
            return  # a run.json this version cannot read says nothing to compare
        now = json.loads(json.dumps({**suite, **settings}, default=str))
        fields = sorted(key for key in {*before, *now} if key in before and before.get(key) != now.get(key))
        if fields:
            raise ValueError(
                f"run {self.run_id} was started with another suite, corpus or settings (it differs in: "
                f"{', '.join(fields)}), and "
                "resuming it would mix the two: resume it with the suite it started with, or start a new run "
                "(without --run-id)."
            )

    def run(self) -> RunSummary:
        """Run the suite in a new event loop (from a notebook, ``await runner.arun()`` instead).

        Returns:
            what the run did (:class:`RunSummary`); see :meth:`arun`.

        Raises:
            RuntimeError: called where an event loop already runs (a notebook, an async program).
            ValueError: the suite selects no file of the corpus, the corpus manifest is not valid, or
                the run folder holds a run of an older CodeScribe (see :meth:`arun`).
            FileNotFoundError: the corpus folder has no ``manifest.yaml``.
            LLMError: a system's or the judge's provider cannot be built (no key, no model).

        Examples:
            >>> import tempfile
            >>> from codescribe.evals.suite import Suite
            >>> folder = tempfile.TemporaryDirectory()
            >>> corpus = Path(folder.name) / "corpus"
            >>> corpus.mkdir()
            >>> _ = (corpus / "add.py").write_text("def add(a: int, b: int) -> int:\\n    return a + b\\n")
            >>> _ = (corpus / "manifest.yaml").write_text("- {path: add.py, language: python}\\n")
            >>> suite = Suite.model_validate({"name": "smoke", "systems": [{"provider": "offline"}]})
            >>> runs = Path(folder.name) / "runs"
            >>> summary = EvalRunner(suite, runs_dir=runs, run_id="smoke-1", corpus_dir=corpus).run()
            >>> summary.samples, summary.errors, summary.spent_usd
            (1, 0, 0.0)
            >>> again = EvalRunner(suite, runs_dir=runs, run_id="smoke-1", corpus_dir=corpus).run()  # resume
            >>> again.samples, again.skipped_done
            (0, 1)
            >>> folder.cleanup()
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.arun())
        raise RuntimeError(
            "EvalRunner.run() starts its own event loop, and one is running here: use `await runner.arun()`."
        )

    async def arun(self) -> RunSummary:
        """Run every pending sample, then the pairwise judge if the suite has one.

        Creates the run's folder, ``run.json`` and store on the first attempt; a resumed run skips
        the samples its store holds, and its budget counts what earlier attempts spent. The first
        sample that fails unexpectedly (not a failed call, which is recorded) stops the others and
        its error is raised.

        Returns:
            what this attempt did (:class:`RunSummary`); ``spent_usd`` in USD includes earlier
            attempts, ``seconds`` is this attempt's wall-clock time.

        Raises:
            ValueError: the suite selects no file of the corpus, the corpus manifest is not valid
                YAML or not a valid manifest, the run folder holds a run written by an older
                CodeScribe (``results.jsonl``), or a run started with another suite (the message
                names the fields that differ).
            FileNotFoundError: the corpus folder has no ``manifest.yaml``.
            LLMError: a system's or the judge's provider cannot be built (no key, no model).

        Examples:
            >>> import asyncio, tempfile
            >>> from codescribe.evals.suite import Suite
            >>> folder = tempfile.TemporaryDirectory()
            >>> corpus = Path(folder.name) / "corpus"
            >>> corpus.mkdir()
            >>> _ = (corpus / "add.py").write_text("def add(a: int, b: int) -> int:\\n    return a + b\\n")
            >>> _ = (corpus / "manifest.yaml").write_text("- {path: add.py, language: python}\\n")
            >>> suite = Suite.model_validate(
            ...     {"name": "smoke", "systems": [{"provider": "offline"}], "doc_types": ["readme", "module"]}
            ... )
            >>> runner = EvalRunner(suite, runs_dir=Path(folder.name) / "runs", corpus_dir=corpus)
            >>> summary = asyncio.run(runner.arun())  # in a notebook: await runner.arun()
            >>> summary.samples, summary.skipped_done, summary.over_budget
            (2, 0, 0)
            >>> folder.cleanup()
        """
        started = time.perf_counter()
        files = load_corpus(self.corpus_dir, self.suite.corpus)
        if not files:
            raise ValueError(f"The suite selects no file of the corpus in {self.corpus_dir}: widen `corpus:`.")
        run_dir = self.store.run_dir
        setup = RunSetup(self.suite, self.run_id, files, self.corpus_dir, run_dir, self.cache_dir)
        executor = SampleExecutor(setup)  # builds every provider: a missing key fails here, before the run exists
        settings = _settings(executor, files, self.corpus_dir)
        description = {
            "run_id": self.run_id,
            "suite": self.suite.model_dump(),
            "corpus": str(self.corpus_dir),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "settings": settings,
        }
        self._check_same_run(self.suite.model_dump(), settings)
        self.store.start(description)
        keys = self._samples(files)
        done = self.store.completed()
        pending = [(key, sample) for key, sample in keys if sample not in done]
        providers = executor.providers()
        spending = _Spending(self.suite.budget_usd, providers, self.store)
        spending.budget.spent = spending.spent_before()  # a resumed run counts what it spent
        summary = RunSummary(self.run_id, self.store.run_dir, skipped_done=len(keys) - len(pending))
        with closing(self.store):
            async with aclosing(executor):
                await self._run_samples([key for key, _ in pending], executor, spending, summary)
            if self.suite.judge is not None and self.suite.judge.mode == "pairwise":
                summary.pairs = await judge_pairs(
                    setup, providers[JUDGE], spending, executor.judge_limiter, progress=self.progress
                )
        summary.spent_usd = spending.budget.spent
        summary.unknown_costs = run_spending(self.store.run_dir).unknown
        summary.seconds = time.perf_counter() - started
        return summary

    async def _run_samples(
        self, pending: list[SampleKey], executor: SampleExecutor, spending: _Spending, summary: RunSummary
    ) -> None:
        """Run ``pending`` samples: a producer per system, each holding at most
        :data:`SAMPLES_PER_SLOT` samples per call it may have in flight. The first sample that
        fails unexpectedly cancels the others, and its error is raised once they have stopped."""
        bar = progress_bar(len(pending), self.progress, unit="sample", desc="evaluating")

        async def one(key: SampleKey, room: asyncio.Semaphore) -> None:
            try:
                record = await executor.run(key, spending.areserve, spending.settle)
                self._keep(record, *spending.close(record), summary)
                if bar is not None:
                    bar.update(1)
            finally:
                room.release()

        async def produce(group: asyncio.TaskGroup, samples: list[SampleKey], concurrency: int) -> None:
            room = asyncio.Semaphore(concurrency * SAMPLES_PER_SLOT)
            for key in samples:
                await room.acquire()
                group.create_task(one(key, room))

        by_system: dict[str, list[SampleKey]] = {}
        for key in pending:
            by_system.setdefault(key.system, []).append(key)
        try:
            async with asyncio.TaskGroup() as group:
                for spec in self.suite.systems:
                    group.create_task(produce(group, by_system.get(spec.name, []), spec.concurrency))
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None
        finally:
            if bar is not None:
                bar.close()

    def _keep(self, record: dict[str, Any], settled: list[str], lost: list[str], summary: RunSummary) -> None:
        """Store a finished sample: its record, document and settled reservations in one transaction."""
        self.store.finish(record, record.pop(DOCUMENT_FIELD, None), settled, lost)
        summary.samples += 1
        summary.errors += record["status"] == "error"
        summary.judge_errors += record.get("judge_error") not in (None, "UNPARSED")
        summary.over_budget += record["status"] == "over_budget"
        if self.on_record is not None:
            self.on_record(record)

    def _samples(self, files: list[CorpusFile]) -> list[tuple[SampleKey, str]]:
        """Every sample of the suite, with its id, in order: system, doc type, file, repeat."""
        return [
            (key, sample_id(key, files[index]))
            for spec in self.suite.systems
            for doc_type in self.suite.doc_types
            for index in range(len(files))
            for repeat in range(self.suite.repeats)
            if (key := SampleKey(spec.name, doc_type, index, repeat))
        ]
