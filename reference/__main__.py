"""``python -m reference record [NAME ...]`` (fetch, ask the tools, report, record slices) and
``python -m reference check`` (compare the recorded slices offline)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from reference.harness import DATA, LANGUAGE_MODULES, Agreement, check, label, language_module, record

RESULTS = Path(__file__).resolve().parent.parent / "bench" / "RESULTS.md"
DISAGREEMENTS = Path(__file__).resolve().parent.parent / "bench" / "reference-disagreements.md"
START, END = "<!-- reference:start -->", "<!-- reference:end -->"


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
    text = RESULTS.read_text(encoding="utf-8")
    if START in text:
        head, _, rest = text.partition(START)
        text = head + "\n".join(section) + rest.partition(END)[2]
    else:
        text = text.rstrip("\n") + "\n\n## Analysis against the languages' own tools\n\n" + "\n".join(section) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    DISAGREEMENTS.write_text("\n".join(details) + "\n", encoding="utf-8")


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
    """Dispatch ``record`` and ``check``."""
    if argv[:1] == ["record"]:
        _record(argv[1:])
        return 0
    if argv[:1] == ["check"]:
        return _check()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
