"""One error type for every provider.

Every exception that leaves a provider is an :class:`LLMError`::

    LLMError
      error_type: ErrorType
        AUTH             401/403, or no key configured          not retried
        RATE_LIMIT       429                                    retried, honours retry-after
        QUOTA_EXCEEDED   402, 429 with an exhausted quota       not retried
        VALIDATION       400/422, bad configuration             not retried
        CONTEXT_LENGTH   400/413 saying the prompt is too long  not retried
        CONTENT_FILTER   400 saying a filter blocked it         not retried
        MODEL_NOT_FOUND  404                                    not retried
        TIMEOUT          408, client time-out                   retried
        NETWORK          connection refused, reset, DNS         retried
        SERVER_ERROR     5xx, 529 overloaded                    retried
        UNKNOWN          anything else                          not retried

SDK errors are mapped by the provider's own error type in the body first (a stream's error
event comes under HTTP 200), then by HTTP status, then by message (context length, content
filter, quota), then by exception class. Messages and ``to_dict()`` never contain an API
key: every text that leaves this module goes through :func:`redact`.

The status codes mean what RFC 9110 (HTTP Semantics) says they mean, except 529, which is
Anthropic's ``overloaded_error`` (Anthropic API documentation, "Errors"). The quota wording
matched on a 429 (``insufficient_quota``, "exceeded your current quota") is OpenAI's (its
"Error codes" guide).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .types import GenerationMetadata

__all__ = ["ErrorType", "LLMError", "from_sdk_error", "redact"]


class ErrorType(StrEnum):
    """What kind of failure an :class:`LLMError` is (the module docstring says which status maps to which).

    A ``StrEnum``: each member equals its own name as a string, so it compares equal to, and
    serialises as, ``"RATE_LIMIT"`` and so on. :data:`RETRYABLE_TYPES` are the ones worth retrying.

    Examples:
        >>> ErrorType("RATE_LIMIT") is ErrorType.RATE_LIMIT
        True
        >>> ErrorType.TIMEOUT in RETRYABLE_TYPES, ErrorType.AUTH in RETRYABLE_TYPES
        (True, False)
    """

    AUTH = "AUTH"
    RATE_LIMIT = "RATE_LIMIT"
    VALIDATION = "VALIDATION"
    TIMEOUT = "TIMEOUT"
    NETWORK = "NETWORK"
    SERVER_ERROR = "SERVER_ERROR"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    MODEL_NOT_FOUND = "MODEL_NOT_FOUND"
    CONTEXT_LENGTH = "CONTEXT_LENGTH"
    CONTENT_FILTER = "CONTENT_FILTER"
    UNKNOWN = "UNKNOWN"


#: The error types a retry may cure: rate limits, time-outs, network failures and server errors.
RETRYABLE_TYPES = frozenset({ErrorType.RATE_LIMIT, ErrorType.TIMEOUT, ErrorType.NETWORK, ErrorType.SERVER_ERROR})

_WHAT_TO_DO = {
    ErrorType.AUTH: "Check the API key for this provider (LLM_API_KEY or the provider's own variable).",
    ErrorType.RATE_LIMIT: "Slow down, or raise LLM_MAX_RETRIES to wait longer.",
    ErrorType.QUOTA_EXCEEDED: "The account's quota or credit is used up; check billing.",
    ErrorType.MODEL_NOT_FOUND: "Check LLM_MODEL (or the deployment name): the server does not know it.",
    ErrorType.CONTEXT_LENGTH: "Shorten the input or choose a model with a larger context window.",
    ErrorType.CONTENT_FILTER: "The provider's content filter refused the request.",
    ErrorType.TIMEOUT: "Raise LLM_TIMEOUT, or try again later.",
    ErrorType.NETWORK: "Check the server's address (LLM_BASE_URL, or the base_url that configures the provider) "
    "and that the server is reachable.",
    ErrorType.SERVER_ERROR: "The provider had a server error; try again later.",
}

# Things that look like credentials, redacted even when we were not told the key.
_KEY_PATTERN = re.compile(
    r"(sk-ant-[A-Za-z0-9_\-]{8,}|sk-[A-Za-z0-9_\-]{16,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{30,})"
)
_CONTEXT_WORDS = re.compile(
    r"context[ _-]?(length|size|window)|too many tokens|prompt is too long|maximum context"
    r"|exceeds? the (available )?context|input is too long|reduce the length",
    re.IGNORECASE,
)
#: Types a message about the context's size overrides: they say less than it does.
_VAGUE = frozenset({ErrorType.UNKNOWN, ErrorType.SERVER_ERROR})
_FILTER_WORDS = re.compile(r"content[ _-]?(filter|management|policy)|safety system", re.IGNORECASE)
_QUOTA_WORDS = re.compile(r"insufficient_quota|exceeded your current quota|credit balance", re.I)


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return ``text`` with the given secrets and anything shaped like an API key masked as ``***``.

    Besides ``secrets``, these shapes are masked wherever they appear: Anthropic keys
    (``sk-ant-...``), OpenAI-style keys (``sk-`` and 16 or more characters), AWS access key ids
    (``AKIA`` and 16 characters) and Google API keys (``AIza...``).

    Args:
        text: the text to clean, e.g. an SDK's error message.
        secrets: exact strings to mask (typically the configured API key); ``None`` entries and
            strings shorter than 4 characters are skipped.

    Returns:
        ``text`` with every secret and key-shaped string replaced by ``***``.

    Examples:
        >>> redact("Incorrect API key provided: sk-abcdefghijklmnopqrstuvwxyz")
        'Incorrect API key provided: ***'
        >>> redact("token=local-secret-1 rejected", secrets=["local-secret-1", None])
        'token=*** rejected'
    """
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return _KEY_PATTERN.sub("***", text)


