"""``codescribe``: document code from the command line.

    codescribe generate PATH [--type module] [--provider offline] [--out DIR] [--stream]
    codescribe estimate PATH --provider anthropic --model claude-sonnet-5-5
    codescribe providers

Exit codes: 0 done, 1 done but some files failed, 2 bad input or configuration.
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import math
import os
import stat
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .progress import printable

if TYPE_CHECKING:
    from .engine.generator import DocResult, ProjectResult

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    from . import __version__
    from .engine.doc_types import DOC_TYPES

    parser = argparse.ArgumentParser(prog="codescribe", description="Documentation for code, written by LLMs.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser(
        "generate",
        help="document a file or a folder",
        description="Document a source file or every source file in a folder.",
    )
    generate.add_argument("path", help="a source file or a project folder")
    generate.add_argument(
        "--type",
        "-t",
        dest="doc_types",
        action="append",
        choices=DOC_TYPES,
        help="doc type (repeatable; default: readme for a file, module for a folder)",
    )
    _provider_options(generate)
    generate.add_argument("--stream", action="store_true", help="print the text as it is generated (single file)")
    generate.add_argument(
        "--out", "-o", help="folder to write documents to (default: stdout for a file, ./codescribe-docs for a folder)"
    )
    generate.add_argument(
        "--in-place",
        action="store_true",
        help="docstrings: write the rewritten files over the sources (never done without it)",
    )
    generate.add_argument("--prompts", help="a folder of your own Jinja prompt templates")
    generate.add_argument(
        "--concurrency", type=_at_least_one, default=4, help="calls at a time for a folder (default 4)"
    )
    generate.add_argument("--include", action="append", default=[], help="glob of files to include (repeatable)")
    generate.add_argument("--exclude", action="append", default=[], help="glob of files to skip (repeatable)")
    generate.add_argument("--json", action="store_true", help="print results as JSON lines")

    estimate = commands.add_parser(
        "estimate",
        help="estimate tokens and cost before a run",
        description="Count files and tokens and price them, without calling a model.",
    )
    estimate.add_argument("path")
    estimate.add_argument("--type", "-t", dest="doc_types", action="append", choices=DOC_TYPES)
    estimate.add_argument("--include", action="append", default=[], help="glob of files to include (repeatable)")
    estimate.add_argument("--exclude", action="append", default=[], help="glob of files to skip (repeatable)")
    _provider_options(estimate)

    commands.add_parser("providers", help="list providers, their capabilities and which have keys set")

    serve = commands.add_parser(
        "serve",
        help="run the HTTP API",
        description="Serve the HTTP API (FastAPI on uvicorn; the `server` extra). Settings come from the "
        "environment: LLM_* for the default provider, CODESCRIBE_ALLOWED_PROVIDERS, CODESCRIBE_ALLOWED_MODELS, "
        "CODESCRIBE_API_TOKEN (required beyond loopback), CODESCRIBE_ALLOWED_HOSTS, CODESCRIBE_CORS_ORIGINS, "
        "CODESCRIBE_CONCURRENCY, CODESCRIBE_QUEUE. The playground is at http://HOST:PORT/, the API's pages at /docs.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (1)")

    evaluate = commands.add_parser("eval", help="run an evaluation suite, or report on a run")
    eval_commands = evaluate.add_subparsers(dest="eval_command", required=True, metavar="EVAL_COMMAND")
    run = eval_commands.add_parser(
        "run",
        help="run a suite (YAML) into runs/<run_id>",
        description="Run every sample of a suite; with --run-id, resume that run.",
    )
    run.add_argument("suite", help="a suite file, e.g. evals/suites/smoke.yaml")
    run.add_argument("--runs-dir", default="runs", help="where runs are stored (default ./runs)")
    run.add_argument("--run-id", help="resume this run: finished samples are skipped")
    run.add_argument("--corpus", help="the corpus folder (default: the suite's, else evals/corpus)")
    report = eval_commands.add_parser(
        "report",
        help="tables, comparisons and charts for a run",
        description="Write CSV, Parquet, Markdown and HTML for a run.",
    )
    report.add_argument("run", help="a run folder, e.g. runs/smoke-20261125-...")
    report.add_argument("--out", help="folder for the report (default <run>/report)")
    report.add_argument("--fail-under", type=_points, help="exit 1 if any system's mean quality is below this")
    report.add_argument(
        "--baseline", help="another run: exit 1 if a system's mean quality dropped from it on the samples both finished"
    )
    report.add_argument("--tolerance", type=_points, default=2.0, help="quality points a baseline may drop (2)")
    return parser


def _show(stream: TextIO, text: str) -> None:
    print(text, end="", flush=True, file=stream)


def _points(text: str) -> float:
    """Quality points from the command line: a finite number (``nan`` would switch a gate off)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of quality points") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of quality points (a gate at {text} never holds)")
    return value


