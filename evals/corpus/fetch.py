#!/usr/bin/env python3
"""Rebuild the CodeScribe evaluation corpus from public package registries.

This script documents (and can replay) exactly how ``evals/corpus/`` was
assembled.  Every source file in the corpus is copied byte-for-byte out of a
package fetched with the registry's ordinary client:

* Python      -- PyPI sdists:  ``pip download --no-deps --no-binary :all: NAME==VER``
* JS / TS     -- npm tarballs: ``npm pack NAME@VER`` then ``tar xzf``
* Go, Rust    -- Debian source-bearing ``-dev`` packages:
                 ``apt-get download PKG`` then ``dpkg-deb -x``
* Java        -- the JDK's ``lib/src.zip`` from Debian's ``openjdk-17-source``

Usage::

    python evals/corpus/fetch.py                 # download into a temp dir, rebuild corpus
    python evals/corpus/fetch.py --cache DIR     # reuse/keep downloads in DIR
    python evals/corpus/fetch.py --check         # only verify manifest against files

Needs: pip, npm, apt-get (run ``apt-get update`` once first), dpkg-deb, tar.
Only the packages listed below are fetched; nothing is looked up in bulk.

Debian package versions are those of Debian 12 (bookworm) at the time the
corpus was built; if the archive has moved on, ``apt-get download`` fetches a
newer revision and the manifest's version/origin fields are updated from it.
"""

from __future__ import annotations

import argparse
import ast
import glob
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent

# ---------------------------------------------------------------------------
# Selection.  Each project: where it comes from, its licence, which files.
# "files" maps path-inside-the-package -> file name in the corpus.
# ---------------------------------------------------------------------------

PYPI = {
    # project: (version, SPDX licence, {licence file: corpus name}, {src: dest})
    "click": (
        "8.1.8",
        "BSD-3-Clause",
        {"LICENSE.txt": "LICENSE"},
        {
            "src/click/exceptions.py": "exceptions.py",
            "src/click/termui.py": "termui.py",
        },
    ),
    "requests": (
        "2.32.3",
        "Apache-2.0",
        {"LICENSE": "LICENSE"},
        {
            "src/requests/hooks.py": "hooks.py",
            "src/requests/structures.py": "structures.py",
            "src/requests/api.py": "api.py",
            "src/requests/sessions.py": "sessions.py",
        },
    ),
    "attrs": (
        "24.2.0",
        "MIT",
        {"LICENSE": "LICENSE"},
        {
            "src/attr/filters.py": "filters.py",
            "src/attr/validators.py": "validators.py",
        },
    ),
    "six": (
        "1.16.0",
        "MIT",
        {"LICENSE": "LICENSE"},
        {
            "six.py": "six.py",
        },
    ),
    "itsdangerous": (
        "2.2.0",
        "BSD-3-Clause",
        {"LICENSE.txt": "LICENSE"},
        {
            "src/itsdangerous/url_safe.py": "url_safe.py",
            "src/itsdangerous/signer.py": "signer.py",
        },
    ),
    "markupsafe": (
        "3.0.2",
        "BSD-3-Clause",
        {"LICENSE.txt": "LICENSE"},
        {
            "src/markupsafe/__init__.py": "__init__.py",
        },
    ),
    "idna": (
        "3.10",
        "BSD-3-Clause",
        {"LICENSE.md": "LICENSE"},
        {
            "idna/core.py": "core.py",
        },
    ),
    "packaging": (
        "24.2",
        "Apache-2.0 OR BSD-2-Clause",
        {"LICENSE": "LICENSE", "LICENSE.APACHE": "LICENSE.APACHE", "LICENSE.BSD": "LICENSE.BSD"},
        {
            "src/packaging/utils.py": "utils.py",
            "src/packaging/version.py": "version.py",
        },
    ),
    "jinja2": (
        "3.1.4",
        "BSD-3-Clause",
        {"LICENSE.txt": "LICENSE"},
        {
            "src/jinja2/visitor.py": "visitor.py",
            "src/jinja2/exceptions.py": "exceptions.py",
        },
    ),
}

