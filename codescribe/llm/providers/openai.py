"""OpenAI through Chat Completions; also the protocol of most local servers."""

from __future__ import annotations

from typing import Any, ClassVar

from ..types import Capabilities, RawCompletion
from .base import Request
from .posting import PostingProvider

__all__ = ["OpenAIProvider"]

_INCLUDE_USAGE = {"include_usage": True}


class OpenAIProvider(PostingProvider):
    """OpenAI: automatic prompt caching (reported as ``cached_tokens``), streaming with usage.

    Requests go through the SDK's own ``post`` (:class:`PostingProvider`): the typed
    ``chat.completions.create`` spent 2.7 ms of CPU per streamed call on loopback, this 1.5 ms.
    """

    PROVIDER_NAME = "openai"
    POST_PATH = "/chat/completions"
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

    def _body(self, request: Request, *, stream: bool = False) -> dict[str, Any]:
        params = self._params(request)
        return {**params, "stream": True, "stream_options": _INCLUDE_USAGE} if stream else params

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

    def _fold(self, raw: RawCompletion, chunk: dict[str, Any]) -> str | None:
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
