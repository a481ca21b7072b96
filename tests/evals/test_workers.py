"""Runs shared among worker processes: the same records, the suite's limits kept, deaths survived."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from codescribe.evals import store as store_module
from codescribe.evals.execute import RunSetup, SampleExecutor
from codescribe.evals.limits import CallGate, Lane, NoWorkerLeft, Placement, headroom, split
from codescribe.evals.report import load_results
from codescribe.evals.runner import EvalRunner
from codescribe.evals.store import ResultStore
from codescribe.evals.workers import _reap_stopped, _stopped
from codescribe.llm.scripted_server import ScriptedLLMServer

from .test_harness import corpus, scripted_system, suite, write_suite

__all__ = ["corpus"]  # the fixture, imported for pytest

MEASURES = ["status", "quality", "truthfulness", "completeness", "bleu", "rouge_l", "breakdown"]


def records(run_dir: Path) -> dict[str, dict[str, Any]]:
    lines = (run_dir / "results.jsonl").read_text().splitlines()
    found = [json.loads(line) for line in lines]
    assert len(found) == len({record["sample_id"] for record in found}), "a sample was stored twice"
    return {record["sample_id"]: record for record in found}


def test_two_workers_store_the_same_records_as_one_process(corpus: Path, tmp_path: Path) -> None:
    spec = suite(doc_types=["readme", "docstrings", "api"], repeats=3)

    alone = EvalRunner(spec, runs_dir=tmp_path / "one", corpus_dir=corpus, workers=1).run()
    shared = EvalRunner(spec, runs_dir=tmp_path / "two", corpus_dir=corpus, workers=2).run()

    one, two = records(alone.run_dir), records(shared.run_dir)
    assert (alone.workers, shared.workers) == (1, 2)
    assert len(one) == 4 * 3 * 3
    assert one.keys() == two.keys()
    for sample_id, record in one.items():
        assert {k: record.get(k) for k in MEASURES} == {k: two[sample_id].get(k) for k in MEASURES}, sample_id


def test_a_runs_workers_exit_by_themselves_once_it_returns(corpus: Path, tmp_path: Path) -> None:
    """run() does not wait for its workers to exit (every result is in by then); they exit at once."""
    EvalRunner(suite(repeats=2), runs_dir=tmp_path / "runs", corpus_dir=corpus, workers=2).run()
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:  # it also reaps them
        time.sleep(0.01)

    assert not multiprocessing.active_children()


@pytest.mark.parametrize("workers", [1, 2])
def test_concurrency_bounds_the_calls_in_flight(
    workers: int, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    with ScriptedLLMServer(text="# Doc\n\nText.\n", latency=0.05) as server:
        spec = suite(systems=[scripted_system(server, concurrency=3)], doc_types=["readme", "api"], repeats=3)
        run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus, workers=workers).run()
        most = server.max_in_flight

    assert run.workers == workers
    assert len(records(run.run_dir)) == 24
    assert most == 3, "never more calls in flight than the system's concurrency, and all of it used"


def test_the_rate_limit_holds_across_workers(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    with ScriptedLLMServer(text="# Doc\n\nText.\n") as server:
        spec = suite(systems=[scripted_system(server, concurrency=4, rpm=600)], doc_types=["readme"], repeats=3)
        run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus, workers=2).run()
        arrivals = sorted(request.at for request in server.requests)

    assert len(records(run.run_dir)) == 12
    # 600 a minute is one call per 0.1 s; each worker paces its half at one per 0.2 s.
    assert arrivals[-1] - arrivals[0] >= (12 / 2 - 1) * 0.2 * 0.9
    for index in range(len(arrivals) - 3):
        assert arrivals[index + 3] - arrivals[index] >= 0.1 * 0.9, "at most 2 starts in any 0.1 s"


@pytest.mark.parametrize("workers", [1, 2])
def test_the_budget_is_never_crossed_with_workers(
    workers: int, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    budget = 0.10
    with ScriptedLLMServer(input_tokens=2_000, output_tokens=1_000, latency=0.02) as expensive:
        system = scripted_system(expensive, concurrency=4, max_tokens=1_000)
        spec = suite(systems=[system], budget_usd=budget, doc_types=["readme", "api", "module"], repeats=2)
        run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus, workers=workers).run()
        calls = len(expensive.requests)

    frame = load_results(run.run_dir)
    assert len(frame) == 24
    assert frame["cost_usd"].fillna(0).sum() == pytest.approx(run.spent_usd)
    assert run.spent_usd <= budget
    assert calls == (frame["status"] == "ok").sum() >= 2
    assert set(frame["status"]) == {"ok", "over_budget"}


def test_the_samples_of_a_worker_that_dies_go_to_the_others(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    killed: list[int] = []

    def kill_a_worker(record: dict[str, Any]) -> None:
        if not killed:
            victim = multiprocessing.active_children()[0]
            assert victim.pid is not None
            killed.append(victim.pid)
            os.kill(victim.pid, signal.SIGKILL)

    with ScriptedLLMServer(text="# Doc\n\nText.\n", latency=0.2) as server:
        spec = suite(systems=[scripted_system(server, concurrency=4)], doc_types=["readme", "api"], repeats=4)
        run = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus, workers=2,
                         on_record=kill_a_worker).run()  # fmt: skip
        most = server.max_in_flight

    stored = records(run.run_dir)
    assert killed
    assert len(stored) == 32
    assert {record["status"] for record in stored.values()} == {"ok"}, "every sample placed again and finished"
    assert run.errors == 0
    assert most <= 4


def test_a_run_whose_workers_all_die_fails_clearly_and_resumes(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")

    def kill_every_worker(record: dict[str, Any]) -> None:
        for child in multiprocessing.active_children():
            if child.name.startswith("codescribe-eval") and child.pid is not None:
                os.kill(child.pid, signal.SIGKILL)

    with ScriptedLLMServer(text="# Doc\n\nText.\n", latency=0.1) as server:
        spec = suite(systems=[scripted_system(server, concurrency=4)], doc_types=["readme", "api"], repeats=4)
        with pytest.raises(NoWorkerLeft, match=r"every worker process that could run openai/gpt-6\.1-sol has exited"):
            EvalRunner(spec, runs_dir=tmp_path / "runs", run_id="dead", corpus_dir=corpus, workers=2,
                       on_record=kill_every_worker).run()  # fmt: skip
        before = len(records(tmp_path / "runs" / "dead"))
        resumed = EvalRunner(spec, runs_dir=tmp_path / "runs", run_id="dead", corpus_dir=corpus, workers=1).run()

    stored = records(tmp_path / "runs" / "dead")
    assert 1 <= before < 32
    assert resumed.samples == 32 - before
    assert len(stored) == 32
    assert not [thread for thread in threading.enumerate() if thread.name == "codescribe-results-fsync"]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads worker processes from /proc")
def test_a_killed_runner_takes_its_workers_with_it_and_resumes(corpus: Path, tmp_path: Path) -> None:
    with ScriptedLLMServer(text="# Doc\n\nText.\n", latency=0.2) as slow:
        suite_file = write_suite(tmp_path, f"name: kill\nsystems: [{{provider: openai, model: gpt-6.1-sol, "
                                 f"base_url: '{slow.openai_url}', concurrency: 2}}]\ndoc_types: [readme, api, module]\n"
                                 "repeats: 3\n")  # fmt: skip
        command = [sys.executable, "-m", "codescribe.cli", "eval", "run", str(suite_file), "--runs-dir",
                   str(tmp_path / "runs"), "--run-id", "killed", "--corpus", str(corpus), "--workers", "2"]  # fmt: skip
        env = {**os.environ, "LLM_API_KEY": "k"}
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results = tmp_path / "runs" / "killed" / "results.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not results.exists() or len(results.read_text().splitlines()) < 3):
            time.sleep(0.05)
        workers = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        before = len(results.read_text().splitlines())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.05)
        survivors = [pid for pid in workers if _alive(pid)]

        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)

    assert len(workers) == 2
    assert survivors == [], "the workers exit when their runner is gone"
    assert 3 <= before < 36
    assert finished.returncode == 0, finished.stderr
    assert "by 2 worker processes" in finished.stdout
    assert len(records(tmp_path / "runs" / "killed")) == 36


def test_auto_uses_workers_only_for_big_runs(corpus: Path, tmp_path: Path) -> None:
    small = EvalRunner(suite(repeats=2), runs_dir=tmp_path / "runs", corpus_dir=corpus).run()
    big = EvalRunner(suite(doc_types=["readme", "api"], repeats=25), runs_dir=tmp_path / "runs",
                     corpus_dir=corpus).run()  # fmt: skip
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

    assert small.workers == 1
    assert big.samples == 200
    assert big.workers == min(cores, 8)


def test_limits_are_split_without_exceeding_the_suite() -> None:
    assert split(5, 2) == [3, 2]
    assert split(1, 3) == [1, 0, 0]
    assert sum(split(50, 8)) == 50


async def test_placement_fills_the_least_loaded_worker_waits_when_full_and_retires_the_dead() -> None:
    placement = Placement([{"a": 4, "b": 1}, {"a": 4, "b": 0}])  # each holds 4 + 1 of "a"; "b" only on worker 0

    taken = [await placement.take("a") for _ in range(10)]
    only_b = [await placement.take("b"), await placement.take("b")]
    waiting = asyncio.ensure_future(placement.take("a"))
    await asyncio.sleep(0)
    full = not waiting.done()
    placement.give_back("a", 1)
    freed = await waiting
    placement.retire(0)
    placement.give_back("a", 0)  # room on the retired worker: not used
    placement.give_back("a", 1)
    after_retire = await placement.take("a")
    blocked_b = asyncio.ensure_future(placement.take("b"))
    await asyncio.sleep(0)

    assert sorted(taken) == [0] * 5 + [1] * 5
    assert only_b == [0, 0]
    assert full, "the 11th sample waits for room"
    assert freed == 1
    assert after_retire == 1
    assert blocked_b.done()
    assert isinstance(blocked_b.exception(), NoWorkerLeft), "no worker left for b"


async def test_the_lane_lets_the_next_call_go_out_before_a_finished_calls_scoring() -> None:
    """Scoring follows a call's exit from its gate; with a lane, the call waiting for the slot goes
    out first, and the scorings run one at a time."""

    async def order(lane: Lane | None) -> list[str]:
        gate, events = CallGate(1, None, lane), []

        async def sample(name: str) -> None:
            async with gate:
                events.append(f"{name} calls")
                await asyncio.sleep(0.01)
            events.append(f"{name} scores")

        await asyncio.gather(sample("a"), sample("b"))
        return events

    assert await order(None) == ["a calls", "a scores", "b calls", "b scores"]
    assert await order(Lane(backlog=2)) == ["a calls", "b calls", "a scores", "b scores"]


async def test_the_lane_scores_in_the_lull_after_a_burst_of_answers_unless_its_backlog_is_full() -> None:
    """Five calls end 5 ms apart: their scoring waits until none has ended for ``quiet``, unless more
    samples are waiting than the lane's backlog (they would keep calls back)."""
    quiet = 0.02

    async def burst(backlog: int) -> tuple[float, list[float]]:
        lane, scored = Lane(backlog=backlog, quiet=quiet), []
        gate = CallGate(5, None, lane)

        async def sample(index: int) -> None:
            async with gate:
                await asyncio.sleep(0.005 * (index + 1))
            scored.append(time.monotonic())

        await asyncio.gather(*(sample(index) for index in range(5)))
        return lane.last_end, scored

    last_end, scored = await burst(backlog=5)
    assert min(scored) >= last_end + quiet * 0.9, "nothing is scored while answers are still coming"
    last_end, scored = await burst(backlog=0)
    assert min(scored) < last_end, "with no backlog allowed, the first answer is scored at once"
    last_end, scored = await burst(backlog=2)
    assert sum(at < last_end for at in scored) == 2, "the samples beyond the backlog of 2 go on at once"


