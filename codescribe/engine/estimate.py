"""What a run would cost, before it runs: files, tokens and dollars from the price table.

Input tokens are counted from the prompts exactly as they would be rendered (at ~4
characters a token); output tokens are estimated per doc type from the size of the code,
capped by ``LLM_MAX_TOKENS``. With prompt caching on, Claude reads the shared system
prefix from its cache after the first call, and the estimate prices it so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..llm.config import configured_provider
from ..llm.factory import default_factory
from ..llm.pricing import default_price_table
from ..llm.tokens import chars_for_tokens, estimate_tokens
from .analysis.project import analyze_project, skipped_folder_note
from .generator import DEFAULT_CONTEXT_BUDGET_TOKENS, merged_analysis, planned_documents, project_readme_request
from .prompts import PromptSet
from .writers import OFFLINE, OfflineWriter

__all__ = ["RunEstimate", "estimate_run"]

#: Expected output size as a share of the code's tokens, plus a fixed part, per doc type.
OUTPUT_SHAPE = {
    "readme": (0.3, 400),
    "api": (0.5, 300),
    "module": (0.5, 300),
    "docstrings": (1.3, 100),
    "architecture": (0.0, 1200),
}


@dataclass(frozen=True)
class RunEstimate:
    """What documenting a path would take: files, documents, tokens and US dollars.

    Attributes:
        provider: the provider's name (``offline`` for the offline engine).
        model: the model that would write (``templates`` for the offline engine).
        files: source files that would be documented.
        documents: documents that would be written (files times doc types).
        input_tokens: prompt tokens in all, estimated at about 4 characters a token
            (:data:`codescribe.llm.tokens.CHARS_PER_TOKEN`); the cached ones included.
        cached_input_tokens: how many of ``input_tokens`` would be read from the provider's prompt cache.
        output_tokens: tokens the model would write, estimated per doc type from the code's size and
            capped by the configured ``max_tokens`` per document.
        cost_usd: the price in US dollars from the price table; ``0.0`` for the offline engine and
            local servers, ``None`` when the model has no price.
        skipped: files that cannot be analysed, by relative path, with the reason.
        missing_key: the variables to set (``"LLM_API_KEY or ANTHROPIC_API_KEY ..."``) when the provider
            needs a key and none is set; ``None`` otherwise.
        skipped_folders: folders left out as build output, an environment or vendored code, by
            relative path, with what they hold.
    """

    provider: str
    model: str
    files: int
    documents: int
    input_tokens: int
    cached_input_tokens: int
    output_tokens: int
    cost_usd: float | None
    skipped: dict[str, str]
    missing_key: str | None = None
    skipped_folders: dict[str, str] = field(default_factory=dict)

    def render(self) -> str:
        """The estimate as ``codescribe estimate`` prints it, a line per figure.

        Returns:
            Lines joined by newlines (no trailing newline): provider, files, documents, input and
            output tokens, cost (``unknown`` without a price), then a line per skipped file and per
            skipped folder and, when a key is missing, a line saying which variables to set.

        Examples:
            >>> print(RunEstimate("offline", "templates", 1, 1, 0, 0, 0, 0.0, {}).render())
            provider     offline (templates)
            files        1 (0 skipped)
            documents    1
            input        ~0 tokens (0 of them from the prompt cache)
            output       ~0 tokens (estimated)
            cost         ~$0.0000
        """
        cost = "unknown (no price for this model)" if self.cost_usd is None else f"${self.cost_usd:.4f}"
        count = len(self.skipped_folders)
        folders = f", {count} folder{'s' * (count != 1)} skipped" if count else ""
        lines = [
            f"provider     {self.provider} ({self.model})",
            f"files        {self.files} ({len(self.skipped)} skipped{folders})",
            f"documents    {self.documents}",
            f"input        ~{self.input_tokens:,} tokens ({self.cached_input_tokens:,} of them from the prompt cache)",
            f"output       ~{self.output_tokens:,} tokens (estimated)",
            f"cost         ~{cost}",
        ]
        lines += [f"skipped      {name}: {reason}" for name, reason in self.skipped.items()]
        lines += [f"skipped      {skipped_folder_note(*folder)}" for folder in self.skipped_folders.items()]
        if self.missing_key:
            lines.append(f"key          none set: set {self.missing_key} before you run this")
        return "\n".join(lines)


def estimate_run(
    path: Path,
    *,
    provider: str | None = None,
    model: str | None = None,
    doc_types: list[str] | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> RunEstimate:
    r"""Estimate documenting ``path`` (a file or a folder) with ``provider``/``model``, calling nothing.

    The documents are the ones a run would write (:func:`~codescribe.engine.generator.planned_documents`:
    each file once per doc type, the architecture page once), and their prompts are rendered exactly
    as a run would render them (code cut at the generator's context budget); no model is called and
    no key is needed. Output tokens are a share of the code's tokens plus a fixed part per doc type
    (``OUTPUT_SHAPE``). With prompt caching on, and a provider that caches, every system prompt
    after the first is counted as read from the cache. The offline engine costs nothing: its
    estimate has zero tokens and ``cost_usd`` 0.0.

    Args:
        path: a source file or a project folder.
        provider: a provider name, ``offline``, or ``None`` for ``LLM_PROVIDER``.
        model: the model; default: ``LLM_MODEL``, else the provider's default (ignored offline).
        doc_types: the doc types to write; default (``None`` or empty): ``readme`` for a file,
            ``module`` for a folder.
        include: globs of files to include, as ``generate --include`` takes them.
        exclude: globs of files to skip, as ``generate --exclude`` takes them.

    Returns:
        A :class:`RunEstimate`: files, documents, tokens and US dollars (``cost_usd`` is ``None``
        when the model has no price), files that cannot be analysed in ``skipped``.

    Raises:
        SourceError: ``path`` does not exist.
        LLMError: an unknown provider, or a bad ``LLM_*`` setting.
        ValueError: a doc type that is not one of :data:`~codescribe.engine.doc_types.DOC_TYPES`
            (checked when prompts are rendered: not for the offline engine, nor for a folder with no files).

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = (Path(folder) / "calc.py").write_text("def add(a, b):\n    return a + b\n")
        ...     offline = estimate_run(Path(folder), provider="offline")
        ...     model = estimate_run(Path(folder) / "calc.py", provider="anthropic", doc_types=["readme", "api"])
        >>> offline.files, offline.documents, offline.input_tokens, offline.cost_usd
        (1, 1, 0, 0.0)
        >>> model.provider, model.files, model.documents, model.input_tokens > 0
        ('anthropic', 1, 2, True)
    """
    project = analyze_project(path, include, exclude)
    types = doc_types or (["readme"] if path.is_file() else ["module"])
    jobs = planned_documents(project, types, folder=path.is_dir())
    if (provider or configured_provider()) == OFFLINE:  # no tokens, no cost
        return RunEstimate(
            OFFLINE,
            OfflineWriter.model,
            len(project.files),
            len(jobs),
            0,
            0,
            0,
            0.0,
            dict(project.errors),
            skipped_folders=dict(project.skipped_folders),
        )
    config = default_factory.config_from_env(None, provider=provider, model=model)
    provider_class = default_factory.provider_class(config.provider)
    model_name = config.model or provider_class.DEFAULT_MODEL or "unknown"
    prompts = PromptSet()
    repo_map = project.repo_map() if path.is_dir() else ""
    budget = chars_for_tokens(DEFAULT_CONTEXT_BUDGET_TOKENS)  # what the generator would send at most
    caches = config.enable_caching and provider_class.CAPABILITIES.caching != "none"
    input_tokens = cached = output_tokens = 0
    for index, (relative, doc_type) in enumerate(jobs):
        if doc_type == "architecture":  # one document for the project, written from its map
            analysis, code = merged_analysis(project), project.repo_map()
        elif not relative:  # the project's README: its manifest and its map
            request = project_readme_request(project)
            analysis, code = request.analysis, request.source
        else:
            analysis = project.files[relative]
            code = (project.root / relative).read_text(encoding="utf-8", errors="replace")[:budget]
        system, user = prompts.messages(
            doc_type, analysis=analysis, code=code, truncated="", repo_map=repo_map, language=analysis.language
        )
        system_tokens, user_tokens = estimate_tokens(len(system)), estimate_tokens(len(user))
        share, fixed = OUTPUT_SHAPE[doc_type]
        input_tokens += system_tokens + user_tokens
        if caches and index > 0:  # the shared system prefix is read from the cache after the first call
            cached += system_tokens
        output_tokens += min(config.max_tokens, int(share * estimate_tokens(len(code))) + fixed)
    price = None if provider_class.LOCAL else default_price_table().price_for(model_name)
    cost: float | None = 0.0 if provider_class.LOCAL else None
    if price is not None:
        cost = price.cost(
            input_tokens=input_tokens - cached, output_tokens=output_tokens, cache_read=cached, cache_write=0
        )
    names = ("LLM_API_KEY", *provider_class.ENV_API_KEY_NAMES)
    missing_key = " or ".join(names) if provider_class.REQUIRES_API_KEY and not config.api_key else None
    return RunEstimate(
        provider_class.PROVIDER_NAME,
        model_name,
        len(project.files),
        len(jobs),
        input_tokens,
        cached,
        output_tokens,
        cost,
        dict(project.errors),
        missing_key,
        dict(project.skipped_folders),
    )
