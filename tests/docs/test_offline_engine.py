"""The offline engine: every doc type from analysis alone, deterministic, and code that still parses."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from codescribe.docs.generator import DocGenerator
from codescribe.llm import LLMConfig, LLMError, create_provider

FIXTURES = Path(__file__).parent / "fixtures"
INVENTORY = (FIXTURES / "python" / "inventory.py").read_text()


@pytest.fixture
def generator() -> DocGenerator:
    return DocGenerator(create_provider(LLMConfig(provider="offline")))


def test_readme_names_the_real_api_with_signatures_and_examples(generator: DocGenerator) -> None:
    result = generator.generate_documentation(INVENTORY, doc_type="readme", filename="inventory.py")

    doc = result.documentation
    assert doc.startswith("# inventory")
    assert "restock_plan(inventory: Inventory, minimum: int = 5, *, limit: int | None = None) -> list[str]" in doc
    assert "## Installation" in doc
    assert doc.count("```") >= 6
    assert result.metadata["provider"] == "offline"
    assert result.metadata["cost_usd"] == 0.0
    assert result.metadata["prompt_version"].startswith("p1-")
    assert result.quality.truthfulness == 1.0


def test_offline_output_is_deterministic(generator: DocGenerator) -> None:
    first = generator.generate_documentation(INVENTORY, doc_type="api", filename="inventory.py")
    second = generator.generate_documentation(INVENTORY, doc_type="api", filename="inventory.py")

    assert first.documentation == second.documentation
    assert "| `ValueError` |" in first.documentation


def test_docstrings_are_added_and_the_code_still_parses(generator: DocGenerator) -> None:
    result = generator.generate_documentation(INVENTORY, doc_type="docstrings", filename="inventory.py")

    tree = ast.parse(result.documentation)
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    assert "Args:" in (ast.get_docstring(functions["restock_plan"]) or "")
    assert "Raises:" in (ast.get_docstring(functions["add"]) or "")
    assert ast.get_docstring(functions["_audit"]) is None, "private functions are left alone"
    assert ast.dump(ast.parse(INVENTORY)).count("FunctionDef") == ast.dump(tree).count("FunctionDef")


def test_architecture_of_a_project_has_a_mermaid_graph_with_quoted_labels(tmp_path: Path) -> None:
    from .test_analysis_python import make_project

    generator = DocGenerator(create_provider(LLMConfig(provider="offline")))
    result = generator.document_project(make_project(tmp_path), doc_types=["architecture", "module"])

    architecture = next(r for r in result.results if r.doc_type == "architecture")
    mermaid = re.search(r"```mermaid\n(.*?)```", architecture.documentation, re.DOTALL)
    assert mermaid is not None
    assert '["shop.orders"]' in mermaid.group(1)
    assert "-->" in mermaid.group(1)
    modules = [r for r in result.results if r.doc_type == "module"]
    assert len(modules) == 6
    assert "data.bin.py" in result.errors
    assert result.cost_usd == 0.0


def test_the_offline_provider_refuses_free_prompts_clearly() -> None:
    with pytest.raises(LLMError, match="DocGenerator"):
        create_provider(LLMConfig(provider="offline")).generate("hello")
