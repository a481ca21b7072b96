"""The FastAPI app: the original service's endpoints, on the document generator.

``POST /api/generate`` and ``POST /api/generate-stream`` (Server-Sent Events) document code;
``GET /api/health``, ``/api/doc-types`` and ``/api/providers`` describe the service. The provider
and model come from ``X-LLM-Provider`` / ``X-LLM-Model`` among those allowed
(:class:`~codescribe.server.settings.ServerSettings`), never a base URL or a key.
"""

import asyncio
import functools
import hmac
import json
import logging
import re
import uuid
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict
from time import perf_counter
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from .. import __version__
from ..engine.analysis import LANGUAGES, SourceError, detect_language
from ..engine.doc_types import DOC_TYPES
from ..engine.generator import DocResult
from ..llm.errors import LLMError
from ..progress import printable
from .errors import ERROR_RESPONSES, ApiError, error_response
from .playground import add_playground
from .schemas import ErrorBody, GenerateRequest, GenerateResponse
from .service import Choice, Service, Ticket
from .settings import MAX_CODE_CHARS, ServerSettings

__all__ = ["create_app"]

log = logging.getLogger("codescribe.server")
#: The largest request body read (JSON of 100,000 characters of code, escaped); a larger one is a 413 unread.
MAX_BODY_BYTES = 2_000_000
#: Seconds between keep-alive comments on an idle stream.
KEEP_ALIVE_SECONDS = 15
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    r"""The app, for ``codescribe serve`` or any ASGI server (``codescribe.server:app``).

    Args:
        settings: what requests may choose, and the limits; ``None``: from the environment.

    Returns:
        The FastAPI app.

    Raises:
        ValueError: a ``CODESCRIBE_*`` setting is not valid (the message names it).

    Examples:
        >>> from fastapi.testclient import TestClient
        >>> api = TestClient(create_app(ServerSettings.from_env({})), base_url="http://localhost")
        >>> api.get("/api/doc-types").json()
        {'docTypes': ['readme', 'api', 'architecture', 'docstrings', 'module']}
        >>> answer = api.post("/api/generate", json={"code": "def add(a, b):\n    return a + b\n", "docType": "api"})
        >>> answer.status_code, answer.json()["metadata"]["provider"]
        (200, 'offline')
    """
    settings = settings or ServerSettings.from_env()
    service = Service(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await service.aclose()

    app = FastAPI(
        title="CodeScribe",
        version=__version__,
        description="Documentation for code, written by a language model or the offline engine, with a quality score.",
        lifespan=lifespan,
    )
    app.state.service = service
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-LLM-Provider", "X-LLM-Model", "X-Request-ID"],
            expose_headers=["Retry-After", "X-Request-ID"],
        )
    app.add_middleware(_RequestLog, settings=settings)
    _add_error_handlers(app)
    _add_routes(app, service)
    return app


def _add_routes(app: FastAPI, service: Service) -> None:
    settings = service.settings

    # async: FastAPI runs a plain function on its thread pool, a hop per request for a check of microseconds
    async def authorized(authorization: Annotated[str | None, Header()] = None) -> None:
        if not _token_sent(authorization, settings.api_token):
            raise ApiError(401, "UNAUTHORIZED", _UNAUTHORIZED)

    provider_header = Header(
        description="The provider to write with, among those allowed (an alias too); default: the service's.",
        json_schema_extra={"enum": list(settings.allowed_providers)},
    )
    model_header = Header(
        description="The model to write with, among those allowed; default: the provider's configured one.",
        json_schema_extra={"enum": list(settings.allowed_models)},
        include_in_schema=bool(settings.allowed_models),  # none allowed: the header is refused, not offered
    )

    async def chosen(
        x_llm_provider: Annotated[str | None, provider_header] = None,
        x_llm_model: Annotated[str | None, model_header] = None,
    ) -> Choice:
        return service.choose(x_llm_provider, x_llm_model)

    _add_info_routes(app, service, authorized)
    add_playground(app, authorized)
    _add_generate_routes(app, service, authorized, chosen)


