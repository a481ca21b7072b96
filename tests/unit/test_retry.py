"""The retry policy on its own: what is retried, how long it waits, when it gives up."""

from __future__ import annotations

import dataclasses

import pytest

from codescribe.llm import ErrorType, LLMError, RetryPolicy

FAST = RetryPolicy(max_retries=3, initial_wait=0.001, max_wait=0.01, jitter=0.001)


class Flaky:
    def __init__(self, *errors: LLMError) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def error(kind: ErrorType, retry_after: float | None = None) -> LLMError:
    return LLMError("x", error_type=kind, retry_after=retry_after)


def test_transient_errors_are_retried_until_success() -> None:
    call = Flaky(error(ErrorType.SERVER_ERROR))

    assert FAST.run(call, error(ErrorType.NETWORK)) == ("ok", 2)
    assert call.calls == 2


@pytest.mark.parametrize("kind", [ErrorType.AUTH, ErrorType.VALIDATION, ErrorType.MODEL_NOT_FOUND])
def test_permanent_errors_are_raised_at_once(kind: ErrorType) -> None:
    call = Flaky()

    with pytest.raises(LLMError) as caught:
        FAST.run(call, error(kind))

    assert caught.value.error_type is kind
    assert call.calls == 0


def test_retries_stop_at_max_retries_with_the_last_error() -> None:
    call = Flaky(*[error(ErrorType.SERVER_ERROR)] * 10)

    with pytest.raises(LLMError):
        FAST.run(call, error(ErrorType.SERVER_ERROR))

    assert call.calls == 3


def test_retry_after_sets_the_wait() -> None:
    waits: list[float] = []
    policy = dataclasses.replace(FAST, sleep=waits.append)

    policy.run(Flaky(error(ErrorType.SERVER_ERROR)), error(ErrorType.RATE_LIMIT, retry_after=0.3))

    assert waits[0] == 0.3, "the server's retry-after, as given"
    assert 0 < waits[1] <= FAST.max_wait + FAST.jitter, "then exponential backoff"


async def test_async_retries_wait_through_the_async_sleep() -> None:
    waits: list[float] = []

    async def asleep(seconds: float) -> None:
        waits.append(seconds)

    policy = dataclasses.replace(FAST, asleep=asleep)

    async def call() -> str:
        return "ok"

    assert await policy.arun(call, error(ErrorType.RATE_LIMIT, retry_after=2.5)) == ("ok", 1)
    assert waits == [2.5]


def test_a_retry_after_beyond_the_total_budget_gives_up_at_once() -> None:
    waits: list[float] = []
    policy = RetryPolicy(max_retries=3, max_total_wait=5.0, sleep=waits.append)

    with pytest.raises(LLMError):
        policy.run(Flaky(), error(ErrorType.RATE_LIMIT, retry_after=60))

    assert waits == []


def test_zero_retries_raises_the_first_error() -> None:
    with pytest.raises(LLMError):
        RetryPolicy(max_retries=0).run(Flaky(), error(ErrorType.NETWORK))


async def test_async_twin_behaves_the_same() -> None:
    calls = 0

    async def call() -> str:
        nonlocal calls
        calls += 1
        return "ok"

    assert await FAST.arun(call, error(ErrorType.TIMEOUT)) == ("ok", 1)
    assert calls == 1


def test_each_retry_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="codescribe.llm"):
        FAST.run(Flaky(error(ErrorType.SERVER_ERROR)), error(ErrorType.SERVER_ERROR))

    assert [r.getMessage().split(";")[1].strip()[:9] for r in caplog.records] == ["retry 1/3", "retry 2/3"]


def test_a_final_error_says_how_often_it_was_retried() -> None:
    with pytest.raises(LLMError) as caught:
        FAST.run(Flaky(*[error(ErrorType.SERVER_ERROR)] * 10), error(ErrorType.SERVER_ERROR))

    assert caught.value.retries == 3
