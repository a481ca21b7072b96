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
    """One OpenAI- or Anthropic-compatible server."""

    name: str
    protocol: Literal["openai", "anthropic"]
    base_url: str | None
    aliases: tuple[str, ...] = ()
    env_api_key: tuple[str, ...] = ()
    requires_key: bool = False
    local: bool = True
    caching: Literal["explicit", "automatic", "none"] = "none"
    max_context_tokens: int | None = None


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
    """The provider class for one row: the protocol's provider with the row's constants."""
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
