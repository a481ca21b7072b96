"""Usage examples the offline engine writes: a call of a function, or a class made and one of its methods
called, each imported the way its language imports it.

The arguments are the required parameters, each a value the example defines so that it runs up to the
call: a literal of the parameter's type (``"..."`` for a string, ``0`` for a number), else a variable named
after the parameter declared just before (Python's ``marker = ...``, Go's ``var marker Marker``). Go's examples
are in :mod:`codescribe.engine.readme_parts` (a package imported by its path).
"""

from __future__ import annotations

import re

from .analysis.manifest import import_binding
from .analysis.model import ClassInfo, FileAnalysis, FunctionInfo
from .markdown import doc_parts, fence_name

__all__ = [
    "call_arguments",
    "class_usage",
    "doc_example",
    "example_call",
    "function_usage",
    "is_deprecated",
    "shows_use",
]

_JAVASCRIPT = ("javascript", "typescript", "tsx")

#: How each language binds a call's result, and awaits (Python's unless listed).
_BINDINGS = {
    **dict.fromkeys(_JAVASCRIPT, ("const result = {}", "await {}", ";")),
    "go": ("result := {}", "{}", ""),
    "rust": ("let result = {}", "{}.await", ";"),
    "java": ("var result = {}", "{}", ";"),
}

_JAVASCRIPT_LITERALS = {
    "string": '"..."',
    "number": "0",
    "boolean": "false",
    "bigint": "0n",
    "null": "null",
    "undefined": "undefined",
}

#: The literal an example passes for a parameter of a simple type, by language and type (generics dropped).
_LITERALS: dict[str, dict[str, str]] = {
    "python": {
        **dict.fromkeys(("str", "Text"), '"..."'),
        **{"int": "0", "float": "0.0", "bool": "False", "bytes": 'b""', "None": "None"},
        **dict.fromkeys(("list", "List", "Sequence", "Iterable"), "[]"),
        **dict.fromkeys(("dict", "Dict", "Mapping"), "{}"),
        **dict.fromkeys(("tuple", "Tuple"), "()"),
    },
    **dict.fromkeys(_JAVASCRIPT, _JAVASCRIPT_LITERALS),
    "go": {
        "string": '""',
        "bool": "false",
        **dict.fromkeys(("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32"), "0"),
        **dict.fromkeys(("uint64", "uintptr", "float32", "float64", "byte", "rune"), "0"),
    },
    "java": {
        "String": '"..."',
        "boolean": "false",
        **dict.fromkeys(("int", "short", "byte"), "0"),
        **{"long": "0L", "double": "0.0", "float": "0f", "char": "'a'"},
    },
    "rust": {
        "&str": '"..."',
        "String": "String::new()",
        "bool": "false",
        **dict.fromkeys(("i8", "i16", "i32", "i64", "isize", "u8", "u16", "u32", "u64", "usize"), "0"),
        **dict.fromkeys(("f32", "f64"), "0.0"),
    },
}

#: How each language declares a variable of a type it has no literal for (Python's unless listed).
_DECLARATIONS = {
    **dict.fromkeys(_JAVASCRIPT, "let {name};"),
    "go": "var {name} {type}",
    "java": "{type} {name} = null;",
    "rust": "let {name}: {type} = todo!();",
}

#: A fenced code block of Markdown (what :func:`~codescribe.engine.markdown.doc_parts` writes of any docstring).
_FENCED = re.compile(
    r"^(?P<fence>```+|~~~+)(?P<info>[^\n`]*)\n(?P<code>.*?)\n(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL
)

#: The fence names of code a README may show as an example, by the language they are in.
_CODE_FENCES = {
    **dict.fromkeys(("python", "py", "python3", "pycon"), "python"),
    **dict.fromkeys(("js", "javascript", "jsx"), "js"),
    **dict.fromkeys(("ts", "typescript"), "ts"),
    **{name: name for name in ("tsx", "rust", "go", "java")},
}

