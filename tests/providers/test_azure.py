"""Azure OpenAI: deployment URLs, api-version and the api-key header, through the real SDK.

Azure exists only in the cloud: the real ``AzureOpenAI`` client sends through a mock transport
(``mock_transport.py``), and a :class:`Script` answers and keeps the requests it saw.
"""

from __future__ import annotations

import pytest

from codescribe.llm import ErrorType, LLMConfig, LLMError, create_provider
from codescribe.llm.providers.base import LLMProvider
from codescribe.llm.retry import RetryPolicy

from .mock_transport import INPUT_TOKENS, OUTPUT_TOKENS, Script, json_reply, mocked_provider


def make_provider(script: Script, **options: str) -> LLMProvider:
    return mocked_provider(
        "azure-openai",
        script,
        options={"endpoint": "http://mock.invalid", "deployment": "docs-gpt", "api_version": "2024-10-21", **options},
    )


def test_generate_goes_to_the_deployment_with_the_api_version() -> None:
    script = Script()

    result = make_provider(script).generate("Document add(a, b).", system_prompt="Be terse.")

    request = script.requests[0]
    assert request.url.path == "/openai/deployments/docs-gpt/chat/completions"
    assert ("api-version", "2024-10-21") in request.url.params.multi_items()
    assert result.metadata.provider == "azure-openai"
    assert result.metadata.model == "docs-gpt"
    assert result.metadata.input_tokens == INPUT_TOKENS, "the usage the answer reported"
    assert result.text


def test_stream_through_azure() -> None:
    chunks: list[str] = []

    result = make_provider(Script()).generate_with_streaming("Document add(a, b).", chunks.append)

    assert "".join(chunks) == result.text
    assert result.metadata.output_tokens == OUTPUT_TOKENS, "the usage the stream reported"


def test_unknown_deployment_is_model_not_found() -> None:
    message = "The API deployment for this resource does not exist."
    not_found = {"error": {"code": "DeploymentNotFound", "message": message}}
    script = Script(json_reply(not_found, 404))

    with pytest.raises(LLMError) as caught:
        make_provider(script, deployment="missing").generate("Document add(a, b).")

    assert caught.value.error_type is ErrorType.MODEL_NOT_FOUND
    assert caught.value.provider == "azure-openai"
    assert caught.value.status_code == 404


def test_azure_rate_limit_honours_retry_after() -> None:
    script = Script(json_reply({"error": {"code": "429", "message": "Rate"}}, 429, {"retry-after": "1"}))
    provider = make_provider(script)
    waits: list[float] = []
    provider.retry_policy = RetryPolicy(max_retries=2, sleep=waits.append)

    result = provider.generate("Document add(a, b).")

    assert waits == [1.0]
    assert result.metadata.retries == 1


async def test_async_generate_through_azure() -> None:
    script = Script()
    provider = make_provider(script)

    async with provider:
        result = await provider.agenerate("Document add(a, b).")

    assert result.metadata.output_tokens == OUTPUT_TOKENS, "the usage the answer reported"
    assert script.requests[0].url.path == "/openai/deployments/docs-gpt/chat/completions"


def test_azure_wrong_key_is_auth() -> None:
    message = "Access denied due to invalid subscription key or wrong API endpoint."
    denied = {"error": {"code": "401", "message": message}}
    script = Script(json_reply(denied, 401))

    with pytest.raises(LLMError) as caught:
        make_provider(script).generate("Document add(a, b).")

    assert caught.value.error_type is ErrorType.AUTH
    assert caught.value.provider == "azure-openai"


def test_missing_endpoint_names_the_variable() -> None:
    with pytest.raises(LLMError) as caught:
        create_provider(LLMConfig(provider="azure-openai", api_key="k", model="docs-gpt"))

    assert caught.value.error_type is ErrorType.VALIDATION
    assert "AZURE_OPENAI_ENDPOINT" in caught.value.message


def test_endpoint_and_deployment_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://example-resource.openai.azure.com")
    monkeypatch.setenv("AZURE_OPENAI_DEPLOYMENT", "prod-gpt")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-key-from-env")

    provider = create_provider(LLMConfig(provider="azure"))

    assert provider.provider_name == "azure-openai"
    assert provider.model == "prod-gpt"
    assert provider.supports_caching()


REFUSED_LIMIT = {  # what an Azure reasoning-model deployment (o-series, gpt-5) answers to max_tokens
    "error": {
        "message": "Unsupported parameter: 'max_tokens' is not supported with this model. "
        "Use 'max_completion_tokens' instead.",
        "type": "invalid_request_error",
        "param": "max_tokens",
        "code": "unsupported_parameter",
    }
}


@pytest.mark.parametrize("streaming", [False, True])
def test_a_reasoning_deployment_gets_max_completion_tokens_after_it_refuses_max_tokens(streaming: bool) -> None:
    import json

    script = Script(json_reply(REFUSED_LIMIT, 400))
    provider = make_provider(script, deployment="o4-mini")

    call = provider.generate_with_streaming if streaming else provider.generate
    first = call("Document add(a, b).", lambda _: None) if streaming else call("Document add(a, b).")
    second = provider.generate("Document sub(a, b).")

    sent = [json.loads(request.content) for request in script.requests]
    assert [("max_tokens" in body, "max_completion_tokens" in body) for body in sent] == [
        (True, False),
        (False, True),
        (False, True),  # remembered: no refused call before each answer
    ]
    assert first.text
    assert second.text


def test_another_bad_request_is_not_retried_with_another_limit_name() -> None:
    refused = {"error": {**REFUSED_LIMIT["error"], "param": "temperature", "code": "unsupported_value"}}
    script = Script(json_reply(refused, 400))

    with pytest.raises(LLMError) as caught:
        make_provider(script, deployment="o4-mini").generate("Document add(a, b).")

    assert caught.value.status_code == 400
    assert len(script.requests) == 1


async def test_async_a_reasoning_deployment_gets_max_completion_tokens() -> None:
    import json

    script = Script(json_reply(REFUSED_LIMIT, 400))

    result = await make_provider(script, deployment="o4-mini").agenerate("Document add(a, b).")

    assert result.text
    assert "max_completion_tokens" in json.loads(script.requests[-1].content)
    assert len(script.requests) == 2
