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
    staging = Path(tempfile.mkdtemp(dir=into.parent))
    with tarfile.open(archive) as tar:
        tar.extractall(staging, filter="data")
    staging.replace(into)
    return into


def pypi(name: str, version: str) -> Path:
    """The unpacked source distribution of ``name==version`` from PyPI.

    Returns:
        The folder holding the sdist's top-level directory (``rich-13.9.4/...``).
    """
    into = CACHE / "pypi" / f"{name}-{version}"
    if into.is_dir():
        return into
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/{version}/json", timeout=60) as response:
        release = json.load(response)
    sdist = next(u for u in release["urls"] if u["packagetype"] == "sdist")
    archive = _download(sdist["url"], CACHE / "downloads" / sdist["filename"])
    return _unpack_tar(archive, into)


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
