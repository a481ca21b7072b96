"""The ``codescribe`` MkDocs plugin: generated reference pages, regenerated only when code changes.

Hooks, in build order: ``on_startup`` (the instance survives ``mkdocs serve`` rebuilds),
``on_config`` (sources, cache and provider), ``on_files`` (plan the pages, generate what the
cache lacks, add the pages as generated files and to the nav), ``on_post_build`` (prune
stale cache entries), ``on_serve`` (watch the sources).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import posixpath
import time
from contextlib import aclosing
from dataclasses import dataclass, field
from html import unescape as html_unescape
from pathlib import Path
from typing import Any, Literal

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from ..engine.analysis.project import ProjectAnalysis, analyze_project, discover_sources
from ..engine.analysis.saved import AnalysisStore
from ..engine.atomic import write_atomically
from ..engine.cache import ForeignFolderError, cache_key
from ..engine.generator import DocGenerator, DocResult, planned_documents
from ..engine.writers import ModelWriter, OfflineWriter, Writer, writer_for
from ..llm import LLMError
from ..llm.attempts import CallAttempts, CoveredAttempts, attempts_of, earlier_keys
from ..llm.budget import CostBudget, failed_cost
from ..llm.errors import ErrorType
from ..llm.providers.base import LLMProvider
from ..progress import get_logger
from .mermaid import diagram_blocks, loader
from .options import CodeScribeConfig
from .pages import CachedPage, PageCache, page_key
from .safe_html import safe_html

__all__ = ["BuildStats", "CodeScribePlugin"]

log = get_logger("mkdocs.plugins.codescribe")
#: In a generated page's title, the characters that could be markup become look-alikes (see :func:`_plain_title`).
_TITLE_LOOKALIKES = str.maketrans({"<": "\u2039", ">": "\u203a", '"': "\u201d"})
CACHE_FORMAT = "page-v1"
PER_FILE_TYPES = ("module", "api")


@dataclass
class BuildStats:
    """What one build did: provider calls made, pages served from the cache, fallbacks.

    The plugin starts a new one at every build (``plugin.stats``), so ``mkdocs serve`` rebuilds
    each report their own.

    Attributes:
        calls: the configured provider's calls in this build, one per page asked for, failed ones
            included (the offline engine makes none).
        failed_calls: those of ``calls`` that failed.
        cached: pages taken from the cache, unchanged since an earlier build.
        generated: the URIs of the pages written in this build and stored in the cache.
        fallbacks: ``"<uri> (<reason>)"`` for each page the configured provider did not write (a
            failed call with ``on_error: fallback``, or ``max_cost`` reached).
        skipped: source files that could not be analysed, and pages left out with
            ``on_error: warn``.
        spent_usd: what this build's provider calls cost, in USD.
        pruned: cache entries deleted after the build because it did not use them.

    Examples:
        >>> BuildStats()
        BuildStats(calls=0, failed_calls=0, cached=0, generated=[], fallbacks=[], skipped=[], spent_usd=0.0, pruned=0)
    """

    calls: int = 0
    failed_calls: int = 0
    cached: int = 0
    generated: list[str] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    spent_usd: float = 0.0
    pruned: int = 0


@dataclass
class PageJob:
    """One page a build plans: where it goes, what it documents, and its cache key.

    Attributes:
        uri: the page's path in the site, e.g. ``reference/shop/orders.md``.
        doc_type: ``module``, ``api`` or ``architecture``.
        key: the page's cache key (see :func:`~codescribe.mkdocs_plugin.pages.page_key`).
        project: the analysis of the source tree the page belongs to.
        relative: the source file, relative to the project root; ``""`` for an architecture page.
        module: the module's dotted name; for an architecture page, the source folder's name.
    """

    uri: str
    doc_type: str
    key: str
    project: ProjectAnalysis
    relative: str  # the source file, relative to the project root ("" for project pages)
    module: str


class CodeScribePlugin(BasePlugin[CodeScribeConfig]):
    """Adds CodeScribe-generated pages to a MkDocs site.

    Registered as ``codescribe`` (the ``mkdocs.plugins`` entry point); its options are
    :class:`~codescribe.mkdocs_plugin.options.CodeScribeConfig`. MkDocs makes the instance and
    calls its hooks; the pages go under the ``nav_section`` folder (``reference/`` by default)
    and are added to an explicit ``nav:``, if there is one.

    Examples:
        In ``mkdocs.yml``, then run ``mkdocs build`` or ``mkdocs serve``::

            plugins:
              - codescribe:
                  source: src/shop
                  doc_types: [module, architecture]
                  provider: anthropic
                  max_cost: 2.00
    """

    def __init__(self) -> None:
        self.stats = BuildStats()
        self.command = "build"
        self._index: dict[str, str] = {}
        self._started = time.time()  # the build's start (set again by on_config): older entries may be pruned
        self._generated: set[str] = set()  # this build's pages (src URIs)
        self._diagrams: set[str] = set()  # those of them that hold a Mermaid diagram

    # -- hooks ------------------------------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Remember the command (a plugin defining this hook lives across ``mkdocs serve`` rebuilds).

        Args:
            command: the MkDocs command running: ``build``, ``gh-deploy`` or ``serve``.
            dirty: whether ``--dirty`` was passed (not used).

        Examples:
            >>> plugin = CodeScribePlugin()
            >>> plugin.on_startup(command="serve", dirty=False)
            >>> plugin.command
            'serve'
        """
        self.command = command

    def on_config(self, config: Any) -> Any:
        """Resolve the sources, the page cache and the writer (the offline engine when no key is set).

        Paths (``source``, ``cache_dir``) are relative to ``mkdocs.yml``. With no ``provider`` in the
        options, the provider is ``LLM_PROVIDER``'s (else ``anthropic``); when its API key is
        missing, the offline engine writes the pages instead.

        Args:
            config: the MkDocs config being built (its ``config_file_path`` is used).

        Returns:
            ``config``, unchanged.

        Raises:
            PluginError: a source folder does not exist, ``cache_dir`` lies in ``docs_dir`` or a folder
                ``watch`` names, or the provider cannot be built (it is named in the options, or fails for
                another reason than a missing key).

        Examples:
            >>> import tempfile
            >>> from mkdocs.config import load_config
            >>> folder = tempfile.TemporaryDirectory()
            >>> root = Path(folder.name)
            >>> (root / "src").mkdir()
            >>> (root / "docs").mkdir()
            >>> _ = (root / "src" / "shop.py").write_text("def total(prices: list[int]) -> int:\\n    return 0\\n")
            >>> _ = (root / "mkdocs.yml").write_text(
            ...     "site_name: Shop\\nplugins:\\n  - codescribe:\\n      source: src\\n      provider: offline\\n"
            ... )
            >>> config = load_config(str(root / "mkdocs.yml"))
            >>> plugin = config.plugins["codescribe"]
            >>> config.plugins.on_config(config) is config  # MkDocs calls each plugin's hook like this
            True
            >>> [source.name for source in plugin.sources], plugin.section, plugin.generator.offline
            (['src'], 'reference', True)
            >>> folder.cleanup()
        """
        base = Path(config.config_file_path or ".").resolve().parent
        sources = self.config.source if isinstance(self.config.source, list) else [self.config.source]
        self.sources = [(base / str(source)).resolve() for source in sources]
        for source in self.sources:
            if not source.exists():
                raise PluginError(f"codescribe: source {source} does not exist; fix `source:` in mkdocs.yml.")
        self._started = time.time()
        _check_cache_dir((base / self.config.cache_dir).resolve(), config)
        self.cache = PageCache(base / self.config.cache_dir)
        self.analyses = AnalysisStore(base / self.config.cache_dir / "analysis")
        try:
            self.cache.claim()  # a folder of the project's own files is refused before any work
        except (ForeignFolderError, OSError) as exc:
            raise PluginError(f"codescribe: cache_dir: {exc}") from exc
        # Sites may share a cache: each keeps its own index (page URI -> key), and keeps the others' entries.
        site = cache_key(str(Path(config.config_file_path or "mkdocs.yml").resolve()))[:16]
        self._index_path = self.cache.folder / "sites" / f"{site}.json"
        self._index = _read_index(self._index_path)[0] or _read_index(self.cache.folder / "index.json")[0]
        self.generator = DocGenerator(writer=self._writer())
        self.offline = DocGenerator(offline=True)
        self.section = self.config.nav_section.strip().lower().replace(" ", "-") or "reference"
        return config

    def on_files(self, files: Files, /, *, config: Any) -> Files:
        """Add a generated page for every module (and the architecture page), from the cache when
        nothing it depends on changed.

        Pages the cache lacks are generated, ``concurrency`` at a time, within ``max_cost``; a
        failed call is handled as ``on_error`` says. The pages are added to the nav when
        ``mkdocs.yml`` has an explicit ``nav:`` without a ``nav_section`` entry. Starts a new
        :attr:`stats`.

        Args:
            files: the site's files so far.
            config: the MkDocs config being built (after :meth:`on_config`).

        Returns:
            ``files``, with a generated file for each page appended.

        Raises:
            PluginError: a provider call failed and ``on_error`` is ``fail``.

        Examples:
            >>> import tempfile
            >>> from mkdocs.config import load_config
            >>> folder = tempfile.TemporaryDirectory()
            >>> root = Path(folder.name)
            >>> (root / "src").mkdir()
            >>> (root / "docs").mkdir()
            >>> _ = (root / "src" / "shop.py").write_text("def total(prices: list[int]) -> int:\\n    return 0\\n")
            >>> _ = (root / "mkdocs.yml").write_text(
            ...     "site_name: Shop\\nplugins:\\n  - codescribe:\\n      source: src\\n      provider: offline\\n"
            ... )
            >>> config = load_config(str(root / "mkdocs.yml"))
            >>> plugin = config.plugins["codescribe"]
            >>> from mkdocs.structure.files import get_files
            >>> config = config.plugins.on_config(config)
            >>> files = config.plugins.on_files(get_files(config), config=config)
            >>> sorted(file.src_uri for file in files), plugin.stats.calls
            (['reference/index.md', 'reference/shop.md'], 0)
            >>> files = config.plugins.on_files(get_files(config), config=config)  # nothing changed
            >>> plugin.stats.cached, plugin.stats.generated
            (2, [])
            >>> folder.cleanup()
        """
        self.stats = BuildStats()
        self.cache.used = set()
        self.analyses.used = set()
        jobs = self._plan()
        pages = asyncio.run(self._produce(jobs))
        links = _link_table(jobs)
        uris: list[str] = []
        for job in jobs:
            page = pages.get(job.uri)
            if page is None:
                continue
            content = self._render(job, page, links)
            files.append(File.generated(config, job.uri, content=content))
            uris.append(job.uri)
        self._add_to_nav(config, uris)
        self._generated, self._diagrams = set(uris), set()
        if self.stats.fallbacks:
            log.warning(
                "codescribe: %d page(s) did not come from %s: %s",
                len(self.stats.fallbacks),
                self.generator.writer.name,
                "; ".join(self.stats.fallbacks),
            )
        log.info(
            "codescribe: %d pages, %d from cache, %d provider calls, %d failed (%s, %s), $%.4f spent",
            len(uris),
            self.stats.cached,
            self.stats.calls,
            self.stats.failed_calls,
            self.generator.writer.name,
            self.generator.writer.model,
            self.stats.spent_usd,
        )
        return files

    def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Files) -> str:
        """Clean a generated page of markup that could run (see :mod:`.safe_html`), its title too (themes
        insert it as HTML), and make its Mermaid blocks drawable in any theme (see :mod:`.mermaid`).

        Args:
            html: the page's HTML, as Markdown made it.
            page: the page (only the plugin's own pages are touched).
            config: the MkDocs config (not used).
            files: the site's files (not used).

        Returns:
            The HTML, cleaned, its ``mermaid`` code blocks rewritten when ``mermaid_js`` is set; another
            page's as it was.

        Examples:
            >>> from types import SimpleNamespace
            >>> plugin = CodeScribePlugin()
            >>> plugin.load_config({})
            ([], [])
            >>> plugin._generated = {"reference/index.md"}
            >>> page = SimpleNamespace(file=SimpleNamespace(src_uri="reference/index.md"))
            >>> html = '<pre><code class="language-mermaid">a</code></pre>'
            >>> plugin.on_page_content(html, page=page, config={}, files=Files([]))
            '<pre class="codescribe-mermaid">a</pre>'
        """
        if page.file.src_uri not in self._generated:
            return html
        html = safe_html(html)  # text from code or a model is never live markup
        if isinstance(getattr(page, "title", None), str):  # its first heading: themes insert it as HTML, or escape it
            page.title = _plain_title(page.title)
        if not self.config.mermaid_js:
            return html
        html, found = diagram_blocks(html)
        if found:
            self._diagrams.add(page.file.src_uri)
        return html

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        """Load mermaid.js on the generated pages that hold a diagram.

        Args:
            output: the page's whole HTML, theme included.
            page: the page.
            config: the MkDocs config (not used).

        Returns:
            The HTML, with :func:`~codescribe.mkdocs_plugin.mermaid.loader` before ``</body>`` on a page
            with a diagram (a relative ``mermaid_js`` is a path from the site's root).
        """
        if page.file.src_uri not in self._diagrams:
            return output
        head, body_end, tail = output.rpartition("</body>")
        url = self.config.mermaid_js
        if "://" not in url and not url.startswith("/"):  # a file of the site: relative to this page
            url = get_relative_url(url, page.url)
        script = loader(url)
        return f"{head}{script}\n{body_end}{tail}" if body_end else output + script

    def on_post_build(self, *, config: Any) -> None:
        """Prune the cache entries no site uses, and save this site's index.

        The site's index (``<cache_dir>/sites/<site>.json``, the site named by the hash of its
        ``mkdocs.yml`` path) maps each page's URI to its cache key, so a later build can fall back to
        a page's older version, and lists the analyses it used. Entries this build did not use are
        deleted unless another site's index holds them: sites sharing a ``cache_dir`` keep each
        other's pages. The number pruned goes to ``stats.pruned``.

        Args:
            config: the MkDocs config being built (not used).

        Raises:
            OSError: the index cannot be written.

        Examples:
            >>> import tempfile
            >>> from mkdocs.config import load_config
            >>> folder = tempfile.TemporaryDirectory()
            >>> root = Path(folder.name)
            >>> (root / "src").mkdir()
            >>> (root / "docs").mkdir()
            >>> _ = (root / "src" / "shop.py").write_text("def total(prices: list[int]) -> int:\\n    return 0\\n")
            >>> _ = (root / "mkdocs.yml").write_text(
            ...     "site_name: Shop\\nplugins:\\n  - codescribe:\\n      source: src\\n      provider: offline\\n"
            ... )
            >>> config = load_config(str(root / "mkdocs.yml"))
            >>> plugin = config.plugins["codescribe"]
            >>> from mkdocs.structure.files import get_files
            >>> config = config.plugins.on_config(config)
            >>> files = config.plugins.on_files(get_files(config), config=config)
            >>> config.plugins.on_post_build(config=config)
            >>> plugin.stats.pruned, [path.parent.name for path in plugin.cache.folder.glob("sites/*.json")]
            (0, ['sites'])
            >>> folder.cleanup()
        """
        pages: set[str] = set()
        analyses: set[str] = set()
        for other in self._index_path.parent.glob("*.json"):  # the other sites' entries stay
            if other != self._index_path:
                their_pages, their_analyses = _read_index(other)
                pages.update(their_pages.values())
                analyses.update(their_analyses)
        # Another build sharing the cache may be writing entries it has not indexed yet: only what is older
        # than this build is pruned.
        self.stats.pruned = self.cache.prune(keep=pages, written_before=self._started)
        self.analyses.prune(keep=analyses, written_before=self._started)
        self._index = {uri: key for uri, key in self._index.items() if key in self.cache.used}
        index = {"pages": self._index, "analyses": sorted(self.analyses.used)}
        write_atomically(self._index_path, json.dumps(index, indent=0, sort_keys=True))

    def on_serve(self, server: Any, /, *, config: Any, builder: Any) -> Any:
        """Have ``mkdocs serve`` watch the documented sources too, and nothing the plugin writes.

        Editing a source file then rebuilds the site, and only that file's pages are generated
        again. Each folder that holds documented files is watched on its own (not its sub-folders),
        so the plugin's cache, even inside a ``source: .``, never sets off a rebuild: a tool must not
        react to its own writes. A folder of sources added while serving is seen at the next start.

        Args:
            server: the live-reload server of ``mkdocs serve``; each folder of documented files is
                passed to its ``watch`` with ``recursive=False``.
            config: the MkDocs config (not used).
            builder: the function that rebuilds the site (not used).

        Returns:
            ``server``.

        Examples:
            MkDocs calls it when serving; nothing else is needed::

                mkdocs serve  # edit a file under `source:` and its page is regenerated
        """
        cache = self.cache.folder.resolve()
        folders = {
            path.parent.resolve()
            for source in self.sources
            for path in discover_sources(source, self.config.include, self.config.exclude)
        }
        for folder in sorted(folders | set(self.sources)):
            if folder != cache and cache not in folder.parents:
                server.watch(str(folder), recursive=False)
        return server

    # -- planning -----------------------------------------------------------------------------

    def _writer(self) -> Writer:
        """The configured writer; the offline engine when no provider is named and no key is set."""
        try:
            writer = writer_for(self.config.provider or None, model=self.config.model or None)
        except LLMError as exc:
            if self.config.provider or exc.error_type is not ErrorType.AUTH:
                raise PluginError(f"codescribe: {exc}") from exc
            log.info("codescribe: no API key set, so pages are written by the offline engine.")
            return OfflineWriter()
        if isinstance(writer, ModelWriter):
            writer.limiter = CoveredAttempts(None)  # a retry that may be billed is held under max_cost first
        return writer

    def _identity(self) -> str:
        return "|".join(map(str, (CACHE_FORMAT, *self.generator.writer.identity, self.generator.prompts.version)))

    def _plan(self) -> list[PageJob]:
        jobs: list[PageJob] = []
        identity = self._identity()
        several = len(self.sources) > 1
        for source in self.sources:
            project = analyze_project(source, self.config.include, self.config.exclude, store=self.analyses)
            for name, reason in project.errors.items():
                log.warning("codescribe: %s skipped: %s", name, reason)
                self.stats.skipped.append(name)
            prefix = f"{self.section}/{source.name}" if several else self.section
            modules = project.modules
            texts = {rel: (project.root / rel).read_text(encoding="utf-8", errors="replace") for rel in project.files}
            per_file = [t for t in self.config.doc_types if t in PER_FILE_TYPES]
            stems = _page_stems(modules)
            names = {relative: name for name, relative in modules.items()}
            graph = project.import_graph()
            users: dict[str, list[str]] = {}
            for user, used in sorted(graph.items()):
                for module in used:
                    users.setdefault(module, []).append(user)
            # A model's prompt carries the repository map: it is part of what every page depends on.
            shared = (
                ""
                if isinstance(self.generator.writer, OfflineWriter)
                else project.repo_map(self.generator.repo_map_tokens)
            )
            for relative, doc_type in planned_documents(project, per_file):
                name = names[relative]
                stem = stems[name] + ("" if doc_type == per_file[0] else f"-{doc_type}")
                # What the page takes from the rest of the project: the names it re-exports (with their
                # docs), what it uses and what uses it; edited elsewhere, they change the page too.
                context = repr((project.public_interface(relative), sorted(graph.get(name, ())), users.get(name, [])))
                key = page_key(identity, doc_type, relative, texts[relative], context, shared)
                jobs.append(PageJob(f"{prefix}/{stem}.md", doc_type, key, project, relative, name))
            if "architecture" in self.config.doc_types and project.files:
                # Keyed on structure (a function body edit writes no new page), and for a model on its
                # prompt too, which also carries what the structure leaves out (the docstrings, say).
                structure = project.structure()
                prompts = [
                    text for pair in self.generator.project_prompts(project, "", "architecture") for text in pair
                ]
                jobs.append(
                    PageJob(
                        f"{prefix}/index.md",
                        "architecture",
                        page_key(identity, "architecture", structure, *prompts),
                        project,
                        "",
                        source.name,
                    )
                )
        return jobs

    # -- producing pages ----------------------------------------------------------------------

    async def _produce(self, jobs: list[PageJob]) -> dict[str, CachedPage]:
        pages: dict[str, CachedPage] = {}
        missing: list[PageJob] = []
        for job in jobs:
            cached = self.cache.get_page(job.key)
            if cached is None:
                missing.append(job)
            else:
                pages[job.uri] = cached
                self.stats.cached += 1
        gate = asyncio.Semaphore(max(1, self.config.concurrency))
        budget = CostBudget(self.config.max_cost)

        async def produce(job: PageJob) -> None:
            async with gate:
                page = await self._generate(job, budget)
            if page is not None:
                pages[job.uri] = page

        async with aclosing(self.generator.writer):  # a provider's client belongs to this build's event loop
            await asyncio.gather(*(produce(job) for job in missing))
        return pages

    async def _generate(self, job: PageJob, budget: CostBudget) -> CachedPage | None:
        provider = self.generator.provider
        budgeted = provider is not None and budget.limit is not None  # sizing renders the prompts: only under a limit
        size = self.generator.project_prompt_size(job.project, job.relative, job.doc_type) if budgeted else (0, 0)
        if provider is not None and not await budget.areserve(job.uri, provider, *size):
            return await self._fall_back(job, self._refused(budget, provider, size))
        attempts = None
        if provider is not None:

            async def retry(key: str) -> bool:
                return await budget.areserve(key, provider, size[0], 1, mine=earlier_keys(key))

            attempts = CallAttempts(job.uri, retry, provider.config.max_retries)
        try:
            with attempts_of(attempts):
                result = await self.generator.adocument(job.project, job.relative, job.doc_type)
        except LLMError as exc:
            if provider is not None:
                self.stats.calls += 1
                self.stats.failed_calls += 1
                billed, cost = failed_cost(exc)  # an unknown cost is charged at the worst case
                if billed:
                    budget.settle(job.uri, cost)
                else:
                    budget.release(job.uri)
                self._settle_retries(budget, attempts, exc)
            return await self._failed(job, exc, exc.error_type.value)
        if provider is not None:
            self.stats.calls += 1
            budget.settle(job.uri, result.metadata.get("cost_usd"))
            self._settle_retries(budget, attempts, None)
        if result.error is not None:  # an empty answer, or one cut at max_tokens: never cached
            return await self._failed(job, result.error, result.error_type or "ERROR")
        page = _page(result, fallback_reason=None)
        self.cache.put_page(job.key, page)
        self._index[job.uri] = job.key
        self.stats.generated.append(job.uri)
        return page

    def _settle_retries(self, budget: CostBudget, attempts: CallAttempts | None, error: LLMError | None) -> None:
        """Settle the reservations a page's retries made (see :meth:`CallAttempts.settlement`)."""
        for key, cost in (attempts.settlement(error) if attempts is not None else {}).items():
            budget.settle(key, cost)
        self.stats.spent_usd = budget.spent

    def _refused(self, budget: CostBudget, provider: LLMProvider, size: tuple[int, int]) -> str:
        """Why ``max_cost`` refused a page: no price to hold it at, a page dearer than all of it, or spent."""
        if provider.price is None:
            return (
                f"the price of {provider.model} is unknown, so max_cost cannot hold it "
                "(add the model to a file named by LLM_PRICES_FILE)"
            )
        worst = budget.worst_case(provider, *size)
        if budget.limit is not None and worst > budget.limit:
            return f"its worst case (${worst:.4g}) is more than max_cost ${self.config.max_cost:g}"
        return f"max_cost ${self.config.max_cost:g} reached (${budget.spent:.4f} spent)"

    async def _failed(self, job: PageJob, error: object, kind: str) -> CachedPage | None:
        """What ``on_error`` says to do with a page the model did not write: stop, leave it out, or fall back."""
        if self.config.on_error == "fail":
            cause = error if isinstance(error, Exception) else None
            raise PluginError(f"codescribe: {job.relative or job.module} [{job.doc_type}]: {error}") from cause
        if self.config.on_error == "warn":
            log.warning("codescribe: %s left out: %s", job.uri, error)
            self.stats.skipped.append(job.uri)
            return None
        return await self._fall_back(job, f"{self.generator.writer.name} failed ({kind})")

    async def _fall_back(self, job: PageJob, reason: str) -> CachedPage:
        """An older cached page for the same URI if there is one, else the offline engine's."""
        self.stats.fallbacks.append(f"{job.uri} ({reason})")
        previous = self._index.get(job.uri)
        older = self.cache.get_page(previous) if previous else None
        if older is not None:
            return CachedPage(**{**older.__dict__, "fallback_reason": f"{reason}; from an older cached version"})
        result = await self.offline.adocument(job.project, job.relative, job.doc_type)
        return _page(result, fallback_reason=reason)

    # -- rendering ------------------------------------------------------------------------------

    def _render(self, job: PageJob, page: CachedPage, links: dict[str, str]) -> str:
        lines = page.markdown.rstrip("\n").split("\n")
        heading = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
        notes: list[str] = []
        if self.config.badges:
            notes.append(
                f"*Quality {page.grade} ({page.score}) · {page.provider} / {page.model} · generated {page.generated}*"
            )
        if page.fallback_reason:
            notes.append(f"*This page was not written by the configured provider: {page.fallback_reason}.*")
        if heading is None:
            lines = [f"# {job.module}", "", *notes, "", *lines]
        elif notes:
            lines[heading + 1 : heading + 1] = ["", *notes]
        return "\n".join(lines) + "\n" + _related(job, links)

    def _add_to_nav(self, config: Any, uris: list[str]) -> None:
        nav = config.nav
        if nav is None or not uris:
            return  # MkDocs builds the nav from the files: our folder becomes the section
        titles = {next(iter(item)) for item in nav if isinstance(item, dict)}
        if self.config.nav_section not in titles:
            nav.append({self.config.nav_section: sorted(uris, key=lambda u: (not u.endswith("index.md"), u))})


