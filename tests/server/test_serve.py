"""``codescribe serve`` as a user runs it: a process of its own, called with curl (README, "Serving the HTTP API")."""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest

from .support import ServeProcess

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
CODE = "def add(a, b):\n    return a + b\n"


def answer(printed: str) -> tuple[int, str]:
    """(status, body) of what :meth:`ServeProcess.curl` printed."""
    body, _, status = printed.rstrip("\n").rpartition("\nHTTP ")
    return int(status), body


def sse(body: str) -> list[tuple[str, dict[str, Any]]]:
    """The (event, data) pairs of a Server-Sent Events body."""
    found, name = [], ""
    for line in body.splitlines():
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            found.append((name, json.loads(line.split(":", 1)[1])))
    return found


def test_serve_answers_curl_on_both_endpoints_and_the_playground_with_the_offline_engine() -> None:
    request = json.dumps({"code": CODE, "docType": "api", "filename": "calc.py"})
    with ServeProcess(LLM_PROVIDER="offline") as served:
        status, body = answer(
            served.curl(f"{served.url}/api/generate", "-H", "content-type: application/json", "-d", request)
        )
        stream_status, stream = answer(
            served.curl(
                "-N", f"{served.url}/api/generate-stream", "-H", "content-type: application/json", "-d", request
            )
        )
        page_status, page = answer(served.curl(f"{served.url}/"))

    assert status == 200, body
    generated = json.loads(body)
    assert generated["metadata"]["provider"] == "offline"
    assert generated["documentation"].startswith("# API reference: `calc.py`")
    assert "`add`" in generated["documentation"] or "add(" in generated["documentation"]

    assert stream_status == 200
    events = sse(stream)
    names = [name for name, _ in events]
    assert names[0] == "connected"
    assert names[-1] == "complete"
    streamed = "".join(data["text"] for name, data in events if name == "chunk")
    assert streamed == generated["documentation"]  # the offline engine writes the same document twice

    assert page_status == 200
    assert "<title>CodeScribe playground</title>" in page
    assert f"the playground at http://127.0.0.1:{served.port}/" in served.log
    assert served.log.count("request_id=") == 3  # the access log: one line per request
