"""The playground: one static page at ``/`` that calls the API, and ``POST /api/render`` that turns Markdown into
the HTML it shows.

The page, its script and its style ship in the package (``static/``) and are served by the app: no build step, no
CDN. The page runs under a Content Security Policy that allows only the app's own scripts, styles and connections;
the HTML it shows comes from :func:`render_markdown`, which escapes any HTML in the Markdown and drops links to
``javascript:`` and the like (markdown-it-py's own link check).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from markdown_it import MarkdownIt

from ..engine.cpu import off_the_loop
from .errors import ERROR_RESPONSES, ApiError
from .schemas import MAX_RENDERED_CHARS, ErrorBody, RenderRequest, RenderResponse

__all__ = ["add_playground", "render_markdown"]

#: What the page may load and call: the app's own files and API only, no inline script, no frames.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_STATIC = resources.files(__package__) / "static"


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_markdown(text: str) -> str:
    r"""HTML for a Markdown document, safe to show: CommonMark with tables, raw HTML escaped.

    Args:
        text: the Markdown (a model's answer, the offline engine's document).

    Returns:
        The HTML. Any HTML in ``text`` comes out as text, and a link or image to ``javascript:``, ``vbscript:``,
        ``file:`` or a non-image ``data:`` URL stays unlinked (markdown-it-py's ``validateLink``).

    Examples:
        >>> render_markdown("# Add\n\n`add(a, b)` <script>x()</script>")
        '<h1>Add</h1>\n<p><code>add(a, b)</code> &lt;script&gt;x()&lt;/script&gt;</p>\n'
        >>> render_markdown("[click](javascript:alert(1))")
        '<p>[click](javascript:alert(1))</p>\n'
    """
    return str(_markdown().render(text))


def add_playground(app: FastAPI, authorized: Callable[..., Awaitable[None]]) -> None:
    """Serve the playground page at ``/``, its files at ``/static``, and ``POST /api/render``.

    Args:
        app: the API's app.
        authorized: the dependency that checks the bearer token (when the service asks for one).

    Examples:
        >>> from fastapi.testclient import TestClient
        >>> app = FastAPI()
        >>> async def anyone() -> None:
        ...     pass
        >>> add_playground(app, anyone)
        >>> page = TestClient(app).get("/")
        >>> page.status_code, "script-src 'self'" in page.headers["content-security-policy"]
        (200, True)
    """
    page = (_STATIC / "index.html").read_text(encoding="utf-8")
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }

    @app.get("/", include_in_schema=False)
    async def playground() -> HTMLResponse:
        return HTMLResponse(page, headers=headers)

    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")

    @app.post(
        "/api/render",
        tags=["playground"],
        dependencies=[Depends(authorized)],
        response_model=RenderResponse,
        responses={
            400: {"description": "Malformed JSON", "model": ErrorBody},
            401: {**ERROR_RESPONSES[401], "model": ErrorBody},
            413: {"description": "The Markdown is longer than 300,000 characters", "model": ErrorBody},
            422: {"description": "A field of the wrong type", "model": ErrorBody},
        },
    )
    async def render(body: RenderRequest) -> dict[str, Any]:
        r"""HTML for a Markdown document, safe to show (raw HTML escaped, ``javascript:`` links dropped)."""
        if len(body.markdown) > MAX_RENDERED_CHARS:
            raise ApiError(
                413,
                "PAYLOAD_TOO_LARGE",
                f"markdown has {len(body.markdown):,} characters; at most {MAX_RENDERED_CHARS:,} are rendered.",
            )
        return {
            "html": await off_the_loop(len(body.markdown), render_markdown, body.markdown)
        }  # CPU work, off the event loop