async def test_the_lane_waits_no_longer_than_its_patience_and_not_after_a_failed_call() -> None:
    lane = Lane(backlog=10, quiet=1.0, patience=0.05)  # the lull never comes: patience decides
    gate = CallGate(2, None, lane)
    began = time.monotonic()
    async with gate:
        await asyncio.sleep(0)
    waited = time.monotonic() - began

    began = time.monotonic()
    with pytest.raises(ValueError, match="the call failed"):
        async with gate:
            raise ValueError("the call failed")
    failed_after = time.monotonic() - began

    assert 0.04 < waited < 0.5
    assert failed_after < 0.02, "an error goes on without waiting for a lull"


def test_each_system_has_its_own_gate_and_lane(tmp_path: Path) -> None:
    """A system's samples never wait to be scored behind another system's."""
    spec = suite(systems=[{"provider": "offline", "model": "a", "label": "a", "concurrency": 4},
                          {"provider": "offline", "model": "b", "label": "b", "concurrency": 8}])  # fmt: skip
    setup = RunSetup(spec, "run", [], tmp_path, tmp_path, tmp_path, [{"a": 4, "b": 8}])
    gates = [generator.call_gate for generator in SampleExecutor(setup).generators.values()]

    assert all(isinstance(gate, CallGate) and gate.lane is not None for gate in gates)
    lanes = [gate.lane for gate in gates if isinstance(gate, CallGate)]
    assert len({id(lane) for lane in lanes}) == 2
    assert sorted(lane.backlog for lane in lanes if lane is not None) == [headroom(4), headroom(8)]


