"""The service's settings, read once from the environment: what a request may choose, and limits.

A request picks its provider and model with ``X-LLM-Provider`` / ``X-LLM-Model``, only among those
the operator allows here; it never chooses a base URL or a key (those come from the ``LLM_*`` and
provider variables, as for the CLI).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..engine.writers import OFFLINE
from ..llm.config import configured_provider
from ..llm.factory import canonical_name

__all__ = ["MAX_CODE_CHARS", "ServerSettings", "is_loopback"]

#: The most characters of code one request may send (the original service's cap); more is a 413.
MAX_CODE_CHARS = 100_000


@dataclass(frozen=True)
class ServerSettings:
    """What the service allows and how much it takes on.

    Attributes:
        default_provider: the provider a request without ``X-LLM-Provider`` gets (``LLM_PROVIDER``, else
            ``offline``: a service with no key still answers).
        allowed_providers: the providers a request may pick (``CODESCRIBE_ALLOWED_PROVIDERS``, comma-separated
            names or aliases; default: the default provider and ``offline``).
        allowed_models: the models ``X-LLM-Model`` may name (``CODESCRIBE_ALLOWED_MODELS``); empty: none, so
            each provider uses its configured model.
        api_token: the bearer token requests must carry (``CODESCRIBE_API_TOKEN``); ``None``: none asked.
        cors_origins: the origins browsers may call from (``CODESCRIBE_CORS_ORIGINS``); empty: none.
        concurrency: calls in flight per provider at once, across requests (``CODESCRIBE_CONCURRENCY``, 8).
        queue: requests that may wait for a slot per provider (``CODESCRIBE_QUEUE``, 32); more get a 503.
        allowed_hosts: the names the ``Host`` header may carry besides this machine's own (``localhost`` and
            loopback addresses are always answered; ``CODESCRIBE_ALLOWED_HOSTS``; ``*``: any). Empty: any when a
            token is asked, else the loopback names only, so a web page that rebinds its own domain to
            127.0.0.1 (DNS rebinding) cannot drive a service that asks no token.
    """

    default_provider: str
    allowed_providers: tuple[str, ...]
    allowed_models: tuple[str, ...] = ()
    api_token: str | None = None
    cors_origins: tuple[str, ...] = ()
    concurrency: int = 8
    queue: int = 32
    allowed_hosts: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerSettings:
        """The settings the environment gives.

        Args:
            env: the variables to read; ``None``: the process's environment.

        Returns:
            The settings, provider names canonical (``claude`` → ``anthropic``).

        Raises:
            ValueError: a variable holds an unknown provider or a number out of range; the message names it.

        Examples:
            >>> settings = ServerSettings.from_env({"LLM_PROVIDER": "claude", "CODESCRIBE_ALLOWED_MODELS": "a, b"})
            >>> settings.default_provider, settings.allowed_providers, settings.allowed_models
            ('anthropic', ('anthropic', 'offline'), ('a', 'b'))
        """
        env = os.environ if env is None else env
        default = _provider(configured_provider(env) or OFFLINE, "LLM_PROVIDER")
        named = _list(env, "CODESCRIBE_ALLOWED_PROVIDERS")
        allowed = tuple(dict.fromkeys(_provider(name, "CODESCRIBE_ALLOWED_PROVIDERS") for name in named))
        if default not in allowed:
            allowed = (default, *allowed) if named else (default, OFFLINE) if default != OFFLINE else (OFFLINE,)
        return cls(
            default_provider=default,
            allowed_providers=allowed,
            allowed_models=_list(env, "CODESCRIBE_ALLOWED_MODELS"),
            api_token=(env.get("CODESCRIBE_API_TOKEN") or "").strip() or None,
            cors_origins=_list(env, "CODESCRIBE_CORS_ORIGINS"),
            concurrency=_count(env, "CODESCRIBE_CONCURRENCY", 8),
            queue=_count(env, "CODESCRIBE_QUEUE", 32, minimum=0),
            allowed_hosts=tuple(name.lower().strip("[]") for name in _list(env, "CODESCRIBE_ALLOWED_HOSTS")),
        )

    def answers_host(self, host: str | None) -> bool:
        """Whether a request whose ``Host`` header is ``host`` is answered.

        Args:
            host: the header's value (a name or address, with or without a port; IPv6 in brackets);
                ``None`` when the request has none (HTTP/1.0: no browser sends that).

        Returns:
            ``True`` when the name is allowed (see :attr:`allowed_hosts`).

        Examples:
            >>> open_service = ServerSettings.from_env({})
            >>> open_service.answers_host("127.0.0.1:8000"), open_service.answers_host("[::1]:8000")
            (True, True)
            >>> open_service.answers_host("attacker.example:8000")
            False
            >>> ServerSettings.from_env({"CODESCRIBE_API_TOKEN": "t"}).answers_host("docs.example.com")
            True
        """
        if host is None:
            return True
        name = (host.partition("]")[0].lstrip("[") if host.startswith("[") else host.partition(":")[0]).lower()
        if self.allowed_hosts:  # more names besides this machine's own (a health check on localhost still works)
            return "*" in self.allowed_hosts or name in self.allowed_hosts or is_loopback(name)
        return self.api_token is not None or is_loopback(name)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only: ``localhost`` or a loopback address (127.0.0.0/8, ::1).

    Args:
        host: a name or an address, IPv6 with or without brackets, no port.

    Returns:
        ``True`` for a loopback name or address.

    Examples:
        >>> is_loopback("localhost"), is_loopback("127.0.0.2"), is_loopback("[::1]"), is_loopback("0.0.0.0")
        (True, True, True, False)
    """
    host = host.strip("[]").lower()
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (env.get(name) or "").split(",") if part.strip())


def _provider(name: str, variable: str) -> str:
    if name.strip().lower() == OFFLINE:
        return OFFLINE
    try:
        return canonical_name(name)
    except Exception as exc:  # the factory's LLMError, which names the known providers
        raise ValueError(f"{variable}: {exc}") from exc


def _count(env: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not minimum <= int(raw) <= 10_000:
        raise ValueError(f"{name}={raw!r} is not valid: use a whole number from {minimum} to 10000, or unset it.")
    return int(raw)
