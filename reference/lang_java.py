"""CodeScribe's Java analysis against javadoc's (the JDK's own documentation tool), member by member.

The reference is javadoc (JDK 17) running a small doclet, ``reference/java/JsonDoclet.java``, that
prints what javadoc documents as JSON: public and protected types and their members, each with its
kind, its signature rendered in source form from the ``javax.lang.model`` Element API, and its doc
comment (``Elements.getDocComment``); and each compilation unit's imports, resolved by javac to the
compilation units they name.

Records are keyed by qualified name: ``org.apache.commons.csv.CSVFormat.Builder`` for a type,
``...CSVFormat#format(Object...)`` for a method or constructor (its parameters' types by their simple
names, without type arguments, so that overloads are told apart), ``...CSVFormat.DEFAULT`` for a
field or enum constant. Fields compared:

- ``kind``: class, interface, enum, record, annotation, constructor, method, field, constant (a
  ``static final`` field, an interface's fields included) or enum_constant;
- ``signature``: for constructors and methods the declaration (modifiers, type parameters, return
  type, name, parameters with ``final``, ``throws``), for fields ``Type name``;
- ``docstring``: the doc comment's text.

Import edges join files (paths relative to the project's root).
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from reference.harness import Edge, Package, Record

LANGUAGE = "java"
TOOL = "javadoc (JDK 17) with a JSON doclet (reference/java/JsonDoclet.java) over the javax.lang.model Element API"
NORMALISATIONS = (
    "Only what javadoc documents by default is compared: public and protected types, and their public "
    "and protected members (an interface's members are public); members the compiler adds (default "
    "constructors, an enum's values() and valueOf()) are left out, being in no source file.",
    "A signature is the declaration as the source writes it without annotations: the doclet prints the "
    "modifiers written in the source (from the declaration's tree, not the implied ones), the type "
    "parameters with their bounds, the return type, the name, each parameter as [final] Type name "
    "(Type... for varargs) and the throws clause; a field is Type name; types and enum constants have "
    "no signature compared.",
    "In signatures, types are named by their simple names (the Element API resolves java.util.Map.Entry "
    "where the source may write Map.Entry or Entry), type arguments are separated by ', ', and the "
    "modifiers are put in javax.lang.model's Modifier order (public protected private abstract default "
    "static final ...), on both sides.",
    "Doc comments are compared as text: javac's comment (Elements.getDocComment: without its '*' gutter) "
    "against CodeScribe's docstring, both through inspect.cleandoc (javac keeps the indentation of the "
    "lines after a first line written on the /** line); a missing comment is None.",
    "CodeScribe's 'enum_member' is called enum_constant; its fields are 'constant' when static final.",
    "Import edges are the explicit imports of types in the corpus, file to file: import a.b.C and "
    "import a.b.C.D (a nested type) name C's file, a static import names its class's file, import "
    "a.b.* names every file of package a.b; references to the same package without an import draw "
    "no edge (on both sides).",
)
FIELDS = ("kind", "signature", "docstring")

PACKAGES = (
    Package(
        name="commons-csv",
        version="1.9.0",
        registry="debian_source",
        registry_version="1.9.0-1",
        root="commons-csv-rel-commons-csv-1.9.0",
        include=("src/main/java/**/*.java",),
        slice=(
            "src/main/java/org/apache/commons/csv/CSVPrinter.java",
            "src/main/java/org/apache/commons/csv/Constants.java",
            "src/main/java/org/apache/commons/csv/QuoteMode.java",
            "src/main/java/org/apache/commons/csv/Token.java",
        ),
    ),
    Package(
        name="commons-io",
        version="2.11.0",
        registry="debian_source",
        registry_version="2.11.0-2",
        root="commons-io-2.11.0-src",
        include=("src/main/java/**/*.java",),
        slice=(
            "src/main/java/org/apache/commons/io/IOCase.java",
            "src/main/java/org/apache/commons/io/file/Counters.java",
            "src/main/java/org/apache/commons/io/file/CountingPathVisitor.java",
            "src/main/java/org/apache/commons/io/file/PathFilter.java",
            "src/main/java/org/apache/commons/io/filefilter/IOFileFilter.java",
            "src/main/java/org/apache/commons/io/filefilter/AbstractFileFilter.java",
            "src/main/java/org/apache/commons/io/filefilter/NameFileFilter.java",
            "src/main/java/org/apache/commons/io/input/BoundedReader.java",
            "src/main/java/org/apache/commons/io/output/NullOutputStream.java",
        ),
    ),
    Package(
        name="commons-lang3",
        version="3.12.0",
        registry="debian_source",
        registry_name="libcommons-lang3-java",
        registry_version="3.12.0-2+deb12u1",
        root="commons-lang-rel-commons-lang-3.12.0",
        include=("src/main/java/**/*.java",),
        slice=(
            "src/main/java/org/apache/commons/lang3/builder/Builder.java",
            "src/main/java/org/apache/commons/lang3/builder/Diff.java",
            "src/main/java/org/apache/commons/lang3/function/FailableFunction.java",
            "src/main/java/org/apache/commons/lang3/tuple/ImmutablePair.java",
            "src/main/java/org/apache/commons/lang3/tuple/MutablePair.java",
            "src/main/java/org/apache/commons/lang3/tuple/Pair.java",
        ),
    ),
)

HERE = Path(__file__).resolve().parent
DOCLET = HERE / "java" / "JsonDoclet.java"
_MODIFIERS = (
    "public",
    "protected",
    "private",
    "abstract",
    "default",
    "static",
    "sealed",
    "non-sealed",
    "final",
    "transient",
    "volatile",
    "synchronized",
    "native",
    "strictfp",
)
_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)
_QUALIFIED = re.compile(r"\b(?:[A-Za-z_$][\w$]*\s*\.\s*)+(?=[A-Za-z_$])")
_ANNOTATION = re.compile(r"@(?!interface\b)[\w$.]+(\s*\((?:[^()]|\([^()]*\))*\))?\s*")


def install() -> None:
    """Nothing to install when the JDK's ``javadoc`` and ``javac`` are on the PATH (JDK 17 here)."""
    if shutil.which("javadoc") is None or shutil.which("javac") is None:
        subprocess.run(["apt-get", "install", "-y", "openjdk-17-jdk-headless"], check=True)


