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
from ..llm.attempts import CallAttempts, CoveredAttempts, ReserveRetry, attempts_of
from ..llm.budget import failed_cost
from ..llm.providers.base import LLMProvider
from ..llm.tokens import max_prompt_tokens
from .corpus import CorpusFile
from .limits import SystemLimiter
from .metrics import parse_judge_score, reference_overlap, strip_python_docstrings
from .suite import Judge, Suite, SystemSpec

__all__ = [
    "DOCUMENT_FIELD",
    "JUDGE",
    "RETRY_RESERVATIONS",
    "Reserve",
    "RunSetup",
    "SampleExecutor",
    "SampleKey",
    "Settle",
    "base_record",
    "build_generator",
    "build_limiter",
    "build_provider",
    "judge_key",
    "response_key",
    "sample_id",
    "settings_key",
]

#: ``await reserve(sample_id, system_name, prompt_tokens, calls)``: whether the budget allows the calls.
Reserve = Callable[[str, str, int, int], Awaitable[bool]]
#: ``settle(key, cost_usd, spent)``: a call is over (see :meth:`codescribe.evals.runner.EvalRunner`'s budget).
Settle = Callable[[str, float | None, bool], object]


@dataclass(frozen=True, slots=True)
class SampleKey:
    """One sample of a run: which system, doc type, corpus file and repeat.

    Attributes:
        system: the system's name (:attr:`~codescribe.evals.suite.SystemSpec.name`).
        doc_type: the doc type written, one of the suite's ``doc_types``.
        file: the index of the file in the run's corpus files (``RunSetup.files``).
        repeat: which repeat of the (system, doc type, file) this is, from 0.

    Examples:
        >>> SampleKey("offline", "readme", 0, 0)
        SampleKey(system='offline', doc_type='readme', file=0, repeat=0)
    """

    system: str
    doc_type: str
    file: int  # index into the run's corpus files
    repeat: int


def build_generator(spec: SystemSpec) -> DocGenerator:
    """The generator of one system of a suite: the offline engine, or a model through the system's
    provider (the ``LLM_*`` environment fills what the suite leaves out), within its limits.

    A model's writer gets the system's :class:`SystemLimiter` (see :func:`build_limiter`), inside a
    :class:`~codescribe.llm.attempts.CoveredAttempts` (a retry that may be billed reserves first);
    the offline engine makes no call and gets none.

    Args:
        spec: the system: its provider, model, base URL, ``max_tokens`` and limits.

    Returns:
        a :class:`~codescribe.engine.generator.DocGenerator` for the system.

    Raises:
        LLMError: the provider cannot be built (no key, an unknown name, a bad setting).

    Examples:
        >>> generator = build_generator(SystemSpec(provider="offline"))
        >>> generator.offline, generator.provider
        (True, None)
        >>> generator = build_generator(SystemSpec(provider="llamacpp", model="smollm2", concurrency=2))
        >>> generator.provider.PROVIDER_NAME, generator.writer.limiter.limiter.concurrency
        ('llamacpp', 2)
    """
    writer = writer_for(spec.provider, model=spec.model, base_url=spec.base_url, max_tokens=spec.max_tokens)
    if isinstance(writer, ModelWriter):
        writer.limiter = CoveredAttempts(build_limiter(spec))
    return DocGenerator(writer=writer)


def build_provider(spec: Judge) -> LLMProvider:
    """The provider of a suite's judge (the ``LLM_*`` environment fills what the suite leaves out).

    Building the provider makes no call.

    Args:
        spec: the suite's judge: its provider and model (``None``: ``LLM_MODEL``, else the
            provider's default).

    Returns:
        the judge's :class:`~codescribe.llm.providers.base.LLMProvider`.

    Raises:
        LLMError: the provider cannot be built (no key, an unknown name, a bad setting).

    Examples:
        >>> build_provider(Judge(provider="llamacpp", model="smollm2")).PROVIDER_NAME
        'llamacpp'
    """
    return create_provider_from_env(None, provider=spec.provider, model=spec.model)


def build_limiter(spec: SystemSpec | Judge) -> SystemLimiter:
    """The limits a system (or the judge) puts on its calls: see :class:`SystemLimiter`.

    Args:
        spec: the system or the judge: its ``concurrency``, ``rpm`` (calls a minute; ``None`` for no
            rate limit) and ``adaptive_concurrency``.

    Returns:
        a new :class:`SystemLimiter` with those limits.

    Examples:
        >>> limiter = build_limiter(SystemSpec(provider="offline", concurrency=8, rpm=50, adaptive_concurrency=True))
        >>> limiter.concurrency, limiter.adaptive
        (8, True)
    """
    return SystemLimiter(spec.concurrency, spec.rpm, adaptive=spec.adaptive_concurrency)