NPM = {
    # project: (version, language, SPDX licence, {licence file: corpus name}, {src: dest})
    "lodash": (
        "4.17.21",
        "javascript",
        "MIT",
        {"LICENSE": "LICENSE"},
        {
            "chunk.js": "chunk.js",
            "memoize.js": "memoize.js",
            "debounce.js": "debounce.js",
            "template.js": "template.js",
        },
    ),
    "ms": (
        "2.1.3",
        "javascript",
        "MIT",
        {"license.md": "LICENSE"},
        {
            "index.js": "index.js",
        },
    ),
    "semver": (
        "7.6.3",
        "javascript",
        "ISC",
        {"LICENSE": "LICENSE"},
        {
            "classes/range.js": "range.js",
        },
    ),
    "commander": (
        "12.1.0",
        "javascript",
        "MIT",
        {"LICENSE": "LICENSE"},
        {
            "lib/error.js": "error.js",
            "lib/argument.js": "argument.js",
            "lib/option.js": "option.js",
            "lib/help.js": "help.js",
        },
    ),
    "nanoid": (
        "5.0.7",
        "javascript",
        "MIT",
        {"LICENSE": "LICENSE"},
        {
            "index.js": "index.js",
        },
    ),
    "rxjs": (
        "7.8.1",
        "typescript",
        "Apache-2.0",
        {"LICENSE.txt": "LICENSE"},
        {
            "src/internal/operators/map.ts": "map.ts",
            "src/internal/operators/debounceTime.ts": "debounceTime.ts",
            "src/internal/Subject.ts": "Subject.ts",
            "src/internal/Observable.ts": "Observable.ts",
            "src/internal/ajax/ajax.ts": "ajax.ts",
        },
    ),
    "immer": (
        "10.1.1",
        "typescript",
        "MIT",
        {"LICENSE": "LICENSE"},
        {
            "src/core/current.ts": "current.ts",
            "src/core/immerClass.ts": "immerClass.ts",
            "src/core/proxy.ts": "proxy.ts",
        },
    ),
}

GOCODE = "usr/share/gocode/src/"
CARGO = "usr/share/cargo/registry/"

DEBIAN = {
    # project: (deb package, language, SPDX licence,
    #           {licence file in deb: corpus name}, {src: dest})
    "pkg-errors": (
        "golang-github-pkg-errors-dev",
        "go",
        "BSD-2-Clause",
        {"usr/share/doc/golang-github-pkg-errors-dev/copyright": "LICENSE"},
        {
            GOCODE + "github.com/pkg/errors/errors.go": "errors.go",
            GOCODE + "github.com/pkg/errors/stack.go": "stack.go",
        },
    ),
    "google-uuid": (
        "golang-github-google-uuid-dev",
        "go",
        "BSD-3-Clause",
        {"usr/share/doc/golang-github-google-uuid-dev/copyright": "LICENSE"},
        {
            GOCODE + "github.com/google/uuid/hash.go": "hash.go",
            GOCODE + "github.com/google/uuid/version4.go": "version4.go",
            GOCODE + "github.com/google/uuid/uuid.go": "uuid.go",
        },
    ),
    "pflag": (
        "golang-github-spf13-pflag-dev",
        "go",
        "BSD-3-Clause",
        {"usr/share/doc/golang-github-spf13-pflag-dev/copyright": "LICENSE"},
        {
            GOCODE + "github.com/spf13/pflag/count.go": "count.go",
            GOCODE + "github.com/spf13/pflag/flag.go": "flag.go",
        },
    ),
    "cobra": (
        "golang-github-spf13-cobra-dev",
        "go",
        "Apache-2.0",
        {
            "usr/share/doc/golang-github-spf13-cobra-dev/copyright": "LICENSE",
            # Debian's copyright points at this file for the full text.
            "/usr/share/common-licenses/Apache-2.0": "LICENSE.Apache-2.0",
        },
        {
            GOCODE + "github.com/spf13/cobra/command.go": "command.go",
        },
    ),
    "semver": (
        "librust-semver-dev",
        "rust",
        "MIT OR Apache-2.0",
        {CARGO + "semver-*/LICENSE-MIT": "LICENSE", CARGO + "semver-*/LICENSE-APACHE": "LICENSE-APACHE"},
        {
            CARGO + "semver-*/src/parse.rs": "parse.rs",
            CARGO + "semver-*/src/lib.rs": "lib.rs",
        },
    ),
    "itoa": (
        "librust-itoa-dev",
        "rust",
        "MIT OR Apache-2.0",
        {CARGO + "itoa-*/LICENSE-MIT": "LICENSE", CARGO + "itoa-*/LICENSE-APACHE": "LICENSE-APACHE"},
        {
            CARGO + "itoa-*/src/udiv128.rs": "udiv128.rs",
            CARGO + "itoa-*/src/lib.rs": "lib.rs",
        },
    ),
    "hex": (
        "librust-hex-dev",
        "rust",
        "MIT OR Apache-2.0",
        {CARGO + "hex-*/LICENSE-MIT": "LICENSE", CARGO + "hex-*/LICENSE-APACHE": "LICENSE-APACHE"},
        {
            CARGO + "hex-*/src/error.rs": "error.rs",
            CARGO + "hex-*/src/lib.rs": "lib.rs",
        },
    ),
    "memchr": (
        "librust-memchr-dev",
        "rust",
        "Unlicense OR MIT",
        {
            CARGO + "memchr-*/LICENSE-MIT": "LICENSE",
            CARGO + "memchr-*/UNLICENSE": "UNLICENSE",
            CARGO + "memchr-*/COPYING": "COPYING",
        },
        {
            CARGO + "memchr-*/src/cow.rs": "cow.rs",
            CARGO + "memchr-*/src/memmem/rabinkarp.rs": "rabinkarp.rs",
            CARGO + "memchr-*/src/memmem/twoway.rs": "twoway.rs",
        },
    ),
}

