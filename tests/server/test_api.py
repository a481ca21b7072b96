"""The HTTP API (issue 15): the original service's contract, its errors, limits and safety.

The app runs in-process (FastAPI's TestClient) against the offline engine and the scripted loopback
server; a client that disconnects is checked on a real uvicorn server.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from codescribe.cli import main
from codescribe.server import create_app
from codescribe.server.service import Choice
from codescribe.server.settings import ServerSettings
from tests.scripted_server import Reply, ScriptedLLMServer

from .support import CANARY, wait_for

METADATA = "provider model inputTokens outputTokens cacheReadTokens cacheWriteTokens wasCached latencyMs costUsd"
METADATA += " requestId promptVersion"
METADATA = METADATA.split()
CODE = 'def add(a: int, b: int) -> int:\n    """Add two numbers."""\n    return a + b\n'


def client(**env: str) -> TestClient:
    return TestClient(create_app(ServerSettings.from_env(env)), base_url="http://127.0.0.1")


def events(lines: Iterator[str]) -> list[tuple[str, dict[str, Any]]]:
    found, name = [], ""
    for line in lines:
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            found.append((name, json.loads(line.split(":", 1)[1])))
    return found


def assert_error(response: httpx.Response, status: int, error_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"type", "message", "retryable", "retryAfter", "requestId"}
    assert body["error"]["type"] == error_type
    assert body["error"]["requestId"] == response.headers["x-request-id"]
    return dict(body["error"])


def test_generate_with_the_offline_engine_answers_the_original_contract() -> None:
    with client() as api:
        response = api.post("/api/generate", json={"code": CODE, "docType": "README", "filename": "calc.py"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"documentation", "qualityScore", "analysis", "metadata", "warnings"}
    assert "add" in body["documentation"]
    assert set(body["qualityScore"]) == {"score", "grade", "breakdown", "suggestions"}
    assert 0 <= body["qualityScore"]["score"] <= 100
    assert body["analysis"]["functions"][0]["name"] == "add"
    assert set(body["metadata"]) == set(METADATA)
    assert body["metadata"]["provider"] == "offline"


def test_health_doc_types_and_providers_describe_the_service_and_never_a_key(
    upstream: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_PROVIDER", "openai")
    with client(LLM_PROVIDER="openai", CODESCRIBE_ALLOWED_PROVIDERS="openai, offline") as api:
        health, doc_types, providers = api.get("/api/health"), api.get("/api/doc-types"), api.get("/api/providers")

    assert health.json()["status"] == "ok"
    assert health.json()["defaultProvider"] == "openai"
    assert health.json()["providers"]["openai"]["configured"] is True
    assert {name: p["key"] for name, p in providers.json()["providers"].items()} == {
        "openai": "set",
        "offline": "not needed",
    }
    assert doc_types.json() == {"docTypes": ["readme", "api", "architecture", "docstrings", "module"]}
    for response in (health, doc_types, providers):
        assert CANARY not in response.text


@pytest.mark.parametrize(
    ("body", "status", "error_type"),
    [
        (b"{not json", 400, "MALFORMED_JSON"),
        (json.dumps({"code": 5}).encode(), 422, "VALIDATION"),
        (json.dumps({"docType": "api"}).encode(), 422, "VALIDATION"),
        (json.dumps({"code": "x = 1", "surprise": True}).encode(), 422, "VALIDATION"),
        (json.dumps({"code": "x = 1", "docType": "poem"}).encode(), 400, "VALIDATION"),
        (json.dumps({"code": "x = 1", "language": "cobol"}).encode(), 400, "VALIDATION"),
        (json.dumps({"code": "x" * 100_001}).encode(), 413, "PAYLOAD_TOO_LARGE"),
        (b'{"code": "' + b"x" * 2_000_001 + b'"}', 413, "PAYLOAD_TOO_LARGE"),
    ],
)
def test_bad_requests_get_one_error_shape_with_the_right_status(body: bytes, status: int, error_type: str) -> None:
    with client() as api:
        for path in ("/api/generate", "/api/generate-stream"):
            response = api.post(path, content=body, headers={"content-type": "application/json"})

            error = assert_error(response, status, error_type)
            assert error["retryable"] is False


def test_a_provider_or_model_not_allowed_is_refused_with_what_is_allowed(upstream: ScriptedLLMServer) -> None:
    with client(CODESCRIBE_ALLOWED_PROVIDERS="offline,openai", CODESCRIBE_ALLOWED_MODELS="gpt-6.1-sol") as api:
        provider = api.post("/api/generate", json={"code": CODE}, headers={"X-LLM-Provider": "anthropic"})
        model = api.post(
            "/api/generate", json={"code": CODE}, headers={"X-LLM-Provider": "openai", "X-LLM-Model": "o9"}
        )

    assert "allowed: offline, openai" in assert_error(provider, 400, "VALIDATION")["message"]
    assert "allowed: gpt-6.1-sol" in assert_error(model, 400, "VALIDATION")["message"]
    assert upstream.requests == []


def test_the_header_override_switches_the_provider_and_the_metadata_says_so(upstream: ScriptedLLMServer) -> None:
    with client(CODESCRIBE_ALLOWED_PROVIDERS="offline,openai") as api:
        default = api.post("/api/generate", json={"code": CODE, "docType": "api"})
        chosen = api.post("/api/generate", json={"code": CODE, "docType": "api"}, headers={"X-LLM-Provider": "gpt"})

    assert default.json()["metadata"]["provider"] == "offline"
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["documentation"] == upstream.text
    assert (chosen.json()["metadata"]["provider"], chosen.json()["metadata"]["model"]) == ("openai", "gpt-6.1-sol")
    assert chosen.json()["metadata"]["inputTokens"] == upstream.input_tokens
    assert len(upstream.requests) == 1
    assert CANARY not in chosen.text


@pytest.mark.parametrize(
    ("given", "relayed"), [("7", "7"), ("1e308", "86400"), ("Fri, 31 Dec 9999 23:59:59 GMT", "86400"), ("-3", "0")]
)
def test_an_upstream_rate_limit_is_a_429_with_retry_after(
    upstream: ScriptedLLMServer, given: str, relayed: str
) -> None:
    """The provider's wait is relayed, bounded (helper-23's F4: 1e308 became a 309-digit header)."""
    upstream.push(
        Reply(429, headers={"retry-after": given}, body={"error": {"type": "rate_limit_error", "message": "slow"}})
    )
    with client(CODESCRIBE_ALLOWED_PROVIDERS="openai") as api:
        response = api.post("/api/generate", json={"code": CODE}, headers={"X-LLM-Provider": "openai"})

    error = assert_error(response, 429, "RATE_LIMIT")
    assert (error["retryable"], error["retryAfter"], response.headers["retry-after"]) == (True, float(relayed), relayed)


@pytest.mark.parametrize(
    ("reply", "status", "error_type"),
    [
        (Reply(500, body={"error": {"type": "server_error", "message": "the model fell over"}}), 502, "SERVER_ERROR"),
        (Reply(raw=b"<html><body>Bad gateway</body></html>", status=502), 502, "SERVER_ERROR"),
        (Reply(delay=3.0), 504, "TIMEOUT"),
        (Reply(400, body={"error": {"code": "context_length_exceeded", "message": "too long"}}), 413, "CONTEXT_LENGTH"),
    ],
)
def test_an_upstream_failure_gets_its_documented_status(
    upstream: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch, reply: Reply, status: int, error_type: str
) -> None:
    monkeypatch.setenv("LLM_TIMEOUT", "1")
    upstream.push(reply)
    with client(LLM_PROVIDER="openai") as api:
        response = api.post("/api/generate", json={"code": CODE})

    error = assert_error(response, status, error_type)
    assert CANARY not in response.text
    assert len(error["message"]) < 1_000  # a proxy's page is summed up, not quoted whole


def test_a_provider_without_a_key_is_a_503_and_code_that_does_not_parse_a_422(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("CLAUDE_API_KEY", raising=False)
    with client(CODESCRIBE_ALLOWED_PROVIDERS="offline,anthropic") as api:
        unconfigured = api.post("/api/generate", json={"code": CODE}, headers={"X-LLM-Provider": "anthropic"})
        unparsed = api.post("/api/generate", json={"code": "def broken(:\n", "docType": "docstrings"})
        rendered = api.post("/api/render", json={"markdown": "x" * 300_001})

    error = assert_error(unconfigured, 503, "AUTH")
    assert "ANTHROPIC_API_KEY" in error["message"]
    assert_error(unparsed, 422, unparsed.json()["error"]["type"])
    assert_error(rendered, 413, "PAYLOAD_TOO_LARGE")


def test_a_bearer_token_is_required_when_the_service_has_one() -> None:
    with client(CODESCRIBE_API_TOKEN="s3cret-token") as api:
        missing = api.post("/api/generate", json={"code": CODE})
        wrong = api.post("/api/generate", json={"code": CODE}, headers={"Authorization": "Bearer nope"})
        right = api.post("/api/generate", json={"code": CODE}, headers={"Authorization": "Bearer s3cret-token"})
        health = api.get("/api/health")

    assert_error(missing, 401, "UNAUTHORIZED")
    assert_error(wrong, 401, "UNAUTHORIZED")
    assert right.status_code == 200
    assert health.status_code == 200  # a load balancer's probe needs no token


def test_a_service_without_a_token_answers_only_to_loopback_host_names() -> None:
    """DNS rebinding: a page on attacker.example rebinds its name to 127.0.0.1 and calls the service; the
    browser sends Host: attacker.example. Without a token, only this machine's names are answered."""
    open_app = create_app(ServerSettings.from_env({}))
    with TestClient(open_app, base_url="http://attacker.example:8000") as api:
        rebound = api.post("/api/generate", json={"code": CODE})
        page = api.get("/")
    with TestClient(open_app, base_url="http://[::1]:8000") as api:
        local = api.post("/api/generate", json={"code": CODE})
    listed = create_app(ServerSettings.from_env({"CODESCRIBE_ALLOWED_HOSTS": "docs.internal"}))
    with TestClient(listed, base_url="http://DOCS.internal") as api:
        named = api.post("/api/generate", json={"code": CODE})
    with TestClient(listed, base_url="http://localhost") as api:
        local_too = api.post("/api/generate", json={"code": CODE})  # the list adds names: loopback stays
    with TestClient(listed, base_url="http://other.internal") as api:
        unlisted = api.post("/api/generate", json={"code": CODE})
    token_app = create_app(ServerSettings.from_env({"CODESCRIBE_API_TOKEN": "s3cret"}))
    with TestClient(token_app, base_url="http://docs.example.com") as api:
        behind_a_token = api.post("/api/generate", json={"code": CODE}, headers={"Authorization": "Bearer s3cret"})

    error = assert_error(rebound, 400, "HOST")
    assert "attacker.example" in error["message"]
    assert "CODESCRIBE_ALLOWED_HOSTS" in error["message"]
    assert_error(page, 400, "HOST")
    assert_error(unlisted, 400, "HOST")
    assert (local.status_code, named.status_code, local_too.status_code, behind_a_token.status_code) == (200,) * 4


