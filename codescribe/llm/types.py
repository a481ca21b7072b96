"""Values the provider layer hands back: capabilities, generations and their metadata."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Capabilities", "Generation", "GenerationMetadata", "OnChunk", "RawCompletion"]

#: Called with each text chunk of a streaming generation (sync or async callable).
OnChunk = Callable[[str], None] | Callable[[str], Awaitable[None]]

CachingMode = Literal["explicit", "automatic", "none"]


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a provider can do, stated truthfully per provider."""

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
        """Whether part of the prompt was read from the provider's cache."""
        return self.cache_read_tokens > 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view: every field, and ``was_cached``."""
        data = dataclasses.asdict(self)
        data["was_cached"] = self.was_cached
        return data


@dataclass(frozen=True, slots=True)
class Generation:
    """The text a provider generated, with its metadata."""

    text: str
    metadata: GenerationMetadata

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view: ``{"text": ..., "metadata": {...}}``."""
        return {"text": self.text, "metadata": self.metadata.to_dict()}


@dataclass(slots=True)
class RawCompletion:
    """What a provider hook read from one successful SDK call, before accounting."""

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
    #: Set when the model declined to answer (the text of the refusal, or the stop reason).
    refusal: str | None = None
