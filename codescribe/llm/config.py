"""Provider configuration, and the one place that resolves it from the environment.

Resolution order, for every setting: explicit argument → ``LLM_*`` variable → the
provider's own variable (``ANTHROPIC_API_KEY``, ``OPENAI_API_KEY``, ``AZURE_OPENAI_*`` ...)
→ default. ``LLM_API_KEY`` belongs to the provider named by ``LLM_PROVIDER``: a request
for another provider (an ``X-LLM-Provider`` header, say) uses that provider's own variable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ErrorType, LLMError

__all__ = [
    "DEFAULT_PROVIDER",
    "ENV",
    "PRICES_FILE_ENV",
    "LLMConfig",
    "configured_provider",
    "env_settings",
    "env_value",
    "find_api_key",
]

DEFAULT_PROVIDER = "anthropic"
PRICES_FILE_ENV = "LLM_PRICES_FILE"


class ENV:
    """Names of the generic variables (the provider-specific ones sit on each provider)."""

    PROVIDER = "LLM_PROVIDER"
    API_KEY = "LLM_API_KEY"
    MODEL = "LLM_MODEL"
    MAX_TOKENS = "LLM_MAX_TOKENS"
    MAX_RETRIES = "LLM_MAX_RETRIES"
    TIMEOUT = "LLM_TIMEOUT"
    ENABLE_CACHING = "LLM_ENABLE_CACHING"
    BASE_URL = "LLM_BASE_URL"


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$")


@dataclass(frozen=True)
class LLMConfig:
    """Everything needed to build one provider.

    ``model=None`` means the provider's default model; ``api_key=None`` means "look in the
    environment" (see the module docstring). ``timeout`` is in seconds. ``options`` holds
    provider-specific settings such as Azure's ``endpoint``, ``deployment`` and ``api_version``.
    """

    provider: str = DEFAULT_PROVIDER
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    max_tokens: int = 4000
    max_retries: int = 3
    timeout: float = 60.0
    enable_caching: bool = True
    temperature: float | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require(
            isinstance(self.max_tokens, int) and self.max_tokens > 0,
            "max_tokens",
            self.max_tokens,
            "a whole number greater than 0, e.g. 4000",
        )
        _require(
            isinstance(self.max_retries, int) and self.max_retries >= 0,
            "max_retries",
            self.max_retries,
            "a whole number 0 or greater, e.g. 3",
        )
        _require(
            isinstance(self.timeout, int | float) and self.timeout > 0,
            "timeout",
            self.timeout,
            "a number of seconds greater than 0, e.g. 60",
        )

    def replace(self, **changes: Any) -> LLMConfig:
        """A copy with ``changes`` (``LLMConfig`` fields) applied; validated like a new config.

        Raises:
            LLMError: a changed field is not valid (``VALIDATION``).
        """
        return dataclasses.replace(self, **changes)

    def key_fingerprint(self) -> str:
        """A short, one-way tag of the key, safe to log or use in cache keys."""
        if not self.api_key:
            return "-"
        return hashlib.sha256(self.api_key.encode()).hexdigest()[:12]


def configured_provider(env: Mapping[str, str] | None = None) -> str | None:
    """The provider ``LLM_PROVIDER`` names (lower case), or ``None`` when it is not set.

    Args:
        env: the variables to read; default: the process's environment.
    """
    env = os.environ if env is None else env
    return env.get(ENV.PROVIDER, "").strip().lower() or None


def env_settings(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The generic ``LLM_*`` settings that are set, parsed: ``LLMConfig`` field → value.

    ``provider`` and ``api_key`` are not among them: which provider a key belongs to depends on
    the provider's aliases, which the factory knows (see ``LLMFactory.config_from_env``).

    Args:
        env: the variables to read; default: the process's environment.

    Raises:
        LLMError: a value that cannot be used; the message names the variable and a valid value.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    if env.get(ENV.MODEL):
        values["model"] = env[ENV.MODEL].strip()
    if env.get(ENV.BASE_URL):
        values["base_url"] = env[ENV.BASE_URL].strip()
    if env.get(ENV.MAX_TOKENS):
        values["max_tokens"] = _parse_int(env, ENV.MAX_TOKENS, minimum=1, example="4000")
    if env.get(ENV.MAX_RETRIES):
        values["max_retries"] = _parse_int(env, ENV.MAX_RETRIES, minimum=0, example="3")
    if env.get(ENV.TIMEOUT):
        values["timeout"] = _parse_duration(env, ENV.TIMEOUT)
    if ENV.ENABLE_CACHING in env:
        values["enable_caching"] = _parse_bool(env, ENV.ENABLE_CACHING)
    if env.get(_RETIRED_HTTP_CLIENT):
        logging.getLogger("codescribe.llm").warning(
            "%s is no longer read: the SDKs' own HTTP client is always used. Unset it.", _RETIRED_HTTP_CLIENT
        )
    return values


#: Read by earlier versions (an aiohttp transport); now only warned about when set.
_RETIRED_HTTP_CLIENT = "LLM_HTTP_CLIENT"


def env_value(name: str, env: Mapping[str, str] | None = None) -> str | None:
    """The stripped value of the variable ``name`` (a provider's own: ``AZURE_OPENAI_ENDPOINT`` ...),
    or ``None`` when it is unset or empty."""
    env = os.environ if env is None else env
    value = env.get(name, "").strip()
    return value or None


def _config_error(message: str) -> LLMError:
    return LLMError(message, error_type=ErrorType.VALIDATION, operation="configure")


def _require(ok: bool, name: str, value: object, expected: str) -> None:
    if not ok:
        raise _config_error(f"LLMConfig.{name} must be {expected}; got {value!r}.")


def _parse_int(env: Mapping[str, str], name: str, *, minimum: int, example: str) -> int:
    raw = env[name].strip()
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise _config_error(
            f"{name}={raw!r} is not valid: use a whole number of at least {minimum}, e.g. {name}={example}, "
            f"or unset it for the default."
        )
    return value


def _parse_duration(env: Mapping[str, str], name: str) -> float:
    raw = env[name]
    match = _DURATION.match(raw)
    if not match or float(match.group(1)) <= 0:
        raise _config_error(
            f"{name}={raw!r} is not valid: use seconds (60 or 60s) or milliseconds (60000ms), or unset it."
        )
    seconds = float(match.group(1))
    return seconds / 1000 if match.group(2) == "ms" else seconds


def _parse_bool(env: Mapping[str, str], name: str) -> bool:
    raw = env[name].strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise _config_error(f"{name}={env[name]!r} is not valid: use true or false.")


def find_api_key(config: LLMConfig, env_names: tuple[str, ...], env: Mapping[str, str] | None = None) -> str | None:
    """The configured key, else the first of the provider's own variables that is set."""
    if config.api_key:
        return config.api_key
    return next((value for name in env_names if (value := env_value(name, env))), None)
