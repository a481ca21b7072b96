"""OpenAI through Chat Completions; also the protocol of most local servers."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from ..types import Capabilities, RawCompletion
from .base import AsyncEmit, Emit, LLMProvider, Request

__all__ = ["OpenAIProvider"]

_INCLUDE_USAGE = {"include_usage": True}
_PATH = "/chat/completions"


class OpenAIProvider(LLMProvider):
    """OpenAI: automatic prompt caching (reported as ``cached_tokens``), streaming with usage.

    Requests go through the SDK's own ``post`` (its auth, URL rules, timeouts, status errors
    and SSE decoding) with plain JSON bodies, and answers are read as dicts: the typed
    ``chat.completions.create`` spends more on transforming the parameters and building a
    pydantic model per stream chunk than the HTTP exchange costs (2.7 ms vs 1.5 ms of CPU per
    streamed call on loopback; ``bench/eval_throughput.py``).
    """

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
            **self._http_client(sdk, asynchronous),
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

    @cached_property
    def _http_response(self) -> type:
        """The SDK's HTTP response class: ``post(cast_to=...)`` with it returns the response unparsed."""
        self._import_sdk()
        import httpx2  # the HTTP client the SDK is built on (a dependency of ``openai``)

        return httpx2.Response

    @staticmethod
    def _usage(raw: RawCompletion, usage: dict[str, Any] | None) -> None:
        if not usage:
            return
        raw.input_tokens = usage.get("prompt_tokens") or 0
        raw.output_tokens = usage.get("completion_tokens") or 0
        details = usage.get("prompt_tokens_details") or {}
        raw.cache_read_tokens = details.get("cached_tokens") or 0

    def _read(self, response: Any) -> RawCompletion:
        completion = response.json()
        error = completion.get("error") if isinstance(completion, dict) else "the answer is not a JSON object"
        if error or not completion.get("choices"):
            # Some servers answer 200 with an error body: the SDK's own error, so it is mapped like one.
            message = error.get("message") if isinstance(error, dict) else error
            body = error if isinstance(error, dict) else None
            raise self._import_sdk().APIError(str(message or "the answer has no choices"), request=response.request,
                                              body=body)  # fmt: skip
        choice = completion["choices"][0]
        raw = RawCompletion(
            text=choice["message"].get("content") or "",
            model=completion.get("model") or self.model,
            request_id=response.headers.get("x-request-id"),
            finish_reason=choice.get("finish_reason"),
        )
        self._usage(raw, completion.get("usage"))
        return raw

    def _read_chunk(self, raw: RawCompletion, chunk: dict[str, Any]) -> str | None:
        """Fold one stream chunk into ``raw``; return its text, if any."""
        raw.model = chunk.get("model") or raw.model
        self._usage(raw, chunk.get("usage"))
        if not (choices := chunk.get("choices")):
            return None
        choice = choices[0]
        if finish_reason := choice.get("finish_reason"):
            raw.finish_reason = finish_reason
        delta: dict[str, Any] = choice.get("delta") or {}
        return delta.get("content")

    def _stream_options(self, request: Request, sdk_stream: Any) -> dict[str, Any]:
        return {"body": {**self._params(request), "stream": True, "stream_options": _INCLUDE_USAGE},
                "cast_to": object, "stream": True, "stream_cls": sdk_stream[object]}  # fmt: skip

    def _complete(self, request: Request) -> RawCompletion:
        return self._read(self.client.post(_PATH, body=self._params(request), cast_to=self._http_response))

    def _stream(self, request: Request, emit: Emit) -> RawCompletion:
        stream = self.client.post(_PATH, **self._stream_options(request, self._import_sdk().Stream))
        raw = RawCompletion(text="", model=self.model, request_id=stream.response.headers.get("x-request-id"))
        parts: list[str] = []
        with stream:
            for chunk in stream:
                if text := self._read_chunk(raw, chunk):
                    parts.append(text)
                    emit(text)
        raw.text = "".join(parts)
        return raw

    async def _acomplete(self, request: Request) -> RawCompletion:
        return self._read(await self.async_client.post(_PATH, body=self._params(request), cast_to=self._http_response))

    async def _astream(self, request: Request, emit: AsyncEmit) -> RawCompletion:
        stream = await self.async_client.post(_PATH, **self._stream_options(request, self._import_sdk().AsyncStream))
        raw = RawCompletion(text="", model=self.model, request_id=stream.response.headers.get("x-request-id"))
        parts: list[str] = []
        async with stream:
            async for chunk in stream:
                if text := self._read_chunk(raw, chunk):
                    parts.append(text)
                    await emit(text)
        raw.text = "".join(parts)
        return raw
