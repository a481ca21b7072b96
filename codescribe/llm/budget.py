"""A spending limit that is never crossed: each call reserves its worst case before it is made."""

from __future__ import annotations

import logging
from collections.abc import Hashable

from .providers.base import LLMProvider

__all__ = ["CostBudget"]

log = logging.getLogger("codescribe.llm")
#: Characters per token, for estimating a prompt's size before it is rendered.
CHARS_PER_TOKEN = 4
#: Tokens of templates, style rules and repository map added to every prompt.
PROMPT_OVERHEAD_TOKENS = 2_000


class CostBudget:
    """Reserve → settle accounting against ``limit`` USD (``None``: no limit).

    A reservation prices the prompt estimate plus the full ``max_tokens`` of output at the
    provider's price, so the actual cost can only be lower. With a limit and no known price,
    nothing is reserved: no call can be proven to fit.
    """

    def __init__(self, limit: float | None, provider: LLMProvider) -> None:
        self.limit = limit
        self.spent = 0.0
        self._reserved: dict[Hashable, float] = {}
        self.price = provider.price
        self.max_output = provider.config.max_tokens
        if limit is not None and self.price is None:
            log.warning("No price known for %s, so a budget of $%.2f cannot be enforced: no call will be made.",
                        provider.model, limit)  # fmt: skip

    def worst_case(self, prompt_chars: int) -> float:
        if self.price is None:
            return float("inf")
        tokens = prompt_chars // CHARS_PER_TOKEN + PROMPT_OVERHEAD_TOKENS
        return self.price.cost(input_tokens=tokens, output_tokens=self.max_output, cache_read=0, cache_write=0)

    def reserve(self, key: Hashable, prompt_chars: int) -> bool:
        """Whether a call may be made; if so, its worst case is held until :meth:`settle`."""
        if self.limit is None:
            return True
        cost = self.worst_case(prompt_chars)
        if self.spent + sum(self._reserved.values()) + cost > self.limit:
            return False
        self._reserved[key] = cost
        return True

    def release(self, key: Hashable) -> None:
        """The call failed before costing anything."""
        self._reserved.pop(key, None)

    def settle(self, key: Hashable, cost: float | None) -> None:
        """The call's real cost replaces its reservation (the reservation stands if the cost is unknown)."""
        reserved = self._reserved.pop(key, 0.0)
        self.spent += reserved if cost is None else cost
