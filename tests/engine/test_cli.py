"""The ``codescribe`` command, run the way a user runs it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from codescribe.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
INVENTORY = FIXTURES / "python" / "inventory.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codescribe.cli", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_help_imports_no_sdk() -> None:
    """``codescribe --help`` stays quick because it imports no SDK (bench/RESULTS.md times the import)."""
    code = (
        "import sys; from codescribe.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'anthropic', 'openai', 'httpx2', 'pandas'}))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert "generate" in output
    assert output.strip().endswith("[]")


def test_generate_a_file_offline_prints_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", str(INVENTORY), "--provider", "offline"]) == 0

    captured = capsys.readouterr()
    assert captured.out.startswith("# inventory")
    assert "quality" in captured.err


def test_generate_docstrings_writes_source_that_parses(tmp_path: Path) -> None:
    assert main(["generate", str(INVENTORY), "-p", "offline", "-t", "docstrings", "--out", str(tmp_path)]) == 0

    ast.parse((tmp_path / "inventory.py").read_text())


def test_generate_a_folder_documents_every_file_and_reports_failures(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "a.py").write_text("def one():\n    return 1\n")
    (project / "b.py").write_text("def two(:\n")
    (project / "c.py").write_bytes(b"\x00binary")
    out = tmp_path / "out"

    code = main(["generate", str(project), "-p", "offline", "--out", str(out), "-t", "module", "-t", "readme"])

    assert code == 1  # c.py could not be read
    assert (out / "a.py.module.md").is_file()
    assert (out / "b.py.module.md").is_file()
    assert (out / "proj.readme.md").is_file(), "a folder gets one README, from its manifest and code"
    assert sorted(p.name for p in out.rglob("*.readme.md")) == ["proj.readme.md"]
    assert not list(out.rglob("*.partial"))


def test_bad_input_exits_2_with_a_message() -> None:
    result = run("generate", "/no/such/path", "--provider", "offline")

    assert result.returncode == 2
    assert "no such file or folder" in result.stderr


def test_unknown_provider_exits_2_and_names_it() -> None:
    result = run("generate", str(INVENTORY), "--provider", "antropic")

    assert result.returncode == 2
    assert "antropic" in result.stderr
    assert "anthropic" in result.stderr


def test_estimate_prices_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["estimate", str(FIXTURES / "python"), "--provider", "anthropic", "--model", "claude-sonnet-5-5"]) == 0

    out = capsys.readouterr().out
    assert "files        1" in out
    assert "~$" in out


def test_providers_lists_built_ins_and_the_offline_engine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["providers"]) == 0

    out = capsys.readouterr().out
    for name in ("anthropic", "openai", "azure-openai", "ollama", "offline"):
        assert name in out


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    """``codescribe estimate . | head``: the pipe closes before the output is written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "codescribe.cli", "estimate", str(FIXTURES), "-p", "offline"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # long before the command has anything to print
    errors = process.stderr.read()
    code = process.wait(timeout=120)

    assert code == 1
    assert errors == ""


def test_the_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    result = run("--version")

    assert result.returncode == 0
    assert result.stdout.strip() == f"codescribe {version('codescribe-docs')}"


def test_estimate_says_when_the_key_the_run_needs_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LLM_API_KEY", "LLM_PROVIDER", "ANTHROPIC_API_KEY", "CLAUDE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    from codescribe.engine.estimate import estimate_run

    missing = estimate_run(FIXTURES / "python", provider="anthropic")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "fake-anthropic-key-123")
    present = estimate_run(FIXTURES / "python", provider="anthropic")

    assert "set LLM_API_KEY or ANTHROPIC_API_KEY or CLAUDE_API_KEY before you run this" in missing.render()
    assert present.missing_key is None
    assert "fake-anthropic-key" not in present.render()


