"""The offline engine: every doc type from analysis alone, deterministic, and code that still parses."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from codescribe.engine.generator import DocGenerator
from codescribe.engine.writers import OfflineWriter, writer_for
from codescribe.llm import LLMConfig, LLMError, create_provider

FIXTURES = Path(__file__).parent / "fixtures"
INVENTORY = (FIXTURES / "python" / "inventory.py").read_text()


@pytest.fixture
def generator() -> DocGenerator:
    return DocGenerator(offline=True)


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

    generator = DocGenerator(offline=True)
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


def test_offline_is_a_writer_the_surfaces_name_not_a_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_PROVIDER", "offline")
    monkeypatch.delenv("LLM_API_KEY", raising=False)

    from_env = DocGenerator()
    named = writer_for("offline")

    assert from_env.offline
    assert from_env.provider is None
    assert isinstance(named, OfflineWriter)
    with pytest.raises(LLMError, match="Unknown provider 'offline'"):
        create_provider(LLMConfig(provider="offline"))  # the provider layer knows nothing of it
    with pytest.raises(ValueError, match="one of provider, offline=True and writer"):
        DocGenerator(create_provider(LLMConfig(provider="openai", api_key="k")), offline=True)


SUFFIXES = {".py", ".js", ".ts", ".tsx", ".go", ".java", ".rs"}
ALL_FIXTURES = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in SUFFIXES)


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("doc_type", ["readme", "api", "module", "docstrings"])
def test_every_language_gets_every_doc_type(path: Path, doc_type: str, generator: DocGenerator) -> None:
    result = generator.generate_documentation(path.read_text(), doc_type=doc_type, filename=path.name)

    analysis = result.analysis
    assert not analysis.used_fallback
    public = [f.name for f in analysis.functions if f.is_public]
    public += [m.name for c in analysis.classes if c.is_public for m in c.methods if m.is_public]
    assert public, "every fixture has a public API"
    if doc_type == "docstrings":
        assert len(result.documentation) >= len(path.read_text())
        if analysis.language == "python":
            ast.parse(result.documentation)
    else:
        assert all(name in result.documentation for name in public[:5])
        assert result.quality.truthfulness >= 0.9, result.quality.invented_identifiers


def test_jsdoc_is_added_above_undocumented_exports(generator: DocGenerator) -> None:
    source = (
        "export function area(width, height = 1) {\n"
        "  if (width < 0) throw new RangeError('w');\n"
        "  return width * height;\n}\n"
    )

    result = generator.generate_documentation(source, doc_type="docstrings", filename="shapes.js")

    assert result.documentation.startswith("/**\n * Area.\n * @param width\n * @param {number} [height=1]\n")
    assert "@throws {RangeError}" in result.documentation
    assert result.documentation.endswith(source)


async def test_async_streaming_matches_sync(generator: DocGenerator) -> None:
    chunks: list[str] = []

    streamed = await generator.agenerate_documentation_streaming(
        INVENTORY, chunks.append, doc_type="module", filename="inventory.py"
    )
    plain = generator.generate_documentation(INVENTORY, doc_type="module", filename="inventory.py")

    assert "".join(chunks) == streamed.documentation == plain.documentation


def test_a_huge_file_is_documented_with_a_note(generator: DocGenerator) -> None:
    filler = "    # " + "padding " * 60 + "\n"
    body = "".join(
        f"def function_{i}(value: int) -> int:\n{filler * 2}    return value + {i}\n\n" for i in range(5_500)
    )

    result = generator.generate_documentation(body, doc_type="module", filename="huge.py")

    assert len(body) > 5_000_000
    assert result.analysis.used_fallback
    assert any("larger than" in warning for warning in result.warnings)
    assert "function_0" in result.documentation


@pytest.mark.parametrize(
    ("fixture", "signature", "example"),
    [
        ("go/store.go", "func New(ttl tm.Duration) *Store", "result := New(ttl)"),
        ("rust/ledger.rs", "pub async fn total(accounts: &[Account], floor: Option<i64>) -> i64", ".await;"),
        ("typescript/userService.ts", "label(prefix?: string): string", "const result = await findUser(client, id);"),
    ],
)
def test_pages_write_signatures_and_examples_in_the_files_own_language(
    fixture: str, signature: str, example: str
) -> None:
    """``NoArgs(cmd: *Command, ...) -> error`` once stood in a ``go`` block: Python notation for Go."""
    path = FIXTURES / fixture

    generator = DocGenerator(offline=True)
    page = generator.generate_documentation(path.read_text(), doc_type="api", filename=path.name)
    readme = generator.generate_documentation(path.read_text(), doc_type="readme", filename=path.name)

    assert f"\n{signature}\n" in page.documentation
    assert example in readme.documentation  # the README's usage
    assert " -> " not in page.documentation.replace(signature, "") or fixture.endswith(".rs")


def test_a_modules_readme_does_not_tell_users_to_copy_the_file() -> None:
    """ "Copy `text.py` into your project" was the advice for every module of rich: nonsense for a package."""
    path = FIXTURES / "python" / "inventory.py"

    page = DocGenerator(offline=True).generate_documentation(path.read_text(), doc_type="readme", filename=path.name)

    assert "Copy" not in page.documentation
    assert "is part of its project" in page.documentation


def test_offline_docstrings_read_names_as_words_keeping_acronyms_whole() -> None:
    # Trial of issue 12: an all-caps name was spelled letter by letter ("P e r c e n t.").
    from codescribe.engine.analysis import analyze_source
    from codescribe.engine.offline import DocRequest, OfflineEngine

    code = "export function parseHTTPDate(text) {\n  return text;\n}\n\nexport function PERCENT(x) {\n  return x;\n}\n"
    written = OfflineEngine().document(DocRequest("docstrings", analyze_source(code, "dates.js"), code))

    assert "Parse HTTP date." in written
    assert "Percent." in written
    assert "P e r" not in written


def test_a_function_value_with_a_declared_type_is_documented_above_its_statement(generator: DocGenerator) -> None:
    # zod's v4/mini/schemas.ts: the arrow starts on the line after ``=``; the block used to land inside
    # the initializer, and documented ``...args`` instead of the declared type's parameters.
    source = (
        "export const stringbool: (_params?: string | Params) => Codec<Str, Bool> =\n"
        "  (...args) =>\n"
        "    make(...args) as any;\n"
    )

    result = generator.generate_documentation(source, doc_type="docstrings", filename="schemas.ts")

    block, _, rest = result.documentation.partition(" */\n")
    assert rest == source
    assert "@param {string | Params} [_params]" in block
    assert "@returns {Codec<Str, Bool>}" in block


def test_overloads_are_documented_above_the_first_signature(generator: DocGenerator) -> None:
    # TypeScript shows callers the overloads' doc, never the implementation's (microsoft/TypeScript#3294).
    source = (
        "export function parse(input: string): number;\n"
        "export function parse(input: number): number;\n"
        "export function parse(input: string | number): number {\n"
        "  return Number(input);\n"
        "}\n"
    )

    result = generator.generate_documentation(source, doc_type="docstrings", filename="parse.ts")

    assert result.documentation.endswith(" */\n" + source)
    assert result.documentation.count("/**") == 1


def test_generators_say_what_they_yield(generator: DocGenerator) -> None:
    python = "from collections.abc import Iterator\n\n\ndef count(limit: int) -> Iterator[int]:\n    yield limit\n"
    typescript = "export function* count(limit: number): Generator<number> {\n  yield limit;\n}\n"

    documented = generator.generate_documentation(python, doc_type="docstrings", filename="count.py").documentation
    jsdoc = generator.generate_documentation(typescript, doc_type="docstrings", filename="count.ts").documentation

    docstring = ast.get_docstring(ast.parse(documented).body[1]) or ""
    assert "Yields:\n    int" in docstring
    assert "Returns:" not in docstring
    assert "@yields {number} each value." in jsdoc
    assert "@returns" not in jsdoc


def test_an_override_keeps_its_base_docstring_and_none_returns_nothing(generator: DocGenerator) -> None:
    # Trial of issue 12 (click): "Convert." replaced the docstring inspect.getdoc inherits from the
    # base class, and ``-> None`` functions got "Returns: None".
    source = (
        "class Base:\n    def convert(self, value: str) -> int:\n"
        '        """Convert a raw string to an integer, raising on bad input."""\n        return int(value)\n\n\n'
        "class Child(Base):\n    def convert(self, value: str) -> int:\n        return int(value, 8)\n\n"
        "    def reset(self) -> None:\n        self.base = 10\n"
    )

    documented = generator.generate_documentation(source, doc_type="docstrings", filename="m.py").documentation

    child = ast.parse(documented).body[1]
    assert isinstance(child, ast.ClassDef)
    convert, reset = child.body
    assert ast.get_docstring(convert) is None
    assert ast.get_docstring(reset) == "Reset."


def test_an_overloaded_function_is_documented_by_its_first_signature_and_void_returns_nothing(
    generator: DocGenerator,
) -> None:
    # Trial of issue 12 (mobx ``trace``): the block above the overloads documented the implementation's
    # ``...args: any[]``, and a void function returning ``cleanup()`` got ``@returns {void}``.
    source = (
        "export function trace(thing?: object, prop?: string): void\n"
        "export function trace(enterBreakPoint?: boolean): void\n"
        "export function trace(...args: any[]): void {\n  console.log(args.length);\n}\n\n"
        "function cleanup(): void {}\n\n"
        "export function stop(force: boolean): void {\n  if (!force) {\n    return cleanup();\n  }\n}\n"
    )

    documented = generator.generate_documentation(source, doc_type="docstrings", filename="t.ts").documentation

    trace = documented.partition("export function trace(thing")[0]
    assert "@param {object} [thing]" in trace
    assert "@param {string} [prop]" in trace
    assert "args" not in trace
    assert "@returns" not in documented


def test_a_type_holding_the_comment_end_does_not_end_the_jsdoc_block(generator: DocGenerator) -> None:
    # Trial of issue 12 (mobx configure.ts): a type copied into the block held ``*/`` and ended it early.
    source = 'export function configure(options: { glob: "src/**/*.ts" }): void {\n  console.log(options);\n}\n'

    documented = generator.generate_documentation(source, doc_type="docstrings", filename="c.ts")

    assert documented.error is None
    assert documented.documentation.endswith(source)
    assert documented.documentation.count("*/") == 2  # the block's own end, and the source's


def test_a_jsdoc_written_after_a_decorator_is_the_methods_own(generator: DocGenerator) -> None:
    # Trial of issue 12: ``@log`` then ``/** Runs it. */`` got a second block, below the first.
    source = (
        "function log(target: any, key: string) {}\n\nexport class Svc {\n  @log\n  /** Runs it. */\n"
        "  run(n: number): void {}\n}\n"
    )

    documented = generator.generate_documentation(source, doc_type="docstrings", filename="svc.ts").documentation

    assert documented.count("/**") == 1


def test_a_go_variadic_parameter_is_described_as_variadic(generator: DocGenerator) -> None:
    # Trial of issue 12: ``parts ...string`` was described as ``parts string``.
    source = "package p\n\nfunc Join(sep string, parts ...string) string {\n\treturn sep\n}\n"

    documented = generator.generate_documentation(source, doc_type="docstrings", filename="join.go").documentation

    assert "// Join takes sep string, parts ...string and returns string.\n" in documented
