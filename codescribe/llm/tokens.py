"""Token counts from text, where no provider has counted them yet: the one estimate CodeScribe uses, and a bound.

Providers bill and limit in tokens, which only their tokenizers count exactly. Before a call,
CodeScribe estimates: about :data:`CHARS_PER_TOKEN` characters a token. That is OpenAI's rule of
thumb for English text ("1 token ~= 4 chars in English", in its help article *What are tokens and
how to count them?*); Anthropic's glossary puts a Claude token nearer 3.5 English characters, so for
Claude the estimate runs somewhat low.

For a bound (a budget that is never crossed), :func:`max_prompt_tokens` counts a token per byte of the
text in UTF-8. The tokenizers of these models are byte-level BPE (OpenAI's tiktoken encodings, Llama
3's, GPT-2's and SmolLM2's) or SentencePiece with byte fallback (Llama 2, Gemma): every token covers at
least one byte, so no text makes more tokens than it has bytes. A character does not bound it: an emoji
or a rare CJK character is 3 or 4 bytes, and llama-server's SmolLM2 spent 2.99 tokens on each emoji of a
test text. The chat template's own tokens (roles, turn markers) are added per call:
:data:`TEMPLATE_TOKENS`.
"""

from __future__ import annotations

__all__ = ["CHARS_PER_TOKEN", "TEMPLATE_TOKENS", "chars_for_tokens", "estimate_tokens", "max_prompt_tokens"]

#: Characters in a token, on average (an estimate, not a bound): OpenAI's figure for English text.
CHARS_PER_TOKEN = 4
#: Tokens a chat template adds to one call's system and user messages at most (role names, turn markers,
#: a beginning-of-text token): ChatML spends 5 per message, Llama 3's template 4 to 5, with room to spare.
TEMPLATE_TOKENS = 32


def max_prompt_tokens(*texts: str) -> int:
    """The most tokens ``texts`` can make as one call's prompts: a bound, never an estimate.

    Args:
        texts: the call's prompts (system and user), as sent.

    Returns:
        Their UTF-8 bytes, plus :data:`TEMPLATE_TOKENS`.

    Examples:
        >>> max_prompt_tokens("You document code.", "def add(a, b): ...")
        68
        >>> max_prompt_tokens("🙂" * 10)  # 4 bytes each; a byte-level tokenizer may spend up to 4 tokens on one
        72
    """
    return sum(len(text.encode("utf-8", "surrogatepass")) for text in texts) + TEMPLATE_TOKENS


def estimate_tokens(chars: int) -> int:
    """Estimate how many tokens ``chars`` characters of text make, rounded down.

    An estimate at :data:`CHARS_PER_TOKEN` characters a token, not a count: the provider's
    tokenizer decides the real number, which it reports after the call.

    Args:
        chars: a length of text, in characters (e.g. ``len(prompt)``).

    Returns:
        The estimated number of tokens: ``chars // CHARS_PER_TOKEN``.

    Examples:
        >>> estimate_tokens(4_000)
        1000
        >>> estimate_tokens(7)
        1
    """
    return chars // CHARS_PER_TOKEN


def chars_for_tokens(tokens: int) -> int:
    """Estimate how many characters of text make ``tokens`` tokens (the inverse of :func:`estimate_tokens`).

    Args:
        tokens: a number of tokens, e.g. a model's context window.

    Returns:
        The estimated number of characters: ``tokens * CHARS_PER_TOKEN``.

    Examples:
        >>> chars_for_tokens(200_000)
        800000
    """
    return tokens * CHARS_PER_TOKEN
