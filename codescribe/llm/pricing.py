"""Dated per-model prices, and what a generation cost.

Prices live in ``data/prices.json`` (USD per million tokens, with its ``as_of`` date).
``LLM_PRICES_FILE`` names a file of the same format whose models are merged over them.
A model with no price gets ``cost_usd=None`` and one warning, never a made-up zero.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .config import PRICES_FILE_ENV, env_value
from .errors import ErrorType, LLMError

__all__ = ["ModelPrice", "PriceTable", "default_price_table"]

logger = logging.getLogger("codescribe.llm")


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """USD per million tokens for one model."""

    input: float
    output: float
    cache_write: float
    cache_read: float

    def cost(self, *, input_tokens: int, output_tokens: int, cache_read: int, cache_write: int) -> float:
        """Dollars for the given (uncached) input, output and cache token counts."""
        return (
            input_tokens * self.input
            + output_tokens * self.output
            + cache_read * self.cache_read
            + cache_write * self.cache_write
        ) / 1_000_000


class PriceTable:
    """Model name → :class:`ModelPrice`, matching dated names by prefix."""

    def __init__(self, prices: dict[str, ModelPrice], *, as_of: str = "unknown") -> None:
        self._prices = prices
        self.as_of = as_of
        self._warned: set[str] = set()

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "prices") -> PriceTable:
        """A price table from ``data``: ``{"models": {name: {"input", "output", "cache_write",
        "cache_read"}}}`` in USD per million tokens; ``source`` names it in errors.

        Raises:
            LLMError: a model's prices are missing or not numbers (``VALIDATION``).
        """
        try:
            prices = {
                name: ModelPrice(
                    input=float(row["input"]),
                    output=float(row["output"]),
                    cache_write=float(row.get("cache_write", row["input"])),
                    cache_read=float(row.get("cache_read", row["input"])),
                )
                for name, row in data["models"].items()
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{source}: each model needs numeric 'input' and 'output' prices ({exc!r})") from exc
        return cls(prices, as_of=str(data.get("as_of", "unknown")))

    @classmethod
    def load(cls, path: str | Path) -> PriceTable:
        """The price table in the JSON file ``path`` (the format of the bundled ``data/prices.json``).

        Raises:
            LLMError: the file cannot be read or is not a valid price table (``VALIDATION``).
        """
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")), source=str(path))

    def merged(self, other: PriceTable) -> PriceTable:
        """This table with ``other``'s prices added, ``other`` winning for a model in both."""
        return PriceTable({**self._prices, **other._prices}, as_of=other.as_of)

    def lookup(self, model: str) -> ModelPrice | None:
        """The price of ``model``: exact name first, then the longest table name it starts
        with (``gpt-4o-2024-08-06``), or the dated entry of an alias (``claude-sonnet-4-5``)."""
        price = self._prices.get(model)
        if price is not None:
            return price
        name = model.rsplit("/", 1)[-1].removeprefix("anthropic.")
        candidates = [
            key
            for key in self._prices
            if name.startswith(key) or (key.startswith(name + "-") and key[len(name) + 1 :].isdigit())
        ]
        return self._prices[max(candidates, key=len)] if candidates else None

    def price_for(self, model: str) -> ModelPrice | None:
        """Like :meth:`lookup`, but warns (once per model) when the price is unknown."""
        price = self.lookup(model)
        if price is None and model not in self._warned:
            self._warned.add(model)
            logger.warning(
                "No price known for model %r: cost_usd will be None. Add it to a file named by %s.",
                model,
                PRICES_FILE_ENV,
            )
        return price

    def cost(
        self, model: str, *, input_tokens: int, output_tokens: int, cache_read: int = 0, cache_write: int = 0
    ) -> float | None:
        """Dollars for a call to ``model``, or ``None`` when its price is unknown."""
        price = self.price_for(model)
        if price is None:
            return None
        return price.cost(
            input_tokens=input_tokens, output_tokens=output_tokens, cache_read=cache_read, cache_write=cache_write
        )

    def __contains__(self, model: str) -> bool:
        return self.lookup(model) is not None


@cache
def default_price_table() -> PriceTable:
    """The bundled table, with ``LLM_PRICES_FILE`` merged over it when set."""
    bundled = resources.files("codescribe.llm").joinpath("data/prices.json").read_text(encoding="utf-8")
    table = PriceTable.from_dict(json.loads(bundled), source="codescribe/llm/data/prices.json")
    override = env_value(PRICES_FILE_ENV)
    if not override:
        return table
    try:
        return table.merged(PriceTable.load(override))
    except (OSError, ValueError) as exc:
        raise LLMError(
            f"{PRICES_FILE_ENV}={override!r} could not be read ({exc}). Point it at a JSON file like "
            f"codescribe/llm/data/prices.json, or unset it.",
            error_type=ErrorType.VALIDATION,
            operation="configure",
        ) from exc
