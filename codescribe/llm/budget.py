"""A spending limit that is never crossed: each call reserves its worst case before it is made."""

from __future__ import annotations

import logging
from collections.abc import Hashable

from .providers.base import LLMProvider
from .tokens import MAX_TOKENS_PER_CHAR

__all__ = ["CostBudget"]

log = logging.getLogger("codescribe.llm")
#: Characters of templates, style rules and repository map added to every prompt, at most.
PROMPT_OVERHEAD_CHARS = 12_000


class CostBudget:
    """Reserve → settle accounting against ``limit`` USD (``None``: no limit), across providers.

    A reservation prices the prompt at one token per character plus the provider's full
    ``max_tokens`` of output at its model's price, so the actual cost can only be lower. A provider whose price is
    unknown gets no reservation under a limit: no call of it can be proven to fit.
    """

    def __init__(self, limit: float | None) -> None:
        self.limit = limit
        self.spent = 0.0
        self._reserved: dict[Hashable, float] = {}
        self._warned: set[str] = set()

    def worst_case(self, provider: LLMProvider, prompt_chars: int) -> float:
        price = provider.price
        if price is None:
            return float("inf")
        tokens = (prompt_chars + PROMPT_OVERHEAD_CHARS) * MAX_TOKENS_PER_CHAR  # a bound, not an estimate
        return price.cost(input_tokens=tokens, output_tokens=provider.config.max_tokens, cache_read=0, cache_write=0)

    def reserve(self, key: Hashable, provider: LLMProvider, prompt_chars: int) -> bool:
        """Whether a call may be made; if so, its worst case is held until :meth:`settle`."""
        if self.limit is None:
            return True
        cost = self.worst_case(provider, prompt_chars)
        if cost == float("inf") and provider.model not in self._warned:
            self._warned.add(provider.model)
            log.warning(
                "No price known for %s, so the budget of $%.2f cannot cover it: no call will be made.",
                provider.model,
                self.limit,
            )
        if self.spent + sum(self._reserved.values()) + cost > self.limit:
            return False
        self._reserved[key] = cost
        return True

    def held(self, key: Hashable) -> float:
        """What ``key``'s reservation holds (0 without one)."""
        return self._reserved.get(key, 0.0)

    def release(self, key: Hashable) -> None:
        """The call failed before costing anything."""
        self._reserved.pop(key, None)

    def settle(self, key: Hashable, cost: float | None) -> None:
        """The call's real cost replaces its reservation (the reservation stands if the cost is unknown)."""
        reserved = self._reserved.pop(key, 0.0)
        self.spent += reserved if cost is None else cost
