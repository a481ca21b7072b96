"""Configuration from arguments and the environment, and the errors bad values give."""

from __future__ import annotations

import pytest

from codescribe.llm import ErrorType, LLMConfig, LLMError, config_from_env, create_provider, create_provider_from_env


def test_defaults_without_environment() -> None:
    config = config_from_env({})

    assert config.provider == "anthropic"
    assert config.model is None
    assert config.api_key is None
    assert (config.max_tokens, config.max_retries, config.timeout, config.enable_caching) == (4000, 3, 600.0, True)


def test_every_llm_variable_is_read() -> None:
    env = {
        "LLM_PROVIDER": "OpenAI",
        "LLM_API_KEY": "k1",
        "LLM_MODEL": "gpt-6.1-sol",
        "LLM_MAX_TOKENS": "1234",
        "LLM_MAX_RETRIES": "0",
        "LLM_TIMEOUT": "30000ms",
        "LLM_ENABLE_CACHING": "false",
        "LLM_BASE_URL": "http://127.0.0.1:9/v1",
    }

    config = config_from_env(env)

    assert config == LLMConfig(
        provider="openai",
        api_key="k1",
        model="gpt-6.1-sol",
        max_tokens=1234,
        max_retries=0,
        timeout=30.0,
        enable_caching=False,
        base_url="http://127.0.0.1:9/v1",
    )


def test_arguments_win_over_environment() -> None:
    config = config_from_env({"LLM_MODEL": "from-env", "LLM_MAX_TOKENS": "10"}, model="explicit", max_tokens=20)

    assert (config.model, config.max_tokens) == ("explicit", 20)


def test_provider_own_key_variables_follow_llm_api_key() -> None:
    assert config_from_env({"ANTHROPIC_API_KEY": "a", "CLAUDE_API_KEY": "c"}).api_key == "a"
    assert config_from_env({"CLAUDE_API_KEY": "c"}).api_key == "c"
    assert config_from_env({"LLM_API_KEY": "l", "ANTHROPIC_API_KEY": "a"}).api_key == "l"


def test_llm_api_key_belongs_to_llm_provider_only() -> None:
    env = {
        "LLM_PROVIDER": "anthropic",
        "LLM_API_KEY": "anthropic-key",
        "LLM_MODEL": "claude-x",
        "OPENAI_API_KEY": "openai-key",
    }

    config = config_from_env(env, provider="openai")

    assert config.api_key == "openai-key"
    assert config.model is None, "LLM_MODEL names an Anthropic model; OpenAI gets its own default"


def test_alias_counts_as_the_same_provider() -> None:
    config = config_from_env({"LLM_PROVIDER": "claude", "LLM_API_KEY": "k"}, provider="anthropic")

    assert config.api_key == "k"


@pytest.mark.parametrize(
    ("name", "value", "hint"),
    [
        ("LLM_MAX_TOKENS", "lots", "whole number"),
        ("LLM_MAX_TOKENS", "0", "from 1 to 10,000,000"),
        ("LLM_MAX_TOKENS", "99999999999", "from 1 to 10,000,000"),
        ("LLM_MAX_RETRIES", "-1", "from 0 to 100"),
        ("LLM_MAX_RETRIES", "1000000", "from 0 to 100"),
        ("LLM_TIMEOUT", "soon", "seconds"),
        ("LLM_TIMEOUT", "0ms", "more than 0"),
        ("LLM_TIMEOUT", "99999999999", "at most 86,400"),
        ("LLM_MAX_TOKENS", "\u0664\u0660\u0660\u0660", "from 1 to 10,000,000"),  # Arabic-Indic digits
        ("LLM_MAX_TOKENS", "4_000", "from 1 to 10,000,000"),
        ("LLM_TIMEOUT", "\uff10\uff16\uff10", "seconds"),  # full-width digits
        ("LLM_ENABLE_CACHING", "maybe", "true or false"),
    ],
)
def test_bad_values_name_the_variable_and_the_fix(name: str, value: str, hint: str) -> None:
    with pytest.raises(LLMError) as caught:
        config_from_env({name: value})

    assert caught.value.error_type is ErrorType.VALIDATION
    assert name in caught.value.message
    assert repr(value) in caught.value.message
    assert hint in caught.value.message