def _at_least_one(text: str) -> int:
    """A count from the command line: a whole number, 1 or more (0 calls at a time would never finish)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number: give 1 or more") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is less than 1: give 1 or more")
    return value


def _provider_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", "-p", help="provider name (default: LLM_PROVIDER, else anthropic)")
    parser.add_argument("--model", "-m", help="model name (default: LLM_MODEL, else the provider's default)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``codescribe`` command with ``argv`` (default: the process's arguments).

    The commands (``codescribe COMMAND --help`` lists every option):

    - ``generate PATH``: document a file (to stdout, or ``--out DIR``) or every source file of a
      folder (to ``--out``, default ``./codescribe-docs``); ``--type`` (repeatable), ``--provider``,
      ``--model``, ``--stream`` (a file only), ``--prompts``, ``--concurrency`` (1 or more),
      ``--include``/``--exclude`` globs, ``--json``. A missing key is said with the variables to
      set and ``-p offline``.
    - ``estimate PATH``: count files and tokens and price them, without calling a model.
    - ``providers``: list the providers, what they support and whether their keys are set.
    - ``eval run SUITE``: run an evaluation suite into ``--runs-dir`` (default ``runs``);
      ``--run-id`` resumes a run, ``--corpus`` names the corpus folder.
    - ``eval report RUN``: write the run's CSV, Parquet, Markdown and HTML reports (``--out``)
      and print the Markdown; ``--fail-under Q`` and ``--baseline RUN`` (with ``--tolerance``,
      default 2 quality points) turn a quality regression into exit code 1.

    Errors of input or configuration (``LLMError`` such as a missing key, ``SourceError``,
    ``FileNotFoundError``, ``ValueError`` such as a bad suite) are printed to stderr as
    ``codescribe: <message>`` and give exit code 2, not an exception; Ctrl-C gives 130.

    Args:
        argv: the arguments, without the program's name; ``None``: ``sys.argv[1:]``.

    Returns:
        the exit code: 0 done, 1 done but some files failed (or a report found a regression, or
        the reader of the output went away, as ``| head`` does), 2 bad input or configuration,
        130 interrupted.

    Raises:
        SystemExit: from argparse: code 0 after ``--help`` or ``--version``, code 2 for arguments
            it cannot parse (an unknown command or option, a missing path).

    Examples:
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> source = Path(folder.name) / "add.py"
        >>> _ = source.write_text("def add(a: int, b: int) -> int:\\n    return a + b\\n")
        >>> out = Path(folder.name) / "docs"
        >>> main(["generate", str(source), "--provider", "offline", "--type", "api", "--out", str(out)])
        0
        >>> sorted(path.name for path in out.iterdir() if not path.name.startswith("."))
        ['add.py.api.md']
        >>> main(["generate", "no/such/file.py"])  # the message goes to stderr
        2
        >>> folder.cleanup()

        From a shell::

            codescribe generate src/ --type module --provider anthropic --out docs/reference
            codescribe estimate src/ --provider anthropic --model claude-sonnet-5-5
            codescribe eval run evals/suites/smoke.yaml
            codescribe eval report runs/smoke-20261125-142501-3f9a1c --fail-under 70
    """
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader closed the pipe (`codescribe estimate . | head`): stop quietly, and point
        # stdout at /dev/null so the interpreter's last flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PARTIAL