def _add_info_routes(app: FastAPI, service: Service, authorized: Callable[..., Awaitable[None]]) -> None:
    settings = service.settings

    @app.get("/api/health", tags=["service"])
    async def health() -> dict[str, Any]:
        """The service's status, version, default provider and which providers are configured (never a key)."""
        return {
            "status": "ok",
            "version": __version__,
            "defaultProvider": settings.default_provider,
            "providers": service.providers(),
        }

    @app.get("/api/doc-types", tags=["service"])
    async def doc_types() -> dict[str, list[str]]:
        """The doc types ``docType`` takes."""
        return {"docTypes": list(DOC_TYPES)}

    @app.get(
        "/api/providers", tags=["service"], dependencies=[Depends(authorized)], responses={401: ERROR_RESPONSES[401]}
    )
    async def providers() -> dict[str, Any]:
        """The providers and models a request may choose with ``X-LLM-Provider`` and ``X-LLM-Model``."""
        return {
            "default": settings.default_provider,
            "providers": service.providers(),
            "models": list(settings.allowed_models),
        }


def _add_generate_routes(
    app: FastAPI,
    service: Service,
    authorized: Callable[..., Awaitable[None]],
    chosen: Callable[..., Awaitable[Choice]],
) -> None:
    responses = {status: {**spec, "model": ErrorBody} for status, spec in ERROR_RESPONSES.items()}

    @app.post(
        "/api/generate",
        tags=["generate"],
        response_model=GenerateResponse,
        responses=responses,
        dependencies=[Depends(authorized)],
    )
    async def generate(body: GenerateRequest, choice: Annotated[Choice, Depends(chosen)]) -> dict[str, Any]:
        """Document ``code`` as ``docType``, with its quality score, analysis and the call's metadata."""
        _check(body)
        generator = service.generator(choice)
        async with service.gate(choice).reserve():
            result = await generator.agenerate_documentation(body.code, **_options(body))
        return _response(result)

    stream_responses = {
        200: {
            "description": "Server-Sent Events: connected, chunk..., complete or error",
            "content": {"text/event-stream": {}},
        },
        **responses,
    }

    @app.post(
        "/api/generate-stream",
        tags=["generate"],
        response_class=EventSourceResponse,
        responses=stream_responses,
        dependencies=[Depends(authorized)],
    )
    async def generate_stream(
        body: GenerateRequest, request: Request, choice: Annotated[Choice, Depends(chosen)]
    ) -> EventSourceResponse:
        """Document ``code`` as the text arrives: events ``connected``, ``chunk`` (text), then ``complete``
        (the document's quality and metadata) or ``error`` (type, message, retryability, ``retryAfter``)."""
        _check(body)
        generator = service.generator(choice)
        request_id = request.scope.get("state", {}).get("request_id")
        run = functools.partial(generator.agenerate_documentation_streaming, body.code, **_options(body))
        ticket = service.gate(choice).reserve()  # refused here, with the status a client can act on
        return _HeldStream(_events(run, ticket, choice, request_id), ticket, ping=KEEP_ALIVE_SECONDS)


class _HeldStream(EventSourceResponse):
    """An event stream that gives back its gate place when it ends, even if its events never started.

    A generator that is never iterated never runs its ``finally``: a client that leaves before the first
    event would keep its place for good. The place is released when the response has been sent or
    failed, and, as a last resort, when the response is collected without ever being sent.
    """

    def __init__(self, content: AsyncIterator[dict[str, str]], ticket: Ticket, **options: Any) -> None:
        super().__init__(content, **options)
        self._ticket = ticket
        weakref.finalize(self, ticket.release)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._ticket.release()


async def _events(
    generate: Callable[[Callable[[str], None]], Awaitable[DocResult]],
    ticket: Ticket,
    choice: Choice,
    request_id: str | None,
) -> AsyncIterator[dict[str, str]]:
    """The events of one stream: ``connected``, a ``chunk`` per piece of text, then ``complete`` or ``error``.

    When the client goes away, the iterator is closed: the call is cancelled, and its connection closed.
    """
    chunks: asyncio.Queue[str | None] = asyncio.Queue()  # the text as it comes, then None

    async def run() -> DocResult:
        try:
            async with ticket:
                return await generate(chunks.put_nowait)
        finally:
            chunks.put_nowait(None)

    yield {"event": "connected", "data": json.dumps({"requestId": request_id, "provider": choice.provider})}
    task = asyncio.create_task(run())
    try:
        while (text := await chunks.get()) is not None:
            yield {"event": "chunk", "data": json.dumps({"text": text})}
        try:
            final = _response(await task, analysis=False)
        except (LLMError, ApiError, ValueError) as exc:  # ValueError: SourceError too
            yield {"event": "error", "data": json.dumps(_stream_error(exc, request_id))}
            return
        yield {
            "event": "complete",
            "data": json.dumps({key: final[key] for key in ("qualityScore", "metadata", "warnings")}),
        }
    finally:
        task.cancel()  # the client went away: the provider call is cancelled, its connection closed


