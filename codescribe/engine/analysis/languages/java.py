"""Java declarations: classes, interfaces, enums and records (nested ones too), with their methods and fields."""

from __future__ import annotations

import contextlib
import functools
import re
import textwrap
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from codescribe.engine.analysis.languages import Context, Extraction, LanguageSpec, clean_comments, type_name, unique
from codescribe.engine.analysis.model import (
    ClassInfo,
    FunctionInfo,
    ImportInfo,
    Parameter,
    VariableInfo,
    VariableKind,
)

if TYPE_CHECKING:
    from tree_sitter import Node

SPEC = LanguageSpec(
    branches=(
        "if_statement",
        "for_statement",
        "enhanced_for_statement",
        "while_statement",
        "do_statement",
        "catch_clause",
        "ternary_expression",
    ),
    returns=("return_statement",),
    throws=("throw_statement",),
    # A class body inside a method is an anonymous or local class: its returns are its own.
    nested_functions=("lambda_expression", "class_body"),
    comments=("line_comment", "block_comment"),
    # "case X:" and "case X ->" arms; "default" is not a branch of its own.
    extra_patterns='(switch_label "case") @branch',
)

_TYPE_KINDS = {
    "class_declaration": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "record_declaration": "record",
    "annotation_type_declaration": "annotation",
}
_METHODS = frozenset(
    {
        "method_declaration",
        "constructor_declaration",
        "compact_constructor_declaration",
        "annotation_type_element_declaration",  # String value() default "";
    }
)
_FIELDS = frozenset({"field_declaration", "constant_declaration"})
#: What a signature leaves out of the header: annotations (they are the ``decorators``) and comments.
_NOT_SIGNATURE = frozenset({"marker_annotation", "annotation", "line_comment", "block_comment"})


def _is_javadoc(text: str) -> bool:
    return text.startswith("/**") and text != "/**/"


def _javadoc(ctx: Context, node: Node) -> str | None:
    """A declaration's doc comment as javac finds it: the nearest ``/** */`` before it.

    Other comments and blank lines may stand between the two (javac hands a declaration the last doc
    comment read before its first token); any other node before it ends the search.
    """
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type in ctx.comment_types:
        text = ctx.text(sibling)
        if _is_javadoc(text):
            return clean_javadoc(text)
        sibling = sibling.prev_named_sibling
    return None


#: ``\uXXXX`` (any number of ``u``) where the backslash is not itself escaped: Java reads it as the character.
_UNICODE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u+([0-9a-fA-F]{4})")


def clean_javadoc(text: str) -> str | None:
    r"""The words of a ``/** */`` comment as javac reads them, without its markers and ``*`` gutter.

    Each line loses the run of ``*`` that starts it (after indentation); the lines are then
    dedented together and the whole stripped. Unicode escapes (``\u00e9``) are read as the
    characters they stand for, as the compiler reads every part of a Java file.

    Args:
        text: the comment as written, ``/**`` to ``*/``.

    Returns:
        The comment's text; ``None`` when nothing is left.

    Examples:
        >>> clean_javadoc("/**\n * Adds.\n **\n * <pre>\n *   add(1, 2) = 3\n * </pre>\n */")
        'Adds.\n\n<pre>\n  add(1, 2) = 3\n</pre>'
        >>> clean_javadoc("/** The {@code '\\u00e9'} letter. */"), clean_javadoc("/** */")
        ("The {@code 'é'} letter.", None)
    """
    lines = []
    for index, line in enumerate(text.removeprefix("/**").removesuffix("*/").split("\n")):
        stripped = line.lstrip(" \t\f") if index else line  # "/***" starts a doc comment as "/**" does
        lines.append((stripped.lstrip("*") if stripped.startswith("*") else line).rstrip())
    words = textwrap.dedent("\n".join(lines)).strip()
    words = _UNICODE_ESCAPE.sub(lambda match: match.group(1) + chr(int(match.group(2), 16)), words)
    with contextlib.suppress(UnicodeDecodeError):  # a pair of escaped surrogates is one character
        words = words.encode("utf-16", "surrogatepass").decode("utf-16")
    return words or None