#: A class whose name says it is an error or a warning: raised, not made by users to work with.
_ERROR_NAME = re.compile(r"(Error|Exception|Warning)$")
#: Docs that mark a definition deprecated: JSDoc/Javadoc ``@deprecated``, Go's ``Deprecated:`` paragraph
#: (go.dev/wiki/Deprecated), Sphinx's ``.. deprecated::``, and "Deprecated." / "This is deprecated" prose.
_DEPRECATED = re.compile(
    r"@deprecated\b|^\s*Deprecated\b|\.\. deprecated::|\bis deprecated\b", re.IGNORECASE | re.MULTILINE
)

#: A class whose constructor needs more arguments than this is made by the library (attrs' ``Attribute``).
_MOST_ARGUMENTS = 3

#: Python's decorators that make a method callable on the class rather than on an instance.
_CLASS_LEVEL = frozenset({"staticmethod", "classmethod"})


def example_call(function: FunctionInfo, language: str = "python", name: str | None = None) -> str:
    r"""A call of ``function`` with its required arguments, in ``language``'s syntax.

    Args:
        function: the function (or method) called.
        language: the analysis's language name (``python``, ``typescript``, ``go`` ...).
        name: what to call it by (``client.get``, an import's binding); ``None`` for its own name.

    Returns:
        The call, awaited when the function is ``async``, its result bound when it returns one; before it,
        a line for each argument it declares (see :func:`call_arguments`).

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> function = analyze_source("async def fetch(url, *, timeout):\n    return 1\n", "a.py").functions[0]
        >>> print(example_call(function))
        url = ...
        timeout = ...
        result = await fetch(url, timeout=timeout)
        >>> function = analyze_source("export function add(a: number, b = 1) {}", "a.ts").functions[0]
        >>> example_call(function, "typescript")
        'add(0);'
    """
    declarations, arguments = call_arguments(function, language)
    bind, wait, end = _BINDINGS.get(language, ("result = {}", "await {}", ""))
    call = f"{name or function.name}({', '.join(arguments)})"
    call = wait.format(call) if function.is_async else call
    return "\n".join([*declarations, (bind.format(call) if function.returns_value else call) + end])


def call_arguments(function: FunctionInfo, language: str = "python") -> tuple[list[str], list[str]]:
    r"""What an example passes for each required parameter of ``function``, and the lines that define them.

    A parameter of a simple type gets a literal of it (``"..."`` for a string, ``0`` for a number); any
    other a variable named after it, declared first (Python's ``name = ...``, Go's ``var name T``), so the
    example runs up to the call instead of stopping at an undefined name.

    Args:
        function: the function (or method) called.
        language: the analysis's language name.

    Returns:
        ``(declarations, arguments)``: the lines to put before the call, and the call's arguments.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> code = "def connect(host: str, port: int, options, *, retry: bool, timeout=5): pass"
        >>> call_arguments(analyze_source(code, "a.py").functions[0])
        (['options = ...'], ['"..."', '0', 'options', 'retry=False'])
        >>> call_arguments(analyze_source("func Get(key string, s Store) {}", "a.go").functions[0], "go")
        (['var s Store'], ['""', 's'])
    """
    python = language == "python"
    literals = _LITERALS.get(language, {})
    declare = _DECLARATIONS.get(language, "{name} = ...")
    declarations: list[str] = []
    arguments: list[str] = []
    for parameter in function.parameters:
        if parameter.default is not None or parameter.kind in ("var_positional", "var_keyword"):
            continue
        if parameter.name in ("self", "cls", "this"):
            continue
        name = _argument(parameter.name, python)
        value = _literal(parameter.annotation, literals, python)
        if value is None:
            value = name
            declarations.append(declare.format(name=name, type=parameter.annotation or "any"))
        arguments.append(f"{parameter.name}={value}" if python and parameter.kind == "keyword_only" else value)
    if not arguments and function.overloads:  # ``isMatching(...args)``: its first overload says what to pass
        overloaded = _overload_arguments(function.overloads[0])
        declarations += [declare.format(name=name, type="any") for name in overloaded]
        arguments = overloaded
    return declarations, arguments


