"""The format of a prices file (``data/prices.json``, or one named by ``LLM_PRICES_FILE``), validated.

Imported only when a file is read, so that importing the provider layer does not import pydantic.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PriceFile", "PriceRow"]

#: A price in USD per million tokens: a finite number (not a string or a boolean), zero or more.
Rate = Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True)]


class PriceRow(BaseModel):
    """One model's row. The cache rates default to the input rate (providers without a surcharge)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: Rate
    output: Rate
    cache_write: Rate | None = None
    cache_read: Rate | None = None


class PriceFile(BaseModel):
    """The whole file: its date, and a row per model name; other keys (``unit``, ``note``) are notes.

    Examples:
        >>> prices = PriceFile.model_validate({"as_of": "2026-11-01", "models": {"m": {"input": 3, "output": 15}}})
        >>> prices.models["m"].output, prices.models["m"].cache_read
        (15.0, None)
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    as_of: str = "unknown"
    models: dict[str, PriceRow]
