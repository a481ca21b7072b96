"""The JSON bodies of the HTTP API: the original service's field names (camelCase), as pydantic models.

They are the OpenAPI schema's too (``/openapi.json``): what a client may send and will get.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..engine.analysis import LANGUAGES
from ..engine.doc_types import DOC_TYPES
from .settings import MAX_CODE_CHARS

__all__ = [
    "MAX_RENDERED_CHARS",
    "Criterion",
    "ErrorBody",
    "ErrorDetail",
    "GenerateRequest",
    "GenerateResponse",
    "Metadata",
    "QualityScore",
    "RenderRequest",
    "RenderResponse",
]

#: The most characters of Markdown one render request may send (a long document; more is a 413).
MAX_RENDERED_CHARS = 300_000


#: A file name whose suffix names a language CodeScribe reads (or no name at all), as a JSON Schema pattern.
_FILENAME = r"^(.*[^/\\.]\.(" + "|".join(sorted(suffix.removeprefix(".") for suffix in LANGUAGES)) + r"))?$"


class GenerateRequest(BaseModel):
    """What to document.

    Examples:
        >>> GenerateRequest(code="x = 1", docType="README").docType
        'README'

    Attributes:
        code: the source text (at most 100,000 characters: more is a 413).
        docType: ``readme``, ``api``, ``architecture``, ``docstrings`` or ``module`` (any case: the original
            service's ``README`` too).
        language: the code's language (``python``, ``typescript`` ...); ``None``: from ``filename``, else Python.
        filename: the file's name, for the language and the document's title.
        enableCaching: prompt caching for this call (Anthropic's ``cache_control``); ``None``: the provider's setting.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    code: str = Field(
        min_length=1,
        description="The source text; at most 100,000 characters (more is a 413).",
        json_schema_extra={"maxLength": MAX_CODE_CHARS},
    )
    docType: str = Field(
        default="readme",
        description="The doc type, in any case (the original service's README too).",
        json_schema_extra={"enum": [*DOC_TYPES, *(name.upper() for name in DOC_TYPES)]},
    )
    language: str | None = Field(
        default=None,
        description="The code's language; without it, filename's suffix names it, else Python.",
        json_schema_extra={"enum": [*sorted(set(LANGUAGES.values())), None]},
    )
    filename: str | None = Field(
        default=None,
        max_length=1024,
        description="The file's name, for the title (and the language, when language is not given).",
        json_schema_extra={"pattern": _FILENAME},
    )
    enableCaching: bool | None = None


class Criterion(BaseModel):
    """One line of the quality breakdown: the points a criterion earned of its maximum.

    Examples:
        >>> Criterion(name="Examples", points=0, maxPoints=15, status="missing", suggestion="Add one.").maxPoints
        15.0
    """

    name: str
    points: float
    maxPoints: float
    status: str
    suggestion: str | None


class QualityScore(BaseModel):
    """The document's quality: score 0-100, grade A-F, the breakdown and what to improve.

    Examples:
        >>> QualityScore(score=88, grade="B", breakdown=[], suggestions=[]).grade
        'B'
    """

    score: int
    grade: str
    breakdown: list[Criterion]
    suggestions: list[str]


class Metadata(BaseModel):
    """Who wrote the document and what it cost (tokens as the provider counted them, cost in USD).

    Examples:
        >>> sorted(Metadata.model_fields)[:3]
        ['cacheReadTokens', 'cacheWriteTokens', 'costUsd']
    """

    provider: str
    model: str
    inputTokens: int
    outputTokens: int
    cacheReadTokens: int
    cacheWriteTokens: int
    wasCached: bool
    latencyMs: float
    costUsd: float | None
    requestId: str | None
    promptVersion: str


class GenerateResponse(BaseModel):
    """A document, its quality, what analysis found in the code, and the call's metadata.

    Examples:
        >>> list(GenerateResponse.model_fields)
        ['documentation', 'qualityScore', 'analysis', 'metadata', 'warnings']
    """

    documentation: str
    qualityScore: QualityScore
    analysis: dict[str, Any]
    metadata: Metadata
    warnings: list[str] = []


class ErrorDetail(BaseModel):
    """What went wrong: a type (``VALIDATION``, ``RATE_LIMIT`` ...), a message, whether trying again may help.

    Examples:
        >>> ErrorDetail(type="BUSY", message="try again", retryable=True, retryAfter=1).retryAfter
        1.0
    """

    type: str
    message: str
    retryable: bool
    retryAfter: float | None = None
    requestId: str | None = None


class ErrorBody(BaseModel):
    """Every error the API answers has this shape.

    Examples:
        >>> ErrorBody(error=ErrorDetail(type="BUSY", message="try again", retryable=True)).model_dump()["error"]["type"]
        'BUSY'
    """

    error: ErrorDetail


class RenderRequest(BaseModel):
    """Markdown for the playground to show as HTML.

    Attributes:
        markdown: the document (at most 300,000 characters: more is a 413; the playground then shows the text).

    Examples:
        >>> RenderRequest(markdown="# Title").markdown
        '# Title'
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    markdown: str = Field(
        description="The Markdown; at most 300,000 characters (more is a 413).",
        json_schema_extra={"maxLength": MAX_RENDERED_CHARS},
    )


class RenderResponse(BaseModel):
    """The HTML of a Markdown document, safe to show (raw HTML escaped, ``javascript:`` links left unlinked).

    Examples:
        >>> RenderResponse(html="<h1>Title</h1>").html
        '<h1>Title</h1>'
    """

    html: str
