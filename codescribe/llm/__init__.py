"""The provider layer: one interface over Claude, OpenAI, Azure OpenAI and local servers."""

from .config import ENV, LLMConfig
from .errors import ErrorType, LLMError
from .factory import (
    LLMFactory,
    available_providers,
    config_from_env,
    create_provider,
    create_provider_from_env,
    default_factory,
    register,
)
from .pricing import ModelPrice, PriceTable, default_price_table
from .providers.base import LLMProvider
from .retry import RetryPolicy
from .types import Capabilities, Generation, GenerationMetadata

__all__ = [
    "ENV",
    "Capabilities",
    "ErrorType",
    "Generation",
    "GenerationMetadata",
    "LLMConfig",
    "LLMError",
    "LLMFactory",
    "LLMProvider",
    "ModelPrice",
    "PriceTable",
    "RetryPolicy",
    "available_providers",
    "config_from_env",
    "create_provider",
    "create_provider_from_env",
    "default_factory",
    "default_price_table",
    "register",
]