def _is_api(keywords: set[str], in_interface: bool) -> bool:
    """Whether javadoc documents a member: ``public`` or ``protected``, or any non-private member of an interface."""
    return bool(keywords & {"public", "protected"}) or (in_interface and "private" not in keywords)


def extract(ctx: Context) -> Extraction:
    r"""Read the types, methods, fields, imports and public top-level types of one Java file.

    Classes, interfaces, enums, records and annotation types are read with their methods and
    constructors (a constructor is named after its class), their fields and enum constants (as
    ``attributes``: ``constant`` for a ``static final`` field or an interface's, ``field`` for another,
    ``enum_member`` for an enum constant); nested types follow their outer type, named
    ``Outer.Inner``. Java has no top-level functions, so ``functions`` stays empty. A method's
    ``raises`` lists its ``throws`` clause and the ``throw new X(...)`` in its body; its
    ``declaration`` is its header as written, without annotations and comments. ``is_public`` is
    what javadoc documents: ``public`` and ``protected`` members, and an interface's members unless
    ``private``. The comment before ``package`` is the module docstring (else a leading comment that
    is not the first type's Javadoc); a declaration's doc is the nearest ``/** */`` block before it,
    as javac finds it (other comments and blank lines may come between).

    Args:
        ctx: the parsed file, with the captures of :data:`SPEC`'s query.

    Returns:
        What the file declares; exports are its ``public`` top-level types.

    Examples:
        >>> import tree_sitter as ts, tree_sitter_java as tsjava
        >>> from codescribe.engine.analysis.languages import Context
        >>> grammar = ts.Language(tsjava.language())
        >>> data = b"package calc;\n\nimport java.util.List;\n\n/** Adds. */\n"
        >>> data += b"public class Calc {\n  public int add(int a, int b) throws java.io.IOException {\n"
        >>> data += b"    return a + b;\n  }\n}\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> found = extract(Context(data, root, captures, SPEC.comments))
        >>> [(cls.name, cls.docstring, [method.qualname for method in cls.methods]) for cls in found.classes]
        [('Calc', 'Adds.', ['Calc.add'])]
        >>> found.classes[0].methods[0].raises, found.exports, found.imports[0].names
        (('IOException',), ['Calc'], ('List',))
        >>> data = b"public enum Mode {\n  /** Fast. */\n  FAST,\n  SLOW;\n  public static final int MAX = 3;\n}\n"
        >>> root = ts.Parser(grammar).parse(data).root_node
        >>> captures = ts.QueryCursor(ts.Query(grammar, SPEC.query_source())).captures(root)
        >>> mode = extract(Context(data, root, captures, SPEC.comments)).classes[0]
        >>> [(v.name, v.kind, v.docstring) for v in mode.attributes]
        [('FAST', 'enum_member', 'Fast.'), ('SLOW', 'enum_member', None), ('MAX', 'constant', None)]
    """
    out = Extraction()
    package: Node | None = None
    for node in ctx.root.named_children:
        if node.type == "package_declaration":
            package = node
        elif node.type == "import_declaration":
            out.imports.append(_import(ctx, node))
        elif node.type in _TYPE_KINDS:
            out.classes += _types(ctx, node, prefix="", in_interface=False)
            if "public" in _modifiers(ctx, node)[0]:
                out.exports.append(ctx.text(node.child_by_field_name("name")))
    out.module_docstring = _module_docstring(ctx, package)
    return out


def _module_docstring(ctx: Context, package: Node | None) -> str | None:
    """The package's Javadoc as javadoc reads it: the ``/** */`` comment right before ``package``.

    A licence header is a plain ``/* */`` comment, so it is never taken for documentation. Without a
    ``package`` line, a leading Javadoc that no type claims.
    """
    if package is not None:
        sibling = package.prev_named_sibling
        if sibling is not None and sibling.type in ctx.comment_types and _is_javadoc(ctx.text(sibling)):
            return clean_comments([ctx.text(sibling)])
        return None
    block = [comment for comment in ctx.leading_comments() if _is_javadoc(ctx.text(comment))]
    following = block[-1].next_named_sibling if block else None
    if following is not None and following.type in _TYPE_KINDS and ctx.comments_above(following, _is_javadoc)[0]:
        return None  # that comment is the first type's Javadoc
    return clean_comments(ctx.text(comment) for comment in block[-1:]) if block else None


