"""The provider registry: names and aliases → provider classes, and reused instances.

Built-in providers are named by import path and imported on first use, so creating an
``openai`` provider never imports the Anthropic SDK. Third-party providers arrive through
the ``codescribe.providers`` entry-point group, by the same path::

    [project.entry-points."codescribe.providers"]
    mistral = "codescribe_mistral:MistralProvider"
"""

from __future__ import annotations

import difflib
import importlib
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from .config import DEFAULT_PROVIDER, ENV, LLMConfig, configured_provider, env_settings, env_value, find_api_key
from .errors import ErrorType, LLMError
from .providers.base import LLMProvider

__all__ = [
    "ENTRY_POINT_GROUP",
    "LLMFactory",
    "available_providers",
    "canonical_name",
    "create_provider",
    "create_provider_from_env",
    "default_factory",
    "register",
]

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

ENTRY_POINT_GROUP = "codescribe.providers"

_BUILTIN: dict[str, str] = {
    "anthropic": "codescribe.llm.providers.anthropic:AnthropicProvider",
    "openai": "codescribe.llm.providers.openai:OpenAIProvider",
    "azure-openai": "codescribe.llm.providers.azure:AzureOpenAIProvider",
}
_BUILTIN_ALIASES = {"claude": "anthropic", "gpt": "openai", "azure": "azure-openai"}

ProviderSource: TypeAlias = "type[LLMProvider] | str | EntryPoint"


