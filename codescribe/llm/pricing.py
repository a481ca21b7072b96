"""Dated per-model prices, and what a generation cost.

Prices live in ``data/prices.json`` (USD per million tokens, with its ``as_of`` date).
``LLM_PRICES_FILE`` names a file of the same format whose models are merged over them.
A model with no price gets ``cost_usd=None`` and one warning, never a made-up zero.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..progress import get_logger
from .config import PRICES_FILE_ENV, env_value
from .errors import ErrorType, LLMError

__all__ = ["MAX_RATE", "ModelPrice", "PriceTable", "default_price_table"]

#: The highest rate a price may have, in USD per million tokens: a hundred times the dearest published
#: rate (OpenAI's o1-pro output, $600 in 2025), so that a typo (``1e300``) is refused, not priced.
MAX_RATE = 60_000

logger = get_logger("codescribe.llm")
#: What may follow a priced model's name in the name a provider calls it by: dates (``-2024-08-06``,
#: ``-20250929``, ``@20240620``), snapshots (``-0613``, ``-001``) and versions (``-v1:0``), one or more.
_VERSION_SUFFIX = re.compile(r"(?:[-@](?:\d{4}-\d{2}-\d{2}|\d{3,8}|v\d+(?::\d+)?))+")
#: Bedrock's cross-region inference profiles put the region before the provider: ``us.anthropic.claude-...``.
_REGION_PREFIX = re.compile(r"^(?:us|eu|apac|us-gov|global|jp|au|ca)\.")


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """USD per million tokens for one model.

    Attributes:
        input: USD per million input tokens neither read from nor written to the prompt cache.
        output: USD per million output tokens.
        cache_write: USD per million input tokens written to the prompt cache.
        cache_read: USD per million input tokens read from the prompt cache.

    Examples:
        >>> ModelPrice(input=3.0, output=15.0, cache_write=3.75, cache_read=0.3).output
        15.0
    """

    input: float
    output: float
    cache_write: float
    cache_read: float

    def __post_init__(self) -> None:
        """Refuse a rate that is not a number from 0 to :data:`MAX_RATE`: ``nan`` or ``-1`` would switch a
        budget off, and ``1e300`` is a typo, not a price.

        Raises:
            ValueError: a rate is negative, infinite, absurd or not a number; the message names it.
        """
        for name in ("input", "output", "cache_write", "cache_read"):
            rate = getattr(self, name)
            number = isinstance(rate, int | float) and not isinstance(rate, bool)
            if not (number and math.isfinite(rate) and 0 <= rate <= MAX_RATE):
                raise ValueError(f"price {name}={rate!r}: a rate must be a number of USD from 0 to {MAX_RATE:,}")

    def cost(self, *, input_tokens: int, output_tokens: int, cache_read: int, cache_write: int) -> float:
        """Dollars for the given (uncached) input, output and cache token counts.

        Each count is multiplied by its rate; the sum is divided by a million. Nothing is rounded.

        Args:
            input_tokens: input tokens neither read from nor written to the prompt cache.
            output_tokens: output tokens.
            cache_read: input tokens read from the prompt cache.
            cache_write: input tokens written to the prompt cache.

        Returns:
            The cost in USD.

        Examples:
            >>> price = ModelPrice(input=3.0, output=15.0, cache_write=3.75, cache_read=0.3)
            >>> price.cost(input_tokens=2_000, output_tokens=1_000, cache_read=10_000, cache_write=0)
            0.024
        """
        return (
            input_tokens * self.input
            + output_tokens * self.output
            + cache_read * self.cache_read
            + cache_write * self.cache_write
        ) / 1_000_000


class PriceTable:
    """Model name → :class:`ModelPrice`, matching dated names by prefix.

    Most code uses :func:`default_price_table`; :meth:`from_dict` and :meth:`load` read a table.

    Args:
        prices: the price of each model, by name; the table keeps this dict itself, not a copy.
        as_of: the date the prices were published, as written (``"2026-11-01"``).

    Attributes:
        as_of: the date the prices were published (``"unknown"`` when not given).

    Examples:
        >>> table = PriceTable({"gpt-4o": ModelPrice(2.5, 10.0, 2.5, 1.25)}, as_of="2026-11-01")
        >>> "gpt-4o-2024-08-06" in table, "llama3" in table, table.as_of
        (True, False, '2026-11-01')
    """

    def __init__(self, prices: dict[str, ModelPrice], *, as_of: str = "unknown") -> None:
        self._prices = prices
        self.as_of = as_of
        self._warned: set[str] = set()

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "prices") -> PriceTable:
        """A price table from the parsed contents of a prices file.

        Args:
            data: ``{"as_of": date, "models": {name: {"input", "output", "cache_write", "cache_read"}}}``,
                every rate a finite number ≥ 0 in USD per million tokens; the cache rates default to
                the input rate.
            source: What to call the data in errors (a file name).

        Returns:
            The table, dated by ``as_of`` ("unknown" when absent).

        Raises:
            ValueError: A model's row is missing a rate, has an unknown key, or a rate that is not a
                finite number ≥ 0; the message names ``source``, the model and the field.

        Examples:
            >>> table = PriceTable.from_dict({"as_of": "2026-11-01", "models": {"m": {"input": 1, "output": 2}}})
            >>> table.lookup("m")
            ModelPrice(input=1.0, output=2.0, cache_write=1.0, cache_read=1.0)
        """
        from pydantic import ValidationError

        from .price_file import PriceFile

        try:
            parsed = PriceFile.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
            )
            raise ValueError(f"{source}: not a valid price table ({problems})") from exc
        prices = {}
        for name, row in parsed.models.items():
            try:
                prices[name] = ModelPrice(
                    input=row.input,
                    output=row.output,
                    cache_write=row.input if row.cache_write is None else row.cache_write,
                    cache_read=row.input if row.cache_read is None else row.cache_read,
                )
            except ValueError as exc:
                raise ValueError(f"{source}: not a valid price table (models.{name}: {exc})") from exc
        return cls(prices, as_of=parsed.as_of)

    @classmethod
    def load(cls, path: str | Path) -> PriceTable:
        """The price table in a JSON file of the bundled ``data/prices.json``'s format.

        Args:
            path: The file to read.

        Returns:
            The table (see :meth:`from_dict`).

        Raises:
            OSError: The file cannot be read.
            ValueError: It is not JSON, or not a valid price table; the message names the file.

        Examples:
            Merge a team's own prices over the bundled table::

                table = default_price_table().merged(PriceTable.load("prices.json"))
        """
        text = Path(path).read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not JSON ({exc})") from exc
        return cls.from_dict(data, source=str(path))

    def merged(self, other: PriceTable) -> PriceTable:
        """This table with ``other``'s prices added, ``other`` winning for a model in both.

        Neither table is changed.

        Args:
            other: the prices to merge over this table's (a team's own, say).

        Returns:
            A new table, dated by ``other``'s ``as_of``.

        Examples:
            >>> bundled = PriceTable.from_dict({"as_of": "2026-01-01", "models": {"a": {"input": 1, "output": 2}}})
            >>> own = PriceTable.from_dict({"as_of": "2026-06-01", "models": {"b": {"input": 3, "output": 4}}})
            >>> merged = bundled.merged(own)
            >>> merged.lookup("a").output, merged.lookup("b").output, merged.as_of
            (2.0, 4.0, '2026-06-01')
        """
        return PriceTable({**self._prices, **other._prices}, as_of=other.as_of)

    def lookup(self, model: str) -> ModelPrice | None:
        """The price of ``model``: its exact name, else a table name it adds only a date or version to
        (``gpt-4o-2024-08-06``, ``claude-sonnet-4-5-20250929-v1:0``), else the dated entry of an alias
        (``claude-sonnet-4-5``). Another model's price is never borrowed: ``gpt-4o-audio-preview`` is not
        ``gpt-4o``.

        Before matching, anything up to the last ``/`` (``openrouter/gpt-4o``), a Bedrock region
        (``us.``) and an ``anthropic.`` prefix (Bedrock's ``anthropic.claude-...``) are dropped from
        ``model``. A dated entry is a table name of ``model``, a hyphen and digits only. Nothing is logged.

        Args:
            model: the model's name, as the provider calls it.

        Returns:
            The price, or ``None`` when no table name matches.

        Examples:
            >>> table = PriceTable.from_dict(
            ...     {
            ...         "models": {
            ...             "gpt-4o": {"input": 2.5, "output": 10},
            ...             "gpt-4o-mini": {"input": 0.15, "output": 0.6},
            ...             "claude-sonnet-4-5-20250929": {"input": 3, "output": 15},
            ...         }
            ...     }
            ... )
            >>> table.lookup("gpt-4o-mini-2024-07-18").input, table.lookup("openrouter/gpt-4o").input
            (0.15, 2.5)
            >>> table.lookup("claude-sonnet-4-5").output, table.lookup("claude-sonnet-4") is None
            (15.0, True)
            >>> table.lookup("us.anthropic.claude-sonnet-4-5-20250929-v1:0").input, table.lookup("gpt-4o-audio")
            (3.0, None)
        """
        price = self._prices.get(model)
        if price is not None:
            return price
        name = _REGION_PREFIX.sub("", model.rsplit("/", 1)[-1]).removeprefix("anthropic.")
        candidates = [
            key
            for key in self._prices
            if key == name
            or (name.startswith(key) and _VERSION_SUFFIX.fullmatch(name[len(key) :]))
            or (key.startswith(name + "-") and key[len(name) + 1 :].isdigit())
        ]
        return self._prices[max(candidates, key=len)] if candidates else None

    def price_for(self, model: str) -> ModelPrice | None:
        """Like :meth:`lookup`, but warns (once per model) when the price is unknown.

        The warning goes to the ``codescribe.llm`` logger, once per model name and table, and says
        to add the model to a file named by ``LLM_PRICES_FILE``.

        Args:
            model: the model's name, as the provider calls it.

        Returns:
            The price, or ``None`` when no table name matches (see :meth:`lookup`).

        Examples:
            >>> table = PriceTable.from_dict({"models": {"gpt-4o": {"input": 2.5, "output": 10}}})
            >>> table.price_for("gpt-4o-2024-08-06").output, table.price_for("llama3")
            (10.0, None)
        """
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
        """Dollars for a call to ``model``, or ``None`` when its price is unknown.

        The price is found as :meth:`price_for` finds it (warning once when it is unknown), then
        :meth:`ModelPrice.cost` applies it.

        Args:
            model: the model's name, as the provider calls it.
            input_tokens: input tokens neither read from nor written to the prompt cache.
            output_tokens: output tokens.
            cache_read: input tokens read from the prompt cache.
            cache_write: input tokens written to the prompt cache.

        Returns:
            The cost in USD, or ``None`` when no price is known for ``model`` (never a made-up zero).

        Examples:
            >>> table = PriceTable.from_dict({"models": {"gpt-4o": {"input": 2.5, "output": 10}}})
            >>> table.cost("gpt-4o", input_tokens=1_000, output_tokens=1_000)
            0.0125
            >>> table.cost("llama3", input_tokens=1_000, output_tokens=1_000) is None
            True
        """
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
    """The bundled table, with ``LLM_PRICES_FILE`` merged over it when set.

    Made once per process (cached): a later change to ``LLM_PRICES_FILE`` is not seen.

    Returns:
        The bundled ``data/prices.json``'s table, dated by its ``as_of``; when ``LLM_PRICES_FILE``
        names a file, that file's prices merged over it (see :meth:`PriceTable.merged`), dated by
        the file's ``as_of``.

    Raises:
        LLMError: ``LLM_PRICES_FILE`` names a file that cannot be read or is not a valid price table
            (``error_type`` ``VALIDATION``; the message names the variable and the problem).

    Examples:
        >>> table = default_price_table()
        >>> table is default_price_table(), isinstance(table.as_of, str)
        (True, True)
    """
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
