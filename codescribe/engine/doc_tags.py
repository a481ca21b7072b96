"""Facts a doc comment states, taken from the code: JSDoc ``@param`` tags and what a generator yields.

The JSDoc forms follow https://jsdoc.app (``@param``, optional ``[name]`` and ``[name=default]``,
variadic ``{...T}``, ``@yields``) and the names eslint-plugin-jsdoc gives a destructured
parameter (``root0``, its properties ``root0.key``), which its ``check-param-names`` rule expects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .analysis.model import Parameter

__all__ = ["jsdoc_params", "split_top", "yielded_type"]

#: ``Generator<T, ...>``, ``AsyncIterable<T>``, ``Iterator[T]``, ``collections.abc.Generator[T, ...]``...
_ITERATOR = re.compile(
    r"^(?:typing\.|collections\.abc\.|t\.)?(?:Async)?(?:Generator|IterableIterator|Iterator|Iterable)\s*[<\[](.*)[>\]]$",
    re.DOTALL,
)
_NUMBER = re.compile(r"^-?(?:0[xXoObB][\da-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)n?$")
_STRING = re.compile(r"""^(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`$]*`)$""")
_KEY = re.compile(r"^[A-Za-z_$][\w$]*$")
#: ``'a`` not closed as a string (``'a'``) is a Rust lifetime where :func:`_top_level` expects one.
_LIFETIME = re.compile(r"'[A-Za-z_]\w*(?!['\w])")


def yielded_type(returns: str | None) -> str | None:
    """The type a generator yields, read from its declared return type.

    Args:
        returns: the declared return type (TypeScript's ``Generator<T>``, Python's ``Iterator[T]``).

    Returns:
        the first type argument of a generator, iterator or iterable type; ``None`` otherwise.

    Examples:
        >>> yielded_type("Generator<number, void, unknown>"), yielded_type("Iterator[tuple[str, int]]")
        ('number', 'tuple[str, int]')
        >>> yielded_type("AsyncIterable<string>"), yielded_type("number") is None
        ('string', True)
    """
    found = _ITERATOR.match((returns or "").strip())
    if found is None:
        return None
    first = split_top(found.group(1), ",")
    return first[0] if first and first[0] else None


def jsdoc_params(parameters: Iterable[Parameter]) -> list[str]:
    """What follows ``@param`` for each parameter, in order.

    A parameter's type is its annotation, or the type of a literal default (``"a"``, ``2``,
    ``true``); a rest parameter's is variadic (``{...number}``); an optional one is ``[name]``
    and one with a default ``[name=default]``. A destructured parameter is ``root0`` (then
    ``root1``), followed by a tag per property it takes, typed from an object type literal.

    Args:
        parameters: the function's parameters (:attr:`FunctionInfo.parameters`).

    Returns:
        one string per tag, such as ``{number} [times=2]``.

    Examples:
        >>> jsdoc_params([Parameter("name", None, '"world"'), Parameter("values", "number[]", None, "var_positional")])
        ['{string} [name="world"]', '{...number} values']
        >>> jsdoc_params([Parameter("{ host, port = 80 }", "{ host: string; port?: number }")])
        ['{{ host: string; port?: number }} root0', '{string} root0.host', '{number} [root0.port=80]']
        >>> jsdoc_params([Parameter("options", "Options", "undefined")])
        ['{Options} [options]']
    """
    tags, roots = [], 0
    for parameter in parameters:
        if parameter.name[:1] in "{[":
            root = f"root{roots}"
            roots += 1
            pattern_type = parameter.annotation or ("object" if parameter.name.startswith("{") else "Array")
            tags.append(_tag(pattern_type, root, parameter.default))
            if parameter.name.startswith("{"):
                types = _member_types(parameter.annotation)
                keys = _pattern_keys(parameter.name)
                tags += [_tag(types.get(key), f"{root}.{key}", default) for key, default in keys]
            continue
        if parameter.kind == "var_positional":
            tags.append(_tag(_rest_type(parameter.annotation), parameter.name, None))
        else:
            kind = parameter.annotation or _literal_type(parameter.default)
            tags.append(_tag(kind, parameter.name, parameter.default))
    return tags


def _tag(kind: str | None, name: str, default: str | None) -> str:
    typed = f"{{{kind}}} " if kind else ""
    if default is None:
        return f"{typed}{name}"
    if default == "undefined":
        return f"{typed}[{name}]"
    if "]" in default or "\n" in default:  # the bracket form cannot hold it
        return f"{typed}[{name}] - defaults to {default}"
    return f"{typed}[{name}={default}]"


def _literal_type(default: str | None) -> str | None:
    """The type of a literal default value; ``None`` when it is no literal."""
    if default is None:
        return None
    if _STRING.match(default):
        return "string"
    if _NUMBER.match(default):
        return "number" if not default.endswith("n") else "bigint"
    return "boolean" if default in ("true", "false") else None


def _rest_type(annotation: str | None) -> str:
    """A rest parameter's JSDoc type: ``...T`` for ``T[]`` and ``Array<T>``, ``...*`` when untyped."""
    if annotation is None:
        return "...*"
    text = annotation.strip().removeprefix("readonly ").strip()
    if text.endswith("[]") and _balanced(text[:-2]):
        return f"...{text[:-2]}"
    array = re.match(r"^(?:Readonly)?Array<(.*)>$", text, re.DOTALL)
    if array is not None and _balanced(array.group(1)):
        return f"...{array.group(1)}"
    return annotation


