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
    """Deprecated: a Claude client whose calls return text only (no metadata).

    Creating one emits a ``DeprecationWarning``. Without a provider it builds an Anthropic one in
    the default factory: the key from ``CLAUDE_API_KEY``, else ``ANTHROPIC_API_KEY``; the model
    from ``CLAUDE_MODEL``, else the Anthropic default; ``max_tokens=4000``, ``max_retries=3``. The
    generic ``LLM_*`` variables are not read.

    Args:
        provider: the provider to call; ``None``: the Anthropic one described above.

    Attributes:
        provider: the :class:`~codescribe.llm.providers.base.LLMProvider` the calls go to.

    Raises:
        LLMError: ``provider`` is ``None`` and no key is set (``AUTH``), or ``LLM_PRICES_FILE``
            cannot be read (``VALIDATION``).

    Examples:
        >>> import warnings
        >>> from codescribe.llm import LLMConfig, create_provider
        >>> provider = create_provider(LLMConfig(provider="ollama", model="llama3.2"))
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     client = ClaudeClient(provider)
        >>> caught[0].category.__name__, client.provider is provider
        ('DeprecationWarning', True)
    """

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
        """Generate and return the text only (see ``LLMProvider.generate``).

        Args:
            prompt: the user message; a non-empty string.
            system_prompt: the system prompt; ``None`` sends none.
            cache_user_message: with caching on (the provider's ``enable_caching``), mark the prompt
                itself for prompt caching too (Anthropic protocol only).

        Returns:
            The generated text.

        Raises:
            LLMError: as ``LLMProvider.generate`` raises it (an empty prompt, a refusal, or the
                provider's failure after its retries).

        Examples:
            A call goes over the network (``CLAUDE_API_KEY`` or ``ANTHROPIC_API_KEY`` set)::

                client = ClaudeClient()
                print(client.generate("Summarise PEP 8 in one line.", system_prompt="Be brief."))
        """
        return self.provider.generate(prompt, system_prompt=system_prompt, cache_user_message=cache_user_message).text

    def generate_with_streaming(
        self,
        prompt: str,
        on_chunk: Callable[[str], None],
        *,
        system_prompt: str | None = None,
        cache_user_message: bool = False,
    ) -> str:
        """Stream to ``on_chunk`` and return the whole text (see ``LLMProvider.generate_with_streaming``).

        Args:
            prompt: the user message; a non-empty string.
            on_chunk: called with each piece of text, in order, as it arrives.
            system_prompt: the system prompt; ``None`` sends none.
            cache_user_message: with caching on, mark the prompt itself for prompt caching too
                (Anthropic protocol only).

        Returns:
            The generated text: every chunk, joined.

        Raises:
            LLMError: as ``LLMProvider.generate_with_streaming`` raises it.
            Exception: whatever ``on_chunk`` raises propagates unchanged.

        Examples:
            A call goes over the network (``CLAUDE_API_KEY`` or ``ANTHROPIC_API_KEY`` set)::

                client = ClaudeClient()
                text = client.generate_with_streaming("Explain PEP 8.", lambda chunk: print(chunk, end=""))
        """
        return self.provider.generate_with_streaming(
            prompt, on_chunk, system_prompt=system_prompt, cache_user_message=cache_user_message
        ).text
