"""Code analysis: what a source file or a project contains, in every supported language.

Python is read with ``ast``; JavaScript, TypeScript, Go, Java and Rust with tree-sitter's
per-language grammars. A Python file ``ast`` cannot read (a syntax error, or too large) is read
by tree-sitter, which recovers around errors, and carries a warning: analysis never crashes on
bad input and never guesses, it says what went wrong.
"""

from __future__ import annotations

from pathlib import Path

from .model import ClassInfo, FileAnalysis, FunctionInfo, ImportInfo, LineCounts, Parameter

__all__ = [
    "LANGUAGES",
    "ClassInfo",
    "FileAnalysis",
    "FunctionInfo",
    "ImportInfo",
    "LineCounts",
    "Parameter",
    "SourceError",
    "analyze_file",
    "analyze_source",
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
#: Of a larger file, only this many first characters are analysed (with a warning).
MAX_ANALYSED_BYTES = 2_000_000


class SourceError(ValueError):
    """A file that cannot be analysed at all; the message names it and says why."""


def detect_language(path: str | Path) -> str | None:
    return LANGUAGES.get(Path(path).suffix.lower())


def read_source(path: str | Path) -> tuple[str, tuple[str, ...]]:
    """The text of a source file and any warnings about reading it.

    Raises :class:`SourceError` for a missing path, a folder, or a binary file.
    """
    file = Path(path)
    if not file.exists():
        raise SourceError(f"{path}: no such file. Check the path.")
    if not file.is_file():
        raise SourceError(f"{path}: not a regular file.")
    data = file.read_bytes()
    if b"\0" in data[:8192]:
        raise SourceError(f"{path}: looks binary (it contains NUL bytes); only source text can be documented.")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        warning = f"{path}: not valid UTF-8 (byte {exc.start}); undecodable bytes were replaced."
        return data.decode("utf-8", errors="replace"), (warning,)


def _with_warnings(analysis: FileAnalysis, warnings: tuple[str, ...]) -> FileAnalysis:
    if not warnings:
        return analysis
    from dataclasses import replace

    return replace(analysis, warnings=warnings + analysis.warnings)


def analyze_source(source: str, path: str, language: str | None = None) -> FileAnalysis:
    """Analyse source text. ``language`` defaults to the one the path's suffix names."""
    language = language or detect_language(path)
    if language is None:
        supported = ", ".join(sorted(set(LANGUAGES.values())))
        raise SourceError(
            f"{path}: unsupported language (suffix {Path(path).suffix or 'none'!r}); CodeScribe reads {supported}."
        )
    notes: tuple[str, ...] = ()
    if not source.strip():
        notes = (f"{path}: the file is empty; there is nothing to document.",)
    from .treesitter import TreeSitterUnavailable, analyze_with_treesitter, unread_analysis

    recovered = False
    if len(source) > MAX_ANALYSED_BYTES:
        source = source[:MAX_ANALYSED_BYTES]
        notes += (f"{path}: larger than {MAX_ANALYSED_BYTES:,} characters; only the first part was analysed.",)
        recovered = True
    elif language == "python":
        from .python import analyze_python

        try:
            return _with_warnings(analyze_python(source, path), notes)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            line = getattr(exc, "lineno", None)
            where = f" at line {line}" if line else ""
            notes += (f"{path}: Python cannot parse it ({exc.__class__.__name__}{where}); read around the error.",)
            recovered = True
    try:
        analysis = analyze_with_treesitter(source, path, language)
    except TreeSitterUnavailable as exc:
        return _with_warnings(unread_analysis(source, path, language, str(exc)), notes)
    if recovered:
        from dataclasses import replace

        analysis = replace(analysis, used_fallback=True)
    return _with_warnings(analysis, notes)


def analyze_file(path: str | Path, *, root: str | Path | None = None) -> FileAnalysis:
    """Read and analyse one file; its ``path`` in the result is relative to ``root`` if given."""
    file = Path(path)
    name = file.relative_to(root).as_posix() if root is not None else file.as_posix()
    language = detect_language(file)
    if language is None:
        analyze_source("", name)  # raises the unsupported-language error with the list
    source, warnings = read_source(file)
    return _with_warnings(analyze_source(source, name, language), warnings)
