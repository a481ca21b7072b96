"""The provider base class: one interface, sync and async, over every LLM API.

A provider is declarative (class constants) plus four small hooks that make one SDK call
and read the result into a :class:`RawCompletion`. The base class owns everything that is
the same for all providers: the request, error translation, retries, timing, streaming
callbacks and cost accounting.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import ipaddress
import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from functools import cached_property
from time import perf_counter
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import urlsplit

from ...progress import get_logger, printable
from ..config import CONNECT_TIMEOUT, LLMConfig
from ..deadline import DeadlinePassed, OpenAnswers, overdue, run_within
from ..errors import ErrorType, LLMError, from_sdk_error
from ..pricing import ModelPrice, PriceTable, default_price_table
from ..retry import RetryPolicy
from ..stops import Stop, stop_kind
from ..tokens import estimate_tokens
from ..types import Capabilities, Generation, GenerationMetadata, OnChunk, RawCompletion

log = get_logger("codescribe.llm")
#: More tokens than any one call can use (the largest context windows hold about 10 million): a count
#: above it is no count, and its cost is unknown.
MAX_PLAUSIBLE_TOKENS = 100_000_000


if TYPE_CHECKING:
    import asyncio

__all__ = [
    "MAX_PLAUSIBLE_TOKENS",
    "UNREADABLE",
    "AttemptLimiter",
    "LLMProvider",
    "Request",
    "on_this_network",
    "read_usage",
]

#: Entered around every attempt of an async call, retries included (``async with limiter:``), and
#: told how it ended: a semaphore for the calls in flight, a rate limiter, or both (see
#: :class:`codescribe.evals.limits.SystemLimiter`). Its ``__aexit__`` sees the attempt's
#: :class:`LLMError`, if any.
AttemptLimiter = AbstractAsyncContextManager[Any]

Emit = Callable[[str], None]
AsyncEmit = Callable[[str], Awaitable[None]]

_FREE = ModelPrice(input=0.0, output=0.0, cache_write=0.0, cache_read=0.0)
#: Name endings of hosts on a private network (RFC 6762 ``.local``, RFC 8375 ``.home.arpa``, and common ones).
_PRIVATE_SUFFIXES = (".local", ".lan", ".internal", ".home.arpa", ".localhost")


def on_this_network(url: str | None) -> bool:
    """Whether a server's address is this machine or a private network: a local server's calls cost
    nothing there, while the same protocol at a public address (a hosted endpoint) may be billed.

    Args:
        url: the server's base URL; ``None`` for none.

    Returns:
        ``True`` for a loopback, private or link-local IP address, ``localhost``, a host name without
        a dot (a container's service name, such as ``ollama``) or one ending in a private suffix
        (``.local``, ``.lan``, ``.internal``, ``.home.arpa``); ``False`` otherwise, or without a URL.

    Examples:
        >>> on_this_network("http://127.0.0.1:8080/v1"), on_this_network("http://ollama:11434/v1")
        (True, True)
        >>> on_this_network("https://openrouter.ai/api/v1"), on_this_network(None)
        (False, False)
    """
    host = urlsplit(url).hostname if url else None
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or "." not in host or host.endswith(_PRIVATE_SUFFIXES)
    return address.is_loopback or address.is_private or address.is_link_local


@dataclass(frozen=True, slots=True)
class Request:
    """One generation request, provider-neutral: the public methods' options, defaults applied.

    Attributes:
        prompt: the user message (never empty).
        system_prompt: the system prompt, or ``None`` for none.
        caching: whether to mark the request for prompt caching (Anthropic's ``cache_control``).
        cache_user_message: whether to mark the user message too, not only the system prompt.
        max_tokens: the most tokens to generate.
        temperature: the sampling temperature, or ``None`` to send none (the server's default).
    """

    prompt: str
    system_prompt: str | None
    caching: bool
    cache_user_message: bool
    max_tokens: int
    temperature: float | None


class _ChunkRelay:
    """Hands chunks to the caller's callback and remembers when the first one came, and
    whether the callback itself failed (the caller's error, not ours to translate or retry)."""

    __slots__ = ("abandoned", "callback_error", "callback_is_async", "first_chunk_at", "on_chunk")

    def __init__(self, on_chunk: OnChunk | None) -> None:
        self.on_chunk = on_chunk
        self.callback_is_async = on_chunk is not None and inspect.iscoroutinefunction(on_chunk)
        self.first_chunk_at: float | None = None
        self.callback_error: BaseException | None = None
        #: The worker threads of sync attempts past their deadline: their text no longer reaches the caller.
        self.abandoned: set[threading.Thread] = set()

    def emit(self, text: str) -> None:
        if threading.current_thread() in self.abandoned:
            raise DeadlinePassed  # ends the abandoned attempt's stream (and closes its connection)
        if self.first_chunk_at is None:
            self.first_chunk_at = perf_counter()
        if self.on_chunk is not None:
            try:
                self.on_chunk(text)
            except BaseException as exc:
                self.callback_error = exc
                raise

    async def aemit(self, text: str) -> None:
        if self.first_chunk_at is None:
            self.first_chunk_at = perf_counter()
        if self.on_chunk is not None:
            try:
                result = self.on_chunk(text)
                if self.callback_is_async:
                    await result  # type: ignore[misc]
            except BaseException as exc:
                self.callback_error = exc
                raise


class LLMProvider(ABC):
    """Base class of every provider. Subclasses set the constants and implement the hooks.

    The constants say what the provider is (its name, key variables, default model and base URL,
    SDK and its client classes, :class:`~codescribe.llm.types.Capabilities`); the hooks make one SDK
    call each: ``_complete``, ``_stream``, ``_acomplete`` and ``_astream`` (streaming providers
    implement ``_fold`` and use ``_drain`` / ``_adrain``); a provider over another kind of SDK
    overrides ``_make_client`` too. This class turns them into
    :meth:`generate`, :meth:`generate_with_streaming` and their async twins, with validation,
    error translation (:class:`~codescribe.llm.errors.LLMError`), retries, timing and cost.
    Build providers with :func:`~codescribe.llm.factory.create_provider` rather than directly: the
    factory resolves names and shares instances.

    Examples:
        >>> from codescribe.llm import LLMConfig, create_provider
        >>> provider = create_provider(LLMConfig(provider="ollama", model="llama3.2"))
        >>> provider
        <OllamaProvider ollama:llama3.2>
        >>> provider.model, provider.base_url
        ('llama3.2', 'http://127.0.0.1:11434/v1')
    """

    PROVIDER_NAME: ClassVar[str]
    #: The provider's own key variables, tried in order after ``LLM_API_KEY``.
    ENV_API_KEY_NAMES: ClassVar[tuple[str, ...]] = ()
    #: Provider-specific settings read from the environment into ``LLMConfig.options``:
    #: option name → variable (Azure's ``endpoint`` → ``AZURE_OPENAI_ENDPOINT`` ...).
    ENV_OPTIONS: ClassVar[Mapping[str, str]] = {}
    DEFAULT_MODEL: ClassVar[str | None] = None
    DEFAULT_BASE_URL: ClassVar[str | None] = None
    REQUIRES_API_KEY: ClassVar[bool] = True
    #: Generic "compatible" providers have no URL of their own: the user must give one.
    REQUIRES_BASE_URL: ClassVar[bool] = False
    #: Local servers bill nothing: their cost is a true zero.
    LOCAL: ClassVar[bool] = False
    #: Whether the server's input token count includes cache reads (OpenAI: yes).
    INPUT_INCLUDES_CACHED: ClassVar[bool] = False
    #: The SDK module, and the extra of the distribution that brings it.
    SDK_MODULE: ClassVar[str] = ""
    SDK_EXTRA: ClassVar[str] = ""
    #: The SDK's client classes, sync then async (``("OpenAI", "AsyncOpenAI")``).
    CLIENT_CLASSES: ClassVar[tuple[str, str]] = ("", "")
    #: The response header that carries the server's request id.
    REQUEST_ID_HEADER: ClassVar[str] = ""
    CAPABILITIES: ClassVar[Capabilities] = Capabilities()

    def __init__(
        self,
        config: LLMConfig,
        *,
        prices: PriceTable | None = None,
        http_client: Any = None,
        async_http_client: Any = None,
    ) -> None:
        """Build the provider; its SDK is imported at its first call.

        Args:
            config: what to call and how (see :class:`~codescribe.llm.config.LLMConfig`).
            prices: the price table; default: the bundled one, with ``LLM_PRICES_FILE`` over it.
            http_client: the HTTP client the SDK's sync client sends with (the SDK's own type),
                e.g. one with a mock transport in tests; default: the SDK's.
            async_http_client: the same for the async client.

        Raises:
            LLMError: no model, or no base URL where the provider needs one (``VALIDATION``); no
                key where the provider needs one (``AUTH``); the message names the setting to add.
                Also ``VALIDATION`` when ``prices`` is ``None`` and ``LLM_PRICES_FILE`` cannot be read.
            TypeError: the class (a plugin's) says neither which SDK client to build (``SDK_MODULE`` and
                ``CLIENT_CLASSES``) nor how (``_make_client``).
        """
        if type(self)._make_client is LLMProvider._make_client and not (self.SDK_MODULE and all(self.CLIENT_CLASSES)):
            raise TypeError(
                f"{type(self).__name__} cannot build its SDK client: set SDK_MODULE and CLIENT_CLASSES (the SDK's "
                'sync and async client classes, e.g. ("OpenAI", "AsyncOpenAI")), or override _make_client.'
            )
        self.config = config
        self._http_clients = {False: http_client, True: async_http_client}
        #: The answers sync attempts are reading: a deadline closes its attempt's (and so its connection).
        self._answers = OpenAnswers()
        self.provider_name = self.PROVIDER_NAME
        model = config.model or self.DEFAULT_MODEL
        if not model:
            raise LLMError(
                f"The {self.PROVIDER_NAME} provider has no default model: set LLM_MODEL "
                f"(or LLMConfig.model) to a model the server serves.",
                error_type=ErrorType.VALIDATION,
                provider=self.PROVIDER_NAME,
                operation="configure",
            )
        self.model: str = model
        self.base_url = config.base_url or self.DEFAULT_BASE_URL
        if self.REQUIRES_BASE_URL and not self.base_url:
            raise LLMError(
                f"The {self.PROVIDER_NAME} provider needs the server's address: set LLM_BASE_URL "
                f"(e.g. http://127.0.0.1:8080/v1) or LLMConfig(base_url=...).",
                error_type=ErrorType.VALIDATION,
                provider=self.PROVIDER_NAME,
                operation="configure",
            )
        self._api_key = config.api_key  # the factory reads the environment; a provider reads its config only
        if self.REQUIRES_API_KEY and not self._api_key:
            names = " or ".join(("LLM_API_KEY", *self.ENV_API_KEY_NAMES))
            raise LLMError(
                f"No API key for {self.PROVIDER_NAME}: set {names} (read by create_provider and "
                "create_provider_from_env), or pass LLMConfig(api_key=...).",
                error_type=ErrorType.AUTH,
                provider=self.PROVIDER_NAME,
                operation="configure",
            )
        self.retry_policy = RetryPolicy(max_retries=config.max_retries)
        self._async_client: Any = None
        self._async_loop: asyncio.AbstractEventLoop | None = None
        self._async_calls = 0  # in flight now: the factory shares a provider among its users
        self._prices = prices or default_price_table()

    # -- what a provider is -------------------------------------------------------------

    @property
    def capabilities(self) -> Capabilities:
        """What this provider can do (streaming, caching mode, context size), as its class declares.

        Returns:
            The class's :class:`~codescribe.llm.types.Capabilities` (``CAPABILITIES``).

        Examples:
            >>> from codescribe.llm import LLMConfig, create_provider
            >>> provider = create_provider(LLMConfig(provider="anthropic", api_key="not-a-real-key"))
            >>> provider.capabilities.caching, provider.capabilities.max_context_tokens
            ('explicit', 200000)
        """
        return self.CAPABILITIES

    def supports_streaming(self) -> bool:
        """Whether :meth:`generate_with_streaming` streams (rather than delivering the text at once).

        Returns:
            ``Capabilities.streaming`` of the class (``True`` for every built-in provider).

        Examples:
            >>> from codescribe.llm import LLMConfig, create_provider
            >>> create_provider(LLMConfig(provider="ollama", model="llama3.2")).supports_streaming()
            True
        """
        return self.CAPABILITIES.streaming

    def supports_caching(self) -> bool:
        """Whether the provider caches prompt prefixes (explicitly, as Claude, or automatically).

        Returns:
            ``True`` unless ``Capabilities.caching`` is ``"none"``.

        Examples:
            >>> from codescribe.llm import LLMConfig, create_provider
            >>> create_provider(LLMConfig(provider="anthropic", api_key="not-a-real-key")).supports_caching()
            True
            >>> create_provider(LLMConfig(provider="lmstudio", model="qwen3-8b")).supports_caching()
            False
        """
        return self.CAPABILITIES.caching != "none"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.provider_name}:{self.model}>"

    # -- the hooks a provider implements ---------------------------------------------------

    def _make_client(self, asynchronous: bool) -> Any:
        """Build the SDK client (one of :attr:`CLIENT_CLASSES`), with ``max_retries=0``: retries are ours.

        Its timeout is ``config.timeout`` for each wait, at most :data:`~codescribe.llm.config.CONNECT_TIMEOUT`
        to connect (the SDK's public ``Timeout``; the whole attempt is bounded apart, see
        :mod:`codescribe.llm.deadline`), and its ``http_client`` the constructor's, if one was given.
        """
        sdk = self._import_sdk()
        client_class = getattr(sdk, self.CLIENT_CLASSES[asynchronous])
        http_client = self._http_clients[asynchronous]
        return client_class(
            **self._endpoint(),
            timeout=sdk.Timeout(self.config.timeout, connect=min(CONNECT_TIMEOUT, self.config.timeout)),
            max_retries=0,
            **({} if http_client is None else {"http_client": http_client}),
        )

    def _endpoint(self) -> dict[str, Any]:
        """The SDK client's address and key."""
        return {"api_key": self._api_key or "not-needed", "base_url": self.base_url}

    @abstractmethod
    def _complete(self, request: Request) -> RawCompletion: ...

    @abstractmethod
    def _stream(self, request: Request, emit: Emit) -> RawCompletion: ...

    @abstractmethod
    async def _acomplete(self, request: Request) -> RawCompletion: ...

    @abstractmethod
    async def _astream(self, request: Request, emit: AsyncEmit) -> RawCompletion: ...

    def _fold(self, raw: RawCompletion, event: Any) -> str | None:
        """Fold one stream event of the SDK's into ``raw``; return its text, if any (streaming providers)."""
        raise NotImplementedError

    def _read_held(self, opening: Any, read: Callable[[Any], RawCompletion]) -> RawCompletion:
        """Read a non-streamed answer that the SDK opens lazily (``with_streaming_response``), held where a
        deadline can close it (:class:`~codescribe.llm.deadline.OpenAnswers`): a server that sends its body a
        byte at a time ends with the attempt, not minutes later.

        Args:
            opening: the SDK's context manager; entering it sends the request and reads the headers.
            read: what reads the answer (its body) from the SDK's response.

        Returns:
            What ``read`` returned.
        """
        with opening as response:
            self._answers.hold(response)
            try:
                return read(response)
            finally:
                self._answers.release()

    def _started(self, response: Any) -> RawCompletion:
        """The answer a stream's events are folded into, with the request id of its headers, once the
        response is an event stream (:meth:`_check_kind`)."""
        self._check_kind(response, stream=True)
        request_id = response.headers.get(self.REQUEST_ID_HEADER)
        return RawCompletion(text="", model=self.model, counted=False, request_id=request_id)

    def _drain(self, stream: Any, emit: Emit) -> RawCompletion:
        """Read the SDK's stream to its end through :meth:`_fold`, handing each text to ``emit``.

        A failure part way (an error event, a dropped connection) is raised as an :class:`LLMError`
        that keeps what the stream had reported and delivered (:meth:`_broken`); the callback's own
        exceptions pass unchanged.
        """
        if _is_json(stream.response):  # an error object where a stream should be (a proxy's 200)
            with stream:
                self._raise_error_body(stream.response, stream.response.read())
        raw = self._started(stream.response)
        parts: list[str] = []
        in_callback = False
        self._answers.hold(stream)
        try:
            with stream:
                for event in stream:
                    if text := self._fold(raw, event):
                        parts.append(text)
                        in_callback = True
                        emit(text)
                        in_callback = False
        except Exception as exc:
            if in_callback:
                raise
            raise self._broken(exc, raw, parts) from exc
        finally:
            self._answers.release()
        return self._ended(raw, parts)

    async def _adrain(self, stream: Any, emit: AsyncEmit) -> RawCompletion:
        """The async twin of :meth:`_drain`."""
        if _is_json(stream.response):
            async with stream:
                self._raise_error_body(stream.response, await stream.response.aread())
        raw = self._started(stream.response)
        parts: list[str] = []
        in_callback = False
        try:
            async with stream:
                async for event in stream:
                    if text := self._fold(raw, event):
                        parts.append(text)
                        in_callback = True
                        await emit(text)
                        in_callback = False
        except Exception as exc:
            if in_callback:
                raise
            raise self._broken(exc, raw, parts) from exc
        return self._ended(raw, parts)

    def _broken(self, exc: BaseException, raw: RawCompletion, parts: list[str]) -> LLMError:
        """The :class:`LLMError` for a stream that failed part way, with what it had used (see :meth:`_used`)."""
        error = from_sdk_error(exc, provider=self.provider_name, operation="stream", secrets=(self._api_key,))
        raw.text = "".join(parts)
        error.metadata = self._used(raw)
        error.request_id = error.request_id or raw.request_id
        return error

    def _ended(self, raw: RawCompletion, parts: list[str]) -> RawCompletion:
        """``raw`` with the stream's text (``parts`` joined), if its stream reached its final event (which
        carries the finish reason).

        Raises:
            LLMError: the stream closed before it (``NETWORK``): the text is cut short. Retried
                like a dropped connection, unless text had already reached the caller; its
                ``metadata`` holds what the stream had used (:meth:`_used`).
        """
        raw.text = "".join(parts)
        if raw.finish_reason is None:
            error = LLMError(
                "stream failed: the stream ended before its final event; the answer is incomplete. "
                "Try again; if it keeps happening, check the server or any proxy in between.",
                error_type=ErrorType.NETWORK,
                provider=self.provider_name,
                operation="stream",
                request_id=raw.request_id,
            )
            error.metadata = self._used(raw)
            raise error
        return raw

    def _used(self, raw: RawCompletion) -> GenerationMetadata | None:
        """What a stream that failed had used, as far as can be known: ``None`` when it used nothing.

        The tokens are the server's counts so far (Anthropic reports the input in ``message_start``),
        the output at least the delivered text's estimate (:func:`~codescribe.llm.tokens.estimate_tokens`):
        a provider bills the text it sent, though its final count never came. Priced like an answer.
        """
        output = max(raw.output_tokens, estimate_tokens(len(raw.text)))
        if not (raw.input_tokens or output or raw.cache_read_tokens or raw.cache_write_tokens):
            return None
        return self._metadata(replace(raw, output_tokens=output), latency_ms=0.0, ttft_ms=None, retries=0)

    @cached_property
    def client(self) -> Any:
        """The SDK's synchronous client, built (and the SDK imported) at first use, then kept.

        It is built with ``max_retries=0`` (retries are this class's), the config's timeout, and
        the ``http_client`` given to the constructor, if any.

        Returns:
            The SDK client: ``anthropic.Anthropic``, ``openai.OpenAI`` or ``openai.AzureOpenAI``.

        Raises:
            LLMError: the provider's SDK is not installed (``VALIDATION``; the message gives the
                ``pip install`` command).

        Examples:
            >>> from codescribe.llm import LLMConfig, create_provider
            >>> type(create_provider(LLMConfig(provider="ollama", model="llama3.2")).client).__name__
            'OpenAI'
        """
        return self._make_client(False)

    @property
    def async_client(self) -> Any:
        """The async SDK client of the running event loop.

        A client's connections belong to the loop that opened them, so a new loop gets a new
        client. Close it with :meth:`aclose` (or ``async with provider:``) before that loop ends:
        CodeScribe's own surfaces do, at the end of every ``asyncio.run``.

        Returns:
            The SDK's async client (``anthropic.AsyncAnthropic``, ``openai.AsyncOpenAI`` or
            ``openai.AsyncAzureOpenAI``), built with ``max_retries=0``.

        Raises:
            RuntimeError: no event loop is running (``asyncio.get_running_loop``).
            LLMError: the provider's SDK is not installed (``VALIDATION``).

        Examples:
            >>> import asyncio
            >>> from codescribe.llm import LLMConfig, create_provider
            >>> async def client_type():
            ...     async with create_provider(LLMConfig(provider="ollama", model="llama3.2")) as provider:
            ...         return type(provider.async_client).__name__
            >>> asyncio.run(client_type())
            'AsyncOpenAI'
        """
        import asyncio  # only async callers pay for it

        loop = asyncio.get_running_loop()
        if self._async_loop is not loop:
            # A client left open by an earlier loop cannot be closed from this one: it is dropped.
            self._async_client = self._make_client(True)
            self._async_loop = loop
        return self._async_client

    async def aclose(self) -> None:
        """Close the async client of the running event loop, if it has one and no call of another
        user of this (shared) provider is in flight on it; a no-op otherwise (the last one closes it).

        ``async with provider:`` calls it on the way out. A later async call opens a new client.

        Examples:
            >>> import asyncio
            >>> from codescribe.llm import LLMConfig, create_provider
            >>> provider = create_provider(LLMConfig(provider="ollama", model="llama3.2"))
            >>> async def reopened():
            ...     client = provider.async_client
            ...     await provider.aclose()
            ...     new_client = provider.async_client is not client  # a new one after closing
            ...     await provider.aclose()
            ...     return new_client
            >>> asyncio.run(reopened())
            True
        """
        import asyncio

        if self._async_calls:
            return
        if self._async_client is not None and self._async_loop is asyncio.get_running_loop():
            client, self._async_client, self._async_loop = self._async_client, None, None
            await client.close()

    async def __aenter__(self) -> LLMProvider:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.aclose()

    def _check_kind(self, response: Any, *, stream: bool) -> None:
        """Raise the SDK's ``APIError`` when an answer's content type is not the API's (a web page, a
        proxy's text): JSON, or for a stream an event stream. A response that names no type is read.

        Args:
            response: the HTTP response (``httpx.Response``, or the SDK's raw response: both have ``headers``).
            stream: whether a stream was asked for.
        """
        kind = str(response.headers.get("content-type") or "")
        if not kind or "json" in kind.lower() or (stream and "event-stream" in kind.lower()):
            return
        wanted = "an event stream" if stream else "JSON"
        request = getattr(response, "http_request", None) or response.request
        raise self._api_error(request, None, f"the server answered with {kind}, not {wanted}: check the base URL")

    def _raise_error_body(self, response: Any, content: bytes) -> None:
        """Raise the SDK's ``APIError`` for a JSON answer to a stream request, as a non-streamed call would."""
        try:
            body = json.loads(content)
        except ValueError:
            body = None
        fallback = "the server answered a stream request with JSON, not a stream: check the base URL"
        raise self._api_error(response.request, body, fallback)

    def _api_error(self, request: Any, body: object, fallback: str) -> Exception:
        """The SDK's ``APIError`` for an error body a success status carried (``{"error": {...}}``), to be
        raised and translated like any error the SDK raises itself; its message, else ``fallback``."""
        error = body.get("error", body) if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        return cast("Exception", self._import_sdk().APIError(str(message or fallback), request=request, body=body))

    def _import_sdk(self) -> ModuleType:
        try:
            return importlib.import_module(self.SDK_MODULE)
        except ImportError as exc:
            from ...install import install_command

            raise LLMError(
                f"The {self.provider_name} provider needs the {self.SDK_MODULE} SDK: {install_command(self.SDK_EXTRA)}",
                error_type=ErrorType.VALIDATION,
                provider=self.provider_name,
                operation="configure",
                original_error=exc,
            ) from exc

    # -- the public interface --------------------------------------------------------------

    def generate(
        self,
        prompt: str,
        *,
        system_prompt: str | None = None,
        enable_caching: bool | None = None,
        cache_user_message: bool = False,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Generation:
        """Generate text for ``prompt`` and return it with its metadata.

        The first attempt runs bare; a retryable failure is retried by :attr:`retry_policy`.

        Args:
            prompt: the user message; a non-empty string.
            system_prompt: the system prompt (instructions); ``None`` or ``""`` sends none.
            enable_caching: whether to mark the system prompt for prompt caching (Anthropic's
                ``cache_control: {"type": "ephemeral"}``, see Anthropic's "Prompt caching" docs);
                ``None``: ``config.enable_caching``. OpenAI-protocol providers cache automatically
                and ignore it.
            cache_user_message: with caching on, mark the prompt itself too (Anthropic protocol only),
                for a prompt sent again and again.
            max_tokens: the most tokens to generate; ``None`` (or 0): ``config.max_tokens``.
            temperature: the sampling temperature; ``None``: ``config.temperature``, and when that is
                ``None`` too, none is sent (the server's default).

        Returns:
            A :class:`~codescribe.llm.types.Generation`: the text, and its metadata (tokens,
            ``cost_usd`` in USD or ``None`` when the price is unknown, ``latency_ms``, ``ttft_ms``,
            ``retries``, ``request_id``, ``finish_reason``, the raw ``usage``).

        Raises:
            LLMError: ``VALIDATION`` for an empty prompt or a missing SDK; ``CONTENT_FILTER`` when
                the model declined to answer; otherwise the SDK's failure as
                :func:`~codescribe.llm.errors.from_sdk_error` maps it (``AUTH``, ``RATE_LIMIT``,
                ``CONTEXT_LENGTH``, ``TIMEOUT`` ...), raised after up to ``config.max_retries``
                retries for the retryable types (its ``retries`` says how many).

        Examples:
            A call goes over the network (here to Anthropic, with ``ANTHROPIC_API_KEY`` set)::

                from codescribe.llm import LLMConfig, create_provider

                provider = create_provider(LLMConfig(provider="anthropic", max_tokens=500))
                generation = provider.generate(
                    "Write a docstring for: def add(a, b): return a + b",
                    system_prompt="You write concise Google-style docstrings.",
                )
                print(generation.text)
                print(generation.metadata.output_tokens, generation.metadata.cost_usd)
        """
        request = self._request(prompt, system_prompt, enable_caching, cache_user_message, max_tokens, temperature)
        return self._run(self._complete, request, "generate")

    def generate_with_streaming(
        self,
        prompt: str,
        on_chunk: Callable[[str], None] | None = None,
        *,
        system_prompt: str | None = None,
        enable_caching: bool | None = None,
        cache_user_message: bool = False,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Generation:
        """Stream the generation, calling ``on_chunk`` with each piece of text as it arrives.

        Args:
            prompt: the user message; a non-empty string.
            on_chunk: called with each piece of text, in order, as it arrives; ``None``: nothing is
                called (the text is still streamed, and returned whole).
            system_prompt: the system prompt (instructions); ``None`` or ``""`` sends none.
            enable_caching: whether to mark the system prompt for prompt caching (Anthropic's
                ``cache_control: {"type": "ephemeral"}``, see Anthropic's "Prompt caching" docs);
                ``None``: ``config.enable_caching``. OpenAI-protocol providers cache automatically
                and ignore it.
            cache_user_message: with caching on, mark the prompt itself too (Anthropic protocol only),
                for a prompt sent again and again.
            max_tokens: the most tokens to generate; ``None`` (or 0): ``config.max_tokens``.
            temperature: the sampling temperature; ``None``: ``config.temperature``, and when that is
                ``None`` too, none is sent (the server's default).

        Returns:
            A :class:`~codescribe.llm.types.Generation`: the text, and its metadata (tokens,
            ``cost_usd`` in USD or ``None`` when the price is unknown, ``latency_ms``, ``ttft_ms``,
            ``retries``, ``request_id``, ``finish_reason``, the raw ``usage``).
            ``text`` is all the chunks joined; ``ttft_ms`` is the time to the first chunk (``None`` if none came).

        Raises:
            LLMError: ``VALIDATION`` for an empty prompt or a missing SDK; ``CONTENT_FILTER`` when
                the model declined to answer; otherwise the SDK's failure as
                :func:`~codescribe.llm.errors.from_sdk_error` maps it (``AUTH``, ``RATE_LIMIT``,
                ``CONTEXT_LENGTH``, ``TIMEOUT`` ...), raised after up to ``config.max_retries``
                retries for the retryable types (its ``retries`` says how many).
                A stream that closes before its final event is ``NETWORK``; once text has reached
                ``on_chunk`` a failure is not retried (``output_started`` is set on the error).
            Exception: whatever ``on_chunk`` raises propagates unchanged, and is not retried.

        Examples:
            A call goes over the network (the provider that ``LLM_PROVIDER`` and its key name)::

                from codescribe.llm import create_provider_from_env

                provider = create_provider_from_env()
                generation = provider.generate_with_streaming(
                    "Explain Python's list comprehensions.", lambda chunk: print(chunk, end="", flush=True)
                )
                print()
                print(f"first chunk after {generation.metadata.ttft_ms:.0f} ms")
        """
        request = self._request(prompt, system_prompt, enable_caching, cache_user_message, max_tokens, temperature)
        relay = _ChunkRelay(on_chunk)
        return self._run(lambda req: self._stream(req, relay.emit), request, "stream", relay)

    async def agenerate(
        self,
        prompt: str,
        *,
        system_prompt: str | None = None,
        enable_caching: bool | None = None,
        cache_user_message: bool = False,
        max_tokens: int | None = None,
        temperature: float | None = None,
        limiter: AttemptLimiter | None = None,
    ) -> Generation:
        """The async twin of :meth:`generate`; ``limiter`` is entered around every attempt, retries
        included (see :data:`AttemptLimiter`).

        Uses :attr:`async_client`, the running loop's; close it with :meth:`aclose` (or
        ``async with provider:``) before the loop ends. ``latency_ms`` counts from when the first
        attempt left the limiter, so time queued in it is not latency.

        Args:
            prompt: the user message; a non-empty string.
            system_prompt: the system prompt (instructions); ``None`` or ``""`` sends none.
            enable_caching: whether to mark the system prompt for prompt caching (Anthropic's
                ``cache_control: {"type": "ephemeral"}``, see Anthropic's "Prompt caching" docs);
                ``None``: ``config.enable_caching``. OpenAI-protocol providers cache automatically
                and ignore it.
            cache_user_message: with caching on, mark the prompt itself too (Anthropic protocol only),
                for a prompt sent again and again.
            max_tokens: the most tokens to generate; ``None`` (or 0): ``config.max_tokens``.
            temperature: the sampling temperature; ``None``: ``config.temperature``, and when that is
                ``None`` too, none is sent (the server's default).
            limiter: an async context manager entered around every attempt (a semaphore, a rate
                limiter); ``None``: none.

        Returns:
            A :class:`~codescribe.llm.types.Generation`: the text, and its metadata (tokens,
            ``cost_usd`` in USD or ``None`` when the price is unknown, ``latency_ms``, ``ttft_ms``,
            ``retries``, ``request_id``, ``finish_reason``, the raw ``usage``).

        Raises:
            LLMError: ``VALIDATION`` for an empty prompt or a missing SDK; ``CONTENT_FILTER`` when
                the model declined to answer; otherwise the SDK's failure as
                :func:`~codescribe.llm.errors.from_sdk_error` maps it (``AUTH``, ``RATE_LIMIT``,
                ``CONTEXT_LENGTH``, ``TIMEOUT`` ...), raised after up to ``config.max_retries``
                retries for the retryable types (its ``retries`` says how many).
            Exception: whatever ``limiter`` raises propagates unchanged.

        Examples:
            Calls go over the network (the provider that ``LLM_PROVIDER`` and its key name)::

                import asyncio

                from codescribe.llm import create_provider_from_env


                async def main() -> None:
                    in_flight = asyncio.Semaphore(4)
                    async with create_provider_from_env() as provider:
                        generations = await asyncio.gather(
                            *(provider.agenerate(f"What is {name} for?", limiter=in_flight) for name in ("os", "sys"))
                        )
                    for generation in generations:
                        print(generation.text)


                asyncio.run(main())
        """
        request = self._request(prompt, system_prompt, enable_caching, cache_user_message, max_tokens, temperature)
        return await self._arun(self._acomplete, request, "generate", None, limiter)

    async def agenerate_with_streaming(
        self,
        prompt: str,
        on_chunk: OnChunk | None = None,
        *,
        system_prompt: str | None = None,
        enable_caching: bool | None = None,
        cache_user_message: bool = False,
        max_tokens: int | None = None,
        temperature: float | None = None,
        limiter: AttemptLimiter | None = None,
    ) -> Generation:
        """The async twin of :meth:`generate_with_streaming`; ``on_chunk`` may be async, and
        ``limiter`` is entered around every attempt, as in :meth:`agenerate`.

        Args:
            prompt: the user message; a non-empty string.
            on_chunk: called with each piece of text, in order, as it arrives: a plain function, or
                a coroutine function, which is awaited; ``None``: nothing is called.
            system_prompt: the system prompt (instructions); ``None`` or ``""`` sends none.
            enable_caching: whether to mark the system prompt for prompt caching (Anthropic's
                ``cache_control: {"type": "ephemeral"}``, see Anthropic's "Prompt caching" docs);
                ``None``: ``config.enable_caching``. OpenAI-protocol providers cache automatically
                and ignore it.
            cache_user_message: with caching on, mark the prompt itself too (Anthropic protocol only),
                for a prompt sent again and again.
            max_tokens: the most tokens to generate; ``None`` (or 0): ``config.max_tokens``.
            temperature: the sampling temperature; ``None``: ``config.temperature``, and when that is
                ``None`` too, none is sent (the server's default).
            limiter: an async context manager entered around every attempt; ``None``: none.

        Returns:
            A :class:`~codescribe.llm.types.Generation`: the text, and its metadata (tokens,
            ``cost_usd`` in USD or ``None`` when the price is unknown, ``latency_ms``, ``ttft_ms``,
            ``retries``, ``request_id``, ``finish_reason``, the raw ``usage``).
            ``text`` is all the chunks joined; ``ttft_ms`` is the time to the first chunk (``None`` if none came).

        Raises:
            LLMError: ``VALIDATION`` for an empty prompt or a missing SDK; ``CONTENT_FILTER`` when
                the model declined to answer; otherwise the SDK's failure as
                :func:`~codescribe.llm.errors.from_sdk_error` maps it (``AUTH``, ``RATE_LIMIT``,
                ``CONTEXT_LENGTH``, ``TIMEOUT`` ...), raised after up to ``config.max_retries``
                retries for the retryable types (its ``retries`` says how many).
                A stream that closes before its final event is ``NETWORK``; once text has reached
                ``on_chunk`` a failure is not retried (``output_started`` is set on the error).
            Exception: whatever ``on_chunk`` raises propagates unchanged, and is not retried.
            Exception: whatever ``limiter`` raises propagates unchanged.

        Examples:
            A call goes over the network (the provider that ``LLM_PROVIDER`` and its key name)::

                import asyncio

                from codescribe.llm import create_provider_from_env


                async def show(chunk: str) -> None:
                    print(chunk, end="", flush=True)


                async def main() -> None:
                    async with create_provider_from_env() as provider:
                        await provider.agenerate_with_streaming("Explain Python decorators.", show)


                asyncio.run(main())
        """
        request = self._request(prompt, system_prompt, enable_caching, cache_user_message, max_tokens, temperature)
        relay = _ChunkRelay(on_chunk)
        return await self._arun(lambda req: self._astream(req, relay.aemit), request, "stream", relay, limiter)

    # -- running a call: bare first, retried by the policy only after a failure --------------

    def _run(
        self,
        hook: Callable[[Request], RawCompletion],
        request: Request,
        operation: str,
        relay: _ChunkRelay | None = None,
    ) -> Generation:
        start = perf_counter()
        used: list[GenerationMetadata] = []  # what failed attempts had used: billed all the same
        _ = self.client  # the SDK is imported and its client built before any deadline runs

        def attempt() -> RawCompletion:
            try:
                return run_within(self.config.timeout, lambda: hook(request))
            except DeadlinePassed as late:
                if late.worker is not None:
                    self._answers.abandon(late.worker)  # its connection closes, and the thread ends
                    if relay is not None:
                        relay.abandoned.add(late.worker)
                raise self._overdue(operation, relay) from None

        try:
            raw, retries = attempt(), 0
        except Exception as exc:

            def again() -> RawCompletion:
                try:
                    return attempt()
                except Exception as retry_exc:
                    raise _counted(self._adapt(retry_exc, operation, relay), used) from retry_exc

            raw, retries = self.retry_policy.run(again, _counted(self._adapt(exc, operation, relay), used))
        raw.max_tokens = request.max_tokens
        return self._finish(raw, start, relay.first_chunk_at if relay else None, retries, used)

    async def _arun(
        self,
        hook: Callable[[Request], Awaitable[RawCompletion]],
        request: Request,
        operation: str,
        relay: _ChunkRelay | None = None,
        limiter: AttemptLimiter | None = None,
    ) -> Generation:
        import asyncio  # only async callers pay for it

        started: list[float] = []  # when the first attempt left the limiter: its queue is not latency
        used: list[GenerationMetadata] = []  # what failed attempts had used: billed all the same

        async def attempt() -> RawCompletion:
            async with limiter or contextlib.nullcontext():
                if not started:
                    started.append(perf_counter())
                _ = self.async_client  # the SDK is imported and its client built before the deadline runs
                deadline = asyncio.timeout(self.config.timeout)  # cancels the request: its connection closes
                try:
                    async with deadline:
                        return await hook(request)
                except Exception as exc:
                    error = self._overdue(operation, relay) if deadline.expired() else exc
                    raise _counted(self._adapt(error, operation, relay), used) from exc

        self._async_calls += 1
        try:
            try:
                raw, retries = await attempt(), 0
            except LLMError as first_error:
                raw, retries = await self.retry_policy.arun(attempt, first_error)
        finally:
            self._async_calls -= 1
        raw.max_tokens = request.max_tokens
        return self._finish(raw, started[0], relay.first_chunk_at if relay else None, retries, used)

    # -- shared machinery -----------------------------------------------------------------

    def _request(  # noqa: PLR0917 - the public methods' options, passed through in order
        self,
        prompt: str,
        system_prompt: str | None,
        enable_caching: bool | None,
        cache_user_message: bool,
        max_tokens: int | None,
        temperature: float | None,
    ) -> Request:
        if not isinstance(prompt, str) or not prompt:
            raise LLMError(
                "The prompt is empty: pass the text to generate from.",
                error_type=ErrorType.VALIDATION,
                provider=self.provider_name,
                operation="generate",
            )
        return Request(
            prompt=prompt,
            system_prompt=system_prompt or None,
            caching=self.config.enable_caching if enable_caching is None else enable_caching,
            cache_user_message=cache_user_message,
            max_tokens=max_tokens or self.config.max_tokens,
            temperature=self.config.temperature if temperature is None else temperature,
        )

    def _overdue(self, operation: str, relay: _ChunkRelay | None) -> LLMError:
        started = relay is not None and relay.first_chunk_at is not None
        return overdue(self.config.timeout, provider=self.provider_name, operation=operation, output_started=started)

    def _adapt(self, exc: BaseException, operation: str, relay: _ChunkRelay | None = None) -> LLMError:
        if relay is not None and relay.callback_error is exc:
            raise exc  # the caller's own callback failed: not ours to translate or retry
        error = from_sdk_error(exc, provider=self.provider_name, operation=operation, secrets=(self._api_key,))
        if relay is not None and relay.first_chunk_at is not None:
            error.output_started = True
        return error

    @cached_property
    def price(self) -> ModelPrice | None:
        """The model's price, in USD per million tokens (zero for a local server on this machine or
        network: see :func:`on_this_network`), or None when unknown.

        Looked up once per provider in the price table (bundled ``data/prices.json``, with
        ``LLM_PRICES_FILE`` over it, unless the constructor was given ``prices``); an unknown
        model draws one warning on the ``codescribe.llm`` logger.

        Returns:
            The :class:`~codescribe.llm.pricing.ModelPrice`, or ``None`` when the model is not in the table.

        Examples:
            >>> from codescribe.llm import LLMConfig, ModelPrice, PriceTable, create_provider
            >>> create_provider(LLMConfig(provider="ollama", model="llama3.2")).price
            ModelPrice(input=0.0, output=0.0, cache_write=0.0, cache_read=0.0)
            >>> from codescribe.llm.providers.openai import OpenAIProvider
            >>> prices = PriceTable({"demo-model": ModelPrice(input=1.0, output=10.0, cache_write=1.0, cache_read=0.1)})
            >>> OpenAIProvider(LLMConfig(provider="openai", model="demo-model", api_key="k"), prices=prices).price
            ModelPrice(input=1.0, output=10.0, cache_write=1.0, cache_read=0.1)
        """
        if self.LOCAL and (not self.base_url or on_this_network(self.base_url)):  # no URL: in this process
            return _FREE
        return self._prices.price_for(self.model)

    def _finish(
        self,
        raw: RawCompletion,
        start: float,
        first_chunk_at: float | None,
        retries: int,
        used: list[GenerationMetadata] | None = None,
    ) -> Generation:
        kind = stop_kind(raw.finish_reason)
        if raw.refusal is not None or kind is Stop.REFUSED:
            why = raw.refusal or raw.finish_reason or ""
            message = f"The model declined to answer ({why[:200]}). Rephrase the request or choose another model."
            raise self._unanswered(raw, message, ErrorType.CONTENT_FILTER, first_chunk_at, used)
        if kind in (Stop.FAILED, Stop.OTHER):
            reason = printable(str(raw.finish_reason))[:80]
            message = (
                f"The provider failed as it answered (finish reason {reason!r}); the answer is incomplete. Try again."
                if kind is Stop.FAILED
                else f"The answer stopped for {reason!r}, not at its end; it is no finished document."
            )
            error_type = ErrorType.SERVER_ERROR if kind is Stop.FAILED else ErrorType.UNKNOWN
            raise self._unanswered(raw, message, error_type, first_chunk_at, used)
        now = perf_counter()
        ttft = None if first_chunk_at is None else (first_chunk_at - start) * 1000
        metadata = self._metadata(raw, latency_ms=(now - start) * 1000, ttft_ms=ttft, retries=retries)
        if used:  # the answer's cost includes what its failed attempts had used
            metadata = _total([metadata, *used])
        return Generation(raw.text, metadata)

    def _unanswered(
        self,
        raw: RawCompletion,
        message: str,
        error_type: ErrorType,
        first_chunk_at: float | None,
        used: list[GenerationMetadata] | None,
    ) -> LLMError:
        """The error of an answer that came but is no document (refused, failed, stopped early): billed like one."""
        error = LLMError(
            message,
            error_type=error_type,
            provider=self.provider_name,
            operation="generate",
            request_id=raw.request_id,
            output_started=first_chunk_at is not None,
        )
        error.metadata = self._used(raw)
        return _counted(error, list(used or ()))

    def _metadata(
        self, raw: RawCompletion, *, latency_ms: float, ttft_ms: float | None, retries: int
    ) -> GenerationMetadata:
        """``raw``'s tokens, priced (``cost_usd`` is ``None`` when the model's price is unknown, when the
        server sent no input or output count, or when its counts are not counts: not whole numbers,
        negative, above :data:`MAX_PLAUSIBLE_TOKENS`, or more cached tokens than input)."""
        sent = (raw.input_tokens, raw.output_tokens, raw.cache_read_tokens, raw.cache_write_tokens)
        read = [_token_count(n) for n in sent]
        counts = [n or 0 for n in read]
        valid = None not in read and not (self.INPUT_INCLUDES_CACHED and counts[2] > counts[0])
        if valid and raw.max_tokens and counts[1] > raw.max_tokens:
            valid = False
            log.warning(
                "%s reported %d output tokens, more than the request's max_tokens (%d): its cost is unknown",
                self.provider_name,
                counts[1],
                raw.max_tokens,
            )
        elif not valid:
            log.warning("%s sent usage that is no count (%r): its cost is unknown", self.provider_name, raw.usage)
        elif not raw.counted and self.price is not None:
            valid = False
            log.warning(
                "%s sent no token counts for %s (usage %r): its cost is unknown",
                self.provider_name,
                self.model,
                raw.usage,
            )
        input_tokens, output_tokens, cache_read, cache_write = counts
        price = self.price if valid else None
        cost = None
        if price is not None:
            uncached = input_tokens - (cache_read if self.INPUT_INCLUDES_CACHED else 0)
            cost = price.cost(
                input_tokens=uncached,
                output_tokens=output_tokens,
                cache_read=cache_read,
                cache_write=cache_write,
            )
        return GenerationMetadata(
            provider=self.provider_name,
            model=raw.model or self.model,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cache_read_tokens=cache_read,
            cache_write_tokens=cache_write,
            latency_ms=latency_ms,
            ttft_ms=ttft_ms,
            cost_usd=cost,
            request_id=raw.request_id,
            finish_reason=raw.finish_reason,
            retries=retries,
            usage=raw.usage,
        )


#: A count a server sent in a form that holds none (a usage that is a string or a list): no count.
UNREADABLE = -1


def read_usage(usage: object) -> dict[str, Any]:
    """A usage object as the server sent it, as a dict for :attr:`GenerationMetadata.usage`.

    Args:
        usage: the SDK's usage model, or whatever else the server put there.

    Returns:
        The model's fields as JSON values; anything else under the key ``"sent"`` (its ``repr`` when it
        is not JSON).

    Examples:
        >>> read_usage("lots"), read_usage([1, 2])
        ({'sent': 'lots'}, {'sent': [1, 2]})
    """
    dump = getattr(usage, "model_dump", None)
    if callable(dump):
        return cast("dict[str, Any]", dump(mode="json", exclude_unset=True, warnings=False))
    return {"sent": usage if isinstance(usage, str | int | float | list | dict) else repr(usage)}


def _token_count(value: object) -> int | None:
    """A token count as a server sent it, or ``None`` when it is no count.

    A whole number from 0 to :data:`MAX_PLAUSIBLE_TOKENS` is a count; so is a string of digits, which the
    OpenAI SDK's typed models already read as a number (pydantic's lax mode), so both protocols agree.
    Anything else (a fraction, a negative, ``NaN``, a boolean, a list) is no count.

    Args:
        value: the usage field.

    Returns:
        The count in tokens, or ``None``.

    Examples:
        >>> [_token_count(v) for v in (12, "12", 12.5, -1, "NaN", True, 10**30)]
        [12, 12, None, None, None, None, None]
    """
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_PLAUSIBLE_TOKENS:
        return value
    return None


def _counted(error: LLMError, used: list[GenerationMetadata]) -> LLMError:
    """``error``, its use added to ``used`` and its ``metadata`` made the total of every attempt so far."""
    if error.metadata is not None and all(error.metadata is not earlier for earlier in used):
        used.append(error.metadata)
    if used:
        error.metadata = _total(used)
    return error


def _total(used: list[GenerationMetadata]) -> GenerationMetadata:
    """Several attempts' use as one: tokens and costs added (a cost is ``None`` if any is unknown), the
    first's other fields kept."""
    total = used[0]
    for more in used[1:]:
        total = replace(
            total,
            input_tokens=total.input_tokens + more.input_tokens,
            output_tokens=total.output_tokens + more.output_tokens,
            cache_read_tokens=total.cache_read_tokens + more.cache_read_tokens,
            cache_write_tokens=total.cache_write_tokens + more.cache_write_tokens,
            cost_usd=_add(total.cost_usd, more.cost_usd),
        )
    return total


def _add(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


def _is_json(response: Any) -> bool:
    """Whether an HTTP response (``httpx.Response``) says its body is JSON."""
    return "json" in str(response.headers.get("content-type", "")).lower()
