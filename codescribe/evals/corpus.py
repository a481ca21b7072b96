"""The evaluation corpus: real source files listed in ``evals/corpus/manifest.yaml``."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from .suite import CorpusSelection

__all__ = ["CorpusFile", "default_corpus_dir", "load_corpus"]


@dataclass(frozen=True)
class CorpusFile:
    path: str  # relative to the corpus folder
    language: str
    project: str
    size: str
    lines: int
    has_reference_docs: bool
    license: str


def default_corpus_dir() -> Path:
    """The corpus a suite runs on when it names none: ``evals/corpus`` of the CodeScribe checkout this
    package runs from, else ``evals/corpus`` under the current folder (the corpus is not in the wheel)."""
    checkout = Path(__file__).resolve().parents[2] / "evals" / "corpus"
    return checkout if checkout.is_dir() else Path.cwd() / "evals" / "corpus"


def load_corpus(folder: Path | None = None, selection: CorpusSelection | None = None) -> list[CorpusFile]:
    """The manifest's files that exist and match ``selection``, in manifest order."""
    import yaml

    base = folder or default_corpus_dir()
    manifest = base / "manifest.yaml"
    if not manifest.is_file():
        raise FileNotFoundError(
            f"{manifest}: no corpus manifest. Pass --corpus FOLDER (or corpus_dir: in the suite): a folder with a "
            "manifest.yaml, like evals/corpus in a clone of CodeScribe (see its README.md)."
        )
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when PyYAML was built with it
    entries = yaml.load(manifest.read_text(encoding="utf-8"), Loader=loader) or []
    files = [
        CorpusFile(
            path=e["path"],
            language=e["language"],
            project=e.get("project", ""),
            size=e.get("size", ""),
            lines=int(e.get("lines", 0)),
            has_reference_docs=bool(e.get("has_reference_docs")),
            license=str(e.get("license", "")),
        )
        for e in entries
        if (base / e["path"]).is_file()
    ]
    if selection is not None:
        files = [f for f in files if _selected(f, selection)]
        if selection.limit is not None:
            files = files[: selection.limit]
    return files


def _selected(file: CorpusFile, selection: CorpusSelection) -> bool:
    if selection.languages and file.language not in selection.languages:
        return False
    if selection.sizes and file.size not in selection.sizes:
        return False
    return not selection.paths or any(fnmatch.fnmatch(file.path, pattern) for pattern in selection.paths)