def _check(body: GenerateRequest) -> None:
    if len(body.code) > MAX_CODE_CHARS:
        raise ApiError(
            413, "PAYLOAD_TOO_LARGE", f"code has {len(body.code):,} characters; at most {MAX_CODE_CHARS:,} are taken."
        )
    if body.docType.strip().lower() not in DOC_TYPES:
        raise ApiError(400, "VALIDATION", f"docType {body.docType!r} is not one of {', '.join(DOC_TYPES)}.")
    language = body.language.strip().lower() if body.language else None
    if language is not None and language not in LANGUAGES.values():
        known = ", ".join(sorted(set(LANGUAGES.values())))
        raise ApiError(400, "VALIDATION", f"language {body.language!r} is not one CodeScribe reads: {known}.")
    if language is None and body.filename and detect_language(body.filename) is None:
        raise ApiError(400, "VALIDATION", f"filename {body.filename!r} has no suffix CodeScribe reads; give language.")


def _options(body: GenerateRequest) -> dict[str, Any]:
    return {
        "doc_type": body.docType.strip().lower(),
        "language": body.language,
        "filename": body.filename,
        "enable_caching": body.enableCaching,
    }


def _response(result: DocResult, *, analysis: bool = True) -> dict[str, Any]:
    """A result as the API answers it (the original service's field names); ``analysis=False`` leaves out the
    analysis, which a stream's ``complete`` event does not carry (it is the largest part to build)."""
    if result.error is not None:  # the offline engine's can only be the code's (it does not parse); a model's, its own
        offline = result.metadata.get("provider") == "offline"
        raise ApiError(422 if offline else 502, result.error_type or "UNUSABLE", result.error)
    meta, quality = result.metadata, result.quality
    return {
        "documentation": result.documentation,
        "qualityScore": {
            "score": quality.score,
            "grade": quality.grade,
            "breakdown": [
                {
                    "name": c.name,
                    "points": c.points,
                    "maxPoints": c.max_points,
                    "status": c.status,
                    "suggestion": c.suggestion,
                }
                for c in quality.breakdown
            ],
            "suggestions": [c.suggestion for c in quality.breakdown if c.suggestion],
        },
        "analysis": asdict(result.analysis) if analysis else None,
        "metadata": {
            "provider": meta.get("provider") or "offline",
            "model": meta.get("model") or "",
            "inputTokens": meta.get("input_tokens") or 0,
            "outputTokens": meta.get("output_tokens") or 0,
            "cacheReadTokens": meta.get("cache_read_tokens") or 0,
            "cacheWriteTokens": meta.get("cache_write_tokens") or 0,
            "wasCached": bool(meta.get("cache_read_tokens")),
            "latencyMs": meta.get("latency_ms") or 0.0,
            "costUsd": meta.get("cost_usd"),
            "requestId": meta.get("request_id"),
            "promptVersion": meta.get("prompt_version") or "",
        },
        "warnings": list(result.warnings),
    }