JDK_PACKAGE = "openjdk-17-source"
JDK_SRC_ZIP = "usr/lib/jvm/openjdk-17/lib/src.zip"
JDK_LICENSE = "GPL-2.0 WITH Classpath-exception-2.0"
JDK_FILES = {
    "java.base/java/util/function/Supplier.java": "Supplier.java",
    "java.base/java/lang/Runnable.java": "Runnable.java",
    "java.base/java/lang/AutoCloseable.java": "AutoCloseable.java",
    "java.base/java/util/StringJoiner.java": "StringJoiner.java",
    "java.base/java/util/Optional.java": "Optional.java",
    "java.base/java/util/Objects.java": "Objects.java",
    "java.base/java/util/UUID.java": "UUID.java",
    "java.base/java/util/BitSet.java": "BitSet.java",
}
# The full licence text lives in the JRE package's Debian copyright file
# (src.zip carries none); we quote its "GPL with Classpath exception" section.
JDK_COPYRIGHT = "/usr/share/doc/openjdk-17-jre-headless/copyright"

# ---------------------------------------------------------------------------


def run(cmd: list[str], cwd: Path) -> str:
    print("+", " ".join(cmd), f"(in {cwd})", file=sys.stderr)
    return subprocess.run(cmd, cwd=cwd, check=True, text=True, stdout=subprocess.PIPE).stdout


def count_lines(data: bytes) -> int:
    """Same number `wc -l` prints: the count of newline bytes."""
    return data.count(b"\n")


def size_class(lines: int) -> str:
    if lines < 100:
        return "small"
    if lines <= 500:
        return "medium"
    return "large"


def has_docs(language: str, text: str) -> bool:
    """Does the file carry human-written API documentation?"""
    if language == "python":
        tree = ast.parse(text)
        nodes = [tree] + [
            n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ]
        return any(ast.get_docstring(n) for n in nodes)
    if language in ("javascript", "typescript", "java"):
        return "/**" in text
    if language == "rust":
        return bool(re.search(r"^\s*(///|//!)", text, re.M))
    if language == "go":
        # a // comment directly above a top-level declaration or package clause
        return bool(re.search(r"^//[^\n]*\n(func|type|var|const|package) ", text, re.M))
    raise ValueError(language)


