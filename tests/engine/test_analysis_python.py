"""Python analysis through ast, bad input, and a project's import graph and order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codescribe.engine.analysis import SourceError, analyze_file, analyze_source, read_source
from codescribe.engine.analysis.project import analyze_project, module_name

FIXTURES = Path(__file__).parent / "fixtures"
INVENTORY = FIXTURES / "python" / "inventory.py"


def test_functions_classes_and_signatures_come_from_the_code() -> None:
    analysis = analyze_file(INVENTORY)

    assert analysis.language == "python"
    assert analysis.module_docstring == "A small inventory: items, stock levels and restocking."
    assert [c.name for c in analysis.classes] == ["Item", "Inventory"]
    inventory = analysis.classes[1]
    assert [m.name for m in inventory.methods] == ["__init__", "add", "remove", "snapshot", "_audit"]
    add = inventory.methods[1]
    assert add.qualname == "Inventory.add"
    assert add.signature == "add(sku: str, quantity: int = 1) -> Item"
    assert add.raises == ("ValueError",)
    assert add.returns_value
    assert inventory.methods[3].is_async
    assert not inventory.methods[4].is_public
    plan = analysis.functions[0]
    assert (
        plan.signature
        == "restock_plan(inventory: Inventory, minimum: int = 5, *, limit: int | None = None) -> list[str]"
    )


def test_complexity_counts_branches_and_boolean_operators() -> None:
    analysis = analyze_file(INVENTORY)
    by_name = {f.qualname: f for f in analysis.all_functions}

    assert by_name["Inventory.remove"].complexity == 3
    assert by_name["restock_plan"].complexity == 5  # 1 + for + if + and + or
    assert analysis.complexity_level == "low"


def test_exports_follow_dunder_all_and_imports_are_listed() -> None:
    analysis = analyze_file(INVENTORY)

    assert analysis.exports == ("Inventory", "Item", "restock_plan")
    assert [i.module for i in analysis.imports] == ["__future__", "dataclasses"]
    assert {"restock_plan", "Inventory.add", "minimum", "Item"} <= analysis.identifiers


def test_health_score_rewards_documentation() -> None:
    bare = analyze_source("def f(x):\n    return x\n", "bare.py")
    documented = analyze_source('"""Module."""\ndef f(x):\n    """Return x."""\n    return x\n', "doc.py")

    assert documented.health_score > bare.health_score
    assert documented.health_score == 100


def test_syntax_error_falls_back_with_a_warning() -> None:
    analysis = analyze_source("def broken(:\n    pass\ndef fine(a):\n    return a\n", "broken.py")

    assert analysis.used_fallback
    assert any("syntax error" in warning.lower() for warning in analysis.warnings)
    assert "fine" in {f.name for f in analysis.functions}


def test_empty_file_is_analysed_with_a_note() -> None:
    analysis = analyze_source("", "empty.py")

    assert analysis.functions == ()
    assert any("empty" in warning for warning in analysis.warnings)


def test_bad_paths_and_files_get_clear_errors(tmp_path: Path) -> None:
    binary = tmp_path / "blob.py"
    binary.write_bytes(b"\x00\x01\x02binary")
    latin = tmp_path / "latin.py"
    latin.write_bytes("def caf\xe9():\n    return 1\n".encode("latin-1"))

    with pytest.raises(SourceError, match="no such file"):
        read_source(tmp_path / "missing.py")
    with pytest.raises(SourceError, match="binary"):
        read_source(binary)
    with pytest.raises(SourceError, match="unsupported language"):
        analyze_source("x", "notes.xyz")
    analysis = analyze_file(latin)
    assert any("UTF-8" in warning for warning in analysis.warnings)


def test_module_names() -> None:
    assert module_name("pkg/sub/mod.py") == "pkg.sub.mod"
    assert module_name("pkg/__init__.py") == "pkg"
    assert module_name("web/app.ts") == "web/app"


def make_project(root: Path) -> Path:
    package = root / "shop"
    package.mkdir()
    (package / "__init__.py").write_text('"""The shop."""\nfrom .orders import place\n')
    (package / "models.py").write_text("class Order:\n    pass\n")
    (package / "orders.py").write_text(
        "from .models import Order\nfrom . import pricing\n\ndef place(): return Order()\n"
    )
    (package / "pricing.py").write_text(
        "import json\nfrom shop.models import Order\n\ndef price(o: Order) -> int:\n    return 1\n"
    )
    (package / "cycle_a.py").write_text("from . import cycle_b\n")
    (package / "cycle_b.py").write_text("from . import cycle_a\n")
    (package / "data.bin.py").write_bytes(b"\x00\x00")
    return package


def test_project_graph_and_dependency_order(tmp_path: Path) -> None:
    project = analyze_project(make_project(tmp_path))

    graph = project.import_graph()
    order = project.dependency_order()
    assert graph["shop.orders"] == {"shop.models", "shop.pricing"}
    assert graph["shop.pricing"] == {"shop.models"}
    assert order.index("shop.models") < order.index("shop.pricing") < order.index("shop.orders") < order.index("shop")
    assert {"shop.cycle_a", "shop.cycle_b"} <= set(order)
    assert "data.bin.py" in project.errors


def test_repo_map_respects_its_budget(tmp_path: Path) -> None:
    project = analyze_project(make_project(tmp_path))

    full = project.repo_map(10_000)
    small = project.repo_map(10)

    assert "def price(o: Order) -> int" in full
    assert len(small) < len(full)
    assert "more modules not shown" in small


def _write(root: Path, *names: str, text: str = "X = 1\n") -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_folders_named_as_build_output_are_read_when_they_hold_source(tmp_path: Path) -> None:
    """Trial 34: pypa's ``src/build`` package and yargs-parser's ``build/`` (its package.json's entry)
    were skipped unsaid, as build output."""
    _write(tmp_path, "app.py", "src/build/__init__.py", "src/env/__init__.py", "internal/target/t.go")
    _write(tmp_path, "build/lib/app.py", "env/lib/site.py", "dist/app.py", "vendor/lib/six.py", "vendor/__init__.py")
    _write(tmp_path, "web/package.json", text='{"name": "w", "exports": {".": "./build/index.js"}}')
    _write(tmp_path, "web/build/index.js", text="export const a = 1\n")
    _write(tmp_path, "ts/package.json", text='{"name": "t", "main": "dist/index.js"}')
    _write(tmp_path, "ts/dist/index.js", "ts/src/index.js", text="export const a = 1\n")

    project = analyze_project(tmp_path)

    assert sorted(project.files) == [
        "app.py",
        "internal/target/t.go",
        "src/build/__init__.py",
        "src/env/__init__.py",
        "ts/src/index.js",
        "web/build/index.js",
    ]
    assert project.skipped_folders == {
        "build": "build output",
        "dist": "build output",
        "env": "a virtual environment",
        "ts/dist": "build output",
        "vendor": "vendored code",
    }


def test_an_include_that_names_a_skipped_folder_brings_it_back(tmp_path: Path) -> None:
    _write(tmp_path, "app.py", "build/gen.py", "dist/out.py")

    project = analyze_project(tmp_path, include=["*", "build/*"])

    assert sorted(project.files) == ["app.py", "build/gen.py"]  # `*` names no folder: dist/ stays out
    assert list(project.skipped_folders) == ["dist"]


def test_a_missing_project_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file or folder"):
        analyze_project(tmp_path / "nowhere")


def test_a_stored_analysis_is_the_same_analysis_and_skips_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codescribe.engine.analysis import saved as store_module
    from codescribe.engine.analysis.saved import AnalysisStore

    root = make_project(tmp_path)
    store = AnalysisStore(tmp_path / "analyses")
    first = analyze_project(root, store=store)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged file was parsed again")

    monkeypatch.setattr("codescribe.engine.analysis.project.analyze_source", no_parsing)
    second = analyze_project(root, store=AnalysisStore(tmp_path / "analyses"))

    assert second.files == first.files
    assert second.import_graph() == first.import_graph()
    assert store_module.ANALYSIS_VERSION


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: {**data, "functions": "not a list"},
        lambda data: {key: value for key, value in data.items() if key != "path"},
        lambda data: {**data, "lines": {"total": "many"}},
    ],
    ids=["wrong-type", "missing-field", "nested-wrong-type"],
)
def test_a_stored_analysis_of_another_shape_is_analysed_again(tmp_path: Path, damage: Any) -> None:
    from codescribe.engine.analysis.saved import AnalysisStore

    store = AnalysisStore(tmp_path / "analyses")
    analysis = analyze_source("def f(x: int = 1) -> int:\n    return x\n", "f.py")
    store.put("k", analysis)
    assert store.get("k") == analysis

    store.cache.put("k", damage(store.cache.get("k")))

    assert store.get("k") is None


def test_defaults_are_the_source_text_as_written() -> None:
    """rich's ``Console.print(sep: str = " ", end: str = "\\n")`` lost its quotes once: defaults are source text."""
    source = (
        'def out(*objects, sep: str = " ", end: str = "\\n", empty="", comma=",", gap="a  b",'
        " pair=(\n    1,\n    2,\n)): ...\n"
    )

    function = analyze_source(source, "console.py").functions[0]

    assert [p.default for p in function.parameters] == [None, '" "', '"\\n"', '""', '","', '"a  b"', "(1, 2)"]
    assert function.signature == (
        'out(*objects, sep: str = " ", end: str = "\\n", empty="", comma=",", gap="a  b", pair=(1, 2))'
    )


def test_an_unknown_language_given_by_name_is_a_source_error() -> None:
    with pytest.raises(SourceError, match=r"unsupported language \(cobol\)"):
        analyze_source("x", "x.py", language="cobol")


@pytest.mark.parametrize("broken", ["", "def f(:\n    pass\n"], ids=["parses", "syntax-error"])
def test_an_empty_all_exports_nothing_whichever_parser_reads_the_file(broken: str) -> None:
    analysis = analyze_source(f"__all__ = []\n{broken}def g():\n    pass\n", "b.py")

    assert analysis.exports == ()
    assert [f.name for f in analysis.functions][-1] == "g"


def test_type_checking_and_main_block_imports_are_not_run_time_edges(tmp_path: Path) -> None:
    """rich showed 31 import cycles that do not exist at run time: they came from these two blocks."""
    (tmp_path / "a.py").write_text(
        "from typing import TYPE_CHECKING\nimport b\n\nif TYPE_CHECKING:\n    import c\n"
        "if __name__ == '__main__':\n    import d\n"
    )
    (tmp_path / "b.py").write_text("import typing\n\nif typing.TYPE_CHECKING:\n    from a import x\n")
    for name in ("c", "d"):
        (tmp_path / f"{name}.py").write_text("import a\n")

    project = analyze_project(tmp_path)

    assert project.import_graph() == {"a": {"b"}, "b": set(), "c": {"a"}, "d": {"a"}}
    imports = {(i.module, i.runtime) for i in project.files["a.py"].imports}
    assert imports == {("typing", True), ("b", True), ("c", False), ("d", False)}