def _api_error(exc: Exception) -> ApiError:
    """How an expected error is answered: an :class:`ApiError` as it is, a provider's by its type (see
    :meth:`ApiError.from_llm_error`), any other (code that cannot be analysed) a 400."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, LLMError):
        return ApiError.from_llm_error(exc)
    return ApiError(400, "VALIDATION", str(exc))


def _stream_error(exc: Exception, request_id: str | None) -> dict[str, Any]:
    error = _api_error(exc)
    return {
        "type": error.error_type,
        "message": error.message,
        "retryable": error.retryable,
        "retryAfter": error.retry_after,
        "requestId": request_id,
    }


def _add_error_handlers(app: FastAPI) -> None:
    def request_id(request: Request) -> str | None:
        found = request.scope.get("state", {}).get("request_id")
        return found if isinstance(found, str) else None

    async def expected(request: Request, exc: Exception) -> JSONResponse:
        error = _api_error(exc)
        return error_response(
            error.status,
            error.error_type,
            error.message,
            retryable=error.retryable,
            retry_after=error.retry_after,
            request_id=request_id(request),
        )

    for kind in (ApiError, LLMError, SourceError):
        app.add_exception_handler(kind, expected)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI's own: a body that is not UTF-8 JSON (400), an unknown path (404) or method (405)
        error_type = {400: "MALFORMED_JSON", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}.get(
            exc.status_code, "HTTP_ERROR"
        )
        return error_response(
            exc.status_code, error_type, str(exc.detail), request_id=request_id(request), headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(error.get("type") == "json_invalid" for error in errors):
            return error_response(400, "MALFORMED_JSON", "The body is not valid JSON.", request_id=request_id(request))
        where = "; ".join(
            f"{'.'.join(str(part) for part in error.get('loc', ())[1:]) or 'body'}: {error.get('msg')}"
            for error in errors
        )
        return error_response(
            422, "VALIDATION", f"The body does not match the schema: {where}.", request_id=request_id(request)
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error, request %s", request_id(request))
        return error_response(
            500, "INTERNAL", "The service failed; the error is in its log.", request_id=request_id(request)
        )


def _counted(receive: Receive) -> Receive:
    """``receive``, raising a 413 once more than :data:`MAX_BODY_BYTES` of body came (a chunked body names no
    length to refuse it by)."""
    received = 0

    async def receive_counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise StarletteHTTPException(413, f"The body is over {MAX_BODY_BYTES:,} bytes.")
        return message

    return receive_counted


_UNAUTHORIZED = "Send the service's token: Authorization: Bearer <CODESCRIBE_API_TOKEN>."
_UNKNOWN_HOST = (
    "Host {host!r} is not a name this service answers to. Without CODESCRIBE_API_TOKEN it answers only to "
    "localhost and loopback addresses; the operator can list more names in CODESCRIBE_ALLOWED_HOSTS."
)


def _token_sent(authorization: str | None, token: str | None) -> bool:
    """Whether an ``Authorization`` header carries the service's token (always, when it has none)."""
    if token is None:
        return True
    scheme, _, sent = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode())


class _RequestLog:
    """Gives each request an id (``X-Request-ID``, the client's if it sent a plain one) and logs one line
    per request: method, path, status, milliseconds, id. Never a header's value or the body. A body
    that says it is larger than :data:`MAX_BODY_BYTES` is answered 413 unread (a chunked one once that much
    has arrived), and a ``POST`` without the service's token 401 unread."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], settings: ServerSettings) -> None:
        self.app, self.settings, self.token = app, settings, settings.api_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope.get("headers", [])}
        given = headers.get("x-request-id", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            refusal = self._refusal(headers, scope.get("method"))
            if refusal is None:
                await self.app(scope, _counted(receive), send_with_id)
            else:
                await error_response(*refusal, request_id=request_id)(scope, receive, send_with_id)
        finally:
            elapsed = (perf_counter() - started) * 1000
            path = printable(str(scope.get("path")))  # decoded: a %0a or %1b would forge or colour a line
            log.info("%s %s %s %.0f ms request_id=%s", scope.get("method"), path, status, elapsed, request_id)

    def _refusal(self, headers: dict[str, str], method: str | None) -> tuple[int, str, str] | None:
        """The status, type and message a request is answered with unread, or ``None`` to read it."""
        length = headers.get("content-length", "0")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            return 413, "PAYLOAD_TOO_LARGE", f"The body is over {MAX_BODY_BYTES:,} bytes."
        if not self.settings.answers_host(headers.get("host")):
            # a page that rebinds its own domain to this machine sends its own name (DNS rebinding)
            return 400, "HOST", _UNKNOWN_HOST.format(host=printable(headers["host"])[:100])
        if method == "POST" and not _token_sent(headers.get("authorization"), self.token):
            # every POST asks for the token: it is checked before the body is read, not after
            return 401, "UNAUTHORIZED", _UNAUTHORIZED
        return None
