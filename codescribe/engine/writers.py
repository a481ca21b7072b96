"""Who writes a document: a model, through an injected provider, or the offline engine.

Both writers take a :class:`~codescribe.engine.offline.DocRequest` and hand back the text with its
metadata (provider, model, tokens, cost, latency: the keys of
:class:`~codescribe.llm.types.GenerationMetadata`). ``DocGenerator`` picks one; the surfaces (the
command line, the MkDocs plugin, the evaluation suites) name it, ``offline`` or a provider, with
:func:`writer_for`.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import Any, Protocol

from ..llm.errors import LLMError
from ..llm.providers.base import AttemptLimiter, LLMProvider
from ..llm.types import GenerationMetadata
from .cpu import off_the_loop
from .offline import DocRequest, OfflineEngine
from .prompts import PromptSet

__all__ = ["OFFLINE", "ModelWriter", "OfflineWriter", "Writer", "writer_for"]

#: The name that chooses the offline engine wherever a provider is named.
OFFLINE = "offline"

#: ``(system prompt, user prompt)`` of a request, rendered when a model needs them.
Messages = Callable[[DocRequest], tuple[str, str]]


class Writer(Protocol):
    """What ``DocGenerator`` needs of a writer: the protocol :class:`ModelWriter` and :class:`OfflineWriter` follow.

    Attributes:
        name: ``offline``, or the provider's name (``anthropic``, ``openai`` ...).
        model: the model that writes (``templates`` for the offline engine).
    """

    #: ``offline``, or the provider's name (``anthropic``, ``openai`` ...).
    name: str
    #: The model that writes (``templates`` for the offline engine).
    model: str

    @property
    def identity(self) -> tuple[object, ...]:
        """Everything about the writer that changes what it writes: part of every cache key.

        Returns:
            A tuple of plain values (names, numbers, option pairs); never a secret such as a key.

        Examples:
            >>> OfflineWriter().identity
            ('offline', 'templates')
        """

    def write(
        self,
        request: DocRequest,
        messages: Messages,
        enable_caching: bool | None,
        on_chunk: Callable[[str], None] | None,
    ) -> tuple[str, dict[str, Any]]:
        r"""Write the document for ``request``.

        Args:
            request: what to document (doc type, analysis, source, project).
            messages: renders ``(system prompt, user prompt)`` for a request; called only by writers
                that send prompts to a model.
            enable_caching: prompt caching for this call; ``None`` keeps the provider's setting.
            on_chunk: called with the text as it arrives; ``None`` for no streaming.

        Returns:
            ``(document text, metadata)``; the metadata has the keys of
            :class:`~codescribe.llm.types.GenerationMetadata` (provider, model, tokens, cost, latency ...).

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.offline import DocRequest
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> request = DocRequest("readme", analyze_source(code, "calc.py"), code)
            >>> text, metadata = OfflineWriter().write(request, lambda r: ("", ""), None, None)
            >>> text.startswith("# calc"), metadata["provider"]
            (True, 'offline')
        """

    async def awrite(
        self,
        request: DocRequest,
        messages: Messages,
        enable_caching: bool | None,
        on_chunk: Callable[[str], Any] | None,
    ) -> tuple[str, dict[str, Any]]:
        r"""The async twin of :meth:`write`; ``on_chunk`` may be async.

        Args:
            request: what to document (doc type, analysis, source, project).
            messages: renders ``(system prompt, user prompt)`` for a request; called only by writers
                that send prompts to a model.
            enable_caching: prompt caching for this call; ``None`` keeps the provider's setting.
            on_chunk: called (or awaited, if it returns an awaitable) with the text as it arrives;
                ``None`` for no streaming.

        Returns:
            ``(document text, metadata)``, as :meth:`write` returns them.

        Examples:
            >>> import asyncio
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.offline import DocRequest
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> request = DocRequest("readme", analyze_source(code, "calc.py"), code)
            >>> text, metadata = asyncio.run(OfflineWriter().awrite(request, lambda r: ("", ""), None, None))
            >>> metadata["model"]
            'templates'
        """

    async def aclose(self) -> None:
        """Release what the running event loop holds (a provider's async client).

        Call it before the event loop closes; the writer can still be used afterwards.

        Examples:
            >>> import asyncio
            >>> asyncio.run(OfflineWriter().aclose())
        """


class ModelWriter:
    """A model writes the document from the rendered prompts, through ``provider``.

    Args:
        provider: the provider to call.
        limiter: entered around every attempt of each async call, retries included (see
            :data:`~codescribe.llm.providers.base.AttemptLimiter`); ``None`` for no limit. Sync
            calls do not use it.

    Attributes:
        provider: the provider.
        limiter: the async calls' limiter, or ``None``.
        name: the provider's name (``anthropic``, ``ollama`` ...).
        model: the provider's model.

    Examples:
        >>> from codescribe.llm.factory import create_provider_from_env
        >>> writer = ModelWriter(create_provider_from_env(None, provider="ollama", model="qwen3:8b"))
        >>> writer.name, writer.model
        ('ollama', 'qwen3:8b')
    """

    def __init__(self, provider: LLMProvider, limiter: AttemptLimiter | None = None) -> None:
        self.provider = provider
        self.limiter = limiter
        self.name = provider.provider_name
        self.model = provider.model

    @property
    def identity(self) -> tuple[object, ...]:
        """What changes the answer: provider, model, endpoint, output limit, temperature, options.

        Returns:
            ``(name, model, base URL, max_tokens, temperature, options)``, the options being the
            provider's extra settings (Azure's endpoint and deployment ...) as sorted ``(key, value)``
            pairs. Never the key.

        Examples:
            >>> from codescribe.llm.factory import create_provider_from_env
            >>> writer = ModelWriter(create_provider_from_env(None, provider="ollama", model="qwen3:8b"))
            >>> writer.identity[:2], len(writer.identity)
            (('ollama', 'qwen3:8b'), 6)
        """
        config = self.provider.config
        options = tuple(sorted(config.options.items()))
        return (self.name, self.model, self.provider.base_url, config.max_tokens, config.temperature, options)

    def write(
        self,
        request: DocRequest,
        messages: Messages,
        enable_caching: bool | None,
        on_chunk: Callable[[str], None] | None,
    ) -> tuple[str, dict[str, Any]]:
        r"""Render the prompts with ``messages`` and have the model write the document (one call, retried).

        Args:
            request: what to document.
            messages: renders ``(system prompt, user prompt)`` for ``request``; what it raises propagates.
            enable_caching: prompt caching for this call; ``None`` keeps the provider's setting.
            on_chunk: called with each piece of text as it streams in; ``None`` for one
                non-streaming call.

        Returns:
            ``(document text, metadata)``: the model's answer as it is, and the call's
            :class:`~codescribe.llm.types.GenerationMetadata` as a dict (tokens, cost in USD, latency
            in milliseconds ...).

        Raises:
            LLMError: the call failed after the provider's retries (no key, rate limit, timeout ...).

        Examples:
            Not run here: it calls the model.

            from codescribe.engine.analysis import analyze_source
            from codescribe.engine.offline import DocRequest
            from codescribe.engine.prompts import PromptSet
            from codescribe.llm.factory import create_provider_from_env

            code = "def add(a, b):\n    return a + b\n"
            request = DocRequest("readme", analyze_source(code, "calc.py"), code)
            context = {"analysis": request.analysis, "code": code, "truncated": "", "repo_map": ""}

            def messages(request):
                return PromptSet().messages(request.doc_type, language="python", **context)

            writer = ModelWriter(create_provider_from_env(None, provider="anthropic"))  # needs ANTHROPIC_API_KEY
            text, metadata = writer.write(request, messages, None, None)
            print(metadata["output_tokens"], metadata["cost_usd"])
        """
        system, user = messages(request)
        if on_chunk is None:
            generation = self.provider.generate(user, system_prompt=system, enable_caching=enable_caching)
        else:
            generation = self.provider.generate_with_streaming(
                user, on_chunk, system_prompt=system, enable_caching=enable_caching
            )
        return generation.text, generation.metadata.to_dict()

    async def awrite(
        self,
        request: DocRequest,
        messages: Messages,
        enable_caching: bool | None,
        on_chunk: Callable[[str], Any] | None,
    ) -> tuple[str, dict[str, Any]]:
        r"""The async twin of :meth:`write`; the limiter is entered around every attempt.

        Args:
            request: what to document.
            messages: renders ``(system prompt, user prompt)`` for ``request``; what it raises propagates.
            enable_caching: prompt caching for this call; ``None`` keeps the provider's setting.
            on_chunk: called (or awaited, when async) with each piece of text as it streams in;
                ``None`` for one non-streaming call.

        Returns:
            ``(document text, metadata)``, as :meth:`write` returns them.

        Raises:
            LLMError: the call failed after the provider's retries.

        Examples:
            Not run here: it calls the model.

            import asyncio

            from codescribe.engine.analysis import analyze_source
            from codescribe.engine.offline import DocRequest
            from codescribe.engine.prompts import PromptSet
            from codescribe.llm.factory import create_provider_from_env

            code = "def add(a, b):\n    return a + b\n"
            request = DocRequest("readme", analyze_source(code, "calc.py"), code)
            context = {"analysis": request.analysis, "code": code, "truncated": "", "repo_map": ""}

            def messages(request):
                return PromptSet().messages(request.doc_type, language="python", **context)

            writer = ModelWriter(create_provider_from_env(None, provider="anthropic"))  # needs ANTHROPIC_API_KEY
            text, metadata = asyncio.run(writer.awrite(request, messages, None, lambda chunk: print(chunk, end="")))
        """
        system, user = messages(request)
        if on_chunk is None:
            generation = await self.provider.agenerate(
                user, system_prompt=system, enable_caching=enable_caching, limiter=self.limiter
            )
        else:
            generation = await self.provider.agenerate_with_streaming(
                user, on_chunk, system_prompt=system, enable_caching=enable_caching, limiter=self.limiter
            )
        return generation.text, generation.metadata.to_dict()

    async def aclose(self) -> None:
        """Close the provider's async client of the running event loop (when no other call uses it).

        Examples:
            >>> import asyncio
            >>> from codescribe.llm.factory import create_provider_from_env
            >>> writer = ModelWriter(create_provider_from_env(None, provider="ollama", model="qwen3:8b"))
            >>> asyncio.run(writer.aclose())
        """
        await self.provider.aclose()


class OfflineWriter:
    """The offline engine writes the document from the code's analysis alone: no key, no network,
    the same document for the same code.

    Args:
        prompts: the templates (``prompts/offline/``); ``None`` for the bundled ones.

    Attributes:
        engine: the :class:`~codescribe.engine.offline.OfflineEngine` that renders the documents.
        name: always ``offline``.
        model: always ``templates``.

    Examples:
        >>> writer = OfflineWriter()
        >>> writer.name, writer.model
        ('offline', 'templates')
    """

    name = OFFLINE
    model = "templates"

    def __init__(self, prompts: PromptSet | None = None) -> None:
        self.engine = OfflineEngine(prompts)

    @property
    def identity(self) -> tuple[object, ...]:
        """The offline engine writes the same for the same code and templates: nothing else to key on.

        Returns:
            ``("offline", "templates")``.

        Examples:
            >>> OfflineWriter().identity
            ('offline', 'templates')
        """
        return (self.name, self.model)

    def write(
        self,
        request: DocRequest,
        messages: Messages,
        enable_caching: bool | None,
        on_chunk: Callable[[str], None] | None,
    ) -> tuple[str, dict[str, Any]]:
        r"""Render the document from ``request``'s analysis (no model; ``messages`` is not used).

        Args:
            request: what to document.
            messages: ignored: the offline engine reads the analysis, not prompts.
            enable_caching: ignored.
            on_chunk: called once, with the whole text; ``None`` for no call.

        Returns:
            ``(document text, metadata)``; the metadata is a
            :class:`~codescribe.llm.types.GenerationMetadata` dict with provider ``offline``, model
            ``templates``, 0 tokens, ``cost_usd`` 0.0 and the time taken in ``latency_ms``.

        Raises:
            jinja2.TemplateNotFound: the doc type has no offline template (an unknown doc type).

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.offline import DocRequest
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> request = DocRequest("readme", analyze_source(code, "calc.py"), code)
            >>> chunks = []
            >>> text, metadata = OfflineWriter().write(request, lambda r: ("", ""), None, chunks.append)
            >>> chunks == [text], metadata["input_tokens"], metadata["cost_usd"]
            (True, 0, 0.0)
        """
        started = time.perf_counter()
        text = self.engine.document(request)
        if on_chunk is not None:
            on_chunk(text)
        return text, self._metadata(started)

    async def awrite(
        self,
        request: DocRequest,
        messages: Messages,
        enable_caching: bool | None,
        on_chunk: Callable[[str], Any] | None,
    ) -> tuple[str, dict[str, Any]]:
        r"""The async twin of :meth:`write`; the rendering runs on a worker thread.

        Args:
            request: what to document.
            messages: ignored: the offline engine reads the analysis, not prompts.
            enable_caching: ignored.
            on_chunk: called once with the whole text, and awaited if it returns an awaitable;
                ``None`` for no call.

        Returns:
            ``(document text, metadata)``, as :meth:`write` returns them.

        Raises:
            jinja2.TemplateNotFound: the doc type has no offline template (an unknown doc type).

        Examples:
            >>> import asyncio
            >>> from codescribe.engine.analysis import analyze_source
            >>> from codescribe.engine.offline import DocRequest
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> request = DocRequest("readme", analyze_source(code, "calc.py"), code)
            >>> text, metadata = asyncio.run(OfflineWriter().awrite(request, lambda r: ("", ""), None, None))
            >>> metadata["provider"], metadata["finish_reason"]
            ('offline', 'stop')
        """
        started = time.perf_counter()
        # CPU work: the event loop goes on meanwhile
        text = await off_the_loop(len(request.source), self.engine.document, request)
        if on_chunk is not None and inspect.isawaitable(outcome := on_chunk(text)):
            await outcome
        return text, self._metadata(started)

    async def aclose(self) -> None:
        """Nothing to release: the offline engine holds no client.

        Examples:
            >>> import asyncio
            >>> asyncio.run(OfflineWriter().aclose())
        """

    def _metadata(self, started: float) -> dict[str, Any]:
        elapsed_ms = (time.perf_counter() - started) * 1000
        metadata = GenerationMetadata(
            OFFLINE, self.model, 0, 0, latency_ms=elapsed_ms, cost_usd=0.0, finish_reason="stop"
        )
        return metadata.to_dict()


def writer_for(name: str | None, *, prompts: PromptSet | None = None, **overrides: Any) -> Writer:
    """The writer a surface names: ``offline``, or a provider from the ``LLM_*`` environment.

    Args:
        name: ``offline``, a provider name or alias (any case, surrounding spaces ignored), or
            ``None`` (or empty) for ``LLM_PROVIDER``, whose value may be ``offline`` too; with neither,
            the factory's default provider.
        prompts: the offline engine's templates; ``None`` for the bundled ones (ignored for a model).
        **overrides: :class:`~codescribe.llm.config.LLMConfig` fields that win over the environment
            (``model``, ``base_url``, ``max_tokens`` ...); ``None`` values are ignored.

    Returns:
        An :class:`OfflineWriter`, or a :class:`ModelWriter` around the provider (no limiter).

    Raises:
        LLMError: the provider cannot be built (no key, an unknown name, a bad setting).

    Examples:
        >>> writer_for("offline").name
        'offline'
        >>> writer = writer_for("ollama", model="qwen3:8b")
        >>> type(writer).__name__, writer.model
        ('ModelWriter', 'qwen3:8b')
    """
    from ..llm.config import configured_provider
    from ..llm.factory import create_provider_from_env

    chosen = (name or configured_provider() or "").strip().lower() or None
    if chosen == OFFLINE:
        return OfflineWriter(prompts)
    options = {key: value for key, value in {"provider": chosen, **overrides}.items() if value is not None}
    try:
        return ModelWriter(create_provider_from_env(None, **options))
    except LLMError as error:
        if error.operation != "configure" or not error.message.startswith("Unknown provider"):
            raise
        # The offline engine is no provider, but it is a name a surface takes: say so where names are listed.
        raise LLMError(
            f"{error.message} Or use {OFFLINE!r}: documentation from the code alone, with no key and no network.",
            error_type=error.error_type,
            provider=error.provider,
            operation=error.operation,
        ) from None
