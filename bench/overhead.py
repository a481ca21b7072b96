"""Per-call overhead of CodeScribe's providers over the raw SDKs and over plain HTTP.

What is measured: the wall time of one call, non-streaming and streaming, through both
protocols (OpenAI Chat Completions and Anthropic Messages), made by three clients against
the same in-process :class:`ScriptedLLMServer` on loopback:

* **plain HTTP**: a reused ``httpx2.Client`` posting the JSON body itself (streaming: it
  reads the SSE lines and decodes each ``data:`` event);
* **raw SDK**: the ``openai`` / ``anthropic`` client (``max_retries=0``) making the request
  the provider makes with the SDK's typed call (``chat.completions.create``, ``messages.create``;
  ``stream=True`` for streams, iterating the typed events), and reading the usage;
* **CodeScribe**: ``provider.generate`` / ``provider.generate_with_streaming`` (no-op
  ``on_chunk``), with ``max_retries=3`` so the retry machinery's success path is included.

Before timing, one call of each client is checked: the three send the same JSON body and
read back the same text and token counts.

Method: each client is warmed up, then timed in rounds of N calls per client, with the
client order rotated from round to round (A B C, then B C A, ...). Within a round the clients
alternate call by call, so that machine noise hits all three alike: on a small shared VM the
median of a block of 300 consecutive calls of one client drifts by ±5% from block to block,
more than the overhead being measured, whereas drift over a few milliseconds is negligible.
(``--interleave block`` times each client's N calls as one block instead.) ``gc.collect()``
runs before each round (before each block, in block mode). Every call is timed on its own,
and a round's figure for a client is its median call. The table reports, per client, the
median across rounds of those figures, and the ratios CodeScribe / raw SDK and raw SDK /
plain HTTP as the median of the per-round ratios (each compares calls of the same round).

It also times ``import codescribe`` (and, for comparison, ``import anthropic`` and
``import openai``) in fresh interpreters, median of five by default, and checks that importing
codescribe imports no provider SDK and no HTTP client.

Run it with ``make bench`` (``.venv/bin/python bench/overhead.py``); it prints the tables
and rewrites its own part of ``bench/RESULTS.md`` (other benchmarks' sections are kept).
``--quick`` makes a short, rougher run.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import anthropic
import httpx2
import openai
from results import machine  # bench/results.py: run as `python bench/<name>.py`

from codescribe.llm import LLMConfig, LLMProvider, create_provider
from tests.scripted_server import ScriptedLLMServer

if TYPE_CHECKING:
    from anthropic.types import Message, MessageParam, TextBlockParam
    from openai.types.chat import ChatCompletionMessageParam
    from openai.types.completion_usage import CompletionUsage

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().with_name("RESULTS.md")
#: Sections other benchmarks keep in the same file; this one rewrites only what comes before them.
OTHER_SECTIONS = "## MkDocs plugin"


def _other_sections(path: Path) -> str:
    """The other benchmarks' sections of ``path``, kept when this report is rewritten."""
    try:
        old = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    start = old.find(f"\n{OTHER_SECTIONS}")
    return "" if start < 0 else "\n" + old[start:].lstrip("\n")


OPENAI_MODEL = "gpt-6.1-sol"
ANTHROPIC_MODEL = "claude-sonnet-5-5"
ANTHROPIC_VERSION = "2023-06-01"
API_KEY = "bench-key"
MAX_TOKENS = 4000
TIMEOUT = 60.0
PROMPT = "Describe what this function does, in one sentence: def add(a, b): return a + b"
SYSTEM = "You write concise, accurate documentation for source code."

CLIENTS = ("http", "sdk", "codescribe")
LABELS = {"http": "plain HTTP", "sdk": "raw SDK", "codescribe": "CodeScribe"}
TARGETS = {False: 1.05, True: 1.05}  # CodeScribe / raw SDK, by streaming (issue 10)
IMPORTS = ("codescribe", "anthropic", "openai")
INTERLEAVING = {"call": "clients alternating call by call", "block": "each client's calls in one block"}
SDK_PREFIXES = ("anthropic", "openai", "httpx2")

#: What one call read back: (text, input tokens, output tokens).
Answer = tuple[str, int, int]
Call = Callable[[], Answer]


def _noop(_text: str) -> None:
    """The ``on_chunk`` callback of the streaming CodeScribe calls."""


def _provider(protocol: str, model: str, base_url: str) -> LLMProvider:
    config = LLMConfig(
        provider=protocol,
        model=model,
        api_key=API_KEY,
        base_url=base_url,
        max_tokens=MAX_TOKENS,
        max_retries=3,
        timeout=TIMEOUT,
    )
    return create_provider(config)