def _literal(annotation: str | None, literals: dict[str, str], python: bool) -> str | None:
    """The literal of a simple type: ``list[str]`` -> ``[]``, ``str | None`` -> ``None``; ``None`` for another."""
    if not annotation:
        return None
    text = annotation.strip().strip("'\"")
    if python and (text.startswith("Optional[") or "None" in re.split(r"\s*\|\s*", text)):
        return "None"
    if text.endswith("[]") and "[]" not in literals:  # TypeScript's and Java's arrays
        return "[]" if "string" in literals else None
    return literals.get(re.split(r"[\[<]", text, maxsplit=1)[0].strip())


def function_usage(function: FunctionInfo, analysis: FileAnalysis, module: str, specifier: str | None = None) -> str:
    r"""A README's call of ``function``, imported first where the language imports.

    Python imports it from its module. JavaScript imports it from ``specifier`` by name when it is a named
    export (``exports.x =``, ``export function x``), or as the default when it is the module's default
    export (``module.exports = escapeHtml``, ``export default``): bound to the name a caller gives an
    import of the package (``ms``, ``express``), or, imported from a file of it, the function's own name.
    Node's ``import`` reads a CommonJS module's default and named exports alike.

    Args:
        function: the function called.
        analysis: the analysis of the file that defines it (its language, exports and default export).
        module: the module's dotted name (Python's import path).
        specifier: what JavaScript imports the file as (``ms``, ``express/lib/router``); ``None`` to call
            it without an import.

    Returns:
        The example's code: an import line, then the call.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> analysis = analyze_source("module.exports = function (val, options) {}", "index.js")
        >>> print(function_usage(analysis.functions[0], analysis, "index", "ms"))
        import ms from "ms";
        let val;
        let options;
        ms(val, options);
        >>> analysis = analyze_source("exports.parse = function (str) { return 1 }", "lib/parse.js")
        >>> print(function_usage(analysis.functions[0], analysis, "lib.parse", "ms/lib/parse"))
        import { parse } from "ms/lib/parse";
        let str;
        const result = parse(str);
        >>> analysis = analyze_source("def want_bytes(s):\n    return s\n", "encoding.py")
        >>> print(function_usage(analysis.functions[0], analysis, "itsdangerous.encoding"))
        from itsdangerous.encoding import want_bytes
        s = ...
        result = want_bytes(s)
    """
    language = analysis.language
    if language == "python":
        return f"from {module} import {function.name}\n{example_call(function, language)}"
    if specifier is None or language not in _JAVASCRIPT:
        return example_call(function, language)
    imported = _javascript_import(function.name, analysis, specifier)
    if imported is None:
        return example_call(function, language)
    line, binding = imported
    return f"{line}\n{example_call(function, language, binding)}"


def doc_example(docstring: str | None, language: str) -> tuple[str, str] | None:
    r"""The first code example a docstring gives, as its author wrote it.

    Read through :func:`~codescribe.engine.markdown.doc_parts`: a Python docstring's ``Examples:``
    (doctest lines kept), JSDoc's ``@example``, rustdoc's and Markdown's fenced blocks (the lines
    rustdoc hides left out). Blocks in another language (``text``, ``console``, ``toml`` ...) are
    passed over, as are Rust examples marked ``ignore`` or ``compile_fail``.

    Args:
        docstring: the docstring or doc comment, cleaned; ``None`` for none.
        language: the language of the file it comes from.

    Returns:
        ``(fence language, code)``; ``None`` when it gives no example.

    Examples:
        >>> doc_example("Encode a domain.\n\nExamples:\n    >>> encode('a.b')\n    b'a.b'", "python")
        ('python', ">>> encode('a.b')\nb'a.b'")
        >>> doc_example("Print it.\n\n```\nlet mut buffer = itoa::Buffer::new();\n# let x = 1;\n```", "rust")
        ('rust', 'let mut buffer = itoa::Buffer::new();')
        >>> doc_example("Run it.\n\n```console\n$ cargo run\n```", "rust") is None
        True
    """
    if not docstring:
        return None
    for block in _FENCED.finditer(doc_parts(docstring, language).text):
        info = block["info"].strip().lower()
        name = info.split(",")[0].strip() if info else fence_name(language)
        if name in _CODE_FENCES and block["code"].strip() and not {"ignore", "compile_fail"} & set(info.split(",")):
            return _CODE_FENCES[name], block["code"].strip("\n")
    return None