def test_bad_arguments_are_refused_at_construction() -> None:
    with pytest.raises(LLMError, match="max_tokens"):
        LLMConfig(max_tokens=0)
    with pytest.raises(LLMError, match="timeout"):
        LLMConfig(timeout=-1)


@pytest.mark.parametrize("temperature", [float("nan"), float("inf"), "hot", -0.5, 2.5, True])
def test_a_temperature_that_is_no_temperature_is_refused_at_construction(temperature: object) -> None:
    # Trial of issue 13: nan and 'hot' were accepted and sent, to fail at the server after retries.
    with pytest.raises(LLMError, match=r"temperature must be a number from 0 to 2") as caught:
        LLMConfig(temperature=temperature)  # type: ignore[arg-type]

    assert caught.value.error_type is ErrorType.VALIDATION
    assert LLMConfig(temperature=0).temperature == 0


def test_missing_key_names_every_variable_that_would_do() -> None:
    with pytest.raises(LLMError) as caught:
        create_provider_from_env({})

    error = caught.value
    assert error.error_type is ErrorType.AUTH
    for name in ("LLM_API_KEY", "ANTHROPIC_API_KEY", "CLAUDE_API_KEY"):
        assert name in error.message


def test_key_is_not_in_the_config_repr() -> None:
    assert "secret-value" not in repr(LLMConfig(api_key="secret-value"))


def test_unknown_provider_suggests_the_near_one() -> None:
    with pytest.raises(LLMError) as caught:
        create_provider(LLMConfig(provider="antropic", api_key="k"))

    assert caught.value.error_type is ErrorType.VALIDATION
    assert "'antropic'" in caught.value.message
    assert "Did you mean 'anthropic'?" in caught.value.message
    assert "openai" in caught.value.message


def test_compatible_endpoint_without_url_asks_for_one() -> None:
    with pytest.raises(LLMError, match="LLM_BASE_URL"):
        create_provider(LLMConfig(provider="openai-compatible", model="m"))


def test_local_server_without_model_asks_for_one() -> None:
    with pytest.raises(LLMError, match="LLM_MODEL"):
        create_provider(LLMConfig(provider="ollama"))


def test_without_llm_provider_the_llm_settings_follow_the_requested_provider() -> None:
    config = config_from_env(
        {"LLM_BASE_URL": "http://127.0.0.1:9/v1", "LLM_MODEL": "m", "LLM_API_KEY": "k"}, provider="openai"
    )

    assert (config.provider, config.base_url, config.model, config.api_key) == (
        "openai",
        "http://127.0.0.1:9/v1",
        "m",
        "k",
    )


def test_a_custom_factorys_alias_keeps_llm_api_key() -> None:
    """The factory that knows an alias decides whether ``LLM_API_KEY`` is that provider's."""
    from codescribe.llm import LLMFactory
    from codescribe.llm.providers.openai import OpenAIProvider

    factory = LLMFactory()
    factory.register("house-model", OpenAIProvider, aliases=("house",))
    env = {"LLM_PROVIDER": "house", "LLM_API_KEY": "k-house", "LLM_BASE_URL": "http://127.0.0.1:9/v1"}

    config = factory.config_from_env(env, provider="house-model")

    assert config.api_key == "k-house"
    assert config.base_url == "http://127.0.0.1:9/v1"


def test_azure_reads_its_settings_from_the_mapping_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_API_VERSION"):
        monkeypatch.delenv(name, raising=False)
    env = {
        "LLM_PROVIDER": "azure-openai",
        "AZURE_OPENAI_API_KEY": "k",
        "AZURE_OPENAI_ENDPOINT": "https://r.example",
        "AZURE_OPENAI_DEPLOYMENT": "docs-gpt",
        "AZURE_OPENAI_API_VERSION": "2025-01-01",
    }

    provider = create_provider_from_env(env)

    assert provider.model == "docs-gpt"
    assert provider.endpoint == "https://r.example"  # type: ignore[attr-defined]
    assert provider.api_version == "2025-01-01"  # type: ignore[attr-defined]