class Builder:
    def __init__(self, cache: Path):
        self.cache = cache
        self.entries: list[dict] = []

    # -- helpers ----------------------------------------------------------
    def add(
        self, language: str, project: str, version: str, *, origin: str, licence: str, dest_name: str, data: bytes
    ) -> None:
        rel = f"{language}/{project}/{dest_name}"
        dest = CORPUS / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        lines = count_lines(data)
        self.entries.append(
            {
                "path": rel,
                "language": language,
                "project": project,
                "version": version,
                "origin": origin,
                "license": licence,
                "lines": lines,
                "size": size_class(lines),
                "has_reference_docs": has_docs(language, data.decode("utf-8")),
            }
        )

    def licence_file(self, language: str, project: str, name: str, data: bytes) -> None:
        dest = CORPUS / language / project / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)

    # -- PyPI ---------------------------------------------------------------
    def pypi(self) -> None:
        d = self.cache / "pypi"
        d.mkdir(parents=True, exist_ok=True)
        for project, (version, licence, licfiles, files) in PYPI.items():
            sdist = f"{project}-{version}.tar.gz"
            if not (d / sdist).exists():
                run(["pip", "download", "--no-deps", "--no-binary", ":all:", f"{project}=={version}", "-d", str(d)], d)
            with tarfile.open(d / sdist) as tar:
                root = f"{project}-{version}/"
                for lic, name in licfiles.items():
                    self.licence_file("python", project, name, tar.extractfile(root + lic).read())
                for src, dest in files.items():
                    data = tar.extractfile(root + src).read()
                    self.add(
                        "python",
                        project,
                        version,
                        origin=f"PyPI sdist {sdist}, {src}",
                        licence=licence,
                        dest_name=dest,
                        data=data,
                    )

    # -- npm ----------------------------------------------------------------
    def npm(self) -> None:
        d = self.cache / "npm"
        d.mkdir(parents=True, exist_ok=True)
        for project, (version, language, licence, licfiles, files) in NPM.items():
            tgz = f"{project}-{version}.tgz"
            if not (d / tgz).exists():
                run(["npm", "pack", f"{project}@{version}", "--silent"], d)
            with tarfile.open(d / tgz) as tar:
                for lic, name in licfiles.items():
                    self.licence_file(language, project, name, tar.extractfile("package/" + lic).read())
                for src, dest in files.items():
                    data = tar.extractfile("package/" + src).read()
                    self.add(
                        language,
                        project,
                        version,
                        origin=f"npm tarball {tgz} (npm pack {project}@{version}), package/{src}",
                        licence=licence,
                        dest_name=dest,
                        data=data,
                    )

    # -- Debian -------------------------------------------------------------
    def deb_extract(self, package: str) -> tuple[Path, str, str]:
        d = self.cache / "deb"
        d.mkdir(parents=True, exist_ok=True)
        debs = sorted(d.glob(f"{package}_*.deb"))
        if not debs:
            run(["apt-get", "download", package], d)
            debs = sorted(d.glob(f"{package}_*.deb"))
        deb = debs[-1]
        root = d / "x" / package
        if not root.exists():
            root.mkdir(parents=True)
            run(["dpkg-deb", "-x", str(deb), str(root)], d)
        debver = deb.name.split("_")[1]
        upstream = re.sub(r"-[^-]+$", "", debver)  # drop the Debian revision
        return root, deb.name, upstream

    def debian(self) -> None:
        for project, (package, language, licence, licfiles, files) in DEBIAN.items():
            root, debname, upstream = self.deb_extract(package)
            for src, name in licfiles.items():
                path = Path(src) if src.startswith("/") else Path(glob.glob(str(root / src))[0])
                self.licence_file(language, project, name, path.read_bytes())
            for src, dest in files.items():
                path = Path(glob.glob(str(root / src))[0])
                inside = "/" + str(path.relative_to(root))
                self.add(
                    language,
                    project,
                    upstream,
                    origin=f"Debian package {debname}, {inside}",
                    licence=licence,
                    dest_name=dest,
                    data=path.read_bytes(),
                )

    # -- JDK ----------------------------------------------------------------
    def jdk(self) -> None:
        root, debname, upstream = self.deb_extract(JDK_PACKAGE)
        with zipfile.ZipFile(root / JDK_SRC_ZIP) as z:
            for src, dest in JDK_FILES.items():
                self.add(
                    "java",
                    "openjdk",
                    upstream,
                    origin=f"Debian package {debname}, /{JDK_SRC_ZIP} entry {src}",
                    licence=JDK_LICENSE,
                    dest_name=dest,
                    data=z.read(src),
                )
        copyright_file = Path(JDK_COPYRIGHT)
        if copyright_file.exists():
            text = copyright_file.read_text(encoding="utf-8")
            start = text.index("License:   GPL with Classpath exception")
            end = text.index("--- end of LICENSE ---", start) + len("--- end of LICENSE ---")
            quoted = text[start:end] + "\n"
        else:  # openjdk-17-jre-headless not installed: keep just the note
            quoted = "(" + JDK_COPYRIGHT + " was not available when this was built.)\n"
        note = (
            "OpenJDK 17 class library sources (java.base, from src.zip)\n"
            f"Licence: {JDK_LICENSE}\n"
            "(GNU General Public License, version 2, with the Classpath Exception;\n"
            "each file's header says \"Oracle designates this particular file as\n"
            'subject to the "Classpath" exception").\n\n'
            "src.zip carries no licence file.  The text below is quoted verbatim from\n"
            f"Debian's {JDK_COPYRIGHT}\n"
            '(package openjdk-17-jre-headless), section "GPL with Classpath exception".\n\n'
        )
        self.licence_file("java", "openjdk", "LICENSE", (note + quoted).encode())

    # -- output -------------------------------------------------------------
    def write_manifest(self) -> None:
        def q(s: str) -> str:
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

        out = [
            "# CodeScribe evaluation corpus -- one entry per source file.",
            "# Generated by evals/corpus/fetch.py; paths are relative to evals/corpus/.",
            "",
        ]
        for e in self.entries:
            out += [
                f"- path: {e['path']}",
                f"  language: {e['language']}",
                f"  project: {e['project']}",
                f"  version: {q(e['version'])}",
                f"  origin: {q(e['origin'])}",
                f"  license: {q(e['license'])}",
                f"  lines: {e['lines']}",
                f"  size: {e['size']}",
                f"  has_reference_docs: {'true' if e['has_reference_docs'] else 'false'}",
            ]
        (CORPUS / "manifest.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")