def is_deprecated(item: FunctionInfo | ClassInfo) -> bool:
    r"""Whether the code marks ``item`` deprecated: a ``deprecated`` decorator or attribute (Python's
    ``@deprecated``, Java's ``@Deprecated``, Rust's ``#[deprecated]``), or its docs say so (JSDoc
    ``@deprecated``, Go's ``Deprecated:`` paragraph, Sphinx's ``.. deprecated::``).

    Args:
        item: a function or a class.

    Returns:
        ``True`` when a README should not show it as the way to use the code.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> code = "def old():\n    '''Deprecated: use new.'''\n\ndef new():\n    '''Do it.'''\n"
        >>> [is_deprecated(f) for f in analyze_source(code, "a.py").functions]
        [True, False]
    """
    if any(decorator.split("(")[0].rsplit(".", 1)[-1].lower() == "deprecated" for decorator in item.decorators):
        return True
    return bool(item.docstring and _DEPRECATED.search(item.docstring))


def shows_use(cls: ClassInfo) -> bool:
    r"""Whether a class is one a README shows being made: a public class (not an interface, a type alias,
    an enum or a nested class) that is not an error, made with at most three arguments, with a public
    method to call.

    Args:
        cls: the class.

    Returns:
        ``True`` for a class :func:`class_usage` writes an example of.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> [shows_use(c) for c in analyze_source(
        ...     "class Client:\n    def get(self, url):\n        pass\n\nclass BadURL(Exception):\n    pass\n", "c.py"
        ... ).classes]
        [True, False]
    """
    constructor = _constructor(cls)
    required = [p for p in constructor.parameters if p.default is None] if constructor else []
    return (
        cls.is_public
        and cls.kind == "class"
        and "." not in cls.name
        and not _ERROR_NAME.search(cls.name)
        and len(required) <= _MOST_ARGUMENTS
        and _method(cls) is not None
    )


def class_usage(cls: ClassInfo, analysis: FileAnalysis, module: str, specifier: str | None = None) -> str:
    r"""A README's example of a class: imported, made with its constructor's required arguments, and its
    main method called (the documented public instance method with the shortest name).

    Python and JavaScript/TypeScript; other languages' classes get no example (``""``).

    Args:
        cls: a class for which :func:`shows_use` holds.
        analysis: the analysis of the file that defines it (its language, exports and default export).
        module: the module's dotted name (Python's import path).
        specifier: what JavaScript imports the file as (``commander``, ``express/lib/router``).

    Returns:
        The example's code: an import line, the instance made, then the call; ``""`` for another language.

    Examples:
        >>> from codescribe.engine.analysis import analyze_source
        >>> code = "class Client:\n    def __init__(self, base_url: str, *, timeout=5):\n        pass\n"
        >>> code += '    def get(self, url):\n        "Send a GET request."\n        return url\n'
        >>> analysis = analyze_source(code, "httpx/_client.py")
        >>> print(class_usage(analysis.classes[0], analysis, "httpx"))
        from httpx import Client
        client = Client("...")
        url = ...
        result = client.get(url)
        >>> analysis = analyze_source("export class Command {\n  parse(argv: string[]) {}\n}\n", "index.ts")
        >>> print(class_usage(analysis.classes[0], analysis, "index", "commander"))
        import { Command } from "commander";
        const command = new Command();
        command.parse([]);
    """
    language = analysis.language
    method = _method(cls)
    if method is None or (language != "python" and language not in _JAVASCRIPT):
        return ""
    constructor = _constructor(cls)
    python = language == "python"
    instance = _instance_name(cls.name, python)
    if python:
        made = example_call(constructor, language, cls.name) if constructor else f"{cls.name}()"
        *before, made = made.split("\n")
        call = example_call(method, language, f"{instance}.{method.name}")
        return "\n".join(
            [f"from {module} import {cls.name}", *before, f"{instance} = {made.removeprefix('result = ')}", call]
        )
    imported = None if specifier is None else _javascript_import(cls.name, analysis, specifier)
    binding = cls.name if imported is None else imported[1]
    made = example_call(constructor, language, binding) if constructor else f"{binding}();"
    *before, made = made.split("\n")
    lines = [*before, f"const {instance} = new {made.removeprefix('const result = ')}"]
    lines.append(example_call(method, language, f"{instance}.{method.name}"))
    return "\n".join([imported[0], *lines] if imported else lines)


