"""A spending limit that is never crossed: each call reserves its worst case before it is made."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Hashable

from ..progress import get_logger
from .errors import ErrorType, LLMError
from .providers.base import LLMProvider

__all__ = ["CostBudget", "failed_cost"]

log = get_logger("codescribe.llm")


def failed_cost(error: LLMError) -> tuple[bool, float | None]:
    """Whether a failed call may have been billed, and what it cost.

    A call that reported usage before it failed (a stream cut part way, a refusal) was billed at
    that usage; one that timed out may have been billed for work the server did anyway, at a cost
    nobody knows. Any other failure (a refused connection, an error status) cost nothing.

    Args:
        error: the call's error.

    Returns:
        ``(billed, cost_usd)``: ``cost_usd`` is the error's (``None`` when unknown, which a budget
        counts at the call's reservation); ``(False, None)`` when the call cost nothing.

    Examples:
        >>> failed_cost(LLMError("timed out", error_type=ErrorType.TIMEOUT))
        (True, None)
        >>> failed_cost(LLMError("refused", error_type=ErrorType.NETWORK))
        (False, None)
    """
    if error.metadata is not None:
        return True, error.metadata.cost_usd
    return error.error_type is ErrorType.TIMEOUT, None


class CostBudget:
    """Reserve → settle accounting against ``limit`` USD (``None``: no limit), across providers.

    Before each call, :meth:`reserve` holds the call's worst case (see :meth:`worst_case`); after it,
    :meth:`settle` replaces the hold with the real cost, or :meth:`release` drops it when the call
    failed before costing anything. A call is allowed only while what is spent plus everything held
    plus its own worst case stays within ``limit``. A provider whose price is unknown gets no
    reservation under a limit: no call of it can be proven to fit. Local servers are priced at zero.

    Args:
        limit: the most to spend, in USD; ``None`` for no limit (every reservation succeeds, and
            :attr:`spent` is still added up by :meth:`settle`).

    Attributes:
        limit: the limit given, in USD, or ``None``.
        spent: USD settled so far (real costs, or the reservations of calls whose cost was unknown).

    Examples:
        >>> from codescribe.llm import LLMConfig, ModelPrice, PriceTable
        >>> from codescribe.llm.providers.openai import OpenAIProvider
        >>> prices = PriceTable({"demo-model": ModelPrice(input=1.0, output=10.0, cache_write=1.0, cache_read=0.1)})
        >>> config = LLMConfig(provider="openai", model="demo-model", api_key="not-a-real-key", max_tokens=1000)
        >>> provider = OpenAIProvider(config, prices=prices)
        >>> budget = CostBudget(0.05)
        >>> budget.reserve("page-1", provider, prompt_tokens=20_000)  # worst case $0.03
        True
        >>> budget.reserve("page-2", provider, prompt_tokens=20_000)  # $0.03 more would pass $0.05
        False
        >>> budget.settle("page-1", 0.012)
        >>> budget.reserve("page-2", provider, prompt_tokens=20_000)
        True
        >>> budget.spent, budget.held("page-2")
        (0.012, 0.03)
    """

    def __init__(self, limit: float | None) -> None:
        self.limit = limit
        self.spent = 0.0
        self._reserved: dict[Hashable, float] = {}
        self._warned: set[str] = set()
        self._freed: asyncio.Event | None = None  # set when a reservation is settled or released
        #: The reservations held by calls now waiting in :meth:`areserve` (a retry's own call): they
        #: free nothing until that wait ends.
        self._stuck: dict[Hashable, frozenset[Hashable]] = {}

    def worst_case(self, provider: LLMProvider, prompt_tokens: int, calls: int = 1) -> float:
        """The most ``calls`` calls of ``provider`` whose prompts make ``prompt_tokens`` in all can cost, in USD.

        The input is ``prompt_tokens`` (a bound: :func:`~codescribe.llm.tokens.max_prompt_tokens` of the
        rendered prompts), priced at the dearer of the model's input and cache-write rates (a cached
        prompt is billed as written), and the output the provider's full ``config.max_tokens`` per call
        at its output rate.

        Args:
            provider: the provider the call would go to; its :attr:`~LLMProvider.price` is used.
            prompt_tokens: the most tokens the prompts make, in all.
            calls: how many calls share them (a file rewritten in pieces makes one per piece).

        Returns:
            The worst-case cost in USD; ``float("inf")`` when the model's price is unknown, and
            ``0.0`` for a local server.

        Examples:
            >>> from codescribe.llm import LLMConfig, ModelPrice, PriceTable
            >>> from codescribe.llm.providers.openai import OpenAIProvider
            >>> prices = PriceTable({"demo-model": ModelPrice(input=1.0, output=10.0, cache_write=1.0, cache_read=0.1)})
            >>> config = LLMConfig(provider="openai", model="demo-model", api_key="not-a-real-key", max_tokens=1000)
            >>> CostBudget(None).worst_case(OpenAIProvider(config, prices=prices), 20_000)  # 20,000 in, 1,000 out
            0.03
        """
        price = provider.price
        if price is None:
            return float("inf")
        output = provider.config.max_tokens * max(1, calls)
        return max(
            price.cost(input_tokens=prompt_tokens, output_tokens=output, cache_read=0, cache_write=0),
            price.cost(input_tokens=0, output_tokens=output, cache_read=0, cache_write=prompt_tokens),
        )

    def reserve(self, key: Hashable, provider: LLMProvider, prompt_tokens: int, calls: int = 1) -> bool:
        """Decide whether a call may be made and, if so, hold its worst case until :meth:`settle`.

        Without a limit every call may be made and nothing is held. Under a limit, a provider whose
        price is unknown is refused, with one warning per model on the ``codescribe.llm`` logger.

        Args:
            key: identifies the call (any hashable value, e.g. the file being documented); the same
                key is passed to :meth:`settle` or :meth:`release`. Reserving a key again replaces
                its earlier hold.
            provider: the provider the call will go to.
            prompt_tokens: the most tokens the rendered prompts (system and user) make (see :meth:`worst_case`).
            calls: how many calls the work makes (see :meth:`worst_case`).

        Returns:
            ``True`` when spent + held + this call's worst case stays within the limit (the worst
            case is then held under ``key``), or there is no limit; ``False`` otherwise (nothing held).

        Examples:
            >>> from codescribe.llm import LLMConfig, create_provider
            >>> local = create_provider(LLMConfig(provider="ollama", model="llama3.2"))
            >>> budget = CostBudget(0.0)
            >>> budget.reserve("a", local, prompt_tokens=50_000)  # a local server costs nothing
            True
        """
        if self.limit is None:
            return True
        cost = self.worst_case(provider, prompt_tokens, calls)
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

    async def areserve(
        self, key: Hashable, provider: LLMProvider, prompt_tokens: int, calls: int = 1, mine: Collection[Hashable] = ()
    ) -> bool:
        """:meth:`reserve`, for calls in flight at once: a call that does not fit while other calls
        hold reservations waits for them to settle (they may cost less than their worst case) and
        asks again; it is refused only when no other call holds one. So no call is refused over a
        reservation that is later released or settled for less.

        Args:
            key: identifies the call (see :meth:`reserve`).
            provider: the provider the call will go to.
            prompt_tokens: the most tokens the rendered prompts (system and user) make (see :meth:`worst_case`).
            calls: how many calls the work makes (see :meth:`worst_case`).
            mine: keys of the same work's own reservations (a retry's call, held until it is over):
                they are not waited for, since they settle only after this one; nor are those of
                other calls that are themselves waiting here (two retries would wait for each other).

        Returns:
            ``True`` once the call's worst case is held under ``key`` (or there is no limit);
            ``False`` when it cannot fit even with nothing else in flight that may free room.

        Examples:
            >>> import asyncio
            >>> from codescribe.llm import LLMConfig, ModelPrice, PriceTable
            >>> from codescribe.llm.providers.openai import OpenAIProvider
            >>> prices = PriceTable({"demo-model": ModelPrice(input=1.0, output=10.0, cache_write=1.0, cache_read=0.1)})
            >>> config = LLMConfig(provider="openai", model="demo-model", api_key="not-a-real-key", max_tokens=1000)
            >>> provider, budget = OpenAIProvider(config, prices=prices), CostBudget(0.05)
            >>> async def two_pages() -> list[bool]:
            ...     first = await budget.areserve("page-1", provider, prompt_tokens=20_000)  # $0.03 held
            ...     second = asyncio.create_task(budget.areserve("page-2", provider, prompt_tokens=20_000))
            ...     await asyncio.sleep(0)  # page-2 waits: page-1's worst case leaves no room
            ...     budget.settle("page-1", 0.01)  # page-1 cost less: now page-2 fits
            ...     return [first, await second]
            >>> asyncio.run(two_pages())
            [True, True]
        """
        while not self.reserve(key, provider, prompt_tokens, calls):
            stuck = set(mine).union(*self._stuck.values())
            if not any(held != key and held not in stuck for held in self._reserved):
                self._free()  # a waiter that counted on this call's room may now be refused too
                return False
            self._freed = self._freed or asyncio.Event()
            self._stuck[key] = frozenset(mine)
            try:
                await self._freed.wait()
            finally:
                del self._stuck[key]
        return True

    def _free(self) -> None:
        """Wake the calls waiting in :meth:`areserve`: a reservation was settled or released."""
        if self._freed is not None:
            self._freed.set()
            self._freed = None

    def held(self, key: Hashable) -> float:
        """How much ``key``'s reservation holds.

        Args:
            key: the key given to :meth:`reserve`.

        Returns:
            The USD held for ``key``; ``0.0`` when it holds nothing (never reserved, already settled
            or released, or reserved without a limit).

        Examples:
            >>> CostBudget(1.0).held("never-reserved")
            0.0
        """
        return self._reserved.get(key, 0.0)

    def release(self, key: Hashable) -> None:
        """Drop ``key``'s reservation: the call failed before costing anything.

        Args:
            key: the key given to :meth:`reserve`; a key that holds nothing is ignored.

        Examples:
            >>> budget = CostBudget(1.0)
            >>> budget.release("never-reserved")
            >>> budget.spent
            0.0
        """
        if self._reserved.pop(key, None) is not None:
            self._free()

    def settle(self, key: Hashable, cost: float | None) -> None:
        """Record a finished call: its real cost replaces its reservation in :attr:`spent`.

        Args:
            key: the key given to :meth:`reserve` (a key without a reservation is settled at ``cost``).
            cost: what the call cost in USD (``GenerationMetadata.cost_usd``); ``None`` when it is
                unknown, in which case the reserved worst case is counted as spent instead.

        Examples:
            >>> budget = CostBudget(None)
            >>> budget.settle("a", 0.25)
            >>> budget.settle("b", None)  # unknown cost, nothing reserved: counts as 0
            >>> budget.spent
            0.25
        """
        reserved = self._reserved.pop(key, None)
        self.spent += (reserved or 0.0) if cost is None else cost
        if reserved is not None:
            self._free()
