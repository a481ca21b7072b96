"""Token counts from text, where no provider has counted them yet: the one estimate CodeScribe uses.

Providers bill and limit in tokens, which only their tokenizers count exactly. Before a call,
CodeScribe estimates: about :data:`CHARS_PER_TOKEN` characters a token, the figure OpenAI and
Anthropic both give for English text and code. For a bound that must hold whatever the text
(a budget that is never crossed), a token is at least one character: :data:`MAX_TOKENS_PER_CHAR`.
"""

from __future__ import annotations

__all__ = ["CHARS_PER_TOKEN", "MAX_TOKENS_PER_CHAR", "chars_for_tokens", "estimate_tokens"]

#: Characters in a token, on average (an estimate, not a bound).
CHARS_PER_TOKEN = 4
#: Tokens in a character, at most: no tokenizer makes a token of less than one character.
MAX_TOKENS_PER_CHAR = 1


def estimate_tokens(chars: int) -> int:
    """About how many tokens ``chars`` characters of text make (rounded down)."""
    return chars // CHARS_PER_TOKEN


def chars_for_tokens(tokens: int) -> int:
    """About how many characters make ``tokens`` tokens."""
    return tokens * CHARS_PER_TOKEN
