"""The MkDocs plugin, tested by building real sites in temporary folders."""

from __future__ import annotations

import logging
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from codescribe.engine.cache import cache_key
from tests.scripted_server import Reply, ScriptedLLMServer

SHOP = {
    "__init__.py": '"""A tiny shop."""\nfrom .orders import place\n',
    "models.py": '"""Data."""\n\n\nclass Order:\n    """An order."""\n\n'
    "    def total(self) -> int:\n        return 1\n",
    "orders.py": '"""Placing orders."""\nfrom .models import Order\n\n\ndef place(count: int = 1) -> Order:\n'
    '    """Place an order."""\n    return Order()\n',
    "pricing.py": "from .models import Order\n\n\ndef price(order: Order) -> int:\n    return order.total()\n",
}


def make_site(root: Path, options: str = "provider: offline", extra: str = "") -> Path:
    package = root / "src" / "shop"
    package.mkdir(parents=True, exist_ok=True)
    for name, text in SHOP.items():
        (package / name).write_text(text)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Shop\n\nWelcome.\n")
    config = f"""
        site_name: Shop
        {extra}
        plugins:
          - codescribe:
              source: src/shop
              cache_dir: .cache/codescribe
              {options}
    """
    (root / "mkdocs.yml").write_text(textwrap.dedent(config))
    return root


def build_site(root: Path, strict: bool = True) -> Any:
    config = load_config(str(root / "mkdocs.yml"), strict=strict)
    build(config)
    return config.plugins["codescribe"].stats  # a new BuildStats each build (the plugin instance is reused)


def html(root: Path, page: str) -> str:
    return (root / "site" / page / "index.html").read_text()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedLLMServer]:
    with ScriptedLLMServer(text="# Page\n\n## Overview\n\nWritten by the scripted model about `place`.\n") as running:
        monkeypatch.setenv("LLM_BASE_URL", running.openai_url)
        monkeypatch.setenv("LLM_API_KEY", "test-key")
        monkeypatch.setenv("LLM_MAX_RETRIES", "0")  # outages are the point of some tests: fail fast
        yield running


LLM_OPTIONS = "provider: openai\n              model: gpt-6.1-sol\n              concurrency: 8"


def test_offline_build_adds_module_pages_an_architecture_page_and_links(tmp_path: Path) -> None:
    stats = build_site(make_site(tmp_path))

    orders = html(tmp_path, "reference/shop/orders")
    assert "place(count: int = 1) -&gt; Order" in orders or "place(count: int = 1) -> Order" in orders
    assert re.search(r"Quality [A-F] \(\d+\) · offline / templates · generated \d{4}-\d\d-\d\d", orders)
    assert 'href="../models/"' in orders, "module pages link the modules they import"
    index = html(tmp_path, "reference")
    assert "flowchart LR" in index
    assert "shop.orders" in index
    assert stats.calls == 0
    assert len(stats.generated) == 5


def test_material_theme_build_renders_mermaid(tmp_path: Path) -> None:
    extra = """theme:
          name: material
        markdown_extensions:
          - pymdownx.superfences:
              custom_fences:
                - name: mermaid
                  class: mermaid
                  format: !!python/name:pymdownx.superfences.fence_code_format"""
    build_site(make_site(tmp_path, extra=extra))

    index = html(tmp_path, "reference")
    assert '<pre class="mermaid">' in index
    assert "md-nav" in index


def test_rebuild_without_changes_makes_no_call_and_a_touch_regenerates_one_page(
    tmp_path: Path, server: ScriptedLLMServer
) -> None:
    make_site(tmp_path, LLM_OPTIONS)

    first = build_site(tmp_path)
    calls_after_first = len(server.requests)
    second = build_site(tmp_path)
    pricing = tmp_path / "src" / "shop" / "pricing.py"
    pricing.write_text(pricing.read_text().replace("return order.total()", "return order.total() * 2"))
    third = build_site(tmp_path)

    assert first.calls == calls_after_first == 5
    assert second.calls == 0
    assert len(server.requests) == calls_after_first + 1
    assert third.generated == ["reference/shop/pricing.md"], "a body edit leaves the architecture page cached"
    assert "Written by the scripted model" in html(tmp_path, "reference/shop/pricing")