@pytest.mark.parametrize("provider", ["offline", "anthropic"])
def test_estimate_and_generate_count_the_same_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], provider: str
) -> None:
    """Files that share a name (``a.py``, ``a.js``, ``a.cjs``, ``a.ts``) are each documented once; the stub
    ``a.pyi`` beside ``a.py`` is the same module, documented from its source (as griffe merges them)."""
    project = tmp_path / "src"
    project.mkdir()
    for suffix, text in {
        ".py": "def f():\n    return 1\n",
        ".pyi": "def f() -> int: ...\n",
        ".js": "function g() { return 1 }\nmodule.exports = { g }\n",
        ".cjs": "function h() { return 1 }\nmodule.exports = { h }\n",
        ".ts": "export const x = (n: number): number => n\n",
    }.items():
        (project / f"a{suffix}").write_text(text)
    (project / "skip.js").write_text("var s = 1\n")
    selection = ["-t", "module", "-t", "architecture", "--exclude", "skip.js"]

    assert main(["estimate", str(project), "-p", provider, "--model", "claude-sonnet-5-5", *selection]) == 0
    estimated = capsys.readouterr().out
    assert main(["generate", str(project), "-p", "offline", "--out", str(tmp_path / "out"), *selection]) == 0

    written = sorted(p.name for p in (tmp_path / "out").rglob("*.md"))
    assert len(written) == 5  # four module pages and the architecture page
    assert {"a.py.module.md", "a.js.module.md", "a.cjs.module.md", "a.ts.module.md"} <= set(written)
    assert "files        4 " in estimated
    assert "documents    5\n" in estimated


