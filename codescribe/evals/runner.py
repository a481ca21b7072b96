"""Running a suite: every (system, doc type, file, repeat) sample, concurrently per system.

Each system has its own concurrency and requests-per-minute limit; the provider layer's
retries apply; every sample ends as a result or a recorded error; a budget stops spending
before it would be crossed; results go to an append-only store, so a killed run resumes
where it stopped. Big runs share their samples among worker processes
(:mod:`codescribe.evals.workers`), one per core; the runner schedules, budgets and stores.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..docs.prompts import PromptSet
from ..llm.budget import CostBudget
from ..llm.providers.base import LLMProvider
from ..progress import progress_bar
from .corpus import CorpusFile, default_corpus_dir, load_corpus
from .execute import (
    DOCUMENT_FIELD,
    JUDGE,
    RunSetup,
    SampleExecutor,
    SampleKey,
    base_record,
    build_provider,
    judge_key,
    sample_id,
)
from .limits import Placement, run_all, split
from .pairwise import judge_pairs
from .store import BUDGET_FILE, PAIRWISE_FILE, ResultStore, documents_store
from .suite import Suite
from .workers import WorkerLost, WorkerPool

__all__ = ["AUTO_WORKERS_MIN_SAMPLES", "EvalRunner", "RunSummary"]

_Execute = Callable[[SampleKey, str, int], Awaitable[dict[str, Any]]]
_Close = Callable[[], Awaitable[None]]

#: ``workers=None`` (auto) starts worker processes only for runs of at least this many samples:
#: starting them costs tens of milliseconds, and a small run is quick in one process anyway.
AUTO_WORKERS_MIN_SAMPLES = 200
#: Auto never starts more workers than this (nor more than the cores this process may use).
AUTO_WORKERS_MAX = 8


@dataclass
class RunSummary:
    run_id: str
    run_dir: Path
    samples: int = 0
    skipped_done: int = 0
    errors: int = 0
    over_budget: int = 0
    spent_usd: float = 0.0  # the run's calls and judge calls, those of earlier attempts included
    seconds: float = 0.0
    workers: int = 1
    pairs: int = 0  # pairwise verdicts made by this run


class _Spending:
    """The run's budget: reservations by key (a sample, its judge call, a pair), settled or released
    when the answer comes. With a limit, every reservation is written to the run's ledger before the
    call may go, so a run killed mid-call counts it as spent when it resumes."""

    def __init__(self, limit: float | None, providers: dict[str, LLMProvider], ledger: ResultStore) -> None:
        self.budget = CostBudget(limit)
        self.providers = providers
        self.ledger = ledger
        self.held: set[str] = set()

    def reserve(self, key: str, system: str, prompt_chars: int) -> bool:
        granted = self.budget.reserve(key, self.providers[system], prompt_chars)
        if granted:
            self.held.add(key)
            if self.budget.limit is not None:
                self.ledger.append({"key": key, "reserved": self.budget.held(key)})
        return granted

    async def areserve(self, key: str, system: str, prompt_chars: int) -> bool:
        return self.reserve(key, system, prompt_chars)

    def close(self, record: dict[str, Any]) -> None:
        """Settle a sample's reservations (its call's, its judge call's) with what they cost."""
        sample = record["sample_id"]
        self.settle(sample, record.get("cost_usd") if record["status"] == "ok" else None, record["status"] == "ok")
        judged = record.get("judge_score") is not None or record.get("judge_error") == "UNPARSED"
        self.settle(judge_key(sample), record.get("judge_cost_usd"), judged)

    def settle(self, key: str, cost: float | None, spent: bool) -> None:
        """``spent``: the call was answered (its ``cost``, if known, replaces the reservation)."""
        if key not in self.held:
            return
        self.held.discard(key)
        if spent:
            self.budget.settle(key, cost)
        else:
            self.budget.release(key)

    def lose(self, key: str) -> None:
        """The attempt's worker died mid-call: count its reservation as spent, here and on resume."""
        if key in self.held:
            self.ledger.append({"key": key, "lost": self.budget.held(key)})
            self.settle(key, None, True)

    def spent_before(self, results: ResultStore, pairwise: ResultStore) -> float:
        """What the run spent before this attempt: its stored samples' and verdicts' costs (answers
        from the cache cost nothing), attempts lost with their worker, and reservations that never
        came back (a call in flight when the runner was killed), at their worst case."""
        spent, resolved = 0.0, set[str]()
        for record in (*results.records(), *pairwise.records()):
            if record.get("status", "ok") == "ok" and not record.get("response_cached"):
                spent += record.get("cost_usd") or 0.0
            spent += record.get("judge_cost_usd") or 0.0
            key = str(record.get("sample_id") or record.get("pair_id"))
            resolved.update((key, judge_key(key)))
        unresolved: dict[str, float] = {}
        for entry in self.ledger.lines():
            if "lost" in entry:
                spent += entry["lost"]
                unresolved.pop(entry["key"], None)
            elif entry["key"] not in resolved:
                unresolved[entry["key"]] = entry["reserved"]
        return spent + sum(unresolved.values())


