"""The docs a rewritten source file gives each function: Python docstrings, or doc comments.

The rewritten file is read by the same analysis as any source file
(:func:`~codescribe.engine.analysis.analyze_source`): ``ast`` for Python (tree-sitter around a
syntax error), tree-sitter for the other languages, with doc comments attached where that
language's analyser attaches them. One reader, so a score never disagrees with a page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

from codescribe.engine.analysis import FileAnalysis, FunctionInfo, analyze_source
from codescribe.engine.quality.docstyle import DocInfo, parse_comment, parse_docstring, parse_prose_comment

__all__ = ["SourceDocs", "read_source_docs"]


@dataclass(frozen=True, slots=True)
class SourceDocs:
    """Docs by qualified name, plus what truthfulness and the types criterion need.

    Attributes:
        by_qualname: what each documented function's doc says, by qualified name (``Class.method``),
            and each class's (its constructor's doc merged in), by its name.
        definitions: qualified names of the functions and classes the rewritten source defines
            (for languages other than Python, those that have a doc comment).
        annotated: ``"qualname:param"`` and ``"qualname:return"`` for the annotations the rewritten
            source has (Python only).
        texts: every doc text, the module's included.
        module_doc: the module's own docstring (Python) or doc comment (a Go package's, a
            Rust crate's ``//!``); ``None`` when it has none.
    """

    by_qualname: Mapping[str, DocInfo] = field(default_factory=dict)
    #: Qualified names of the functions and classes the rewritten source defines.
    definitions: tuple[str, ...] = ()
    #: "qualname:param" and "qualname:return" for annotations the rewritten source has.
    annotated: frozenset[str] = frozenset()
    #: Every doc text, the module's included.
    texts: tuple[str, ...] = ()
    #: The module's own docstring or doc comment, if any.
    module_doc: str | None = None
    #: The docs by plain name (``method``), for :meth:`doc_for`: made once, not looked for in every call.
    _by_name: Mapping[str, list[DocInfo]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, list[DocInfo]] = {}
        for name, doc in self.by_qualname.items():
            by_name.setdefault(name.rsplit(".", 1)[-1], []).append(doc)
        object.__setattr__(self, "_by_name", by_name)  # frozen: set once, here

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
        matches = self._by_name.get(function.name, [])
        return matches[0] if len(matches) == 1 else None


def read_source_docs(source: str, language: str) -> SourceDocs:
    r"""Read the docs a rewritten source file gives its functions.

    The file is analysed as any source file is (:func:`~codescribe.engine.analysis.analyze_source`);
    each function's and method's docstring or doc comment is read into what it documents
    (Python docstrings by :func:`~codescribe.engine.quality.docstyle.parse_docstring`, doc comments
    by :func:`~codescribe.engine.quality.docstyle.parse_comment`, which also reads ``@param`` tags).

    Args:
        source: the rewritten source file.
        language: the language's name, any case (``python``, ``javascript``, ``go`` ...).

    Returns:
        The docs by qualified name, the definitions, the annotations (Python) and every doc text.

    Raises:
        SourceError: ``language`` is not one CodeScribe reads.

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
    analysis = analyze_source(source, "rewritten", language)
    definitions = [f.qualname for f in analysis.functions]
    for cls in analysis.classes:
        definitions += [cls.name, *(method.qualname for method in cls.methods)]
    docs = {f.qualname: f.docstring for f in analysis.all_functions if f.docstring}
    classes = {cls.name for cls in analysis.classes}
    for cls in analysis.classes:  # a class's doc, its constructor's merged in, documents the class
        init = next((m for m in cls.methods if m.name in ("__init__", "constructor")), None)
        text = "\n\n".join(doc for doc in (cls.docstring, init.docstring if init else None) if doc)
        if text and cls.name not in docs:
            docs[cls.name] = text
    texts = [analysis.module_docstring] if analysis.module_docstring else []
    texts += [cls.docstring for cls in analysis.classes if cls.docstring]
    texts += [doc for name, doc in docs.items() if name not in classes]
    parsers: dict[str, Callable[[str], DocInfo]] = {
        "python": partial(parse_docstring, clean=False),
        "go": parse_prose_comment,
        "rust": parse_prose_comment,
    }
    parse = parsers.get(language, parse_comment)
    return SourceDocs(
        {name: parse(text) for name, text in docs.items()},
        tuple(definitions),
        _annotated(analysis) if language == "python" else frozenset(),
        tuple(texts),
        analysis.module_docstring,
    )


def _annotated(analysis: FileAnalysis) -> frozenset[str]:
    """``qualname:param`` and ``qualname:return`` for every annotation the functions carry."""
    found: set[str] = set()
    for function in analysis.all_functions:
        found.update(f"{function.qualname}:{p.name}" for p in function.parameters if p.annotation)
        if function.returns:
            found.add(f"{function.qualname}:return")
    return frozenset(found)
