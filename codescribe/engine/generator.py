"""``DocGenerator``: source code in, documentation and its quality report out, through any provider."""

from __future__ import annotations

import ast
import asyncio
import hashlib
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..llm.errors import LLMError
from ..llm.providers.base import AttemptLimiter, LLMProvider
from ..llm.tokens import chars_for_tokens
from ..progress import progress_bar
from .analysis import SourceError, analyze_source
from .analysis.model import FileAnalysis
from .analysis.project import ProjectAnalysis, analyze_project
from .doc_types import check_doc_type
from .offline import DocRequest
from .prompts import PromptSet
from .quality import QualityReport, score_document
from .writers import ModelWriter, OfflineWriter, Writer, writer_for

__all__ = ["DocGenerator", "DocResult", "ProjectResult"]

K = TypeVar("K")
V = TypeVar("V")

#: How many analysed files a generator remembers (least recently used go first).
ANALYSIS_MEMORY = 512
#: Rendered prompt pairs kept: the samples of an evaluation repeat (file, doc type) pairs.
PROMPT_MEMORY = 256
#: How much source (in tokens, estimated as ``codescribe.llm.tokens`` does) one prompt carries before it is cut.
DEFAULT_CONTEXT_BUDGET_TOKENS = 24_000
_FENCED = re.compile(r"```[\w+-]*\n(.*?)\n```", re.DOTALL)


@dataclass(frozen=True)
class DocResult:
    """One generated document with its quality report, analysis and metadata."""

    documentation: str
    doc_type: str
    path: str
    quality: QualityReport
    analysis: FileAnalysis
    metadata: dict[str, Any]
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view: the document, doc type, path, quality report, metadata and warnings."""
        return {
            "documentation": self.documentation,
            "doc_type": self.doc_type,
            "path": self.path,
            "quality": self.quality.to_dict(),
            "metadata": self.metadata,
            "warnings": list(self.warnings),
        }


@dataclass
class ProjectResult:
    """What documenting a project produced: results, per-file errors, cost and time."""

    results: list[DocResult] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def cost_usd(self) -> float | None:
        """USD the results cost in all; ``None`` when any result's cost is unknown (never a made-up 0)."""
        costs = [r.metadata.get("cost_usd") for r in self.results]
        return None if any(c is None for c in costs) else sum(c for c in costs if c is not None)


