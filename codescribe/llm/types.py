"""Values the provider layer hands back: capabilities, generations and their metadata."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Capabilities", "Generation", "GenerationMetadata", "OnChunk", "RawCompletion"]

#: Called with each text chunk of a streaming generation (a sync callable, or an async one for the async methods).
OnChunk = Callable[[str], None] | Callable[[str], Awaitable[None]]

CachingMode = Literal["explicit", "automatic", "none"]


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a provider can do, as its class declares it (``LLMProvider.CAPABILITIES``).

    These are declarations for callers to read; the provider layer does not consult them itself.

    Attributes:
        streaming: whether ``generate_with_streaming`` delivers text as it is generated.
        caching: how the provider caches prompt prefixes: ``"explicit"`` when the request marks what to
            cache (Anthropic's ``cache_control`` blocks), ``"automatic"`` when the server caches on its
            own (OpenAI, Azure OpenAI, llama-server), ``"none"`` when it does not.
        system_prompt: whether a system prompt is sent as such.
        async_calls: whether the ``agenerate`` methods make true async calls (the SDK's async client).
        max_context_tokens: the model's context window in tokens, or ``None`` when not known.
        reports_cache_writes: whether the usage the server reports counts tokens written to the cache
            (Anthropic's ``cache_creation_input_tokens``); OpenAI reports only cache reads.

    Examples:
        >>> Capabilities(caching="explicit", max_context_tokens=200_000).caching
        'explicit'
    """

    streaming: bool = True
    caching: CachingMode = "none"
    system_prompt: bool = True
    async_calls: bool = True
    max_context_tokens: int | None = None
    reports_cache_writes: bool = False


@dataclass(frozen=True, slots=True)
class GenerationMetadata:
    """Accounting for one generation.

    ``input_tokens`` is what the server reported as input for this request: for Anthropic
    it excludes cached tokens, for OpenAI it includes them (see ``cache_read_tokens``).
    ``cost_usd`` is ``None`` when the model's price is unknown, never a made-up zero.

    Attributes:
        provider: the provider's registered name (``"anthropic"``, ``"openai"``, ``"ollama"`` ...).
        model: the model that answered, as the server named it (else the configured model).
        input_tokens: input tokens, as the server reported them (see above).
        output_tokens: output tokens, as the server reported them.
        cache_read_tokens: input tokens read from the provider's prompt cache.
        cache_write_tokens: input tokens written to the prompt cache (reported by the Anthropic protocol
            only; 0 otherwise).
        latency_ms: milliseconds from the first attempt to the finished answer, retries and their waits
            included (for the async methods, counted from when the first attempt left the limiter).
        ttft_ms: milliseconds to the first streamed chunk; ``None`` when nothing was streamed.
        cost_usd: what the call cost in USD, from the price table; ``None`` when the price is unknown.
        request_id: the server's request id (``request-id`` or ``x-request-id`` header), if it sent one.
        finish_reason: why generation stopped, in the provider's own words (``"end_turn"``, ``"stop"``,
            ``"max_tokens"``, ``"length"`` ...).
        retries: how many times the call was retried before it succeeded.
        usage: the usage object exactly as the provider reported it (see below).

    Examples:
        >>> metadata = GenerationMetadata("openai", "gpt-4o", 1200, 300, cache_read_tokens=1024)
        >>> metadata.was_cached, metadata.cost_usd
        (True, None)
    """

    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    latency_ms: float = 0.0
    ttft_ms: float | None = None
    cost_usd: float | None = None
    request_id: str | None = None
    finish_reason: str | None = None
    retries: int = 0
    #: The usage object exactly as the provider reported it (JSON-ready), so fields this
    #: package does not read yet (reasoning tokens, server tool use, ...) are still there.
    usage: dict[str, Any] | None = None

    @property
    def was_cached(self) -> bool:
        """Whether part of the prompt was read from the provider's cache.

        Returns:
            ``True`` when ``cache_read_tokens`` is above 0.

        Examples:
            >>> GenerationMetadata("anthropic", "claude-sonnet-4-5", input_tokens=10, output_tokens=5).was_cached
            False
        """
        return self.cache_read_tokens > 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of this metadata.

        Returns:
            A dict mapping every field name to its value (``usage`` copied), plus ``"was_cached"``.

        Examples:
            >>> data = GenerationMetadata("openai", "gpt-4o", input_tokens=1200, output_tokens=300).to_dict()
            >>> data["input_tokens"], data["cost_usd"], data["was_cached"]
            (1200, None, False)
        """
        data = dataclasses.asdict(self)
        data["was_cached"] = self.was_cached
        return data


@dataclass(frozen=True, slots=True)
class Generation:
    """The text a provider generated, with its metadata.

    Attributes:
        text: the generated text (for a stream, all its chunks joined).
        metadata: tokens, cost, timing and ids of the call (:class:`GenerationMetadata`).

    Examples:
        >>> generation = Generation("Adds two numbers.", GenerationMetadata("openai", "gpt-4o", 20, 4))
        >>> generation.text
        'Adds two numbers.'
    """

    text: str
    metadata: GenerationMetadata

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the generation.

        Returns:
            A dict ``{"text": str, "metadata": dict}``, the metadata as :meth:`GenerationMetadata.to_dict` gives it.

        Examples:
            >>> data = Generation("Adds two numbers.", GenerationMetadata("openai", "gpt-4o", 20, 4)).to_dict()
            >>> data["text"], data["metadata"]["output_tokens"]
            ('Adds two numbers.', 4)
        """
        return {"text": self.text, "metadata": self.metadata.to_dict()}


@dataclass(slots=True)
class RawCompletion:
    """What a provider hook read from one successful SDK call, before accounting.

    The base class turns it into a :class:`Generation` (timing, cost), or into an ``LLMError``
    (``CONTENT_FILTER``) when ``refusal`` is set. Token fields are as the server reported them
    (0 when it did not); see :class:`GenerationMetadata` for their meaning.
    """

    text: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    request_id: str | None = None
    finish_reason: str | None = None
    #: The provider's usage object, as a dict (see :attr:`GenerationMetadata.usage`).
    usage: dict[str, Any] | None = None
    #: Whether the token counts above are the server's: ``False`` when it reported no input or no
    #: output count (a stream cut before its usage chunk, a server that sends none), which leaves
    #: the cost unknown, not zero.
    counted: bool = True
    #: Set when the model declined to answer (the text of the refusal, or the stop reason).
    refusal: str | None = None
    #: A stream's stop reason before its terminal event (Anthropic's ``message_delta`` carries it, and
    #: ``message_stop`` ends the stream): it becomes ``finish_reason`` only then, so a cut stream is no answer.
    pending_finish: str | None = None
    #: The most output tokens the request allowed (its ``max_tokens``): a count above it is no count.
    max_tokens: int | None = None
