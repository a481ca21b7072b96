"""ProperDocs, the maintained continuation of MkDocs 1.x, runs the plugin from its entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]


def test_properdocs_builds_a_site_with_the_plugin(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    installed = subprocess.run(
        [*pip, "properdocs", "properdocs-theme-mkdocs", str(ROOT)], capture_output=True, text=True, check=False
    )
    if installed.returncode != 0:
        pytest.skip(f"could not install ProperDocs from the package registry: {installed.stderr[-300:]}")
    site = tmp_path / "site-src"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n")
    (site / "mkdocs.yml").write_text(
        f"site_name: Home\ntheme:\n  name: mkdocs\nplugins:\n  - codescribe:\n"
        f"      source: {ROOT / 'codescribe' / 'llm'}\n      provider: offline\n"
    )

    built = subprocess.run(
        [str(venv / "bin" / "properdocs"), "build", "--strict"], cwd=site, capture_output=True, text=True, check=False
    )

    assert built.returncode == 0, built.stderr
    assert "codescribe:" in built.stderr
    assert (site / "site" / "reference" / "llm" / "factory" / "index.html").is_file()
