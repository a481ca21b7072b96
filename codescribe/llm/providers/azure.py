"""Azure OpenAI: the OpenAI protocol at a resource endpoint, addressed by deployment."""

from __future__ import annotations

import os
from typing import Any

from ..config import LLMConfig
from ..errors import ErrorType, LLMError
from ..pricing import PriceTable
from ..types import Capabilities
from .openai import OpenAIProvider

__all__ = ["AzureOpenAIProvider"]


class AzureOpenAIProvider(OpenAIProvider):
    """Azure OpenAI. ``model`` is the deployment name; the endpoint and API version come from
    ``LLMConfig.options`` (``endpoint``, ``deployment``, ``api_version``) or ``AZURE_OPENAI_*``."""

    PROVIDER_NAME = "azure-openai"
    ENV_API_KEY_NAMES = ("AZURE_OPENAI_API_KEY",)
    ENV_ENDPOINT = "AZURE_OPENAI_ENDPOINT"
    ENV_DEPLOYMENT = "AZURE_OPENAI_DEPLOYMENT"
    ENV_API_VERSION = "AZURE_OPENAI_API_VERSION"
    DEFAULT_API_VERSION = "2024-10-21"
    DEFAULT_MODEL = None
    CAPABILITIES = Capabilities(streaming=True, caching="automatic", max_context_tokens=128_000)
    # The GA API versions accept max_tokens for every deployment.
    MAX_TOKENS_PARAM = "max_tokens"

    def __init__(self, config: LLMConfig, *, prices: PriceTable | None = None) -> None:
        options = config.options
        deployment = options.get("deployment") or os.environ.get(self.ENV_DEPLOYMENT)
        if config.model is None and deployment:
            config = config.replace(model=deployment)
        super().__init__(config, prices=prices)
        self.endpoint = options.get("endpoint") or config.base_url or os.environ.get(self.ENV_ENDPOINT)
        if not self.endpoint:
            raise LLMError(
                f"Azure OpenAI needs its resource endpoint: set {self.ENV_ENDPOINT} "
                "(https://<resource>.openai.azure.com) or LLMConfig(options={'endpoint': ...}).",
                error_type=ErrorType.VALIDATION,
                provider=self.PROVIDER_NAME,
                operation="configure",
            )
        self.deployment = deployment or self.model
        self.api_version = (
            options.get("api_version") or os.environ.get(self.ENV_API_VERSION) or self.DEFAULT_API_VERSION
        )

    def _make_client(self, asynchronous: bool) -> Any:
        sdk = self._import_sdk()
        client_class = sdk.AsyncAzureOpenAI if asynchronous else sdk.AzureOpenAI
        return client_class(
            azure_endpoint=self.endpoint,
            azure_deployment=self.deployment,
            api_version=self.api_version,
            api_key=self._api_key,
            timeout=self.config.timeout,
            max_retries=0,
        )
