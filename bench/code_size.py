"""The library's size at git revisions: code lines and statements of ``codescribe/``.

A code line is a line that holds a token other than a comment, a blank or a docstring (the module's,
a class's or a function's first string statement); a statement is an ``ast.stmt`` that is not a
docstring, so the count does not move when the formatter re-wraps a line. Issue 10 measures the
library's size this way.

Run: ``.venv/bin/python -m bench.code_size REV [REV ...]`` (default ``HEAD``); ``-v`` lists each file.
"""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize

_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def measure(source: str) -> tuple[int, int]:
    """The code lines and statements of one Python source (see the module's docstring)."""
    tree = ast.parse(source)
    docstrings: set[int] = set()
    statements = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if first is not None and _is_docstring(first):
                docstrings.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
        if isinstance(node, ast.stmt) and not _is_docstring(node):
            statements += 1
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in _SKIPPED:
            lines.update(n for n in range(token.start[0], token.end[0] + 1) if n not in docstrings)
    return len(lines), statements


def at_revision(revision: str) -> dict[str, tuple[int, int]]:
    """Each Python file of ``codescribe/`` at a git revision, with its code lines and statements."""
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", revision, "codescribe"], capture_output=True, text=True, check=True
    )
    sizes = {}
    for path in listing.stdout.split():
        if path.endswith(".py"):
            shown = subprocess.run(["git", "show", f"{revision}:{path}"], capture_output=True, text=True, check=True)
            sizes[path] = measure(shown.stdout)
    return sizes


def main(arguments: list[str]) -> None:
    """Print the totals of each revision named (``HEAD`` by default); ``-v`` lists each file first."""
    verbose = "-v" in arguments
    for revision in [argument for argument in arguments if argument != "-v"] or ["HEAD"]:
        sizes = at_revision(revision)
        if verbose:
            for path, (lines, statements) in sorted(sizes.items(), key=lambda item: -item[1][0]):
                print(f"{lines:6d} {statements:6d}  {path}")
        lines = sum(size[0] for size in sizes.values())
        statements = sum(size[1] for size in sizes.values())
        print(f"{revision}: {lines:,} code lines, {statements:,} statements in {len(sizes)} files")


if __name__ == "__main__":
    main(sys.argv[1:])
