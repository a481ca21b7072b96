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
    "key_status",
    "register",
]

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

#: The entry-point group third-party providers register under (see the module docstring).
ENTRY_POINT_GROUP = "codescribe.providers"

_BUILTIN: dict[str, str] = {
    "anthropic": "codescribe.llm.providers.anthropic:AnthropicProvider",
    "openai": "codescribe.llm.providers.openai:OpenAIProvider",
    "azure-openai": "codescribe.llm.providers.azure:AzureOpenAIProvider",
}
_BUILTIN_ALIASES = {"claude": "anthropic", "gpt": "openai", "azure": "azure-openai"}

ProviderSource: TypeAlias = "type[LLMProvider] | str | EntryPoint"


class LLMFactory:
    """Creates providers by name, one instance per (provider, model, base URL, key, settings).

    A new factory knows the built-in providers (``anthropic``, ``openai``, ``azure-openai``), the
    OpenAI- and Anthropic-compatible servers of :data:`~codescribe.llm.providers.compatible.ENDPOINTS`
    and their aliases; installed ``codescribe.providers`` entry points are looked up when a name
    is not known otherwise. Instances are shared: :meth:`create` returns the same provider for an
    equal config. Most code uses the module's :data:`default_factory` through :func:`create_provider`
    and friends.

    Examples:
        >>> factory = LLMFactory()
        >>> factory.canonical_name("claude")
        'anthropic'
        >>> factory.create(LLMConfig(provider="ollama", model="llama3.2"))
        <OllamaProvider ollama:llama3.2>
    """

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
        """Add (or replace) a provider under ``name`` and its aliases.

        Instances already created under ``name`` are forgotten, so the next :meth:`create` builds
        one of the new class.

        Args:
            name: the provider's name, any case (stored lower-cased); it shadows a built-in of the same name.
            provider_class: the :class:`~codescribe.llm.providers.base.LLMProvider` subclass to build.
            aliases: other names that stand for ``name`` (any case).

        Examples:
            >>> from codescribe.llm.providers.openai import OpenAIProvider
            >>> class MyServer(OpenAIProvider):
            ...     PROVIDER_NAME = "my-server"
            ...     DEFAULT_BASE_URL = "http://127.0.0.1:9000/v1"
            ...     REQUIRES_API_KEY = False
            >>> factory = LLMFactory()
            >>> factory.register("my-server", MyServer, aliases=("mine",))
            >>> factory.canonical_name("MINE"), factory.provider_class("mine") is MyServer
            ('my-server', True)
        """
        canonical = name.strip().lower()
        self._sources[canonical] = provider_class
        self._compatible.pop(canonical, None)
        self._aliases.pop(canonical, None)
        for alias in aliases:
            self._aliases[alias.strip().lower()] = canonical
        self._instances = {key: value for key, value in self._instances.items() if key[0] != canonical}

    def names(self) -> list[str]:
        """Every registered provider name (aliases not included).

        Loads the installed ``codescribe.providers`` entry points first, so plugins are listed too.

        Returns:
            The canonical names, sorted: built-in, compatible servers, registered and plugins.

        Examples:
            >>> names = LLMFactory().names()
            >>> "anthropic" in names, "ollama" in names, "claude" in names
            (True, True, False)
        """
        self._load_entry_points()
        return sorted({*self._sources, *self._compatible})

    def aliases(self) -> dict[str, str]:
        """Every alias this factory knows, mapped to its provider's canonical name.

        Returns:
            A new dict mapping alias → canonical name (``{"claude": "anthropic", ...}``); changing
            it does not change the factory.

        Examples:
            >>> aliases = LLMFactory().aliases()
            >>> aliases["claude"], aliases["azure"], aliases["local"]
            ('anthropic', 'azure-openai', 'openai-compatible')
        """
        return dict(self._aliases)

    def canonical_name(self, name: str, *, strict: bool = True) -> str:
        """The registered name ``name`` (a name or an alias, any case) stands for.

        Args:
            name: a provider name or alias (``claude``, ``gpt`` ...), any case, surrounding spaces ignored.
            strict: raise for an unknown name; with ``False``, return it lower-cased.

        Returns:
            The canonical, lower-case provider name.

        Raises:
            LLMError: ``name`` is unknown and ``strict`` (``VALIDATION``; the message suggests the
                closest known name and lists them all).

        Examples:
            >>> factory = LLMFactory()
            >>> factory.canonical_name(" GPT "), factory.canonical_name("llama.cpp")
            ('openai', 'llamacpp')
            >>> factory.canonical_name("Mistral", strict=False)
            'mistral'
            >>> factory.canonical_name("antropic")  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            codescribe.llm.errors.LLMError: [antropic] VALIDATION: Unknown provider ... Did you mean 'anthropic'? ...
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

        A built-in provider's module is imported here, on first use; a compatible server's class is
        made from its row (:func:`~codescribe.llm.providers.compatible.provider_class`); an entry
        point is loaded.

        Args:
            name: a provider name or alias, any case.

        Returns:
            The :class:`~codescribe.llm.providers.base.LLMProvider` subclass (the class, not an instance).

        Raises:
            LLMError: no provider of that name, or what it names is not an ``LLMProvider`` subclass
                (``VALIDATION``; the message lists the known ones). Whatever loading a plugin's entry
                point raises (an ``ImportError``, say) propagates unchanged.

        Examples:
            >>> LLMFactory().provider_class("azure").__name__
            'AzureOpenAIProvider'
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

    def create(self, config: LLMConfig, *, env: Mapping[str, str] | None = None) -> LLMProvider:
        """The provider for ``config``, reusing an instance built from an equal config.

        The provider name is resolved (aliases, any case); a missing key and missing provider
        options (Azure's endpoint ...) are read from ``env`` (``LLM_API_KEY`` when it belongs to
        this provider, then its own variables, ``ANTHROPIC_API_KEY`` ...), here and nowhere else:
        providers read only their config. The instance is keyed on every setting (the key by its
        fingerprint). Thread-safe.

        Args:
            config: what to build (see :class:`~codescribe.llm.config.LLMConfig`).
            env: the variables to read; ``None``: the process's environment (``os.environ``).

        Returns:
            The provider: a new instance, or the one built before for an equal config.

        Raises:
            LLMError: the provider is unknown, the model or base URL it needs is missing, Azure's
                endpoint is missing, or ``LLM_PRICES_FILE`` cannot be read (``VALIDATION``); no key
                where the provider needs one (``AUTH``).

        Examples:
            >>> factory = LLMFactory()
            >>> provider = factory.create(LLMConfig(provider="llama.cpp", model="qwen3-8b"))
            >>> provider
            <LlamacppProvider llamacpp:qwen3-8b>
            >>> factory.create(LLMConfig(provider="llamacpp", model="qwen3-8b")) is provider
            True
        """
        provider_class = self.provider_class(config.provider)
        name = self.canonical_name(config.provider)
        api_key, options = self._credentials(provider_class, config.provider, env)
        key_config = config.replace(
            provider=name, api_key=config.api_key or api_key, options={**options, **config.options}
        )
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
        with self._lock:  # one instance per configuration, even when threads ask at once
            if cache_key not in self._instances:
                self._instances[cache_key] = provider_class(key_config)
            return self._instances[cache_key]

    def create_from_env(self, env: Mapping[str, str] | None = None, **overrides: Any) -> LLMProvider:
        """The provider that the ``LLM_*`` environment (and ``overrides``) describe.

        Equivalent to ``create(config_from_env(env, **overrides))``.

        Args:
            env: the variables to read the config from; ``None``: the process's environment. A key
                still missing when the provider is built is looked up in the process's environment.
            overrides: ``LLMConfig`` fields that win over the environment; ``None`` values are ignored.

        Returns:
            The provider, shared with other callers of an equal config (see :meth:`create`).

        Raises:
            LLMError: a variable or override that cannot be used, or a provider that cannot be built
                (as in :meth:`config_from_env` and :meth:`create`).

        Examples:
            >>> LLMFactory().create_from_env({"LLM_PROVIDER": "ollama", "LLM_MODEL": "llama3.2"})
            <OllamaProvider ollama:llama3.2>
        """
        return self.create(self.config_from_env(env, **overrides), env=env)

    def config_from_env(self, env: Mapping[str, str] | None = None, **overrides: Any) -> LLMConfig:
        """The config the environment describes, ``overrides`` (``LLMConfig`` fields) winning over it.

        Resolution, for every setting: the override → the ``LLM_*`` variable → the provider's own
        variable (``ANTHROPIC_API_KEY``, ``AZURE_OPENAI_ENDPOINT`` ...) → the default.
        ``LLM_API_KEY``, ``LLM_MODEL`` and ``LLM_BASE_URL`` belong to the provider ``LLM_PROVIDER``
        names (under any of its aliases in this factory): a request for another provider uses that
        provider's own variables.

        Args:
            env: the variables to read; ``None``: the process's environment (``os.environ``).
            overrides: ``LLMConfig`` fields; ``None`` values are ignored.

        Returns:
            The :class:`~codescribe.llm.config.LLMConfig`. Its ``provider`` is the name as given (an
            alias is not resolved here) and, for a known provider, ``options`` holds its ``ENV_OPTIONS``
            variables. An unknown provider name is not an error yet: :meth:`create` reports it.

        Raises:
            LLMError: a variable that cannot be used (named, with a valid value), or an override
                out of range (``VALIDATION``).
            TypeError: an override that is not an ``LLMConfig`` field.

        Examples:
            >>> factory = LLMFactory()
            >>> env = {"LLM_PROVIDER": "gpt", "LLM_API_KEY": "sk-demo-key", "LLM_MODEL": "gpt-4o"}
            >>> config = factory.config_from_env(env, max_tokens=2000)
            >>> config.provider, config.model, config.api_key, config.max_tokens
            ('gpt', 'gpt-4o', 'sk-demo-key', 2000)
            >>> other = factory.config_from_env(env, provider="anthropic")  # LLM_MODEL, LLM_API_KEY are gpt's
            >>> other.model, other.api_key
            (None, None)
        """
        env_provider = configured_provider(env)
        values: dict[str, Any] = {"provider": env_provider or DEFAULT_PROVIDER, **env_settings(env)}
        requested = str(overrides.get("provider") or values["provider"]).lower()
        if env_provider and not self._same(requested, env_provider):
            # another provider than LLM_PROVIDER: its model and base URL are not ours either
            values.pop("model", None)
            values.pop("base_url", None)
        values.update({key: value for key, value in overrides.items() if value is not None})
        provider_class = self._known_class(str(values["provider"]))
        if provider_class is not None:
            api_key, options = self._credentials(provider_class, str(values["provider"]), env)
            values["api_key"] = values.get("api_key") or api_key
            values["options"] = {**options, **(values.get("options") or {})}
        return LLMConfig(**values)

    def _credentials(
        self, provider_class: type[LLMProvider], requested: str, env: Mapping[str, str] | None
    ) -> tuple[str | None, dict[str, str]]:
        """The key and the provider options (``ENV_OPTIONS``) that ``env`` holds for a provider.

        ``LLM_API_KEY`` counts when ``LLM_PROVIDER`` is unset or names the same provider (under
        any alias this factory knows); then the provider's own key variables, in order.
        """
        env_provider = configured_provider(env)
        ours = not env_provider or self._same(requested, env_provider)
        api_key = (env_value(ENV.API_KEY, env) if ours else None) or find_api_key(
            LLMConfig(), provider_class.ENV_API_KEY_NAMES, env
        )
        options = {
            option: value
            for option, variable in provider_class.ENV_OPTIONS.items()
            if (value := env_value(variable, env))
        }
        return api_key, options

    def _same(self, a: str, b: str) -> bool:
        return self.canonical_name(a, strict=False) == self.canonical_name(b, strict=False)

    def _known_class(self, name: str) -> type[LLMProvider] | None:
        """The provider class of ``name``, or None (an unknown name is reported when it is created)."""
        try:
            return self.provider_class(name)
        except LLMError:
            return None

    def clear(self) -> None:
        """Forget the reused instances (their clients close when collected).

        Registrations are kept; the next :meth:`create` builds a new instance.

        Examples:
            >>> factory = LLMFactory()
            >>> first = factory.create(LLMConfig(provider="ollama", model="llama3.2"))
            >>> factory.clear()
            >>> factory.create(LLMConfig(provider="ollama", model="llama3.2")) is first
            False
        """
        with self._lock:
            self._instances.clear()

    def _load_entry_points(self) -> None:
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        from importlib.metadata import entry_points  # scans every installed package: only when a name is unknown

        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            self._sources.setdefault(entry_point.name.lower(), entry_point)


#: The factory the module-level functions use (and CodeScribe's own surfaces).
default_factory = LLMFactory()


def create_provider(config: LLMConfig) -> LLMProvider:
    """Create (or reuse) the provider that ``config`` describes, in the default factory.

    See :meth:`LLMFactory.create`.

    Args:
        config: what to build: the provider's name or alias, model, key, settings.

    Returns:
        The provider, shared with other callers of an equal config.

    Raises:
        LLMError: the provider is unknown, or a model, base URL or endpoint it needs is missing
            (``VALIDATION``); no key where the provider needs one (``AUTH``).

    Examples:
        >>> provider = create_provider(LLMConfig(provider="lmstudio", model="qwen3-8b"))
        >>> provider.provider_name, provider.base_url
        ('lmstudio', 'http://127.0.0.1:1234/v1')
    """
    return default_factory.create(config)


def config_from_env(env: Mapping[str, str] | None = None, **overrides: Any) -> LLMConfig:
    """The config the ``LLM_*`` environment describes, in the default factory.

    See :meth:`LLMFactory.config_from_env` for the resolution order.

    Args:
        env: the variables to read; ``None``: the process's environment (``os.environ``).
        overrides: ``LLMConfig`` fields that win over the environment; ``None`` values are ignored.

    Returns:
        The :class:`~codescribe.llm.config.LLMConfig` (its ``provider`` as given, alias unresolved).

    Raises:
        LLMError: a variable that cannot be used, or an override out of range (``VALIDATION``).
        TypeError: an override that is not an ``LLMConfig`` field.

    Examples:
        >>> config = config_from_env({"LLM_PROVIDER": "vllm", "LLM_MODEL": "qwen3-8b", "LLM_TIMEOUT": "90s"})
        >>> config.provider, config.model, config.timeout
        ('vllm', 'qwen3-8b', 90.0)
    """
    return default_factory.config_from_env(env, **overrides)


def create_provider_from_env(env: Mapping[str, str] | None = None, **overrides: Any) -> LLMProvider:
    """Create (or reuse) the provider that ``LLM_PROVIDER``, ``LLM_MODEL`` ... describe, in the default factory.

    See :meth:`LLMFactory.create_from_env`.

    Args:
        env: the variables to read; ``None``: the process's environment (``os.environ``).
        overrides: ``LLMConfig`` fields that win over the environment; ``None`` values are ignored.

    Returns:
        The provider, shared with other callers of an equal config.

    Raises:
        LLMError: a variable or override that cannot be used, an unknown provider or a missing
            model, base URL or endpoint (``VALIDATION``); no key where one is needed (``AUTH``).

    Examples:
        >>> create_provider_from_env({"LLM_PROVIDER": "ollama", "LLM_MODEL": "llama3.2"})
        <OllamaProvider ollama:llama3.2>

        With the process's environment (``LLM_PROVIDER=anthropic`` and ``ANTHROPIC_API_KEY`` set),
        a call goes over the network::

            provider = create_provider_from_env(max_tokens=1000)
            print(provider.generate("Explain Python's GIL in one sentence.").text)
    """
    return default_factory.create_from_env(env, **overrides)


def register(name: str, provider_class: type[LLMProvider], *, aliases: tuple[str, ...] = ()) -> None:
    """Register a provider class under ``name`` in the default factory.

    See :meth:`LLMFactory.register`. A distribution can instead declare an entry point in the
    ``codescribe.providers`` group (see the module docstring), found without this call.

    Args:
        name: the provider's name, any case.
        provider_class: the :class:`~codescribe.llm.providers.base.LLMProvider` subclass to build.
        aliases: other names that stand for ``name``.

    Examples:
        This changes the process-wide default factory, so it is shown, not run::

            from codescribe.llm import LLMConfig, create_provider, register
            from codescribe.llm.providers.openai import OpenAIProvider

            class MyServer(OpenAIProvider):
                PROVIDER_NAME = "my-server"
                DEFAULT_BASE_URL = "http://127.0.0.1:9000/v1"
                REQUIRES_API_KEY = False

            register("my-server", MyServer, aliases=("mine",))
            provider = create_provider(LLMConfig(provider="mine", model="qwen3-8b"))
    """
    default_factory.register(name, provider_class, aliases=aliases)


def canonical_name(name: str, *, strict: bool = True) -> str:
    """The registered name ``name`` stands for, in the default factory.

    See :meth:`LLMFactory.canonical_name`.

    Args:
        name: a provider name or alias, any case.
        strict: raise for an unknown name; with ``False``, return it lower-cased.

    Returns:
        The canonical, lower-case provider name.

    Raises:
        LLMError: ``name`` is unknown and ``strict`` (``VALIDATION``).

    Examples:
        >>> canonical_name("Claude"), canonical_name("lm-studio")
        ('anthropic', 'lmstudio')
    """
    return default_factory.canonical_name(name, strict=strict)


def available_providers() -> list[str]:
    """The names of every provider the default factory knows, built-in and registered, sorted.

    Returns:
        A sorted list of canonical names (aliases not included), entry-point plugins included.

    Examples:
        >>> {"anthropic", "openai", "azure-openai", "ollama"} <= set(available_providers())
        True
    """
    return default_factory.names()


def key_status(name: str, env: Mapping[str, str] | None = None) -> tuple[str, tuple[str, ...]]:
    """Whether a provider's key is set, and the variables it is read from (never the key itself).

    Args:
        name: a provider's canonical name.
        env: the variables to read; ``None``: the process's environment.

    Returns:
        ``("set" | "missing" | "not needed", variables)``: ``LLM_API_KEY`` counts for the provider
        ``LLM_PROVIDER`` names, then the provider's own variables.

    Raises:
        LLMError: ``name`` is not a provider the default factory knows.

    Examples:
        >>> key_status("openai", {"OPENAI_API_KEY": "not-a-real-key"})
        ('set', ('OPENAI_API_KEY',))
        >>> key_status("ollama", {})[0]
        'not needed'
    """
    provider_class = default_factory.provider_class(name)
    configured = default_factory.canonical_name(configured_provider(env) or DEFAULT_PROVIDER, strict=False)
    names = (("LLM_API_KEY",) if name == configured else ()) + provider_class.ENV_API_KEY_NAMES
    if not provider_class.REQUIRES_API_KEY:
        return "not needed", names
    return ("set" if any(env_value(variable, env) for variable in names) else "missing"), names