@dataclass(frozen=True)
class RunSetup:
    """What a run is made of: its suite, corpus files and folders.

    Attributes:
        suite: the suite being run.
        run_id: the run's id.
        files: the corpus files the suite selected; a :class:`SampleKey`'s ``file`` indexes them.
        corpus_dir: the corpus folder the files' paths are relative to.
        run_dir: the run's folder, holding its store (``run.sqlite``).
        cache_dir: the response cache's folder (used when the suite sets ``cache: true``).
    """

    suite: Suite
    run_id: str
    files: list[CorpusFile]
    corpus_dir: Path
    run_dir: Path
    cache_dir: Path


#: The judge's name wherever systems are named (limiters, budget reservations).
JUDGE = "judge"
#: The record field that holds ``{retry key: cost}`` for the reservations a sample's retries made
#: (:meth:`~codescribe.llm.attempts.CallAttempts.settlement`); ``None`` counts the worst case.
RETRY_RESERVATIONS = "retry_reservations"
#: The generated document, in a record on its way to the runner (stored apart from the record).
DOCUMENT_FIELD = "document"


class SampleExecutor:
    """Makes the record of a sample; never raises for a failed call or a bad file (they are recorded).

    Building one builds every system's generator and the judge's provider, so a missing key fails
    here, before any sample runs.

    Args:
        setup: the run: its suite, corpus files and folders.
        judge_limiter: the limiter the judge's calls go through; ``None``: a new one from the
            suite's judge (see :func:`build_limiter`), or none when the suite has no judge.

    Raises:
        LLMError: a system's or the judge's provider cannot be built (no key, an unknown name).

    Examples:
        >>> import tempfile
        >>> from codescribe.evals.corpus import CorpusFile
        >>> folder = tempfile.TemporaryDirectory()
        >>> root = Path(folder.name)
        >>> _ = (root / "add.py").write_text("def add(a: int, b: int) -> int:\\n    return a + b\\n")
        >>> suite = Suite.model_validate({"name": "demo", "systems": [{"provider": "offline"}]})
        >>> files = [CorpusFile(path="add.py", language="python")]
        >>> executor = SampleExecutor(RunSetup(suite, "demo-1", files, root, root / "run", root / "cache"))
        >>> sorted(executor.generators)
        ['offline']
        >>> folder.cleanup()
    """

    def __init__(self, setup: RunSetup, judge_limiter: SystemLimiter | None = None) -> None:
        self.setup = setup
        self.suite, self.files = setup.suite, setup.files
        self.specs = {spec.name: spec for spec in self.suite.systems}
        self.generators = {name: build_generator(spec) for name, spec in self.specs.items()}
        self.prompts = PromptSet()
        judge = self.suite.judge
        self.judge = build_provider(judge) if judge is not None else None
        self.judge_limiter = judge_limiter or (build_limiter(judge) if judge is not None else None)
        self._judge_attempts = CoveredAttempts(self.judge_limiter)
        self._inputs: dict[tuple[int, bool], tuple[str, str, bool]] = {}
        self.response_cache = ContentCache(setup.cache_dir)

    def providers(self) -> dict[str, LLMProvider]:
        """The providers the run pays for, by system name, and the judge's as :data:`JUDGE`.

        Returns:
            a dict from system name (or :data:`JUDGE`) to its provider; offline systems, which make
            no call, are left out.

        Examples:
            >>> suite = Suite.model_validate({"name": "demo", "systems": [{"provider": "offline"}]})
            >>> SampleExecutor(RunSetup(suite, "demo-1", [], Path("."), Path("run"), Path("cache"))).providers()
            {}
        """
        providers = {name: g.provider for name, g in self.generators.items() if g.provider is not None}
        if self.judge is not None:
            providers[JUDGE] = self.judge
        return providers

    async def aclose(self) -> None:
        """Close the providers' async clients (before the event loop ends).

        Examples:
            >>> import asyncio
            >>> suite = Suite.model_validate({"name": "demo", "systems": [{"provider": "offline"}]})
            >>> executor = SampleExecutor(RunSetup(suite, "demo-1", [], Path("."), Path("run"), Path("cache")))
            >>> asyncio.run(executor.aclose())
        """
        for generator in self.generators.values():
            await generator.writer.aclose()
        if self.judge is not None:
            await self.judge.aclose()

    async def run(self, key: SampleKey, reserve: Reserve, settle: Settle | None = None) -> dict[str, Any]:
        """Run one sample: read the file, generate (or take the cached answer), score it, judge it.

        A failed call or an unreadable file is recorded, not raised. When the suite has a
        ``budget_usd``, a call that costs money (no cached answer, not the offline engine) goes only
        if ``reserve`` grants it; the rubric judge's call is reserved the same way, under
        :func:`judge_key`.

        Args:
            key: the sample to run.
            reserve: ``await reserve(sample_id, system_name, prompt_tokens, calls)``: whether the
                budget allows the calls (see :data:`Reserve`), given the rendered prompts' length.
            settle: ``settle(sample_id, cost_usd, True)`` is called once the sample's answer is
                in, before its judge call is reserved, so that the judge is not refused over the
                worst case its own sample no longer holds; ``None`` to settle everything afterwards.

        Returns:
            the sample's record: the fields of :func:`base_record`, then ``status``: ``"ok"`` with
            the measures (``quality``, ``grade``, ``breakdown``, ``truthfulness``, ``completeness``,
            ``bleu``, ``rouge_l``, tokens, ``cost_usd`` in USD, ``latency_ms`` and ``ttft_ms`` in
            milliseconds, ``retries``, ``response_cached`` ...), the document under
            :data:`DOCUMENT_FIELD` when the suite keeps documents, and ``judge_score`` (1-5, or
            ``None``), ``judge_cost_usd`` and ``judge_error`` with a rubric judge; or ``"error"``
            with ``error_type`` (``"INPUT"`` or the :class:`~codescribe.llm.ErrorType` value) and
            ``error``; or ``"over_budget"`` with ``error_type`` ``"BUDGET"``.

        Raises:
            KeyError: ``key.system`` is not a system of the suite.
            IndexError: ``key.file`` is not an index of the run's files.

        Examples:
            >>> import asyncio, tempfile
            >>> from codescribe.evals.corpus import CorpusFile
            >>> folder = tempfile.TemporaryDirectory()
            >>> root = Path(folder.name)
            >>> _ = (root / "add.py").write_text("def add(a: int, b: int) -> int:\\n    return a + b\\n")
            >>> suite = Suite.model_validate({"name": "demo", "systems": [{"provider": "offline"}]})
            >>> files = [CorpusFile(path="add.py", language="python")]
            >>> executor = SampleExecutor(RunSetup(suite, "demo-1", files, root, root / "run", root / "cache"))
            >>> async def allow(sample_id: str, system: str, prompt_tokens: int, calls: int) -> bool:
            ...     return True
            >>> record = asyncio.run(executor.run(SampleKey("offline", "readme", 0, 0), allow))
            >>> record["sample_id"], record["status"], record["cost_usd"], DOCUMENT_FIELD in record
            ('offline|readme|add.py|0', 'ok', 0.0, True)
            >>> folder.cleanup()
        """
        file, generator = self.files[key.file], self.generators[key.system]
        base = base_record(self.suite, self.setup.run_id, self.files, key)
        sample_id = base["sample_id"]
        try:
            original, code, compare = self._input(key)
        except OSError as exc:
            return {**base, "status": "error", "error_type": "INPUT", "error": str(exc)}
        cached = self._cached(key, code, generator) if self.suite.cache else None
        paid = cached is None and not generator.offline  # a call is made, which may be billed
        doc_type, filename = key.doc_type, Path(file.path).name
        try:  # the budget holds what the rendered prompts may cost, not what the file's length suggests
            size = generator.prompt_size(code, doc_type=doc_type, filename=filename) if paid else (0, 0)
        except ValueError as exc:
            return {**base, "status": "error", "error_type": "INPUT", "error": str(exc)}
        if paid and not await reserve(sample_id, key.system, *size):
            return {**base, "status": "over_budget", "error_type": "BUDGET", "error": "the suite's budget_usd"}
        retries = generator.provider.config.max_retries if generator.provider is not None else None
        attempts = CallAttempts(sample_id, _retry_of(reserve, key.system, size[0]), retries) if paid else None
        started = time.perf_counter()
        try:
            with attempts_of(attempts):
                if cached is not None:
                    result = cached
                elif self.suite.stream:
                    result = await generator.agenerate_documentation_streaming(
                        code, _ignore, doc_type=doc_type, filename=filename
                    )
                else:
                    result = await generator.agenerate_documentation(code, doc_type=doc_type, filename=filename)
        except LLMError as exc:
            used = exc.metadata  # a call that failed part way may still be billed: its use is kept
            return {
                **base,
                **_retries_settled(attempts, exc, settle),
                "status": "error",
                "error_type": exc.error_type.value,
                "error": str(exc),
                "billed": failed_cost(exc)[0],  # the budget counts it, at its reservation when the cost is unknown
                "retries": exc.retries,
                "latency_ms": (time.perf_counter() - started) * 1000,
                **(
                    {"input_tokens": used.input_tokens, "output_tokens": used.output_tokens, "cost_usd": used.cost_usd}
                    if used is not None
                    else {}
                ),
            }
        except (ValueError, OSError) as exc:
            return {**base, "status": "error", "error_type": "INPUT", "error": str(exc)}
        if self.suite.cache and cached is None and result.error is None:  # a refused rewrite is asked again
            self._remember(key, code, generator, result)
        record = {
            **base,
            **_measures(result, original if compare else None, cached=cached is not None),
            **_retries_settled(attempts, None, settle),
        }
        if self.suite.keep_documents:
            record[DOCUMENT_FIELD] = result.documentation  # the runner stores it apart
        if self.judge is not None and self.suite.judge is not None and self.suite.judge.mode == "rubric":
            if settle is not None and cached is None:
                settle(sample_id, record.get("cost_usd"), True)
            judged = await self._judge(sample_id, key, original, result, reserve, settle=settle)
            retried = {**record.pop(RETRY_RESERVATIONS, {}), **judged.pop(RETRY_RESERVATIONS, {})}
            record.update(judged, **({RETRY_RESERVATIONS: retried} if retried else {}))
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
        self, sample_id: str, key: SampleKey, code: str, result: DocResult, reserve: Reserve, *, settle: Settle | None
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
        if not await reserve(judge_key(sample_id), JUDGE, max_prompt_tokens(system, user), 1):
            return {"judge_score": None, "judge_error": "BUDGET"}
        retry = _retry_of(reserve, JUDGE, max_prompt_tokens(system, user))
        attempts = CallAttempts(judge_key(sample_id), retry, self.judge.config.max_retries)
        try:
            with attempts_of(attempts):
                answer = await self.judge.agenerate(user, system_prompt=system, limiter=self._judge_attempts)
        except LLMError as exc:  # a call that failed part way may still be billed: its cost is kept
            billed, cost = failed_cost(exc)
            return {
                "judge_score": None,
                "judge_error": exc.error_type.value,
                **({"judge_cost_usd": cost} if billed else {}),
                **_retries_settled(attempts, exc, settle),
            }
        score = parse_judge_score(answer.text)
        return {
            "judge_score": score,
            "judge_cost_usd": answer.metadata.cost_usd,
            **({"judge_error": "UNPARSED"} if score is None else {}),
            **_retries_settled(attempts, None, settle),
        }

    def _cache_key(self, key: SampleKey, code: str, generator: DocGenerator) -> str:
        return response_key(generator, key.doc_type, Path(self.files[key.file].path).name, code)

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
    """The id of a sample in records and the run's store: ``system|doc_type|file path|repeat``.

    Args:
        key: the sample.
        file: the corpus file ``key.file`` indexes.

    Returns:
        the id, its four parts joined by ``|``.

    Examples:
        >>> from codescribe.evals.corpus import CorpusFile
        >>> sample_id(SampleKey("offline", "readme", 0, 1), CorpusFile(path="py/add.py", language="python"))
        'offline|readme|py/add.py|1'
    """
    return f"{key.system}|{key.doc_type}|{file.path}|{key.repeat}"


