"""Anthropic Claude through the Messages API (the default provider)."""

from __future__ import annotations

from typing import Any, ClassVar

from ..types import Capabilities, RawCompletion
from .base import AsyncEmit, Emit, LLMProvider, Request

__all__ = ["AnthropicProvider"]

_EPHEMERAL = {"type": "ephemeral"}


class AnthropicProvider(LLMProvider):
    """Claude: explicit prompt caching with ``cache_control`` blocks, streaming via ``messages.stream``."""

    PROVIDER_NAME = "anthropic"
    ENV_API_KEY_NAMES = ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY")
    DEFAULT_MODEL: ClassVar[str | None] = "claude-sonnet-5-5"
    SDK_MODULE = "anthropic"
    SDK_EXTRA = "anthropic"
    CAPABILITIES = Capabilities(
        streaming=True, caching="explicit", max_context_tokens=200_000, reports_cache_writes=True
    )

    def _make_client(self, asynchronous: bool) -> Any:
        sdk = self._import_sdk()
        client_class = sdk.AsyncAnthropic if asynchronous else sdk.Anthropic
        return client_class(
            api_key=self._api_key or "not-needed",
            base_url=self.base_url,
            timeout=self.config.timeout,
            max_retries=0,
            **self._http_client(sdk, asynchronous),
        )

    def _params(self, request: Request) -> dict[str, Any]:
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
        return params

    @staticmethod
    def _read(message: Any, request_id: str | None) -> RawCompletion:
        usage = message.usage
        return RawCompletion(
            text="".join(block.text for block in message.content if block.type == "text"),
            model=message.model,
            input_tokens=usage.input_tokens or 0,
            output_tokens=usage.output_tokens or 0,
            cache_read_tokens=getattr(usage, "cache_read_input_tokens", None) or 0,
            cache_write_tokens=getattr(usage, "cache_creation_input_tokens", None) or 0,
            request_id=request_id,
            finish_reason=message.stop_reason,
        )

    def _complete(self, request: Request) -> RawCompletion:
        message = self.client.messages.create(**self._params(request))
        return self._read(message, message._request_id)

    def _stream(self, request: Request, emit: Emit) -> RawCompletion:
        with self.client.messages.stream(**self._params(request)) as stream:
            for text in stream.text_stream:
                emit(text)
            return self._read(stream.get_final_message(), stream.request_id)

    async def _acomplete(self, request: Request) -> RawCompletion:
        message = await self.async_client.messages.create(**self._params(request))
        return self._read(message, message._request_id)

    async def _astream(self, request: Request, emit: AsyncEmit) -> RawCompletion:
        async with self.async_client.messages.stream(**self._params(request)) as stream:
            async for text in stream.text_stream:
                await emit(text)
            return self._read(await stream.get_final_message(), stream.request_id)
