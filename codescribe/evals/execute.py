"""One sample, start to finish: read the file, generate (or take the cached answer), score, judge.

Every call a sample makes goes through its system's :class:`~codescribe.evals.limits.SystemLimiter`
(the judge's calls through the judge's), attempt by attempt; the budget stays with the runner,
which the executor asks through ``reserve`` before a call that costs money.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.cache import ContentCache, cache_key
from ..engine.generator import DocGenerator, DocResult
from ..engine.prompts import PromptSet
from ..engine.writers import ModelWriter, writer_for
from ..llm import LLMError, create_provider_from_env
from ..llm.providers.base import LLMProvider
from .corpus import CorpusFile
from .limits import SystemLimiter
from .metrics import parse_judge_score, reference_overlap, strip_python_docstrings
from .suite import Judge, Suite, SystemSpec

__all__ = [
    "DOCUMENT_FIELD",
    "JUDGE",
    "Reserve",
    "RunSetup",
    "SampleExecutor",
    "SampleKey",
    "base_record",
    "build_generator",
    "build_limiter",
    "build_provider",
    "judge_key",
    "sample_id",
]

#: ``await reserve(sample_id, system_name, prompt_chars)``: whether the budget allows the call.
Reserve = Callable[[str, str, int], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class SampleKey:
    """One sample of a run: which system, doc type, corpus file and repeat."""

    system: str
    doc_type: str
    file: int  # index into the run's corpus files
    repeat: int


def build_generator(spec: SystemSpec) -> DocGenerator:
    """The generator of one system of a suite: the offline engine, or a model through the system's
    provider (the ``LLM_*`` environment fills what the suite leaves out), within its limits."""
    writer = writer_for(spec.provider, model=spec.model, base_url=spec.base_url, max_tokens=spec.max_tokens)
    if isinstance(writer, ModelWriter):
        writer.limiter = build_limiter(spec)
    return DocGenerator(writer=writer)


def build_provider(spec: Judge) -> LLMProvider:
    """The provider of a suite's judge (the ``LLM_*`` environment fills what the suite leaves out)."""
    return create_provider_from_env(None, provider=spec.provider, model=spec.model)


def build_limiter(spec: SystemSpec | Judge) -> SystemLimiter:
    """The limits a system (or the judge) puts on its calls: see :class:`SystemLimiter`."""
    return SystemLimiter(spec.concurrency, spec.rpm, adaptive=spec.adaptive_concurrency)


@dataclass(frozen=True)
class RunSetup:
    """What a run is made of: its suite, corpus files and folders."""

    suite: Suite
    run_id: str
    files: list[CorpusFile]
    corpus_dir: Path
    run_dir: Path
    cache_dir: Path


#: The judge's name wherever systems are named (limiters, budget reservations).
JUDGE = "judge"
#: The generated document, in a record on its way to the runner (stored apart from the record).
DOCUMENT_FIELD = "document"