class DocGenerator:
    """Documents code: a writer (a model through a provider, or the offline engine) and a score.

    Args:
        provider: the provider a model writes through; default: from the ``LLM_*`` environment
            (``LLM_PROVIDER=offline`` chooses the offline engine).
        offline: write with the offline engine (no key, no network) instead of a model.
        writer: a writer of your own (see :class:`~codescribe.engine.writers.Writer`).
        prompts: a :class:`PromptSet`, or a folder of templates overriding the bundled ones.
        context_budget_tokens: the most source one prompt carries (about 4 characters a token);
            longer files are cut, with a warning.
        repo_map_tokens: the size of the repository map a project's prompts carry.
        limiter: entered around every attempt of each async provider call, retries included, and
            only the call (not the analysis, the prompts or the scoring): a semaphore, a rate
            limiter, or :class:`codescribe.evals.limits.SystemLimiter`.

    Raises:
        ValueError: more than one of ``provider``, ``offline`` and ``writer`` given.
        LLMError: no provider given and the environment's cannot be built (no key, say).
    """

    def __init__(
        self,
        provider: LLMProvider | None = None,
        *,
        offline: bool = False,
        writer: Writer | None = None,
        prompts: PromptSet | str | Path | None = None,
        context_budget_tokens: int = DEFAULT_CONTEXT_BUDGET_TOKENS,
        repo_map_tokens: int = 2_000,
        limiter: AttemptLimiter | None = None,
    ) -> None:
        if sum((provider is not None, offline, writer is not None)) > 1:
            raise ValueError("DocGenerator takes one of provider, offline=True and writer, not several.")
        self.prompts = prompts if isinstance(prompts, PromptSet) else PromptSet(prompts)
        if writer is None:
            if offline:
                writer = OfflineWriter(self.prompts)
            elif provider is not None:
                writer = ModelWriter(provider, limiter)
            else:
                writer = writer_for(None, prompts=self.prompts)
                if isinstance(writer, ModelWriter):
                    writer.limiter = limiter
        self.writer: Writer = writer
        self.context_budget_chars = chars_for_tokens(context_budget_tokens)
        self.repo_map_tokens = repo_map_tokens
        self._analyses: _Memo[tuple[str, str | None, bytes], FileAnalysis] = _Memo(ANALYSIS_MEMORY)
        self._prompts: _Memo[tuple[str, str, str | None, bytes], tuple[str, str]] = _Memo(PROMPT_MEMORY)

    @property
    def provider(self) -> LLMProvider | None:
        """The provider a model writes through (``None`` for the offline engine)."""
        return self.writer.provider if isinstance(self.writer, ModelWriter) else None

    @property
    def offline(self) -> bool:
        """Whether the offline engine writes (no key, no network, no cost)."""
        return isinstance(self.writer, OfflineWriter)

    # -- one file ------------------------------------------------------------------------

    def generate_documentation(
        self,
        code: str,
        *,
        doc_type: str = "readme",
        language: str | None = None,
        filename: str | None = None,
        enable_caching: bool | None = None,
        project: ProjectAnalysis | None = None,
    ) -> DocResult:
        """Document ``code`` as ``doc_type``.

        Args:
            code: the source text.
            doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.
            language: the language's name; default: from ``filename``'s suffix (else Python).
            filename: the file's name, for the language and the document's title.
            enable_caching: prompt caching for this call; default: the provider's setting.
            project: the project the file belongs to (its repository map goes into the prompt).

        Returns:
            the document, its quality report, the analysis and the call's metadata.

        Raises:
            ValueError: an unknown ``doc_type``.
            SourceError: the code cannot be analysed.
            LLMError: the provider call failed (after its retries).
        """
        request = self._request(code, doc_type, language, filename, project)
        return self._complete(request, self._generate(request, enable_caching, None))

    def generate_documentation_streaming(
        self,
        code: str,
        on_chunk: Callable[[str], None],
        *,
        doc_type: str = "readme",
        language: str | None = None,
        filename: str | None = None,
        enable_caching: bool | None = None,
        project: ProjectAnalysis | None = None,
    ) -> DocResult:
        """Like :meth:`generate_documentation`, streaming the text to ``on_chunk`` as it arrives."""
        request = self._request(code, doc_type, language, filename, project)
        return self._complete(request, self._generate(request, enable_caching, on_chunk))

    async def agenerate_documentation(
        self,
        code: str,
        *,
        doc_type: str = "readme",
        language: str | None = None,
        filename: str | None = None,
        enable_caching: bool | None = None,
        project: ProjectAnalysis | None = None,
    ) -> DocResult:
        """The async twin of :meth:`generate_documentation`."""
        request = self._request(code, doc_type, language, filename, project)
        return self._complete(request, await self._agenerate(request, enable_caching))

    async def agenerate_documentation_streaming(
        self,
        code: str,
        on_chunk: Callable[[str], Any],
        *,
        doc_type: str = "readme",
        language: str | None = None,
        filename: str | None = None,
        enable_caching: bool | None = None,
        project: ProjectAnalysis | None = None,
    ) -> DocResult:
        """The async twin of :meth:`generate_documentation_streaming`; ``on_chunk`` may be async."""
        request = self._request(code, doc_type, language, filename, project)
        return self._complete(request, await self._agenerate(request, enable_caching, on_chunk))

    def rescore(
        self, code: str, documentation: str, doc_type: str, filename: str, metadata: dict[str, Any]
    ) -> DocResult:
        """A result for a document generated earlier (a cached answer), scored afresh."""
        request = self._request(code, doc_type, None, filename, None)
        return self._complete(request, (documentation, metadata))

    # -- a project ----------------------------------------------------------------------------

    def document_project(
        self,
        path: str | Path,
        *,
        doc_types: Sequence[str] = ("module",),
        concurrency: int = 4,
        include: Iterable[str] = (),
        exclude: Iterable[str] = (),
        progress: bool = False,
        on_result: Callable[[DocResult], object] | None = None,
    ) -> ProjectResult:
        """Document every file of a project, in an event loop of its own; see :meth:`adocument_project`."""

        async def run_and_close() -> ProjectResult:
            try:
                return await self.adocument_project(
                    path,
                    doc_types=doc_types,
                    concurrency=concurrency,
                    include=include,
                    exclude=exclude,
                    progress=progress,
                    on_result=on_result,
                )
            finally:
                await self.writer.aclose()  # a provider's async client belongs to this event loop

        return asyncio.run(run_and_close())

    async def adocument_project(
        self,
        path: str | Path,
        *,
        doc_types: Sequence[str] = ("module",),
        concurrency: int = 4,
        include: Iterable[str] = (),
        exclude: Iterable[str] = (),
        progress: bool = False,
        on_result: Callable[[DocResult], object] | None = None,
    ) -> ProjectResult:
        """Document a project in dependency order, ``concurrency`` calls at a time.

        A file that fails is recorded in ``errors`` and the rest go on. ``architecture`` makes
        one document for the whole project; the other doc types make one per file.
        """
        for doc_type in doc_types:
            check_doc_type(doc_type)
        started = time.perf_counter()
        project = analyze_project(path, include, exclude)
        outcome = ProjectResult(errors=dict(project.errors))
        modules = project.modules
        jobs = [
            (modules[name], doc_type)
            for doc_type in doc_types
            if doc_type != "architecture"
            for name in project.dependency_order()
        ]
        if "architecture" in doc_types and project.files:
            jobs.append(("", "architecture"))
        bar = progress_bar(len(jobs), progress, unit="doc", desc="documenting")
        gate = asyncio.Semaphore(max(1, concurrency))

        async def run(relative: str, doc_type: str) -> None:
            async with gate:
                try:
                    result = await self.adocument(project, relative, doc_type)
                except (LLMError, SourceError, OSError, ValueError) as exc:
                    outcome.errors[f"{relative or project.root.name} [{doc_type}]"] = str(exc)
                else:
                    outcome.results.append(result)
                    if on_result is not None:
                        on_result(result)
                finally:
                    if bar is not None:
                        bar.update(1)

        try:
            await asyncio.gather(*(run(relative, doc_type) for relative, doc_type in jobs))
        finally:
            if bar is not None:
                bar.close()
        order = {key: index for index, key in enumerate(jobs)}
        outcome.results.sort(key=lambda r: order.get((r.path, r.doc_type), len(order)))
        outcome.seconds = time.perf_counter() - started
        return outcome

    async def adocument(self, project: ProjectAnalysis, relative: str, doc_type: str) -> DocResult:
        """Document one file of an analysed project (``relative`` to its root), or, for
        ``architecture``, the project itself (``relative`` is ignored)."""
        if doc_type == "architecture":
            request = DocRequest(
                "architecture",
                _merged(project),
                project.repo_map(self.repo_map_tokens),
                project,
                title=project.root.resolve().name,
            )
        else:
            source = (project.root / relative).read_text(encoding="utf-8", errors="replace")
            request = DocRequest(doc_type, project.files[relative], source, project)
        return self._complete(request, await self._agenerate(request, None))

    # -- shared machinery ---------------------------------------------------------------------

    def _request(
        self, code: str, doc_type: str, language: str | None, filename: str | None, project: ProjectAnalysis | None
    ) -> DocRequest:
        check_doc_type(doc_type)
        name = filename or f"input{_suffix(language)}"
        return DocRequest(doc_type, self._analysis(code, name, language), code, project)

    def _analysis(self, code: str, name: str, language: str | None) -> FileAnalysis:
        """Analyse once per distinct file: an evaluation asks about the same file many times."""
        return self._analyses.get((name, language, _digest(code)), lambda: analyze_source(code, name, language))

    def _messages(self, request: DocRequest) -> tuple[str, str]:
        """The (system, user) prompts; a file's are rendered once (a project's carry its repo map: not kept)."""
        if request.project is not None:
            return self.prompts.messages(request.doc_type, **self._context(request))
        key = (request.doc_type, request.analysis.path, request.analysis.language, _digest(request.source))
        return self._prompts.get(key, lambda: self.prompts.messages(request.doc_type, **self._context(request)))

    def _context(self, request: DocRequest) -> dict[str, Any]:
        code, truncated = request.source, ""
        if len(code) > self.context_budget_chars:
            truncated = f"first {self.context_budget_chars:,} of {len(code):,} characters"
            code = code[: self.context_budget_chars]
        repo_map = request.project.repo_map(self.repo_map_tokens) if request.project else ""
        return {
            "analysis": request.analysis,
            "code": code,
            "truncated": truncated,
            "repo_map": repo_map,
            "language": request.analysis.language,
        }

    def _generate(
        self, request: DocRequest, enable_caching: bool | None, on_chunk: Callable[[str], None] | None
    ) -> tuple[str, dict[str, Any]]:
        return self.writer.write(request, self._messages, enable_caching, on_chunk)

    async def _agenerate(
        self, request: DocRequest, enable_caching: bool | None, on_chunk: Callable[[str], Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        return await self.writer.awrite(request, self._messages, enable_caching, on_chunk)

    def _complete(self, request: DocRequest, generated: tuple[str, dict[str, Any]]) -> DocResult:
        text, metadata = generated
        warnings = list(request.analysis.warnings)
        if request.doc_type == "docstrings":
            text, note = _applicable_source(text, request)
            warnings += [note] if note else []
        if len(request.source) > self.context_budget_chars and not self.offline:
            warnings.append(
                f"{request.analysis.path}: truncated to {self.context_budget_chars:,} characters "
                "for the model's context budget."
            )
        quality = score_document(text, request.analysis, request.doc_type)
        metadata = {**metadata, "doc_type": request.doc_type, "prompt_version": self.prompts.version}
        return DocResult(
            text, request.doc_type, request.analysis.path, quality, request.analysis, metadata, tuple(warnings)
        )


class _Memo(Generic[K, V]):
    """The ``size`` most recently used values, by key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``make()``, kept."""
        try:
            value = self.items[key]
        except KeyError:
            value = self.items[key] = make()
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        else:
            self.items.move_to_end(key)
        return value


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(errors="replace"), digest_size=16).digest()


def _suffix(language: str | None) -> str:
    from .analysis import LANGUAGES

    return next((suffix for suffix, name in LANGUAGES.items() if name == language), ".py")


def _applicable_source(text: str, request: DocRequest) -> tuple[str, str | None]:
    """The rewritten source from a docstrings answer, or the original when the rewrite would break it."""
    blocks = _FENCED.findall(text)
    candidate = max(blocks, key=len) if blocks else text
    if request.analysis.language != "python":
        return candidate.rstrip() + "\n", None
    try:
        ast.parse(candidate)
    except SyntaxError as exc:
        return request.source, (
            f"{request.analysis.path}: the model's rewrite did not parse (line {exc.lineno}); "
            "the original source was kept."
        )
    return candidate.rstrip() + "\n", None


def _merged(project: ProjectAnalysis) -> FileAnalysis:
    """One analysis holding every file's names: what an architecture document may mention."""
    files = list(project.files.values())
    return FileAnalysis(
        path=project.root.resolve().name,
        language=files[0].language if files else "python",
        functions=tuple(f for a in files for f in a.functions),
        classes=tuple(c for a in files for c in a.classes),
        imports=tuple(i for a in files for i in a.imports),
        exports=tuple(sorted({*project.modules, *(e for a in files for e in a.exports)})),
        module_docstring=next((a.module_docstring for a in files if a.module_docstring), None),
    )
