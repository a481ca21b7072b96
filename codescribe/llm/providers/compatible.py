"""Local and third-party servers that speak the OpenAI or Anthropic protocol: data, not classes.

Each row names a server, its protocol and default base URL; :func:`provider_class` turns a
row into a provider class on first use. A server not listed here is reached with
``openai-compatible`` or ``anthropic-compatible`` and ``LLM_BASE_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from ..types import Capabilities
from .anthropic import AnthropicProvider
from .base import LLMProvider
from .openai import OpenAIProvider

__all__ = ["ENDPOINTS", "CompatibleEndpoint", "provider_class"]


@dataclass(frozen=True, slots=True)
class CompatibleEndpoint:
    """One OpenAI- or Anthropic-compatible server.

    Attributes:
        name: the provider name it is registered under (``"ollama"`` ...).
        protocol: which API it speaks: ``"openai"`` (Chat Completions) or ``"anthropic"`` (Messages).
        base_url: its default address; ``None`` when the user must give one (``LLM_BASE_URL``).
        aliases: other names for it (``"lm-studio"`` ...).
        env_api_key: its own key variables, tried in order (``OLLAMA_API_KEY`` ...).
        requires_key: whether the provider needs a key (without one, building it raises ``AUTH``).
        local: whether it runs locally and so costs nothing (its price is zero, not unknown).
        caching: its prompt caching, as in :class:`~codescribe.llm.types.Capabilities`.
        max_context_tokens: its context window in tokens, or ``None`` when not known.

    Examples:
        >>> CompatibleEndpoint("my-server", "openai", "http://127.0.0.1:9000/v1").local
        True
    """

    name: str
    protocol: Literal["openai", "anthropic"]
    base_url: str | None
    aliases: tuple[str, ...] = ()
    env_api_key: tuple[str, ...] = ()
    requires_key: bool = False
    local: bool = True
    caching: Literal["explicit", "automatic", "none"] = "none"
    max_context_tokens: int | None = None


#: The compatible servers every factory knows (default ports as each server documents them).
ENDPOINTS: tuple[CompatibleEndpoint, ...] = (
    CompatibleEndpoint("openai-compatible", "openai", None, aliases=("local",)),
    CompatibleEndpoint("anthropic-compatible", "anthropic", None),
    # llama-server reports cached_tokens from its prompt cache.
    CompatibleEndpoint(
        "llamacpp", "openai", "http://127.0.0.1:8080/v1", aliases=("llama.cpp", "llama-cpp"), caching="automatic"
    ),
    CompatibleEndpoint("ollama", "openai", "http://127.0.0.1:11434/v1", env_api_key=("OLLAMA_API_KEY",)),
    CompatibleEndpoint("vllm", "openai", "http://127.0.0.1:8000/v1", env_api_key=("VLLM_API_KEY",)),
    CompatibleEndpoint("lmstudio", "openai", "http://127.0.0.1:1234/v1", aliases=("lm-studio",)),
)


@cache
def provider_class(endpoint: CompatibleEndpoint) -> type[LLMProvider]:
    """The provider class for one row: the protocol's provider with the row's constants.

    A subclass of :class:`~codescribe.llm.providers.openai.OpenAIProvider` or
    :class:`~codescribe.llm.providers.anthropic.AnthropicProvider`, with no default model (the
    user names one), the row's base URL, key variables and capabilities; OpenAI-protocol servers
    are sent ``max_tokens`` rather than ``max_completion_tokens``. Made once per row (cached).

    Args:
        endpoint: the server's row (one of :data:`ENDPOINTS`, or a row of your own).

    Returns:
        The provider class, named after the server (``"openai-compatible"`` → ``OpenaiCompatibleProvider``).

    Examples:
        >>> ollama = next(endpoint for endpoint in ENDPOINTS if endpoint.name == "ollama")
        >>> cls = provider_class(ollama)
        >>> cls.__name__, cls.DEFAULT_BASE_URL, cls.LOCAL
        ('OllamaProvider', 'http://127.0.0.1:11434/v1', True)
        >>> provider_class(ollama) is cls
        True
    """
    base: type[LLMProvider] = OpenAIProvider if endpoint.protocol == "openai" else AnthropicProvider
    constants = {
        "PROVIDER_NAME": endpoint.name,
        "ENV_API_KEY_NAMES": endpoint.env_api_key,
        "DEFAULT_MODEL": None,
        "DEFAULT_BASE_URL": endpoint.base_url,
        "REQUIRES_API_KEY": endpoint.requires_key,
        "REQUIRES_BASE_URL": endpoint.base_url is None,
        "LOCAL": endpoint.local,
        "CAPABILITIES": Capabilities(
            streaming=True,
            caching=endpoint.caching,
            max_context_tokens=endpoint.max_context_tokens,
            reports_cache_writes=endpoint.protocol == "anthropic",
        ),
        "__doc__": f"The {endpoint.name} server ({endpoint.protocol} protocol).",
        "__module__": __name__,
    }
    if endpoint.protocol == "openai":
        constants["MAX_TOKENS_PARAM"] = "max_tokens"  # what every local server understands
    class_name = "".join(part.title() for part in endpoint.name.replace(".", "-").split("-")) + "Provider"
    return type(class_name, (base,), constants)