class LLMError(Exception):
    """A failed LLM operation, the same shape whichever provider raised it.

    Providers raise it through :func:`from_sdk_error`; code that configures or validates raises
    it directly. ``str(error)`` reads ``[provider] TYPE (HTTP status): message``.

    Args:
        message: what went wrong and what to do about it (never holding a key).
        error_type: the kind of failure; an :class:`ErrorType` or its string value.
        provider: the provider's name, or ``None`` when no provider is involved yet.
        operation: what was being done (``"generate"``, ``"stream"``, ``"configure"`` ...), or ``None``.
        status_code: the HTTP status the server answered with, or ``None`` (no answer, or not HTTP).
        retry_after: seconds the server asked to wait before retrying, or ``None`` when it did not say.
        request_id: the server's id of the request, or ``None``.
        original_error: the SDK or transport exception this one translates, or ``None``.
        output_started: whether a stream had already delivered text to the caller when it failed
            (such a call is never retried).

    Attributes:
        retries: how many times the call was retried before this error was final (set by
            :class:`~codescribe.llm.retry.RetryPolicy`; 0 otherwise).
        timestamp: when the error was created, in seconds since the epoch (``time.time()``).

    Raises:
        ValueError: ``error_type`` is a string that is not an :class:`ErrorType` value.

    Examples:
        >>> error = LLMError("Invalid key", error_type=ErrorType.AUTH, provider="openai", status_code=401)
        >>> str(error)
        '[openai] AUTH (HTTP 401): Invalid key'
        >>> error
        LLMError(AUTH, provider='openai', status=401)
    """

    def __init__(
        self,
        message: str,
        *,
        error_type: ErrorType = ErrorType.UNKNOWN,
        provider: str | None = None,
        operation: str | None = None,
        status_code: int | None = None,
        retry_after: float | None = None,
        request_id: str | None = None,
        original_error: BaseException | None = None,
        output_started: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.error_type = ErrorType(error_type)
        self.provider = provider
        self.operation = operation
        self.status_code = status_code
        self.retry_after = retry_after
        self.request_id = request_id
        self.original_error = original_error
        # A stream that already delivered chunks is not retried: the caller saw them.
        self.output_started = output_started
        #: What the failed call had used before it failed (a stream's reported input, the text it
        #: delivered; a refusal's tokens), priced: a provider may bill it. ``None`` when nothing is known.
        self.metadata: GenerationMetadata | None = None
        #: How many times the call was retried before this error was final.
        self.retries = 0
        self.timestamp = time.time()

    def is_retryable(self) -> bool:
        """Whether trying the same request again may succeed.

        Returns:
            ``True`` when the type is one of :data:`RETRYABLE_TYPES` and no streamed text had
            reached the caller (``output_started`` is false).

        Examples:
            >>> LLMError("busy", error_type=ErrorType.SERVER_ERROR).is_retryable()
            True
            >>> LLMError("cut off", error_type=ErrorType.NETWORK, output_started=True).is_retryable()
            False
        """
        return self.error_type in RETRYABLE_TYPES and not self.output_started

    def is_rate_limit(self) -> bool:
        """Whether the provider said to slow down.

        Returns:
            ``True`` for ``RATE_LIMIT`` (an exhausted quota is ``QUOTA_EXCEEDED``, not this).

        Examples:
            >>> LLMError("slow down", error_type="RATE_LIMIT").is_rate_limit()
            True
        """
        return self.error_type is ErrorType.RATE_LIMIT

    def is_auth_error(self) -> bool:
        """Whether the key is missing, wrong or not allowed.

        Returns:
            ``True`` for ``AUTH`` (HTTP 401 or 403, or no key configured).

        Examples:
            >>> LLMError("no key", error_type=ErrorType.AUTH).is_auth_error()
            True
        """
        return self.error_type is ErrorType.AUTH

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view for logs and HTTP responses (never holds a key).

        Returns:
            A dict with ``error`` (the message), ``error_type`` (its string value), ``provider``,
            ``operation``, ``status_code``, ``retry_after`` (seconds), ``request_id``, ``retryable``
            (:meth:`is_retryable`) and ``retries``; absent values are ``None``. With
            :attr:`metadata`, also ``input_tokens``, ``output_tokens`` and ``cost_usd`` (USD) used before it failed.

        Examples:
            >>> data = LLMError("busy", error_type=ErrorType.SERVER_ERROR, status_code=503).to_dict()
            >>> data["error_type"], data["status_code"], data["retryable"], data["retries"]
            ('SERVER_ERROR', 503, True, 0)
        """
        return {
            "error": self.message,
            "error_type": self.error_type.value,
            "provider": self.provider,
            "operation": self.operation,
            "status_code": self.status_code,
            "retry_after": self.retry_after,
            "request_id": self.request_id,
            "retryable": self.is_retryable(),
            "retries": self.retries,
            **(
                {
                    "input_tokens": self.metadata.input_tokens,
                    "output_tokens": self.metadata.output_tokens,
                    "cost_usd": self.metadata.cost_usd,
                }
                if self.metadata is not None
                else {}
            ),
        }

    def __str__(self) -> str:
        where = f"[{self.provider}] " if self.provider else ""
        status = f" (HTTP {self.status_code})" if self.status_code else ""
        if self.status_code and self.status_code < 400:  # an error event in a stream, or an error body under 200
            status = f" (an error in an HTTP {self.status_code} answer)"
        return f"{where}{self.error_type.value}{status}: {self.message}"

    def __repr__(self) -> str:
        return f"LLMError({self.error_type.value}, provider={self.provider!r}, status={self.status_code})"


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds to wait, from a response's ``retry-after-ms`` or ``retry-after`` header.

    ``retry-after`` is RFC 9110's header (section 10.2.3): a number of seconds (a fraction is
    accepted too) or an HTTP date. ``retry-after-ms`` is a non-standard header in milliseconds; it
    is read first, as the official OpenAI and Anthropic Python SDKs do when they retry. A value that
    is not a finite number (``nan``, ``inf``) or not a date is ignored (``None``: back off as usual);
    a negative one, or a date in the past, means now (0); a longer one than :data:`MAX_RETRY_AFTER` (a
    day, the longest a provider's quota names) is that long, so that no caller, nor a client of the
    service's ``Retry-After``, is told to wait for years.

    Args:
        headers: the response's headers; ``None`` when there was no response. Looked up by the
            lower-case names, so a plain ``dict`` needs lower-case keys (httpx's headers match any case).

    Returns:
        The wait in seconds (``0.0`` or more), or ``None`` when neither header gives a usable value.

    Examples:
        >>> parse_retry_after({"retry-after": "20"})
        20.0
        >>> parse_retry_after({"retry-after-ms": "1500", "retry-after": "2"})
        1.5
        >>> parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})  # in the past
        0.0
        >>> parse_retry_after({"retry-after": "nan"}) is None
        True
        >>> far = "Fri, 31 Dec 9999 00:00:00 GMT"
        >>> parse_retry_after({"retry-after": "1e308"}), parse_retry_after({"retry-after": far})
        (86400.0, 86400.0)
    """
    if not headers:
        return None
    millis = _finite(headers.get("retry-after-ms"))
    if millis is not None:
        return _bounded(millis / 1000)
    value = headers.get("retry-after")
    if not value:
        return None
    seconds = _finite(value)
    if seconds is not None:
        return _bounded(seconds)
    if _NUMBER.match(value):
        return None  # a number, but not a finite one
    import email.utils  # rare: only servers that send an HTTP date

    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # neither seconds nor an HTTP date: ignore it, back off as usual
    return _bounded(moment.timestamp() - time.time())


#: The longest wait a ``retry-after`` may name, in seconds (a day: a daily quota's reset); a longer one is this.
MAX_RETRY_AFTER = 86_400.0


def _bounded(seconds: float) -> float:
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


_NUMBER = re.compile(r"^\s*[-+]?(\d|\.\d|nan|inf)", re.IGNORECASE)


def _finite(text: str | None) -> float | None:
    """``text`` as a finite number of seconds, or ``None``."""
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _api_message(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):  # a body that says it is JSON and is not
        return (
            f"the server's answer is not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno}): "
            "a proxy or a server other than the API may be answering; check the base URL"
        )
    if isinstance(exc, (AttributeError, TypeError, KeyError, IndexError)):  # JSON, but not the API's (null, a list)
        return (
            "the server's answer is JSON but not the API's answer (it lacks what every answer holds): "
            "a proxy or a server other than the API may be answering; check the base URL"
        )
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        error = body.get("error", body)
        if isinstance(error, Mapping) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str):
            return error
    return str(getattr(exc, "message", None) or exc) or type(exc).__name__


