"""CPU work of the async API off the event loop, and never on two threads at once.

Python 3.11's ``ast`` is not thread-safe (CPython gh-106905): the live click test failed with "AST constructor
recursion depth mismatch" when a small file was analysed in the loop's thread while a large one was on the worker.
"""

from __future__ import annotations

import ast
import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from codescribe.cli import main
from codescribe.engine import cpu
from codescribe.engine.cpu import INLINE_CHARS, off_the_loop


def test_small_work_runs_in_the_loop_and_large_work_on_the_worker() -> None:
    async def main() -> tuple[str, str]:
        here = await off_the_loop(1, lambda: threading.current_thread().name)
        there = await off_the_loop(INLINE_CHARS, lambda: threading.current_thread().name)
        return here, there

    here, there = asyncio.run(main())

    assert here == threading.current_thread().name
    assert there.startswith("codescribe-cpu")


def test_small_work_waits_behind_the_worker_rather_than_run_beside_it() -> None:
    started, release = threading.Event(), threading.Event()
    overlapped: list[bool] = []

    def large() -> str:
        started.set()
        release.wait(timeout=10)
        return threading.current_thread().name

    def small() -> str:
        overlapped.append(started.is_set() and not release.is_set())  # running while the large one runs?
        return threading.current_thread().name

    async def main() -> tuple[str, str, str]:
        first = asyncio.create_task(off_the_loop(INLINE_CHARS, large))
        await asyncio.to_thread(started.wait, 10)
        second = asyncio.create_task(off_the_loop(1, small))
        await asyncio.sleep(0.05)  # the small job had its chance to run here, in the loop: it must not take it
        release.set()
        return await first, await second, await off_the_loop(1, lambda: threading.current_thread().name)

    large_on, small_on, afterwards = asyncio.run(main())

    assert overlapped == [False]
    assert large_on.startswith("codescribe-cpu")
    assert small_on.startswith("codescribe-cpu")  # queued behind the large one
    assert afterwards == threading.current_thread().name  # the worker idle again: small work stays in the loop


def test_every_parse_of_python_in_a_run_holds_the_parsing_lock(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CI run of 2026-11-30 failed on click with gh-106905 although ``parse_python`` held a lock:
    ``ast.literal_eval`` of a string parses it itself, and the analysers called it outside the lock."""
    parses: list[bool] = []
    real_parse = ast.parse

    def checked_parse(*args: Any, **kwargs: Any) -> Any:
        parses.append(cpu._PARSING.locked())
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(ast, "parse", checked_parse)
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    literals = '''"""A module whose names and defaults are literals."""

__all__ = ["greet", "LIMIT"]
LIMIT = 10
NAMES = ("a", "b")


def greet(name: str = "world", times: int = 2) -> str:
    return ", ".join([name] * times)
'''
    (project / "pkg" / "literals.py").write_text(literals)
    # a syntax error sends the file to the tree-sitter analyser, which reads docstrings and __all__ as literals
    (project / "pkg" / "broken.py").write_text(
        '"""Half written."""\n__all__ = ["ok"]\n\n\ndef ok():\n    """Fine."""\n\n\ndef bad(:\n    pass\n'
    )

    code = main(
        [
            "generate",
            str(project),
            "-p",
            "offline",
            "-t",
            "module",
            "-t",
            "docstrings",
            "-t",
            "architecture",
            "--out",
            str(tmp_path / "out"),
        ]
    )

    capsys.readouterr()
    assert code in (0, 1)  # the broken file's docstrings are refused; the rest is written
    assert len(parses) > 5
    assert all(parses), f"{parses.count(False)} of {len(parses)} parses ran without the lock"


def test_a_parse_upset_by_a_thread_outside_codescribe_is_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Code that does not take CodeScribe's lock (another plugin, the caller's threads) can still race a parse."""
    real_parse = ast.parse
    calls: list[str] = []

    def upset_once(*args: Any, **kwargs: Any) -> Any:
        calls.append("parse")
        if len(calls) == 1:
            raise SystemError("AST constructor recursion depth mismatch (before=165, after=44)")
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(ast, "parse", upset_once)

    assert isinstance(cpu.parse_python("x = 1"), ast.Module)
    assert calls == ["parse", "parse"]


def test_a_parse_that_keeps_failing_or_fails_otherwise_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def always(message: str) -> Any:
        def parse(*args: Any, **kwargs: Any) -> Any:
            raise SystemError(message)

        return parse

    monkeypatch.setattr(ast, "parse", always("AST constructor recursion depth mismatch (before=1, after=2)"))
    with pytest.raises(SystemError, match="mismatch"):
        cpu.parse_python("x = 1")
    monkeypatch.setattr(ast, "parse", always("some other interpreter fault"))
    with pytest.raises(SystemError, match="other"):
        cpu.parse_python("x = 1")