def test_serve_refuses_to_listen_beyond_loopback_without_a_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CODESCRIBE_API_TOKEN", raising=False)

    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "set CODESCRIBE_API_TOKEN first" in capsys.readouterr().err


def test_a_full_queue_is_a_503_with_retry_after(upstream: ScriptedLLMServer) -> None:
    upstream.push(Reply(delay=1.0))
    with client(LLM_PROVIDER="openai", CODESCRIBE_CONCURRENCY="1", CODESCRIBE_QUEUE="0") as api:
        slow = threading.Thread(target=api.post, args=("/api/generate",), kwargs={"json": {"code": CODE}})
        slow.start()
        wait_for(lambda: upstream.requests)  # the first call holds the only slot
        busy = api.post("/api/generate", json={"code": CODE})
        slow.join()

    error = assert_error(busy, 503, "BUSY")
    assert (error["retryable"], busy.headers["retry-after"]) == (True, "1")
    assert len(upstream.requests) == 1


def test_streams_that_arrive_together_beyond_capacity_are_refused_with_a_503(upstream: ScriptedLLMServer) -> None:
    """All requests reach the app before any stream starts: each is counted when it is answered, not
    when its events begin (helper-22's #9: they all got 200, then an error event BUSY)."""
    upstream.push(Reply(delay=0.5))
    settings = {"LLM_PROVIDER": "openai", "CODESCRIBE_CONCURRENCY": "1", "CODESCRIBE_QUEUE": "1"}
    app = create_app(ServerSettings.from_env(settings))

    async def together() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as api:
            posts = [api.post("/api/generate-stream", json={"code": CODE}) for _ in range(5)]
            return list(await asyncio.gather(*posts))

    answers = asyncio.run(together())

    assert sorted(answer.status_code for answer in answers) == [200, 200, 503, 503, 503]
    for answer in answers:
        if answer.status_code == 503:
            assert_error(answer, 503, "BUSY")
        else:
            assert "event: complete" in answer.text
    assert app.state.service.gate(Choice("openai", None)).admitted == 0


