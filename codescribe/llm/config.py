"""Provider configuration, and the one place that resolves it from the environment.

Resolution order, for every setting, when a config is read from the environment
(:meth:`LLMFactory.config_from_env <codescribe.llm.factory.LLMFactory.config_from_env>`): explicit
argument → ``LLM_*`` variable → the provider's own variable (``ANTHROPIC_API_KEY``,
``OPENAI_API_KEY``, ``AZURE_OPENAI_*`` ...) → default. ``LLM_API_KEY`` belongs to the provider
named by ``LLM_PROVIDER``: a request for another provider (an ``X-LLM-Provider`` header, say)
uses that provider's own variable. A config built directly (``LLMConfig(...)``) reads no ``LLM_*``
variable; only a missing key (and Azure's options) is looked up, in the provider's own variables.
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
from urllib.parse import urlsplit

from .errors import ErrorType, LLMError

__all__ = [
    "CONNECT_TIMEOUT",
    "DEFAULT_PROVIDER",
    "DEFAULT_TIMEOUT",
    "ENV",
    "PRICES_FILE_ENV",
    "LLMConfig",
    "check_base_url",
    "configured_provider",
    "env_settings",
    "env_value",
    "find_api_key",
]

#: The provider used when neither the config nor ``LLM_PROVIDER`` names one.
DEFAULT_PROVIDER = "anthropic"
#: The highest sampling temperature any supported API takes (OpenAI's Chat Completions: 0 to 2;
#: Anthropic's Messages API: 0 to 1, which its server enforces).
MAX_TEMPERATURE = 2.0
#: Seconds each attempt of a call may take, start to last byte (``LLM_TIMEOUT``'s default): the Anthropic and
#: OpenAI SDKs' own default (``DEFAULT_TIMEOUT`` in their ``_constants``), long enough for a long answer.
DEFAULT_TIMEOUT = 600.0
#: Seconds to wait for a connection (at most): the SDKs' own default.
CONNECT_TIMEOUT = 5.0
#: The sane ranges of the numeric settings: a value outside is a mistake, refused before any call.
MAX_TIMEOUT = 86_400.0
MAX_MAX_TOKENS = 10_000_000
MAX_MAX_RETRIES = 100
#: The variable naming a JSON price file merged over the bundled prices (see :mod:`codescribe.llm.pricing`).
PRICES_FILE_ENV = "LLM_PRICES_FILE"


class ENV:
    """Names of the generic variables (the provider-specific ones sit on each provider).

    Read by :func:`configured_provider` (``PROVIDER``), :func:`env_settings` (the rest but
    ``API_KEY``) and ``LLMFactory.config_from_env`` (``API_KEY``).

    Examples:
        >>> ENV.API_KEY, ENV.TIMEOUT
        ('LLM_API_KEY', 'LLM_TIMEOUT')
    """

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
_DURATION = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s)?\s*$")


@dataclass(frozen=True)
class LLMConfig:
    """Everything needed to build one provider; validated when created.

    ``model=None`` means the provider's default model; ``api_key=None`` means "look in the
    environment": the provider's own key variables (see the module docstring). ``timeout`` is in
    seconds. ``options`` holds provider-specific settings such as Azure's ``endpoint``,
    ``deployment`` and ``api_version``.

    Attributes:
        provider: the provider's name or alias (``"anthropic"``, ``"claude"``, ``"ollama"`` ...).
        model: the model (Azure: the deployment); ``None`` for the provider's ``DEFAULT_MODEL``
            (local servers and Azure have none, so they need one).
        api_key: the key; ``None`` to use the provider's own variables (``ANTHROPIC_API_KEY`` ...).
            Left out of ``repr``.
        base_url: the server's address, ``http`` or ``https`` (see :func:`check_base_url`); ``None`` for the
            provider's default (for Anthropic and OpenAI, the SDK's own).
        max_tokens: the most tokens to generate per call (default 4000); a whole number above 0.
        max_retries: retries after a failed first attempt (default 3; 0 for none).
        timeout: seconds each attempt of a call may take, streaming or not, first byte to last (a deadline:
            :mod:`codescribe.llm.deadline`); default :data:`DEFAULT_TIMEOUT`, above 0 and at most a day.
        enable_caching: whether to ask for prompt caching where the request must ask for it
            (Anthropic's ``cache_control``); providers that cache automatically ignore it.
        temperature: the sampling temperature, from 0 to :data:`MAX_TEMPERATURE`; ``None`` sends none
            (the server's default).
        options: provider-specific settings, name → value (Azure's ``endpoint`` ...).

    Raises:
        LLMError: ``base_url`` is not an address to call, the key holds a character no HTTP header can
            carry, or ``max_tokens``, ``max_retries`` or ``timeout`` is out of range or of the wrong
            type (``VALIDATION``; the message names the field and a valid value).

    Examples:
        >>> config = LLMConfig(provider="openai", model="gpt-4o", api_key="sk-not-a-real-key", timeout=30)
        >>> config.model, config.max_tokens, config.timeout
        ('gpt-4o', 4000, 30)
        >>> LLMConfig(max_tokens=0)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        codescribe.llm.errors.LLMError: VALIDATION: LLMConfig.max_tokens must be a whole number greater ...; got 0.
    """

    provider: str = DEFAULT_PROVIDER
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    max_tokens: int = 4000
    max_retries: int = 3
    timeout: float = DEFAULT_TIMEOUT
    enable_caching: bool = True
    temperature: float | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require(
            _whole(self.max_tokens) and 0 < self.max_tokens <= MAX_MAX_TOKENS,
            "max_tokens",
            self.max_tokens,
            f"a whole number greater than 0 and at most {MAX_MAX_TOKENS:,}, e.g. 4000",
        )
        _require(
            _whole(self.max_retries) and 0 <= self.max_retries <= MAX_MAX_RETRIES,
            "max_retries",
            self.max_retries,
            f"a whole number from 0 to {MAX_MAX_RETRIES}, e.g. 3",
        )
        _require(
            _number(self.timeout) and 0 < self.timeout <= MAX_TIMEOUT,
            "timeout",
            self.timeout,
            f"a number of seconds greater than 0 and at most {MAX_TIMEOUT:,.0f} (a day), e.g. 60",
        )
        if self.base_url is not None:
            check_base_url(self.base_url, "LLMConfig.base_url")
        if self.api_key is not None and (position := _illegal_in_header(self.api_key)) is not None:
            raise _config_error(
                f"The API key holds a character an HTTP header cannot carry (a line break, a control or a "
                f"non-ASCII character) at position {position + 1}: check how it was copied into "
                f"{ENV.API_KEY} (or the provider's own key variable, or LLMConfig.api_key)."
            )
        _require(
            self.temperature is None or (_number(self.temperature) and 0 <= self.temperature <= MAX_TEMPERATURE),
            "temperature",
            self.temperature,
            f"a number from 0 to {MAX_TEMPERATURE}, e.g. 0.2, or None for the server's default",
        )

    def replace(self, **changes: Any) -> LLMConfig:
        """A copy with ``changes`` (``LLMConfig`` fields) applied; validated like a new config.

        Args:
            changes: field name → new value, for any of the fields above.

        Returns:
            A new :class:`LLMConfig`; this one is unchanged (it is frozen).

        Raises:
            LLMError: a changed field is not valid (``VALIDATION``).
            TypeError: a name in ``changes`` is not a field.

        Examples:
            >>> LLMConfig(provider="openai").replace(model="gpt-4o", max_tokens=1000).max_tokens
            1000
        """
        return dataclasses.replace(self, **changes)

    def key_fingerprint(self) -> str:
        """A short, one-way tag of the key, safe to log or use in cache keys.

        Returns:
            The first 12 hex digits of the key's SHA-256 digest, or ``"-"`` when there is no key.

        Examples:
            >>> LLMConfig(api_key="sk-test").key_fingerprint()
            'f3abf2a6cc4f'
            >>> LLMConfig().key_fingerprint()
            '-'
        """
        if not self.api_key:
            return "-"
        return hashlib.sha256(self.api_key.encode()).hexdigest()[:12]


def configured_provider(env: Mapping[str, str] | None = None) -> str | None:
    """The provider ``LLM_PROVIDER`` names (lower case), or ``None`` when it is not set.

    Args:
        env: the variables to read; ``None``: the process's environment (``os.environ``).

    Returns:
        The stripped, lower-cased value of ``LLM_PROVIDER`` (as given: an alias is not resolved),
        or ``None`` when it is unset or blank.

    Examples:
        >>> configured_provider({"LLM_PROVIDER": " Claude "})
        'claude'
        >>> configured_provider({}) is None
        True
    """
    env = os.environ if env is None else env
    return env.get(ENV.PROVIDER, "").strip().lower() or None


def env_settings(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The generic ``LLM_*`` settings that are set, parsed: ``LLMConfig`` field → value.

    ``provider`` and ``api_key`` are not among them: which provider a key belongs to depends on
    the provider's aliases, which the factory knows (see ``LLMFactory.config_from_env``).

    Read, when set and not empty: ``LLM_MODEL`` and ``LLM_BASE_URL`` (stripped),
    ``LLM_MAX_TOKENS`` (a whole number of at least 1), ``LLM_MAX_RETRIES`` (at least 0) and
    ``LLM_TIMEOUT`` (seconds, ``60`` or ``60s``, or milliseconds, ``60000ms``).
    ``LLM_ENABLE_CACHING`` is read whenever it is set: ``1/true/yes/on`` or ``0/false/no/off``,
    any case; set but empty means false. ``LLM_HTTP_CLIENT``, no longer used, only draws a warning.

    Args:
        env: the variables to read; ``None``: the process's environment (``os.environ``).

    Returns:
        A dict mapping ``LLMConfig`` field names (``model``, ``base_url``, ``max_tokens``,
        ``max_retries``, ``timeout`` in seconds, ``enable_caching``) to parsed values, for the
        variables that are set; empty when none is.

    Raises:
        LLMError: a value that cannot be used (``VALIDATION``); the message names the variable and a valid value.

    Examples:
        >>> env_settings({"LLM_MODEL": " gpt-4o ", "LLM_TIMEOUT": "1500ms", "LLM_ENABLE_CACHING": "off"})
        {'model': 'gpt-4o', 'timeout': 1.5, 'enable_caching': False}
        >>> env_settings({"LLM_MAX_TOKENS": "lots"})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        codescribe.llm.errors.LLMError: VALIDATION: LLM_MAX_TOKENS='lots' is not valid: use a whole number ...
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    if env.get(ENV.MODEL):
        values["model"] = env[ENV.MODEL].strip()
    if env.get(ENV.BASE_URL):
        values["base_url"] = check_base_url(env[ENV.BASE_URL].strip(), ENV.BASE_URL)
    if env.get(ENV.MAX_TOKENS):
        values["max_tokens"] = _parse_int(env, ENV.MAX_TOKENS, minimum=1, maximum=MAX_MAX_TOKENS, example="4000")
    if env.get(ENV.MAX_RETRIES):
        values["max_retries"] = _parse_int(env, ENV.MAX_RETRIES, minimum=0, maximum=MAX_MAX_RETRIES, example="3")
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
    """The stripped value of the variable ``name``, or ``None`` when it is unset or blank.

    Args:
        name: the variable's name (typically a provider's own: ``AZURE_OPENAI_ENDPOINT`` ...).
        env: the variables to read; ``None``: the process's environment (``os.environ``).

    Returns:
        The value without surrounding whitespace, or ``None`` when it is unset or only whitespace.

    Examples:
        >>> env_value("AZURE_OPENAI_ENDPOINT", {"AZURE_OPENAI_ENDPOINT": " https://demo.openai.azure.com "})
        'https://demo.openai.azure.com'
        >>> env_value("AZURE_OPENAI_ENDPOINT", {"AZURE_OPENAI_ENDPOINT": "  "}) is None
        True
    """
    env = os.environ if env is None else env
    value = env.get(name, "").strip()
    return value or None


def check_base_url(url: str, setting: str) -> str:
    """``url``, if it is an address to send requests to; the error names ``setting`` and what to write.

    A base URL is ``http`` or ``https``, with a host and a valid port. It may not carry credentials
    (``user:password@`` or a query string such as ``?key=...``): they would be sent to every path and
    show in logs and records; a key goes in the key setting. The error never repeats the URL's
    credentials, query or fragment.

    Args:
        url: the address, e.g. ``http://127.0.0.1:8080/v1``.
        setting: where it came from, named in the error (``LLM_BASE_URL``, ``LLMConfig.base_url``).

    Returns:
        ``url``, unchanged.

    Raises:
        LLMError: ``VALIDATION``: the URL is not ``http``/``https`` with a host and a valid port, or it
            holds credentials, a query or a fragment.

    Examples:
        >>> check_base_url("http://127.0.0.1:8080/v1", "LLM_BASE_URL")
        'http://127.0.0.1:8080/v1'
        >>> check_base_url("https://user:hunter2@proxy.example.com/v1?key=abc", "LLM_BASE_URL")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        codescribe.llm.errors.LLMError: VALIDATION: LLM_BASE_URL holds credentials ... e.g. https://proxy.example.com/v1.
    """
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = urlsplit(""), False
    host = parts.hostname or ""
    path = parts.path.split(";", 1)[0]
    address = f"{parts.scheme}://{host}" + (f":{parts.port}" if port_ok and parts.port else "") + path
    if parts.scheme not in ("http", "https") or not host or not port_ok or any(c.isspace() or c == "\\" for c in url):
        raise _config_error(
            f"{setting} is not an address to call: use http:// or https:// with a host (and a port from 1 to "
            "65535), e.g. http://127.0.0.1:8080/v1."
        )
    if parts.username is not None or parts.password is not None:
        raise _config_error(
            f"{setting} holds credentials (a user name or password before the host): put the key in {ENV.API_KEY} "
            f"(or the provider's key variable) and give the address alone, e.g. {address}."
        )
    if parts.query or parts.fragment or ";" in parts.path or url.rstrip().endswith(("?", "#")):
        raise _config_error(
            f"{setting} has a query string, parameters or a fragment (?..., ;... or #...): the provider adds its "
            f"own paths to the base URL, so they would end up in the wrong place; a key goes in {ENV.API_KEY}. Give "
            f"the address alone, e.g. {address}."
        )
    return url


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _illegal_in_header(text: str) -> int | None:
    """Where ``text`` has a character an HTTP header value cannot carry (RFC 9110 5.5, as HTTP clients
    send them: visible ASCII, space and tab), or ``None``."""
    return next((i for i, c in enumerate(text) if not (" " <= c <= "~" or c == "\t")), None)


def _config_error(message: str) -> LLMError:
    return LLMError(message, error_type=ErrorType.VALIDATION, operation="configure")


def _require(ok: bool, name: str, value: object, expected: str) -> None:
    if not ok:
        raise _config_error(f"LLMConfig.{name} must be {expected}; got {value!r}.")


def _parse_int(env: Mapping[str, str], name: str, *, minimum: int, maximum: int, example: str) -> int:
    raw = env[name].strip()
    try:
        value = int(raw) if raw.isascii() and raw.isdigit() else minimum - 1  # no "٤٠٠٠", "4_000" or "+4"
    except ValueError:
        value = minimum - 1
    if not minimum <= value <= maximum:
        raise _config_error(
            f"{name}={raw!r} is not valid: use a whole number from {minimum} to {maximum:,}, e.g. {name}={example}, "
            f"or unset it for the default."
        )
    return value


def _parse_duration(env: Mapping[str, str], name: str) -> float:
    raw = env[name]
    match = _DURATION.match(raw)
    seconds = (float(match.group(1)) / (1000 if match.group(2) == "ms" else 1)) if match else 0.0
    if not 0 < seconds <= MAX_TIMEOUT:
        raise _config_error(
            f"{name}={raw!r} is not valid: use seconds (60 or 60s) or milliseconds (60000ms), more than 0 and "
            f"at most {MAX_TIMEOUT:,.0f} (a day), or unset it."
        )
    return seconds


def _parse_bool(env: Mapping[str, str], name: str) -> bool:
    raw = env[name].strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise _config_error(f"{name}={env[name]!r} is not valid: use true or false.")


def find_api_key(config: LLMConfig, env_names: tuple[str, ...], env: Mapping[str, str] | None = None) -> str | None:
    """The configured key, else the first of the provider's own variables that is set.

    ``LLM_API_KEY`` is not among the variables tried: :meth:`LLMFactory.config_from_env
    <codescribe.llm.factory.LLMFactory.config_from_env>` puts it in ``config.api_key`` when it
    belongs to the provider.

    Args:
        config: the config whose ``api_key`` wins when set.
        env_names: the variables to try, in order (a provider's ``ENV_API_KEY_NAMES``).
        env: the variables to read; ``None``: the process's environment (``os.environ``).

    Returns:
        The key, or ``None`` when the config has none and none of the variables is set (non-blank).

    Examples:
        >>> find_api_key(LLMConfig(), ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY"), {"CLAUDE_API_KEY": "sk-ant-demo"})
        'sk-ant-demo'
        >>> find_api_key(LLMConfig(api_key="explicit"), ("ANTHROPIC_API_KEY",), {"ANTHROPIC_API_KEY": "ignored"})
        'explicit'
    """
    if config.api_key:
        return config.api_key
    return next((value for name in env_names if (value := env_value(name, env))), None)
