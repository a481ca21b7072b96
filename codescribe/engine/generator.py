"""``DocGenerator``: source code in, documentation and its quality report out, through any provider."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..llm.errors import ErrorType, LLMError
from ..llm.providers.base import AttemptLimiter, LLMProvider
from ..llm.stops import CUT
from ..llm.tokens import chars_for_tokens, max_prompt_tokens
from ..llm.types import GenerationMetadata
from ..progress import get_logger, progress_bar
from .analysis import LANGUAGES, MAX_ANALYSED_CHARS, SourceError, analyze_source, read_source
from .analysis.manifest import Manifest, import_binding, read_manifest
from .analysis.model import FileAnalysis
from .analysis.packages import edges_graph
from .analysis.project import ProjectAnalysis, analyze_project, is_support_file
from .analysis.treesitter import SUPPORTED_LANGUAGES
from .cpu import off_the_loop
from .doc_types import check_doc_type
from .offline import DocRequest
from .pieces import join_answers, split_request
from .prompts import PromptSet
from .quality import QualityReport, score_document
from .rewrite import CodeChangedError, apply_answer, syntax_error
from .writers import ModelWriter, OfflineWriter, Writer, writer_for

__all__ = ["DocGenerator", "DocResult", "ProjectResult", "merged_analysis", "planned_documents"]

log = get_logger("codescribe")

K = TypeVar("K")
V = TypeVar("V")

#: How many analysed files a generator remembers (least recently used go first).
ANALYSIS_MEMORY = 512
#: Rendered prompt pairs kept: the samples of an evaluation repeat (file, doc type) pairs.
PROMPT_MEMORY = 256
#: How much source (in tokens, estimated as ``codescribe.llm.tokens`` does) one prompt carries before it is cut.
DEFAULT_CONTEXT_BUDGET_TOKENS = 24_000


@dataclass(frozen=True)
class DocResult:
    """One generated document with its quality report, analysis and metadata.

    Attributes:
        documentation: the document: Markdown, or for ``docstrings`` the rewritten source.
        doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.
        path: the file's path as analysed (for ``architecture``, the project folder's name).
        quality: the document's score against the rubric of its doc type.
        analysis: what analysis found in the code.
        metadata: the writer's metadata (the keys of :class:`~codescribe.llm.types.GenerationMetadata`:
            provider, model, tokens, ``cost_usd``, ``latency_ms`` ...) plus ``doc_type`` and ``prompt_version``.
        warnings: notes for people: analysis warnings, a source cut to the context budget.
        error: why the document cannot be used, or ``None``: a docstrings rewrite that changed
            code (``documentation`` is then the original source, unchanged), a model's answer that
            was empty or cut at the output limit. Such a document counts as failed; nothing of it is
            written or cached.
        error_type: what kind of failure ``error`` is: ``REWRITE`` (a rewrite refused), ``EMPTY``
            (the model answered nothing), ``TRUNCATED`` (the answer stopped at ``max_tokens``);
            ``None`` when there is no error.
    """

    documentation: str
    doc_type: str
    path: str
    quality: QualityReport
    analysis: FileAnalysis
    metadata: dict[str, Any]
    warnings: tuple[str, ...] = ()
    error: str | None = None
    error_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        r"""A JSON-ready view: the document, doc type, path, quality report, metadata and warnings.

        Returns:
            A dict with keys ``documentation``, ``doc_type``, ``path``, ``quality`` (the report's own
            dict), ``metadata``, ``warnings`` (a list) and ``error``; the analysis is left out.

        Examples:
            >>> result = DocGenerator(offline=True).generate_documentation("X = 1\n", filename="calc.py")
            >>> sorted(result.to_dict())
            ['doc_type', 'documentation', 'error', 'metadata', 'path', 'quality', 'warnings']
        """
        return {
            "documentation": self.documentation,
            "doc_type": self.doc_type,
            "path": self.path,
            "quality": self.quality.to_dict(),
            "metadata": self.metadata,
            "warnings": list(self.warnings),
            "error": self.error,
        }


@dataclass
class ProjectResult:
    """What documenting a project produced: results, per-file errors, cost and time.

    Attributes:
        results: the documents, in the order they were asked for (dependency order per doc type,
            the architecture document last).
        errors: what could not be documented: ``"<path> [<doc type>]"`` (or a bare path for a file
            that could not be analysed) with the reason.
        refused: documents written but refused (a docstrings rewrite that changed code), also in
            ``errors``: what they cost counts.
        seconds: wall-clock time the run took, in seconds.
        skipped_folders: folders left out as build output, an environment or vendored code, by path
            relative to the project, with what they hold
            (:attr:`~codescribe.engine.analysis.project.ProjectAnalysis.skipped_folders`).
    """

    results: list[DocResult] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    refused: list[DocResult] = field(default_factory=list)
    seconds: float = 0.0
    skipped_folders: dict[str, str] = field(default_factory=dict)

    @property
    def cost_usd(self) -> float | None:
        """What the results cost in all, in US dollars.

        Returns:
            The sum of the results' (and the refused documents') ``cost_usd``; ``None`` when any
            one's cost is unknown (never a made-up 0); ``0`` when there are none.

        Examples:
            >>> ProjectResult().cost_usd
            0
        """
        costs = [r.metadata.get("cost_usd") for r in (*self.results, *self.refused)]
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

    Attributes:
        prompts: the templates in use.
        writer: who writes the documents.
        context_budget_chars: ``context_budget_tokens`` in characters (4 a token).
        repo_map_tokens: as given.

    Raises:
        ValueError: more than one of ``provider``, ``offline`` and ``writer`` given.
        FileNotFoundError: ``prompts`` names a folder that does not exist.
        LLMError: no provider given and the environment's cannot be built (no key, say).

    Examples:
        >>> generator = DocGenerator(offline=True)
        >>> generator.offline, generator.provider
        (True, None)
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
        """The provider a model writes through.

        Returns:
            The :class:`~codescribe.llm.providers.base.LLMProvider` of a model writer; ``None`` for the
            offline engine or a writer of your own.

        Examples:
            >>> DocGenerator(offline=True).provider is None
            True
        """
        return self.writer.provider if isinstance(self.writer, ModelWriter) else None

    @property
    def offline(self) -> bool:
        """Whether the offline engine writes (no key, no network, no cost).

        Returns:
            ``True`` when the writer is an :class:`~codescribe.engine.writers.OfflineWriter`.

        Examples:
            >>> DocGenerator(offline=True).offline
            True
        """
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
        r"""Document ``code`` as ``doc_type``, and score the document.

        The analysis of each distinct file (the last 512) and, without a ``project``, its rendered
        prompts (the last 256) are remembered, so asking again about the same code does not redo
        them. For ``docstrings``, the answer's documentation is merged into ``code``
        (:func:`~codescribe.engine.rewrite.apply_answer`); an answer that changes code is refused:
        the result's ``error`` says why and its ``documentation`` is ``code`` unchanged.

        Args:
            code: the source text.
            doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.
            language: the language's name (``python``, ``typescript`` ...); ``None``: from
                ``filename``'s suffix, or Python when there is no ``filename``.
            filename: the file's path, for the language and the document's title; ``None``:
                ``input`` with the language's suffix.
            enable_caching: prompt caching for this call; ``None``: the provider's setting.
            project: the project the file belongs to (its repository map goes into the prompt);
                ``None`` for a lone file.

        Returns:
            The document, its quality report, the analysis and the call's metadata.

        Raises:
            ValueError: an unknown ``doc_type``.
            SourceError: ``language``, or without it ``filename``'s suffix, names none CodeScribe reads.
            LLMError: the provider call failed (after its retries).

        Examples:
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> result = DocGenerator(offline=True).generate_documentation(code, doc_type="api", filename="calc.py")
            >>> result.path, result.doc_type, result.metadata["provider"], result.metadata["cost_usd"]
            ('calc.py', 'api', 'offline', 0.0)
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
        r"""Like :meth:`generate_documentation`, streaming the text to ``on_chunk`` as it arrives.

        Args:
            code: the source text.
            on_chunk: called with each piece of text as the writer produces it (the offline
                engine calls it once, with the whole text).
            doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.
            language: the language's name (``python``, ``typescript`` ...); ``None``: from
                ``filename``'s suffix, or Python when there is no ``filename``.
            filename: the file's path, for the language and the document's title; ``None``:
                ``input`` with the language's suffix.
            enable_caching: prompt caching for this call; ``None``: the provider's setting.
            project: the project the file belongs to (its repository map goes into the prompt);
                ``None`` for a lone file.

        Returns:
            The document, its quality report, the analysis and the call's metadata.

        Raises:
            ValueError: an unknown ``doc_type``.
            SourceError: ``language``, or without it ``filename``'s suffix, names none CodeScribe reads.
            LLMError: the provider call failed (after its retries).

        Examples:
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> chunks = []
            >>> generator = DocGenerator(offline=True)
            >>> result = generator.generate_documentation_streaming(code, chunks.append, filename="calc.py")
            >>> "".join(chunks) == result.documentation
            True
        """
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
        r"""The async twin of :meth:`generate_documentation`.

        Args:
            code: the source text.
            doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.
            language: the language's name (``python``, ``typescript`` ...); ``None``: from
                ``filename``'s suffix, or Python when there is no ``filename``.
            filename: the file's path, for the language and the document's title; ``None``:
                ``input`` with the language's suffix.
            enable_caching: prompt caching for this call; ``None``: the provider's setting.
            project: the project the file belongs to (its repository map goes into the prompt);
                ``None`` for a lone file.

        Returns:
            The document, its quality report, the analysis and the call's metadata.

        Raises:
            ValueError: an unknown ``doc_type``.
            SourceError: ``language``, or without it ``filename``'s suffix, names none CodeScribe reads.
            LLMError: the provider call failed (after its retries).

        Examples:
            >>> import asyncio
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> result = asyncio.run(DocGenerator(offline=True).agenerate_documentation(code, filename="calc.py"))
            >>> result.doc_type, result.quality.doc_type
            ('readme', 'readme')
        """
        # analysis and scoring are CPU work: on a worker thread, the event loop serves others meanwhile
        request = await off_the_loop(len(code), self._request, code, doc_type, language, filename, project)
        generated = await self._agenerate(request, enable_caching)
        return await off_the_loop(len(code) + len(generated[0]), self._complete, request, generated)

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
        r"""The async twin of :meth:`generate_documentation_streaming`; ``on_chunk`` may be async.

        Args:
            code: the source text.
            on_chunk: called with each piece of text as the writer produces it; awaited when it
                returns an awaitable.
            doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.
            language: the language's name (``python``, ``typescript`` ...); ``None``: from
                ``filename``'s suffix, or Python when there is no ``filename``.
            filename: the file's path, for the language and the document's title; ``None``:
                ``input`` with the language's suffix.
            enable_caching: prompt caching for this call; ``None``: the provider's setting.
            project: the project the file belongs to (its repository map goes into the prompt);
                ``None`` for a lone file.

        Returns:
            The document, its quality report, the analysis and the call's metadata.

        Raises:
            ValueError: an unknown ``doc_type``.
            SourceError: ``language``, or without it ``filename``'s suffix, names none CodeScribe reads.
            LLMError: the provider call failed (after its retries).

        Examples:
            >>> import asyncio
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> chunks = []
            >>> async def on_chunk(text):
            ...     chunks.append(text)
            >>> generator = DocGenerator(offline=True)
            >>> result = asyncio.run(generator.agenerate_documentation_streaming(code, on_chunk, filename="calc.py"))
            >>> chunks == [result.documentation]
            True
        """
        request = await off_the_loop(len(code), self._request, code, doc_type, language, filename, project)
        generated = await self._agenerate(request, enable_caching, on_chunk)
        return await off_the_loop(len(code) + len(generated[0]), self._complete, request, generated)

    def rescore(
        self, code: str, documentation: str, doc_type: str, filename: str, metadata: dict[str, Any]
    ) -> DocResult:
        r"""A result for a document generated earlier (a cached answer), scored afresh; nothing is called.

        Args:
            code: the source text the document was written for.
            documentation: the document as the writer returned it (for ``docstrings``, merged into
                ``code`` as :meth:`generate_documentation` does).
            doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.
            filename: the file's path; its suffix names the language.
            metadata: the original call's metadata; ``doc_type`` and ``prompt_version`` are set anew.

        Returns:
            The result, with a fresh quality report.

        Raises:
            ValueError: an unknown ``doc_type``.
            SourceError: ``filename``'s suffix names no language CodeScribe reads.

        Examples:
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> result = DocGenerator(offline=True).rescore(code, "# calc\n", "readme", "calc.py", {"cost_usd": 0.01})
            >>> sorted(result.metadata), result.quality.doc_type
            (['cost_usd', 'doc_type', 'prompt_version'], 'readme')
        """
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
        r"""Document every file of a project, in an event loop of its own; see :meth:`adocument_project`.

        The writer's async resources (a provider's async client) are closed when the run ends.

        Args:
            path: the project's folder (or one file).
            doc_types: the doc types to write; each file gets one document per doc type except
                ``architecture``, which makes one document for the whole project.
            concurrency: how many documents are written at a time (at least 1).
            include: glob patterns of the files to document, relative to ``path``; empty for all.
            exclude: glob patterns of files to leave out, on top of
                :data:`~codescribe.engine.analysis.project.DEFAULT_EXCLUDES`.
            progress: show a progress bar.
            on_result: called with each result as it is ready (completion order); ``None`` for none.
                An ``OSError`` it raises (the document could not be written) fails that document,
                named in the errors; whatever else it raises ends the run and propagates.

        Returns:
            The results, the errors by file and doc type, the cost and the time taken.

        Raises:
            ValueError: a doc type that is not one of :data:`~codescribe.engine.doc_types.DOC_TYPES`
                (checked before anything runs).
            SourceError: ``path`` does not exist.
            RuntimeError: called from a running event loop (use :meth:`adocument_project` there).

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> folder = tempfile.TemporaryDirectory()
            >>> _ = (Path(folder.name) / "calc.py").write_text("def add(a, b):\n    return a + b\n")
            >>> outcome = DocGenerator(offline=True).document_project(folder.name, doc_types=["module", "api"])
            >>> [(result.path, result.doc_type) for result in outcome.results], outcome.errors
            ([('calc.py', 'module'), ('calc.py', 'api')], {})
            >>> folder.cleanup()
        """

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
        r"""Document a project in dependency order, ``concurrency`` calls at a time.

        A file that fails (``LLMError``, ``SourceError``, ``OSError`` or ``ValueError``) is recorded in
        ``errors`` and the rest go on; so are files that cannot be analysed. ``architecture`` makes
        one document for the whole project; the other doc types make one per file. Unlike
        :meth:`document_project`, the writer is not closed afterwards.

        Args:
            path: the project's folder (or one file).
            doc_types: the doc types to write; each file gets one document per doc type except
                ``architecture``, which makes one document for the whole project.
            concurrency: how many documents are written at a time (at least 1).
            include: glob patterns of the files to document, relative to ``path``; empty for all.
            exclude: glob patterns of files to leave out, on top of
                :data:`~codescribe.engine.analysis.project.DEFAULT_EXCLUDES`.
            progress: show a progress bar.
            on_result: called with each result as it is ready (completion order); ``None`` for none.
                An ``OSError`` it raises (the document could not be written) fails that document,
                named in the errors; whatever else it raises ends the run and propagates.

        Returns:
            The results (in the order asked for, whatever order they finished in), the errors, the
            cost and the time taken.

        Raises:
            ValueError: a doc type that is not one of :data:`~codescribe.engine.doc_types.DOC_TYPES`
                (checked before anything runs).
            SourceError: ``path`` does not exist.

        Examples:
            >>> import asyncio
            >>> import tempfile
            >>> from pathlib import Path
            >>> folder = tempfile.TemporaryDirectory()
            >>> _ = (Path(folder.name) / "calc.py").write_text("def add(a, b):\n    return a + b\n")
            >>> outcome = asyncio.run(DocGenerator(offline=True).adocument_project(folder.name))
            >>> [(result.path, result.doc_type) for result in outcome.results], outcome.cost_usd
            ([('calc.py', 'module')], 0.0)
            >>> folder.cleanup()
        """
        for doc_type in doc_types:
            check_doc_type(doc_type)
        started = time.perf_counter()
        project = analyze_project(path, include, exclude)
        outcome = ProjectResult(errors=dict(project.errors), skipped_folders=dict(project.skipped_folders))
        jobs = planned_documents(project, doc_types, folder=Path(path).is_dir())
        bar = progress_bar(len(jobs), progress, unit="doc", desc="documenting")
        gate = asyncio.Semaphore(max(1, concurrency))

        async def run(relative: str, doc_type: str) -> None:
            key = f"{relative or project.root.name} [{doc_type}]"  # a project-level document: the project's name
            async with gate:
                try:
                    result = await self.adocument(project, relative, doc_type)
                except (LLMError, SourceError, OSError, ValueError) as exc:
                    outcome.errors[key] = str(exc)
                else:
                    if result.error is not None:
                        outcome.errors[key] = result.error
                        outcome.refused.append(result)
                        return
                    if on_result is not None:
                        try:
                            on_result(result)
                        except OSError as exc:  # a full disk, a read-only file: this document fails, the batch goes on
                            outcome.errors[key] = f"not written: {exc}"
                            return
                    outcome.results.append(result)
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
        r"""Document one file of an analysed project, or, for ``architecture``, the project itself.

        The file is read again from disk (as UTF-8, undecodable bytes replaced); its analysis comes
        from ``project``. An architecture document is written from the project's repository map and
        one analysis holding every file's names; its ``path`` is the project folder's name.

        Args:
            project: the analysed project.
            relative: the file's path relative to the project's root, as a key of ``project.files``
                (ignored for ``architecture``).
            doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES` (not checked here: see Raises).

        Returns:
            The document, its quality report, the analysis and the call's metadata.

        Raises:
            OSError: the file cannot be read.
            KeyError: ``relative`` is not one of the project's analysed files.
            ValueError: an unknown ``doc_type`` (a model writer's prompts reject it; the offline
                engine raises ``jinja2.TemplateNotFound`` instead).
            LLMError: the provider call failed (after its retries).

        Examples:
            >>> import asyncio
            >>> from codescribe.engine.analysis.project import analyze_project
            >>> import tempfile
            >>> from pathlib import Path
            >>> folder = tempfile.TemporaryDirectory()
            >>> _ = (Path(folder.name) / "calc.py").write_text("def add(a, b):\n    return a + b\n")
            >>> project = analyze_project(folder.name)
            >>> result = asyncio.run(DocGenerator(offline=True).adocument(project, "calc.py", "api"))
            >>> result.path, result.doc_type
            ('calc.py', 'api')
            >>> folder.cleanup()
        """
        # small work (the file is analysed already), but it may parse: never beside the CPU worker
        request = await off_the_loop(0, self._project_request, project, relative, doc_type)
        generated = await self._agenerate(request, None)
        return await off_the_loop(len(request.source) + len(generated[0]), self._complete, request, generated)

    def prompt_size(
        self,
        code: str,
        *,
        doc_type: str = "readme",
        language: str | None = None,
        filename: str | None = None,
        project: ProjectAnalysis | None = None,
    ) -> tuple[int, int]:
        r"""What documenting ``code`` will send: a bound on the rendered prompts' tokens, and the number of calls.

        A budget reserves on this (:meth:`~codescribe.llm.budget.CostBudget.reserve`), not on the
        source's length: the templates, the analysis and a project's repository map can make the
        prompt far longer than the file. The arguments are :meth:`generate_documentation`'s.

        Returns:
            ``(tokens, calls)``: the most tokens the system and user prompts of every call make in all
            (:func:`~codescribe.llm.tokens.max_prompt_tokens`: their UTF-8 bytes and the chat template), and how
            many calls (more than one when a docstrings run rewrites a big file in pieces); ``(0, 0)``
            for the offline engine.

        Raises:
            ValueError: an unknown ``doc_type``.
            SourceError: the language is not one CodeScribe reads.

        Examples:
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> DocGenerator(offline=True).prompt_size(code, filename="calc.py")
            (0, 0)
        """
        return self._prompt_size(self._request(code, doc_type, language, filename, project))

    def project_prompt_size(self, project: ProjectAnalysis, relative: str, doc_type: str) -> tuple[int, int]:
        """What :meth:`adocument` will send for one file (or the project): see :meth:`prompt_size`.

        Args:
            project: the analysed project.
            relative: the file's path relative to the project's root (ignored for ``architecture``).
            doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.

        Returns:
            ``(tokens, calls)``, as :meth:`prompt_size` gives them.

        Raises:
            OSError: the file cannot be read.
            KeyError: ``relative`` is not one of the project's analysed files.
        """
        return self._prompt_size(self._project_request(project, relative, doc_type))

    def project_prompts(self, project: ProjectAnalysis, relative: str, doc_type: str) -> list[tuple[str, str]]:
        """What :meth:`adocument` will send for one file (or the project): the prompts of every call.

        A cache of the model's pages keys on them: whatever changes a prompt changes the page.

        Args:
            project: the analysed project.
            relative: the file's path relative to the project's root (ignored for ``architecture``).
            doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.

        Returns:
            ``(system prompt, user prompt)`` per call; empty for the offline engine, which sends nothing.

        Raises:
            OSError: the file cannot be read.
            KeyError: ``relative`` is not one of the project's analysed files.
        """
        return self._call_prompts(self._project_request(project, relative, doc_type))

    # -- shared machinery ---------------------------------------------------------------------

    def _prompt_size(self, request: DocRequest) -> tuple[int, int]:
        prompts = self._call_prompts(request)
        return sum(max_prompt_tokens(system, user) for system, user in prompts), len(prompts)

    def _call_prompts(self, request: DocRequest) -> list[tuple[str, str]]:
        if self.offline or self._unwritable(request):
            return []
        parts = split_request(request, self.context_budget_chars)
        requests = [request] if parts is None else [part for _, part in parts if part is not None]
        return [self._messages(part) for part in requests]

    def _project_request(self, project: ProjectAnalysis, relative: str, doc_type: str) -> DocRequest:
        if doc_type == "architecture":
            return DocRequest(
                "architecture",
                merged_analysis(project),
                project.repo_map(self.repo_map_tokens),
                project,
                title=project.root.resolve().name,
            )
        if doc_type == "readme" and not relative:
            return project_readme_request(project, self.repo_map_tokens)
        # a rewrite goes back to the file: read it exactly (byte-order mark, line endings)
        exact = doc_type == "docstrings"
        source = read_source(project.root / relative, exact=exact)[0]
        # A page documents (and is scored on) what users import from the module, re-exports
        # included (httpx.Client on httpx's page); a rewrite, the file's own definitions.
        analysis = project.files[relative] if exact else project.public_interface(relative)
        return DocRequest(doc_type, analysis, source, project)

    def _request(
        self, code: str, doc_type: str, language: str | None, filename: str | None, project: ProjectAnalysis | None
    ) -> DocRequest:
        check_doc_type(doc_type)
        name = filename or f"input{_suffix(language)}"
        return DocRequest(doc_type, self._analysis(code, name, language), code, project)

    def _analysis(self, code: str, name: str, language: str | None) -> FileAnalysis:
        """Analyse once per distinct file: an evaluation asks about the same file many times."""
        text = code.removeprefix("\ufeff")  # a rewrite's source keeps its byte-order mark; analysis does not want it
        return self._analyses.get((name, language, _digest(text)), lambda: analyze_source(text, name, language))

    def _messages(self, request: DocRequest) -> tuple[str, str]:
        """The (system, user) prompts; a file's are rendered once (a project's carry its repo map: not kept)."""
        if request.project is not None:
            return self.prompts.messages(request.doc_type, **self._context(request))
        key = (request.doc_type, request.analysis.path, request.analysis.language, _digest(request.source))
        return self._prompts.get(key, lambda: self.prompts.messages(request.doc_type, **self._context(request)))

    def _context(self, request: DocRequest) -> dict[str, Any]:
        code, truncated = request.source.removeprefix("\ufeff"), ""
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
            "part": request.extra.get("part", ""),
        }

    def _generate(
        self, request: DocRequest, enable_caching: bool | None, on_chunk: Callable[[str], None] | None
    ) -> tuple[str, dict[str, Any]]:
        if self._unwritable(request):
            return request.source, self._no_call()
        budget = self.context_budget_chars
        while True:
            parts = None if self.offline else split_request(request, budget)
            try:
                if parts is None:
                    return self.writer.write(request, self._messages, enable_caching, on_chunk)
                answers = [
                    None if part is None else self.writer.write(part, self._messages, enable_caching, on_chunk)
                    for _, part in parts
                ]
                return join_answers(request, parts, answers)
            except LLMError as exc:
                budget = _smaller_budget(exc, request, budget)

    async def _agenerate(
        self, request: DocRequest, enable_caching: bool | None, on_chunk: Callable[[str], Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        if self._unwritable(request):
            return request.source, self._no_call()
        budget = self.context_budget_chars
        while True:
            parts = None if self.offline else split_request(request, budget)
            try:
                if parts is None:
                    return await self.writer.awrite(request, self._messages, enable_caching, on_chunk)
                answers = [
                    None if part is None else await self.writer.awrite(part, self._messages, enable_caching, on_chunk)
                    for _, part in parts
                ]
                return join_answers(request, parts, answers)
            except LLMError as exc:
                budget = _smaller_budget(exc, request, budget)

    def _complete(self, request: DocRequest, generated: tuple[str, dict[str, Any]]) -> DocResult:
        text, metadata = generated
        warnings = list(request.analysis.warnings)
        error, error_type = None, None
        if not self.offline and not self._unwritable(request) and (unfinished := _unfinished(text, metadata)):
            error, error_type = f"{request.analysis.path}: {unfinished[1]}", unfinished[0]
            text = request.source if request.doc_type == "docstrings" else text  # a rewrite hands back the original
        elif request.doc_type == "docstrings":
            text, error = self._rewritten(text, request, metadata)
            error_type = "REWRITE" if error else None
        warnings += [
            f"{request.analysis.path}: {lines} hold one definition too big for the context budget by itself; "
            "left without new docstrings."
            for lines in metadata.get("skipped_pieces", ())
        ]
        if len(request.source) > self.context_budget_chars and not self.offline and request.doc_type != "docstrings":
            warnings.append(
                f"{request.analysis.path}: truncated to {self.context_budget_chars:,} characters "
                "for the model's context budget."
            )
        project = request.project
        modules = project.modules if project is not None else ()
        graph = edges_graph(project) if project is not None and request.doc_type == "architecture" else None
        quality = score_document(text, request.analysis, request.doc_type, modules=modules, graph=graph)
        metadata = {**metadata, "doc_type": request.doc_type, "prompt_version": self.prompts.version}
        return DocResult(
            text,
            request.doc_type,
            request.analysis.path,
            quality,
            request.analysis,
            metadata,
            tuple(warnings),
            error,
            error_type,
        )

    def _unwritable(self, request: DocRequest) -> str | None:
        """Why a docstrings rewrite of ``request`` cannot be taken, known before any call; else ``None``."""
        language = request.analysis.language
        if request.doc_type != "docstrings":
            return None
        if language != "python" and language not in SUPPORTED_LANGUAGES:
            return f"{request.analysis.path}: docstrings are not written for {language} files."
        if len(request.source) > MAX_ANALYSED_CHARS:  # a rewrite needs the whole file analysed
            return (
                f"{request.analysis.path}: no docstrings were added: it has {len(request.source):,} characters, more "
                f"than the {MAX_ANALYSED_CHARS:,} CodeScribe reads of a file (a bound on its memory and time); the "
                "file was left as it was. Split the file, or exclude it."
            )
        if broken := syntax_error(request.source, language):
            return (
                f"{request.analysis.path}: no docstrings were added: the {language} parser fails on it ({broken}); "
                "the file was left as it was. Fix the syntax (or exclude the file) and run again."
            )
        return None

    def _no_call(self) -> dict[str, Any]:
        """The metadata of a document no writer was asked for: nothing sent, nothing spent."""
        return GenerationMetadata(self.writer.name, self.writer.model, 0, 0, cost_usd=0.0).to_dict()

    def _rewritten(self, answer: str, request: DocRequest, metadata: dict[str, Any]) -> tuple[str, str | None]:
        """The source with the answer's documentation merged in, or the original and why it was refused."""
        who = "the offline engine" if self.offline else f"the model {metadata.get('model') or ''}".rstrip()
        if refusal := self._unwritable(request):
            return request.source, refusal
        if metadata.get("refused_pieces"):
            return request.source, (
                f"{request.analysis.path}: the rewrite by {who} was refused for "
                f"{'; '.join(metadata['refused_pieces'])}; the file was left as it was."
            )
        try:
            return apply_answer(answer, request.source, request.analysis.language), None
        except CodeChangedError as refused:
            return request.source, (
                f"{request.analysis.path}: the rewrite by {who} was refused because {refused.reason}; "
                "the file was left as it was."
            )


class _Memo(Generic[K, V]):
    """The ``size`` most recently used values, by key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()  # async callers analyse on worker threads

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``make()``, kept."""
        with self._lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()  # outside the lock: two threads may make one value twice, never wait on each other
        with self._lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


#: The smallest piece of source (in characters) a docstrings run halves its pieces down to when the model's
#: context refuses them: below it, a piece is no more than a definition or two, and the error stands.
MIN_PIECE_CHARS = 2_000


def _smaller_budget(error: LLMError, request: DocRequest, budget: int) -> int:
    """The next, halved, piece size for a docstrings request the model's context refused; else ``error`` again.

    The context budget is a guess at the model's window (``context_budget_tokens``); a local server started
    with a smaller one (llama-server's ``-c 8192``) says so with a ``CONTEXT_LENGTH`` error, and the file is
    sent again in pieces half the size, down to :data:`MIN_PIECE_CHARS`.

    Raises:
        LLMError: ``error``, when it is no context error, the request no docstrings rewrite, or the pieces
            are already as small as they go.
    """
    smaller = min(budget, len(request.source)) // 2
    if (
        error.error_type is not ErrorType.CONTEXT_LENGTH
        or request.doc_type != "docstrings"
        or smaller < MIN_PIECE_CHARS
    ):
        raise error
    log.info("%s: the model's context refused a piece; sending pieces of %s characters", request.analysis.path, smaller)
    return smaller


def _unfinished(text: str, metadata: dict[str, Any]) -> tuple[str, str] | None:
    """``(error type, why)`` when a model's answer is no finished document: empty, or cut at the output limit."""
    if not text.strip():
        why = "the model answered nothing (an empty text); nothing was written. Run again, or try another model."
        return "EMPTY", why
    if metadata.get("finish_reason") in CUT:
        if metadata.get("finish_reason") == "model_context_window_exceeded":
            return "TRUNCATED", (
                "the answer was cut where the model's context window ended; nothing was written. Use a model "
                "with a larger context, or document a smaller file."
            )
        return "TRUNCATED", (
            f"the answer was cut at the output limit ({metadata.get('output_tokens')} tokens); nothing was written. "
            "Raise LLM_MAX_TOKENS (max_tokens in a suite) and run again."
        )
    return None


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(errors="replace"), digest_size=16).digest()


def _suffix(language: str | None) -> str:
    return next((suffix for suffix, name in LANGUAGES.items() if name == language), ".py")


def planned_documents(
    project: ProjectAnalysis, doc_types: Sequence[str], *, folder: bool = True
) -> list[tuple[str, str]]:
    r"""Every document a run over ``project`` writes: ``generate``, ``estimate`` and the plugin plan with it.

    Args:
        project: the analysed project.
        doc_types: the doc types asked for.
        folder: whether the run was asked for a folder (then ``readme`` is one README for the
            project, from its manifest) rather than for one file.

    Returns:
        ``(relative path, doc type)`` pairs: each file once per per-file doc type, in dependency
        order (what a file imports first), then ``("", "readme")`` and ``("", "architecture")`` once
        for the whole project when they are asked for and the project has files.

    Examples:
        >>> from pathlib import Path
        >>> from codescribe.engine.analysis import analyze_source
        >>> from codescribe.engine.analysis.project import ProjectAnalysis
        >>> files = {name: analyze_source("x = 1\n", name) for name in ("a.py", "a.js", "a.ts")}
        >>> planned_documents(ProjectAnalysis(root=Path("p"), files=files), ["module", "architecture"])
        [('a.py', 'module'), ('a.js', 'module'), ('a.ts', 'module'), ('', 'architecture')]
    """
    modules = project.modules
    order = project.dependency_order()
    whole = {"architecture", "readme"} if folder else {"architecture"}
    jobs = [(modules[name], doc_type) for doc_type in doc_types if doc_type not in whole for name in order]
    if project.files:
        jobs += [("", doc_type) for doc_type in ("readme", "architecture") if doc_type in whole & set(doc_types)]
    return jobs


def project_readme_request(project: ProjectAnalysis, repo_map_tokens: int = 2000) -> DocRequest:
    r"""The request for a folder's README: the manifest and the repository map, with every file's names.

    Args:
        project: the analysed project.
        repo_map_tokens: the repository map's budget, in tokens.

    Returns:
        A ``readme`` request whose source is the manifest's text (when there is one) and the repo
        map, whose analysis is :func:`merged_analysis`, titled with the manifest's name (else the
        folder's), with the :class:`~codescribe.engine.analysis.manifest.Manifest` in ``extra``.

    Examples:
        >>> import tempfile
        >>> from codescribe.engine.analysis.project import analyze_project
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = Path(folder, "pyproject.toml").write_text('[project]\nname = "calc"\ndescription = "Adds."\n')
        ...     _ = Path(folder, "calc.py").write_text("def add(a, b):\n    return a + b\n")
        ...     request = project_readme_request(analyze_project(folder))
        >>> request.title, request.extra["manifest"].install, "def add(a, b)" in request.source
        ('calc', 'pip install calc', True)
    """
    manifest = read_manifest(project.root)
    parts = [(project.root / manifest.file).read_text(encoding="utf-8")[:4000]] if manifest else []
    parts.append(project.repo_map(repo_map_tokens))
    title = manifest.name if manifest else project.root.resolve().name
    # The API a README covers is the library's: tests, docs and examples are left out (unless they are all there is).
    library = [path for path in project.files if not is_support_file(path)]
    analysis = merged_analysis(project, library or None)
    if manifest:  # the package's and its commands' names are the project's too
        analysis = replace(analysis, exports=tuple(sorted({*analysis.exports, *manifest.names})))
        analysis = _package_default(project, analysis, manifest)
    return DocRequest("readme", analysis, "\n\n".join(parts), project, title=title, extra={"manifest": manifest})


def _package_default(project: ProjectAnalysis, analysis: FileAnalysis, manifest: Manifest) -> FileAnalysis:
    """The main module's default export (``module.exports = function``) under the name its users call it by
    (``ms``, after the package), as a README shows it."""
    path = manifest.main_file(project.files)
    if path is None:
        return analysis
    default = next((f for f in project.files[path].functions if f.name == "default"), None)
    if default is None:
        return analysis
    binding = import_binding(manifest.name)
    named = replace(default, name=binding, qualname=binding)
    return replace(analysis, functions=tuple(named if f is default else f for f in analysis.functions))


def merged_analysis(project: ProjectAnalysis, paths: Iterable[str] | None = None) -> FileAnalysis:
    r"""One analysis holding every file's names: what an architecture document may mention.

    Args:
        project: the analysed project.
        paths: the files to merge (relative paths); ``None`` for all of them.

    Returns:
        Every file's functions, classes and imports in one :class:`FileAnalysis`, named after the
        project's folder; its exports are the module names and every file's exports, its module
        docstring every file's, in order.

    Examples:
        >>> from pathlib import Path
        >>> from codescribe.engine.analysis import analyze_source
        >>> from codescribe.engine.analysis.project import ProjectAnalysis
        >>> files = {"a.py": analyze_source("def f():\n    pass\n", "a.py")}
        >>> merged = merged_analysis(ProjectAnalysis(root=Path("shop"), files=files))
        >>> merged.path, [f.name for f in merged.functions], merged.exports
        ('shop', ['f'], ('a', 'f'))
    """
    files = list(project.files.values()) if paths is None else [project.files[path] for path in paths]
    return FileAnalysis(
        path=project.root.resolve().name,
        language=files[0].language if files else "python",
        functions=tuple(f for a in files for f in a.functions),
        classes=tuple(c for a in files for c in a.classes),
        imports=tuple(i for a in files for i in a.imports),
        exports=tuple(sorted({*project.modules, *(e for a in files for e in a.exports)})),
        # Every module's docstring: the names they mention are the project's to repeat.
        module_docstring="\n\n".join(a.module_docstring for a in files if a.module_docstring) or None,
    )