def _import(ctx: Context, node: Node) -> ImportInfo:
    path = next((ctx.flat(child) for child in node.named_children if child.type != "asterisk"), "")
    wildcard = any(child.type == "asterisk" for child in node.named_children)
    return ImportInfo(path, ("*",) if wildcard else (path.rsplit(".", 1)[-1],), node.start_point.row + 1)


def _modifiers(ctx: Context, node: Node) -> tuple[set[str], list[str]]:
    """A declaration's keyword modifiers (public, static, ...) and its annotations without the ``@``."""
    keywords: set[str] = set()
    annotations: list[str] = []
    for modifiers in node.children:
        if modifiers.type != "modifiers":
            continue
        for child in modifiers.children:
            if child.type in ("marker_annotation", "annotation"):
                annotations.append(ctx.flat(child).removeprefix("@"))
            elif not child.is_named:
                keywords.add(child.type)
    return keywords, annotations


def _types(ctx: Context, node: Node, prefix: str, in_interface: bool) -> list[ClassInfo]:
    """A type declaration and the types nested in it, nested ones named ``Outer.Inner``."""
    name = prefix + ctx.text(node.child_by_field_name("name"))
    kind = _TYPE_KINDS[node.type]
    keywords, annotations = _modifiers(ctx, node)
    body = node.child_by_field_name("body")
    members = body.named_children if body is not None else []
    for member in list(members):
        if member.type == "enum_body_declarations":  # an enum's fields and methods follow its constants
            members += member.named_children
    interface = kind in ("interface", "annotation")  # whose members are public unless private
    methods: list[FunctionInfo] = []
    attributes: list[VariableInfo] = []
    nested: list[ClassInfo] = []
    for member in members:
        if member.type in _METHODS:
            methods.append(_method(ctx, member, name, interface, node.child_by_field_name("parameters")))
        elif member.type in _FIELDS:
            attributes += _fields(ctx, member, interface)
        elif member.type == "enum_constant":
            arguments = member.child_by_field_name("arguments")
            attributes.append(
                VariableInfo(
                    name=ctx.text(member.child_by_field_name("name")),
                    kind="enum_member",
                    value=ctx.flat(arguments) or None,
                    line=member.start_point.row + 1,
                    docstring=_javadoc(ctx, member),
                )
            )
        elif member.type in _TYPE_KINDS:
            nested += _types(ctx, member, f"{name}.", interface)
    info = ClassInfo(
        name=name,
        bases=tuple(_bases(ctx, node)),
        methods=tuple(methods),
        start_line=node.start_point.row + 1,
        end_line=node.end_point.row + 1,
        docstring=_javadoc(ctx, node),
        is_public=_is_api(keywords, in_interface),
        decorators=tuple(annotations),
        kind=kind,
        attributes=tuple(attributes),
    )
    return [info, *nested]


def _fields(ctx: Context, node: Node, in_interface: bool) -> list[VariableInfo]:
    """The fields one declaration declares (``int a, b[];`` declares two), with its type and doc."""
    keywords, _ = _modifiers(ctx, node)
    kind: VariableKind = "constant" if in_interface or {"static", "final"} <= keywords else "field"
    declared = ctx.flat(node.child_by_field_name("type"))
    docstring = _javadoc(ctx, node)
    found: list[VariableInfo] = []
    for declarator in node.children_by_field_name("declarator"):
        found.append(
            VariableInfo(
                name=ctx.text(declarator.child_by_field_name("name")),
                kind=kind,
                annotation=(declared + ctx.flat(declarator.child_by_field_name("dimensions"))) or None,
                value=ctx.flat(declarator.child_by_field_name("value")) or None,
                line=declarator.start_point.row + 1,
                docstring=docstring,
                is_public=_is_api(keywords, in_interface),
            )
        )
    return found


def _bases(ctx: Context, node: Node) -> list[str]:
    bases: list[str] = []
    for child in node.named_children:
        if child.type == "superclass":
            bases += [ctx.flat(n) for n in child.named_children]
        elif child.type in ("super_interfaces", "extends_interfaces"):
            for types in child.named_children:
                bases += [ctx.flat(n) for n in types.named_children] if types.type == "type_list" else [ctx.flat(types)]
    return bases


