"""Prompt templates: Jinja files in ``prompts/``, one system and one user template per doc type.

The system template (role, style rules, the project's repository map) is the large prefix
shared by every file of a project, so Claude caches it; the user template carries the one
file. ``PromptSet.version`` is a hash of the templates, recorded in every result, so a
changed prompt invalidates cached documents.
"""

from __future__ import annotations

import hashlib
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .doc_types import check_doc_type

__all__ = ["PromptSet", "bundled_prompts_dir"]


def bundled_prompts_dir() -> Path:
    """The folder of the templates shipped with CodeScribe.

    An installed wheel carries them in ``codescribe/prompts``; a source checkout has them in the
    repository's ``prompts/``. The first that exists wins.

    Returns:
        The absolute path of the folder (one sub-folder per doc type, plus ``offline``, ``judge``
        and ``partials``).

    Examples:
        >>> folder = bundled_prompts_dir()
        >>> folder.is_absolute(), (folder / "readme" / "system.j2").is_file()
        (True, True)
    """
    packaged = Path(__file__).resolve().parent.parent / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "prompts"


class PromptSet:
    """The prompt templates of one folder: the bundled ones, or a user's own.

    A user's folder may hold only some templates (``readme/system.j2``, say); the others come from
    the bundled folder. Templates render with Jinja's ``StrictUndefined``: a variable the context
    lacks is an error, not an empty string.

    Args:
        folder: a folder of Jinja templates laid out like the bundled one (``<doc type>/system.j2``
            and ``<doc type>/user.j2``); ``None`` (or an empty string) for the bundled templates.

    Attributes:
        folder: the templates' folder.

    Raises:
        FileNotFoundError: ``folder`` is not an existing folder.

    Examples:
        >>> PromptSet().folder == bundled_prompts_dir()
        True
        >>> PromptSet("no/such/folder")
        Traceback (most recent call last):
        ...
        FileNotFoundError: Prompt folder no/such/folder does not exist: pass a folder of Jinja templates.
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else bundled_prompts_dir()
        if not self.folder.is_dir():
            raise FileNotFoundError(f"Prompt folder {self.folder} does not exist: pass a folder of Jinja templates.")

    @cached_property
    def environment(self) -> Any:
        """The folder's Jinja environment, shared by every ``PromptSet`` of the folder in this process.

        Sharing means each template is compiled once (Jinja reloads one whose file was edited). A
        user's folder gets a new one when a template is added to it or removed: one that was loaded
        from the bundled templates would otherwise stay in use after an override appeared. It is
        computed on first use and then kept by this object.

        Returns:
            A ``jinja2.Environment`` (``StrictUndefined``, no autoescaping, blocks trimmed) whose
            loader tries ``folder`` first, then the bundled templates.

        Examples:
            >>> PromptSet().environment is PromptSet().environment
            True
            >>> PromptSet().environment.undefined.__name__
            'StrictUndefined'
        """
        folder = self.folder.resolve()
        overrides = () if folder == bundled_prompts_dir().resolve() else _templates(folder)
        return _environment(folder, overrides)

    @cached_property
    def version(self) -> str:
        """A version of the templates, recorded with every result: a changed prompt changes it.

        Hashes (SHA-256) the relative path and bytes of every ``*.j2`` file of ``folder`` and, for a
        user's folder, of the bundled one too (which it falls back to). Computed on first use, then
        kept by this object.

        Returns:
            ``p1-`` and the first 10 hex digits of the hash (13 characters).

        Examples:
            >>> version = PromptSet().version
            >>> version.startswith("p1-"), len(version)
            (True, 13)
        """
        digest = hashlib.sha256()
        folders = dict.fromkeys([self.folder, bundled_prompts_dir()])  # a user's set falls back to ours
        for folder in folders:
            for path in sorted(folder.rglob("*.j2")):
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
        return f"p1-{digest.hexdigest()[:10]}"

    def render(self, name: str, **context: Any) -> str:
        """Render one template with ``context``.

        Args:
            name: the template's path under the prompts folder, with ``/`` separators
                (``readme/system.j2``); the user's folder is tried first, then the bundled one.
            **context: the template's variables (``name`` itself cannot be one of them).

        Returns:
            The rendered text, stripped of leading and trailing whitespace, with one final newline.

        Raises:
            jinja2.TemplateNotFound: no template of that name, in the user's folder or the bundled one.
            jinja2.UndefinedError: the template uses a variable ``context`` does not give.
            jinja2.TemplateSyntaxError: the template does not compile.

        Examples:
            >>> import tempfile
            >>> from pathlib import Path
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     _ = (Path(folder) / "hello.j2").write_text("Hello {{ who }}!")
            ...     print(PromptSet(folder).render("hello.j2", who="Ada"), end="")
            Hello Ada!
        """
        return str(self.environment.get_template(name).render(**context)).strip() + "\n"

    def messages(self, doc_type: str, **context: Any) -> tuple[str, str]:
        r"""The system and user prompts for one doc type: ``<doc type>/system.j2`` and ``user.j2`` rendered.

        Args:
            doc_type: one of :data:`~codescribe.engine.doc_types.DOC_TYPES`.
            **context: the templates' variables; the bundled ones use ``analysis`` (a
                :class:`~codescribe.engine.analysis.model.FileAnalysis`), ``code``, ``truncated``
                (a note, or ``""``), ``repo_map`` (or ``""``), ``language`` and, for a piece of a big
                file, ``part`` (which lines it is).

        Returns:
            ``(system prompt, user prompt)``, each ending in one newline.

        Raises:
            ValueError: ``doc_type`` is not one of the doc types.
            jinja2.TemplateNotFound: a template of the doc type is missing.
            jinja2.UndefinedError: a template uses a variable ``context`` does not give.

        Examples:
            >>> from codescribe.engine.analysis import analyze_source
            >>> code = "def add(a, b):\n    return a + b\n"
            >>> context = {"code": code, "truncated": "", "repo_map": "", "language": "python"}
            >>> system, user = PromptSet().messages("readme", analysis=analyze_source(code, "calc.py"), **context)
            >>> "def add(a, b):" in user
            True
        """
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
    from codescribe.engine.markdown import cell, code, doc_parts, first_paragraph, inline_roles, listed

    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # prompts and Markdown, never HTML
    )
    environment.filters.update(
        code=code, cell=cell, doc_parts=doc_parts, roles=inline_roles, first_paragraph=first_paragraph, listed=listed
    )
    return environment
