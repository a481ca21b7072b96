"""Read what a cassette recorded, to compare it with what the provider reported."""

from __future__ import annotations

import json
from typing import Any


def response_json(cassette: Any, index: int = -1) -> dict[str, Any]:
    """The JSON body of a recorded response (the last event carrying usage, for a stream)."""
    body = cassette.responses[index]["body"]["string"]
    text = body.decode() if isinstance(body, bytes) else body
    if not text.lstrip().startswith(("data:", "event:")):
        return dict(json.loads(text))
    usage: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.startswith("data:") or line.strip() == "data: [DONE]":
            continue
        event = json.loads(line[5:])
        if event.get("usage"):
            usage = {**usage, **event["usage"]}
        if event.get("type") == "message_start":
            usage = {**event["message"]["usage"], **usage}
    return {"usage": usage}


def request_json(cassette: Any, index: int = -1) -> dict[str, Any]:
    return dict(json.loads(cassette.requests[index].body))


def calls_made(cassette: Any) -> int:
    """How many requests the test sent: played back, or (while recording) recorded."""
    replaying = str(cassette.record_mode) in ("none", "RecordMode.NONE")
    return int(cassette.play_count) if replaying else len(cassette.requests)