def _type_for_status(status: int, text: str) -> ErrorType:
    if status == 429:
        return ErrorType.QUOTA_EXCEEDED if _QUOTA_WORDS.search(text) else ErrorType.RATE_LIMIT
    if status in (401, 403):
        return ErrorType.AUTH
    if status == 402:
        return ErrorType.QUOTA_EXCEEDED
    if status == 404:
        return ErrorType.MODEL_NOT_FOUND
    if status == 408:
        return ErrorType.TIMEOUT
    if status == 413 or (status == 400 and _CONTEXT_WORDS.search(text)):
        return ErrorType.CONTEXT_LENGTH
    if status == 400 and _FILTER_WORDS.search(text):
        return ErrorType.CONTENT_FILTER
    if status in (400, 409, 422):
        return ErrorType.VALIDATION
    if status >= 500:  # 529 is Anthropic's "overloaded"
        return ErrorType.SERVER_ERROR
    return ErrorType.UNKNOWN


def _is_transport_failure(exc: BaseException) -> bool:
    """Whether a connection error really came from the network (not, say, a test double).

    The SDKs wrap whatever their HTTP client raised. A network failure is an ``OSError`` or one
    of the HTTP client's transport errors, which share the public base ``TransportError`` in
    httpx's documented exception hierarchy; it is recognised by that name, as the SDK errors
    are, without importing the SDKs' HTTP library.
    """
    cause = exc.__cause__ or exc.__context__
    if cause is None:
        return True
    names = {cls.__name__ for cls in type(cause).__mro__}
    return isinstance(cause, OSError | TimeoutError) or "TransportError" in names


