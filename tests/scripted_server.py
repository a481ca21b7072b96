"""A scripted loopback server that speaks the OpenAI and Anthropic wire formats.

The project's own test double for what needs a real socket (the library's providers are otherwise
mocked at the transport, ``tests/providers/mock_transport.py``): it answers
``/v1/chat/completions``, ``/openai/deployments/<name>/chat/completions`` (Azure) and
``/v1/messages`` with canned, well-formed responses, streaming included, and plays a
script of failures first: any status, headers, body or delay. Tests use it to produce the
responses a real server cannot be made to give (429 with ``retry-after``, 529, 500, a
time-out); the benchmarks use it as a fast loopback server::

    with ScriptedLLMServer() as server:
        server.push(Reply(429, headers={"retry-after": "1"}), Reply(200))
        ...  # the first call gets a 429, the retry succeeds
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from codescribe.testing.loopback import LoopbackServer

__all__ = ["Reply", "ScriptedLLMServer"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer. Status 200 with no body means "a normal, successful answer".

    Attributes:
        status: the HTTP status to answer with.
        headers: extra response headers, e.g. ``{"retry-after": "1"}``.
        body: a JSON body to send as it is, instead of the normal answer; ``None``: the normal
            answer for status 200, else ``{"error": {"message": "scripted"}}``.
        delay: seconds from the request's arrival to the answer (the server's own work included).
        stream_error: for a streaming request answered normally: the data of an error event sent
            in place of the stream's last three events (for Anthropic, as an ``error`` event);
            ``None`` for a stream that ends well.
        raw: a body sent as it is, as ``text/html`` unless ``headers`` names a ``content-type`` (a proxy's
            page, a body that is not JSON); ``None`` for the normal answer or ``body``.
        trickle: bytes per second to send the body at (a server that holds a call open by sending a
            byte now and then); 0 sends it at once. The server stops when the client disconnects.

    Examples:
        >>> Reply(429, headers={"retry-after": "1"})
        Reply(status=429, headers={'retry-after': '1'}, body=None, delay=0.0, stream_error=None, raw=None, trickle=0.0)
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    delay: float = 0.0
    #: For a streaming request: stream normally, then fail with this error event mid-stream.
    stream_error: dict[str, Any] | None = None
    raw: bytes | None = None
    trickle: float = 0.0


@dataclass
class ReceivedRequest:
    """A request the server received, kept in :attr:`ScriptedLLMServer.requests` in arrival order.

    Attributes:
        path: the request's path, e.g. ``/v1/chat/completions``.
        headers: its headers, by name as sent.
        body: its JSON body, decoded (``{}`` for an empty body).
        at: ``time.monotonic()`` when it arrived, in seconds.
    """

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    #: ``time.monotonic()`` when the request arrived.
    at: float = field(default_factory=time.monotonic)


def _sse(events: list[tuple[str | None, dict[str, Any] | str]]) -> bytes:
    lines = []
    for name, data in events:
        payload = data if isinstance(data, str) else json.dumps(data)
        lines.append((f"event: {name}\n" if name else "") + f"data: {payload}\n\n")
    return "".join(lines).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm and
        # delayed ACKs hold back every answer.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        arrived = time.monotonic()
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        owner = self.server.owner
        owner.requests.append(ReceivedRequest(self.path, dict(self.headers.items()), body))
        owner.track_in_flight(+1)
        try:
            reply = owner.next_reply()
            status, payload, content_type = self._payload(owner, body, reply)
            if reply.delay:  # the model's time, from the request's arrival: this server's own work included
                time.sleep(max(0.0, reply.delay - (time.monotonic() - arrived)))
            self._send(status, payload, content_type, reply.headers, reply.trickle)
        finally:
            owner.track_in_flight(-1)

    def _payload(self, owner: ScriptedLLMServer, body: dict[str, Any], reply: Reply) -> tuple[int, bytes, str]:
        """(status, body, content type) of the answer to ``body``."""
        if reply.raw is not None:
            return reply.status, reply.raw, reply.headers.get("content-type", "text/html")
        if reply.status != 200 or reply.body is not None:
            payload = reply.body if reply.body is not None else {"error": {"message": "scripted"}}
            return reply.status, json.dumps(payload).encode(), "application/json"
        anthropic = self.path.rstrip("/").endswith("/messages")
        if body.get("stream"):
            events = owner.anthropic_stream(body) if anthropic else owner.openai_stream(body)
            if reply.stream_error is not None:
                events = [*events[:-3], ("error" if anthropic else None, reply.stream_error)]
            return 200, _sse(events), "text/event-stream"
        answer = owner.anthropic_message(body) if anthropic else owner.openai_completion(body)
        return 200, json.dumps(answer).encode(), "application/json"

    def _send(self, status: int, payload: bytes, content_type: str, headers: dict[str, str], trickle: float) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(payload)))
        request_id = f"req_scripted_{len(self.server.owner.requests)}"
        self.send_header("x-request-id", request_id)  # OpenAI's name
        self.send_header("request-id", request_id)  # Anthropic's name
        for name, value in headers.items():
            if name.lower() != "content-type":  # sent above
                self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (a time-out)
            if not trickle:
                self.wfile.write(payload)
            for at in range(len(payload) if trickle else 0):
                self.wfile.write(payload[at : at + 1])
                self.wfile.flush()
                time.sleep(1 / trickle)


_FAULTS = (
    Reply(429, headers={"retry-after": "0.1"}, body={"error": {"type": "rate_limit_error", "message": "slow down"}}),
    Reply(529, body={"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
    Reply(500, body={"error": {"type": "server_error", "message": "internal error"}}),
    Reply(delay=5.0),
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # benchmarks open 50+ connections at once; the default backlog is 5
    owner: ScriptedLLMServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up (a deadline): not a fault
            return
        super().handle_error(request, client_address)


class ScriptedLLMServer(LoopbackServer):
    """A loopback server with canned answers and a queue of scripted replies.

    It answers ``POST`` to ``/v1/chat/completions`` (and Azure's
    ``/openai/deployments/<name>/chat/completions``) in the OpenAI Chat Completions format and
    ``/v1/messages`` in the Anthropic Messages format, streaming (server-sent events) when the
    request asks for it. Each request takes the next :class:`Reply` pushed with :meth:`push`;
    once they are played, requests get normal answers (or, with ``fault_rate``, random faults).
    The socket is bound when the server is made; it serves from :meth:`start` (or ``with``).

    Args:
        text: the text of every normal answer.
        chunks: how many pieces a streamed answer's text is cut into, at spaces (at least 1).
        input_tokens: the prompt tokens every answer reports in its usage.
        output_tokens: the completion tokens every answer reports in its usage.
        latency: seconds from a request's arrival to its normal answer: a stand-in for a model's time.
        fault_rate: the share (0-1) of unscripted requests answered with a random fault: a 429
            with ``retry-after``, a 529, a 500, or a 5-second delay.
        seed: seeds the choice of faults, so a run with faults can be repeated.

    Examples:
        >>> import json, urllib.error, urllib.request
        >>> with ScriptedLLMServer(text="Hello.") as server:
        ...     server.push(Reply(429, headers={"retry-after": "1"}))
        ...     request = urllib.request.Request(
        ...         f"{server.openai_url}/chat/completions", data=b'{"model": "m"}',
        ...         headers={"content-type": "application/json"},
        ...     )
        ...     try:
        ...         urllib.request.urlopen(request)
        ...     except urllib.error.HTTPError as error:
        ...         print(error.code, error.headers["retry-after"])
        ...         error.close()
        ...     with urllib.request.urlopen(request) as response:
        ...         print(json.load(response)["choices"][0]["message"]["content"])
        429 1
        Hello.
        >>> [request.path for request in server.requests]
        ['/v1/chat/completions', '/v1/chat/completions']
    """

    def __init__(
        self,
        *,
        text: str = "Scripted answer from the loopback server.",
        chunks: int = 8,
        input_tokens: int = 12,
        output_tokens: int = 9,
        latency: float = 0.0,
        fault_rate: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.text = text
        #: The share of unscripted requests answered with a random fault (429 with retry-after,
        #: 529, 500, or a delay past any sensible time-out): fault injection for the harness.
        self.fault_rate = fault_rate
        self._random = random.Random(seed)
        #: Seconds from a request's arrival to its unscripted answer (the time this server takes to
        #: read the request and encode the answer included): a stand-in for a model's time.
        self.latency = latency
        self.chunks = max(1, chunks)
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.requests: list[ReceivedRequest] = []
        #: Requests being answered now, and the most there ever were at once.
        self.in_flight = 0
        self.max_in_flight = 0
        self._script: deque[Reply] = deque()
        self._lock = threading.Condition()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, the server's address (``openai_url`` adds ``/v1``).

        Returns:
            the address, with the port the operating system chose when the server was made.

        Examples:
            >>> with ScriptedLLMServer() as server:
            ...     server.url.startswith("http://127.0.0.1:")
            True
        """
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def push(self, *replies: Reply) -> None:
        """Queue replies; each request takes the next one, then normal answers resume.

        Args:
            replies: the replies, in the order requests are to get them (after any still queued).

        Examples:
            >>> with ScriptedLLMServer() as server:
            ...     server.push(Reply(529), Reply(200))
            ...     [server.next_reply().status for _ in range(2)]
            [529, 200]
        """
        with self._lock:
            self._script.extend(replies)

    def track_in_flight(self, change: int) -> None:
        """Count a request starting (``+1``) or ending (``-1``); :attr:`max_in_flight` keeps the most.

        The request handler calls it around every answer; tests read :attr:`in_flight` and
        :attr:`max_in_flight` to check a client's concurrency.

        Args:
            change: ``+1`` when a request starts, ``-1`` when it ends.

        Examples:
            >>> with ScriptedLLMServer() as server:
            ...     server.track_in_flight(+1)
            ...     server.track_in_flight(+1)
            ...     server.track_in_flight(-1)
            ...     server.in_flight, server.max_in_flight
            (1, 2)
        """
        with self._lock:
            self.in_flight += change
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self._lock.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait until no request is being answered: a client that gave up has been seen to go.

        Args:
            timeout: the most seconds to wait.

        Returns:
            Whether the server is idle (``False``: requests were still being answered at ``timeout``).

        Examples:
            >>> with ScriptedLLMServer() as server:
            ...     server.wait_until_idle(timeout=1)
            True
        """
        with self._lock:
            return self._lock.wait_for(lambda: self.in_flight == 0, timeout)

    def next_reply(self) -> Reply:
        """The next scripted reply, or a normal answer once the script is played.

        Takes the reply off the queue: every call plays one.

        Returns:
            the next pushed :class:`Reply`; once none is left, a random fault with probability
            ``fault_rate``, else ``Reply(delay=latency)`` (a normal answer).

        Examples:
            >>> with ScriptedLLMServer(latency=0.5) as server:
            ...     server.push(Reply(500))
            ...     server.next_reply().status, server.next_reply()
            (500, Reply(status=200, headers={}, body=None, delay=0.5, stream_error=None, raw=None, trickle=0.0))
        """
        with self._lock:
            if self._script:
                return self._script.popleft()
            if self.fault_rate and self._random.random() < self.fault_rate:
                return self._random.choice(_FAULTS)
            return Reply(delay=self.latency)

    def _pieces(self) -> list[str]:
        words = self.text.split(" ")
        size = max(1, -(-len(words) // self.chunks))
        groups = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
        return [group if i == 0 else " " + group for i, group in enumerate(groups)]

    def openai_completion(self, request: dict[str, Any]) -> dict[str, Any]:
        """A Chat Completions answer to ``request`` (a JSON body), with usage.

        Args:
            request: the request's JSON body; only its ``model`` is used (default ``scripted``).

        Returns:
            a ``chat.completion`` object (OpenAI Chat Completions API): one choice whose message is
            :attr:`text`, ``finish_reason`` ``stop``, and usage in tokens.

        Examples:
            >>> with ScriptedLLMServer(text="Hi.") as server:
            ...     answer = server.openai_completion({"model": "gpt-x"})
            >>> answer["model"], answer["choices"][0]["message"]["content"], answer["usage"]["total_tokens"]
            ('gpt-x', 'Hi.', 21)
        """
        return {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": request.get("model", "scripted"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": self.text}, "finish_reason": "stop"}],
            "usage": self._openai_usage(),
        }

    def _openai_usage(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.input_tokens,
            "completion_tokens": self.output_tokens,
            "total_tokens": self.input_tokens + self.output_tokens,
            "prompt_tokens_details": {"cached_tokens": 0},
        }

    def openai_stream(self, request: dict[str, Any]) -> list[tuple[str | None, dict[str, Any] | str]]:
        """The SSE events of a streamed Chat Completions answer: (event name, data) pairs.

        Args:
            request: the request's JSON body; its ``model`` and ``stream_options.include_usage``
                are used.

        Returns:
            a list of ``(None, data)`` pairs (OpenAI's events have no name): a chunk with the
            assistant's role, a ``chat.completion.chunk`` per piece of :attr:`text`, a chunk with
            ``finish_reason`` ``stop``, a usage chunk when ``include_usage`` is set, then
            ``"[DONE]"``.

        Examples:
            >>> with ScriptedLLMServer(text="one two three four", chunks=2) as server:
            ...     events = server.openai_stream({"model": "gpt-x"})
            >>> [data["choices"][0]["delta"].get("content") for _, data in events[1:3]], events[-1]
            (['one two', ' three four'], (None, '[DONE]'))
        """
        model = request.get("model", "scripted")

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {
                "id": "chatcmpl-scripted",
                "object": "chat.completion.chunk",
                "created": 1_700_000_000,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }

        events: list[tuple[str | None, dict[str, Any] | str]] = [(None, chunk({"role": "assistant", "content": ""}))]
        events += [(None, chunk({"content": piece})) for piece in self._pieces()]
        events.append((None, chunk({}, "stop")))
        if (request.get("stream_options") or {}).get("include_usage"):
            usage_chunk = {**chunk({}), "choices": [], "usage": self._openai_usage()}
            events.append((None, usage_chunk))
        events.append((None, "[DONE]"))
        return events

    def anthropic_message(self, request: dict[str, Any]) -> dict[str, Any]:
        """A Messages API answer to ``request`` (a JSON body), with usage.

        Args:
            request: the request's JSON body; only its ``model`` is used (default ``scripted``).

        Returns:
            a ``message`` object (Anthropic Messages API): one text block holding :attr:`text`,
            ``stop_reason`` ``end_turn``, and usage in tokens (no cache reads or writes).

        Examples:
            >>> with ScriptedLLMServer(text="Hi.") as server:
            ...     answer = server.anthropic_message({"model": "claude-x"})
            >>> answer["content"], answer["usage"]["output_tokens"]
            ([{'type': 'text', 'text': 'Hi.'}], 9)
        """
        return {
            "id": "msg_scripted",
            "type": "message",
            "role": "assistant",
            "model": request.get("model", "scripted"),
            "content": [{"type": "text", "text": self.text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {
                "input_tokens": self.input_tokens,
                "output_tokens": self.output_tokens,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
            },
        }

    def anthropic_stream(self, request: dict[str, Any]) -> list[tuple[str | None, dict[str, Any] | str]]:
        """The SSE events of a streamed Messages API answer: (event name, data) pairs.

        Args:
            request: the request's JSON body; only its ``model`` is used (default ``scripted``).

        Returns:
            a list of ``(event name, data)`` pairs in the Messages API's streaming order:
            ``message_start``, ``content_block_start``, a ``content_block_delta`` per piece of
            :attr:`text`, ``content_block_stop``, ``message_delta`` (with the stop reason and the
            output tokens) and ``message_stop``.

        Examples:
            >>> with ScriptedLLMServer(text="one two", chunks=2) as server:
            ...     events = server.anthropic_stream({"model": "claude-x"})
            >>> [name for name, _ in events]  # doctest: +NORMALIZE_WHITESPACE
            ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta',
             'content_block_stop', 'message_delta', 'message_stop']
        """
        message = {**self.anthropic_message(request), "content": [], "stop_reason": None}
        message["usage"] = {**message["usage"], "output_tokens": 1}
        events: list[tuple[str | None, dict[str, Any] | str]] = [
            ("message_start", {"type": "message_start", "message": message}),
            (
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            ),
        ]
        events += [
            (
                "content_block_delta",
                {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}},
            )
            for piece in self._pieces()
        ]
        events += [
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": self.output_tokens},
                },
            ),
            ("message_stop", {"type": "message_stop"}),
        ]
        return events

    def start(self) -> Self:
        """Serve on a free loopback port in a daemon thread; returns the server (``with`` does it too).

        Returns:
            the server itself, now answering requests.

        Examples:
            >>> server = ScriptedLLMServer().start()
            >>> server.stop()
        """
        self._thread = threading.Thread(target=self._server.serve_forever, name="scripted-llm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket.

        Safe on a server that was never started: it then only closes the socket.

        Examples:
            >>> server = ScriptedLLMServer().start()
            >>> server.stop()
        """
        if self._thread is not None:
            self._server.shutdown()  # waits for serve_forever, so only once it runs
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
