"""Azure OpenAI: deployment URLs, api-version and the api-key header, through the real SDK.

Azure exists only in the cloud, so these cassettes are ``*_synthetic``: the requests were
sent by the real ``AzureOpenAI`` client, the answers came from the scripted server.
"""

from __future__ import annotations

from typing import Any

import pytest

from codescribe.llm import ErrorType, LLMConfig, LLMError, create_provider
from codescribe.llm.providers.base import LLMProvider
from codescribe.llm.retry import RetryPolicy
from codescribe.testing.scripted_server import Reply

from .cassette_reading import response_json

pytestmark = pytest.mark.vcr


def make_provider(server: Any, **options: str) -> LLMProvider:
    return create_provider(
        LLMConfig(
            provider="azure-openai",
            api_key=server.api_key,
            max_retries=0,
            options={"endpoint": server.url, "deployment": "docs-gpt", "api_version": "2024-10-21", **options},
        )
    )


def test_generate_goes_to_the_deployment_with_the_api_version_synthetic(scripted_server: Any, vcr: Any) -> None:
    result = make_provider(scripted_server).generate("Document add(a, b).", system_prompt="Be terse.")

    request = vcr.requests[0]
    assert request.path == "/openai/deployments/docs-gpt/chat/completions"
    assert ("api-version", "2024-10-21") in request.query
    assert result.metadata.provider == "azure-openai"
    assert result.metadata.model == "docs-gpt"
    assert result.metadata.input_tokens == response_json(vcr)["usage"]["prompt_tokens"]
    assert result.text


def test_stream_through_azure_synthetic(scripted_server: Any, vcr: Any) -> None:
    chunks: list[str] = []

    result = make_provider(scripted_server).generate_with_streaming("Document add(a, b).", chunks.append)

    assert "".join(chunks) == result.text
    assert result.metadata.output_tokens == response_json(vcr)["usage"]["completion_tokens"]


def test_unknown_deployment_is_model_not_found_synthetic(scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(
        Reply(
            404,
            body={
                "error": {
                    "code": "DeploymentNotFound",
                    "message": "The API deployment for this resource does not exist.",
                }
            },
        )
    )

    with pytest.raises(LLMError) as caught:
        make_provider(scripted_server, deployment="missing").generate("Document add(a, b).")

    assert caught.value.error_type is ErrorType.MODEL_NOT_FOUND
    assert caught.value.provider == "azure-openai"
    assert caught.value.status_code == 404


def test_azure_rate_limit_honours_retry_after_synthetic(scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(Reply(429, headers={"retry-after": "1"}, body={"error": {"code": "429", "message": "Rate"}}))
    provider = make_provider(scripted_server)
    waits: list[float] = []
    provider.retry_policy = RetryPolicy(max_retries=2, sleep=waits.append)

    result = provider.generate("Document add(a, b).")

    assert waits == [1.0]
    assert result.metadata.retries == 1


async def test_async_generate_through_azure_synthetic(scripted_server: Any, vcr: Any) -> None:
    result = await make_provider(scripted_server).agenerate("Document add(a, b).")

    assert result.metadata.output_tokens == response_json(vcr)["usage"]["completion_tokens"]
    assert vcr.requests[0].path == "/openai/deployments/docs-gpt/chat/completions"


def test_azure_wrong_key_is_auth_synthetic(scripted_server: Any, vcr: Any) -> None:
    scripted_server.push(
        Reply(
            401,
            body={
                "error": {
                    "code": "401",
                    "message": "Access denied due to invalid subscription key or wrong API endpoint.",
                }
            },
        )
    )

    with pytest.raises(LLMError) as caught:
        make_provider(scripted_server).generate("Document add(a, b).")

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