def _sleep_forever() -> None:
    time.sleep(3600)


def test_workers_that_never_exit_are_killed_when_the_next_pool_starts() -> None:
    hung = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn").Process(
        target=_sleep_forever, daemon=True
    )
    hung.start()
    _stopped.append(hung)

    _reap_stopped(grace=0.1)

    assert not hung.is_alive()
    assert not _stopped


async def test_the_first_wave_of_calls_starts_ramped_and_later_calls_at_once() -> None:
    gate, starts = CallGate(3, None, ramp=0.02), []

    async def call() -> None:
        async with gate:
            starts.append(time.monotonic())
            await asyncio.sleep(0.05)

    began = time.monotonic()
    await asyncio.gather(*(call() for _ in range(6)))
    offsets = [start - began for start in starts]

    assert offsets[:3] == sorted(offsets[:3])
    assert min(offsets[1] - offsets[0], offsets[2] - offsets[1]) >= 0.018, "the first 3 start 20 ms apart"
    # each later call starts as soon as a slot is free: 50 ms after the call it replaces
    assert all(abs(later - (first + 0.05)) < 0.015 for first, later in zip(offsets[:3], offsets[3:], strict=True))


def test_only_the_samples_in_hand_exist_as_tasks(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Samples become tasks when a worker has room for them, not all at once at the start."""
    monkeypatch.setenv("LLM_API_KEY", "k")
    most: list[int] = []
    with ScriptedLLMServer(text="# Doc\n\nText.\n", latency=0.01) as server:
        spec = suite(systems=[scripted_system(server, concurrency=2)], doc_types=["readme", "api"], repeats=10)
        runner = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus, workers=1,
                            on_record=lambda record: most.append(len(asyncio.all_tasks())))  # fmt: skip
        run = runner.run()

    assert run.samples == 4 * 2 * 10
    # the samples in hand; the run and its feeder; the HTTP stack's own tasks (aiohttp writes each
    # request body in one, and a stream's generator is closed in one): not the 80 samples at once
    assert max(most) <= 2 + headroom(2) + 2 + 4


def test_spawned_workers_work_too(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """How workers start on macOS and Windows: the run's setup is pickled, nothing inherited."""
    monkeypatch.setattr("codescribe.evals.workers.START_METHOD", "spawn")
    spec = suite(doc_types=["readme", "api"], repeats=2)

    spawned = EvalRunner(spec, runs_dir=tmp_path / "spawned", corpus_dir=corpus, workers=2).run()
    alone = EvalRunner(spec, runs_dir=tmp_path / "alone", corpus_dir=corpus, workers=1).run()

    one, two = records(alone.run_dir), records(spawned.run_dir)
    assert spawned.workers == 2
    assert one.keys() == two.keys()
    assert all(one[key]["quality"] == two[key]["quality"] for key in one)


def test_a_resumed_run_counts_what_it_spent_before(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    with ScriptedLLMServer(input_tokens=2_000, output_tokens=1_000) as priced:
        system = scripted_system(priced, concurrency=1, max_tokens=1_000)
        spec = suite(systems=[system], doc_types=["readme", "api"])
        whole = EvalRunner(spec, runs_dir=tmp_path / "runs", corpus_dir=corpus, workers=1).run()
        results = whole.run_dir / "results.jsonl"
        kept = results.read_text().splitlines()[:3]  # as if killed after three samples
        results.write_text("\n".join(kept) + "\n")
        before = sum(json.loads(line)["cost_usd"] for line in kept)
        # Room for one more call's worst case (about $0.037 here; it really costs $0.014), not two.
        tight = spec.model_copy(update={"budget_usd": before + 0.045})
        priced.requests.clear()
        resumed = EvalRunner(tight, runs_dir=tmp_path / "runs", run_id=whole.run_id, corpus_dir=corpus,
                             workers=1).run()  # fmt: skip
        calls = len(priced.requests)

    stored = records(whole.run_dir)
    assert len(stored) == 8
    assert resumed.spent_usd <= before + 0.045
    assert calls == sum(record["status"] == "ok" for record in stored.values()) - 3 == 1
    assert resumed.spent_usd == pytest.approx(sum(record.get("cost_usd") or 0 for record in stored.values()))


def test_a_resume_counts_lost_attempts_and_calls_that_never_came_back(tmp_path: Path) -> None:
    from codescribe.evals.runner import _Spending
    from codescribe.evals.store import BUDGET_FILE, PAIRWISE_FILE, ResultStore

    run = tmp_path / "run"
    run.mkdir()
    results = ResultStore(run)
    results.append({"sample_id": "a", "status": "ok", "cost_usd": 0.010, "judge_cost_usd": 0.002})
    results.append({"sample_id": "b", "status": "ok", "cost_usd": 0.020, "response_cached": True})
    results.close()
    ledger = ResultStore(run, BUDGET_FILE, key="key")
    for entry in ({"key": "a", "reserved": 0.05}, {"key": "a|judge", "reserved": 0.04},  # answered: their costs count
                  {"key": "c", "reserved": 0.05}, {"key": "c", "lost": 0.05},  # its worker died: spent
                  {"key": "c", "reserved": 0.06},  # its second attempt was in flight at the kill: worst case
                  {"key": "pair", "reserved": 0.03}):  # a judge call in flight  # fmt: skip
        ledger.append(entry)
    ledger.close()

    spending = _Spending(1.0, {}, ResultStore(run, BUDGET_FILE, key="key"))
    spent = spending.spent_before(ResultStore(run), ResultStore(run, PAIRWISE_FILE, key="pair_id"))

    assert spent == pytest.approx(0.010 + 0.002 + 0.05 + 0.06 + 0.03)


def test_the_store_syncs_lines_in_groups_and_closes_without_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line is written at once (a kill loses nothing), but the fsyncs are shared by the lines
    of each interval: one per line cost the runner a thread wake-up per line."""
    syncs: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda descriptor: (syncs.append(descriptor), real(descriptor))[1])
    interval = 0.5  # long, so that a slow disk cannot blur the counts
    monkeypatch.setattr(store_module, "SYNC_INTERVAL", interval)
    store = ResultStore(tmp_path / "run")
    store.start({"what": "a test"})
    started = time.perf_counter()
    for index in range(200):
        store.append({"sample_id": str(index)})
        written = len(list(store.lines()))  # on the file at once, before any fsync
        time.sleep(0.001)
    elapsed = time.perf_counter() - started
    closing = time.perf_counter()
    store.close()
    closed_in = time.perf_counter() - closing

    assert written == 200
    assert len(syncs) <= elapsed / interval + 3, f"{len(syncs)} fsyncs for 200 lines in {elapsed:.2f} s"
    assert closed_in < interval / 2, "close() does not wait out the interval"
    assert [record["sample_id"] for record in store.records()] == [str(index) for index in range(200)]
