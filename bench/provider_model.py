"""A realistic model of a provider, on loopback, in time scaled down for a benchmark.

What users meet against a real provider, and what this server plays (every duration is given
in real seconds and divided by ``--scale``):

* **Latency from a heavy-tailed distribution**: log-normal, ``--median`` seconds, shape
  ``--sigma`` (0.8: the p99 call takes about 6x the median), drawn per request from ``--seed``.
* **A requests-per-minute cap**, enforced as providers document it: a token bucket refilled
  continuously at ``--rpm`` a minute that holds one second's worth (a per-minute limit enforced
  per second; the second is scaled like every other duration, so client and provider measure
  it alike). A request over the cap gets a 429 with ``retry-after`` (and ``retry-after-ms``)
  saying when a token will be there.
* **Bursts of 429s the client did not cause** (overload elsewhere): periods starting at random
  (``--burst-every`` seconds apart on average, exponentially distributed) and lasting
  ``--burst-length`` seconds, during which every request gets a 429 with ``retry-after: 2``.

It answers OpenAI Chat Completions (``/v1/chat/completions``), streamed or not, with usage.
``GET /stats`` returns its counts (requests, answered, 429s from the cap, 429s from bursts) and
the latency it drew for each answered request, in order.

Run it as ``python bench/provider_model.py --port N [options]``; ``bench/eval_realistic.py``
starts it in its own process, so that its CPU is not counted as the harness's.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["ProviderModel", "main"]

DOCUMENT = (
    "# Module\n\n## Overview\n\nThis module keeps an inventory of items and their quantities.\n\n"
    "## Installation\n\n```bash\npip install inventory\n```\n\n## Usage\n\n```python\n"
    "from inventory import Inventory\ninv = Inventory()\ninv.add_item('apple', 3)\n```\n\n"
    "## API\n\n- `add_item(name, count)`: adds `count` of `name`.\n"
)


class ProviderModel:
    """The provider's state: its bucket, its burst schedule, its random latencies and its counts."""

    def __init__(self, options: argparse.Namespace) -> None:
        self.scale = options.scale
        self.median = options.median / self.scale
        self.sigma = options.sigma
        self.rate = options.rpm / 60 * self.scale  # tokens per scaled second
        self.capacity = max(1.0, self.rate)  # one (scaled) second's worth
        self.tokens = self.capacity
        self.refilled = time.monotonic()
        self.random = random.Random(options.seed)
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.bursts = self._schedule(options.burst_every / self.scale, options.burst_length / self.scale, 3_600)
        self.burst_retry_after = 2.0 / self.scale
        self.counts = {"requests": 0, "answered": 0, "cap_429": 0, "burst_429": 0}
        #: The latency drawn for each answered request, in order (scaled seconds).
        self.latencies: list[float] = []

    def _schedule(self, every: float, length: float, horizon: float) -> list[tuple[float, float]]:
        if every <= 0 or length <= 0:
            return []
        bursts, at = [], 0.0
        while at < horizon:
            at += self.random.expovariate(1 / every)
            bursts.append((at, at + length))
            at += length
        return bursts

    def admit(self) -> tuple[float | None, float]:
        """(seconds to wait before retrying, or None when admitted; the latency to play if admitted)."""
        with self.lock:
            self.counts["requests"] += 1
            now = time.monotonic()
            since = now - self.started
            for start, end in self.bursts:
                if start > since:
                    break
                if since < end:
                    self.counts["burst_429"] += 1
                    return self.burst_retry_after, 0.0
            self.tokens = min(self.capacity, self.tokens + (now - self.refilled) * self.rate)
            self.refilled = now
            if self.tokens < 1:
                self.counts["cap_429"] += 1
                return (1 - self.tokens) / self.rate, 0.0
            self.tokens -= 1
            self.counts["answered"] += 1
            latency = self.median * math.exp(self.sigma * self.random.gauss())
            self.latencies.append(latency)
            return None, latency


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        model = self.server.model
        self._send(200, json.dumps({**model.counts, "latencies": model.latencies}).encode(), "application/json")

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
        wait, latency = self.server.model.admit()
        if wait is not None:
            error = {"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}
            headers = {"retry-after": f"{wait:.3f}", "retry-after-ms": f"{wait * 1000:.0f}"}
            self._send(429, json.dumps(error).encode(), "application/json", headers)
            return
        time.sleep(latency)
        prompt = sum(len(message.get("content") or "") for message in body.get("messages", []))
        usage = {
            "prompt_tokens": prompt // 4,
            "completion_tokens": len(DOCUMENT) // 4,
            "total_tokens": prompt // 4 + len(DOCUMENT) // 4,
        }
        model = body.get("model", "model")
        if not body.get("stream"):
            answer = {
                "id": "c",
                "object": "chat.completion",
                "created": 1,
                "model": model,
                "usage": usage,
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": DOCUMENT}, "finish_reason": "stop"}
                ],
            }
            self._send(200, json.dumps(answer).encode(), "application/json")
            return
        chunks = [DOCUMENT[i : i + 40] for i in range(0, len(DOCUMENT), 40)]
        events: list[dict[str, Any]] = [
            {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]} for piece in chunks
        ]
        events += [{"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}, {"choices": [], "usage": usage}]
        stream = "".join(
            f"data: {json.dumps({'id': 'c', 'object': 'chat.completion.chunk', 'created': 1, 'model': model, **e})}\n\n"
            for e in events
        )
        self._send(200, (stream + "data: [DONE]\n\n").encode(), "text/event-stream")

    def _send(self, status: int, payload: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    model: ProviderModel


def options(argv: list[str] | None = None) -> argparse.Namespace:
    """The server's settings (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--scale", type=float, default=10.0, help="real seconds per benchmark second (10)")
    parser.add_argument("--median", type=float, default=4.0, help="median latency, real seconds (4)")
    parser.add_argument("--sigma", type=float, default=0.8, help="log-normal shape of the latency (0.8)")
    parser.add_argument("--rpm", type=float, default=600.0, help="the cap, requests per real minute (600)")
    parser.add_argument("--burst-every", type=float, default=300.0, help="mean real seconds between bursts (300)")
    parser.add_argument("--burst-length", type=float, default=3.0, help="real seconds a burst lasts (3)")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Serve until killed."""
    settings = options(argv)
    server = _Server(("127.0.0.1", settings.port), _Handler)
    server.model = ProviderModel(settings)
    server.serve_forever()


if __name__ == "__main__":
    main()