def _sse_data(response: httpx2.Response) -> Iterator[dict[str, Any]]:
    """The decoded ``data:`` payloads of an SSE response, up to OpenAI's ``[DONE]``."""
    for line in response.iter_lines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        yield json.loads(data)


# -- OpenAI ---------------------------------------------------------------------------------


SDK = TypeVar("SDK", bound="_Closable")


class _Closable(Protocol):
    def close(self) -> None: ...


class _CodeScribeCalls(Generic[SDK]):
    """The CodeScribe side of a protocol's clients (the same for both protocols)."""

    provider: LLMProvider
    sdk: SDK

    def codescribe_call(self) -> Answer:
        generation = self.provider.generate(PROMPT, system_prompt=SYSTEM)
        return generation.text, generation.metadata.input_tokens, generation.metadata.output_tokens

    def codescribe_stream(self) -> Answer:
        generation = self.provider.generate_with_streaming(PROMPT, _noop, system_prompt=SYSTEM)
        return generation.text, generation.metadata.input_tokens, generation.metadata.output_tokens

    def close(self) -> None:
        self.sdk.close()


class OpenAIClients(_CodeScribeCalls[openai.OpenAI]):
    """The three OpenAI clients; one method per client and mode."""

    def __init__(self, base_url: str, http: httpx2.Client) -> None:
        self.url = f"{base_url}/chat/completions"
        self.http = http
        self.headers = {"authorization": f"Bearer {API_KEY}"}
        self.sdk = openai.OpenAI(api_key=API_KEY, base_url=base_url, timeout=TIMEOUT, max_retries=0)
        self.provider = _provider("openai", OPENAI_MODEL, base_url)

    @staticmethod
    def _messages() -> list[ChatCompletionMessageParam]:
        return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": PROMPT}]

    def _body(self, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": OPENAI_MODEL,
            "messages": self._messages(),
            "max_completion_tokens": MAX_TOKENS,
        }
        if stream:
            body |= {"stream": True, "stream_options": {"include_usage": True}}
        return body

    def http_call(self) -> Answer:
        response = self.http.post(self.url, json=self._body(False), headers=self.headers)
        response.raise_for_status()
        data = response.json()
        usage = data["usage"]
        return data["choices"][0]["message"]["content"], usage["prompt_tokens"], usage["completion_tokens"]

    def http_stream(self) -> Answer:
        parts: list[str] = []
        usage: dict[str, int] = {}
        with self.http.stream("POST", self.url, json=self._body(True), headers=self.headers) as response:
            response.raise_for_status()
            for event in _sse_data(response):
                usage = event.get("usage") or usage
                if event["choices"] and (text := event["choices"][0]["delta"].get("content")):
                    parts.append(text)
        return "".join(parts), usage["prompt_tokens"], usage["completion_tokens"]

    def sdk_call(self) -> Answer:
        completion = self.sdk.chat.completions.create(
            model=OPENAI_MODEL, messages=self._messages(), max_completion_tokens=MAX_TOKENS
        )
        return completion.choices[0].message.content or "", *self._tokens(completion.usage)

    def sdk_stream(self) -> Answer:
        stream = self.sdk.chat.completions.create(
            model=OPENAI_MODEL,
            messages=self._messages(),
            max_completion_tokens=MAX_TOKENS,
            stream=True,
            stream_options={"include_usage": True},
        )
        parts: list[str] = []
        usage: CompletionUsage | None = None
        with stream:
            for chunk in stream:
                usage = chunk.usage or usage
                if chunk.choices and (text := chunk.choices[0].delta.content):
                    parts.append(text)
        return "".join(parts), *self._tokens(usage)

    @staticmethod
    def _tokens(usage: CompletionUsage | None) -> tuple[int, int]:
        return (usage.prompt_tokens, usage.completion_tokens) if usage else (0, 0)


# -- Anthropic ------------------------------------------------------------------------------


