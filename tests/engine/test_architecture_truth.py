"""An architecture page tells the truth about the import graph: a diagram edge between two modules that do not
import each other is invented, and a module imported only for its types is no entry point."""

from __future__ import annotations

import os
import shutil
import subprocess
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


GO_FILES = {
    "go.mod": "module example.com/shop\n\ngo 1.19\n",
    "shop.go": '// Package shop sells.\npackage shop\n\nimport "example.com/shop/store"\n\n// Buy buys.\n'
    "func Buy() int { return store.Count() }\n",
    "cart.go": "package shop\n\n// Cart holds items.\ntype Cart struct{}\n",
    "shop_test.go": 'package shop\n\nimport (\n\t"testing"\n\n\t"example.com/shop/internal/money"\n)\n\n'
    "func TestBuy(t *testing.T) { _ = money.Cents() }\n",
    "store/store.go": '// Package store keeps stock.\npackage store\n\nimport "example.com/shop/internal/money"\n\n'
    "// Count counts.\nfunc Count() int { return money.Cents() }\n",
    "store/shelf.go": "package store\n\n// Shelf holds stock.\ntype Shelf struct{}\n",
    "internal/money/money.go": "// Package money counts cents.\npackage money\n\n// Cents is zero.\n"
    "func Cents() int { return 0 }\n",
    "cmd/shop/main.go": 'package main\n\nimport "example.com/shop"\n\nfunc main() { shop.Buy() }\n',
    # no build includes it (helper-25's re-trial: logrus's ci/ was drawn as a package)
    "tools/gen.go": '//go:build ignore\n\npackage main\n\nimport "example.com/shop"\n\nfunc main() { shop.Buy() }\n',
}


def test_a_go_architecture_is_drawn_per_package_as_go_list_sees_it(tmp_path: Path) -> None:
    # Issue 12: Go's architecture was drawn per file (afero: 47 "modules", its tests the entry points). A Go
    # program imports packages; the files of one package share their names without importing each other.
    for name, text in GO_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    [result] = DocGenerator(offline=True).document_project(tmp_path, doc_types=["architecture"]).results
    diagram = result.documentation.split("```mermaid")[1].split("```")[0]

    drawn = set(flowchart_edges(diagram))
    expected = {("shop", "store"), ("store", "internal/money"), ("cmd/shop", "shop")}
    if shutil.which("go"):  # Go's own view of the imports, when Go is installed (apt-get install golang)
        env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local"}
        listed = subprocess.run(
            ["go", "list", "-e", "-f", '{{.ImportPath}} {{join .Imports " "}}', "./..."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        short = {"example.com/shop": "shop"} | {
            f"example.com/shop/{p}": p for p in ("store", "internal/money", "cmd/shop")
        }
        expected = {
            (short[line.split()[0]], short[target])
            for line in listed.splitlines()
            for target in line.split()[1:]
            if target in short
        }
    assert drawn == expected
    assert "has 4 packages in go" in result.documentation
    assert "shop_test" not in result.documentation
    assert "tools" not in diagram
    assert result.quality.invented_identifiers == ()
