"""CodeScribe's Rust analysis against rustdoc's JSON output (and rustc's name resolution for imports).

Both sides are reduced to the same records, keyed by the file and the item's path inside it
(``src/error.rs::Error::context``: the file, the inline modules around the item, the item's
``Self`` type or trait for an associated item, and its name), with:

- ``kind``: function, method, struct, enum, union, trait, field, variant, constant, static, macro,
  type (an alias) or module (the crate root's, for its doc);
- ``signature``: for functions and methods, the declaration up to its body, whitespace collapsed;
- ``docstring``: the doc comment's text.

The tool runs on a temporary copy of the crate whose ``Cargo.toml`` keeps only the package, its
library target and its features (optional and dev dependencies dropped, so nothing is
downloaded); ``cargo rustdoc --lib -- -Z unstable-options --output-format json
--document-private-items --document-hidden-items`` gives the items, ``cargo rustc --lib -- -Z
unpretty=hir-tree`` the compiler's resolution of every ``use`` (rustdoc's JSON leaves private
imports out). :data:`NORMALISATIONS` lists every choice the comparison makes.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reference.harness import Edge, Package, Record

if TYPE_CHECKING:
    from codescribe.engine.analysis.model import ClassInfo

LANGUAGE = "rust"
TOOL = (
    "rustdoc's JSON (`cargo rustdoc -- --output-format json --document-private-items`, rustc 1.95, "
    "format 57) for the items, and rustc's own name resolution (`-Z unpretty=hir-tree`) for the "
    "import edges"
)
NORMALISATIONS = (
    "Public items are those declared `pub` (rustdoc's visibility `public`, `#[doc(hidden)]` ones "
    "included) wherever they sit, a pub trait's methods and consts, a pub enum's variants, pub fields "
    "(of any struct) and `#[macro_export]` macros; `pub(crate)`, `pub(super)` and private items are "
    "left out, and so is reachability: a `pub` item of a private module counts (a crate re-exports "
    "such items, and one file's analysis cannot see the re-exports).",
    "Trait impls (`impl Display for Error`) are not public items: rustdoc lists them under the type's "
    "trait implementations and their methods carry the trait's documentation; CodeScribe's methods "
    "without `pub` in a type's impl group are taken to be theirs. Synthetic and blanket impls are "
    "the compiler's, not the file's.",
    "Records are keyed by file and path inside it (`src/error.rs::Error::context`, "
    "`src/context.rs::ext::StdError`); an inherent impl's items by their `Self` type's name without "
    "generics; a macro by its name without `!` (CodeScribe names it `bail!`, as it is invoked); a type "
    "alias is kind `type`.",
    "Signatures (functions and methods) are the item's source text from rustdoc's span up to its body "
    "(the first `{` outside brackets, or the `;` of a bodiless trait method), whitespace collapsed "
    "to one space; not rendered from the JSON's types.",
    "Doc comments are compared as rustdoc's `docs` text against CodeScribe's cleaned comment, both "
    "stripped at the ends.",
    "Modules are not items (CodeScribe's records are per file; an inline module only prefixes its "
    "items' paths), except that the crate root's doc is compared; associated types and `use` "
    "declarations (re-exports) are not compared.",
    "rustdoc sees one build: default features, rustc 1.95's cfgs for x86_64 Linux, the build "
    "script's cfgs and `doc` (recorded per package). Items, fields, variants and imports under a "
    "`#[cfg]` false in it (on them or on an enclosing module, impl or block; read from the source "
    "with tree-sitter by the harness) are left out of CodeScribe's side, since the tool cannot see "
    "them; files only an optional dependency compiles (semver's serde.rs) are not compared.",
    "Import edges are file -> file within the crate: each `use` (top level, in inline modules and in "
    "function bodies) as rustc resolved it, to the file of the last module its path names (the "
    "module the name is imported from, or the imported module itself; `use crate::chain::Chain` "
    "reaches chain.rs even though chain.rs only re-exports the crate root's `Chain`); and `mod x;` "
    "declarations, from the declaring file to the module's file. Other crates and edges within one "
    "file are left out.",
)
FIELDS = ("kind", "signature", "docstring")

PACKAGES = (
    Package(
        name="anyhow",
        version="1.0.69",
        registry="debian",
        root="usr/share/cargo/registry/anyhow-1.0.69",
        include=("src/**/*.rs",),
        slice=(
            "src/lib.rs",
            "src/error.rs",
            "src/context.rs",
            "src/chain.rs",
            "src/ptr.rs",
            "src/kind.rs",
            "src/fmt.rs",
            "src/wrapper.rs",
            "src/macros.rs",
        ),
        registry_name="librust-anyhow-dev",
        registry_version="1.0.69-1",
        options={"cfgs": 'doc feature="default" feature="std" unix'},
    ),
    Package(
        name="either",
        version="1.6.1",
        registry="debian",
        root="usr/share/cargo/registry/either-1.6.1",
        include=("src/**/*.rs",),
        exclude=("src/serde_untagged.rs", "src/serde_untagged_optional.rs"),
        slice=("src/lib.rs",),
        registry_name="librust-either-dev",
        registry_version="1.6.1-1",
        options={"cfgs": 'feature="default" feature="use_std"'},
    ),
)

CARGO_HOME = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))


def install() -> None:
    """Check that cargo and rustdoc are there (rustup's stable toolchain); nothing is downloaded."""
    if shutil.which("cargo", path=_path()) is None:
        raise SystemExit("rust: cargo not found; install Rust's stable toolchain (rustup)")


def _path() -> str:
    return os.pathsep.join([str(CARGO_HOME / "bin"), os.environ.get("PATH", "")])


def _stripped_manifest(manifest: Path) -> str:
    """The package, its library target and its features, without dependencies (none can be downloaded)."""
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    package = data["package"]
    lines = [
        "[package]",
        f"name = {json.dumps(package['name'])}",
        f"version = {json.dumps(package['version'])}",
        f"edition = {json.dumps(package.get('edition', '2015'))}",
        "",
        "[lib]",
        f"path = {json.dumps(data.get('lib', {}).get('path', 'src/lib.rs'))}",
        "",
        "[features]",
    ]
    for feature, enables in data.get("features", {}).items():
        kept = [name for name in enables if "/" not in name and ":" not in name]
        lines.append(f"{json.dumps(feature)} = {json.dumps(kept)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _ToolOutput:
    """What the tools said about one crate: rustdoc's JSON, rustc's HIR tree, and the build's cfgs."""

    docs: dict[str, Any]
    hir: str
    #: The cfg options the build set: ``unix``, ``feature="std"``, the build script's ``backtrace`` ...
    cfgs: frozenset[str]


@functools.cache
def _tool_output(root: Path) -> _ToolOutput:
    """Run rustdoc and rustc on a copy of the crate at ``root`` (once per crate)."""
    with tempfile.TemporaryDirectory(prefix="reference-rust-") as temporary:
        crate = Path(temporary) / root.name
        target = Path(temporary) / "target"
        shutil.copytree(root, crate)
        manifest = _stripped_manifest(root / "Cargo.toml")
        (crate / "Cargo.toml").write_text(manifest, encoding="utf-8")
        (crate / "Cargo.lock").unlink(missing_ok=True)
        env = {**os.environ, "RUSTC_BOOTSTRAP": "1", "CARGO_NET_OFFLINE": "true", "CARGO_TARGET_DIR": str(target)}
        env["PATH"] = _path()
        flags = ["-Z", "unstable-options", "--output-format", "json"]
        flags += ["--document-private-items", "--document-hidden-items"]
        run = functools.partial(subprocess.run, cwd=crate, env=env, check=True, capture_output=True, text=True)
        run(["cargo", "rustdoc", "--lib", "--", *flags])
        name = tomllib.loads(manifest)["package"]["name"].replace("-", "_")
        docs = json.loads((target / "doc" / f"{name}.json").read_text(encoding="utf-8"))
        hir = run(["cargo", "rustc", "--lib", "--", "-Z", "unpretty=hir-tree"]).stdout
        cfgs = set(run(["rustc", "--print", "cfg"]).stdout.split())
        for output in target.glob("debug/build/*/output"):
            for line in output.read_text(encoding="utf-8").splitlines():
                if line.startswith(("cargo:rustc-cfg=", "cargo::rustc-cfg=")):
                    cfgs.add(line.split("=", 1)[1])
        cfgs |= {f'feature="{feature}"' for feature in _default_features(manifest)}
        cfgs.add("doc")  # rustdoc documents with cfg(doc) set
    return _ToolOutput(docs, hir, frozenset(cfgs))


def _default_features(manifest: str) -> set[str]:
    features: dict[str, list[str]] = tomllib.loads(manifest).get("features", {})
    enabled: set[str] = set()
    pending = ["default"] if "default" in features else []
    while pending:
        feature = pending.pop()
        if feature not in enabled:
            enabled.add(feature)
            pending += features.get(feature, [])
    return enabled


_CFG_TOKEN = re.compile(r'\s*(?:(?P<word>[A-Za-z_][\w]*)|(?P<string>"[^"]*")|(?P<punct>[(),=]))')


def cfg_holds(predicate: str, cfgs: frozenset[str]) -> bool:
    """Whether a ``cfg(...)`` predicate (``any(backtrace, feature = "std")``) holds for the given options.

    Examples:
        >>> cfg_holds('all(feature = "std", not(backtrace))', frozenset({'feature="std"'}))
        True
    """
    tokens = [match.group().strip() for match in _CFG_TOKEN.finditer(predicate)]
    position = 0

    def parse() -> bool:
        nonlocal position
        word = tokens[position]
        position += 1
        if position < len(tokens) and tokens[position] == "(":
            position += 1
            values: list[bool] = []
            while tokens[position] != ")":
                values.append(parse())
                if tokens[position] == ",":
                    position += 1
            position += 1
            return {"any": any(values), "all": all(values), "not": not (values and values[0])}.get(word, False)
        if position < len(tokens) and tokens[position] == "=":
            value = tokens[position + 1]
            position += 2
            return f"{word}={value}" in cfgs
        return word in cfgs

    try:
        return parse()
    except IndexError:  # not a predicate this reader knows: keep the item
        return True


def _normal_doc(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _source_lines(root: Path, file: str) -> list[str]:
    return (root / file).read_text(encoding="utf-8").split("\n")


def _header(lines: list[str], begin: list[int], end: list[int]) -> str:
    """An item's source text from its span, up to its body, on one line."""
    first, last = begin[0] - 1, end[0] - 1
    text = "\n".join(lines[first : last + 1])
    text = text[begin[1] - 1 :]
    # Cut at the body: the first "{" outside brackets, or a ";" (a bodiless trait method).
    depth = 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char in "{;" and depth == 0:
            text = text[:index]
            break
    return " ".join(text.split())


def _type_name(ty: dict[str, Any]) -> str:
    """The name of an impl's ``Self`` type, without path or generics."""
    if "resolved_path" in ty:
        return str(ty["resolved_path"]["path"]).rsplit("::", 1)[-1]
    if "borrowed_ref" in ty:
        return _type_name(ty["borrowed_ref"]["type"])
    return json.dumps(ty, sort_keys=True)


class _Items:
    """rustdoc's items of one crate, turned into records."""

    def __init__(self, root: Path, docs: dict[str, Any]) -> None:
        self.root = root
        self.index: dict[str, dict[str, Any]] = docs["index"]
        self.local = [item for item in self.index.values() if item["crate_id"] == 0 and item.get("span")]
        self.records: dict[str, Record] = {}
        self.lines = functools.cache(lambda file: _source_lines(root, file))
        # Which modules list each item (a re-export may list it again elsewhere), and each member's owner.
        self.listed: dict[int, list[dict[str, Any]]] = {}
        for module in (item for item in self.local if "module" in item["inner"]):
            for child in module["inner"]["module"]["items"]:
                self.listed.setdefault(child, []).append(module)
        self.owner: dict[int, dict[str, Any]] = {}

    def inline_path(self, module: dict[str, Any]) -> list[str]:
        """The inline modules from the file's own module down to ``module`` (empty for a file's module)."""
        path: list[str] = []
        while not module["inner"]["module"]["is_crate"]:
            parent = next(
                (p for p in self.listed.get(module["id"], []) if p["span"]["filename"] == module["span"]["filename"]),
                None,
            )
            if parent is None:
                break
            path.insert(0, module["name"])
            module = parent
        return path

    def member(self, member_id: int, owner: dict[str, Any]) -> dict[str, Any]:
        self.owner[member_id] = owner
        return self.index[str(member_id)]

    def key(self, item: dict[str, Any], *names: str) -> str:
        placed = self.owner.get(item["id"], item)
        file = placed["span"]["filename"]
        modules = [module for module in self.listed.get(placed["id"], []) if module["span"]["filename"] == file]
        around = max((self.inline_path(module) for module in modules), key=len, default=[])
        return "::".join([file, *around, *names])

    def add(self, item: dict[str, Any], kind: str, *names: str) -> None:
        span = item["span"]
        record: Record = {"file": span["filename"], "kind": kind, "docstring": _normal_doc(item["docs"])}
        if kind in ("function", "method"):
            record["signature"] = _header(self.lines(span["filename"]), span["begin"], span["end"])
        self.records[self.key(item, *names)] = record

    def collect(self) -> dict[str, Record]:
        associated = {
            member
            for item in self.local
            for member in (item["inner"].get("impl") or item["inner"].get("trait") or {}).get("items", [])
        }
        for item in self.local:
            kind = next(iter(item["inner"]))
            if kind == "module" and item["inner"]["module"]["is_crate"]:
                file = item["span"]["filename"]
                self.records[file] = {"file": file, "kind": "module", "docstring": _normal_doc(item["docs"])}
            elif kind == "impl":
                self.impl(item)
            elif item["id"] not in associated:
                self.item(item, kind)
        return self.records

    def item(self, item: dict[str, Any], kind: str) -> None:
        name = item["name"]
        if item["visibility"] == "public" and kind in (
            "function",
            "struct",
            "enum",
            "union",
            "trait",
            "constant",
            "static",
            "macro",
            "type_alias",
        ):
            self.add(item, {"type_alias": "type"}.get(kind, kind), name)
        if kind == "struct" and isinstance(shape := item["inner"]["struct"]["kind"], dict):
            fields = shape.get("plain", {}).get("fields", []) + [f for f in shape.get("tuple") or [] if f is not None]
            self.fields(item, fields)
        elif kind == "union":
            self.fields(item, item["inner"]["union"]["fields"])
        elif kind == "enum" and item["visibility"] == "public":
            for variant in (self.member(member, item) for member in item["inner"]["enum"]["variants"]):
                self.add(variant, "variant", name, variant["name"])
        elif kind == "trait" and item["visibility"] == "public":
            for member in (self.member(member, item) for member in item["inner"]["trait"]["items"]):
                if "function" in member["inner"]:
                    self.add(member, "method", name, member["name"])
                elif "assoc_const" in member["inner"]:
                    self.add(member, "constant", name, member["name"])

    def fields(self, owner: dict[str, Any], fields: list[int]) -> None:
        for field in (self.member(member, owner) for member in fields):
            if field["visibility"] == "public":
                self.add(field, "field", owner["name"], field["name"])

    def impl(self, item: dict[str, Any]) -> None:
        """An inherent impl's public methods and consts, under its Self type; trait impls are left out."""
        impl = item["inner"]["impl"]
        if impl["trait"] is not None or impl["is_synthetic"] or impl["blanket_impl"]:
            return
        owner = _type_name(impl["for"])
        for member in (self.member(member, item) for member in impl["items"]):
            if member["visibility"] != "public" or not member.get("span"):
                continue
            if "function" in member["inner"]:
                self.add(member, "method", owner, member["name"])
            elif "assoc_const" in member["inner"]:
                self.add(member, "constant", owner, member["name"])


def _package_cfgs(package: Package) -> frozenset[str]:
    """The cfg options of the build the slice was recorded with (``Package.options["cfgs"]``)."""
    return frozenset(package.options.get("cfgs", "").split())


def _used_cfg_names(root: Path, files: Iterable[str]) -> set[str]:
    """The option names the crate's ``#[cfg(...)]`` predicates test (``feature``, ``backtrace`` ...)."""
    names: set[str] = set()
    for file in files:
        for predicate in re.findall(r"cfg\((.*)\)", (root / file).read_text(encoding="utf-8")):
            names |= set(re.findall(r"[A-Za-z_]\w*", re.sub(r'"[^"]*"', "", predicate)))
    return names - {"any", "all", "not"}


def tool_records(package: Package, root: Path, files: list[str]) -> dict[str, Record]:
    """rustdoc's public items of the crate at ``root``, as records (see the module's docstring).

    Raises:
        SystemExit: the build's cfg options, among those the crate tests, are not the package's
            recorded ``cfgs`` (a new rustc or build script): the message gives the ones to record.
    """
    output = _tool_output(root)
    used = _used_cfg_names(root, files)
    live = {cfg for cfg in output.cfgs if cfg.split("=", 1)[0] in used}
    if live != _package_cfgs(package):
        raise SystemExit(f"{package.key}: record the build's cfgs in its options: {' '.join(sorted(live))!r}")
    return _Items(root, output.docs).collect()


# --- CodeScribe's side --------------------------------------------------------------------------


def _is_trait_impl_method(declaration: str | None) -> bool:
    """A public method without ``pub`` in a type's impl group comes from a trait impl."""
    return not (declaration or "").startswith("pub")


def _off_lines(data: bytes, cfgs: frozenset[str]) -> list[tuple[int, int]]:
    """The line ranges (1-based, inclusive) of the items, blocks and statements a false ``#[cfg]`` removes.

    Read with tree-sitter: an attribute applies to the next node among its siblings (comments between).
    """
    from tree_sitter import Parser

    from codescribe.engine.analysis.treesitter import _language

    off: list[tuple[int, int]] = []
    stack = [Parser(_language("rust")).parse(data).root_node]
    while stack:
        node = stack.pop()
        pending: list[str] = []
        for child in node.named_children:
            if child.type == "attribute_item":
                text = data[child.start_byte : child.end_byte].decode("utf-8", "replace")
                pending += re.findall(r"^#\s*\[\s*cfg\s*\((.*)\)\s*\]$", text, re.S)
                continue
            if child.type in ("line_comment", "block_comment"):
                continue
            if pending and not all(cfg_holds(predicate, cfgs) for predicate in pending):
                off.append((child.start_point.row + 1, child.end_point.row + 1))
            else:
                stack.append(child)
            pending = []
    return off


class _Analysed:
    """CodeScribe's analysis of one file, turned into records."""

    def __init__(self, root: Path, file: str, cfgs: frozenset[str]) -> None:
        from codescribe.engine.analysis import analyze_file

        self.file = file
        self.analysis = analyze_file(root / file, root=root)
        self.off = _off_lines((root / file).read_bytes(), cfgs)
        self.records: dict[str, Record] = {}

    def compiled(self, line: int) -> bool:
        """Whether the item starting on ``line`` is compiled in the build the tool ran."""
        return not any(first <= line <= last for first, last in self.off)

    def add(self, path: str, kind: str, docstring: str | None, signature: str | None = None) -> None:
        record: Record = {"file": self.file, "kind": kind, "docstring": _normal_doc(docstring)}
        if signature is not None:
            record["signature"] = signature
        self.records[f"{self.file}::{path}"] = record

    def collect(self) -> dict[str, Record]:
        analysis = self.analysis
        if self.file.endswith(("src/lib.rs", "src/main.rs")):
            self.records[self.file] = {
                "file": self.file,
                "kind": "module",
                "docstring": _normal_doc(analysis.module_docstring),
            }
        for function in analysis.functions:
            if not function.is_public or not self.compiled(function.start_line):
                continue
            if (function.declaration or "").startswith("macro_rules!"):
                self.add(function.qualname.removesuffix("!"), "macro", function.docstring)
            else:
                self.add(function.qualname, "function", function.docstring, function.signature)
        for variable in analysis.variables:
            if variable.is_public and self.compiled(variable.line):
                self.add(variable.name, "constant", variable.docstring)
        for cls in analysis.classes:
            self.type(cls)
        return self.records

    def type(self, cls: ClassInfo) -> None:
        path = cls.name.replace(".", "::")
        # A type's cfg is its own: an impl group of methods may extend another declaration of the name.
        if self.compiled(cls.start_line):
            if cls.is_public and cls.kind != "impl":
                self.add(path, cls.kind, cls.docstring)
            for attribute in cls.attributes:
                if attribute.is_public and self.compiled(attribute.line):
                    kind = {"field": "field", "enum_member": "variant"}.get(attribute.kind, "constant")
                    self.add(f"{path}::{attribute.name}", kind, attribute.docstring)
        for method in cls.methods:
            trait_impl = cls.kind != "trait" and _is_trait_impl_method(method.declaration)
            if method.is_public and not trait_impl and self.compiled(method.start_line):
                self.add(f"{path}::{method.name}", "method", method.docstring, method.signature)


def codescribe_records(package: Package, root: Path, files: list[str]) -> dict[str, Record]:
    """What CodeScribe's analysis finds in the same files, as the same records.

    Items under a ``#[cfg]`` false in the build the tool ran (on the item, an enclosing module or
    impl) are left out: rustdoc never sees them. The build's cfgs are the package's recorded ones.
    """
    cfgs = _package_cfgs(package)
    records: dict[str, Record] = {}
    for file in files:
        records.update(_Analysed(root, file, cfgs).collect())
    return records


# --- Import edges -------------------------------------------------------------------------------

_OWNER = re.compile(r"^DefId\(0:\d+ ~ [\w-]+\[[0-9a-f]+\](?P<path>(?:::\S+)?)\) => OwnerNodes \{$", re.M)
_SPAN = re.compile(r"\bspan: (?P<file>[^\s:]+\.rs):\d+:\d+: \d+:\d+")
_INNER_SPAN = re.compile(r"\binner_span: (?P<file>[^\s:]+\.rs):\d+:\d+")
_LOCAL_MODULE = re.compile(r"Def\(\s*Mod,\s*DefId\(0:\d+ ~ [\w-]+\[[0-9a-f]+\](?P<path>(?:::[^\s)]+)?)\)")


def _hir_owners(hir: str) -> list[tuple[str, str]]:
    """(def path, the owner's text) for every owner of rustc's HIR tree, in order."""
    marks = list(_OWNER.finditer(hir))
    return [
        (mark.group("path").removeprefix("::"), hir[mark.end() : following.start() if following else len(hir)])
        for mark, following in zip(marks, [*marks[1:], None], strict=True)
    ]


def tool_edges(package: Package, root: Path, files: list[str]) -> set[Edge] | None:
    """The compiler's file -> file edges of the crate: resolved ``use`` items and ``mod x;`` declarations."""
    hir = _tool_output(root).hir
    owners = _hir_owners(hir)
    files_of: dict[str, str] = {}
    for path, text in owners:
        inner = _INNER_SPAN.search(text)  # a module: its own file, not the file declaring it
        span = inner or _SPAN.search(text)
        if span is not None:
            files_of[path] = span.group("file")
    edges: set[Edge] = set()

    def file_of(path: str) -> str | None:
        parts = path.split("::") if path else []
        while parts and "::".join(parts) not in files_of:
            parts.pop()  # a variant or field: its enum's or struct's file
        return files_of.get("::".join(parts))

    for _, text in owners:
        item = text.split("node: Item(", 1)[-1]
        kind = re.search(r"^ {16}kind: (\w+)\(", item, re.M)
        kind_name = kind.group(1) if kind else ""
        if kind_name == "Use":
            span = _SPAN.search(item)
            if span is None:
                continue
            # The module the path imports from: its last segment naming a module of this crate (the
            # imported name itself when it is a module), whatever the name is re-exported from.
            path_text = item.split("res: PerNS {", 1)[-1]
            named = [match.group("path").removeprefix("::") for match in _LOCAL_MODULE.finditer(path_text)]
            segments = path_text.split("segments: [", 1)[-1]
            in_segments = [match.group("path").removeprefix("::") for match in _LOCAL_MODULE.finditer(segments)]
            module = (in_segments or named or [None])[-1]
            target_file = file_of(module) if module is not None else None
            if target_file is not None:
                edges.add((span.group("file"), target_file))
        elif kind_name == "Mod":
            inner = _INNER_SPAN.search(item)
            declared = re.search(r"^\s{16}span: (?P<file>[^\s:]+\.rs):", item, re.M)
            if inner is not None and declared is not None:
                edges.add((declared.group("file"), inner.group("file")))
    kept = set(files)
    return {(a, b) for a, b in edges if a != b and a in kept and b in kept}


def codescribe_edges(package: Package, root: Path, files: list[str]) -> set[Edge] | None:
    """CodeScribe's import graph of the same files, as file -> file edges.

    Imports under a ``#[cfg]`` false in the build the tool ran are left out first (the compiler
    never resolves them); the graph is then the project's own :meth:`ProjectAnalysis.import_graph`.
    """
    from codescribe.engine.analysis.project import analyze_project

    project = analyze_project(root, include=files)
    cfgs = _package_cfgs(package)
    for file, analysis in project.files.items():
        off = _off_lines((root / file).read_bytes(), cfgs)
        kept = tuple(i for i in analysis.imports if not any(first <= i.line <= last for first, last in off))
        project.files[file] = replace(analysis, imports=kept)
    modules = project.modules
    graph = project.import_graph()
    return {(modules[a], modules[b]) for a, targets in graph.items() for b in targets}


def edge_node(package: Package, file: str) -> str:
    """A node of the import graph is a file, relative to the crate's root (``src/error.rs``)."""
    return file