class EvalRunner:
    """Runs one suite into ``runs_dir/<run_id>``; ``resume`` with the same id skips finished samples.

    ``workers``: how many worker processes share the samples; ``None`` (auto) uses one per
    core for runs of :data:`AUTO_WORKERS_MIN_SAMPLES` samples or more, else none; ``1`` runs
    every sample in this process.
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
        workers: int | None = None,
    ) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be 1 or more (or None for auto), not {workers}")
        self.suite = suite
        self.run_id = run_id or f"{suite.name}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self.store = ResultStore(Path(runs_dir) / self.run_id)
        self.corpus_dir = Path(corpus_dir or suite.corpus_dir or default_corpus_dir())
        self.progress = progress
        self.on_record = on_record
        self.workers = workers
        self.cache_dir = Path(runs_dir) / ".response-cache"

    def run(self) -> RunSummary:
        return asyncio.run(self.arun())

    async def arun(self) -> RunSummary:
        started = time.perf_counter()
        files = load_corpus(self.corpus_dir, self.suite.corpus)
        if not files:
            raise ValueError(f"The suite selects no file of the corpus in {self.corpus_dir}: widen `corpus:`.")
        self.store.start({"run_id": self.run_id, "suite": self.suite.model_dump(), "corpus": str(self.corpus_dir),
                          "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")})  # fmt: skip
        keys = self._samples(files)
        done = self.store.completed()
        pending = [(key, sample) for key, sample in keys if sample not in done]
        providers = self._providers()
        spending = _Spending(self.suite.budget_usd, providers, ResultStore(self.store.run_dir, BUDGET_FILE, key="key"))
        pairwise = ResultStore(self.store.run_dir, PAIRWISE_FILE, key="pair_id")
        spending.budget.spent = spending.spent_before(self.store, pairwise)  # a resumed run counts what it spent
        workers = self._worker_count(len(pending))
        summary = RunSummary(self.run_id, self.store.run_dir, skipped_done=len(keys) - len(pending), workers=workers)
        slots = self._slots(workers)
        placement = Placement([{name: share for name, share in worker.items() if name != JUDGE} for worker in slots])
        setup = RunSetup(self.suite, self.run_id, files, self.corpus_dir, self.store.run_dir, self.cache_dir, slots)
        documents = documents_store(self.store.run_dir)
        execute, close = self._executor(setup, spending)  # workers start here: nothing may fail before `try`
        scheduler = _Scheduler(setup, placement, execute, spending)
        bar: Any = None

        def finish(record: dict[str, Any]) -> None:
            spending.close(record)
            self._keep(record, documents, summary)
            if bar is not None:
                bar.update(1)

        gc.freeze()  # the setup's objects are long-lived: keep the collector from re-walking them
        try:
            try:
                # after the workers start: the bar's thread is not forked with them
                bar = progress_bar(len(pending), self.progress, unit="sample", desc="evaluating")
                by_system: dict[str, list[tuple[SampleKey, str]]] = {}
                for key, sample in pending:
                    by_system.setdefault(key.system, []).append((key, sample))
                await run_all(scheduler.feed(samples, finish) for samples in by_system.values())
            finally:
                gc.unfreeze()
                await close()
                documents.close()
                self.store.close()
                if bar is not None:
                    bar.close()
            if self.suite.judge is not None and self.suite.judge.mode == "pairwise":
                summary.pairs = await judge_pairs(setup, providers[JUDGE], spending, progress=self.progress)
        finally:
            spending.ledger.close()
        summary.spent_usd = spending.budget.spent
        summary.seconds = time.perf_counter() - started
        return summary

    def _keep(self, record: dict[str, Any], documents: ResultStore, summary: RunSummary) -> None:
        """Store a finished sample: its document first (a kill in between only redoes the sample)."""
        document = record.pop(DOCUMENT_FIELD, None)
        if document is not None:
            documents.append({"sample_id": record["sample_id"], "document": document})
        self.store.append(record)
        summary.samples += 1
        summary.errors += record["status"] == "error"
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

    def _providers(self) -> dict[str, LLMProvider]:
        """The systems' providers (and the judge's, as :data:`JUDGE`), for the budget."""
        providers = {spec.name: build_provider(spec) for spec in self.suite.systems}
        if self.suite.judge is not None:
            providers[JUDGE] = build_provider(self.suite.judge)
        return providers

    def _slots(self, workers: int) -> list[dict[str, int]]:
        """Each worker's share of each system's concurrency, and of the judge's (at least 1 each)."""
        slots = [{spec.name: split(spec.concurrency, workers)[index] for spec in self.suite.systems}
                 for index in range(workers)]  # fmt: skip
        if self.suite.judge is not None:  # a rubric judge runs in the workers: at least 1 each (see _worker_count)
            for index, share in enumerate(split(self.suite.judge.concurrency, workers)):
                slots[index][JUDGE] = share
        return slots

    @staticmethod
    def _executor(setup: RunSetup, spending: _Spending) -> tuple[_Execute, _Close]:
        """How samples are executed: in worker processes, or in this one."""
        if len(setup.slots) == 1:
            executor = SampleExecutor(setup)

            async def execute_here(key: SampleKey, sample: str, worker: int) -> dict[str, Any]:
                return await executor.run(key, spending.areserve)

            return execute_here, executor.aclose
        for provider in spending.providers.values():
            if provider.provider_name != "offline":
                provider.prepare()  # once, here: the forked workers inherit it
        PromptSet().warm(setup.suite.doc_types, judge=setup.suite.judge is not None)  # compiled once, inherited too
        pool = WorkerPool(len(setup.slots), setup, spending.reserve)
        pool.start()
        return pool.run, pool.close

    def _worker_count(self, samples: int) -> int:
        """Workers asked for (or one per core for a big run), never more than the samples, nor more than
        a rubric judge's concurrency (each worker judges its own samples, with its share of it)."""
        if self.workers is not None:
            count = self.workers
        elif samples < AUTO_WORKERS_MIN_SAMPLES:
            count = 1
        else:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
            count = min(cores, AUTO_WORKERS_MAX)
        judge = self.suite.judge
        if judge is not None and judge.mode == "rubric":
            count = min(count, judge.concurrency)
        return max(1, min(count, samples))


