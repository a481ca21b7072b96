"""Azure OpenAI: the OpenAI protocol at a resource endpoint, addressed by deployment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ..config import LLMConfig
from ..errors import ErrorType, LLMError
from ..pricing import PriceTable
from ..types import Capabilities
from .openai import OpenAIProvider

__all__ = ["AzureOpenAIProvider"]


class AzureOpenAIProvider(OpenAIProvider):
    """Azure OpenAI. ``model`` is the deployment name; the endpoint and API version come from
    ``LLMConfig.options`` (``endpoint``, ``deployment``, ``api_version``) or ``AZURE_OPENAI_*``.

    Each option is taken from ``config.options``, else from its variable in the process environment
    (``AZURE_OPENAI_ENDPOINT``, ``AZURE_OPENAI_DEPLOYMENT``, ``AZURE_OPENAI_API_VERSION``). The
    endpoint falls back to ``config.base_url``; the deployment names the model when ``config.model``
    is ``None``; the API version defaults to ``2024-10-21`` (:attr:`DEFAULT_API_VERSION`, a GA
    version of the Azure OpenAI data-plane API). The key comes from the config, else
    ``AZURE_OPENAI_API_KEY``. The output limit is sent as ``max_tokens``, which every API version
    reads; a reasoning-model deployment (o-series, gpt-5) refuses it (``400 unsupported_parameter``),
    and the call is made once more with ``max_completion_tokens``, the name used from then on.

    Args:
        config: what to call and how; ``model`` (or the ``deployment`` option) names the deployment.
        prices: the price table; ``None``: the bundled one, with ``LLM_PRICES_FILE`` over it.
        **clients: ``http_client`` and ``async_http_client``, as for
            :class:`~codescribe.llm.providers.base.LLMProvider`.

    Raises:
        LLMError: no deployment or model, no endpoint, or an unreadable ``LLM_PRICES_FILE``
            (``VALIDATION``); no key (``AUTH``).

    Examples:
        >>> from codescribe.llm import LLMConfig
        >>> config = LLMConfig(
        ...     provider="azure-openai",
        ...     api_key="not-a-real-key",
        ...     options={"endpoint": "https://demo.openai.azure.com", "deployment": "gpt-4o-prod"},
        ... )
        >>> provider = AzureOpenAIProvider(config)
        >>> provider.model, provider.endpoint
        ('gpt-4o-prod', 'https://demo.openai.azure.com')
    """

    PROVIDER_NAME = "azure-openai"
    ENV_API_KEY_NAMES = ("AZURE_OPENAI_API_KEY",)
    ENV_OPTIONS: ClassVar[Mapping[str, str]] = {
        "endpoint": "AZURE_OPENAI_ENDPOINT",
        "deployment": "AZURE_OPENAI_DEPLOYMENT",
        "api_version": "AZURE_OPENAI_API_VERSION",
    }
    DEFAULT_API_VERSION = "2024-10-21"
    DEFAULT_MODEL = None
    CLIENT_CLASSES = ("AzureOpenAI", "AsyncAzureOpenAI")
    CAPABILITIES = Capabilities(streaming=True, caching="automatic", max_context_tokens=128_000)
    # Every API version reads max_tokens; reasoning deployments refuse it and get max_completion_tokens.
    MAX_TOKENS_PARAM = "max_tokens"

    def __init__(self, config: LLMConfig, *, prices: PriceTable | None = None, **clients: Any) -> None:
        options = {name: config.options.get(name) for name in self.ENV_OPTIONS}
        deployment = options["deployment"]
        if config.model is None and deployment:
            config = config.replace(model=deployment)
        super().__init__(config, prices=prices, **clients)
        self.endpoint = options["endpoint"] or config.base_url
        if not self.endpoint:
            raise LLMError(
                f"Azure OpenAI needs its resource endpoint: set {self.ENV_OPTIONS['endpoint']} "
                "(https://<resource>.openai.azure.com) or LLMConfig(options={'endpoint': ...}).",
                error_type=ErrorType.VALIDATION,
                provider=self.PROVIDER_NAME,
                operation="configure",
            )
        self.deployment = deployment or self.model
        self.api_version = options["api_version"] or self.DEFAULT_API_VERSION

    def _endpoint(self) -> dict[str, Any]:
        return {
            "azure_endpoint": self.endpoint,
            "azure_deployment": self.deployment,
            "api_version": self.api_version,
            "api_key": self._api_key,
        }