def judge_key(sample_id: str) -> str:
    """The key of the budget reservation of a sample's judge call.

    Args:
        sample_id: the sample's id (see :func:`sample_id`).

    Returns:
        ``sample_id`` followed by ``|judge``.

    Examples:
        >>> judge_key("offline|readme|py/add.py|0")
        'offline|readme|py/add.py|0|judge'
    """
    return f"{sample_id}|{JUDGE}"


def base_record(suite: Suite, run_id: str, files: list[CorpusFile], key: SampleKey) -> dict[str, Any]:
    """What every record of ``key`` says, whatever became of the sample.

    Args:
        suite: the run's suite.
        run_id: the run's id.
        files: the run's corpus files; ``key.file`` indexes them.
        key: the sample.

    Returns:
        a dict with ``run_id``, ``suite`` (its name), ``sample_id``, ``system``, ``provider``,
        ``model``, ``doc_type``, ``file`` (the path), ``language``, ``size`` and ``repeat``.

    Raises:
        IndexError: ``key.file`` is not an index of ``files``.
        ValueError: ``key.system`` names no system of ``suite``.

    Examples:
        >>> from codescribe.evals.corpus import CorpusFile
        >>> suite = Suite.model_validate({"name": "demo", "systems": [{"provider": "offline"}]})
        >>> files = [CorpusFile(path="add.py", language="python", size="small")]
        >>> record = base_record(suite, "demo-1", files, SampleKey("offline", "readme", 0, 0))
        >>> record["sample_id"], record["provider"], record["size"]
        ('offline|readme|add.py|0', 'offline', 'small')
    """
    specs = {spec.name: spec for spec in suite.systems}
    if key.system not in specs:
        raise ValueError(f"system {key.system!r} is not in the suite (its systems: {', '.join(specs)})")
    file, spec = files[key.file], specs[key.system]
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


