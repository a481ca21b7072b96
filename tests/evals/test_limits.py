"""A system's limits: taken on every attempt (retries included), the judge's too, and backing off on 429s."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from codescribe.evals.limits import SystemLimiter
from codescribe.evals.reporting import load_results
from codescribe.evals.runner import EvalRunner
from codescribe.llm import ErrorType, LLMConfig, LLMError, create_provider
from tests.scripted_server import Reply, ScriptedLLMServer

from .test_harness import corpus, scripted_system, server, suite

__all__ = ["corpus", "server"]  # the fixtures, imported for pytest

RATE_LIMITED = Reply(429, headers={"retry-after": "0"}, body={"error": {"message": "slow down"}})


def within_bucket(times: list[float], capacity: float, rate: float) -> bool:
    """Whether ``times`` never exceed a token bucket holding ``capacity``, refilled at ``rate`` a second:
    in every span of them, the calls number at most the capacity plus what refilled meanwhile."""
    times = sorted(times)
    slack = 0.1  # of a call: the loop's timers fire a little early or late
    return all(
        j - i + 1 <= capacity + rate * (times[j] - times[i]) + slack
        for i in range(len(times))
        for j in range(i, len(times))
    )


def rate_limit_error(status: int = 429) -> LLMError:
    return LLMError("slow down", error_type=ErrorType.RATE_LIMIT, status_code=status)


class RecordingLimiter:
    """Counts the attempts that enter it, and how each ended."""

    def __init__(self) -> None:
        self.outcomes: list[str] = []

    @asynccontextmanager
    async def _attempt(self) -> AsyncIterator[None]:
        try:
            yield
        except LLMError as error:
            self.outcomes.append(error.error_type.value)
            raise
        self.outcomes.append("ok")

    async def __aenter__(self) -> None:
        self._current = self._attempt()
        await self._current.__aenter__()

    async def __aexit__(self, *exc_info: object) -> bool | None:
        return await self._current.__aexit__(*exc_info)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["openai", "anthropic"])
@pytest.mark.parametrize("streaming", [False, True])
async def test_the_limiter_is_entered_by_every_attempt_retries_included(
    name: str, streaming: bool, server: ScriptedLLMServer
) -> None:
    url = server.openai_url if name == "openai" else server.anthropic_url
    provider = create_provider(LLMConfig(provider=name, api_key="k", base_url=url, max_retries=3))
    server.push(RATE_LIMITED, RATE_LIMITED)
    limiter = RecordingLimiter()

    async with provider:
        if streaming:
            result = await provider.agenerate_with_streaming("Document add.", limiter=limiter)
        else:
            result = await provider.agenerate("Document add.", limiter=limiter)

    assert limiter.outcomes == ["RATE_LIMIT", "RATE_LIMIT", "ok"]
    assert result.metadata.retries == 2
    assert len(server.requests) == 3


async def test_calls_per_minute_go_out_evenly_spaced_from_the_first() -> None:
    limiter = SystemLimiter(concurrency=30, rpm=1200)  # 20 a second: two at once at most, then one every 50 ms
    loop = asyncio.get_running_loop()
    entered: list[float] = []

    async def call() -> None:
        async with limiter:
            entered.append(loop.time())

    await asyncio.gather(*(call() for _ in range(25)))

    assert within_bucket(entered, capacity=2, rate=20), entered  # aiolimiter's clock is the loop's
    assert entered[-1] - entered[0] >= 23 / 20 * 0.9, "past the first two, each waits its turn"


async def test_adaptive_concurrency_halves_once_per_wave_of_429s_then_grows_back() -> None:
    limiter = SystemLimiter(concurrency=8, adaptive=True)
    wave_started, release = asyncio.Event(), asyncio.Event()
    inside = 0

    async def call(error: LLMError | None) -> None:
        nonlocal inside
        try:
            async with limiter:
                inside += 1
                if inside == 8:
                    wave_started.set()
                await release.wait()
                if error is not None:
                    raise error
        except LLMError:
            pass

    wave = [asyncio.create_task(call(rate_limit_error(429 if index % 2 else 529))) for index in range(8)]
    await wave_started.wait()
    release.set()
    await asyncio.gather(*wave)
    assert limiter.limit == 4, "eight 429/529s from one wave halve the limit once"

    release.clear()
    inside = 0
    waiting = [asyncio.create_task(call(None)) for _ in range(6)]
    for _ in range(10):
        await asyncio.sleep(0)
    assert limiter.in_flight == 4, "only the halved limit may be in flight"
    release.set()
    await asyncio.gather(*waiting)
    assert 4 < limiter.limit <= 8, "successes add back"
    for _ in range(200):
        async with limiter:
            pass
    assert limiter.limit == 8, "never above the configured concurrency"


async def test_without_adaptive_a_429_changes_nothing() -> None:
    limiter = SystemLimiter(concurrency=3)
    with pytest.raises(LLMError):
        async with limiter:
            raise rate_limit_error()
    assert limiter.limit == 3
    assert limiter.in_flight == 0


def test_limits_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="concurrency must be 1 or more"):
        SystemLimiter(0)
    with pytest.raises(ValueError, match="rpm must be above 0"):
        SystemLimiter(1, rpm=0)


def test_an_evaluations_calls_in_flight_stay_within_concurrency_through_retries(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    with ScriptedLLMServer(latency=0.02) as model:
        model.push(*[RATE_LIMITED] * 6)
        spec = suite(systems=[scripted_system(model, concurrency=2)], doc_types=["readme", "api"], repeats=2)
        run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
        most, requests = model.max_in_flight, len(model.requests)

    frame = load_results(run.run_dir)
    assert set(frame["status"]) == {"ok"}
    assert most <= 2
    assert requests == len(frame) + frame["retries"].sum() == len(frame) + 6


def test_the_judges_calls_keep_its_rate_limit(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    entered: dict[int, list[float]] = {}
    enter = SystemLimiter.__aenter__

    async def recording_enter(self: SystemLimiter) -> None:
        await enter(self)
        entered.setdefault(id(self), []).append(asyncio.get_running_loop().time())

    monkeypatch.setattr(SystemLimiter, "__aenter__", recording_enter)
    with ScriptedLLMServer(text="Fine.\nSCORE: 4") as judge:
        monkeypatch.setenv("LLM_BASE_URL", judge.openai_url)
        judge_spec = {"provider": "openai", "model": "gpt-6.1-sol", "concurrency": 4, "rpm": 120}
        run = EvalRunner(
            suite(doc_types=["readme"], judge=judge_spec), runs_dir=tmp_path / "runs", corpus_dir=corpus
        ).run()
        calls = len(judge.requests)

    assert set(load_results(run.run_dir)["judge_score"]) == {4}
    [judged] = entered.values()  # the offline system makes no call: every attempt is the judge's
    assert len(judged) == calls >= 4
    assert within_bucket(judged, capacity=2, rate=2), judged  # 120 a minute: two a second


async def test_a_waiter_cancelled_after_its_turn_came_passes_the_slot_on() -> None:
    """A wake-up given to an attempt that is cancelled before it runs must not be lost."""
    limiter = SystemLimiter(concurrency=1)
    entered: list[str] = []

    async def attempt(name: str) -> None:
        async with limiter:
            entered.append(name)
            await asyncio.Event().wait()  # holds the slot until cancelled

    await limiter.__aenter__()  # the holder
    second = asyncio.create_task(attempt("second"))
    third = asyncio.create_task(attempt("third"))
    for _ in range(3):
        await asyncio.sleep(0)
    await limiter.__aexit__(None, None, None)  # the holder leaves: the second's turn comes
    second.cancel()  # ... and it is cancelled before it runs
    for _ in range(5):
        await asyncio.sleep(0)

    assert entered == ["third"]
    assert limiter.in_flight == 1
    third.cancel()
    await asyncio.gather(second, third, return_exceptions=True)
    assert limiter.in_flight == 0


async def test_latency_counts_from_the_call_not_from_the_wait_for_a_slot(
    server: ScriptedLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A call queued behind its system's limits has not started: the queue is not its latency."""
    from codescribe.llm.providers import base

    clock = {"now": 1000.0}
    monkeypatch.setattr(base, "perf_counter", lambda: clock["now"])

    class QueuedGate:
        """Admits the attempt after a (simulated) wait of 100 s in the queue."""

        async def __aenter__(self) -> None:
            clock["now"] += 100.0

        async def __aexit__(self, *exc_info: object) -> None:
            return None

    provider = create_provider(LLMConfig(provider="openai", api_key="k", base_url=server.openai_url, max_retries=0))
    async with provider:
        result = await provider.agenerate("Document this.", limiter=QueuedGate())

    assert result.metadata.latency_ms == 0.0, "the clock did not move during the call itself"


async def test_one_user_closing_a_shared_provider_leaves_anothers_calls_running(server: ScriptedLLMServer) -> None:
    """The factory shares a provider among equal configs: two runs in one notebook loop, say."""
    provider = create_provider(LLMConfig(provider="openai", api_key="k", base_url=server.openai_url, max_retries=0))
    server.push(Reply(delay=0.2))
    slow = asyncio.create_task(provider.agenerate("Document this, slowly."))
    for _ in range(20):
        await asyncio.sleep(0.01)
        if server.requests:
            break

    await provider.aclose()  # the other user is done: it closes what it may
    result = await slow
    await provider.aclose()  # the last user closes the client

    assert result.text
    assert provider._async_client is None
