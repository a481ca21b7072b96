"""What to install for an optional part: read from the installed distribution's own metadata.

The extras are declared once, in ``pyproject.toml``; the messages that tell a user what to
install quote them from there, so they name packages that ``pip`` finds as written.
"""

from __future__ import annotations

import re
import shlex
from importlib.metadata import PackageNotFoundError, requires

__all__ = ["DISTRIBUTION", "install_command"]

_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")
#: The distribution's name on the package index (``codescribe`` there is another project).
DISTRIBUTION = "codescribe-docs"


def install_command(extra: str) -> str:
    """The ``pip install`` command that brings the packages of ``extra`` (e.g. ``"anthropic"``).

    The requirements are read from the installed ``codescribe-docs`` distribution's metadata
    (``importlib.metadata.requires``), as ``pyproject.toml`` declares them.

    Args:
        extra: the name of one of the distribution's extras.

    Returns:
        ``pip install 'anthropic<3,>=2.0'``, say: the extra's requirements as the installed metadata
        spells them, each shell-quoted. When the distribution is not installed, or declares no such
        extra, ``pip install '.[anthropic]' (from a clone of CodeScribe)``: a command to run in a
        checkout, with that note after it.

    Examples:
        >>> install_command("no-such-extra")
        "pip install '.[no-such-extra]' (from a clone of CodeScribe)"
    """
    try:
        declared = requires(DISTRIBUTION) or []
    except PackageNotFoundError:
        declared = []
    packages = [
        requirement.split(";")[0].strip()
        for requirement in declared
        if (found := _EXTRA.search(requirement)) and found.group(1) == extra
    ]
    if not packages:
        return f"pip install '.[{extra}]' (from a clone of CodeScribe)"
    return "pip install " + " ".join(shlex.quote(package) for package in packages)