MINIMUMS = {"python": 12, "javascript": 10, "typescript": 4, "go": 6, "rust": 6, "java": 6}


SIZES = ("small", "medium", "large")


def file_problems(entries: list[dict]) -> list[str]:
    """Every manifest path exists, with the recorded line count and size class."""
    problems = []
    for e in entries:
        p = CORPUS / e["path"]
        if not p.is_file():
            problems.append(f"missing: {e['path']}")
            continue
        n = count_lines(p.read_bytes())
        if n != e["lines"]:
            problems.append(f"line count {e['path']}: manifest {e['lines']} actual {n}")
        if size_class(n) != e["size"]:
            problems.append(f"size class {e['path']}: {e['size']} vs {size_class(n)}")
    return problems


def coverage_problems(entries: list[dict], counts: dict[tuple[str, str], int]) -> list[str]:
    """At least 40 files, each language's minimum, every size class, 4+ .ts files."""
    problems = []
    if len(entries) < 40:
        problems.append(f"only {len(entries)} files")
    for lang, minimum in MINIMUMS.items():
        n = sum(counts[(lang, s)] for s in SIZES)
        if n < minimum:
            problems.append(f"{lang}: {n} < {minimum}")
        if any(counts[(lang, s)] == 0 for s in SIZES):
            problems.append(f"{lang}: not every size class present")
    ts = sum(1 for e in entries if e["path"].endswith(".ts") and not e["path"].endswith(".d.ts"))
    if ts < 4:
        problems.append(f"only {ts} .ts files")
    return problems


def check() -> int:
    """Verify manifest.yaml against the files; print counts.  Returns exit code."""
    import yaml  # PyYAML; only needed for the check

    entries = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    langs = list(MINIMUMS) + sorted({e["language"] for e in entries} - set(MINIMUMS))
    counts = {(lang, s): 0 for lang in langs for s in SIZES}
    for e in entries:
        counts[(e["language"], e["size"])] += 1
    problems = file_problems(entries) + coverage_problems(entries, counts)
    total = sum(f.stat().st_size for f in CORPUS.rglob("*") if f.is_file())
    if total >= 3 * 1024 * 1024:
        problems.append(f"corpus is {total} bytes (>= 3 MB)")

    print("| language | small | medium | large | total |")
    print("| --- | --- | --- | --- | --- |")
    for lang in langs:
        row = [counts[(lang, s)] for s in SIZES]
        print(f"| {lang} | {row[0]} | {row[1]} | {row[2]} | {sum(row)} |")
    col = [sum(counts[(lang, s)] for lang in langs) for s in SIZES]
    print(f"| **all** | {col[0]} | {col[1]} | {col[2]} | {len(entries)} |")
    print(f"\n{len(entries)} files, {total} bytes on disk under evals/corpus/")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, help="download directory to reuse/keep")
    ap.add_argument("--check", action="store_true", help="only verify the manifest")
    args = ap.parse_args()
    if args.check:
        return check()
    for tool in ("pip", "npm", "apt-get", "dpkg-deb"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found")
    tmp = None
    if args.cache is None:
        tmp = tempfile.mkdtemp(prefix="codescribe-corpus-")
        args.cache = Path(tmp)
    args.cache.mkdir(parents=True, exist_ok=True)
    # start from a clean tree (keep this script and the README)
    for child in CORPUS.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
    b = Builder(args.cache.resolve())
    b.pypi()
    b.npm()
    b.debian()
    b.jdk()
    b.write_manifest()
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    return check()


if __name__ == "__main__":
    sys.exit(main())