class SampleExecutor:
    """Makes the record of a sample; never raises for a failed call or a bad file (they are recorded)."""

    def __init__(self, setup: RunSetup, judge_limiter: SystemLimiter | None = None) -> None:
        self.setup = setup
        self.suite, self.files = setup.suite, setup.files
        self.specs = {spec.name: spec for spec in self.suite.systems}
        self.generators = {name: build_generator(spec) for name, spec in self.specs.items()}
        self.prompts = PromptSet()
        judge = self.suite.judge
        self.judge = build_provider(judge) if judge is not None else None
        self.judge_limiter = judge_limiter or (build_limiter(judge) if judge is not None else None)
        self._inputs: dict[tuple[int, bool], tuple[str, str, bool]] = {}
        self.response_cache = ContentCache(setup.cache_dir)

    def providers(self) -> dict[str, LLMProvider]:
        """The providers the run pays for, by system name, and the judge's as :data:`JUDGE`."""
        providers = {name: g.provider for name, g in self.generators.items() if g.provider is not None}
        if self.judge is not None:
            providers[JUDGE] = self.judge
        return providers

    async def aclose(self) -> None:
        """Close the providers' async clients (before the event loop ends)."""
        for generator in self.generators.values():
            await generator.writer.aclose()
        if self.judge is not None:
            await self.judge.aclose()

    async def run(self, key: SampleKey, reserve: Reserve) -> dict[str, Any]:
        file, generator = self.files[key.file], self.generators[key.system]
        base = base_record(self.suite, self.setup.run_id, self.files, key)
        sample_id = base["sample_id"]
        try:
            original, code, compare = self._input(key)
        except OSError as exc:
            return {**base, "status": "error", "error_type": "INPUT", "error": str(exc)}
        offline = generator.offline
        cached = self._cached(key, code, generator) if self.suite.cache else None
        budgeted = self.suite.budget_usd is not None and cached is None and not offline
        if budgeted and not await reserve(sample_id, key.system, len(code)):
            return {**base, "status": "over_budget", "error_type": "BUDGET", "error": "the suite's budget_usd"}
        started = time.perf_counter()
        try:
            doc_type, filename = key.doc_type, Path(file.path).name
            if cached is not None:
                result = cached
            elif self.suite.stream:
                result = await generator.agenerate_documentation_streaming(
                    code, _ignore, doc_type=doc_type, filename=filename
                )
            else:
                result = await generator.agenerate_documentation(code, doc_type=doc_type, filename=filename)
        except LLMError as exc:
            return {
                **base,
                "status": "error",
                "error_type": exc.error_type.value,
                "error": str(exc),
                "retries": exc.retries,
                "latency_ms": (time.perf_counter() - started) * 1000,
            }
        except (ValueError, OSError) as exc:
            return {**base, "status": "error", "error_type": "INPUT", "error": str(exc)}
        if self.suite.cache and cached is None:
            self._remember(key, code, generator, result)
        record = {**base, **_measures(result, original if compare else None), "response_cached": cached is not None}
        if self.suite.keep_documents:
            record[DOCUMENT_FIELD] = result.documentation  # the runner stores it apart
        if self.judge is not None and self.suite.judge is not None and self.suite.judge.mode == "rubric":
            record.update(await self._judge(sample_id, key, original, result, reserve))
        return record

    def _input(self, key: SampleKey) -> tuple[str, str, bool]:
        """(the file's text, what the model is given, whether to compare with the authors' docstrings),
        made once per file and doc type: a run's repeats ask for the same again."""
        memo_key = (key.file, key.doc_type == "docstrings")
        if memo_key not in self._inputs:
            file = self.files[key.file]
            original = (self.setup.corpus_dir / file.path).read_text(encoding="utf-8", errors="replace")
            code, compare = original, memo_key[1] and file.has_reference_docs and file.language == "python"
            if compare:
                try:
                    code = strip_python_docstrings(original)  # the model writes them without seeing the authors'
                except SyntaxError:
                    compare = False
            self._inputs[memo_key] = (original, code, compare)
        return self._inputs[memo_key]

    async def _judge(
        self, sample_id: str, key: SampleKey, code: str, result: DocResult, reserve: Reserve
    ) -> dict[str, Any]:
        """Ask the suite's judge to grade the document 1-5 (its failures are recorded, not fatal)."""
        assert self.judge is not None
        context = {
            "path": self.files[key.file].path,
            "code": code[:60_000],
            "doc_type": key.doc_type,
            "document": result.documentation[:30_000],
        }
        system = self.prompts.render("judge/system.j2", **context)
        user = self.prompts.render("judge/user.j2", **context)
        if self.suite.budget_usd is not None and not await reserve(judge_key(sample_id), JUDGE, len(system + user)):
            return {"judge_score": None, "judge_error": "BUDGET"}
        try:
            answer = await self.judge.agenerate(user, system_prompt=system, limiter=self.judge_limiter)
        except LLMError as exc:
            return {"judge_score": None, "judge_error": exc.error_type.value}
        score = parse_judge_score(answer.text)
        return {
            "judge_score": score,
            "judge_cost_usd": answer.metadata.cost_usd,
            **({"judge_error": "UNPARSED"} if score is None else {}),
        }

    def _cache_key(self, key: SampleKey, code: str, generator: DocGenerator) -> str:
        """Everything that changes the answer: the writer, its model and endpoint, its settings, the
        prompts' version, the doc type, the file's name and text."""
        filename = Path(self.files[key.file].path).name
        return cache_key(*generator.writer.identity, generator.prompts.version, key.doc_type, filename, code)

    def _cached(self, key: SampleKey, code: str, generator: DocGenerator) -> DocResult | None:
        data = self.response_cache.get(self._cache_key(key, code, generator))
        try:
            documentation, metadata = data["documentation"], data["metadata"]
        except (KeyError, TypeError):
            return None
        filename = Path(self.files[key.file].path).name
        return generator.rescore(code, documentation, key.doc_type, filename, metadata)

    def _remember(self, key: SampleKey, code: str, generator: DocGenerator, result: DocResult) -> None:
        entry = {"documentation": result.documentation, "metadata": result.metadata}
        self.response_cache.put(self._cache_key(key, code, generator), entry)


def sample_id(key: SampleKey, file: CorpusFile) -> str:
    return f"{key.system}|{key.doc_type}|{file.path}|{key.repeat}"


def judge_key(sample_id: str) -> str:
    """The budget reservation of a sample's judge call."""
    return f"{sample_id}|{JUDGE}"


def base_record(suite: Suite, run_id: str, files: list[CorpusFile], key: SampleKey) -> dict[str, Any]:
    """What every record of ``key`` says, whatever became of the sample."""
    file, spec = files[key.file], next(spec for spec in suite.systems if spec.name == key.system)
    return {
        "run_id": run_id,
        "suite": suite.name,
        "sample_id": sample_id(key, file),
        "system": key.system,
        "provider": spec.provider,
        "model": spec.model,
        "doc_type": key.doc_type,
        "file": file.path,
        "language": file.language,
        "size": file.size,
        "repeat": key.repeat,
    }


def _ignore(chunk: str) -> None:
    """Streaming is only for timing the first token: the chunks are not needed."""


def _measures(result: DocResult, original_for_overlap: str | None) -> dict[str, Any]:
    meta, quality = result.metadata, result.quality
    overlap = (
        reference_overlap(original_for_overlap, result.documentation)
        if original_for_overlap
        else {"bleu": None, "rouge_l": None, "reference_functions": 0}
    )
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
