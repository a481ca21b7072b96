"""`-t readme` on a folder writes one README for the project, from its manifest; on a file, one for the file."""

from __future__ import annotations

from pathlib import Path

from codescribe.cli import main
from codescribe.engine.analysis.manifest import read_manifest
from codescribe.engine.estimate import estimate_run

# The manifests of real packages, abridged: rich 13.9.4 (Poetry), cobra 1.6.1, anyhow 1.0.69.
POETRY = '[tool.poetry]\nname = "rich"\nversion = "13.9.4"\ndescription = "Render rich text to the terminal"\n'
GO_MOD = "module github.com/spf13/cobra\n\ngo 1.15\n"
CARGO = '[package]\nname = "anyhow"\nversion = "1.0.69"\ndescription = "Flexible concrete Error type"\n'


def _project(root: Path) -> Path:
    (root / "shop").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "shop"\ndescription = "A tiny shop."\n[project.scripts]\nshop = "shop.cli:main"\n'
    )
    (root / "shop" / "__init__.py").write_text('"""A tiny shop."""\nfrom .prices import total\n')
    (root / "shop" / "prices.py").write_text('def total(prices: list[int]) -> int:\n    """Sum."""\n    return 0\n')
    (root / "shop" / "_cache.py").write_text("def clear() -> None:\n    pass\n")
    return root


def test_a_folder_gets_one_readme_from_its_manifest(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    out = tmp_path / "out"

    assert main(["generate", str(root), "-p", "offline", "-t", "readme", "--out", str(out)]) == 0

    pages = sorted(p.name for p in out.rglob("*.md"))
    assert pages == ["proj.readme.md"]
    page = (out / "proj.readme.md").read_text()
    assert page.startswith("# shop\n\nA tiny shop.")
    assert "pip install shop" in page
    assert "`shop = shop.cli:main`" in page
    assert "result = total(prices)" in page
    assert "`shop.prices`" in page
    assert "shop._cache" not in page
    assert estimate_run(root, provider="offline", doc_types=["readme"]).documents == len(pages)


def test_a_file_gets_its_own_readme(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    out = tmp_path / "out"

    assert main(["generate", str(root / "shop" / "prices.py"), "-p", "offline", "--out", str(out)]) == 0

    assert sorted(p.name for p in out.rglob("*.md")) == ["prices.py.readme.md"]


def test_manifests_of_every_language_are_read(tmp_path: Path) -> None:
    for name, text in (("pyproject.toml", POETRY), ("go.mod", GO_MOD), ("Cargo.toml", CARGO)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / name).write_text(text)
        manifest = read_manifest(folder)
        assert manifest is not None
        assert manifest.install in ("pip install rich", "go get github.com/spf13/cobra", "cargo add anyhow")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "pyproject.toml").write_text("[project\n")
    assert read_manifest(tmp_path / "broken") is None