def normal_signature(text: str) -> str:
    """A signature in the comparison's form: no annotations, simple type names, canonical spacing and modifier order.

    Examples:
        >>> normal_signature("final public static <T> java.util.Map.Entry<K,V> get(@Nullable final String ... names)")
        'public static final <T> Entry<K, V> get(final String... names)'
    """
    text = _ANNOTATION.sub("", text)
    text = _QUALIFIED.sub("", text)
    text = " ".join(text.split())
    text = re.sub(r"\s*,\s*", ", ", text)
    text = re.sub(r"<\s+", "<", text)
    text = re.sub(r"\s+>", ">", text)
    text = re.sub(r"\s+\[", "[", text)
    text = re.sub(r"\[\s+\]", "[]", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+\)", ")", text)
    text = re.sub(r"\s*\.\.\.\s*", "... ", text)
    words = text.split(" ")
    count = 0
    while count < len(words) and words[count] in _MODIFIERS:
        count += 1
    modifiers = sorted(words[:count], key=_MODIFIERS.index)
    return " ".join(modifiers + words[count:])


def _doc(text: str | None) -> str | None:
    """A doc comment as ``inspect.cleandoc`` leaves it (the first line apart, lines lose their common indent)."""
    if text is None:
        return None
    return inspect.cleandoc(text).strip() or None


def _raw_type(annotation: str | None) -> str:
    """A parameter's type as the record keys write it: simple name, no type arguments, ``[]`` and ``...`` kept."""
    text = _ANNOTATION.sub("", annotation or "")
    while "<" in text:
        text = re.sub(r"<[^<>]*>", "", text)
    text = _QUALIFIED.sub("", text)
    text = text.replace("final ", "")
    return "".join(text.split())


@functools.cache
def _doclet() -> Path:
    classes = Path(tempfile.mkdtemp(prefix="jsondoclet-"))
    subprocess.run(["javac", "-d", str(classes), str(DOCLET)], check=True)
    return classes