@dataclass
class _Scheduler:
    """Places each sample on a worker, within the run's limits."""

    setup: RunSetup
    placement: Placement
    execute: _Execute
    spending: _Spending

    async def feed(self, samples: list[tuple[SampleKey, str]], finish: Callable[[dict[str, Any]], None]) -> None:
        """Start each of one system's ``samples`` as soon as a worker has room for it (so only the
        samples in hand exist as tasks), and ``finish`` each record. If one fails, the others are
        cancelled and its error raised."""
        try:
            async with asyncio.TaskGroup() as group:
                for key, sample in samples:
                    worker = await self.placement.take(key.system)
                    group.create_task(self._finish(key, sample, worker, finish))
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None

    async def _finish(self, key: SampleKey, sample: str, worker: int, finish: Callable[[dict[str, Any]], None]) -> None:
        finish(await self.record_of(key, sample, worker))

    async def record_of(self, key: SampleKey, sample: str, worker: int) -> dict[str, Any]:
        """The sample's record from ``worker`` (placed: it is given back here). If that worker exits
        first, the sample goes to another (its first attempt's reservations stay spent: the call may
        have been billed); a sample that outlives two workers is recorded as a ``WORKER`` error."""
        reasons = []
        for attempt in range(2):
            if attempt:
                worker = await self.placement.take(key.system)
            try:
                return await self.execute(key, sample, worker)
            except WorkerLost as lost:
                self.placement.retire(lost.worker)
                self.spending.lose(sample)
                self.spending.lose(judge_key(sample))
                reasons.append(str(lost))
            finally:
                self.placement.give_back(key.system, worker)
        record = base_record(self.setup.suite, self.setup.run_id, self.setup.files, key)
        return {**record, "status": "error", "error_type": "WORKER", "error": "; ".join(reasons) + " mid-sample"}
