"""The project's own site builds strictly, with CodeScribe documenting its own code."""

from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[2]


def test_the_project_site_builds_strict_with_generated_reference_pages(tmp_path: Path) -> None:
    text = (ROOT / "mkdocs.yml").read_text()
    text = text.replace("docs_dir: site", f"docs_dir: {ROOT / 'site'}")
    text = text.replace("site_dir: build/site", f"site_dir: {tmp_path / 'out'}")
    text = text.replace("source: codescribe", f"source: {ROOT / 'codescribe'}")
    text = text.replace("cache_dir: .cache/codescribe", f"cache_dir: {tmp_path / 'cache'}")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(text)
    plain_yaml = text.replace("!!python/name:pymdownx.superfences.fence_code_format", "x").replace("!ENV", "")
    hand_written = [next(iter(item.values())) for item in yaml.safe_load(plain_yaml)["nav"]]

    config = load_config(str(config_file), strict=True)
    build(config)

    out = tmp_path / "out"
    for page in hand_written:
        assert (out / page.replace(".md", "") / "index.html").is_file() or page == "index.md"
    reference = out / "reference" / "index.html"
    assert '<pre class="mermaid">' in reference.read_text()
    assert (out / "reference" / "codescribe" / "llm" / "factory" / "index.html").is_file()
    assert config.plugins["codescribe"].stats.calls == 0
