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


def test_a_prune_keeps_what_another_run_wrote_since_it_started(tmp_path: Path) -> None:
    # helper-21's trial of issue 14: two builds sharing a cache at once pruned each other's new pages.

    from codescribe.engine.cache import ContentCache

    cache = ContentCache(tmp_path / "cache")
    old, mine, theirs = "aa" * 32, "bb" * 32, "cc" * 32
    for key in (old, mine, theirs):
        cache.put(key, key)
    os.utime(cache.path(old), (1_000, 1_000))  # before this run started
    for key in (mine, theirs):
        os.utime(cache.path(key), (3_000, 3_000))  # written while it ran
    cache.used = {mine}

    removed = cache.prune(written_before=2_000)

    assert removed == 1
    assert [cache.get(key) for key in (old, mine, theirs)] == [None, mine, theirs]