def test_a_stream_whose_client_left_before_it_started_gives_its_place_back() -> None:
    app = create_app(ServerSettings.from_env({"CODESCRIBE_CONCURRENCY": "1", "CODESCRIBE_QUEUE": "0"}))
    body = json.dumps({"code": CODE}).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/generate-stream",
        "raw_path": b"/api/generate-stream",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "root_path": "",
    }

    async def leave() -> None:
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            raise OSError("the client went away")  # the response's first message finds the socket closed

        async with app.router.lifespan_context(app):
            with pytest.raises(OSError, match="went away"):
                await app(scope, receive, send)

    asyncio.run(leave())

    assert app.state.service.gate(Choice("offline", None)).admitted == 0
    with TestClient(app, base_url="http://localhost") as api:
        assert api.post("/api/generate-stream", json={"code": CODE}).status_code == 200


def test_a_stream_sends_connected_chunks_and_complete() -> None:
    with client() as api, api.stream("POST", "/api/generate-stream", json={"code": CODE, "docType": "api"}) as response:
        found = events(response.iter_lines())

    assert response.headers["content-type"].startswith("text/event-stream")
    assert found[0][0] == "connected"
    assert found[-1][0] == "complete"
    text = "".join(data["text"] for name, data in found if name == "chunk")
    assert "add" in text
    assert found[-1][1]["metadata"]["provider"] == "offline"
    assert 0 <= found[-1][1]["qualityScore"]["score"] <= 100