def _parameters(ctx: Context, node: Node | None) -> tuple[Parameter, ...]:
    found: list[Parameter] = []
    for child in node.named_children if node is not None else []:
        if child.type == "formal_parameter":
            annotation = ctx.flat(child.child_by_field_name("type")) + ctx.flat(child.child_by_field_name("dimensions"))
            found.append(Parameter(ctx.text(child.child_by_field_name("name")), annotation or None))
        elif child.type == "spread_parameter":  # String... notes
            types = [ctx.flat(n) for n in child.named_children if n.type not in ("modifiers", "variable_declarator")]
            declarator = next((n for n in child.named_children if n.type == "variable_declarator"), None)
            name = ctx.text(declarator.child_by_field_name("name")) if declarator is not None else ""
            found.append(Parameter(name, " ".join(types) or None, None, "var_positional"))
    return tuple(found)


def _takes(ctx: Context, handler: Node, raised: str) -> bool:
    """Whether a ``catch (A | B e)`` takes ``raised``: a type it lists, ``Throwable``, or ``Exception``
    for a class not named as an ``Error`` (those derive from ``Error``, which ``Exception`` does not take)."""
    parameter = next((child for child in handler.named_children if child.type == "catch_formal_parameter"), None)
    children = parameter.named_children if parameter is not None else []
    types = next((child for child in children if child.type == "catch_type"), None)
    listed = {type_name(ctx.flat(t)) for t in types.named_children} if types is not None else set()
    return raised in listed or "Throwable" in listed or ("Exception" in listed and not raised.endswith("Error"))


def _method(ctx: Context, node: Node, owner: str, in_interface: bool, components: Node | None) -> FunctionInfo:
    """A method or constructor; ``components`` are a record's, the parameters of its compact constructor."""
    keywords, annotations = _modifiers(ctx, node)
    if node.type != "compact_constructor_declaration":
        components = None  # only a compact constructor takes its record's components for parameters
    parameters = node.child_by_field_name("parameters") if components is None else components
    name = ctx.text(node.child_by_field_name("name")) or owner.rsplit(".", 1)[-1]
    returns = ctx.flat(node.child_by_field_name("type")) or None
    body = node.child_by_field_name("body")
    # An abstract or interface method has no body: its declared type says whether it returns something.
    returns_value = returns not in (None, "void") if body is None else ctx.returns_value(node)
    raises = [
        type_name(ctx.flat(thrown))
        for clause in node.named_children
        if clause.type == "throws"
        for thrown in clause.named_children
    ]
    for throw in ctx.throws(node):
        created = throw.named_children[0] if throw.named_child_count else None
        if created is not None and created.type == "object_creation_expression":
            raised = type_name(ctx.flat(created.child_by_field_name("type")))
            if not ctx.caught(throw, node, functools.partial(_takes, ctx, raised=raised)):
                raises.append(raised)
    return FunctionInfo(
        name=name,
        qualname=f"{owner}.{name}",
        parameters=_parameters(ctx, parameters),
        returns=returns,
        decorators=tuple(annotations),
        start_line=node.start_point.row + 1,
        end_line=node.end_point.row + 1,
        docstring=_javadoc(ctx, node),
        complexity=ctx.complexity(node),
        is_public=_is_api(keywords, in_interface),
        is_method=True,
        returns_value=returns_value,
        raises=tuple(sorted(unique(raises))),
        declaration=_declaration(ctx, node, components),
    )


def _declaration(ctx: Context, node: Node, components: Node | None = None) -> str:
    """The header as written, up to the body, without annotations (they are the ``decorators``) or comments.

    An annotation element's ``default`` value is left out; a compact constructor is given its
    record's components (``public Point`` is ``public Point(int x, int y)``), as javadoc shows it.
    """
    body = node.child_by_field_name("body")
    end = body.start_byte if body is not None else node.end_byte
    default = next((child for child in node.children if child.type == "default"), None)
    if default is not None:
        end = default.start_byte
    header = bytearray(ctx.data[node.start_byte : end])
    pending = [node]
    while pending:
        current = pending.pop()
        if current.start_byte >= end:
            continue
        if current.type in _NOT_SIGNATURE:  # blanked out, so that it leaves a space
            start, stop = current.start_byte - node.start_byte, min(current.end_byte, end) - node.start_byte
            header[start:stop] = b" " * (stop - start)
        else:
            pending += current.children
    text = " ".join(header.decode("utf-8", "replace").split())
    if components is not None:
        text += _declaration(ctx, components)
    text = re.sub(r"(?<=[<(\[]) | (?=[>),\]])", "", text)  # where a cut annotation leaves a gap
    return text.removesuffix(";").strip()


