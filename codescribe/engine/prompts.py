"""Prompt templates: Jinja files in ``prompts/``, one system and one user template per doc type.

The system template (role, style rules, the project's repository map) is the large prefix
shared by every file of a project, so Claude caches it; the user template carries the one
file. ``PromptSet.version`` is a hash of the templates, recorded in every result, so a
changed prompt invalidates cached documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .doc_types import check_doc_type

__all__ = ["PromptSet", "bundled_prompts_dir"]


def bundled_prompts_dir() -> Path:
    """The templates shipped with CodeScribe: inside the wheel, or the repository's ``prompts/``."""
    packaged = Path(__file__).resolve().parent.parent / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "prompts"


class PromptSet:
    """The templates of one folder (the bundled ones, or a user's own)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else bundled_prompts_dir()
        if not self.folder.is_dir():
            raise FileNotFoundError(f"Prompt folder {self.folder} does not exist: pass a folder of Jinja templates.")

    @cached_property
    def environment(self) -> Any:
        """The folder's Jinja environment, shared by the ``PromptSet``s of the folder in this process,
        so that each template is compiled once (Jinja reloads one whose file was edited). A user's
        folder gets a new one when a template is added to it or removed: one that was loaded from
        the bundled templates would otherwise stay in use after an override appeared."""
        folder = self.folder.resolve()
        overrides = () if folder == bundled_prompts_dir().resolve() else _templates(folder)
        return _environment(folder, overrides)

    def warm(self, doc_types: Iterable[str], *, judge: bool = False) -> None:
        """Compile the templates of ``doc_types`` (and the judge's) now: before forking worker processes,
        say, which then share them."""
        folders = [*doc_types, *(["judge"] if judge else [])]
        for name in (f"{folder}/{part}.j2" for folder in folders for part in ("system", "user")):
            self.environment.get_template(name)

    @cached_property
    def version(self) -> str:
        """``p1-<hash>`` of every template's path and text."""
        digest = hashlib.sha256()
        folders = dict.fromkeys([self.folder, bundled_prompts_dir()])  # a user's set falls back to ours
        for folder in folders:
            for path in sorted(folder.rglob("*.j2")):
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
        return f"p1-{digest.hexdigest()[:10]}"

    def render(self, name: str, **context: Any) -> str:
        """The template ``name`` (a path under the prompts folder) rendered with ``context``.

        Raises:
            jinja2.TemplateNotFound: no template of that name, in the user's folder or the bundled one.
        """
        return str(self.environment.get_template(name).render(**context)).strip() + "\n"

    def messages(self, doc_type: str, **context: Any) -> tuple[str, str]:
        """The (system, user) prompt pair for ``doc_type``."""
        check_doc_type(doc_type)
        return self.render(f"{doc_type}/system.j2", **context), self.render(f"{doc_type}/user.j2", **context)


def _templates(folder: Path) -> tuple[str, ...]:
    return tuple(sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.j2")))


@lru_cache(maxsize=16)
def _environment(folder: Path, overrides: tuple[str, ...]) -> Any:
    """A Jinja environment for ``folder`` (``overrides``, the templates a user's folder has, keys the cache)."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(folder)]
    if folder != bundled_prompts_dir().resolve():  # a user's folder may override only some templates
        loaders.append(jinja2.FileSystemLoader(bundled_prompts_dir()))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # prompts and Markdown, never HTML
    )
