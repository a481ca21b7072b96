"""Every error the API answers, in one shape (:class:`~codescribe.server.schemas.ErrorBody`), with its status.

An :class:`~codescribe.llm.errors.LLMError` keeps its type; its status says whose fault it was: the
request's (400, 413, 422), the provider's (429 with ``Retry-After``, 502, 504), or the service's
configuration or load (503).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from fastapi.responses import JSONResponse

from ..llm.errors import RETRYABLE_TYPES, ErrorType, LLMError

__all__ = ["ERROR_RESPONSES", "ApiError", "error_response", "llm_status"]

#: The status of each LLMError type, when it is not the configuration's (``operation == "configure"``: 503).
_LLM_STATUS = {
    ErrorType.RATE_LIMIT: 429,
    ErrorType.QUOTA_EXCEEDED: 429,
    ErrorType.TIMEOUT: 504,
    ErrorType.CONTEXT_LENGTH: 413,
    ErrorType.CONTENT_FILTER: 422,
    ErrorType.VALIDATION: 400,
}


_OPERATOR_KEY = "The provider refused this service's own key: its operator must fix the service's configuration."


class ApiError(Exception):
    """An error answered as it is: status, type and message (and how long to wait, for 429 and 503).

    Args:
        status: the HTTP status.
        error_type: the error's type (``VALIDATION``, ``UNAUTHORIZED``, ``BUSY`` ...).
        message: what went wrong and what to do.
        retry_after: seconds to wait before trying again, for ``Retry-After``; ``None``: none.
        retryable: whether the same request may succeed later; ``None``: for 429 and 503 only.
    """

    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        retry_after: float | None = None,
        *,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.error_type, self.message, self.retry_after = status, error_type, message, retry_after
        self.retryable = status in (429, 503) if retryable is None else retryable

    @classmethod
    def from_llm_error(cls, error: LLMError) -> ApiError:
        """How the service answers a provider's error: its status (:func:`llm_status`), type and message.

        ``retryable`` says whether the client may send the request again, not whether the library could
        have retried the call: a stream cut after its first text is a new stream when the client asks
        again. A key the provider refused is the operator's to fix, and the message says so.

        Args:
            error: the provider's error.

        Returns:
            The error to answer, with ``Retry-After`` of 1 s for a 429 or 503 that said no wait.

        Examples:
            >>> cut = LLMError("the stream was cut", error_type=ErrorType.SERVER_ERROR, output_started=True)
            >>> answer = ApiError.from_llm_error(cut)
            >>> answer.status, answer.error_type, answer.retryable
            (502, 'SERVER_ERROR', True)
            >>> ApiError.from_llm_error(LLMError("bad key", error_type=ErrorType.AUTH)).message
            "The provider refused this service's own key: its operator must fix the service's configuration. bad key"
        """
        status = llm_status(error)
        wait = error.retry_after if error.retry_after is not None else (1.0 if status in (429, 503) else None)
        message = error.message
        if error.error_type is ErrorType.AUTH and error.operation != "configure":
            message = f"{_OPERATOR_KEY} {message}"
        return cls(status, error.error_type.value, message, wait, retryable=error.error_type in RETRYABLE_TYPES)


def llm_status(error: LLMError) -> int:
    """The HTTP status an :class:`LLMError` is answered with.

    Args:
        error: the provider's error.

    Returns:
        503 for a provider the service is not configured for (no key, unknown model at start-up);
        429 for rate limits and quotas; 504 for time-outs; 413 for input over the model's context;
        422 for a refusal; 400 for a request the provider found invalid; 502 for the rest (the provider
        failed, or refused the service's own key).

    Examples:
        >>> llm_status(LLMError("slow down", error_type=ErrorType.RATE_LIMIT))
        429
        >>> llm_status(LLMError("no key", error_type=ErrorType.AUTH, operation="configure"))
        503
    """
    if error.operation == "configure":
        return 503
    return _LLM_STATUS.get(error.error_type, 502)


def error_response(
    status: int,
    error_type: str,
    message: str,
    *,
    retryable: bool = False,
    retry_after: float | None = None,
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The JSON response of an error: ``{"error": {type, message, retryable, retryAfter, requestId}}``.

    ``Retry-After`` is set (whole seconds, rounded up) when ``retry_after`` is given.

    Args:
        status: the HTTP status.
        error_type: the error's type (``VALIDATION``, ``RATE_LIMIT`` ...).
        message: what went wrong and what to do.
        retryable: whether the same request may succeed later.
        retry_after: seconds to wait first; ``None`` (or not a finite, non-negative number): not said.
        request_id: the request's id, as the ``X-Request-ID`` header carries it.
        headers: more response headers (a 405's ``Allow``).

    Returns:
        The response (a Starlette ``JSONResponse``).

    Examples:
        >>> response = error_response(429, "RATE_LIMIT", "slow down", retryable=True, retry_after=1.5)
        >>> response.status_code, response.headers["retry-after"], response.body[:40]
        (429, '2', b'{"error":{"type":"RATE_LIMIT","message":')
    """
    wait = retry_after if retry_after is not None and math.isfinite(retry_after) and retry_after >= 0 else None
    body: dict[str, Any] = {
        "error": {
            "type": error_type,
            "message": message,
            "retryable": retryable,
            "retryAfter": wait,
            "requestId": request_id,
        }
    }
    extra = {**(headers or {}), **({"Retry-After": str(math.ceil(wait))} if wait is not None else {})}
    return JSONResponse(body, status_code=status, headers=extra or None)


#: The error statuses every generation endpoint may answer, for the OpenAPI schema.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "Malformed JSON, an unknown doc type or language, a provider or model not allowed, "
        "or a Host the service does not answer to"
    },
    401: {"description": "No valid bearer token (when the service asks for one)"},
    413: {"description": "The code is longer than 100,000 characters, or than the model's context"},
    422: {
        "description": "A field of the wrong type, code a docstrings run cannot take (it does not parse), or the "
        "model declined to answer"
    },
    429: {"description": "The provider's rate limit or quota: wait Retry-After seconds"},
    502: {"description": "The provider failed"},
    503: {"description": "The provider is not configured, or its queue is full: wait Retry-After seconds"},
    504: {"description": "The provider did not answer within LLM_TIMEOUT"},
}
