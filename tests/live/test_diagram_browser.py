"""The architecture diagram draws in a real browser, with MkDocs' default theme and with Material.

mermaid.js is the release the plugin loads (``make chromium`` fetches it from npm into ``.cache``); the
site is built by ``mkdocs build`` and opened in headless Chromium, which runs the page's scripts: the
diagram is drawn when an ``<svg>`` is inside the plugin's ``codescribe-mermaid`` block.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from codescribe.mkdocs_plugin.mermaid import MERMAID_VERSION
from tests.live.conftest import CHROMIUM_FLAGS as BROWSER_FLAGS

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
MERMAID = ROOT / ".cache" / "mermaid" / MERMAID_VERSION / "mermaid.min.js"
CHROMIUM_FLAGS = [*BROWSER_FLAGS, "--virtual-time-budget=15000", "--dump-dom"]


def _site(tmp_path: Path, theme: str) -> Path:
    project = tmp_path / theme
    (project / "src" / "shop").mkdir(parents=True)
    (project / "docs" / "js").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Shop\n")
    shutil.copyfile(MERMAID, project / "docs" / "js" / "mermaid.min.js")
    (project / "src" / "shop" / "__init__.py").write_text('"""A shop."""\n')
    prices = "def total(prices: list[int]) -> int:\n    return sum(prices)\n"
    (project / "src" / "shop" / "prices.py").write_text(prices)
    (project / "src" / "shop" / "cart.py").write_text(
        "from shop.prices import total\n\n\ndef checkout(items: list[int]) -> int:\n    return total(items)\n"
    )
    (project / "mkdocs.yml").write_text(
        f"site_name: Shop\ntheme:\n  name: {theme}\nplugins:\n  - codescribe:\n      source: src\n"
        "      provider: offline\n      doc_types: [architecture]\n      mermaid_js: js/mermaid.min.js\n"
    )
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "-q", "--strict"],
        cwd=project,
        check=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    return next((project / "site").rglob("reference/index.html"))


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_the_architecture_diagram_draws_in_a_browser(tmp_path: Path, theme: str) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or not MERMAID.is_file():
        pytest.skip("no chromium or mermaid.js: `make chromium` installs them")
    page = _site(tmp_path, theme)
    assert "language-mermaid" not in page.read_text()
    dom = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    block = re.search(r'<pre class="codescribe-mermaid"[^>]*>(.*?)</pre>', dom, re.DOTALL)
    assert block is not None, dom[-2000:]
    assert "<svg" in block.group(1)
    assert "prices" in block.group(1)
