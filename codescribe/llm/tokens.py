"""Token counts from text, where no provider has counted them yet: the one estimate CodeScribe uses.

Providers bill and limit in tokens, which only their tokenizers count exactly. Before a call,
CodeScribe estimates: about :data:`CHARS_PER_TOKEN` characters a token. That is OpenAI's rule of
thumb for English text ("1 token ~= 4 chars in English", in its help article *What are tokens and
how to count them?*); Anthropic's glossary puts a Claude token nearer 3.5 English characters, so for
Claude the estimate runs somewhat low. For a bound (a budget that is never crossed), a token is
taken to be at least one character: :data:`MAX_TOKENS_PER_CHAR`. That holds for ASCII text such as
most code; a byte-level tokenizer may spend more than one token on a single character it has no
entry for (some emoji, rare CJK characters), so for such text it is not a strict bound.
"""

from __future__ import annotations

__all__ = ["CHARS_PER_TOKEN", "MAX_TOKENS_PER_CHAR", "chars_for_tokens", "estimate_tokens"]

#: Characters in a token, on average (an estimate, not a bound): OpenAI's figure for English text.
CHARS_PER_TOKEN = 4
#: Tokens in a character, at most, as the budget assumes: true of ASCII text, not of every character
#: (see the module docstring).
MAX_TOKENS_PER_CHAR = 1


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