def _retry_of(reserve: Reserve, system: str, prompt_tokens: int) -> ReserveRetry:
    """How a retry of a call of ``system`` whose prompts make at most ``prompt_tokens`` asks ``reserve``."""
    return lambda key: reserve(key, system, prompt_tokens, 1)


def _retries_settled(attempts: CallAttempts | None, error: LLMError | None, settle: Settle | None) -> dict[str, Any]:
    """The record's :data:`RETRY_RESERVATIONS` for a call that is over
    (nothing when its retries made no reservation), each settled at once through ``settle`` so that
    a judge call that follows is not refused over them."""
    costs = attempts.settlement(error) if attempts is not None else {}
    if settle is not None:
        for key, cost in costs.items():
            settle(key, cost, True)
    return {RETRY_RESERVATIONS: costs} if costs else {}


def _ignore(chunk: str) -> None:
    """Streaming is only for timing the first token: the chunks are not needed."""


def _measures(result: DocResult, original_for_overlap: str | None, *, cached: bool = False) -> dict[str, Any]:
    meta, quality = result.metadata, result.quality
    if cached:  # read from the response cache: no call was made, so it cost nothing and took no provider time
        meta = {**meta, "cost_usd": 0.0, "latency_ms": None, "ttft_ms": None, "input_tokens": 0, "output_tokens": 0}
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
        "response_cached": cached,
        "latency_ms": meta.get("latency_ms"),
        "ttft_ms": meta.get("ttft_ms"),
        "retries": meta.get("retries", 0),
        "prompt_version": meta.get("prompt_version"),
        # a rewrite that changed code, an empty or cut answer failed; what it cost still counts
        **(
            {"status": "error", "error_type": result.error_type or "REWRITE", "error": result.error}
            if result.error
            else {"error_type": None}
        ),
    }