class LLMFactory:
    """Creates providers by name, one instance per (provider, model, base URL, key, settings)."""

    def __init__(self) -> None:
        from .providers.compatible import ENDPOINTS

        self._sources: dict[str, ProviderSource] = dict(_BUILTIN)
        self._aliases: dict[str, str] = dict(_BUILTIN_ALIASES)
        self._compatible = {endpoint.name: endpoint for endpoint in ENDPOINTS}
        for endpoint in ENDPOINTS:
            self._aliases.update(dict.fromkeys(endpoint.aliases, endpoint.name))
        self._instances: dict[tuple[Any, ...], LLMProvider] = {}
        self._lock = threading.Lock()
        self._entry_points_loaded = False

    def register(self, name: str, provider_class: type[LLMProvider], *, aliases: tuple[str, ...] = ()) -> None:
        """Add (or replace) a provider under ``name`` and its aliases."""
        canonical = name.strip().lower()
        self._sources[canonical] = provider_class
        self._compatible.pop(canonical, None)
        self._aliases.pop(canonical, None)
        for alias in aliases:
            self._aliases[alias.strip().lower()] = canonical
        self._instances = {key: value for key, value in self._instances.items() if key[0] != canonical}

    def names(self) -> list[str]:
        """Every registered provider name (aliases not included)."""
        self._load_entry_points()
        return sorted({*self._sources, *self._compatible})

    def aliases(self) -> dict[str, str]:
        """Every alias this factory knows, mapped to its provider's canonical name."""
        return dict(self._aliases)

    def canonical_name(self, name: str, *, strict: bool = True) -> str:
        """The registered name ``name`` (a name or an alias, any case) stands for.

        Args:
            name: a provider name or alias (``claude``, ``gpt`` ...).
            strict: raise for an unknown name; with ``False``, return it lower-cased.

        Raises:
            LLMError: ``name`` is unknown and ``strict`` (``VALIDATION``; the message lists the known ones).
        """
        key = name.strip().lower()
        key = self._aliases.get(key, key)
        if key in self._sources or key in self._compatible:
            return key
        self._load_entry_points()
        if key in self._sources or not strict:
            return key
        known = self.names()
        close = difflib.get_close_matches(key, [*known, *self._aliases], n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise LLMError(
            f"Unknown provider {name!r}.{hint} Known providers: {', '.join(known)}. "
            f"Set LLM_PROVIDER to one of them, or register a new one.",
            error_type=ErrorType.VALIDATION,
            provider=name,
            operation="configure",
        )

    def provider_class(self, name: str) -> type[LLMProvider]:
        """The provider class registered under ``name`` (or one of its aliases).

        Raises:
            LLMError: no provider of that name (``VALIDATION``; the message lists the known ones).
        """
        key = self.canonical_name(name)
        if key in self._compatible:
            from .providers.compatible import provider_class

            return provider_class(self._compatible[key])
        source = self._sources[key]
        if isinstance(source, str):
            module, _, attribute = source.partition(":")
            source = getattr(importlib.import_module(module), attribute)
        elif not isinstance(source, type):  # an entry point
            source = source.load()
        if not (isinstance(source, type) and issubclass(source, LLMProvider)):
            raise LLMError(
                f"Provider {key!r} does not name an LLMProvider subclass (got {source!r}).",
                error_type=ErrorType.VALIDATION,
                provider=key,
                operation="configure",
            )
        self._sources[key] = source
        return source

    def create(self, config: LLMConfig) -> LLMProvider:
        """The provider for ``config``, reusing an instance built from an equal config."""
        provider_class = self.provider_class(config.provider)
        name = self.canonical_name(config.provider)
        key_config = config.replace(provider=name, api_key=find_api_key(config, provider_class.ENV_API_KEY_NAMES))
        cache_key = (
            name,
            key_config.model,
            key_config.base_url,
            key_config.key_fingerprint(),
            key_config.max_tokens,
            key_config.max_retries,
            key_config.timeout,
            key_config.enable_caching,
            key_config.temperature,
            tuple(sorted(key_config.options.items())),
        )
        provider = self._instances.get(cache_key)
        if provider is None:
            with self._lock:
                provider = self._instances.get(cache_key)
                if provider is None:
                    provider = provider_class(key_config)
                    self._instances[cache_key] = provider
        return provider

    def create_from_env(self, env: Mapping[str, str] | None = None, **overrides: Any) -> LLMProvider:
        """The provider that the ``LLM_*`` environment (and ``overrides``) describe: see
        :meth:`config_from_env`."""
        return self.create(self.config_from_env(env, **overrides))

    def config_from_env(self, env: Mapping[str, str] | None = None, **overrides: Any) -> LLMConfig:
        """The config the environment describes, ``overrides`` (``LLMConfig`` fields) winning over it.

        Resolution, for every setting: the override → the ``LLM_*`` variable → the provider's own
        variable (``ANTHROPIC_API_KEY``, ``AZURE_OPENAI_ENDPOINT`` ...) → the default.
        ``LLM_API_KEY``, ``LLM_MODEL`` and ``LLM_BASE_URL`` belong to the provider ``LLM_PROVIDER``
        names (under any of its aliases in this factory): a request for another provider uses that
        provider's own variables.

        Args:
            env: the variables to read; default: the process's environment.
            overrides: ``LLMConfig`` fields; ``None`` values are ignored.

        Raises:
            LLMError: a variable that cannot be used (named, with a valid value).
        """
        env_provider = configured_provider(env)
        values: dict[str, Any] = {"provider": env_provider or DEFAULT_PROVIDER, **env_settings(env)}
        requested = str(overrides.get("provider") or values["provider"]).lower()
        ours = not env_provider or self._same(requested, env_provider)
        if ours and (key := env_value(ENV.API_KEY, env)):
            values["api_key"] = key
        if not ours:  # another provider than LLM_PROVIDER: its model and base URL are not ours either
            values.pop("model", None)
            values.pop("base_url", None)
        values.update({key: value for key, value in overrides.items() if value is not None})
        provider_class = self._known_class(str(values["provider"]))
        if provider_class is not None:
            if not values.get("api_key"):
                values["api_key"] = find_api_key(LLMConfig(), provider_class.ENV_API_KEY_NAMES, env)
            options = dict(values.get("options") or {})
            for option, variable in provider_class.ENV_OPTIONS.items():
                if option not in options and (value := env_value(variable, env)):
                    options[option] = value
            values["options"] = options
        return LLMConfig(**values)

    def _same(self, a: str, b: str) -> bool:
        return self.canonical_name(a, strict=False) == self.canonical_name(b, strict=False)

    def _known_class(self, name: str) -> type[LLMProvider] | None:
        """The provider class of ``name``, or None (an unknown name is reported when it is created)."""
        try:
            return self.provider_class(name)
        except LLMError:
            return None

    def clear(self) -> None:
        """Forget the reused instances (their clients close when collected)."""
        with self._lock:
            self._instances.clear()

    def _load_entry_points(self) -> None:
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        from importlib.metadata import entry_points  # scans every installed package: only when a name is unknown

        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            self._sources.setdefault(entry_point.name.lower(), entry_point)


default_factory = LLMFactory()


def create_provider(config: LLMConfig) -> LLMProvider:
    """Create (or reuse) the provider that ``config`` describes."""
    return default_factory.create(config)


def config_from_env(env: Mapping[str, str] | None = None, **overrides: Any) -> LLMConfig:
    """The config the ``LLM_*`` environment describes, in the default factory: see
    :meth:`LLMFactory.config_from_env`."""
    return default_factory.config_from_env(env, **overrides)


def create_provider_from_env(env: Mapping[str, str] | None = None, **overrides: Any) -> LLMProvider:
    """Create (or reuse) the provider that ``LLM_PROVIDER``, ``LLM_MODEL`` ... describe."""
    return default_factory.create_from_env(env, **overrides)


def register(name: str, provider_class: type[LLMProvider], *, aliases: tuple[str, ...] = ()) -> None:
    """Register a provider class under ``name`` in the default factory."""
    default_factory.register(name, provider_class, aliases=aliases)


def canonical_name(name: str, *, strict: bool = True) -> str:
    """The registered name ``name`` stands for, in the default factory: see :meth:`LLMFactory.canonical_name`."""
    return default_factory.canonical_name(name, strict=strict)


def available_providers() -> list[str]:
    """The names of every provider the default factory knows, built-in and registered, sorted."""
    return default_factory.names()
