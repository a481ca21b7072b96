"""Providers that speak through their SDK's own ``post``: plain JSON out, plain dicts back.

The SDKs' typed calls transform the parameters and build a pydantic model for every answer,
and one for every stream event, which costs more CPU than the HTTP exchange itself on a fast
connection (``bench/overhead.py``). Posting through the SDK keeps what matters of it (auth,
base URL rules, headers, timeouts, status errors, SSE decoding and ``error`` events) and skips
the models.
"""

from __future__ import annotations

from abc import abstractmethod
from functools import cached_property
from typing import Any, ClassVar

from ..types import RawCompletion
from .base import AsyncEmit, Emit, LLMProvider, Request

__all__ = ["PostingProvider"]


class PostingProvider(LLMProvider):
    """A provider whose four calls are one ``post`` each; subclasses say what to send and how to read."""

    #: Where requests go, relative to the SDK client's base URL.
    POST_PATH: ClassVar[str] = ""
    #: The response header that carries the provider's request id.
    REQUEST_ID_HEADER: ClassVar[str] = "x-request-id"

    @abstractmethod
    def _body(self, request: Request, *, stream: bool = False) -> dict[str, Any]:
        """The JSON body of the request."""

    @abstractmethod
    def _read(self, response: Any) -> RawCompletion:
        """A non-streamed answer, from the SDK's unparsed HTTP response."""

    @abstractmethod
    def _fold(self, raw: RawCompletion, event: dict[str, Any]) -> str | None:
        """Fold one stream event into ``raw``; return its text, if any."""

    @cached_property
    def _http_response(self) -> type:
        """The SDK's HTTP response class: ``post(cast_to=...)`` with it returns the response unparsed."""
        self._import_sdk()
        import httpx2  # the HTTP client both SDKs are built on (a dependency of each)

        return httpx2.Response

    def _streaming(self, request: Request, stream_class: Any) -> dict[str, Any]:
        """``post`` options for a stream of plain dicts."""
        return {"body": self._body(request, stream=True), "cast_to": object, "stream": True,
                "stream_cls": stream_class[object]}  # fmt: skip

    def _started(self, stream: Any) -> RawCompletion:
        return RawCompletion(text="", model=self.model, request_id=stream.response.headers.get(self.REQUEST_ID_HEADER))

    def _complete(self, request: Request) -> RawCompletion:
        return self._read(self.client.post(self.POST_PATH, body=self._body(request), cast_to=self._http_response))

    async def _acomplete(self, request: Request) -> RawCompletion:
        response = await self.async_client.post(self.POST_PATH, body=self._body(request), cast_to=self._http_response)
        return self._read(response)

    def _stream(self, request: Request, emit: Emit) -> RawCompletion:
        stream = self.client.post(self.POST_PATH, **self._streaming(request, self._import_sdk().Stream))
        raw, parts = self._started(stream), []
        with stream:
            for event in stream:
                if text := self._fold(raw, event):
                    parts.append(text)
                    emit(text)
        raw.text = "".join(parts)
        return raw

    async def _astream(self, request: Request, emit: AsyncEmit) -> RawCompletion:
        stream = await self.async_client.post(
            self.POST_PATH, **self._streaming(request, self._import_sdk().AsyncStream)
        )
        raw, parts = self._started(stream), []
        async with stream:
            async for event in stream:
                if text := self._fold(raw, event):
                    parts.append(text)
                    await emit(text)
        raw.text = "".join(parts)
        return raw
