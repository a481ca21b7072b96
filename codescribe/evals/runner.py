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

from ..llm.budget import CostBudget
from ..llm.providers.base import LLMProvider
from .corpus import CorpusFile, default_corpus_dir, load_corpus
from .execute import DOCUMENT_FIELD, JUDGE, RunSetup, SampleExecutor, SampleKey, build_provider, judge_key, sample_id
from .limits import Placement, split
from .pairwise import judge_pairs
from .store import PAIRWISE_FILE, ResultStore, documents_store
from .suite import Suite
from .workers import WorkerPool

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
    """The run's budget: reservations by sample, settled or released when the sample's record comes."""

    def __init__(self, limit: float | None, providers: dict[str, LLMProvider]) -> None:
        self.budget = CostBudget(limit)
        self.providers = providers
        self.held: set[str] = set()

    def reserve(self, sample_id: str, system: str, prompt_chars: int) -> bool:
        granted = self.budget.reserve(sample_id, self.providers[system], prompt_chars)
        if granted:
            self.held.add(sample_id)
        return granted

    async def areserve(self, sample_id: str, system: str, prompt_chars: int) -> bool:
        return self.reserve(sample_id, system, prompt_chars)

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
        spending = _Spending(self.suite.budget_usd, providers)
        spending.budget.spent = self._spent_before()  # a resumed run's budget counts what it spent before
        workers = self._worker_count(len(pending))
        summary = RunSummary(self.run_id, self.store.run_dir, skipped_done=len(keys) - len(pending), workers=workers)
        slots = self._slots(workers)
        placement = Placement([{name: share for name, share in worker.items() if name != JUDGE} for worker in slots])
        setup = RunSetup(self.suite, self.run_id, files, self.corpus_dir, self.store.run_dir, self.cache_dir, slots)
        execute, close = self._executor(setup, spending)
        bar = _progress(len(pending), self.progress)
        documents = documents_store(self.store.run_dir)

        async def run_one(key: SampleKey, sample: str) -> None:
            worker = await placement.take(key.system)
            try:
                record = await execute(key, sample, worker)
            finally:
                placement.give_back(key.system, worker)
            spending.close(record)
            self._keep(record, documents, summary)
            if bar is not None:
                bar.update(1)

        gc.freeze()  # the setup's objects are long-lived: keep the collector from re-walking them
        try:
            await asyncio.gather(*(run_one(key, sample) for key, sample in pending))
        finally:
            gc.unfreeze()
            await close()
            documents.close()
            self.store.close()
            if bar is not None:
                bar.close()
        if self.suite.judge is not None and self.suite.judge.mode == "pairwise":
            summary.pairs = await judge_pairs(setup, providers[JUDGE], spending, progress=self.progress)
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

    def _spent_before(self) -> float:
        """What the run's stored samples and verdicts cost (calls answered from the cache cost nothing)."""
        spent = 0.0
        stores = (self.store, ResultStore(self.store.run_dir, PAIRWISE_FILE, key="pair_id"))
        for record in (record for store in stores for record in store.records()):
            if record.get("status", "ok") == "ok" and not record.get("response_cached"):
                spent += record.get("cost_usd") or 0.0
            spent += record.get("judge_cost_usd") or 0.0
        return spent

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
        if self.suite.judge is not None:
            for index, share in enumerate(split(self.suite.judge.concurrency, workers)):
                slots[index][JUDGE] = max(1, share)
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
                provider._import_sdk()  # once, here: the forked workers inherit it
        pool = WorkerPool(len(setup.slots), setup, spending.reserve)
        pool.start()
        return pool.run, pool.close

    def _worker_count(self, samples: int) -> int:
        if self.workers is not None:
            return max(1, min(self.workers, samples))
        if samples < AUTO_WORKERS_MIN_SAMPLES:
            return 1
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        return max(1, min(cores, AUTO_WORKERS_MAX))


def _progress(total: int, enabled: bool) -> Any:
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="sample", desc="evaluating", leave=False)