class _Index:
    """A project's Java files by class name and by folder, for resolving imports by path suffix."""

    def __init__(self, modules: Mapping[str, str]) -> None:
        self.by_stem: dict[str, list[str]] = {}
        self.by_folder: dict[str, list[str]] = {}
        for name, path in modules.items():
            if not path.endswith(".java"):
                continue
            relative = PurePosixPath(path).with_suffix("")
            self.by_stem.setdefault(relative.name, []).append(name)
            self.by_folder.setdefault(relative.parent.name, []).append(name)
        self.modules = modules


_last_index: list[_Index] = []


def _index(modules: Mapping[str, str]) -> _Index:
    """The index of ``modules``, built once per project (the import graph asks once per import)."""
    if not _last_index or _last_index[0].modules is not modules:
        _last_index[:] = [_Index(modules)]
    return _last_index[0]


def _matches(path: str, suffix: str) -> bool:
    """Whether a file's path without ``.java`` ends with the folders and name of ``suffix``."""
    stem = path.removesuffix(".java")
    return stem == suffix or stem.endswith("/" + suffix)


def import_targets(imported: ImportInfo, path: str, modules: Mapping[str, str], root: Path) -> list[str]:
    """The project's files one Java import names, matched by path suffix under any source root.

    The rule, in order:

    - ``import a.b.*;`` names every file of a folder ending with ``a/b`` (the package); when no such
      folder holds a file, it is ``import static a.b.*;`` and names ``a/b.java`` (a class's members);
    - ``import a.b.C;`` names a file ending with ``a/b/C.java``; when there is none, the last name is
      dropped and the rest tried again, so that ``import a.b.C.Inner;`` (a nested type) and ``import
      static a.b.C.member;`` name ``a/b/C.java``, the outermost type's file.

    Names that match no file (the JDK's, a library's) name nothing. Every file that matches is
    named (the same package may sit under several source roots).

    Args:
        imported: one import, as :func:`extract` reads it (``module`` is the dotted name without ``*``).
        path: the importing file's path, relative to the project's root (imports in Java are absolute).
        modules: the project's modules: name (the path without ``.java``) -> relative path.
        root: the project's root (unused: files are matched by their relative paths).

    Returns:
        The module names of the files the import names, sorted.

    Examples:
        >>> modules = {
        ...     "src/main/java/org/x/io/IOUtils": "src/main/java/org/x/io/IOUtils.java",
        ...     "src/main/java/org/x/io/file/Counters": "src/main/java/org/x/io/file/Counters.java",
        ...     "src/main/java/org/x/io/file/PathUtils": "src/main/java/org/x/io/file/PathUtils.java",
        ... }
        >>> nested = ImportInfo("org.x.io.file.Counters.PathCounters", ("PathCounters",))
        >>> import_targets(nested, "A.java", modules, Path())
        ['src/main/java/org/x/io/file/Counters']
        >>> import_targets(ImportInfo("org.x.io.IOUtils.EOF", ("EOF",)), "A.java", modules, Path())
        ['src/main/java/org/x/io/IOUtils']
        >>> len(import_targets(ImportInfo("org.x.io.file", ("*",)), "A.java", modules, Path()))
        2
        >>> import_targets(ImportInfo("java.util.List", ("List",)), "A.java", modules, Path())
        []
    """
    index = _index(modules)
    parts = [part for part in imported.module.split(".") if part]
    if not parts:
        return []
    if imported.names == ("*",):
        folder = "/".join(parts)
        found = [m for m in index.by_folder.get(parts[-1], ()) if _matches(modules[m].rpartition("/")[0], folder)]
        if found:
            return sorted(found)
    while parts:
        suffix = "/".join(parts)
        found = [m for m in index.by_stem.get(parts[-1], ()) if _matches(modules[m], suffix)]
        if found:
            return sorted(found)
        parts.pop()
    return []
