"""OpenAI through Chat Completions; also the protocol of most local servers."""

from __future__ import annotations

from typing import Any, ClassVar

from ..types import Capabilities, RawCompletion
from .base import UNREADABLE, AsyncEmit, Emit, LLMProvider, Request, read_usage

__all__ = ["OpenAIProvider"]

_INCLUDE_USAGE = {"include_usage": True}


class OpenAIProvider(LLMProvider):
    """OpenAI: automatic prompt caching (reported as ``cached_tokens``), streaming with usage.

    Calls go through the SDK's typed ``chat.completions.create`` (its ``with_raw_response``
    form when the request id header is needed).

    The output limit is sent as ``max_completion_tokens`` (:attr:`MAX_TOKENS_PARAM`), or once a server
    refuses that name (``400 unsupported_parameter``), as ``max_tokens``, and the other way round; streams ask
    for usage with ``stream_options={"include_usage": True}``. Usage maps ``prompt_tokens`` (cached
    tokens included), ``completion_tokens`` and ``prompt_tokens_details.cached_tokens``. A refusal,
    or a ``finish_reason`` of ``"content_filter"``, is raised as a ``CONTENT_FILTER``
    :class:`~codescribe.llm.errors.LLMError`; a 200 answer with an error body or no choices is
    raised as the SDK's ``APIError`` would be, and translated like one.

    Built as :class:`~codescribe.llm.providers.base.LLMProvider` is (same arguments and errors); the
    key comes from the config, else ``OPENAI_API_KEY``. Most local servers are this class with
    other constants (see :mod:`codescribe.llm.providers.compatible`).

    Examples:
        >>> from codescribe.llm import LLMConfig
        >>> OpenAIProvider(LLMConfig(provider="openai", model="gpt-4o", api_key="not-a-real-key"))
        <OpenAIProvider openai:gpt-4o>

        A call goes over the network::

            provider = create_provider(LLMConfig(provider="openai", model="gpt-4o"))  # key from OPENAI_API_KEY
            print(provider.generate("Name three uses of functools.").text)
    """

    PROVIDER_NAME = "openai"
    ENV_API_KEY_NAMES = ("OPENAI_API_KEY",)
    DEFAULT_MODEL: ClassVar[str | None] = "gpt-6.1-sol"
    SDK_MODULE = "openai"
    SDK_EXTRA = "openai"
    CLIENT_CLASSES = ("OpenAI", "AsyncOpenAI")
    REQUEST_ID_HEADER = "x-request-id"
    INPUT_INCLUDES_CACHED = True
    CAPABILITIES = Capabilities(streaming=True, caching="automatic", max_context_tokens=1_047_576)
    #: Current OpenAI models take ``max_completion_tokens``; older servers only ``max_tokens``.
    MAX_TOKENS_PARAM: ClassVar[str] = "max_completion_tokens"
    #: The name the output limit is sent under once a server refused :attr:`MAX_TOKENS_PARAM` (per provider).
    _limit_switched: str | None = None

    @property
    def _limit_name(self) -> str:
        return self._limit_switched or self.MAX_TOKENS_PARAM

    def _params(self, request: Request, *, stream: bool = False) -> dict[str, Any]:
        messages = [{"role": "user", "content": request.prompt}]
        if request.system_prompt:
            messages.insert(0, {"role": "system", "content": request.system_prompt})
        params: dict[str, Any] = {"model": self.model, "messages": messages, self._limit_name: request.max_tokens}
        if request.temperature is not None:
            params["temperature"] = request.temperature
        if stream:
            params.update(stream=True, stream_options=_INCLUDE_USAGE)
        return params

    # -- the four calls --------------------------------------------------------------------

    def _complete(self, request: Request) -> RawCompletion:
        opening = self.client.chat.completions.with_streaming_response.create  # its body read where it can be closed
        raw: RawCompletion = self._create(lambda **params: self._read_held(opening(**params), self._read), request)
        return raw

    async def _acomplete(self, request: Request) -> RawCompletion:
        return self._read(await self._acreate(self.async_client.chat.completions.with_raw_response.create, request))

    def _stream(self, request: Request, emit: Emit) -> RawCompletion:
        stream = self._create(self.client.chat.completions.create, request, stream=True)
        return self._drain(stream, emit)

    async def _astream(self, request: Request, emit: AsyncEmit) -> RawCompletion:
        stream = await self._acreate(self.async_client.chat.completions.create, request, stream=True)
        return await self._adrain(stream, emit)

    # -- the output limit's name -----------------------------------------------------------
    #
    # Reasoning models (o-series, gpt-5) refuse ``max_tokens``, some older servers and Azure API versions
    # ``max_completion_tokens``; each answers 400 with ``code: unsupported_parameter`` (or
    # ``unknown_parameter``) naming it. The call is then made once more with the other name, which the
    # provider keeps for its later calls. Nothing was generated, so nothing is billed twice.

    def _create(self, create: Any, request: Request, *, stream: bool = False) -> Any:
        try:
            return create(**self._params(request, stream=stream))
        except self._import_sdk().BadRequestError as error:
            if not self._switch_limit_name(error):
                raise
            return create(**self._params(request, stream=stream))

    async def _acreate(self, create: Any, request: Request, *, stream: bool = False) -> Any:
        try:
            return await create(**self._params(request, stream=stream))
        except self._import_sdk().BadRequestError as error:
            if not self._switch_limit_name(error):
                raise
            return await create(**self._params(request, stream=stream))

    def _switch_limit_name(self, error: Any) -> bool:
        """Whether ``error`` refuses the output limit's name; if so, use the other name from now on."""
        sent = self._limit_name
        if error.param != sent or error.code not in ("unsupported_parameter", "unknown_parameter"):
            return False
        self._limit_switched = "max_tokens" if sent == "max_completion_tokens" else "max_completion_tokens"
        return True

    # -- reading the answers ---------------------------------------------------------------

    @staticmethod
    def _usage(raw: RawCompletion, usage: Any) -> None:
        if usage is None:
            return
        raw.usage = read_usage(usage)  # as the server sent it
        if not hasattr(usage, "model_dump"):  # "lots", [1, 2]: no counts to read
            raw.input_tokens = UNREADABLE
            return
        raw.input_tokens = usage.prompt_tokens or 0
        raw.output_tokens = usage.completion_tokens or 0
        raw.counted = usage.prompt_tokens is not None and usage.completion_tokens is not None
        details = usage.prompt_tokens_details
        cached = details.cached_tokens if hasattr(details, "model_dump") else UNREADABLE if details else None
        raw.cache_read_tokens = cached or 0

    def _read(self, response: Any) -> RawCompletion:
        """A non-streamed answer, from the SDK's raw response (``with_raw_response``; for sync calls
        ``with_streaming_response``)."""
        self._check_kind(response, stream=False)  # a web page or a proxy's answer where the API's should be
        completion = response.parse()
        extra = getattr(completion, "model_extra", None) or {}
        error = extra.get("error") if isinstance(extra, dict) else None
        choices = getattr(completion, "choices", None)
        if error or not choices or choices[0] is None or choices[0].message is None:
            # Some servers answer 200 with an error body: the SDK's own error, so it is mapped like one.
            body = error if isinstance(error, dict) else None
            raise self._api_error(response.http_request, body, str(error or "the answer holds no message"))
        choice = choices[0]
        raw = RawCompletion(
            counted=False,  # until the usage says
            text=choice.message.content or "",
            model=completion.model or self.model,
            request_id=response.request_id,
            finish_reason=choice.finish_reason,
            refusal=choice.message.refusal or ("content_filter" if choice.finish_reason == "content_filter" else None),
        )
        self._usage(raw, completion.usage)
        return raw

    def _fold(self, raw: RawCompletion, chunk: Any) -> str | None:
        """Fold one stream chunk into ``raw``; return its text, if any."""
        raw.model = chunk.model or raw.model
        self._usage(raw, chunk.usage)
        if not chunk.choices:
            return None
        choice = chunk.choices[0]
        if choice.finish_reason:
            raw.finish_reason = choice.finish_reason
            if choice.finish_reason == "content_filter":
                raw.refusal = raw.refusal or "content_filter"
        delta = choice.delta
        if delta is None:
            return None
        if delta.refusal:
            raw.refusal = (raw.refusal or "") + delta.refusal
        content: str | None = delta.content
        return content
