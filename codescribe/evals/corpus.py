"""The evaluation corpus: real source files listed in ``evals/corpus/manifest.yaml``."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .suite import CorpusSelection

__all__ = ["CorpusFile", "default_corpus_dir", "load_corpus"]


class CorpusFile(BaseModel):
    """One file of the corpus, as its manifest entry describes it (validated on load)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    #: Relative to the corpus folder.
    path: str
    language: str
    project: str = ""
    size: Literal["small", "medium", "large", ""] = ""
    lines: int = Field(default=0, ge=0)
    #: Whether the authors documented it (a ``docstrings`` sample is then compared with theirs).
    has_reference_docs: bool = False
    license: str = ""


_ENTRIES = TypeAdapter(list[CorpusFile])


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
    try:
        raw = yaml.load(manifest.read_text(encoding="utf-8"), Loader=loader) or []
    except yaml.YAMLError as exc:
        raise ValueError(f"{manifest}: not valid YAML: {exc}") from exc
    try:
        entries = _ENTRIES.validate_python(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"entry {error['loc'][0] + 1}: {'.'.join(map(str, error['loc'][1:])) or '(entry)'}: {error['msg']}"
            if error["loc"] and isinstance(error["loc"][0], int)
            else error["msg"]
            for error in exc.errors()
        )
        raise ValueError(f"{manifest}: not a valid corpus manifest: {problems}") from exc
    files = [entry for entry in entries if (base / entry.path).is_file()]
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