def _main(argv: Sequence[str] | None) -> int:
    arguments = _parser().parse_args(argv)
    from .engine.analysis import SourceError
    from .llm.errors import LLMError

    run = {"generate": _generate, "estimate": _estimate, "providers": _providers, "serve": _serve, "eval": _eval}
    try:
        return run[arguments.command](arguments)
    except (LLMError, SourceError, FileNotFoundError, ValueError) as exc:  # SuiteError is a ValueError
        print(printable(f"codescribe: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("codescribe: interrupted; documents already written are complete.", file=sys.stderr)
        return 130


def _generate(arguments: argparse.Namespace) -> int:
    from .engine.generator import DocGenerator
    from .engine.output import WrittenFiles, write_result
    from .engine.prompts import PromptSet

    path = Path(arguments.path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder. Check the path.")
    arguments.doc_types = arguments.doc_types or (["module"] if path.is_dir() else ["readme"])
    if arguments.out:
        _check_out(Path(arguments.out))
    _check_in_place(arguments)
    _check_rewrite_target(path, arguments)
    if arguments.stream and path.is_dir():
        raise ValueError(
            f"--stream prints one file's document as it is written, and {path} is a folder: "
            "give a file, or drop --stream (a folder's documents are written to --out)."
        )
    prompts = PromptSet(arguments.prompts)
    generator = DocGenerator(writer=_writer(arguments, prompts), prompts=prompts)
    if path.is_file():
        return _generate_file(generator, path, arguments)
    out = Path(arguments.out or "codescribe-docs")
    if out.resolve().is_relative_to(path.resolve()) and out.resolve() != path.resolve():
        # documents written into the tree are not sources: never documented again on the next run
        arguments.exclude = [*arguments.exclude, out.resolve().relative_to(path.resolve()).as_posix() + "/*"]
    _check_has_sources(path, arguments)
    written: dict[tuple[str, str], Path] = {}
    owned = WrittenFiles(out, guard=_overlaps(out, path))  # never over the user's own files there

    def write(result: DocResult) -> None:
        if arguments.in_place and result.doc_type == "docstrings":
            _write_in_place(path / result.path, result.documentation)
            written[result.path, result.doc_type] = path / result.path
        else:
            written[result.path, result.doc_type] = write_result(out, result, owned=owned)

    result = generator.document_project(
        path,
        doc_types=arguments.doc_types,
        concurrency=arguments.concurrency,
        include=arguments.include,
        exclude=arguments.exclude,
        progress=sys.stderr.isatty(),
        on_result=write,
    )
    where = f"{out}/"
    if arguments.in_place and "docstrings" in arguments.doc_types:
        here = f"{path}/ (in place)"
        where = here if arguments.doc_types == ["docstrings"] else f"{where} and {here}"
    _report(result, arguments.json, where, written)
    return EXIT_PARTIAL if result.errors else EXIT_OK


def _writer(arguments: argparse.Namespace, prompts: Any) -> Any:
    """The writer ``--provider`` names; a missing key is said in the command line's terms.

    Raises:
        LLMError: the provider cannot be built; for a missing key, the message names the variables
            to set, ``codescribe providers`` and ``--provider offline``.
    """
    from .engine.writers import OFFLINE, writer_for
    from .llm.errors import ErrorType, LLMError
    from .llm.factory import key_status

    try:
        return writer_for(arguments.provider, prompts=prompts, model=arguments.model)
    except LLMError as exc:
        if exc.error_type != ErrorType.AUTH or exc.operation != "configure" or not exc.provider:
            raise
        names = " or ".join(key_status(exc.provider)[1])
        raise LLMError(
            f"No API key for {exc.provider}: set {names} in the environment (export {names.split()[0]}=...), "
            f"or choose another provider with --provider (`codescribe providers` lists them and their keys), "
            f"or pass -p {OFFLINE} (--provider {OFFLINE}): documentation from the code alone, with no key and "
            "no network.",
            error_type=exc.error_type,
            provider=exc.provider,
            operation=exc.operation,
        ) from exc


def _check_has_sources(path: Path, arguments: argparse.Namespace) -> None:
    """Refuse a folder with no source file to document: a wrong path must not pass for a finished run.

    ``generate`` and ``estimate`` both ask, so that they say the same of an empty folder.
    """
    from .engine.analysis import LANGUAGES
    from .engine.analysis.project import discover_sources, skipped_folder_note

    skipped: dict[str, str] = {}
    if next(discover_sources(path, arguments.include, arguments.exclude, skipped), None) is None:
        filters = " with the --include and --exclude given" if arguments.include or arguments.exclude else ""
        suffixes = ", ".join(sorted(LANGUAGES))
        folders = ", ".join(skipped_folder_note(*folder) for folder in skipped.items())
        raise FileNotFoundError(
            f"{path}: no source file to document{filters} (CodeScribe reads {suffixes}; "
            "hidden, vendored and build folders are skipped). Check the path."
            + (f" Skipped: {folders}." if folders else "")
        )


def _generate_file(generator: Any, path: Path, arguments: argparse.Namespace) -> int:
    from .engine.analysis import read_source
    from .engine.output import WrittenFiles, write_result
    from .llm.errors import LLMError

    out = Path(arguments.out) if arguments.out else None
    owned = WrittenFiles(out, guard=_overlaps(out, path.parent)) if out is not None else None

    source, _ = read_source(path, exact="docstrings" in arguments.doc_types)
    failed = False
    for doc_type in arguments.doc_types:
        options = {"doc_type": doc_type, "filename": path.name}
        written: Path | None = None
        try:
            if arguments.stream:  # the text as it comes; written to --out (or in place) once it is whole
                shown = sys.stderr if arguments.json else sys.stdout  # stdout then holds JSON lines only
                result = generator.generate_documentation_streaming(source, functools.partial(_show, shown), **options)
                print(file=shown)
            else:
                result = generator.generate_documentation(source, **options)
        except LLMError as exc:  # this document failed: the file's other doc types are still tried
            if exc.error_type in _CONFIGURATION_ERRORS:
                raise  # a wrong key or model: configuration (exit 2), the same for every document
            print(printable(f"{path} [{doc_type}]: FAILED: {exc}"), file=sys.stderr)
            failed = True
            continue
        if result.error is not None:
            pass  # nothing of a refused rewrite, or of an answer cut short, is written
        elif arguments.in_place and doc_type == "docstrings":
            _write_in_place(path, result.documentation)
            written = path
        elif out is not None:
            try:
                written = write_result(out, result, path.name, owned=owned)
            except OSError as exc:  # the user's own file, a read-only folder: this document fails
                print(printable(f"{path} [{doc_type}]: FAILED: not written: {exc}"), file=sys.stderr)
                failed = True
                continue
        elif not arguments.json and not arguments.stream:
            print(result.documentation)
        if arguments.json:
            print(json.dumps(_json_record(result, written), default=str))
        _summary_line(result)
        if result.error is not None:
            print(printable(f"{path} [{doc_type}]: FAILED: {result.error}"), file=sys.stderr)
            failed = True
    return EXIT_PARTIAL if failed else EXIT_OK


#: Errors that say the configuration is wrong (exit 2), not that one document failed (exit 1).
_CONFIGURATION_ERRORS = frozenset({"AUTH", "MODEL_NOT_FOUND", "VALIDATION"})


def _check_out(out: Path) -> None:
    """Refuse an ``--out`` no document could be written to, before any work: one line, not one per document.

    Raises:
        ValueError: ``out`` is a file, or its nearest existing folder cannot be written (a read-only
            folder or file system); the message says so.
    """
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file: give a folder for the documents.")
    existing = next(folder for folder in (out.absolute(), *out.absolute().parents) if folder.exists())
    if not existing.is_dir():
        raise ValueError(f"--out {out} lies under {existing}, which is a file: give a folder for the documents.")
    if not os.access(existing, os.W_OK | os.X_OK):  # EROFS too: a read-only file system refuses even root
        raise ValueError(f"--out {out} cannot be written ({existing} is read-only): give a folder you can write to.")


def _check_in_place(arguments: argparse.Namespace) -> None:
    """Refuse ``--in-place`` where it would be ignored: with ``--out``, or without a docstrings run."""
    if not arguments.in_place:
        return
    if arguments.out is not None:
        raise ValueError(
            f"--in-place and --out {arguments.out} were both given: --in-place rewrites the sources themselves, "
            "--out writes copies. Choose one."
        )
    if "docstrings" not in arguments.doc_types:
        raise ValueError("--in-place rewrites sources with docstrings: it needs -t docstrings.")


def _check_rewrite_target(path: Path, arguments: argparse.Namespace) -> None:
    """Refuse a docstrings run that would write over the sources without ``--in-place``."""
    if "docstrings" not in arguments.doc_types or arguments.in_place:
        return
    if arguments.out is None and path.is_file():
        return  # to stdout
    out = Path(arguments.out or "codescribe-docs")
    tree = path.parent if path.is_file() else path
    if not _overlaps(out, tree) or (path.is_file() and out.resolve() != tree.resolve()):
        return  # a file's folder beside --out: an existing file there is guarded by WrittenFiles
    named = f"--out {arguments.out}" if arguments.out else "The default output folder codescribe-docs/"
    where = "holds" if out.resolve() in tree.resolve().parents else "is inside"
    raise ValueError(
        f"{named} {where} the source tree {tree}: the docstrings run would write over your code (or beside "
        "it). Choose an --out outside it, or pass --in-place to rewrite the sources themselves."
    )


def _overlaps(out: Path, tree: Path) -> bool:
    """Whether an output folder is the source tree, lies inside it, or holds it."""
    out, tree = out.resolve(), tree.resolve()
    return out == tree or tree in out.parents or out in tree.parents


def _write_in_place(path: Path, text: str) -> None:
    """Write a rewritten source over its file, whole or not at all, and say what changed."""
    from .engine.analysis import declared_encoding, detect_language, read_source
    from .engine.atomic import write_atomically

    before = read_source(path, exact=True)[0]
    if before.removeprefix("\ufeff") == text.removeprefix("\ufeff"):
        print(printable(f"{path}: unchanged (nothing to add)"), file=sys.stderr)
        return
    status = path.stat()
    if not status.st_mode & stat.S_IWUSR:
        raise PermissionError(f"{path} is read-only: left as it was. Make it writable to rewrite it in place.")
    if status.st_nlink > 1:  # an atomic write replaces the file: its other names would keep the old text
        raise PermissionError(
            f"{path} has {status.st_nlink} hard links, which a rewrite would separate: left as it was. "
            "Rewrite it with --out, then copy the result over it."
        )
    # Lines counted as multisets, in linear time (a diff's is quadratic): only documentation changed.
    old_lines, new_lines = Counter(before.splitlines()), Counter(text.splitlines())
    added, removed = (new_lines - old_lines).total(), (old_lines - new_lines).total()
    write_atomically(path, text, declared_encoding(text, detect_language(path)))
    print(printable(f"{path}: changed in place (+{added} -{removed} lines of documentation)"), file=sys.stderr)


def _summary_line(result: DocResult, said: set[str] | None = None) -> None:
    quality, meta = result.quality, result.metadata
    cost = meta.get("cost_usd")
    scored = "nothing to document" if quality.nothing_to_document else f"quality {quality.score} ({quality.grade})"
    print(
        f"{printable(result.path)} [{result.doc_type}]: {scored}, "
        f"{meta.get('input_tokens', 0)}+{meta.get('output_tokens', 0)} tokens, "
        f"{meta.get('latency_ms', 0):.0f} ms, cost {'unknown' if cost is None else f'${cost:.4f}'}",
        file=sys.stderr,
    )
    for warning in result.warnings:
        if said is not None:  # a file's warnings once, not once per doc type
            if warning in said:
                continue
            said.add(warning)
        print(f"  warning: {printable(warning)}", file=sys.stderr)


def _json_record(result: DocResult, written: Path | None) -> dict[str, Any]:
    """A result as ``--json`` prints it: with ``written``, the file it went to, and without the document's
    text when it was written (``documentation`` is then ``null``)."""
    record = result.to_dict()
    if written is not None:
        record["documentation"] = None
    return {**record, "written": None if written is None else str(written)}


def _report(result: ProjectResult, as_json: bool, where: str, written: dict[tuple[str, str], Path]) -> None:
    from .engine.analysis.project import skipped_folder_note
    from .engine.quality import mean_quality

    said: set[str] = set()
    for item in result.results:
        if as_json:
            print(json.dumps(_json_record(item, written.get((item.path, item.doc_type))), default=str))
        _summary_line(item, said)
    for name, error in result.errors.items():
        print(printable(f"{name}: FAILED: {error}"), file=sys.stderr)
    for folder in result.skipped_folders.items():
        print(printable(f"skipped: {skipped_folder_note(*folder)}"), file=sys.stderr)
    mean = mean_quality(item.quality for item in result.results)
    unscored = sum(item.quality.nothing_to_document for item in result.results)
    left_out = f" ({unscored} with nothing to document left out)" if unscored else ""
    cost = result.cost_usd
    print(
        f"\n{len(result.results)} documents written to {where}, {len(result.errors)} failed, "
        f"mean quality {'n/a' if mean is None else f'{mean:.0f}'}{left_out}, "
        f"cost {'unknown' if cost is None else f'${cost:.4f}'}, "
        f"{result.seconds:.1f} s",
        file=sys.stderr,
    )


def _estimate(arguments: argparse.Namespace) -> int:
    from .engine.estimate import estimate_run

    path = Path(arguments.path)
    if path.is_dir():
        _check_has_sources(path, arguments)
    estimate = estimate_run(
        Path(arguments.path),
        provider=arguments.provider,
        model=arguments.model,
        doc_types=arguments.doc_types or None,
        include=arguments.include,
        exclude=arguments.exclude,
    )
    print(estimate.render())
    return EXIT_OK


def _eval(arguments: argparse.Namespace) -> int:
    if arguments.eval_command == "run":
        from .evals.runner import EvalRunner
        from .evals.suite import load_suite

        runner = EvalRunner(
            load_suite(arguments.suite),
            runs_dir=arguments.runs_dir,
            run_id=arguments.run_id,
            corpus_dir=arguments.corpus,
            progress=sys.stderr.isatty(),
        )
        summary = runner.run()
        judged = f", {summary.judge_errors} judge errors" if summary.judge_errors else ""
        budgeted = runner.suite.budget_usd is not None  # an unknown cost is then held at its worst case
        unknown = (
            f"; {summary.unknown_costs} billed calls of unknown cost"
            + (", counted at their worst case" if budgeted else ", not counted")
            if summary.unknown_costs
            else ""
        )
        print(
            f"run {summary.run_id}: {summary.samples} samples in {summary.seconds:.1f} s "
            f"({summary.skipped_done} already done, {summary.errors} errors{judged}, {summary.over_budget} over "
            f"budget, {'at least ' if unknown and not budgeted else ''}${summary.spent_usd:.4f} spent{unknown}) "
            f"-> {summary.run_dir}"
        )
        missing = summary.errors + summary.over_budget
        if missing:  # done, but not every sample has a result: say so to scripts
            print(
                f"{missing} samples have no result (see `codescribe eval report {summary.run_dir}`; running "
                f"again with `--run-id {summary.run_id}` makes them again); exit status 1.",
                file=sys.stderr,
            )
        if summary.judge_errors:
            print(f"{summary.judge_errors} samples have no judge score; exit status 1.", file=sys.stderr)
        return EXIT_PARTIAL if missing or summary.judge_errors else EXIT_OK
    from .evals.gates import quality_gates
    from .evals.reporting import load_results, write_report

    paths = write_report(arguments.run, arguments.out)
    print(paths["markdown"].read_text(encoding="utf-8"))
    print("written: " + ", ".join(str(path) for path in paths.values()), file=sys.stderr)
    frame = load_results(arguments.run)
    if frame.empty:
        print(f"{arguments.run}: no sample has finished; nothing to compare (exit status 1).", file=sys.stderr)
        return EXIT_PARTIAL
    baseline = load_results(arguments.baseline) if arguments.baseline else None
    failed = quality_gates(frame, fail_under=arguments.fail_under, baseline=baseline, tolerance=arguments.tolerance)
    for line in failed:
        print(f"regression: {line}", file=sys.stderr)
    return EXIT_PARTIAL if failed else EXIT_OK


def _serve(arguments: argparse.Namespace) -> int:
    """Run the HTTP API; refuse to listen beyond this machine without a token, or without the extra."""
    from .install import install_command

    try:
        import uvicorn

        from .server.settings import ServerSettings, is_loopback
    except ImportError as exc:
        raise ValueError(f"codescribe serve needs the server extra: {install_command('server')}") from exc
    settings = ServerSettings.from_env()  # a bad setting is said now, not by each worker
    host = arguments.host.strip("[]")
    if not is_loopback(host) and settings.api_token is None:
        raise ValueError(
            f"--host {arguments.host} listens beyond this machine: set CODESCRIBE_API_TOKEN first, so that only "
            "callers who send it (Authorization: Bearer <token>) can spend the provider's key."
        )
    if not 0 < arguments.port < 65536 or arguments.workers < 1:
        raise ValueError("--port must be from 1 to 65535, and --workers at least 1.")
    shown = f"[{host}]" if ":" in host else host
    print(
        f"CodeScribe: default provider {settings.default_provider}; "
        f"the playground at http://{shown}:{arguments.port}/, the API's pages at /docs.",
        file=sys.stderr,
    )
    logging_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)  # its format, plus the service's access log
    logging_config["loggers"]["codescribe.server"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    uvicorn.run(
        "codescribe.server:app",
        host=host,
        port=arguments.port,
        workers=arguments.workers,
        log_config=logging_config,
        access_log=False,  # the service logs each request itself, with its id
    )
    return EXIT_OK


def _providers(arguments: argparse.Namespace) -> int:
    from .engine.writers import OFFLINE
    from .llm.factory import default_factory, key_status

    print(f"{'provider':<22} {'streaming':<10} {'caching':<10} {'key':<11} key variables")
    for name in default_factory.names():
        try:
            cls = default_factory.provider_class(name)
        except Exception as exc:  # a broken plugin must not hide the others
            print(f"{name:<22} unavailable: {exc}")
            continue
        has_key, names = key_status(name)
        caps = cls.CAPABILITIES
        print(
            f"{name:<22} {'yes' if caps.streaming else 'no':<10} {caps.caching:<10} {has_key:<11} "
            f"{', '.join(names) or '-'}"
        )
    print(
        f"{OFFLINE:<22} {'-':<10} {'-':<10} {'not needed':<11} the offline engine: documents from code analysis alone"
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