def test_the_architecture_page_follows_imports_and_signatures_not_bodies(tmp_path: Path) -> None:
    make_site(tmp_path)  # the offline engine: its page has the same key as a model's
    build_site(tmp_path)
    pricing = tmp_path / "src" / "shop" / "pricing.py"
    pricing.write_text(pricing.read_text().replace("return order.total()", "\n    return order.total() * 2"))

    body_edit = build_site(tmp_path)
    pricing.write_text("from .orders import place\n" + pricing.read_text())
    import_edit = build_site(tmp_path)

    assert body_edit.generated == ["reference/shop/pricing.md"]
    # The new import changes three pages: the architecture, pricing's, and orders' ("Used by: shop.pricing"),
    # which a key of orders.py's text alone kept stale.
    assert sorted(import_edit.generated) == [
        "reference/index.md",
        "reference/shop/orders.md",
        "reference/shop/pricing.md",
    ]
    assert "shop.orders" in html(tmp_path, "reference")
    assert "shop.pricing" in html(tmp_path, "reference/shop/orders")


def test_stale_cache_entries_are_pruned(tmp_path: Path) -> None:
    make_site(tmp_path)
    build_site(tmp_path)
    (tmp_path / "src" / "shop" / "pricing.py").unlink()

    stats = build_site(tmp_path)

    assert stats.pruned >= 1
    assert len(list((tmp_path / ".cache" / "codescribe").glob("[0-9a-f][0-9a-f]/*.json"))) == 4


def test_outage_with_fallback_builds_and_names_the_pages(
    tmp_path: Path, server: ScriptedLLMServer, caplog: pytest.LogCaptureFixture
) -> None:
    make_site(tmp_path, LLM_OPTIONS + "\n              on_error: fallback")
    build_site(tmp_path)
    server.stop()
    (tmp_path / "src" / "shop" / "orders.py").write_text(SHOP["orders.py"] + "\n\ndef cancel() -> None:\n    pass\n")

    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.codescribe"):
        stats = build_site(tmp_path, strict=False)

    assert any("reference/shop/orders.md" in page for page in stats.fallbacks)
    assert "reference/shop/orders.md" in caplog.text
    # Trial of issue 13: the summary said "0 provider calls" when every call had failed.
    assert stats.failed_calls == stats.calls >= 1
    orders = html(tmp_path, "reference/shop/orders")
    assert "not written by the configured provider" in orders
    assert "from an older cached version" in orders, "the last good page is served rather than nothing"


def test_outage_with_fail_stops_the_build_with_a_clear_message(
    tmp_path: Path, server: ScriptedLLMServer, caplog: pytest.LogCaptureFixture
) -> None:
    make_site(tmp_path, LLM_OPTIONS + "\n              on_error: fail")
    server.stop()

    with pytest.raises((PluginError, Abort)):
        build_site(tmp_path, strict=False)

    assert re.search(r"codescribe: \S+\.py \[module\]: \[openai\] NETWORK", caplog.text)


def test_max_cost_stops_spending_before_the_budget(tmp_path: Path, server: ScriptedLLMServer) -> None:
    make_site(tmp_path, LLM_OPTIONS.replace("concurrency: 8", "concurrency: 1") + "\n              max_cost: 0.001")

    stats = build_site(tmp_path, strict=False)

    assert stats.spent_usd <= 0.001
    assert stats.calls < 5
    assert len(stats.fallbacks) == 5 - stats.calls


