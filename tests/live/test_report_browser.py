"""The HTML report opens in a headless browser and shows its charts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from codescribe.evals.reporting import write_report
from codescribe.evals.runner import EvalRunner
from codescribe.evals.suite import Suite
from tests.live.conftest import CHROMIUM_FLAGS as BROWSER_FLAGS

pytestmark = pytest.mark.live

CHROMIUM_FLAGS = [*BROWSER_FLAGS, "--window-size=1200,1600"]


def ink(page: Path, tmp_path: Path, name: str) -> int:
    """How many non-white pixels a screenshot of ``page`` has."""
    import matplotlib.image

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no chromium: `make test-live` installs it (apt-get install chromium)")
    shot = tmp_path / f"{name}.png"
    subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    pixels = matplotlib.image.imread(shot)
    return int((pixels[..., :3].sum(axis=-1) < 2.9).sum())


def test_the_report_shows_its_charts_in_a_browser(tmp_path: Path) -> None:
    suite = Suite.model_validate(
        {
            "name": "browser",
            "systems": [{"provider": "offline"}],
            "doc_types": ["readme"],
            "corpus": {"languages": ["python"], "limit": 4},
        }
    )
    run = EvalRunner(suite, runs_dir=tmp_path / "runs").run()
    report = write_report(run.run_dir)["html"]
    without_charts = report.with_name("no-charts.html")
    without_charts.write_text(re.sub(r"<img [^>]*>", "", report.read_text()))

    with_ink, without_ink = ink(report, tmp_path, "report"), ink(without_charts, tmp_path, "bare")

    assert with_ink > without_ink + 5_000, "the two charts' axes, points and boxes are drawn"
