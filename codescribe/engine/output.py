"""Writing documents to disk: where each goes, and never half a file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from .analysis import declared_encoding, detect_language
from .atomic import write_atomically
from .markdown import without_raw_html
from .markers import WRITTEN_MANIFEST as MANIFEST_NAME

if TYPE_CHECKING:
    from .generator import DocResult

__all__ = ["MANIFEST_NAME", "WrittenFiles", "output_path", "quality_table", "write_result"]

#: The file in an output folder that lists what CodeScribe wrote there (see :class:`WrittenFiles`).


class WrittenFiles:
    r"""The files CodeScribe wrote in a folder, each with the SHA-256 of what it wrote, kept in the
    folder's :data:`MANIFEST_NAME`: a file there is replaced only while it is still as written.

    Every folder ``generate --out`` writes keeps one, which also marks it as CodeScribe's output (never
    read as sources: :data:`~codescribe.engine.markers.OWN_FOLDER_MARKERS`). Where the folder holds the
    user's own files too (it is, or lies in, the source tree), ``guard`` makes :meth:`check` refuse to
    replace them, so that a hand-written ``README.md`` or ``ARCHITECTURE.md`` is never overwritten.

    Args:
        folder: the output folder (the manifest is read from it, if any; an unreadable one counts as empty).
        guard: whether :meth:`check` refuses files CodeScribe did not write.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     own = WrittenFiles(Path(folder))
        ...     _ = (Path(folder) / "README.md").write_text("# Mine\n")
        ...     try:
        ...         own.check(Path(folder) / "README.md")
        ...     except FileExistsError as error:
        ...         print(str(error).split(":")[-2].strip())
        README.md exists and CodeScribe did not write it (or it was edited since)
    """

    def __init__(self, folder: Path, *, guard: bool = True) -> None:
        self.folder = folder
        self.guard = guard
        self.path = folder / MANIFEST_NAME
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            loaded = {}
        self._digests: dict[str, str] = loaded if isinstance(loaded, dict) else {}

    def check(self, target: Path) -> None:
        """Refuse to replace ``target`` unless CodeScribe wrote it and it is unchanged since.

        Args:
            target: a file under :attr:`folder`.

        Raises:
            FileExistsError: ``target`` exists, and is not as CodeScribe wrote it.
        """
        if not self.guard or not target.exists():
            return
        if self._digests.get(self._key(target)) != _digest(target):
            raise FileExistsError(
                f"{target}: {target.name} exists and CodeScribe did not write it (or it was edited since): "
                "left as it was. Choose an --out outside the source tree."
            )

    def add(self, target: Path) -> None:
        """Record that CodeScribe wrote ``target`` as it now is.

        Args:
            target: a file under :attr:`folder`, just written.

        Raises:
            OSError: the manifest cannot be written.
        """
        self._digests[self._key(target)] = _digest(target)
        write_atomically(self.path, json.dumps(self._digests, indent=1, sort_keys=True) + "\n")

    def _key(self, target: Path) -> str:
        return target.resolve().relative_to(self.folder.resolve()).as_posix()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def output_path(out: Path, result: DocResult, name: str | None = None) -> Path:
    r"""Where a document goes under ``out``.

    ``<out>/<path>.<doc type>.md`` for most doc types; for ``docstrings`` the rewritten source keeps
    the file's own relative path (``<out>/<path>``); ``architecture`` is always ``<out>/ARCHITECTURE.md``,
    one per project (``name`` is then ignored).

    Args:
        out: the output folder.
        result: the document; its ``path`` and ``doc_type`` decide the name.
        name: the relative path to use instead of ``result.path``; ``None`` uses ``result.path``.

    Returns:
        The file's path (not created; nothing is written).

    Examples:
        >>> from pathlib import Path
        >>> from codescribe.engine.generator import DocGenerator
        >>> result = DocGenerator(offline=True).generate_documentation("X = 1\n", filename="pkg/calc.py")
        >>> output_path(Path("docs"), result).as_posix()
        'docs/pkg/calc.py.readme.md'
        >>> output_path(Path("docs"), result, "calc.py").as_posix()
        'docs/calc.py.readme.md'
    """
    relative = name or result.path
    if result.doc_type == "docstrings":
        return out / relative
    if result.doc_type == "architecture":
        return out / "ARCHITECTURE.md"
    return out / f"{relative}.{result.doc_type}.md"


def write_result(out: Path, result: DocResult, name: str | None = None, *, owned: WrittenFiles | None = None) -> Path:
    r"""Write a document to its place under ``out`` (see :func:`output_path`), whole or not at all.

    The write is atomic (:func:`~codescribe.engine.atomic.write_atomically`): a document is either
    complete on disk or not there at all. Missing folders are created; an existing file is replaced.

    Args:
        out: the output folder.
        result: the document to write (its ``documentation`` is the text, written as UTF-8 with any raw HTML
            shown as text, see :func:`~codescribe.engine.markdown.without_raw_html`; a rewritten Python file
            as it is, in the encoding it declares).
        name: the relative path to use instead of ``result.path``; ``None`` uses ``result.path``.
        owned: what CodeScribe wrote in ``out``, when ``out`` holds the user's files too: an existing
            file is then replaced only if CodeScribe wrote it (see :class:`WrittenFiles`).

    Returns:
        The path written.

    Raises:
        FileExistsError: ``owned`` is given and the file is not CodeScribe's to replace.
        OSError: the folder or the file cannot be written.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from codescribe.engine.generator import DocGenerator
        >>> result = DocGenerator(offline=True).generate_documentation("X = 1\n", filename="calc.py")
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     target = write_result(Path(folder), result)
        ...     print(target.name, target.read_text(encoding="utf-8") == result.documentation)
        calc.py.readme.md True
    """
    target = output_path(out, result, name)
    # A rewritten source keeps its own encoding (checked when it was rewritten); a page is UTF-8.
    rewritten = result.doc_type == "docstrings"
    encoding = declared_encoding(result.documentation, detect_language(target)) if rewritten else "utf-8"
    if owned is not None:
        owned.check(target)
    # a page's raw HTML (from a docstring, a file name or a model) is shown as text by any site that renders it
    text = result.documentation if rewritten else without_raw_html(result.documentation)
    write_atomically(target, text, encoding)
    if owned is not None:
        owned.add(target)
    return target


def quality_table(results: list[DocResult]) -> str:
    r"""A plain-text table of every document's quality, for terminals.

    One header line, a rule of dashes, then a row per result in the order given: the file (its last
    34 characters), the doc type, the score (points out of 100) and grade, truthfulness and
    completeness as percentages, and the improvement over the code's own health score (signed points).

    Args:
        results: the documents to list (an empty list gives the header and rule only).

    Returns:
        The table, lines joined by ``\n``, with no trailing newline.

    Examples:
        >>> from codescribe.engine.generator import DocGenerator
        >>> result = DocGenerator(offline=True).generate_documentation("X = 1\n", filename="calc.py")
        >>> table = quality_table([result])
        >>> print(table.splitlines()[0])
        file                               type         score grade truthful complete improves
        >>> table.splitlines()[2].split()[:2]
        ['calc.py', 'readme']
    """
    header = f"{'file':<34} {'type':<12} {'score':>5} {'grade':>5} {'truthful':>8} {'complete':>8} {'improves':>8}"
    rows = [header, "-" * len(header)]
    for result in results:
        q = result.quality
        rows.append(
            f"{result.path[-34:]:<34} {result.doc_type:<12} {q.score:>5} {q.grade:>5} "
            f"{q.truthfulness:>8.0%} {q.completeness:>8.0%} {q.improvement:>+8}"
        )
    return "\n".join(rows)