def test_a_failure_mid_stream_is_an_error_event(upstream: ScriptedLLMServer) -> None:
    upstream.push(Reply(500, body={"error": {"type": "server_error", "message": "boom"}}))
    with (
        client(LLM_PROVIDER="openai") as api,
        api.stream("POST", "/api/generate-stream", json={"code": CODE}) as response,
    ):
        found = events(response.iter_lines())

    assert [name for name, _ in found] == ["connected", "error"]
    assert found[-1][1]["type"] == "SERVER_ERROR"
    assert found[-1][1]["retryable"] is True
    assert CANARY not in json.dumps(found)


def test_a_stream_cut_after_its_first_text_may_be_sent_again(upstream: ScriptedLLMServer) -> None:
    """The library cannot retry a call once text reached its caller; the client can, with a new stream."""
    upstream.push(Reply(stream_error={"error": {"type": "server_error", "message": "the model fell over"}}))
    with (
        client(LLM_PROVIDER="openai") as api,
        api.stream("POST", "/api/generate-stream", json={"code": CODE}) as response,
    ):
        found = events(response.iter_lines())

    names = [name for name, _ in found]
    assert names[0] == "connected"
    assert "chunk" in names
    assert names[-1] == "error"
    assert (found[-1][1]["type"], found[-1][1]["retryable"]) == ("SERVER_ERROR", True)


