"""Bad days: outputs that cannot be written, a full disk, an input that cannot be read.

Issue 14: each ends in one clear line naming the file and the right exit code; the rest of the batch
is written; no temporary file is left. A read-only file system and a full disk are real on a
machine, not in a test run as root: those two faults are injected where the operating system
would raise them (``os.access``, and the write itself), and checked for real once by hand (a
read-only and a 16 KB ``tmpfs``; the note of the issue has the commands).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from codescribe.cli import main


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    for name in ("a.py", "b.py", "c.py"):
        (folder / name).write_text(f"def {name[0]}(x):\n    return x\n")
    return folder


def test_an_out_folder_that_cannot_be_written_is_refused_before_any_work(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != locked and real_access(path, mode))

    code = main(["generate", str(source), "-p", "offline", "--out", str(locked / "docs")])

    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    docs = locked / "docs"
    assert err == [
        f"codescribe: --out {docs} cannot be written ({locked} is read-only): give a folder you can write to."
    ]
    assert not (locked / "docs").exists()


def test_an_out_under_a_file_is_refused(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")

    code = main(["generate", str(source), "-p", "offline", "--out", str(tmp_path / "notes.txt" / "docs")])

    assert code == 2
    assert "lies under" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine\n"


def test_a_full_disk_fails_the_documents_it_stops_and_leaves_no_partial_file(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = Path.write_bytes

    def disk_fills_after_the_first(self: Path, data: bytes) -> int:
        if ".md." in self.name and self.name.endswith(".partial") and not self.name.startswith(".a.py"):
            real_write(self, data[:10])  # a part went to disk before the space ran out
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_fills_after_the_first)
    out = tmp_path / "out"

    code = main(["generate", str(source), "-p", "offline", "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 1
    written = sorted(path.name for path in out.iterdir())
    assert written == [".codescribe-written.json", "a.py.module.md"]  # no .partial left behind
    for name in ("b.py", "c.py"):
        target = out / f"{name}.module.md"
        assert f"{name} [module]: FAILED: not written: [Errno 28] No space left on device: '{target}'" in err


def test_an_input_that_cannot_be_read_fails_alone(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_read = Path.read_bytes

    def unreadable_b(self: Path) -> bytes:
        if self.name == "b.py":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", unreadable_b)
    out = tmp_path / "out"

    code = main(["generate", str(source), "-p", "offline", "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 1
    assert sorted(path.name for path in out.iterdir()) == [
        ".codescribe-written.json",
        "a.py.module.md",
        "c.py.module.md",
    ]
    assert f"b.py: FAILED: [Errno 13] Permission denied: '{source / 'b.py'}'" in err
    assert "Traceback" not in err


def test_a_folder_that_cannot_be_read_fails_alone(
    source: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # helper-21's trial: a sub-folder at mode 000 ended the run in a traceback (looking for CodeScribe's markers).
    (source / "secret").mkdir()
    real_is_file = Path.is_file

    def unreadable(self: Path) -> bool:
        if self.parent.name == "secret":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_is_file(self)

    monkeypatch.setattr(Path, "is_file", unreadable)

    code = main(["generate", str(source), "-p", "offline", "--out", str(source.parent / "out")])

    assert code == 0
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("run_id", ["../escaped", "/abs/path", "a/b", "..", ".", "-x", "x\x1b[2Jforged\nline"])
def test_a_run_id_that_is_not_a_folder_name_is_refused(run_id: str, tmp_path: Path) -> None:
    from codescribe.evals.runner import EvalRunner
    from codescribe.evals.suite import Suite

    suite = Suite.model_validate({"name": "t", "systems": [{"provider": "offline"}]})
    with pytest.raises(ValueError, match="is not a run's name") as caught:
        EvalRunner(suite, runs_dir=tmp_path / "runs", run_id=run_id)

    assert "\x1b" not in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "runs").exists()
