"""Code analysis: what a source file or a project contains, in every supported language.

Python is read with ``ast``; JavaScript, TypeScript, Go, Java and Rust with tree-sitter's
per-language grammars. A Python file ``ast`` cannot read (a syntax error, or too large) is read
by tree-sitter, which recovers around errors, and carries a warning: analysis never crashes on
bad input and never guesses, it says what went wrong.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from pathlib import Path

from .model import ClassInfo, FileAnalysis, FunctionInfo, ImportInfo, LineCounts, Parameter

__all__ = [
    "LANGUAGES",
    "MAX_ANALYSED_CHARS",
    "ClassInfo",
    "FileAnalysis",
    "FunctionInfo",
    "ImportInfo",
    "LineCounts",
    "Parameter",
    "SourceError",
    "analyze_file",
    "analyze_source",
    "declared_encoding",
    "detect_language",
    "read_source",
]

#: File suffix → language name.
LANGUAGES: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".java": "java",
    ".rs": "rust",
}
#: Of a larger file, only this many first characters are analysed (with a warning), and a docstrings run
#: leaves it as it is. Analysing a million characters of Python and scoring its pages takes about 15 s and
#: 400 MB on a 2-core machine (``python bench/huge_files.py``, in ``bench/RESULTS.md``).
MAX_ANALYSED_CHARS = 1_000_000


class SourceError(ValueError):
    """A file that cannot be analysed at all; the message names it and says why."""


#: PEP 263's encoding declaration, on a source file's first or second line.
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def declared_encoding(data: bytes | str, language: str | None) -> str:
    r"""The encoding a source file declares for itself: Python's PEP 263 ``# -*- coding: latin-1 -*-``.

    Args:
        data: the file's bytes, or its text (the declaration is ASCII either way).
        language: the file's language; only Python files declare one.

    Returns:
        The codec's canonical name (``iso8859-1``); ``utf-8`` when the file declares none, declares
        one Python does not know, or is not Python.

    Examples:
        >>> declared_encoding(b"# -*- coding: latin-1 -*-\n", "python"), declared_encoding("x = 1\n", "python")
        ('iso8859-1', 'utf-8')
    """
    if language != "python":
        return "utf-8"
    head = data if isinstance(data, bytes) else data[:4096].encode("utf-8", errors="replace")
    for line in head.removeprefix(b"\xef\xbb\xbf").split(b"\n")[:2]:
        if match := _CODING.match(line):
            try:
                return codecs.lookup(match.group(1).decode("ascii")).name
            except LookupError:
                return "utf-8"
        if line.strip() and not line.lstrip().startswith(b"#"):
            break  # a declaration on the second line only follows a comment or a blank line
    return "utf-8"


def detect_language(path: str | Path) -> str | None:
    """The language a file's suffix names, as :data:`LANGUAGES` maps it.

    Only the suffix is looked at (any case); the file need not exist and is not opened.

    Args:
        path: the file's path or name.

    Returns:
        The language's name (``python``, ``javascript``, ``typescript``, ``tsx``, ``go``, ``java`` or
        ``rust``), or ``None`` when the suffix is not one CodeScribe reads (or there is none).

    Examples:
        >>> detect_language("src/App.TSX"), detect_language("lib/calc.py")
        ('tsx', 'python')
        >>> detect_language("README.md") is None, detect_language("Makefile") is None
        (True, True)
    """
    return LANGUAGES.get(Path(path).suffix.lower())


def read_source(path: str | Path, *, exact: bool = False) -> tuple[str, tuple[str, ...]]:
    r"""The text of a source file and any warnings about reading it.

    The file is decoded as UTF-8 (a Python file as its PEP 263 declaration says: see
    :func:`declared_encoding`), a leading byte-order mark dropped. Bytes that do not decode are
    replaced (with U+FFFD) rather than refused, and a warning says so; a file with a NUL byte in its
    first 8,192 bytes is taken for binary and refused. Line endings are kept as they are.

    Args:
        path: the file to read.
        exact: read it to be written back (a docstrings rewrite): the byte-order mark is kept (as
            ``\ufeff``) and bytes that do not decode are refused, so nothing is lost on the way back.

    Returns:
        ``(text, warnings)``: the decoded text, and an empty tuple or one warning (naming ``path`` and
        the offset of the first undecodable byte).

    Raises:
        SourceError: ``path`` does not exist, is not a regular file (a folder, say), or looks binary;
            with ``exact``, it is not valid UTF-8.
        OSError: the file exists but cannot be read (no permission, say).

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     file = Path(folder) / "calc.py"
        ...     _ = file.write_bytes(b"\xef\xbb\xbfdef add(a, b):\n    return a + b\n")
        ...     print(read_source(file))
        ...     _ = file.write_bytes(b'name = "caf\xe9"\n')
        ...     text, warnings = read_source(file)
        ...     print(ascii(text), warnings[0].removeprefix(folder))
        ...     try:
        ...         read_source(folder)
        ...     except SourceError as error:
        ...         print(str(error).endswith(": not a regular file."))
        ('def add(a, b):\n    return a + b\n', ())
        'name = "caf\ufffd"\n' /calc.py: not valid UTF-8 (byte 11); undecodable bytes were replaced.
        True
    """
    file = Path(path)
    if not file.exists():
        raise SourceError(f"{path}: no such file. Check the path.")
    if not file.is_file():
        raise SourceError(f"{path}: not a regular file.")
    data = file.read_bytes()
    if b"\0" in data[:8192]:
        raise SourceError(f"{path}: looks binary (it contains NUL bytes); only source text can be documented.")
    encoding = declared_encoding(data, detect_language(file))
    if encoding == "utf-8":
        encoding = "utf-8" if exact else "utf-8-sig"
    label = "UTF-8" if encoding.startswith("utf-8") else encoding
    try:
        return data.decode(encoding), ()
    except UnicodeDecodeError as exc:
        if exact:
            raise SourceError(
                f"{path}: not valid {label} (byte {exc.start}); it would not come back as it was, so it is "
                f"left alone. Convert it to {label} to have it rewritten."
            ) from None
        warning = f"{path}: not valid {label} (byte {exc.start}); undecodable bytes were replaced."
        return data.decode(encoding, errors="replace"), (warning,)


def _with_warnings(analysis: FileAnalysis, warnings: tuple[str, ...]) -> FileAnalysis:
    if not warnings:
        return analysis
    return replace(analysis, warnings=warnings + analysis.warnings)


def analyze_source(source: str, path: str, language: str | None = None) -> FileAnalysis:
    r"""Analyse source text: its functions, classes, imports, exports and line counts.

    Python is read with ``ast``; a Python file ``ast`` cannot parse (a syntax error, say) is read by
    tree-sitter around the error, with a warning and ``used_fallback`` set. Other languages are read by
    tree-sitter. Text longer than :data:`MAX_ANALYSED_CHARS` characters is cut to that length and read
    by tree-sitter (Python too), with a warning and ``used_fallback`` set. Empty text gives a warning
    that there is nothing to document. When tree-sitter is needed but it or the language's grammar is
    not installed, only the lines are counted, and a warning says why. Nothing is read from disk.

    Args:
        source: the file's text.
        path: the file's path, recorded in the result and its warnings; its suffix names the language
            when ``language`` is not given.
        language: the language's name, one of the values of :data:`LANGUAGES`; ``None``: the one
            ``path``'s suffix names (see :func:`detect_language`).

    Returns:
        The :class:`FileAnalysis`; its ``warnings`` say what went wrong, if anything.

    Raises:
        SourceError: ``language`` is ``None`` and ``path``'s suffix names no supported language; the
            message lists the supported ones.
        ValueError: ``language`` is given but is not one tree-sitter supports (``"cobol"``, say).

    Examples:
        >>> analysis = analyze_source("def area(w: float, h: float) -> float:\n    return w * h\n", "geo.py")
        >>> analysis.language, analysis.functions[0].signature, analysis.exports, analysis.warnings
        ('python', 'area(w: float, h: float) -> float', ('area',), ())
        >>> broken = analyze_source("def broken(:\n    pass\n\ndef ok(x):\n    return x\n", "b.py")
        >>> [f.name for f in broken.functions], broken.used_fallback
        (['broken', 'ok'], True)
        >>> broken.warnings
        ('b.py: Python cannot parse it (syntax error at line 1); read around it, results may be incomplete.',)
        >>> analyze_source("fn main() {}\n", "main.txt", "rust").functions[0].name
        'main'
        >>> analyze_source("", "empty.py").warnings
        ('empty.py: the file is empty; there is nothing to document.',)
        >>> try:
        ...     analyze_source("x", "notes.txt")
        ... except SourceError as error:
        ...     print(str(error).split(";")[0])
        notes.txt: unsupported language (suffix '.txt')
    """
    language = language or detect_language(path)
    if language is None or language not in LANGUAGES.values():
        supported = ", ".join(sorted(set(LANGUAGES.values())))
        raise SourceError(
            f"{path}: unsupported language ({language or 'suffix ' + repr(Path(path).suffix or 'none')}); "
            f"CodeScribe reads {supported}."
        )
    notes: tuple[str, ...] = ()
    if not source.strip():
        notes = (f"{path}: the file is empty; there is nothing to document.",)
    from .treesitter import TreeSitterUnavailable, analyze_with_treesitter, unread_analysis

    recovered = False
    if len(source) > MAX_ANALYSED_CHARS:
        source = source[:MAX_ANALYSED_CHARS]
        notes += (f"{path}: larger than {MAX_ANALYSED_CHARS:,} characters; only the first part was analysed.",)
        recovered = True
    elif language == "python":
        from .python import analyze_python

        try:
            return _with_warnings(analyze_python(source, path), notes)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            line = getattr(exc, "lineno", None)
            where = f" at line {line}" if line else ""
            kind = "syntax error" if isinstance(exc, SyntaxError) else exc.__class__.__name__
            notes += (f"{path}: Python cannot parse it ({kind}{where}); read around it, results may be incomplete.",)
            recovered = True
    try:
        analysis = analyze_with_treesitter(source, path, language)
    except TreeSitterUnavailable as exc:
        return _with_warnings(unread_analysis(source, path, language, str(exc)), notes)
    if recovered:
        # Python's own message (above) says it better than tree-sitter's "syntax errors near line N".
        said = tuple(w for w in analysis.warnings if not w.startswith(f"{path}: syntax errors near line"))
        analysis = replace(analysis, used_fallback=True, warnings=said)
    return _with_warnings(analysis, notes)


def analyze_file(path: str | Path, *, root: str | Path | None = None) -> FileAnalysis:
    r"""Read and analyse one file (see :func:`read_source` and :func:`analyze_source`).

    The language is the one the file's suffix names. Warnings about reading the file (bytes that are
    not UTF-8) come first in the result's ``warnings``, and name the file as given, not relative to
    ``root``.

    Args:
        path: the file to read.
        root: a folder ``path`` lies under: the result's ``path`` is then relative to it (with ``/``
            separators); ``None``: the result's ``path`` is ``path`` as given, with ``/`` separators.

    Returns:
        The :class:`FileAnalysis` of the file.

    Raises:
        SourceError: the suffix names no supported language (checked first), or the file is missing,
            not a regular file, or binary (see :func:`read_source`).
        ValueError: ``path`` is not under ``root`` (or one is absolute and the other relative).
        OSError: the file exists but cannot be read.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     file = Path(folder) / "pkg" / "calc.py"
        ...     file.parent.mkdir()
        ...     _ = file.write_text("def add(a, b):\n    return a + b\n")
        ...     analysis = analyze_file(file, root=folder)
        ...     print(analysis.path, analysis.language, [f.name for f in analysis.functions])
        ...     print(analyze_file(file).path == file.as_posix())
        pkg/calc.py python ['add']
        True
    """
    file = Path(path)
    name = file.relative_to(root).as_posix() if root is not None else file.as_posix()
    language = detect_language(file)
    if language is None:
        analyze_source("", name)  # raises the unsupported-language error with the list
    source, warnings = read_source(file)
    return _with_warnings(analyze_source(source, name, language), warnings)
