"""Prices: the dated table, lookups by alias and dated name, overrides, unknown models."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from codescribe.llm import LLMError, ModelPrice, PriceTable, default_price_table


def test_the_bundled_table_is_dated_and_prices_the_defaults() -> None:
    table = default_price_table()

    assert table.as_of >= "2026-11-01"
    for model in ("claude-sonnet-5-5", "gpt-6.1-sol"):
        price = table.lookup(model)
        assert price is not None
        assert price.cache_read < price.input < price.output


def test_dated_names_and_aliases_resolve() -> None:
    table = PriceTable(
        {
            "claude-sonnet-4-5-20250929": ModelPrice(3, 15, 3.75, 0.3),
            "gpt-4o": ModelPrice(2.5, 10, 2.5, 1.25),
            "gpt-4o-mini": ModelPrice(0.15, 0.6, 0.15, 0.075),
        }
    )

    assert table.lookup("claude-sonnet-4-5") == ModelPrice(3, 15, 3.75, 0.3)
    assert table.lookup("gpt-4o-mini-2024-07-18") == ModelPrice(0.15, 0.6, 0.15, 0.075)
    assert table.lookup("gpt-4o-2024-08-06") == ModelPrice(2.5, 10, 2.5, 1.25)
    assert table.lookup("gpt-4") is None


def test_a_snapshot_priced_apart_from_its_alias_keeps_its_own_price() -> None:
    """OpenAI lists gpt-4o-2024-05-13 at $5/$15, twice the later gpt-4o snapshots (openai.com/api/pricing)."""
    table = default_price_table()

    snapshot, alias = table.lookup("gpt-4o-2024-05-13"), table.lookup("gpt-4o-2024-08-06")

    assert snapshot is not None
    assert alias is not None
    assert (snapshot.input, snapshot.output) == (5.0, 15.0)
    assert (alias.input, alias.output) == (2.5, 10.0)


def test_cost_counts_every_kind_of_token() -> None:
    price = ModelPrice(input=3.0, output=15.0, cache_write=3.75, cache_read=0.30)

    cost = price.cost(input_tokens=1_000_000, output_tokens=100_000, cache_read=2_000_000, cache_write=400_000)

    assert cost == pytest.approx(3.0 + 1.5 + 0.6 + 1.5)


def test_unknown_model_costs_none_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    table = PriceTable({})

    with caplog.at_level(logging.WARNING, logger="codescribe.llm"):
        assert table.cost("mystery-model", input_tokens=10, output_tokens=10) is None
        assert table.cost("mystery-model", input_tokens=10, output_tokens=10) is None

    assert [record.getMessage().count("mystery-model") for record in caplog.records] == [1]


def test_a_prices_file_is_merged_over_the_bundled_table(tmp_path: Path) -> None:
    override = tmp_path / "prices.json"
    override.write_text(json.dumps({"as_of": "2026-12-01", "models": {"smollm2": {"input": 0, "output": 0}}}))

    table = default_price_table().merged(PriceTable.load(override))

    assert table.lookup("smollm2") == ModelPrice(0, 0, 0, 0)
    assert table.lookup("claude-sonnet-5-5") is not None
    assert table.as_of == "2026-12-01"


def test_a_broken_prices_file_says_which_file(tmp_path: Path) -> None:
    broken = tmp_path / "prices.json"
    broken.write_text(json.dumps({"models": {"m": {"input": "cheap"}}}))

    with pytest.raises(ValueError, match=r"prices\.json"):
        PriceTable.load(broken)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"input": -1, "output": 2}, r"models\.m\.input: .*greater than or equal to 0"),
        ({"input": float("nan"), "output": 2}, r"models\.m\.input: .*finite"),
        ({"input": 1, "output": 2, "cached": 0.1}, r"models\.m\.cached: Extra inputs"),
        ({"output": 2}, r"models\.m\.input: Field required"),
        # Trial of issue 13: a typo priced a call at a 300-digit sum; true and "3" were read as prices.
        ({"input": 1e300, "output": 2}, r"models\.m: price input=1e\+300: .* from 0 to 60,000"),
        ({"input": True, "output": 2}, r"models\.m\.input: Input should be a valid number"),
        ({"input": "3", "output": 2}, r"models\.m\.input: Input should be a valid number"),
    ],
    ids=["negative", "nan", "unknown-key", "missing", "absurd", "boolean", "string"],
)
def test_every_bad_row_is_refused_naming_model_and_field(tmp_path: Path, row: dict[str, object], problem: str) -> None:
    bad = tmp_path / "prices.json"
    bad.write_text(json.dumps({"models": {"m": row}}))

    with pytest.raises(ValueError, match=rf"prices\.json: not a valid price table \(.*{problem}"):
        PriceTable.load(bad)


def test_a_prices_file_that_is_not_json_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "prices.json"
    bad.write_text("{models: }")

    with pytest.raises(ValueError, match=r"prices\.json: not JSON"):
        PriceTable.load(bad)


def test_a_bad_prices_file_variable_names_itself(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LLM_PRICES_FILE", str(tmp_path / "missing.json"))
    default_price_table.cache_clear()

    try:
        with pytest.raises(LLMError, match="LLM_PRICES_FILE"):
            default_price_table()
    finally:
        monkeypatch.delenv("LLM_PRICES_FILE")
        default_price_table.cache_clear()


def test_a_compatible_server_at_a_public_address_is_not_free(caplog: pytest.LogCaptureFixture) -> None:
    # Trial of issue 13: openai-compatible at a hosted endpoint was priced $0, so no budget held it.
    from codescribe.llm import LLMConfig, create_provider
    from codescribe.llm.budget import CostBudget

    hosted = create_provider(
        LLMConfig(provider="openai-compatible", model="vendor/model-x", base_url="https://api.example.com/v1")
    )
    local = create_provider(
        LLMConfig(provider="openai-compatible", model="vendor/model-x", base_url="http://192.168.1.20:8080/v1")
    )

    assert hosted.price is None
    assert not CostBudget(0.01).reserve("page", hosted, prompt_tokens=1_000_000)
    assert local.price is not None
    assert local.price.output == 0