def response_key(generator: DocGenerator, doc_type: str, filename: str, code: str) -> str:
    r"""The response cache's key for one answer: everything that changes it, and nothing secret.

    Args:
        generator: the system's generator: its writer's identity (provider, model, base URL,
            ``max_tokens``, temperature, options), its prompts' version and its context budget.
        doc_type: the document asked for.
        filename: the file's name, as the prompt gives it.
        code: the file's text.

    Returns:
        A hex SHA-256 digest (64 characters).

    Examples:
        >>> from codescribe.engine.generator import DocGenerator
        >>> offline = DocGenerator(offline=True)
        >>> response_key(offline, "api", "a.py", "x = 1") == response_key(offline, "api", "a.py", "x = 2")
        False
    """
    return cache_key(settings_key(generator), doc_type, filename, code)


def settings_key(generator: DocGenerator) -> str:
    r"""The digest of what a system's settings make of any answer: its writer's identity (provider,
    model, base URL, ``max_tokens``, temperature, options, whether from the suite or the ``LLM_*``
    environment), its prompts' version and its context budget. Nothing secret, and nothing readable.

    Args:
        generator: the system's generator.

    Returns:
        A hex SHA-256 digest (64 characters).

    Examples:
        >>> from codescribe.engine.generator import DocGenerator
        >>> settings_key(DocGenerator(offline=True)) == settings_key(DocGenerator(offline=True))
        True
    """
    return cache_key(*generator.writer.identity, generator.prompts.version, generator.context_budget_chars)