def _type_for_class(exc: BaseException) -> ErrorType:
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & {"APITimeoutError", "TimeoutException", "TimeoutError", "ReadTimeout"}:
        return ErrorType.TIMEOUT
    if names & {"APIConnectionError", "ConnectError", "NetworkError", "ConnectionError"}:
        return ErrorType.NETWORK if _is_transport_failure(exc) else ErrorType.UNKNOWN
    if names & {"ContentFilterFinishReasonError"}:
        return ErrorType.CONTENT_FILTER
    if names & {"LengthFinishReasonError"}:
        return ErrorType.CONTEXT_LENGTH
    return ErrorType.UNKNOWN


#: The providers' own error types (the ``type`` or ``code`` of an error body), which say more than a status,
#: and are all a stream's error event or an HTTP 200 carries. Anthropic's from its "Errors" documentation,
#: OpenAI's from its "Error codes" guide and the types its API returns.
_PROVIDER_TYPES = {
    "invalid_request_error": ErrorType.VALIDATION,
    "authentication_error": ErrorType.AUTH,
    "permission_error": ErrorType.AUTH,
    "not_found_error": ErrorType.MODEL_NOT_FOUND,
    "request_too_large": ErrorType.CONTEXT_LENGTH,
    "rate_limit_error": ErrorType.RATE_LIMIT,
    "api_error": ErrorType.SERVER_ERROR,
    "overloaded_error": ErrorType.SERVER_ERROR,
    "billing_error": ErrorType.QUOTA_EXCEEDED,
    "timeout_error": ErrorType.TIMEOUT,
    "server_error": ErrorType.SERVER_ERROR,
    "rate_limit_exceeded": ErrorType.RATE_LIMIT,
    "insufficient_quota": ErrorType.QUOTA_EXCEEDED,
    "invalid_api_key": ErrorType.AUTH,
    "context_length_exceeded": ErrorType.CONTEXT_LENGTH,
    "model_not_found": ErrorType.MODEL_NOT_FOUND,
    "content_filter": ErrorType.CONTENT_FILTER,
}