def test_a_files_warning_is_printed_once_whatever_the_number_of_doc_types(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "src"
    project.mkdir()
    (project / "broken.py").write_text("def broken(:\n    pass\n\n\ndef fine(a):\n    return a\n")

    types = ["-t", "module", "-t", "readme", "-t", "api"]
    assert main(["generate", str(project), "-p", "offline", "--out", str(tmp_path / "out"), *types]) == 0

    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning:" in line]
    assert len(warnings) == 1, warnings
    assert "Python cannot parse it (syntax error at line 1)" in warnings[0]


def test_json_lines_name_the_file_each_document_went_to(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    out = tmp_path / "docs"
    assert main(["generate", str(folder), "-p", "offline", "--out", str(out), "--json"]) == 0
    assert main(["generate", str(folder / "calc.py"), "-p", "offline", "--out", str(out), "--json"]) == 0
    assert main(["generate", str(folder / "calc.py"), "-p", "offline", "--json"]) == 0
    folder_run, file_run, to_stdout = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    for record in (folder_run, file_run):
        assert Path(record["written"]).is_file()
        assert Path(record["written"]).is_relative_to(out)
        assert record["documentation"] is None
    assert to_stdout["written"] is None
    assert to_stdout["documentation"].startswith("# calc")


def test_a_folder_without_source_files_is_refused_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("no code here\n")

    assert main(["generate", str(tmp_path), "-p", "offline", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path}: no source file to document" in err
    assert ".py" in err
    assert not (tmp_path / "out").exists()


def test_estimate_and_generate_refuse_an_empty_folder_alike_and_name_the_skipped_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Trial 34: estimate said "files 0 (0 skipped)" with exit 0 where generate refused with exit 2.
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "gen.py").write_text("X = 1\n")

    assert main(["estimate", str(tmp_path), "-p", "offline"]) == 2
    estimated = capsys.readouterr()
    assert main(["generate", str(tmp_path), "-p", "offline", "--out", str(tmp_path.parent / "out")]) == 2
    generated = capsys.readouterr()

    assert estimated.out == ""
    assert estimated.err == generated.err
    assert f"{tmp_path}: no source file to document" in estimated.err
    assert "build/ (build output; to document it too: --include '*' --include 'build/*')" in estimated.err


def test_skipped_build_folders_are_reported_by_estimate_and_generate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "proj"
    for name in ("app.py", "dist/app.py", "src/build/__init__.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("def f(a):\n    return a\n")

    assert main(["estimate", str(project), "-p", "offline"]) == 0
    estimated = capsys.readouterr().out
    assert main(["generate", str(project), "-p", "offline", "--out", str(tmp_path / "out")]) == 0
    reported = capsys.readouterr().err

    assert "files        2 (0 skipped, 1 folder skipped)" in estimated
    assert "skipped      dist/ (build output;" in estimated
    assert "skipped: dist/ (build output; to document it too: --include '*' --include 'dist/*')" in reported
    assert (tmp_path / "out" / "src" / "build" / "__init__.py.module.md").is_file()


def test_a_file_with_nothing_to_document_is_said_so_and_left_out_of_the_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "pkg"
    project.mkdir()
    (project / "__main__.py").write_text("import os\n\nos.getcwd()\n")
    (project / "calc.py").write_text("def add(a, b):\n    return a + b\n")

    assert main(["generate", str(project), "-p", "offline", "-t", "api", "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    calc = re.search(r"calc.py \[api\]: quality (\d+) \(\w\)", err)

    assert "__main__.py [api]: nothing to document," in err
    assert calc is not None
    assert f"mean quality {calc.group(1)} (1 with nothing to document left out)" in err


def test_a_missing_key_is_said_in_the_command_lines_terms(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Trial 34: the CLI told its user to "pass LLMConfig(api_key=...)" and did not mention -p offline.
    for name in ("LLM_API_KEY", "ANTHROPIC_API_KEY", "CLAUDE_API_KEY", "LLM_PROVIDER"):
        monkeypatch.delenv(name, raising=False)

    assert main(["generate", str(INVENTORY), "-p", "anthropic"]) == 2
    err = capsys.readouterr().err

    assert "LLMConfig" not in err
    assert "set LLM_API_KEY or ANTHROPIC_API_KEY" in err
    assert "-p offline" in err


@pytest.mark.parametrize("value", ["0", "-1"])
def test_a_concurrency_below_one_is_refused_by_argparse(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["generate", str(INVENTORY.parent), "-p", "offline", f"--concurrency={value}"])

    assert exit_.value.code == 2
    assert f"argument --concurrency: {value} is less than 1: give 1 or more" in capsys.readouterr().err


def test_stream_on_a_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "calc.py").write_text("def add(a, b):\n    return a + b\n")

    assert main(["generate", str(tmp_path), "-p", "offline", "--stream", "--out", str(tmp_path.parent / "o")]) == 2
    assert f"--stream prints one file's document as it is written, and {tmp_path} is a folder" in (
        capsys.readouterr().err
    )
    assert not (tmp_path.parent / "o").exists()


def test_stream_with_out_prints_as_it_comes_and_writes_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Trial of issue 13: `--stream --out DIR` silently did not stream.
    code = main(["generate", str(INVENTORY), "-t", "readme", "-p", "offline", "--stream", "--out", str(tmp_path)])

    written = (tmp_path / "inventory.py.readme.md").read_text()
    assert code == 0
    assert written.strip() in capsys.readouterr().out


def _project(root: Path) -> Path:
    (root / "proj" / "sub").mkdir(parents=True)
    (root / "proj" / "cli.py").write_text("def top(a):\n    return a\n")
    (root / "proj" / "sub" / "cli.py").write_text("def inner(b):\n    return b\n")
    (root / "proj" / "sub" / "ARCHITECTURE.md").write_text("# Hand-written\n")
    return root / "proj"


@pytest.mark.parametrize(
    ("source", "out", "message"),
    [
        ("proj/sub", "proj", "--out .*proj holds the source tree"),  # proj/cli.py was replaced by sub's
        ("proj/cli.py", "proj", "--out .*proj is inside the source tree"),  # over the file itself
        ("proj/cli.py", "proj/cli.py", "is a file: give a folder"),  # a NotADirectoryError traceback
    ],
)
def test_a_docstrings_run_never_writes_over_other_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, out: str, message: str
) -> None:
    # Trial of issue 12: an --out that holds the source tree, or lies beside a file, overwrote other sources.
    project = _project(tmp_path)
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}

    code = main(["generate", str(tmp_path / source), "-t", "docstrings", "-p", "offline", "--out", str(tmp_path / out)])

    assert code == 2
    assert re.search(message, capsys.readouterr().err)
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


def test_documents_written_into_the_source_tree_never_replace_the_users_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    sub = project / "sub"

    refused = main(["generate", str(sub), "-t", "architecture", "-p", "offline", "--out", str(sub)])
    err = capsys.readouterr().err
    (sub / "ARCHITECTURE.md").unlink()
    first = main(["generate", str(sub), "-t", "architecture", "-p", "offline", "--out", str(sub)])
    again = main(["generate", str(sub), "-t", "architecture", "-p", "offline", "--out", str(sub)])

    assert refused == 1
    assert "ARCHITECTURE.md exists and CodeScribe did not write it" in err
    assert (first, again) == (0, 0), "what CodeScribe wrote there, it may replace"
    assert (sub / "ARCHITECTURE.md").read_text().startswith("# Architecture")


def test_a_rewrite_beside_a_file_never_replaces_the_users_file_of_that_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Trial of issue 12: ``generate proj/cli.py --out proj/sub`` replaced proj/sub/cli.py, another source.
    project = _project(tmp_path)
    theirs = (project / "sub" / "cli.py").read_bytes()

    arguments = ["generate", str(project / "cli.py"), "-t", "docstrings", "-p", "offline"]
    code = main([*arguments, "--out", str(project / "sub")])

    assert code == 1
    assert "cli.py exists and CodeScribe did not write it" in capsys.readouterr().err
    assert (project / "sub" / "cli.py").read_bytes() == theirs