def _member_types(annotation: str | None) -> dict[str, str]:
    """``{ host: string; port?: number }`` → ``{"host": "string", "port": "number"}`` (an object type literal)."""
    text = (annotation or "").strip()
    if not (text.startswith("{") and text.endswith("}")):
        return {}
    types = {}
    for member in split_top(text[1:-1], ";,"):
        key, colon, kind = member.partition(":")
        key = key.strip().removeprefix("readonly ").strip().rstrip("?").strip()
        if colon and _KEY.match(key) and kind.strip():
            types[key] = kind.strip()
    return types


def _pattern_keys(pattern: str) -> list[tuple[str, str | None]]:
    """The properties an object pattern takes, each with its default (``{ a, b: c = 1 }`` → a, b=1)."""
    keys = []
    for item in split_top(pattern.strip()[1:-1], ","):
        if not item or item.startswith("..."):
            continue
        target, equals, default = _split_default(item)
        key = target.partition(":")[0].strip()
        if _KEY.match(key):
            keys.append((key, default.strip() if equals else None))
    return keys


def _split_default(item: str) -> tuple[str, bool, str]:
    """``key: alias = default`` → (``key: alias``, True, ``default``), at the top level only."""
    for index, char in _top_level(item):
        if char == "=" and item[index + 1 : index + 2] not in (">", "=") and item[index - 1 : index] not in "=!<>":
            return item[:index], True, item[index + 1 :]
    return item, False, ""


def split_top(text: str, separators: str) -> list[str]:
    """``text`` split at ``separators`` outside brackets and strings, each part stripped.

    Args:
        text: a parameter list, a type's members, a destructuring pattern's inside.
        separators: the characters to split at (``","``, or ``";,"`` for an object type's members).

    Returns:
        The non-empty parts, in order.

    Examples:
        >>> split_top("a: Map<string, number>, b = f(1, 2), c = 'x,y'", ",")
        ['a: Map<string, number>', 'b = f(1, 2)', "c = 'x,y'"]
        >>> split_top("in <-chan int, done chan<- bool, f: impl Fn(u8) -> u8, s: &'a str, n = x < y", ",")
        ['in <-chan int', 'done chan<- bool', 'f: impl Fn(u8) -> u8', "s: &'a str", 'n = x < y']
    """
    parts, start = [], 0
    for index, char in _top_level(text):
        if char in separators:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def _top_level(text: str) -> Iterator[tuple[int, str]]:
    """Each character of ``text`` outside brackets and strings, with its index.

    ``<`` opens as a type's brackets do (``Map<K``, ``::<T``), not as ``x < y``, ``a << b``, Go's ``<-chan`` or
    ``chan<-``; ``>`` closes only an open ``<``, and never in ``=>`` or ``->``; a Rust lifetime's ``'`` (after
    ``&``, ``<`` or ``+``, or inside ``<...>``) opens no string.
    """
    opened: list[str] = []
    quote, skip_to = "", 0
    for index, char in enumerate(text):
        if index < skip_to:
            continue
        if quote:
            quote = "" if char == quote and text[index - 1] != "\\" else quote
        elif (
            char == "'"
            and (text[:index].rstrip().endswith(("&", "<", "+")) or opened[-1:] == ["<"])
            and (lifetime := _LIFETIME.match(text, index))
        ):
            skip_to = lifetime.end()
        elif char in "\"'`":
            quote = char
        elif char in "([{" or (char == "<" and _opens_type(text, index)):
            opened.append(char)
        elif char in ")]}":
            while opened and opened.pop() == "<":  # a `<` left open inside closes with its bracket
                pass
        elif char == ">" and opened and opened[-1] == "<" and text[index - 1] not in "=-":
            opened.pop()
        elif not opened:
            yield index, char


def _opens_type(text: str, index: int) -> bool:
    """Whether the ``<`` at ``index`` opens type arguments: right after a name or ``::``, not ``<<`` ``<=`` ``<-``."""
    before, after = text[index - 1 : index], text[index + 1 : index + 2]
    return bool(before) and (before.isalnum() or before in "_$:") and after not in ("<", "=", "-", " ", "")


def _balanced(text: str) -> bool:
    """Whether every bracket ``text`` opens it closes (a ``<`` only where it opens type arguments)."""
    depth = 0
    for index, char in enumerate(text):
        opens = char in "([{" or (char == "<" and _opens_type(text, index))
        depth += opens - (char in ")]}" or (char == ">" and text[index - 1 : index] not in ("=", "-")))
        if depth < 0:
            return False
    return depth == 0