def _constructor(cls: ClassInfo) -> FunctionInfo | None:
    return next((m for m in cls.methods if m.name in ("__init__", "constructor")), None)


def _method(cls: ClassInfo) -> FunctionInfo | None:
    """The method a class's example calls: public, on an instance, documented first, then the shortest name."""
    methods = [
        m
        for m in cls.methods
        if m.is_public
        and not m.is_property
        and not m.name.startswith("_")
        and m.name != "constructor"
        and not _CLASS_LEVEL.intersection(m.decorators)
    ]
    return min(methods, key=lambda m: (m.docstring is None, len(m.name), m.name), default=None)


def _instance_name(name: str, python: bool) -> str:
    """``client`` for ``Client``, ``http_client`` (Python) or ``httpClient`` for ``HTTPClient``."""
    words: list[str] = re.findall(r"[A-Z]+(?=[A-Z][a-z0-9]|$)|[A-Z]?[a-z0-9]+|[A-Z]+", name) or [name]
    if python:
        return "_".join(word.lower() for word in words)
    return words[0].lower() + "".join(word.capitalize() for word in words[1:])


def _javascript_import(name: str, analysis: FileAnalysis, specifier: str) -> tuple[str, str] | None:
    """``(import line, binding)`` for ``name`` from ``specifier``: the default export bound to the name a caller
    gives an import of the package (or, from one of its files, its own name), else a named import; ``None``
    when the module does not export it."""
    if name in ("default", analysis.default_export):
        package = specifier.count("/") == specifier.startswith("@")  # "ms", "@scope/pkg": not one of its files
        binding = import_binding(specifier) if name == "default" or package else name
        return f'import {binding} from "{specifier}";', binding
    if name in analysis.exports:
        return f'import {{ {name} }} from "{specifier}";', name
    return None


def _overload_arguments(signature: str) -> list[str]:
    """The required parameters' names of an overload's signature (``isMatching<P>(pattern: P): boolean``)."""
    start, depth = 0, 0
    if -1 < signature.find("<") < signature.find("("):  # past the type parameters, which hold parentheses too
        for index, char in enumerate(signature):
            depth += (char == "<") - (char == ">")
            if char == ">" and depth == 0:
                start = index
                break
    start = signature.find("(", start)
    depth, parameters, current = 0, [], ""
    for char in signature[start + 1 :]:
        if char in "([{<" or (char == ")" and depth):
            depth += 1 if char in "([{<" else -1
        elif char in "]}>":
            depth -= 1
        elif char == ")":
            break
        if char == "," and depth == 0:
            parameters.append(current)
            current = ""
        else:
            current += char
    parameters.append(current)
    required = [part for part in parameters if not re.search(r"(?<![=!<>])=(?![=>])", part)]  # no default
    names = [re.match(r"\s*(\.\.\.|\*{1,2})?\s*([A-Za-z_$][\w$]*)\s*(\?)?", part) for part in required]
    return [m[2] for m in names if m and m[2] not in ("self", "cls") and not (m[1] or m[3])]


def _argument(name: str, python: bool) -> str:
    """The variable an example passes for a parameter: ``s`` for Python's positional-only ``__s`` convention."""
    return name.lstrip("_") or name if python and name.startswith("__") and not name.endswith("__") else name
