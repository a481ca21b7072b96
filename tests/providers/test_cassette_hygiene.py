"""The recorded cassettes hold no key, and the synthetic ones say so in their names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ..conftest import CASSETTES, RECORDING_KEY, SECRET_HEADERS

ALL = sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes_for_every_provider_module() -> None:
    assert {path.parent.name for path in ALL} >= {"test_protocols", "test_compatible", "test_generator_providers"}


@pytest.mark.parametrize("path", ALL, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_key_and_no_key_header_is_recorded(path: Path) -> None:
    text = path.read_text()
    interactions = yaml.safe_load(text)["interactions"]

    assert RECORDING_KEY not in text
    for interaction in interactions:
        recorded = {name.lower() for name in interaction["request"]["headers"]}
        assert not recorded & set(SECRET_HEADERS)


def test_synthetic_cassettes_are_the_ones_named_so() -> None:
    """Real recordings come from llama-server (model smollm2); synthetic ones do not."""
    for path in ALL:
        synthetic = path.stem.split("[")[0].endswith("_synthetic")
        assert synthetic == ("smollm2" not in path.read_text()), path.name
