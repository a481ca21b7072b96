"""Anthropic Claude through the Messages API (the default provider)."""

from __future__ import annotations

from typing import Any, ClassVar

from ..types import Capabilities, RawCompletion
from .base import UNREADABLE, AsyncEmit, Emit, LLMProvider, Request, read_usage

__all__ = ["AnthropicProvider"]

_EPHEMERAL = {"type": "ephemeral"}
#: Our names for the usage fields, and the Messages API's.
_USAGE_FIELDS = (
    ("input_tokens", "input_tokens"),
    ("output_tokens", "output_tokens"),
    ("cache_read_tokens", "cache_read_input_tokens"),
    ("cache_write_tokens", "cache_creation_input_tokens"),
)


class AnthropicProvider(LLMProvider):
    """Claude: explicit prompt caching with ``cache_control`` blocks, streaming with usage.

    Calls go through the SDK's typed ``messages.create`` (``stream=True`` for a stream of typed
    events; ``with_raw_response`` when the request id header is needed).

    With caching on, the system prompt (and, with ``cache_user_message``, the prompt) is sent as a
    text block marked ``cache_control: {"type": "ephemeral"}`` (Anthropic's "Prompt caching"
    documentation). A temperature is sent in the request body (``extra_body``): the installed 2.x
    SDK's ``messages.create`` takes no ``temperature`` argument. Usage maps Anthropic's
    ``cache_read_input_tokens`` and ``cache_creation_input_tokens`` to the cache counts; a
    ``stop_reason`` of ``"refusal"`` is raised as a ``CONTENT_FILTER`` :class:`~codescribe.llm.errors.LLMError`.

    Built as :class:`~codescribe.llm.providers.base.LLMProvider` is (same arguments and errors); the
    key comes from the config, else ``ANTHROPIC_API_KEY``, else ``CLAUDE_API_KEY``.

    Examples:
        >>> from codescribe.llm import LLMConfig
        >>> AnthropicProvider(LLMConfig(provider="anthropic", api_key="not-a-real-key"))
        <AnthropicProvider anthropic:claude-sonnet-5-5>

        A call goes over the network::

            provider = create_provider(LLMConfig(provider="anthropic"))  # key from ANTHROPIC_API_KEY
            generation = provider.generate("Name three uses of functools.", system_prompt="Be brief.")
            print(generation.text, generation.metadata.cache_read_tokens)
    """

    PROVIDER_NAME = "anthropic"
    ENV_API_KEY_NAMES = ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY")
    DEFAULT_MODEL: ClassVar[str | None] = "claude-sonnet-5-5"
    SDK_MODULE = "anthropic"
    SDK_EXTRA = "anthropic"
    CLIENT_CLASSES = ("Anthropic", "AsyncAnthropic")
    REQUEST_ID_HEADER = "request-id"
    CAPABILITIES = Capabilities(
        streaming=True, caching="explicit", max_context_tokens=200_000, reports_cache_writes=True
    )

    def _params(self, request: Request, *, stream: bool = False) -> dict[str, Any]:
        cache = {"cache_control": _EPHEMERAL} if request.caching else {}
        content: str | list[dict[str, Any]] = request.prompt
        if request.caching and request.cache_user_message:
            content = [{"type": "text", "text": request.prompt, **cache}]
        params: dict[str, Any] = {
            "model": self.model,
            "max_tokens": request.max_tokens,
            "messages": [{"role": "user", "content": content}],
        }
        if request.system_prompt:
            params["system"] = [{"type": "text", "text": request.system_prompt, **cache}]
        if request.temperature is not None:
            # The 2.x SDK dropped the argument; servers that still take it get it in the body.
            params["extra_body"] = {"temperature": request.temperature}
        if stream:
            params["stream"] = True
        return params

    # -- the four calls --------------------------------------------------------------------

    def _complete(self, request: Request) -> RawCompletion:
        opening = self.client.messages.with_streaming_response.create(**self._params(request))
        return self._read_held(opening, self._read_response)  # its body read where a deadline can close it

    def _read_response(self, response: Any) -> RawCompletion:
        self._check_kind(response, stream=False)
        return self._read(self._message(response, response.parse()), response.request_id)

    async def _acomplete(self, request: Request) -> RawCompletion:
        response = await self.async_client.messages.with_raw_response.create(**self._params(request))
        self._check_kind(response, stream=False)
        return self._read(self._message(response, await response.parse()), response.request_id)

    def _message(self, response: Any, message: Any) -> Any:
        """The parsed message; an error object answered under 200 (``{"type": "error", ...}``, as some
        gateways send it) is raised as the SDK's ``APIError``, and translated like any other."""
        if getattr(message, "type", "message") == "message":
            return message
        body = message.model_dump(mode="json") if hasattr(message, "model_dump") else None
        raise self._api_error(response.http_request, body, "the answer is not a message")

    def _stream(self, request: Request, emit: Emit) -> RawCompletion:
        stream = self.client.messages.create(**self._params(request, stream=True))
        return self._drain(stream, emit)

    async def _astream(self, request: Request, emit: AsyncEmit) -> RawCompletion:
        stream = await self.async_client.messages.create(**self._params(request, stream=True))
        return await self._adrain(stream, emit)

    # -- reading the answers ---------------------------------------------------------------

    @staticmethod
    def _usage(raw: RawCompletion, usage: Any) -> None:
        """Fold a usage object in (a stream reports it twice: at its start, and the output at its end)."""
        if usage is None:
            return
        sent = read_usage(usage)  # as the server sent it
        if not hasattr(usage, "model_dump"):  # "lots", [1, 2]: no counts to read
            raw.usage, raw.input_tokens = sent, UNREADABLE
            return
        reported = {key: value for key, value in sent.items() if value is not None}
        raw.usage = {**sent, **(raw.usage or {}), **reported}  # a null never hides an earlier count
        for ours, theirs in _USAGE_FIELDS:
            if reported.get(theirs) is not None:
                setattr(raw, ours, reported[theirs])
        raw.counted = all(raw.usage.get(field) is not None for field in ("input_tokens", "output_tokens"))

    def _read(self, message: Any, request_id: str | None) -> RawCompletion:
        raw = RawCompletion(
            counted=False,  # until the usage says
            text="".join(block.text for block in message.content or () if block.type == "text"),
            model=message.model or self.model,
            request_id=request_id,
            finish_reason=message.stop_reason,
            refusal="refusal" if message.stop_reason == "refusal" else None,
        )
        self._usage(raw, message.usage)
        return raw

    def _fold(self, raw: RawCompletion, event: Any) -> str | None:
        """Fold one stream event into ``raw``; return its text, if any."""
        if event.type == "content_block_delta":
            return event.delta.text if event.delta.type == "text_delta" else None
        if event.type == "message_start":
            raw.model = event.message.model or raw.model
            self._usage(raw, event.message.usage)
        elif event.type == "message_delta":
            raw.pending_finish = event.delta.stop_reason or raw.pending_finish
            if raw.pending_finish == "refusal":
                raw.refusal = "refusal"
            self._usage(raw, event.usage)
            if getattr(event.usage, "output_tokens", None) is None:  # message_start's count is a placeholder
                raw.counted = False
        elif event.type == "message_stop":  # the stream's terminal event (Anthropic API, "Streaming Messages")
            raw.finish_reason = raw.pending_finish  # none without a message_delta: the stream is incomplete
        return None
