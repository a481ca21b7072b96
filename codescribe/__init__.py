"""CodeScribe: documentation for codebases, written by large language models.

Importing ``codescribe`` imports no provider SDK: each SDK is imported by the provider
that needs it, when it first makes a call.
"""

from .claude_client import ClaudeClient
from .llm import (
    Capabilities,
    ErrorType,
    Generation,
    GenerationMetadata,
    LLMConfig,
    LLMError,
    LLMFactory,
    LLMProvider,
    available_providers,
    create_provider,
    create_provider_from_env,
    register,
)

__version__ = "0.1.0"

__all__ = [
    "Capabilities",
    "ClaudeClient",
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
