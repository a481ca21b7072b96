"""``python -m reference record [NAME ...]`` (fetch, ask the tools, report, record slices),
``python -m reference check`` (compare the recorded slices offline) and ``python -m reference sites``
(issue 11's must-show table on six packages)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from reference.harness import DATA, LANGUAGE_MODULES, Agreement, check, label, language_module, record

RESULTS = Path(__file__).resolve().parent.parent / "bench" / "RESULTS.md"
DISAGREEMENTS = Path(__file__).resolve().parent.parent / "bench" / "reference-disagreements.md"
START, END = "<!-- reference:start -->", "<!-- reference:end -->"
SITES_START, SITES_END = "<!-- reference-sites:start -->", "<!-- reference-sites:end -->"


def _row(name: str, agreement: Agreement, fields: list[str]) -> str:
    cells = []
    for field in fields:
        counts = agreement.fields.get(field) or agreement.edges.get(field)
        cells.append(f"{agreement.ratio(field):.1%} ({counts[0]}/{counts[1]})" if counts and counts[1] else "–")
    return f"| {name} | " + " | ".join(cells) + " |"


def _table(results: list[tuple[str, str, Agreement]]) -> list[str]:
    fields = ["names", "kind", "signature", "params", "overloads", "docstring", "exports", "precision", "recall"]
    lines = ["| package | " + " | ".join(fields) + " |", "|" + "---|" * (len(fields) + 1)]
    by_language: dict[str, Agreement] = {}
    for language, name, agreement in results:
        lines.append(_row(f"{name} ({language})", agreement, fields))
        by_language.setdefault(language, Agreement()).add(agreement)
    for language, agreement in sorted(by_language.items()):
        lines.append(_row(f"**{language}, all**", agreement, fields))
    return lines


def _record(names: list[str]) -> None:
    results: list[tuple[str, str, Agreement]] = []
    notes: list[str] = []
    details: list[str] = ["# Where CodeScribe's analysis and the languages' own tools disagree", ""]
    details.append("Written by `make reference`; one line per disagreement, by file and symbol.")
    for language in LANGUAGE_MODULES:
        module = language_module(language)
        if names and not any(p.name in names for p in module.PACKAGES):
            continue
        notes.append(f"- **{language}**: {module.TOOL}. " + " ".join(module.NORMALISATIONS))
        for package in module.PACKAGES:
            if names and package.name not in names:
                continue
            started = time.monotonic()
            agreement = record(module, package)
            print(f"{package.key}: recorded in {time.monotonic() - started:.0f} s", file=sys.stderr)
            results.append((label(module, package), package.key, agreement))
            details += ["", f"## {package.key} ({label(module, package)})", ""]
            details += [f"- {line}" for line in agreement.disagreements] or ["None."]
    if names:  # a partial run: the table on screen, the details beside the downloads
        for line in _table(results):
            print(line)
        partial = RESULTS.parent.parent / ".cache" / "reference" / "disagreements.md"
        partial.write_text("\n".join(details) + "\n", encoding="utf-8")
        print(f"disagreements: {partial}")
        return
    section = [
        START,
        "Run: `make reference` (fetches the packages, installs the tools, writes this table, "
        "`bench/reference-disagreements.md` and the slices in `tests/reference/data`).",
        "",
        *_table(results),
        "",
        "What each side is, and how the comparison normalises:",
        "",
        *notes,
        END,
    ]
    _write_section(START, END, "Analysis against the languages' own tools", section)
    DISAGREEMENTS.write_text("\n".join(details) + "\n", encoding="utf-8")


def _write_section(start: str, end: str, heading: str, lines: list[str]) -> None:
    """Replace the part of ``bench/RESULTS.md`` between two markers (or add it, under ``heading``)."""
    text = RESULTS.read_text(encoding="utf-8")
    body = "\n".join([start, *lines, end])
    if start in text:
        head, _, rest = text.partition(start)
        text = head + body + rest.partition(end)[2]
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + body + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def _sites() -> None:
    from reference.sites import table

    started = time.monotonic()
    lines = table()
    seconds = time.monotonic() - started
    intro = [
        "Run: `make reference` (or `python -m reference sites`): each package fetched fresh, the offline "
        "engine, `module` and `architecture`; `syntax warnings` counts files reported as invalid (all are "
        "valid code); `broken tables` counts, in the built HTML, paragraphs "
        "starting with `|` and tables with ragged rows; then `-t docstrings` over every file: files rewritten, "
        "rewrites refused by the documentation-only check, JSDoc types written `{True}` "
        f"({seconds:.0f} s on this machine).",
        "",
    ]
    for line in lines:
        print(line)
    _write_section(SITES_START, SITES_END, "Six packages documented whole", intro + lines)


def _check() -> int:
    results: list[tuple[str, str, Agreement]] = []
    misses: list[str] = []
    for slice_dir in sorted(p for p in DATA.iterdir() if p.is_dir()):
        module, agreement = check(slice_dir)
        package = next(p for p in module.PACKAGES if p.key == slice_dir.name)
        results.append((label(module, package), slice_dir.name, agreement))
        misses += agreement.misses(label(module, package))
        for line in agreement.disagreements:
            print(f"{slice_dir.name}: {line}")
    for line in _table(results):
        print(line)
    for miss in misses:
        print(f"below target: {miss}")
    return 1 if misses else 0


def main(argv: list[str]) -> int:
    """Dispatch ``record``, ``check`` and ``sites``."""
    if argv[:1] == ["record"]:
        _record(argv[1:])
        return 0
    if argv[:1] == ["check"]:
        return _check()
    if argv[:1] == ["sites"]:
        _sites()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
