"""The public surface: exact exports, and the deprecated ClaudeClient."""

from __future__ import annotations

import pytest

import codescribe
import codescribe.llm
from codescribe import ClaudeClient
from codescribe.llm import LLMConfig, LLMFactory

from .test_factory import EchoProvider


def test_top_level_exports_are_exactly_these() -> None:
    assert sorted(codescribe.__all__) == sorted(
        [
            "DISTRIBUTION",
            "Capabilities",
            "ClaudeClient",
            "DocGenerator",
            "DocResult",
            "ErrorType",
            "Generation",
            "GenerationMetadata",
            "LLMConfig",
            "LLMError",
            "LLMFactory",
            "LLMProvider",
            "__version__",
            "available_providers",
            "create_provider",
            "create_provider_from_env",
            "register",
        ]
    )
    for name in codescribe.__all__:
        assert hasattr(codescribe, name)


LAYERS = [
    "codescribe",
    "codescribe.llm",
    "codescribe.engine",
    "codescribe.evals",
    "codescribe.mkdocs_plugin",
    "codescribe.testing",
]


@pytest.mark.parametrize("name", LAYERS)
def test_each_layer_exports_exactly_its_public_names(name: str) -> None:
    """``__all__`` lists every public name a layer's ``__init__`` binds, and nothing it does not."""
    import importlib
    import types

    module = importlib.import_module(name)
    public = {
        key
        for key, value in vars(module).items()
        if not key.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert sorted(module.__all__) == sorted(public | ({"__version__"} & set(module.__all__)))


def test_llm_exports_all_resolve() -> None:
    for name in codescribe.llm.__all__:
        assert getattr(codescribe.llm, name) is not None


def test_claude_client_warns_and_returns_text_only() -> None:
    factory = LLMFactory()
    factory.register("echo", EchoProvider)
    provider = factory.create(LLMConfig(provider="echo"))

    with pytest.warns(DeprecationWarning, match="create_provider_from_env"):
        client = ClaudeClient(provider)
    chunks: list[str] = []

    assert client.generate("add two numbers") == "ADD TWO NUMBERS"
    assert client.generate_with_streaming("add two", chunks.append) == "ADD TWO"
    assert chunks == ["add", "two"]


def test_claude_client_reads_claude_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_API_KEY", "legacy-key")
    monkeypatch.setenv("CLAUDE_MODEL", "claude-opus-5-5")

    with pytest.warns(DeprecationWarning, match="deprecated"):
        client = ClaudeClient()

    assert client.provider.provider_name == "anthropic"
    assert client.provider.model == "claude-opus-5-5"
    assert client.provider.config.max_tokens == 4000


def public_callables(name: str) -> list[tuple[str, object]]:
    """Every function, class, method and property a layer exports, by dotted name."""
    import importlib
    import inspect

    module = importlib.import_module(name)
    found: list[tuple[str, object]] = []
    for export in module.__all__:
        value = getattr(module, export)
        if not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        found.append((export, value))
        if inspect.isclass(value):
            for key, member in vars(value).items():
                if key.startswith("_"):
                    continue
                function = getattr(member, "__func__", None) or getattr(member, "fget", None) or member
                if inspect.isfunction(function):
                    found.append((f"{export}.{key}", function))
    return found


@pytest.mark.parametrize("name", LAYERS)
def test_everything_a_layer_exports_says_what_it_is_for(name: str) -> None:
    import inspect

    undocumented = [dotted for dotted, value in public_callables(name) if not inspect.getdoc(value)]
    assert undocumented == []


def test_codescribes_own_docstrings_score_above_the_floor() -> None:
    """The product's docstrings rubric, run on the product's own modules (a ratchet: raise the floor)."""
    from pathlib import Path

    from codescribe.engine import analyze_source, score_document

    scores = {}
    for path in sorted(Path(codescribe.__file__).parent.rglob("*.py")):
        code = path.read_text(encoding="utf-8")
        analysis = analyze_source(code, path.name)
        if analysis.functions or analysis.classes:
            scores[path.name] = score_document(code, analysis, "docstrings").score

    assert sum(scores.values()) / len(scores) >= DOCSTRING_SCORE_FLOOR, sorted(scores.items(), key=lambda i: i[1])
    assert min(scores.values()) >= MODULE_DOCSTRING_SCORE_FLOOR, sorted(scores.items(), key=lambda i: i[1])[:3]


#: The mean docstrings score of CodeScribe's own modules may not fall below this.
DOCSTRING_SCORE_FLOOR = 99
#: ... and no single module below this.
MODULE_DOCSTRING_SCORE_FLOOR = 90