class AnthropicClients(_CodeScribeCalls[anthropic.Anthropic]):
    """The three Anthropic clients; one method per client and mode."""

    def __init__(self, base_url: str, http: httpx2.Client) -> None:
        self.url = f"{base_url}/v1/messages"
        self.http = http
        self.headers = {"x-api-key": API_KEY, "anthropic-version": ANTHROPIC_VERSION}
        self.sdk = anthropic.Anthropic(api_key=API_KEY, base_url=base_url, timeout=TIMEOUT, max_retries=0)
        self.provider = _provider("anthropic", ANTHROPIC_MODEL, base_url)

    @staticmethod
    def _messages() -> list[MessageParam]:
        return [{"role": "user", "content": PROMPT}]

    @staticmethod
    def _system() -> list[TextBlockParam]:
        return [{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}]

    def _body(self, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": ANTHROPIC_MODEL,
            "max_tokens": MAX_TOKENS,
            "messages": self._messages(),
            "system": self._system(),
        }
        if stream:
            body["stream"] = True
        return body

    def http_call(self) -> Answer:
        response = self.http.post(self.url, json=self._body(False), headers=self.headers)
        response.raise_for_status()
        data = response.json()
        text = "".join(block["text"] for block in data["content"] if block["type"] == "text")
        return text, data["usage"]["input_tokens"], data["usage"]["output_tokens"]

    def http_stream(self) -> Answer:
        parts: list[str] = []
        input_tokens = output_tokens = 0
        with self.http.stream("POST", self.url, json=self._body(True), headers=self.headers) as response:
            response.raise_for_status()
            for event in _sse_data(response):
                kind = event["type"]
                if kind == "content_block_delta" and event["delta"]["type"] == "text_delta":
                    parts.append(event["delta"]["text"])
                elif kind == "message_start":
                    input_tokens = event["message"]["usage"]["input_tokens"]
                elif kind == "message_delta":
                    output_tokens = event["usage"]["output_tokens"]
        return "".join(parts), input_tokens, output_tokens

    def sdk_call(self) -> Answer:
        message = self.sdk.messages.create(
            model=ANTHROPIC_MODEL, max_tokens=MAX_TOKENS, messages=self._messages(), system=self._system()
        )
        return self._answer(message)

    def sdk_stream(self) -> Answer:
        parts: list[str] = []
        input_tokens = output_tokens = 0
        with self.sdk.messages.create(
            model=ANTHROPIC_MODEL, max_tokens=MAX_TOKENS, messages=self._messages(), system=self._system(), stream=True
        ) as stream:
            for event in stream:
                if event.type == "content_block_delta" and event.delta.type == "text_delta":
                    parts.append(event.delta.text)
                elif event.type == "message_start":
                    input_tokens = event.message.usage.input_tokens
                elif event.type == "message_delta":
                    output_tokens = event.usage.output_tokens
        return "".join(parts), input_tokens, output_tokens

    @staticmethod
    def _answer(message: Message) -> Answer:
        text = "".join(block.text for block in message.content if block.type == "text")
        return text, message.usage.input_tokens, message.usage.output_tokens


# -- scenarios and timing --------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One protocol in one mode, with its three clients' calls."""

    protocol: str
    streaming: bool
    calls: dict[str, Call]

    @property
    def name(self) -> str:
        return f"{self.protocol} {'streaming' if self.streaming else 'non-streaming'}"


@dataclass
class Measurement:
    """Per-round medians (seconds per call) of each client in one scenario."""

    scenario: Scenario
    rounds: dict[str, list[float]] = field(default_factory=lambda: {client: [] for client in CLIENTS})

    def median_ms(self, client: str) -> float:
        return statistics.median(self.rounds[client]) * 1000

    def ratios(self, numerator: str, denominator: str) -> list[float]:
        return [a / b for a, b in zip(self.rounds[numerator], self.rounds[denominator], strict=True)]

    def ratio(self, numerator: str, denominator: str) -> float:
        return statistics.median(self.ratios(numerator, denominator))

    def overhead_us(self) -> float:
        """Median per-round difference, CodeScribe minus raw SDK, in microseconds."""
        pairs = zip(self.rounds["codescribe"], self.rounds["sdk"], strict=True)
        return statistics.median(a - b for a, b in pairs) * 1e6

    @property
    def target(self) -> float:
        return TARGETS[self.scenario.streaming]

    @property
    def passed(self) -> bool:
        return self.ratio("codescribe", "sdk") <= self.target


def scenarios(openai_clients: OpenAIClients, anthropic_clients: AnthropicClients) -> list[Scenario]:
    result = []
    for protocol, c in (("openai", openai_clients), ("anthropic", anthropic_clients)):
        result.append(
            Scenario(protocol, False, {"http": c.http_call, "sdk": c.sdk_call, "codescribe": c.codescribe_call})
        )
        result.append(
            Scenario(protocol, True, {"http": c.http_stream, "sdk": c.sdk_stream, "codescribe": c.codescribe_stream})
        )
    return result


