"""CodeScribe: documentation for codebases, written by large language models.

``DocGenerator`` documents code (``codescribe.engine``); the provider layer (``codescribe.llm``)
reaches the models. Importing ``codescribe`` imports no provider SDK: each SDK is imported by
the provider that needs it, when it first makes a call.
"""

from .claude_client import ClaudeClient
from .engine import DocGenerator, DocResult
from .install import DISTRIBUTION
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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # a checkout on sys.path, not installed
        return "0+unknown"


__version__ = _version()

__all__ = [
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
