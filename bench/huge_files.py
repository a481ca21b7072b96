"""Peak memory and time of one huge source file, on every doc type: is each run bounded?

One input file must not exhaust a machine (issue 14: offline docstrings on a 5 MB Python file took
90 s and 1.5 GB, and on a 50 MB file passed 13.7 GB). CodeScribe reads at most
:data:`~codescribe.engine.analysis.MAX_ANALYSED_CHARS` characters of a file and leaves a larger one
out of a docstrings run, so time and memory stay under a bound whatever the file's size.

The files are those of ``shared/cases/huge-file-docstrings`` (small documented Python functions,
repeated to 5 MB and 50 MB) and their JavaScript equivalent. Each run is ``codescribe generate
<folder> -p offline -t <doc type>`` in its own process; its peak resident memory is the kernel's
(``wait4``'s ``ru_maxrss``), its time the wall clock. Several rounds; medians.

Run: ``.venv/bin/python bench/huge_files.py [--rounds 3]`` (about 10 minutes; writes the section
"Huge files: bounded memory and time" of ``bench/RESULTS.md``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import RESULTS, machine, progress, publish  # bench/results.py: run as `python bench/<name>.py`

from codescribe.engine.analysis import MAX_ANALYSED_CHARS
from codescribe.engine.doc_types import DOC_TYPES

HEADING = "## Huge files: bounded memory and time"
#: The bound every run must stay under, on the machine the table names.
BOUND_SECONDS = 30
BOUND_MB = 1_000
SIZES_MB = (5, 50)
FUNCTIONS = {
    "python": ("py", "def big_{i}(a, b):\n    '''Doc.'''\n    return a * b + {i}\n\n"),
    "javascript": ("js", "/** Doc. */\nexport function big_{i}(a, b) {{\n  return a * b + {i};\n}}\n\n"),
}


def write_file(folder: Path, language: str, megabytes: int) -> Path:
    """A source file of ``megabytes`` MB of small documented functions, alone in ``folder``."""
    suffix, template = FUNCTIONS[language]
    chunk = "".join(template.format(i=i) for i in range(1000))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"big{megabytes}.{suffix}"
    with path.open("w", encoding="utf-8") as file:
        while file.tell() < megabytes << 20:
            file.write(chunk)
    return path


def measure(folder: Path, doc_type: str, out: Path) -> tuple[float, float, int]:
    """One ``codescribe generate`` run: (seconds, peak resident MB, exit code)."""
    command = [sys.executable, "-m", "codescribe", "generate", str(folder), "-p", "offline", "-t", doc_type]
    started = time.perf_counter()
    process = subprocess.Popen([*command, "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)  # ru_maxrss: the child's peak resident set, in KB on Linux
    return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def run(rounds: int) -> str:
    """Measure every language, size and doc type ``rounds`` times; the report's Markdown section."""
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for language in FUNCTIONS:
            for megabytes in SIZES_MB:
                folder = Path(scratch) / f"{language}-{megabytes}"
                write_file(folder, language, megabytes)
                for doc_type in DOC_TYPES:
                    runs = [measure(folder, doc_type, Path(scratch) / "out") for _ in range(rounds)]
                    seconds = statistics.median(r[0] for r in runs)
                    peak = statistics.median(r[1] for r in runs)
                    codes = sorted({r[2] for r in runs})
                    expected = 1 if doc_type == "docstrings" else 0  # a rewrite leaves such a file as it is
                    within = seconds <= BOUND_SECONDS and peak <= BOUND_MB and codes == [expected]
                    rows.append((language, megabytes, doc_type, seconds, peak, codes, within))
                    progress(f"{language} {megabytes} MB {doc_type}: {seconds:.1f} s, {peak:.0f} MB, exit {codes}")
    lines = [
        HEADING,
        "",
        f"Machine: {machine()}. Command: `.venv/bin/python bench/huge_files.py --rounds {rounds}` "
        f"(medians of {rounds} rounds; each run is `codescribe generate <folder> -p offline -t <doc type>` on a "
        "folder holding one file). The bound: "
        f"{BOUND_SECONDS} s and {BOUND_MB:,} MB per file. CodeScribe analyses the first "
        f"{MAX_ANALYSED_CHARS:,} characters of a larger file (with a warning), and a docstrings run leaves it as "
        "it is, failed with a message (exit 1). A run is within the bound when it took less time and memory and "
        "ended with the exit status expected (0; 1 for docstrings).",
        "",
        "| language | file | doc type | time (s) | peak memory (MB) | exit | within the bound |",
        "|---|---|---|---|---|---|---|",
    ]
    for language, megabytes, doc_type, seconds, peak, codes, within in rows:
        exit_codes = ", ".join(map(str, codes))
        lines.append(
            f"| {language} | {megabytes} MB | {doc_type} | {seconds:.1f} | {peak:.0f} | {exit_codes} | "
            f"{'yes' if within else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and publish its table; 1 when a run went over the bound."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3, help="runs per file and doc type (default 3)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"the report to update (default {RESULTS})")
    args = parser.parse_args(argv)
    report = run(args.rounds)
    publish(args.output, HEADING, report)
    return 0 if "| NO |" not in report else 1


if __name__ == "__main__":
    sys.exit(main())
