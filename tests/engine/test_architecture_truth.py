"""An architecture page tells the truth about the import graph: a diagram edge between two modules that do not
import each other is invented, and a module imported only for its types is no entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from codescribe.engine import score_document
from codescribe.engine.analysis.project import analyze_project
from codescribe.engine.generator import DocGenerator
from codescribe.engine.quality.diagram_edges import flowchart_edges

PAGE = """# shop

The command line reads orders; the core prices them.

## Components

`main` runs the tool; `price` prices an order.

```mermaid
flowchart LR
    cli["shop.cli"] --> core["shop.core"]
    {edge}
```
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text('"""A shop."""\n')
    (package / "cli.py").write_text(
        '"""The CLI."""\nfrom shop.core import price\n\n\ndef main() -> int:\n    return price()\n'
    )
    (package / "core.py").write_text('"""Prices."""\n\n\ndef price() -> int:\n    return 1\n')
    (package / "db.py").write_text('"""Storage."""\n\n\ndef save() -> None:\n    pass\n')
    return tmp_path


@pytest.mark.parametrize(
    ("edge", "invented"),
    [
        ("core --> db[shop.db]", ("shop.core --> shop.db",)),
        ("db[shop.db] -.->|stores| cli", ("shop.db --> shop.cli",)),
        ("core --> user[User]", ()),  # a node that is no module claims nothing
        ("core --> cli", ()),  # an arrow may point either way along an import
    ],
)
def test_an_edge_no_import_backs_is_invented(project: Path, edge: str, invented: tuple[str, ...]) -> None:
    analysis = analyze_project(project)
    document = PAGE.replace("{edge}", edge)
    file = analysis.files["shop/cli.py"]

    report = score_document(document, file, "architecture", graph=analysis.import_graph())

    assert report.invented_identifiers == invented
    assert (report.truthfulness < 1.0) == bool(invented)


def test_the_offline_architecture_page_draws_only_real_edges(project: Path) -> None:
    [result] = DocGenerator(offline=True).document_project(project, doc_types=["architecture"]).results

    assert flowchart_edges(result.documentation.split("```mermaid")[1].split("```")[0])
    assert result.quality.invented_identifiers == ()
    assert result.quality.truthfulness == 1.0


def test_a_module_imported_only_for_its_types_is_no_entry_point(tmp_path: Path) -> None:
    # Trial of issue 12: a module imported only under TYPE_CHECKING was called an entry point, "nothing imports it".
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text('"""Models."""\n\n\nclass User:\n    """A user."""\n')
    (package / "main.py").write_text(
        '"""The app."""\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.models import User\n\n\n'
        'def greet(user: "User") -> str:\n    """Greet a user."""\n    return "hi"\n'
    )

    [result] = DocGenerator(offline=True).document_project(tmp_path, doc_types=["architecture"]).results

    entry = next(line for line in result.documentation.splitlines() if "entry points" in line)
    assert "`app.main`" in entry
    assert "app.models" not in entry
