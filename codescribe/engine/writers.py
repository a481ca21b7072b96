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

from ..llm.providers.base import AttemptLimiter, LLMProvider
from ..llm.types import GenerationMetadata
from .offline import DocRequest, OfflineEngine
from .prompts import PromptSet

__all__ = ["OFFLINE", "ModelWriter", "OfflineWriter", "Writer", "writer_for"]

#: The name that chooses the offline engine wherever a provider is named.
OFFLINE = "offline"

#: ``(system prompt, user prompt)`` of a request, rendered when a model needs them.
Messages = Callable[[DocRequest], tuple[str, str]]


class Writer(Protocol):
    """What ``DocGenerator`` needs of a writer."""

    #: ``offline``, or the provider's name (``anthropic``, ``openai`` ...).
    name: str
    #: The model that writes (``templates`` for the offline engine).
    model: str

    @property
    def identity(self) -> tuple[object, ...]:
        """Everything about the writer that changes what it writes: part of every cache key."""

    def write(
        self,
        request: DocRequest,
        messages: Messages,
        enable_caching: bool | None,
        on_chunk: Callable[[str], None] | None,
    ) -> tuple[str, dict[str, Any]]:
        """The document for ``request`` and its metadata; ``on_chunk`` gets the text as it comes."""

    async def awrite(
        self,
        request: DocRequest,
        messages: Messages,
        enable_caching: bool | None,
        on_chunk: Callable[[str], Any] | None,
    ) -> tuple[str, dict[str, Any]]:
        """The async twin of :meth:`write`; ``on_chunk`` may be async."""

    async def aclose(self) -> None:
        """Release what the running event loop holds (a provider's async client)."""


class ModelWriter:
    """A model writes the document from the rendered prompts, through ``provider``.

    Args:
        provider: the provider to call.
        limiter: entered around every attempt of each async call, retries included (see
            :data:`~codescribe.llm.providers.base.AttemptLimiter`).
    """

    def __init__(self, provider: LLMProvider, limiter: AttemptLimiter | None = None) -> None:
        self.provider = provider
        self.limiter = limiter
        self.name = provider.provider_name
        self.model = provider.model

    @property
    def identity(self) -> tuple[object, ...]:
        """The provider, model, endpoint, output limit, temperature and provider options (Azure's
        endpoint and deployment ...): what changes the answer; never the key."""
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
        await self.provider.aclose()


class OfflineWriter:
    """The offline engine writes the document from the code's analysis alone: no key, no network,
    the same document for the same code.

    Args:
        prompts: the templates (``prompts/offline/``); default: the bundled ones.
    """

    name = OFFLINE
    model = "templates"

    def __init__(self, prompts: PromptSet | None = None) -> None:
        self.engine = OfflineEngine(prompts)

    @property
    def identity(self) -> tuple[object, ...]:
        """The offline engine writes the same for the same code and templates."""
        return (self.name, self.model)

    def write(
        self,
        request: DocRequest,
        messages: Messages,
        enable_caching: bool | None,
        on_chunk: Callable[[str], None] | None,
    ) -> tuple[str, dict[str, Any]]:
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
        started = time.perf_counter()
        text = self.engine.document(request)
        if on_chunk is not None and inspect.isawaitable(outcome := on_chunk(text)):
            await outcome
        return text, self._metadata(started)

    async def aclose(self) -> None:
        """Nothing to release."""

    def _metadata(self, started: float) -> dict[str, Any]:
        elapsed_ms = (time.perf_counter() - started) * 1000
        metadata = GenerationMetadata(
            provider=OFFLINE,
            model=self.model,
            input_tokens=0,
            output_tokens=0,
            latency_ms=elapsed_ms,
            cost_usd=0.0,
            finish_reason="stop",
        )
        return metadata.to_dict()


def writer_for(name: str | None, *, prompts: PromptSet | None = None, **overrides: Any) -> Writer:
    """The writer a surface names: ``offline``, or a provider from the ``LLM_*`` environment.

    Args:
        name: ``offline``, a provider name or alias, or ``None`` for ``LLM_PROVIDER`` (whose value
            may be ``offline`` too).
        prompts: the offline engine's templates (ignored for a model).
        overrides: :class:`~codescribe.llm.config.LLMConfig` fields that win over the environment
            (``model``, ``base_url``, ``max_tokens`` ...); ``None`` values are ignored.

    Raises:
        LLMError: the provider cannot be built (no key, an unknown name, a bad setting).
    """
    from ..llm.config import configured_provider
    from ..llm.factory import create_provider_from_env

    chosen = (name or configured_provider() or "").strip().lower() or None
    if chosen == OFFLINE:
        return OfflineWriter(prompts)
    options = {key: value for key, value in {"provider": chosen, **overrides}.items() if value is not None}
    return ModelWriter(create_provider_from_env(None, **options))