def _page_stems(modules: dict[str, str]) -> dict[str, str]:
    """Each module's page path without ``.md``, unique: Python's dotted name as folders
    (``shop.models`` -> ``shop/models``), other files their module name (path without suffix); a
    file whose page would take another's (``a.py`` beside ``a.ts``), or the section's ``index`` (the
    architecture page; express's ``index.js``), is named by its own path."""
    stems: dict[str, str] = {}
    taken: set[str] = {"index"}
    for name, relative in sorted(modules.items(), key=lambda item: item[1]):
        python = relative.endswith((".py", ".pyi")) and name != relative
        stem = name.replace(".", "/") if python else name
        if stem in taken:
            stem = relative
        taken.add(stem)
        stems[name] = stem
    return stems


def _page(result: DocResult, fallback_reason: str | None) -> CachedPage:
    meta = result.metadata
    return CachedPage(
        markdown=result.documentation,
        score=result.quality.score,
        grade=result.quality.grade,
        provider=str(meta.get("provider")),
        model=str(meta.get("model")),
        generated=dt.date.today().isoformat(),
        fallback_reason=fallback_reason,
    )


def _link_table(jobs: list[PageJob]) -> dict[str, str]:
    """Module name → the URI of its main page (its first: read from the last, each earlier one wins)."""
    return {job.module: job.uri for job in reversed(jobs) if job.doc_type in PER_FILE_TYPES}


