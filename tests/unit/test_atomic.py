"""Writing a file whole or not at all, and never leaving a temporary file behind (issue 14)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codescribe.engine.atomic import write_atomically


def test_a_write_that_fails_leaves_neither_a_half_file_nor_its_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "results.csv"
    target.write_text("old,whole\n")

    def full_disk(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, "new,half\n")

    assert target.read_text() == "old,whole\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["results.csv"]
