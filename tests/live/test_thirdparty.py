"""A real third-party project from the package registry, documented offline in seconds."""

from __future__ import annotations

import ast
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from codescribe.cli import main

pytestmark = pytest.mark.live

PACKAGE = "click==8.1.8"


@pytest.fixture(scope="module")
def click_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("click")
    fetched = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                              PACKAGE, "-d", str(folder)], capture_output=True, text=True, check=False)  # fmt: skip
    if fetched.returncode != 0:
        pytest.skip(f"could not fetch {PACKAGE} from the package registry: {fetched.stderr[-300:]}")
    with tarfile.open(next(folder.glob("click-*.tar.gz"))) as archive:
        archive.extractall(folder, filter="data")
    return next(folder.glob("click-*/src/click"))


def test_click_is_documented_offline_in_seconds_and_its_docstrings_parse(click_source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    started = time.perf_counter()

    code = main(["generate", str(click_source), "-p", "offline", "-t", "module", "-t", "docstrings",
                 "-t", "architecture", "--out", str(out)])  # fmt: skip

    assert code == 0
    assert time.perf_counter() - started < 10
    sources = sorted(click_source.glob("*.py"))
    assert len(list(out.glob("*.module.md"))) == len(sources)
    for rewritten in out.glob("*.py"):
        ast.parse(rewritten.read_text())
    assert "```mermaid" in (out / "ARCHITECTURE.md").read_text()