def test_max_cost_waits_for_pages_in_flight_instead_of_refusing_them(
    tmp_path: Path, server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Trial of issue 13: at concurrency 8, pages were refused for max_cost over the worst cases that
    # other pages in flight held, though every page together cost far less. Each page may write 10,000
    # tokens ($0.10 at gpt-6.1-sol's $10 a million): $0.15 holds one worst case at a time.
    monkeypatch.setenv("LLM_MAX_TOKENS", "10000")
    make_site(tmp_path, LLM_OPTIONS + "\n              max_cost: 0.15")

    stats = build_site(tmp_path, strict=False)

    assert stats.fallbacks == []
    assert stats.calls == 5
    assert 0 < stats.spent_usd <= 0.15


def test_a_retry_after_a_time_out_is_held_under_max_cost_first(
    tmp_path: Path, server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A time-out may be billed at a cost nobody knows: its retry used to go on the page's one
    # reservation, so retried time-outs could spend several worst cases under a max_cost that held one.
    monkeypatch.setenv("LLM_MAX_TOKENS", "10000")  # about $0.10 a page at worst: $0.15 holds one
    monkeypatch.setenv("LLM_TIMEOUT", "0.3")
    monkeypatch.setenv("LLM_MAX_RETRIES", "3")
    server.push(*[Reply(delay=1.0)] * 20)
    make_site(tmp_path, LLM_OPTIONS.replace("concurrency: 8", "concurrency: 1") + "\n              max_cost: 0.15")

    stats = build_site(tmp_path, strict=False)

    assert len(server.requests) == 1, "no retry and no other page fits once a time-out holds its worst case"
    assert 0.1 < stats.spent_usd <= 0.15
    assert stats.failed_calls == 1
    assert len(stats.fallbacks) == 5


def test_a_page_max_cost_cannot_hold_says_why(tmp_path: Path, server: ScriptedLLMServer) -> None:
    # Trial of issue 13: every page of a model without a price said "max_cost $0.1 reached" with $0 spent.
    make_site(tmp_path, LLM_OPTIONS.replace("gpt-6.1-sol", "not-in-the-price-table") + "\n              max_cost: 0.1")

    unknown = build_site(tmp_path, strict=False)
    make_site(tmp_path, LLM_OPTIONS + "\n              max_cost: 0.0001")
    dear = build_site(tmp_path, strict=False)

    assert unknown.calls == 0
    assert unknown.fallbacks
    assert all("the price of not-in-the-price-table is unknown" in page for page in unknown.fallbacks)
    assert all("is more than max_cost $0.0001" in page for page in dear.fallbacks)


@pytest.mark.parametrize("amount", [".nan", "-1", ".inf", "'2'"])
def test_a_max_cost_that_is_no_amount_is_refused(amount: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Trial of issue 13: `.nan` switched the budget off and `-1` refused every page, silently.
    make_site(tmp_path, f"provider: offline\n              max_cost: {amount}")

    with pytest.raises(Abort):
        load_config(str(tmp_path / "mkdocs.yml"))

    assert "max_cost" in caplog.text


def test_an_explicit_nav_gets_the_section_appended(tmp_path: Path) -> None:
    make_site(tmp_path, extra="nav:\n          - Home: index.md")

    build_site(tmp_path)

    home = (tmp_path / "site" / "index.html").read_text()
    assert "Reference" in home
    assert "reference/shop/orders/" in home


def test_a_missing_source_is_a_clear_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    make_site(tmp_path)
    (tmp_path / "mkdocs.yml").write_text((tmp_path / "mkdocs.yml").read_text().replace("src/shop", "src/nope"))

    with pytest.raises((PluginError, Abort)):
        build_site(tmp_path)

    assert "src/nope does not exist; fix `source:` in mkdocs.yml" in caplog.text


def test_serve_watches_every_source_and_the_instance_survives_rebuilds(tmp_path: Path) -> None:
    make_site(tmp_path)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = config.plugins["codescribe"]
    plugin.on_startup(command="serve", dirty=False)
    build(config)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str, *, recursive: bool = True) -> None:
            assert not recursive, "sub-folders (the plugin's cache among them) are not watched"
            self.watched.append(path)

    server = plugin.on_serve(Server(), config=config, builder=lambda: None)
    again = load_config(str(tmp_path / "mkdocs.yml"))

    assert str(tmp_path / "src" / "shop") in server.watched
    assert again.plugins["codescribe"] is plugin
    assert plugin.command == "serve"


def test_mkdocstrings_on_the_same_site(tmp_path: Path) -> None:
    make_site(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent("""
        site_name: Shop
        plugins:
          - mkdocstrings:
              handlers:
                python:
                  paths: [src]
          - codescribe:
              source: src/shop
              provider: offline
    """)
    )
    (tmp_path / "docs" / "api.md").write_text("# API\n\n::: shop.orders\n")

    build_site(tmp_path)

    assert "Place an order." in html(tmp_path, "api"), "mkdocstrings rendered its page"
    assert "place(count: int = 1)" in html(tmp_path, "reference/shop/orders"), "and the plugin its own"


def test_files_that_share_a_module_name_each_get_a_page(tmp_path: Path) -> None:
    """``a.py``, ``a.js``, ``a.cjs`` and ``a.ts`` in one folder: four pages, none lost; the stub ``a.pyi``
    beside ``a.py`` is the same module (one page, as griffe merges them)."""
    make_site(tmp_path)
    package = tmp_path / "src" / "shop"
    for suffix, text in {
        ".pyi": "def place(count: int = ...) -> object: ...\n",
        ".js": "function g() { return 1 }\nmodule.exports = { g }\n",
        ".cjs": "function h() { return 1 }\nmodule.exports = { h }\n",
        ".ts": "export const x = (n: number): number => n\n",
    }.items():
        (package / f"orders{suffix}").write_text(text)

    build_site(tmp_path)

    pages = sorted(p.parent.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("index.html"))
    orders = [page for page in pages if "orders" in page]
    assert len(orders) == 4, pages
    assert "reference/shop/orders.pyi" not in pages


def test_code_that_mkdocs_markdown_would_choke_on_builds_and_reads_as_written(tmp_path: Path) -> None:
    import html as html_module

    make_site(tmp_path)
    # rich/highlighter.py 13.9.4: MkDocs' Markdown raises on "<![" even inside a code span.
    value = r'r"(?<![\\\w])(?P<str>b?\".*?(?<!\\)\")"'
    (tmp_path / "src" / "shop" / "patterns.py").write_text(f"JSON_STR = {value}\n")

    build_site(tmp_path)

    page = html_module.unescape(html(tmp_path, "reference/shop/patterns"))
    assert f"JSON_STR = {value}" in page


def test_a_module_named_index_does_not_take_the_architecture_pages_place(tmp_path: Path) -> None:
    make_site(tmp_path, "provider: offline\n              doc_types: [module, architecture]")
    # express 4.22.3 and zod 3.25.76 have an index.js / index.ts at their root.
    (tmp_path / "src" / "shop" / "index.js").write_text("module.exports = require('./lib/express');\n")

    stats = build_site(tmp_path)

    assert "reference/index.md" in stats.generated
    assert "reference/index.js.md" in stats.generated
    assert "Architecture of" in html(tmp_path, "reference")


def test_serve_never_watches_what_the_plugin_writes(tmp_path: Path) -> None:
    # ../shared/cases/serve-rebuild-loop: `source: .` puts the default cache inside the watched folder,
    # and one edit made ~30 rebuilds in 15 s (peer: ojacques/mkdocs-git-committers-plugin-2 #65).
    make_site(tmp_path)
    (tmp_path / "mkdocs.yml").write_text((tmp_path / "mkdocs.yml").read_text().replace("source: src/shop", "source: ."))
    config = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = config.plugins["codescribe"]
    plugin.on_startup(command="serve", dirty=False)
    build(config)
    written = [path for path in (tmp_path / ".cache").rglob("*") if path.is_file()]

    class Server:
        def __init__(self) -> None:
            self.watched: list[tuple[str, bool]] = []

        def watch(self, path: str, *, recursive: bool = True) -> None:
            self.watched.append((path, recursive))

    watched = plugin.on_serve(Server(), config=config, builder=lambda: None).watched

    assert written, "the build wrote its cache"
    assert (str(tmp_path / "src" / "shop"), False) in watched, "an edited source rebuilds"
    for path in written:  # a folder watched without its sub-folders sees only its own files
        assert not any(
            path.parent == Path(folder) or (recursive and Path(folder) in path.parents) for folder, recursive in watched
        )


def test_a_model_page_is_written_again_when_the_prompt_it_came_from_changes(
    tmp_path: Path, server: ScriptedLLMServer
) -> None:
    # A model's prompt carries the project's repository map: a signature changed in another file
    # changes every page's prompt, so no page may be served from the cache of the old one.
    make_site(tmp_path, LLM_OPTIONS)
    build_site(tmp_path)
    models = tmp_path / "src" / "shop" / "models.py"
    models.write_text(models.read_text().replace("def total(self) -> int:", "def total(self, tax: int = 0) -> int:"))

    again = build_site(tmp_path)

    assert "reference/shop/pricing.md" in again.generated
    assert "reference/shop/orders.md" in again.generated


@pytest.mark.parametrize("change", ["model", "max_tokens", "base_url", "source", "reexported", "docstring"])
def test_every_input_of_a_page_is_in_its_cache_key(
    change: str, tmp_path: Path, server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each thing that changes what a page says makes a new call when it changes; nothing else does.
    (The prompts' version is part of every key too; the plugin uses the bundled prompts.)"""
    make_site(tmp_path, LLM_OPTIONS)
    package = tmp_path / "src" / "shop"
    (package / "__init__.py").write_text('"""A tiny shop."""\nfrom .orders import place\n\n__all__ = ["place"]\n')
    pricing = package / "pricing.py"
    pricing.write_text('"""Prices.\n\nIn cents."""\n' + pricing.read_text())
    build_site(tmp_path)
    unchanged = build_site(tmp_path)
    with ScriptedLLMServer(text="# Other\n\nAnother endpoint about `place`.\n") as other:
        if change == "model":
            make_site(tmp_path, LLM_OPTIONS.replace("gpt-6.1-sol", "gpt-6.2-sol"))
        elif change == "max_tokens":
            monkeypatch.setenv("LLM_MAX_TOKENS", "321")
        elif change == "base_url":
            monkeypatch.setenv("LLM_BASE_URL", other.openai_url)
        elif change == "docstring":  # trial of issue 13: the architecture prompt carries it, its key did not
            pricing.write_text(pricing.read_text().replace("In cents.", "In euros."))
        elif change == "source":
            (package / "pricing.py").write_text((package / "pricing.py").read_text() + "\nTAX = 2\n")
        else:  # ``shop/__init__.py`` re-exports ``place``: its page shows place's docstring
            orders = (package / "orders.py").read_text()
            (package / "orders.py").write_text(orders.replace('"""Place an order."""', '"""Place one order."""'))
        changed = build_site(tmp_path)

    assert unchanged.calls == 0
    expected = {
        "source": ["reference/shop/pricing.md"],
        "reexported": ["reference/shop.md", "reference/shop/orders.md"],
        "docstring": ["reference/index.md", "reference/shop/pricing.md"],
    }.get(change)
    if expected is None:  # a writer's setting or the prompts: every page the model wrote is written again
        assert changed.calls == 5
    else:
        assert sorted(changed.generated) == expected


def test_markup_from_a_models_answer_never_runs_in_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ../shared/cases/html-in-pages/llm: the model's <script> was live in the page, --strict too.
    answer = (
        "# Page\n\n## Overview\n\nAbout `place`.<script>alert(1)</script>\n\n"
        '<iframe src="javascript:alert(2)"></iframe>\n\n<img src="x.png" onerror="alert(3)">\n'
    )
    with ScriptedLLMServer(text=answer) as running:
        monkeypatch.setenv("LLM_BASE_URL", running.openai_url)
        monkeypatch.setenv("LLM_API_KEY", "test-key")
        build_site(make_site(tmp_path, LLM_OPTIONS))

    page = html(tmp_path, "reference/shop/orders")
    assert "About <code>place</code>" in page
    assert "<script>alert(1)" not in page
    assert "<iframe" not in page
    assert 'onerror="alert(3)"' not in page


def test_markup_in_docstrings_and_defaults_is_text_in_the_site(tmp_path: Path) -> None:
    # ../shared/cases/html-in-pages/offline: docstrings and default values carried live tags.
    make_site(tmp_path)
    (tmp_path / "src" / "shop" / "xss.py").write_text(
        '"""Render <script>alert("module")</script> here."""\n\n\n'
        'def render(tag="<img src=x onerror=alert(1)>"):\n    """Render <iframe src=javascript:alert(2)>."""\n'
        "    return tag\n"
    )

    build_site(tmp_path)

    page = html(tmp_path, "reference/shop/xss")
    assert "onerror=alert(1)" in page.replace("&lt;", "<"), "the default is shown, as text"
    content = page.split('<div role="main"', 1)[-1]
    assert not re.search(r"<script>alert|<iframe|<img src=.?x.? onerror", content)


def test_a_cache_dir_holding_the_users_files_is_refused_and_left_as_it_was(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Issue 14: with `cache_dir: .` a build deleted the user's *.json files shaped like entries and
    # overwrote their index.json. A cache writes and deletes only in a folder it made.
    make_site(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        (tmp_path / "mkdocs.yml").read_text().replace("cache_dir: .cache/codescribe", "cache_dir: .")
    )
    mine = {"index.json": '{"mine": true}', "ab/" + "ab" * 32 + ".json": '{"also": "mine"}'}
    for name, text in mine.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    before = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))

    with pytest.raises((PluginError, Abort)):
        build_site(tmp_path)

    assert re.search(
        r"cache_dir: \S+ is not a CodeScribe cache: it holds \S+, which CodeScribe did not write", caplog.text
    )
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*")) == before
    for name, text in mine.items():
        assert (tmp_path / name).read_text() == text


@pytest.mark.parametrize(("cache_dir", "option"), [("docs/.codescribe", "docs_dir"), ("src/.cache", "watch")])
def test_a_cache_dir_mkdocs_reads_or_watches_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, cache_dir: str, option: str
) -> None:
    # helper-23's F5: with cache_dir inside docs/, `mkdocs serve` rebuilt 32 times in 16 s after one edit,
    # and `mkdocs build` published the cache's JSON files in the site.
    make_site(tmp_path)
    config = (tmp_path / "mkdocs.yml").read_text().replace("cache_dir: .cache/codescribe", f"cache_dir: {cache_dir}")
    (tmp_path / "mkdocs.yml").write_text(config + "watch:\n  - src\n")

    with pytest.raises((PluginError, Abort)):
        build_site(tmp_path)

    assert f"lies in {option}" in caplog.text
    assert not (tmp_path / cache_dir).exists()


def test_sites_sharing_a_cache_keep_each_others_pages(tmp_path: Path, server: ScriptedLLMServer) -> None:
    # Issue 14: two sites sharing a cache_dir pruned each other's pages, so every build paid for all of them.
    shared = tmp_path / "shared-cache"
    first, second = make_site(tmp_path / "first", LLM_OPTIONS), make_site(tmp_path / "second", LLM_OPTIONS)
    (second / "src" / "shop" / "pricing.py").write_text("def discount(rate: float) -> float:\n    return rate\n")
    for root in (first, second):
        config = (root / "mkdocs.yml").read_text().replace("cache_dir: .cache/codescribe", f"cache_dir: {shared}")
        (root / "mkdocs.yml").write_text(config)

    built = [build_site(first), build_site(second)]
    again = [build_site(first), build_site(second)]

    assert [stats.pruned for stats in again] == [0, 0]
    assert [stats.calls for stats in again] == [0, 0], "every page came from the cache"
    assert [stats.calls for stats in built] == [5, 5]
    assert sorted(path.name for path in (shared / "sites").iterdir()) == sorted(
        f"{cache_key(str((root / 'mkdocs.yml').resolve()))[:16]}.json" for root in (first, second)
    )


def test_a_cache_from_before_markers_is_adopted(tmp_path: Path, server: ScriptedLLMServer) -> None:
    make_site(tmp_path, LLM_OPTIONS)
    build_site(tmp_path)
    cache = tmp_path / ".cache" / "codescribe"
    for marker in cache.rglob(".codescribe-cache"):
        marker.unlink()

    stats = build_site(tmp_path)

    assert stats.calls == 0
    assert (cache / ".codescribe-cache").is_file()


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_a_models_heading_is_text_in_the_pages_title_and_nav(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    # helper-21's trial of issue 14: an H1 holding entity-encoded markup became a live <script> in the
    # Material theme's <title> (the theme inserts the page title, the heading's text, as HTML).
    answer = "# Doc &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n\nAbout `place`.\n"
    with ScriptedLLMServer(text=answer) as running:
        monkeypatch.setenv("LLM_BASE_URL", running.openai_url)
        monkeypatch.setenv("LLM_API_KEY", "test-key")
        build_site(make_site(tmp_path, LLM_OPTIONS, extra=f"theme: {theme}"))

    page = html(tmp_path, "reference/shop/orders")
    assert "<script>alert(1)" not in page
    assert "<title>Doc \u2039/title\u203a\u2039script\u203aalert(1)\u2039/script\u203a - Shop</title>" in page
