"""Hostile sources and a hostile model answer, built into sites and opened in a real browser: nothing runs.

Issue 14 (``../shared/cases/html-in-pages``): ``<script>``, ``<iframe src=javascript:>``, ``<img onerror>`` and a
Mermaid ``click ... javascript:`` in docstrings, defaults, file names and a model's answer. The plugin's pages are
checked as HTML elsewhere (``tests/test_hostile_input.py``); here headless Chromium loads every page with its
scripts (mermaid.js included, from ``make chromium``), clicks every diagram node, and no payload may run: no
dialog opens, and the DOM holds no event handler, no ``javascript:`` link and no frame.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codescribe.mkdocs_plugin.mermaid import MERMAID_VERSION
from tests.live.conftest import CHROMIUM_FLAGS
from tests.scripted_server import ScriptedLLMServer
from tests.test_hostile_input import MARKUP

playwright = pytest.importorskip("playwright.sync_api", reason="the dev extra installs Playwright")
pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
MERMAID = ROOT / ".cache" / "mermaid" / MERMAID_VERSION / "mermaid.min.js"
CASE = ROOT.parent / "shared" / "cases" / "html-in-pages" / "llm" / "answer.md"
#: A model's answer with every payload the case holds (its own file when the shared cases are present).
ANSWER = (
    CASE.read_text(encoding="utf-8")
    if CASE.is_file()
    else '# calc\n\nAdds. <script>alert("a")</script>\n\n<img src=x onerror=alert("b")>\n\n```mermaid\n'
    'flowchart LR\n  A["x"] --> B\n  click A href "javascript:alert(\'mermaid\')"\n```\n'
)
#: What a page's DOM must not hold once its scripts ran: what would run on a click, a load or an error.
LIVE = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const value = attribute.value.trim().toLowerCase();
      if (attribute.name.startsWith("on")) found.push(`${element.tagName} ${attribute.name}`);
      if (["href", "src", "xlink:href", "action"].includes(attribute.name) && value.startsWith("javascript:"))
        found.push(`${element.tagName} ${attribute.name}=${value}`);
    }
  }
  for (const frame of document.querySelectorAll("iframe, object, embed")) found.push(frame.tagName);
  for (const script of document.querySelectorAll("script:not([src])"))
    if (script.textContent.includes("alert(")) found.push("inline script");
  return found;
}"""


def build(project: Path, options: str) -> list[Path]:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    (project / "docs" / "js").mkdir(parents=True, exist_ok=True)
    (project / "docs" / "index.md").write_text("# Hostile\n")
    shutil.copyfile(MERMAID, project / "docs" / "js" / "mermaid.min.js")
    (project / "mkdocs.yml").write_text(
        "site_name: Hostile\nplugins:\n  - codescribe:\n      source: src\n      mermaid_js: js/mermaid.min.js\n"
        f"      {options}\n"
    )
    mkdocs_build(load_config(str(project / "mkdocs.yml")))
    return sorted((project / "site" / "reference").rglob("index.html"))


@pytest.fixture
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None or not MERMAID.is_file():
        pytest.skip("no chromium or mermaid.js: `make chromium` installs them")
    return found


def run_in_browser(chromium: str, pages: list[Path]) -> dict[str, list[str]]:
    """Each page's faults: dialogs opened (every payload calls ``alert``), live markup in its DOM.

    Playwright's sync API runs an event loop in this thread while it is open, so the sites are built before.
    """
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=chromium, args=[f for f in CHROMIUM_FLAGS if f != "--headless"]
        )
        try:
            return _faults(browser, pages)
        finally:
            browser.close()


def _faults(browser: playwright.Browser, pages: list[Path]) -> dict[str, list[str]]:
    faults: dict[str, list[str]] = {}
    context = browser.new_context()
    for path in pages:
        page = context.new_page()
        opened: list[str] = []
        page.on("dialog", lambda dialog, opened=opened: (opened.append(dialog.message), dialog.dismiss()))
        page.goto(path.as_uri(), wait_until="load")
        if page.locator("pre.codescribe-mermaid").count():
            page.wait_for_selector("pre.codescribe-mermaid svg", timeout=15_000)  # mermaid.js drew it
            for node in page.locator("pre.codescribe-mermaid svg g.node").all():
                node.click(force=True, no_wait_after=True)
        found = [f"dialog: {message}" for message in opened] + page.evaluate(LIVE)
        if found:
            faults[str(path)] = found
        page.close()
    context.close()
    return faults


def test_hostile_sources_run_nothing_in_a_browser(chromium: str, tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    for name, text in MARKUP.items():
        (tmp_path / "src" / name).write_text(text)

    pages = build(tmp_path, "provider: offline\n      doc_types: [module, architecture]")

    assert len(pages) == len(MARKUP) + 1
    assert run_in_browser(chromium, pages) == {}


def test_a_hostile_model_answer_runs_nothing_in_a_browser(
    chromium: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    with ScriptedLLMServer(text=ANSWER) as server:
        monkeypatch.setenv("LLM_BASE_URL", server.openai_url)
        monkeypatch.setenv("LLM_API_KEY", "not-a-real-key")
        pages = build(tmp_path, "provider: openai\n      model: gpt-6.1-sol\n      doc_types: [module]")

    assert len(pages) == 1
    assert "codescribe-mermaid" in pages[0].read_text(encoding="utf-8")  # the answer's diagram is drawn, and clicked
    assert run_in_browser(chromium, pages) == {}