def test_a_mapping_given_to_create_provider_from_env_is_the_whole_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process's variables never fill in for what the mapping lacks (key, Azure options)."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-process")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://process.openai.azure.com")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-process")

    with pytest.raises(LLMError, match="No API key for anthropic"):
        create_provider_from_env({"LLM_PROVIDER": "anthropic"})
    with pytest.raises(LLMError, match="AZURE_OPENAI_ENDPOINT"):
        create_provider_from_env({"LLM_PROVIDER": "azure", "AZURE_OPENAI_API_KEY": "k", "LLM_MODEL": "d"})

    azure = create_provider_from_env(
        {
            "LLM_PROVIDER": "azure",
            "AZURE_OPENAI_API_KEY": "k",
            "AZURE_OPENAI_ENDPOINT": "https://mapping.openai.azure.com",
        },
        model="d",
    )
    assert "mapping" in str(getattr(azure, "endpoint", ""))


def test_create_provider_reads_llm_api_key_when_it_belongs_to_that_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_API_KEY", "sk-shared")
    assert create_provider(LLMConfig(provider="openai", model="gpt-4o")).config.api_key == "sk-shared"

    monkeypatch.setenv("LLM_PROVIDER", "anthropic")  # then LLM_API_KEY is Anthropic's, not OpenAI's
    with pytest.raises(LLMError, match="No API key for openai"):
        create_provider(LLMConfig(provider="openai", model="gpt-4o"))


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("not a url", "not an address to call"),
        ("127.0.0.1:8080/v1", "not an address to call"),
        ("ftp://example.com/v1", "not an address to call"),
        ("http:///v1", "not an address to call"),
        ("http://example.com:99999/v1", "not an address to call"),
        ("http://example.com:port/v1", "not an address to call"),
        ("https://alice:s3cret-pass@proxy.example.com/v1", "holds credentials"),
        ("https://token-only@proxy.example.com/v1", "holds credentials"),
        ("https://proxy.example.com/v1?key=s3cret-pass", "query string"),
        ("https://proxy.example.com/v1#s3cret-pass", "query string"),
        ("https://proxy.example.com/v1;key=s3cret-pass", "query string"),
        ("http://127.0.0.1:8080\\@s3cret-pass.example/v1", "not an address to call"),
    ],
)
def test_a_base_url_that_cannot_be_called_or_holds_credentials_is_refused_without_repeating_them(
    url: str, hint: str
) -> None:
    for build in (lambda: config_from_env({"LLM_BASE_URL": url}), lambda: LLMConfig(base_url=url)):
        with pytest.raises(LLMError) as caught:
            build()

        assert caught.value.error_type is ErrorType.VALIDATION
        assert hint in caught.value.message
        assert "s3cret" not in str(caught.value)
        assert "alice" not in str(caught.value)


def test_the_refusal_of_credentials_suggests_the_address_alone() -> None:
    with pytest.raises(LLMError, match=r"e\.g\. https://proxy\.example\.com:8443/v1\.$"):
        config_from_env({"LLM_BASE_URL": "https://alice:s3cret-pass@proxy.example.com:8443/v1"})


@pytest.mark.parametrize("key", ["sk-abc\ndef", "sk-abc\x00", "sk-ab\u00e9c", "\u200bsk-abc"])
def test_a_key_no_http_header_can_carry_is_refused_without_repeating_it(key: str) -> None:
    with pytest.raises(LLMError) as caught:
        config_from_env({"LLM_API_KEY": key})

    assert caught.value.error_type is ErrorType.VALIDATION
    assert "HTTP header cannot carry" in caught.value.message
    assert "sk-ab" not in str(caught.value)