def check_same_request(scenario: Scenario, server: ScriptedLLMServer) -> None:
    """One call per client: same JSON body sent, same answer read back."""
    expected: Answer = (server.text, server.input_tokens, server.output_tokens)
    bodies = []
    for client in CLIENTS:
        answer = scenario.calls[client]()
        if answer != expected:
            raise SystemExit(f"{scenario.name}: {LABELS[client]} read {answer!r}, expected {expected!r}")
        bodies.append(server.requests[-1].body)
    if any(body != bodies[0] for body in bodies[1:]):
        raise SystemExit(f"{scenario.name}: the clients sent different bodies: {bodies!r}")


def time_round(
    calls: dict[str, Call], order: tuple[str, ...], n: int, server: ScriptedLLMServer, *, by_call: bool
) -> dict[str, float]:
    """One round: ``n`` timed calls of each client in ``order``; the median call of each.

    ``by_call`` interleaves call by call (A B C A B C ...); otherwise each client makes its
    ``n`` calls as one block (A A ... B B ... C C ...). ``gc.collect()`` runs before each block.
    """
    samples: dict[str, list[float]] = {client: [] for client in order}
    groups = [order] if by_call else [(client,) for client in order]
    for group in groups:
        steps = [(calls[client], samples[client]) for client in group]
        server.requests.clear()  # the server logs every request: keep the heap the same size
        gc.collect()
        for _ in range(n):
            for call, times in steps:
                start = time.perf_counter()
                call()
                times.append(time.perf_counter() - start)
    return {client: statistics.median(times) for client, times in samples.items()}


def measure(scenario: Scenario, server: ScriptedLLMServer, args: argparse.Namespace) -> Measurement:
    """Warm every client up, then time ``args.rounds`` rounds, rotating the client order."""
    for client in CLIENTS:
        for _ in range(args.warmup):
            scenario.calls[client]()
    result = Measurement(scenario)
    for index in range(args.rounds):
        shift = index % len(CLIENTS)
        order = CLIENTS[shift:] + CLIENTS[:shift]
        medians = time_round(scenario.calls, order, args.calls, server, by_call=args.interleave == "call")
        for client, median in medians.items():
            result.rounds[client].append(median)
    return result


# -- import times ----------------------------------------------------------------------------

_IMPORT_PROBE = """
import time
t = time.perf_counter()
import {module}
elapsed = time.perf_counter() - t
import json, sys
prefixes = {prefixes!r}
print(json.dumps([elapsed, sorted(m for m in sys.modules if m.split(".")[0] in prefixes)]))
"""


@dataclass(frozen=True)
class ImportTime:
    module: str
    seconds: float
    sdk_modules: list[str]


def import_time(module: str, runs: int) -> ImportTime:
    """Median time of ``import module`` in ``runs`` fresh interpreters (after one untimed run)."""
    code = _IMPORT_PROBE.format(module=module, prefixes=SDK_PREFIXES)
    samples: list[float] = []
    loaded: list[str] = []
    for _ in range(runs + 1):
        output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        elapsed, loaded = json.loads(output.stdout)
        samples.append(elapsed)
    return ImportTime(module, statistics.median(samples[1:]), loaded)


# -- report ----------------------------------------------------------------------------------


