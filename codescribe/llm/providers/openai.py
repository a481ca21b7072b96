"""OpenAI through Chat Completions; also the protocol of most local servers."""

from __future__ import annotations

from typing import Any, ClassVar

from ..types import Capabilities, RawCompletion
from .base import AsyncEmit, Emit, LLMProvider, Request

__all__ = ["OpenAIProvider"]

_INCLUDE_USAGE = {"include_usage": True}


class OpenAIProvider(LLMProvider):
    """OpenAI: automatic prompt caching (reported as ``cached_tokens``), streaming with usage."""

    PROVIDER_NAME = "openai"
    ENV_API_KEY_NAMES = ("OPENAI_API_KEY",)
    DEFAULT_MODEL: ClassVar[str | None] = "gpt-6.1-sol"
    SDK_MODULE = "openai"
    SDK_EXTRA = "openai"
    INPUT_INCLUDES_CACHED = True
    CAPABILITIES = Capabilities(streaming=True, caching="automatic", max_context_tokens=1_047_576)
    #: Current OpenAI models take ``max_completion_tokens``; older servers only ``max_tokens``.
    MAX_TOKENS_PARAM: ClassVar[str] = "max_completion_tokens"

    def _make_client(self, asynchronous: bool) -> Any:
        sdk = self._import_sdk()
        client_class = sdk.AsyncOpenAI if asynchronous else sdk.OpenAI
        return client_class(
            api_key=self._api_key or "not-needed",
            base_url=self.base_url,
            timeout=self.config.timeout,
            max_retries=0,
        )

    def _params(self, request: Request) -> dict[str, Any]:
        messages = [{"role": "user", "content": request.prompt}]
        if request.system_prompt:
            messages.insert(0, {"role": "system", "content": request.system_prompt})
        params: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            self.MAX_TOKENS_PARAM: request.max_tokens,
        }
        if request.temperature is not None:
            params["temperature"] = request.temperature
        return params

    @staticmethod
    def _usage(raw: RawCompletion, usage: Any) -> None:
        if usage is None:
            return
        raw.input_tokens = usage.prompt_tokens or 0
        raw.output_tokens = usage.completion_tokens or 0
        details = getattr(usage, "prompt_tokens_details", None)
        raw.cache_read_tokens = (getattr(details, "cached_tokens", None) or 0) if details else 0

    def _read(self, completion: Any) -> RawCompletion:
        choice = completion.choices[0]
        raw = RawCompletion(
            text=choice.message.content or "",
            model=completion.model,
            request_id=completion._request_id,
            finish_reason=choice.finish_reason,
        )
        self._usage(raw, completion.usage)
        return raw

    def _read_chunk(self, raw: RawCompletion, chunk: Any) -> str | None:
        """Fold one stream chunk into ``raw``; return its text, if any."""
        raw.model = chunk.model or raw.model
        if chunk.usage is not None:
            self._usage(raw, chunk.usage)
        if not chunk.choices:
            return None
        choice = chunk.choices[0]
        if choice.finish_reason:
            raw.finish_reason = choice.finish_reason
        return choice.delta.content if choice.delta else None

    def _complete(self, request: Request) -> RawCompletion:
        return self._read(self.client.chat.completions.create(**self._params(request)))

    def _stream(self, request: Request, emit: Emit) -> RawCompletion:
        stream = self.client.chat.completions.create(
            **self._params(request), stream=True, stream_options=_INCLUDE_USAGE
        )
        raw = RawCompletion(text="", model=self.model, request_id=stream.response.headers.get("x-request-id"))
        parts: list[str] = []
        with stream:
            for chunk in stream:
                text = self._read_chunk(raw, chunk)
                if text:
                    parts.append(text)
                    emit(text)
        raw.text = "".join(parts)
        return raw

    async def _acomplete(self, request: Request) -> RawCompletion:
        return self._read(await self.async_client.chat.completions.create(**self._params(request)))

    async def _astream(self, request: Request, emit: AsyncEmit) -> RawCompletion:
        stream = await self.async_client.chat.completions.create(
            **self._params(request), stream=True, stream_options=_INCLUDE_USAGE
        )
        raw = RawCompletion(text="", model=self.model, request_id=stream.response.headers.get("x-request-id"))
        parts: list[str] = []
        async with stream:
            async for chunk in stream:
                text = self._read_chunk(raw, chunk)
                if text:
                    parts.append(text)
                    await emit(text)
        raw.text = "".join(parts)
        return raw