def _type_in_body(exc: BaseException) -> ErrorType | None:
    """The error type a provider named in the error's body (``{"error": {"type": "overloaded_error"}}``)."""
    body = getattr(exc, "body", None)
    error = body.get("error", body) if isinstance(body, Mapping) else None
    if not isinstance(error, Mapping):
        return None
    for field in ("code", "type"):  # OpenAI's code is the finer of its two
        kind = error.get(field)
        if isinstance(kind, str) and kind in _PROVIDER_TYPES:
            return _PROVIDER_TYPES[kind]
    return None


def _status_in_body(exc: BaseException) -> int | None:
    """An HTTP status a server put in an error's body (llama-server's mid-stream error events do)."""
    body = getattr(exc, "body", None)
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, int) and 400 <= code < 600 else None


def _server(exc: BaseException) -> str | None:
    """The server a failed request went to, as ``scheme://host:port``: never its path, user or query,
    which may hold credentials (the request is the SDK's public ``request`` attribute, an ``httpx.Request``)."""
    url = getattr(getattr(exc, "request", None), "url", None)
    scheme, host, port = (getattr(url, name, None) for name in ("scheme", "host", "port"))
    if not (isinstance(scheme, str) and isinstance(host, str) and host):
        return None
    return f"{scheme}://{host}" + (f":{port}" if isinstance(port, int) else "")


def from_sdk_error(
    exc: BaseException,
    *,
    provider: str,
    operation: str,
    secrets: Iterable[str | None] = (),
) -> LLMError:
    """Translate any SDK or transport exception into an :class:`LLMError`.

    The type comes from the provider's own error type in the body when it names one
    (``overloaded_error``, ``rate_limit_error``, ``insufficient_quota`` ...: a stream's error event
    arrives under HTTP 200), else from the HTTP status (the exception's ``status_code``, or a
    ``code`` in its body); without either, from the exception's class (time-outs, connection
    errors). The message refines it (context length, content filter, quota). The message is the API's own, prefixed
    with the operation, followed by what to do, and redacted. ``retry_after`` and ``request_id``
    are read from the response headers when there are any.

    Args:
        exc: the exception raised by the SDK or the transport; an :class:`LLMError` is returned as is.
        provider: the provider's name, recorded on the error and shown in its text.
        operation: what was being done (``"generate"``, ``"stream"`` ...), the message's prefix.
        secrets: strings to mask in the message (the API key), as in :func:`redact`.

    Returns:
        A new :class:`LLMError` with ``original_error=exc`` (or ``exc`` itself when it already is one).

    Examples:
        >>> class RateLimitError(Exception):
        ...     status_code = 429
        >>> error = from_sdk_error(RateLimitError("Too many requests"), provider="openai", operation="generate")
        >>> error
        LLMError(RATE_LIMIT, provider='openai', status=429)
        >>> error.message
        'generate failed: Too many requests. Slow down, or raise LLM_MAX_RETRIES to wait longer.'
        >>> from_sdk_error(ConnectionRefusedError("refused"), provider="ollama", operation="generate").error_type
        <ErrorType.NETWORK: 'NETWORK'>
    """
    if isinstance(exc, LLMError):
        return exc
    status = getattr(exc, "status_code", None)
    status = status if isinstance(status, int) else _status_in_body(exc)
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    text = _api_message(exc)
    named = _type_in_body(exc)
    error_type = named or (_type_for_status(status, text) if status else _type_for_class(exc))
    if error_type in (ErrorType.VALIDATION, ErrorType.RATE_LIMIT, ErrorType.UNKNOWN) and _QUOTA_WORDS.search(text):
        error_type = ErrorType.QUOTA_EXCEEDED  # Anthropic: a 400 invalid_request_error "credit balance is too low"
    if error_type in _VAGUE and _CONTEXT_WORDS.search(text):
        # llama-server, say, ends a stream whose context fills up with an error event (HTTP 200
        # or 500): that is the input's size, which no retry fixes.
        error_type = ErrorType.CONTEXT_LENGTH
    request_id = getattr(exc, "request_id", None) or (
        headers.get("request-id") or headers.get("x-request-id") if headers else None
    )
    hint = _WHAT_TO_DO.get(error_type, "")
    if error_type in (ErrorType.NETWORK, ErrorType.TIMEOUT) and (where := _server(exc)):
        text = f"{text.rstrip('.')} ({where})"
    message = redact(f"{operation} failed: {text.rstrip('.')}. {hint}".strip(), secrets)
    return LLMError(
        message,
        error_type=error_type,
        provider=provider,
        operation=operation,
        status_code=status,
        retry_after=parse_retry_after(headers),
        request_id=request_id if isinstance(request_id, str) else None,
        original_error=exc,
    )
