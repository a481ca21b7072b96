"""Packages fetched from the registries this machine reaches: PyPI, npm and Debian's archive.

Each is unpacked once under ``.cache/reference/<registry>/<name>-<version>/`` and reused.
Go and Rust packages come from Debian (``golang-*-dev`` ships the Go source under
``/usr/share/gocode``, ``librust-*-dev`` the crate under ``/usr/share/cargo/registry``), because
proxy.golang.org and crates.io are not reachable here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

CACHE = Path(__file__).resolve().parent.parent / ".cache" / "reference"


def _download(url: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with urllib.request.urlopen(url, timeout=120) as response, partial.open("wb") as out:
        shutil.copyfileobj(response, out)
    partial.replace(target)
    return target


def _unpack_tar(archive: Path, into: Path) -> Path:
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=into.parent))
    with tarfile.open(archive) as tar:
        tar.extractall(staging, filter="data")
    staging.replace(into)
    return into


def pypi(name: str, version: str) -> Path:
    """The unpacked source distribution of ``name==version`` from PyPI (through pip, which knows
    the machine's index settings).

    Returns:
        The folder holding the sdist's top-level directory (``rich-13.9.4/...``).
    """
    into = CACHE / "pypi" / f"{name}-{version}"
    if into.is_dir():
        return into
    downloads = CACHE / "downloads" / f"pypi-{name}-{version}"
    command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:"]
    subprocess.run([*command, f"{name}=={version}", "-d", str(downloads)], check=True)
    return _unpack_tar(next(downloads.glob("*.tar.gz")), into)


def npm(name: str, version: str) -> Path:
    """The unpacked tarball of ``name@version`` from the npm registry.

    Returns:
        The folder holding the tarball's ``package/`` directory.
    """
    into = CACHE / "npm" / f"{name.replace('/', '__')}-{version}"
    if into.is_dir():
        return into
    with urllib.request.urlopen(f"https://registry.npmjs.org/{name}/{version}", timeout=60) as response:
        tarball = json.load(response)["dist"]["tarball"]
    archive = _download(tarball, CACHE / "downloads" / tarball.rsplit("/", 1)[-1])
    return _unpack_tar(archive, into)


def debian(package: str, version: str) -> Path:
    """The unpacked binary package ``package=version`` from Debian's archive (``apt-get download``).

    Returns:
        The folder the ``.deb`` was extracted into (``usr/share/...`` below it).
    """
    into = CACHE / "debian" / f"{package}-{version}"
    if into.is_dir():
        return into
    downloads = CACHE / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", f"{package}={version}"], cwd=downloads, check=True)
    deb = next(downloads.glob(f"{package}_*.deb"))
    staging = Path(tempfile.mkdtemp(dir=CACHE))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(staging)], check=True)
    into.parent.mkdir(parents=True, exist_ok=True)
    staging.replace(into)
    return into


def debian_source(package: str, version: str) -> Path:
    """The unpacked upstream source (``.orig.tar.*``) of Debian's source package ``package=version``.

    The ``.dsc`` is read from the archive's pool (no ``deb-src`` lines needed), and the upstream
    tarball it names is downloaded and checked against its SHA-256.

    Args:
        package: the Debian source package (``libcommons-cli-java``, ``commons-io``).
        version: its Debian version (``1.5.0-1``).

    Returns:
        The folder holding the tarball's top-level directory (``commons-cli-1.5.0-src/...``).
    """
    import hashlib
    import re

    into = CACHE / "debian-source" / f"{package}-{version}"
    if into.is_dir():
        return into
    prefix = package[:4] if package.startswith("lib") else package[0]
    pool = f"https://deb.debian.org/debian/pool/main/{prefix}/{package}"
    with urllib.request.urlopen(f"{pool}/{package}_{version}.dsc", timeout=60) as response:
        dsc = response.read().decode("utf-8")
    sha256 = dsc.partition("Checksums-Sha256:")[2]
    digest, name = next(
        (m.group(1), m.group(2)) for m in re.finditer(r"^ ([0-9a-f]{64}) \d+ (\S+\.orig\.tar\.\w+)$", sha256, re.M)
    )
    archive = _download(f"{pool}/{name}", CACHE / "downloads" / name)
    if hashlib.sha256(archive.read_bytes()).hexdigest() != digest:
        archive.unlink()
        raise OSError(f"{name}: SHA-256 does not match {package}_{version}.dsc")
    into.parent.mkdir(parents=True, exist_ok=True)
    return _unpack_tar(archive, into)
