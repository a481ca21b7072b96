"""Running a suite: every (system, doc type, file, repeat) sample, concurrently per system.

Each system has its own concurrency and requests-per-minute limit; the provider layer's
retries apply; every sample ends as a result or a recorded error; a budget stops spending
before it would be crossed; results go to an append-only store, so a killed run resumes
where it stopped.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..docs.generator import DocGenerator, DocResult
from ..docs.prompts import PromptSet
from ..llm import LLMConfig, LLMError, create_provider
from ..llm.budget import CostBudget
from ..llm.providers.base import LLMProvider
from .corpus import CorpusFile, default_corpus_dir, load_corpus
from .scorers import parse_judge_score, reference_overlap, strip_python_docstrings
from .store import ResultStore
from .suite import Suite, SystemSpec

__all__ = ["EvalRunner", "RunSummary"]


@dataclass
class RunSummary:
    run_id: str
    run_dir: Path
    samples: int = 0
    skipped_done: int = 0
    errors: int = 0
    over_budget: int = 0
    spent_usd: float = 0.0
    seconds: float = 0.0


@dataclass(frozen=True)
class _Sample:
    system: SystemSpec
    doc_type: str
    file: CorpusFile
    repeat: int

    @property
    def sample_id(self) -> str:
        return f"{self.system.name}|{self.doc_type}|{self.file.path}|{self.repeat}"


class _RateLimit:
    """Spaces call starts ``60 / rpm`` seconds apart."""

    def __init__(self, rpm: float | None) -> None:
        self.interval = 60.0 / rpm if rpm else 0.0
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


@dataclass
class _System:
    spec: SystemSpec
    generator: DocGenerator
    gate: asyncio.Semaphore
    rate: _RateLimit
    offline: bool = field(default=False)


class EvalRunner:
    """Runs one suite into ``runs_dir/<run_id>``; ``resume`` with the same id skips finished samples."""

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
        self.run_id = run_id or f"{suite.name}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self.store = ResultStore(Path(runs_dir) / self.run_id)
        self.corpus_dir = Path(corpus_dir or suite.corpus_dir or default_corpus_dir())
        self.progress = progress
        self.on_record = on_record
        self.cache_dir = Path(runs_dir) / ".response-cache"
        self.prompts = PromptSet()
        self.judge_prompts = ("judge/system.j2", "judge/user.j2")
        self.judge: LLMProvider | None = None
        if suite.judge is not None:
            options = {"provider": suite.judge.provider, "model": suite.judge.model}
            self.judge = create_provider(LLMConfig.from_env(None, **{k: v for k, v in options.items() if v}))

    def run(self) -> RunSummary:
        return asyncio.run(self.arun())

    async def arun(self) -> RunSummary:
        started = time.perf_counter()
        files = load_corpus(self.corpus_dir, self.suite.corpus)
        if not files:
            raise ValueError(f"The suite selects no file of the corpus in {self.corpus_dir}: widen `corpus:`.")
        self.store.start({"run_id": self.run_id, "suite": self.suite.model_dump(), "corpus": str(self.corpus_dir),
                          "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")})  # fmt: skip
        done = self.store.completed()
        systems = {spec.name: self._system(spec) for spec in self.suite.systems}
        samples = [
            _Sample(spec, doc_type, file, repeat)
            for spec in self.suite.systems
            for doc_type in self.suite.doc_types
            for file in files
            for repeat in range(self.suite.repeats)
        ]
        pending = [sample for sample in samples if sample.sample_id not in done]
        summary = RunSummary(self.run_id, self.store.run_dir, skipped_done=len(samples) - len(pending))
        budget = CostBudget(self.suite.budget_usd)
        bar = _progress(len(pending), self.progress)

        async def run_one(sample: _Sample) -> None:
            system = systems[sample.system.name]
            async with system.gate:
                await system.rate.wait()
                record = await self._sample(sample, system, budget)
            self.store.append(record)
            summary.samples += 1
            summary.errors += record["status"] == "error"
            summary.over_budget += record["status"] == "over_budget"
            if self.on_record is not None:
                self.on_record(record)
            if bar is not None:
                bar.update(1)

        gc.freeze()  # the setup's objects are long-lived: keep the collector from re-walking them
        try:
            await asyncio.gather(*(run_one(sample) for sample in pending))
        finally:
            gc.unfreeze()
            self.store.close()
            if bar is not None:
                bar.close()
        summary.spent_usd = budget.spent
        summary.seconds = time.perf_counter() - started
        return summary

    def _system(self, spec: SystemSpec) -> _System:
        options = {"provider": spec.provider, "model": spec.model, "base_url": spec.base_url,
                   "max_tokens": spec.max_tokens}  # fmt: skip
        config = LLMConfig.from_env(None, **{key: value for key, value in options.items() if value is not None})
        provider = create_provider(config)
        return _System(spec, DocGenerator(provider), asyncio.Semaphore(spec.concurrency), _RateLimit(spec.rpm),
                       offline=provider.provider_name == "offline")  # fmt: skip

    async def _sample(self, sample: _Sample, system: _System, budget: CostBudget) -> dict[str, Any]:
        original = (self.corpus_dir / sample.file.path).read_text(encoding="utf-8", errors="replace")
        code = original
        compare = (
            sample.doc_type == "docstrings" and sample.file.has_reference_docs and sample.file.language == "python"
        )
        if compare:
            try:
                code = strip_python_docstrings(original)
            except SyntaxError:
                compare = False
        base = {"run_id": self.run_id, "suite": self.suite.name, "sample_id": sample.sample_id,
                "system": sample.system.name, "provider": sample.system.provider, "model": sample.system.model,
                "doc_type": sample.doc_type, "file": sample.file.path, "language": sample.file.language,
                "size": sample.file.size, "repeat": sample.repeat}  # fmt: skip
        provider = system.generator.provider
        cached = self._cached(sample, code, system) if self.suite.cache else None
        if cached is None and not system.offline and not budget.reserve(sample.sample_id, provider, len(code)):
            return {**base, "status": "over_budget", "error_type": "BUDGET", "error": "the suite's budget_usd"}
        started = time.perf_counter()
        try:
            options = {"doc_type": sample.doc_type, "filename": Path(sample.file.path).name}
            if cached is not None:
                result = cached
            elif self.suite.stream:
                result = await system.generator.agenerate_documentation_streaming(code, _ignore, **options)
            else:
                result = await system.generator.agenerate_documentation(code, **options)
        except LLMError as exc:
            budget.release(sample.sample_id)
            return {**base, "status": "error", "error_type": exc.error_type.value, "error": str(exc),
                    "retries": exc.retries, "latency_ms": (time.perf_counter() - started) * 1000}  # fmt: skip
        except (ValueError, OSError) as exc:
            budget.release(sample.sample_id)
            return {**base, "status": "error", "error_type": "INPUT", "error": str(exc)}
        if cached is None and not system.offline:
            budget.settle(sample.sample_id, result.metadata.get("cost_usd"))
        if self.suite.cache and cached is None:
            self._remember(sample, code, system, result)
        record = {**base, **_measures(result, original if compare else None), "response_cached": cached is not None}
        if self.judge is not None:
            record.update(await self._judge(sample, original, result))
        return record

    async def _judge(self, sample: _Sample, code: str, result: DocResult) -> dict[str, Any]:
        """Ask the suite's judge to grade the document 1-5 (its failures are recorded, not fatal)."""
        assert self.judge is not None
        system, user = self.judge_prompts
        context = {"path": sample.file.path, "code": code[:60_000], "doc_type": sample.doc_type,
                   "document": result.documentation[:30_000]}  # fmt: skip
        try:
            answer = await self.judge.agenerate(
                self.prompts.render(user, **context), system_prompt=self.prompts.render(system, **context)
            )
        except LLMError as exc:
            return {"judge_score": None, "judge_error": exc.error_type.value}
        return {"judge_score": parse_judge_score(answer.text), "judge_cost_usd": answer.metadata.cost_usd}

    def _cache_path(self, sample: _Sample, code: str, system: _System) -> Path:
        identity = f"{system.spec.name}|{sample.doc_type}|{system.generator.prompts.version}|{code}"
        return self.cache_dir / f"{hashlib.sha256(identity.encode(errors='replace')).hexdigest()}.json"

    def _cached(self, sample: _Sample, code: str, system: _System) -> DocResult | None:
        try:
            data = json.loads(self._cache_path(sample, code, system).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        result: DocResult = system.generator.rescore(code, data["documentation"], sample.doc_type,
                                                     Path(sample.file.path).name, data["metadata"])  # fmt: skip
        return result

    def _remember(self, sample: _Sample, code: str, system: _System, result: DocResult) -> None:
        path = self._cache_path(sample, code, system)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"documentation": result.documentation, "metadata": result.metadata}), "utf-8")