def mode_table(measurements: list[Measurement]) -> list[str]:
    lines = [
        "| Protocol | plain HTTP (ms) | raw SDK (ms) | CodeScribe (ms) | SDK / HTTP | CodeScribe / SDK "
        "| per-round range | CodeScribe − SDK (µs) | Target | Result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in measurements:
        ratios = m.ratios("codescribe", "sdk")
        lines.append(
            f"| {m.scenario.protocol} | {m.median_ms('http'):.3f} | {m.median_ms('sdk'):.3f} "
            f"| {m.median_ms('codescribe'):.3f} | {m.ratio('sdk', 'http'):.2f}× | {m.ratio('codescribe', 'sdk'):.3f}× "
            f"| {min(ratios):.3f}–{max(ratios):.3f} | {m.overhead_us():+.0f} | ≤ {m.target:.2f}× "
            f"| {'pass' if m.passed else 'FAIL'} |"
        )
    return lines


def import_table(imports: list[ImportTime]) -> list[str]:
    lines = ["| Import | median (ms) | SDK / HTTP-client modules loaded |", "|---|---:|---|"]
    for item in imports:
        sdk = ", ".join(sorted({name.split(".")[0] for name in item.sdk_modules})) or "none"
        lines.append(f"| `import {item.module}` | {item.seconds * 1000:.1f} | {sdk} |")
    return lines


def tables(measurements: list[Measurement], imports: list[ImportTime]) -> list[str]:
    lines: list[str] = []
    for streaming in (False, True):
        lines += [f"### {'Streaming' if streaming else 'Non-streaming'}", ""]
        lines += [*mode_table([m for m in measurements if m.scenario.streaming is streaming]), ""]
    lines += ["### Import time", "", *import_table(imports), ""]
    codescribe = next(item for item in imports if item.module == "codescribe")
    leaked = ", ".join(codescribe.sdk_modules)
    verdict = f"FAIL: {leaked}" if leaked else "pass"
    lines.append(f"`import codescribe` loads no module of {', '.join(SDK_PREFIXES)}: **{verdict}**")
    return lines


def report(measurements: list[Measurement], imports: list[ImportTime], args: argparse.Namespace, runtime: float) -> str:
    command = " ".join([".venv/bin/python", "bench/overhead.py", *sys.argv[1:]])
    versions = f"anthropic {anthropic.__version__}, openai {openai.__version__}, httpx2 {httpx2.__version__}"
    lines = [
        "# Provider-layer overhead",
        "",
        "Per-call wall time of CodeScribe's providers (`generate`, `generate_with_streaming`, with the default",
        "`max_retries=3`) against the raw `openai` / `anthropic` SDK making the identical request, and against a",
        "plain `httpx2.Client` post, all talking to the in-process `ScriptedLLMServer` on loopback. With no",
        "network and no model in the way, almost all of the time is client-side (and server-side) Python, so",
        "this is the worst case for a wrapper's relative overhead. Each figure is the median across rounds of",
        "a client's median call in the round; ratios are medians of per-round ratios (see the docstring of",
        "`bench/overhead.py` for the method). The raw SDK calls are what a user of the SDK writes",
        "(`chat.completions.create`, `messages.create`, with `stream=True` for streams). CodeScribe's",
        "providers make the same typed calls (their `with_raw_response` form when not streaming, to read the",
        "request id), so the ratio is what the provider layer adds: errors, retries, timing and accounting.",
        "",
        "Reproduce with `make bench`, which runs `.venv/bin/python bench/overhead.py`.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Command: `{command}`",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); {versions}",
        f"- Machine: {machine()}",
        f"- Method: {args.warmup} warm-up calls per client, then {args.rounds} rounds × {args.calls} calls per client,"
        f" {INTERLEAVING[args.interleave]}, client order rotated per round; benchmark runtime {runtime:.0f} s",
        "- Targets: CodeScribe / raw SDK ≤ 1.05×, streaming or not",
        "",
        *tables(measurements, imports),
    ]
    return "\n".join(lines) + "\n"


# -- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=7, help="rounds per scenario (default 7)")
    parser.add_argument("--calls", type=int, default=300, help="calls per client per round (default 300)")
    parser.add_argument("--warmup", type=int, default=50, help="warm-up calls per client (default 50)")
    parser.add_argument(
        "--interleave",
        choices=("call", "block"),
        default="call",
        help="alternate the clients call by call (default), or time each client's calls as one block",
    )
    parser.add_argument("--import-runs", type=int, default=5, help="fresh interpreters per import (default 5)")
    parser.add_argument("--quick", action="store_true", help="a short run: 3 rounds of 50 calls, 10 warm-up calls")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"the report to write (default {RESULTS})")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.calls, args.warmup, args.import_runs = 3, 50, 10, 3
    if min(args.rounds, args.calls, args.import_runs) < 1 or args.warmup < 0:
        parser.error("--rounds, --calls and --import-runs must be at least 1, --warmup at least 0")
    return args


def run_scenarios(args: argparse.Namespace) -> list[Measurement]:
    measurements = []
    with ScriptedLLMServer() as server, httpx2.Client(timeout=TIMEOUT) as http:
        openai_clients = OpenAIClients(server.openai_url, http)
        anthropic_clients = AnthropicClients(server.anthropic_url, http)
        try:
            for scenario in scenarios(openai_clients, anthropic_clients):
                check_same_request(scenario, server)
                started = time.perf_counter()
                measurements.append(measure(scenario, server, args))
                print(f"  {scenario.name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        finally:
            openai_clients.close()
            anthropic_clients.close()
    return measurements


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    print(f"Timing calls: {args.rounds} rounds × {args.calls} calls per client ...", file=sys.stderr)
    measurements = run_scenarios(args)
    print(f"Timing imports: {args.import_runs} runs each ...", file=sys.stderr)
    imports = [import_time(module, args.import_runs) for module in IMPORTS]
    text = report(measurements, imports, args, time.perf_counter() - started)
    args.output.write_text(text + _other_sections(args.output), encoding="utf-8")
    print(text)
    print(f"Wrote {args.output}", file=sys.stderr)
    codescribe = next(item for item in imports if item.module == "codescribe")
    return 1 if codescribe.sdk_modules else 0


if __name__ == "__main__":
    sys.exit(main())
