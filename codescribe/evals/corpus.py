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
    """The corpus a suite runs on when it names none.

    That is ``evals/corpus`` of the CodeScribe checkout this package runs from, when that folder
    exists; else ``evals/corpus`` under the current folder (the corpus is not in the wheel). Neither
    is checked for a manifest: :func:`load_corpus` does that.

    Returns:
        The folder's path: absolute for the checkout's, else under :meth:`pathlib.Path.cwd`; it may
        not exist.

    Examples:
        >>> folder = default_corpus_dir()
        >>> folder.is_absolute(), folder.parent.name, folder.name
        (True, 'evals', 'corpus')
    """
    checkout = Path(__file__).resolve().parents[2] / "evals" / "corpus"
    return checkout if checkout.is_dir() else Path.cwd() / "evals" / "corpus"


def load_corpus(folder: Path | None = None, selection: CorpusSelection | None = None) -> list[CorpusFile]:
    r"""The manifest's files that exist and match ``selection``, in manifest order.

    ``manifest.yaml`` in ``folder`` is a YAML list of entries, each a :class:`CorpusFile` (unknown
    keys ignored); an empty manifest lists no files. An entry whose file is not in ``folder`` is
    left out silently (a corpus not fully fetched still runs).

    Args:
        folder: the corpus folder, holding ``manifest.yaml``; entry paths are relative to it. ``None``:
            :func:`default_corpus_dir`.
        selection: which files to keep (languages, sizes, path globs, then at most ``limit`` of them);
            ``None`` keeps every file that exists.

    Returns:
        The entries kept, in the order the manifest lists them.

    Raises:
        FileNotFoundError: ``folder`` has no ``manifest.yaml``; the message says how to name a corpus.
        ValueError: the manifest is not valid YAML, or an entry is not valid (the message names the
            entry's number, counted from 1, the field and the problem).
        OSError: the manifest exists but cannot be read.
        ImportError: PyYAML (the ``evals`` extra) is not installed.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from codescribe.evals.suite import CorpusSelection
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     base = Path(folder)
        ...     (base / "python").mkdir()
        ...     _ = (base / "python" / "calc.py").write_text("x = 1\n")
        ...     _ = (base / "python" / "geo.py").write_text("y = 2\n")
        ...     _ = (base / "manifest.yaml").write_text(
        ...         "- {path: python/calc.py, language: python, size: small}\n"
        ...         "- {path: python/geo.py, language: python, size: large}\n"
        ...         "- {path: python/missing.py, language: python}\n"
        ...     )
        ...     print([file.path for file in load_corpus(base)])
        ...     print([file.path for file in load_corpus(base, CorpusSelection(sizes=["large"]))])
        ...     _ = (base / "manifest.yaml").write_text("- {path: python/calc.py}\n")
        ...     try:
        ...         load_corpus(base)
        ...     except ValueError as error:
        ...         print(str(error).split(": ", 1)[1])
        ['python/calc.py', 'python/geo.py']
        ['python/geo.py']
        not a valid corpus manifest: entry 1: language: Field required
    """
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
        files = [f for f in files if _selected(f, selection)][: selection.limit]
    return files


def _selected(file: CorpusFile, selection: CorpusSelection) -> bool:
    if selection.languages and file.language not in selection.languages:
        return False
    if selection.sizes and file.size not in selection.sizes:
        return False
    return not selection.paths or any(fnmatch.fnmatch(file.path, pattern) for pattern in selection.paths)