def test_a_key_the_provider_refuses_is_the_operators_to_fix(upstream: ScriptedLLMServer) -> None:
    upstream.push(Reply(401, body={"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}))
    with client(LLM_PROVIDER="openai") as api:
        response = api.post("/api/generate", json={"code": CODE})

    error = assert_error(response, 502, "AUTH")
    assert "operator" in error["message"]
    assert error["retryable"] is False


def test_no_response_or_log_line_holds_the_key_or_the_code(
    upstream: ScriptedLLMServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    secret_code = CODE + "# a line only the caller should see\n"
    upstream.push(Reply(401, body={"error": {"message": f"Incorrect API key provided: {CANARY}"}}))
    with client(LLM_PROVIDER="openai") as api:
        answers = [
            api.post("/api/generate", json={"code": secret_code}),
            api.post("/api/generate", json={"code": secret_code}),
            api.get("/api/health"),
            api.get("/api/providers"),
        ]

    assert "request_id=" in caplog.text  # the access log
    for text in (caplog.text, *(answer.text for answer in answers)):
        assert CANARY not in text
    assert "only the caller should see" not in caplog.text


def test_a_client_that_disconnects_cancels_the_provider_call(
    upstream: ScriptedLLMServer, serve: Callable[..., str]
) -> None:
    served = serve(LLM_PROVIDER="openai")
    upstream.push(Reply(trickle=5.0))  # an answer that would take minutes
    with (
        httpx.Client(timeout=10) as http,
        http.stream("POST", f"{served}/api/generate-stream", json={"code": CODE}) as response,
    ):
        assert response.status_code == 200
        wait_for(lambda: upstream.requests)  # the provider is answering, a byte at a time
    # the client is gone (its response closed): the service cancels the call, and the provider sees it go

    assert upstream.wait_until_idle(timeout=10)


def test_a_costly_request_does_not_hold_the_others(serve: Callable[..., str], monkeypatch: pytest.MonkeyPatch) -> None:
    # helper-22: analysis and scoring ran on the event loop, so one ~96 KB request held /api/health for 42 s.
    # They run on worker threads now: a health check sent while such a request is analysed is answered first.
    from codescribe.engine.generator import DocGenerator

    analysing = threading.Event()
    analyse = DocGenerator._request

    def noted(self: DocGenerator, *args: Any) -> Any:
        analysing.set()
        return analyse(self, *args)

    monkeypatch.setattr(DocGenerator, "_request", noted)
    served = serve()
    finished: list[str] = []
    costly = "def f(:\n" * 12_000  # a syntax error by the thousand: seconds of analysis and scoring

    def post() -> None:
        request = {"code": costly, "docType": "module"}
        with httpx.stream("POST", f"{served}/api/generate", json=request, timeout=120) as answered:
            finished.append("costly")  # its headers came (the document, megabytes, follows)
            answered.read()

    worker = threading.Thread(target=post)
    worker.start()
    assert analysing.wait(timeout=30)
    assert httpx.get(f"{served}/api/health", timeout=120).status_code == 200
    finished.append("health")
    worker.join(timeout=120)

    assert finished == ["health", "costly"]


def test_a_chunked_body_over_the_cap_is_a_413_and_a_post_without_the_token_a_401_first() -> None:
    # helper-22: a chunked body has no Content-Length, so 200 MB were read (and parsed) before any answer, and
    # with a token set, before the 401.
    def chunks(size: int) -> Iterator[bytes]:
        yield b'{"code": "'
        for _ in range(size // 65_536):
            yield b"x" * 65_536
        yield b'"}'

    with client() as api:
        chunked = api.post("/api/generate", content=chunks(3_000_000), headers={"content-type": "application/json"})
    with client(CODESCRIBE_API_TOKEN="s3cret-token") as api:
        unread = api.post("/api/generate", content=b"{not json", headers={"content-type": "application/json"})

    assert "content-length" not in chunked.request.headers  # it was sent chunked
    assert_error(chunked, 413, "PAYLOAD_TOO_LARGE")
    assert_error(unread, 401, "UNAUTHORIZED")  # not the 400 its body would get


def test_the_access_log_cannot_be_forged_through_the_path(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="codescribe.server")
    with client() as api:
        api.get("/api/health%0aINFO:%20%20%20%20%20POST%20/api/generate%20200%20request_id=FORGED%1b[31m")

    (line,) = [record.getMessage() for record in caplog.records if "/api/health" in record.getMessage()]
    assert "\n" not in line
    assert "\x1b" not in line
    assert "\\nINFO:" in line


def test_an_architecture_document_is_named_after_the_code_not_the_services_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # helper-22: a lone file's architecture page took its title from the folder the service ran in.
    (tmp_path / "acme-internal-billing").mkdir()
    monkeypatch.chdir(tmp_path / "acme-internal-billing")
    with client() as api:
        named = api.post("/api/generate", json={"code": CODE, "docType": "architecture", "filename": "calc.py"})

    assert named.json()["documentation"].startswith("# Architecture of calc\n")
    assert "acme" not in named.text
