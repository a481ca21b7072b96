"""The original service's ``ClaudeClient``, kept so old code keeps working.

.. deprecated:: 0.1
    Use :func:`codescribe.llm.create_provider_from_env` instead::

        client = ClaudeClient()                     # before
        provider = create_provider_from_env()       # after: returns Generation, not str
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

from .llm.config import LLMConfig, env_value
from .llm.factory import create_provider
from .llm.providers.anthropic import AnthropicProvider
from .llm.providers.base import LLMProvider

__all__ = ["ClaudeClient"]


class ClaudeClient:
    """Deprecated: a Claude client whose calls return text only (no metadata)."""

    def __init__(self, provider: LLMProvider | None = None) -> None:
        warnings.warn(
            "ClaudeClient is deprecated: use codescribe.llm.create_provider_from_env(), "
            "whose generate() returns the text with its metadata.",
            DeprecationWarning,
            stacklevel=2,
        )
        self.provider = provider or create_provider(
            LLMConfig(
                provider="anthropic",
                api_key=env_value("CLAUDE_API_KEY"),
                model=env_value("CLAUDE_MODEL") or AnthropicProvider.DEFAULT_MODEL,
                max_tokens=4000,
                max_retries=3,
            )
        )

    def generate(self, prompt: str, *, system_prompt: str | None = None, cache_user_message: bool = False) -> str:
        """Generate and return the text only."""
        return self.provider.generate(prompt, system_prompt=system_prompt, cache_user_message=cache_user_message).text

    def generate_with_streaming(
        self,
        prompt: str,
        on_chunk: Callable[[str], None],
        *,
        system_prompt: str | None = None,
        cache_user_message: bool = False,
    ) -> str:
        """Stream to ``on_chunk`` and return the whole text."""
        return self.provider.generate_with_streaming(
            prompt, on_chunk, system_prompt=system_prompt, cache_user_message=cache_user_message
        ).text
