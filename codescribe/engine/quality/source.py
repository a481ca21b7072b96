"""The docs a rewritten source file gives each function: Python docstrings, or doc comments.

Python is read with :mod:`ast` (with a regex fallback for source that does not parse). Other
languages: a ``/** */`` block (JSDoc, Javadoc, TSDoc), a run of ``///`` lines (Rust) or of
``//`` lines (Go) right before a declaration documents that declaration.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

from codescribe.engine.analysis.model import FunctionInfo
from codescribe.engine.quality.docstyle import DocInfo, parse_comment, parse_docstring

__all__ = ["SourceDocs", "read_source_docs"]

_BLOCK_COMMENT = re.compile(r"/\*\*(?!/)(.*?)\*/", re.DOTALL)
_LINE_COMMENTS = {
    "rust": re.compile(r"(?:^[ \t]*///(?!/)[^\n]*\n)+", re.MULTILINE),
    "go": re.compile(r"(?:^[ \t]*//[^\n]*\n)+", re.MULTILINE),
}
_COMMENT_LEADER = re.compile(r"^[ \t]*(?:/{2,3}|\*(?!/))?[ \t]?", re.MULTILINE)
_SKIP = re.compile(r"(?:\s+|@[\w.]+(?:\([^)]*\))?|#\[[^\]]*\])*")
_DECLARATION = re.compile(
    r"""(?:export\s+(?:default\s+)?)?(?:declare\s+)?
    (?:(?:public|private|protected|static|readonly|abstract|override|async|final|synchronized|pub(?:\([^)]*\))?|
        unsafe|const|extern|get|set)\s+)*
    (?:
        function\s*\*?\s*(?P<function>[\w$]+)
      | (?:class|interface|struct|trait|enum|type)\s+(?P<type>[\w$]+)
      | (?:const|let|var)\s+(?P<variable>[\w$]+)
      | fn\s+(?P<fn>\w+)
      | func\s+(?:\(\s*\w*\s*\*?(?P<receiver>\w+)[^)]*\)\s*)?(?P<func>\w+)
      | (?:[\w$<>\[\],.?]+\s+)?\*?(?P<method>[\w$]+)\s*(?:<[^>()]*>)?\s*\(
      | (?P<property>[\w$]+)\s*[:=]\s*(?:async\s*)?(?:function|\()
    )""",
    re.VERBOSE,
)
_CONTAINER = re.compile(
    r"\b(?:class|interface|struct|trait|enum)\s+([\w$]+)[^{;]*\{"
    r"|\bimpl(?:<[^>]*>)?\s+(?:[\w:<>]+\s+for\s+)?([\w$]+)[^{;]*\{"
    r"|\btype\s+(\w+)\s+(?:interface|struct)\s*\{"
)
_NOISE = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`", re.DOTALL)
_PY_DEF = re.compile(r"^([ \t]*)(?:async[ \t]+)?(def|class)[ \t]+(\w+)", re.MULTILINE)
_PY_DOCSTRING = re.compile(r"\s*[rRuU]{0,2}(\"\"\"|''')(.*?)\1", re.DOTALL)


@dataclass(frozen=True, slots=True)
class SourceDocs:
    """Docs by qualified name, plus what truthfulness and the types criterion need.

    Attributes:
        by_qualname: what each documented function's doc says, by qualified name (``Class.method``).
        definitions: qualified names of the functions and classes the rewritten source defines
            (for languages other than Python, those that have a doc comment).
        annotated: ``"qualname:param"`` and ``"qualname:return"`` for the annotations the rewritten
            source has (Python only).
        texts: every doc text, the module's included.
    """

    by_qualname: Mapping[str, DocInfo] = field(default_factory=dict)
    #: Qualified names of the functions and classes the rewritten source defines.
    definitions: tuple[str, ...] = ()
    #: "qualname:param" and "qualname:return" for annotations the rewritten source has.
    annotated: frozenset[str] = frozenset()
    #: Every doc text, the module's included.
    texts: tuple[str, ...] = ()

    def doc_for(self, function: FunctionInfo) -> DocInfo | None:
        r"""The doc of a function: by qualified name, else by plain name when only one definition has it.

        Args:
            function: the function, as analysed from the original code.

        Returns:
            What its doc says; ``None`` when it has none, or when its plain name is ambiguous.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> code = "def add(a: int, b):\n    '''Add.\n\n    Args:\n        a: one.\n    '''\n    return a + b\n\n"
            >>> code += "class Box:\n    def get(self):\n        '''Get.'''\n"
            >>> docs = read_source_docs(code, "python")
            >>> moved = analyze_source("class Other:\n    def get(self):\n        return 1\n", "other.py")
            >>> docs.doc_for(moved.classes[0].methods[0]).text
            'Get.'
        """
        found = self.by_qualname.get(function.qualname)
        if found is not None:
            return found
        matches = [doc for name, doc in self.by_qualname.items() if name.rsplit(".", 1)[-1] == function.name]
        return matches[0] if len(matches) == 1 else None


def read_source_docs(source: str, language: str) -> SourceDocs:
    r"""Read the docs a rewritten source file gives its functions.

    Python is read with :mod:`ast` (docstrings, annotations; functions nested in functions are not
    read), or, when it does not parse, with regular expressions (``def`` / ``class`` lines and the
    docstring after them; no annotations). Other languages: a ``/** */`` block, a run of ``///``
    lines (Rust) or of ``//`` lines (Go) right before a declaration documents it; a method's owner
    is the class, struct, interface, trait or impl body around it (or a Go receiver).

    Args:
        source: the rewritten source file.
        language: the language's name, any case (``python``, ``javascript``, ``go`` ...).

    Returns:
        The docs by qualified name, the definitions, the annotations and every doc text.

    Examples:
        >>> code = "def add(a: int, b):\n    '''Add.\n\n    Args:\n        a: one.\n    '''\n    return a + b\n\n"
        >>> code += "class Box:\n    def get(self):\n        '''Get.'''\n"
        >>> docs = read_source_docs(code, "python")
        >>> docs.definitions, sorted(docs.by_qualname), sorted(docs.annotated)
        (('add', 'Box', 'Box.get'), ['Box.get', 'add'], ['add:a'])
        >>> docs.by_qualname["add"].params
        frozenset({'a'})
        >>> js = "/** Adds.\n * @param {number} a first\n */\nexport function add(a, b) { return a + b }\n"
        >>> read_source_docs(js, "javascript").by_qualname["add"].typed_params
        frozenset({'a'})
    """
    language = language.lower()
    if language == "python":
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return _python_regex(source)
        return _python_ast(tree)
    return _comments(source, language)


def _python_ast(tree: ast.Module) -> SourceDocs:
    docs: dict[str, DocInfo] = {}
    definitions: list[str] = []
    annotated: set[str] = set()
    module_doc = ast.get_docstring(tree)
    texts = [module_doc] if module_doc else []

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                qualname = prefix + node.name
                definitions.append(qualname)
                text = ast.get_docstring(node)
                if text:
                    texts.append(text)
                if isinstance(node, ast.ClassDef):
                    walk(node.body, qualname + ".")
                    continue
                if text:
                    docs[qualname] = parse_docstring(text, clean=False)
                arguments = node.args
                every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
                every += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
                annotated.update(f"{qualname}:{arg.arg}" for arg in every if arg.annotation is not None)
                if node.returns is not None:
                    annotated.add(f"{qualname}:return")
            elif isinstance(node, ast.If | ast.Try):
                walk(node.body, prefix)
                walk(node.orelse, prefix)

    walk(tree.body, "")
    return SourceDocs(docs, tuple(definitions), frozenset(annotated), tuple(texts))


def _python_regex(source: str) -> SourceDocs:
    """For rewritten Python that does not parse: ``def`` / ``class`` lines and the docstring after them."""
    docs: dict[str, DocInfo] = {}
    definitions: list[str] = []
    texts: list[str] = []
    stack: list[tuple[int, str, str]] = []
    for match in _PY_DEF.finditer(source):
        indent, kind, name = len(match.group(1).expandtabs()), match.group(2), match.group(3)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if any(entry[1] == "def" for entry in stack):
            continue
        qualname = ".".join([entry[2] for entry in stack] + [name])
        stack.append((indent, kind, name))
        definitions.append(qualname)
        docstring = _PY_DOCSTRING.match(source, _body_start(source, match.end()))
        if docstring and docstring.group(2).strip():
            texts.append(docstring.group(2))
            if kind == "def":
                docs[qualname] = parse_docstring(docstring.group(2))
    return SourceDocs(docs, tuple(definitions), frozenset(), tuple(texts))


def _body_start(source: str, position: int) -> int:
    """Where a ``def`` / ``class`` body starts: after the line that closes its parentheses (colon or not)."""
    opening = source.find("(", position, position + 2)
    if opening != -1:
        depth = 0
        for index in range(opening, min(len(source), opening + 5000)):
            depth += {"(": 1, ")": -1}.get(source[index], 0)
            if not depth:
                position = index
                break
    newline = source.find("\n", position)
    return len(source) if newline == -1 else newline + 1


def _comments(source: str, language: str) -> SourceDocs:
    blanked = _NOISE.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), source)
    containers = _containers(blanked)
    starts = [start for start, _, _ in containers]
    comments = [(match.start(), match.end(), match.group(1)) for match in _BLOCK_COMMENT.finditer(source)]
    if language in _LINE_COMMENTS:
        comments += [(m.start(), m.end(), m.group()) for m in _LINE_COMMENTS[language].finditer(source)]
    docs: dict[str, DocInfo] = {}
    definitions: list[str] = []
    texts: list[str] = []
    for start, end, raw in sorted(comments):
        text = _COMMENT_LEADER.sub("", raw).strip()
        if not text:
            continue
        texts.append(text)
        skipped = _SKIP.match(source, end)
        declaration = _DECLARATION.match(source, skipped.end() if skipped else end)
        if not declaration:
            continue
        name = next(value for key, value in declaration.groupdict().items() if value and key != "receiver")
        owner = declaration.group("receiver") or _owner(containers, starts, start)
        qualname = f"{owner}.{name}" if owner else name
        definitions.append(qualname)
        if not declaration.group("type"):
            docs[qualname] = parse_comment(text)
    return SourceDocs(docs, tuple(definitions), frozenset(), tuple(texts))


def _containers(blanked: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every class / struct / impl body, by brace matching (strings and comments blanked)."""
    closing: dict[int, int] = {}
    stack: list[int] = []
    for match in re.finditer(r"[{}]", blanked):
        if match.group() == "{":
            stack.append(match.start())
        elif stack:
            closing[stack.pop()] = match.start()
    found = []
    for match in _CONTAINER.finditer(blanked):
        brace = match.end() - 1
        found.append((brace, closing.get(brace, len(blanked)), match.group(1) or match.group(2) or match.group(3)))
    return found


def _owner(containers: list[tuple[int, int, str]], starts: list[int], position: int) -> str | None:
    """The innermost container whose body holds ``position``."""
    owner = None
    for index in range(bisect_right(starts, position) - 1, -1, -1):
        start, end, name = containers[index]
        if start < position < end:
            owner = name
            break
    return owner