def _source_roots(root: Path, files: list[str]) -> list[str]:
    """The folders the files' packages start from (``src/main/java``)."""
    roots: set[str] = set()
    for name in files:
        match = _PACKAGE.search((root / name).read_text(encoding="utf-8", errors="replace"))
        folder = (root / name).parent
        depth = len(match.group(1).split(".")) if match else 0
        roots.add(str(folder.parents[depth - 1] if depth else folder))
    return sorted(roots)


@functools.cache
def _javadoc(root: Path, files: tuple[str, ...]) -> dict[str, Any]:
    """Run javadoc with the JSON doclet over ``files``; its answer with paths relative to ``root``."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch, "javadoc.json")
        command = [
            "javadoc",
            "-quiet",
            "-encoding",
            "UTF-8",
            "-doclet",
            "JsonDoclet",
            "-docletpath",
            str(_doclet()),
            "-sourcepath",
            os.pathsep.join(_source_roots(root, list(files))),
            *[str(root / name) for name in files],
        ]
        done = subprocess.run(
            command, check=False, env={**os.environ, "JSON_DOCLET_OUT": str(out)}, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"javadoc failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        answer: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    base = root.resolve()

    def relative(path: str) -> str:
        return Path(path).resolve().relative_to(base).as_posix()

    for record in answer["records"]:
        record["file"] = relative(record["file"])
    answer["edges"] = [[relative(a), relative(b)] for a, b in answer["edges"]]
    return answer


def tool_records(package: Package, root: Path, files: list[str]) -> dict[str, Record]:
    """What javadoc documents in ``files``, by qualified key."""
    records: dict[str, Record] = {}
    for record in _javadoc(root, tuple(files))["records"]:
        key = record.pop("key")
        record["docstring"] = _doc(record["docstring"])
        if "signature" in record:
            record["signature"] = normal_signature(record["signature"])
        records[key] = record
    return records


def tool_edges(package: Package, root: Path, files: list[str]) -> set[Edge]:
    """The files each file's imports name, as javac resolves them."""
    return {(a, b) for a, b in _javadoc(root, tuple(files))["edges"]}


_KINDS = {"enum_member": "enum_constant", "attribute": "field", "variable": "field"}


def codescribe_records(package: Package, root: Path, files: list[str]) -> dict[str, Record]:
    """What CodeScribe's analysis finds in the same files, as the same records."""
    from codescribe.engine.analysis import analyze_file

    records: dict[str, Record] = {}
    for name in files:
        path = root / name
        match = _PACKAGE.search(path.read_text(encoding="utf-8", errors="replace"))
        prefix = f"{match.group(1)}." if match else ""
        analysis = analyze_file(path)
        classes = {cls.name: cls for cls in analysis.classes}
        for cls in analysis.classes:
            parts = cls.name.split(".")
            outers = [classes.get(".".join(parts[: i + 1])) for i in range(len(parts))]
            if not all(outer is not None and outer.is_public for outer in outers):
                continue
            key = prefix + cls.name
            records[key] = {"file": name, "kind": cls.kind, "docstring": _doc(cls.docstring)}
            for method in cls.methods:
                if not method.is_public:
                    continue
                constructor = method.returns is None
                params = ",".join(
                    _raw_type(p.annotation) + ("..." if p.kind == "var_positional" else "") for p in method.parameters
                )
                records[f"{key}#{method.name}({params})"] = {
                    "file": name,
                    "kind": "constructor" if constructor else "method",
                    "signature": normal_signature(method.signature),
                    "docstring": _doc(method.docstring),
                }
            for attribute in cls.attributes:
                if not attribute.is_public:
                    continue
                kind = _KINDS.get(attribute.kind, attribute.kind)
                record: Record = {"file": name, "kind": kind, "docstring": _doc(attribute.docstring)}
                if kind != "enum_constant":
                    record["signature"] = normal_signature(f"{attribute.annotation} {attribute.name}")
                records[f"{key}.{attribute.name}"] = record
    return records


def codescribe_edges(package: Package, root: Path, files: list[str]) -> set[Edge]:
    """CodeScribe's import graph over ``files``, file to file."""
    from codescribe.engine.analysis.project import analyze_project

    project = analyze_project(root, include=files)
    modules = project.modules
    return {(modules[a], modules[b]) for a, targets in project.import_graph().items() for b in targets}


def edge_node(package: Package, file: str) -> str:
    """A file is its own node."""
    return file