def _related(job: PageJob, links: dict[str, str]) -> str:
    if job.doc_type not in PER_FILE_TYPES:
        return ""
    graph = job.project.import_graph()
    uses = sorted(graph.get(job.module, ()))
    used_by = sorted(name for name, deps in graph.items() if job.module in deps)
    here = posixpath.dirname(job.uri)

    def link(name: str) -> str:
        target = links.get(name)
        return f"[`{name}`]({posixpath.relpath(target, here)})" if target else f"`{name}`"

    lines = []
    if uses:
        lines.append(f"- Uses: {', '.join(link(name) for name in uses)}")
    if used_by:
        lines.append(f"- Used by: {', '.join(link(name) for name in used_by)}")
    return ("\n## Related modules\n\n" + "\n".join(lines) + "\n") if lines else ""


def _read_index(path: Path) -> tuple[dict[str, str], list[str]]:
    """A site's index: (page URI -> cache key, the analyses' keys); empty when missing or damaged.

    Reads the index of a build from before sites had their own (``index.json``: URI -> key) too.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, []
    if not isinstance(data, dict):
        return {}, []
    pages = data.get("pages", data)
    analyses = data.get("analyses", [])
    return (
        {uri: key for uri, key in pages.items() if isinstance(uri, str) and isinstance(key, str)}
        if isinstance(pages, dict)
        else {},
        [key for key in analyses if isinstance(key, str)] if isinstance(analyses, list) else [],
    )


def _plain_title(title: str) -> str:
    """A page title (its first heading's HTML text) as text no theme can turn into markup.

    Themes insert ``page.title`` as HTML (Material's ``<title>``) or through Jinja's ``striptags``, which
    decodes entities: the title is decoded until no entity is left, and ``<``, ``>`` and ``"`` become
    look-alikes, so that it reads the same in either.
    """
    for _ in range(8):  # "&amp;lt;" decodes twice
        decoded = html_unescape(title)
        if decoded == title:
            break
        title = decoded
    return title.translate(_TITLE_LOOKALIKES)


def _check_cache_dir(cache: Path, config: Any) -> None:
    """Refuse a ``cache_dir`` MkDocs reads as pages or watches: ``mkdocs serve`` would rebuild after each of
    the plugin's own writes, for ever, and ``mkdocs build`` would publish the cache."""
    watched = [("docs_dir", config.get("docs_dir"))] + [("watch", path) for path in config.get("watch") or ()]
    for option, named in watched:
        folder = Path(str(named)).resolve() if named else None
        if folder is not None and (cache == folder or folder in cache.parents):
            raise PluginError(
                f"codescribe: cache_dir {cache} lies in {option} {folder}: mkdocs serve would rebuild after each "
                "of the plugin's own writes, and mkdocs build would publish the cache. Set cache_dir to a folder "
                "outside it (the default is .cache/codescribe, beside mkdocs.yml)."
            )