def _ignore(chunk: str) -> None:
    """Streaming is only for timing the first token: the chunks are not needed."""


def _measures(result: DocResult, original_for_overlap: str | None) -> dict[str, Any]:
    meta, quality = result.metadata, result.quality
    overlap = (reference_overlap(original_for_overlap, result.documentation) if original_for_overlap
               else {"bleu": None, "rouge_l": None, "reference_functions": 0})  # fmt: skip
    return {
        "status": "ok",
        "quality": quality.score,
        "grade": quality.grade,
        "breakdown": {criterion.name: criterion.points for criterion in quality.breakdown},
        "truthfulness": quality.truthfulness,
        "completeness": quality.completeness,
        "improvement": quality.improvement,
        **overlap,
        "input_tokens": meta.get("input_tokens", 0),
        "output_tokens": meta.get("output_tokens", 0),
        "cache_read_tokens": meta.get("cache_read_tokens", 0),
        "cache_write_tokens": meta.get("cache_write_tokens", 0),
        "cache_hit": (meta.get("cache_read_tokens") or 0) > 0,
        "cost_usd": meta.get("cost_usd"),
        "latency_ms": meta.get("latency_ms"),
        "ttft_ms": meta.get("ttft_ms"),
        "retries": meta.get("retries", 0),
        "prompt_version": meta.get("prompt_version"),
        "error_type": None,
    }


def _progress(total: int, enabled: bool) -> Any:
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="sample", desc="evaluating", leave=False)
