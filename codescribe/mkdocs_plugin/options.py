"""The plugin's options, as they appear under ``plugins: - codescribe:`` in ``mkdocs.yml``."""

from __future__ import annotations

import math

from mkdocs.config import base
from mkdocs.config import config_options as c

from codescribe.mkdocs_plugin.mermaid import MERMAID_JS

__all__ = ["USD", "CodeScribeConfig"]

#: The doc types the plugin makes pages of (a subset of ``codescribe.engine.doc_types.DOC_TYPES``).
PAGE_DOC_TYPES = ("module", "api", "architecture")


class USD(c.Type[float]):
    """An option that holds an amount of US dollars, such as ``max_cost``."""

    def __init__(self) -> None:
        super().__init__((int, float))

    def run_validation(self, value: object) -> float:
        """Check that ``value`` is a number that is finite and not negative.

        Args:
            value: the option's value, as YAML gave it.

        Returns:
            ``value``, unchanged.

        Raises:
            mkdocs.config.base.ValidationError: ``value`` is not a number, or is ``.nan``, ``.inf``
                or negative (MkDocs names the option in its message).

        Examples:
            >>> USD().run_validation(2)
            2
            >>> USD().run_validation(float("nan"))
            Traceback (most recent call last):
            ...
            mkdocs.config.base.ValidationError: Expected an amount in USD, a number of 0 or more, but received: nan
        """
        amount = super().run_validation(value)
        if isinstance(amount, bool) or not math.isfinite(amount) or amount < 0:
            raise base.ValidationError(f"Expected an amount in USD, a number of 0 or more, but received: {value!r}")
        return amount


class CodeScribeConfig(base.Config):
    """The options a user sets under ``plugins: - codescribe:`` in ``mkdocs.yml``; MkDocs validates them.

    Every option is optional. Each attribute below is one option, with its default; paths are
    relative to ``mkdocs.yml``.

    Examples:
        A site documenting ``src/shop`` with Claude, at most USD 2 a build::

            plugins:
              - search
              - codescribe:
                  source: src/shop
                  exclude: ["tests/*"]
                  doc_types: [module, architecture]
                  provider: anthropic
                  nav_section: API reference
                  max_cost: 2.00
                  on_error: fallback

        Validating options in Python, as MkDocs does:

        >>> config = CodeScribeConfig()
        >>> config.load_dict({"source": "src/shop", "doc_types": ["module"]})
        >>> failed, warnings = config.validate()
        >>> failed, config.nav_section, config.on_error
        ([], 'Reference', 'fallback')
    """

    source = c.Type((str, list), default="src")
    """The source tree(s) to document, relative to mkdocs.yml: `source: src/pkg` or a list."""

    include = c.ListOfItems(c.Type(str), default=[])
    """Glob patterns (relative to each source) of files to document; empty means every source file."""

    exclude = c.ListOfItems(c.Type(str), default=[])
    """Glob patterns of files to leave out, e.g. `["tests/*", "*_pb2.py"]`."""

    doc_types = c.ListOfItems(c.Choice(PAGE_DOC_TYPES), default=["module", "architecture"])
    """`module` or `api`: a page per source file; `architecture`: one page per source tree, with a diagram."""

    provider = c.Optional(c.Type(str))
    """Provider name (`anthropic`, `openai`, `offline` ...). Default: LLM_PROVIDER, or `offline` without a key."""

    model = c.Optional(c.Type(str))
    """Model name. Default: LLM_MODEL, else the provider's default."""

    nav_section = c.Type(str, default="Reference")
    """The title of the nav section the pages go in; also their folder (lower-cased)."""

    cache_dir = c.Type(str, default=".cache/codescribe")
    """Where generated pages are cached, relative to mkdocs.yml. A plain folder: commit it or cache it in CI."""

    concurrency = c.Type(int, default=4)
    """How many provider calls run at once."""

    max_cost = c.Optional(USD())
    """A budget in USD per build: no call is made that could cross it; those pages fall back to an older
    cached version, else the offline engine."""

    on_error = c.Choice(("warn", "fallback", "fail"), default="fallback")
    """When a provider call fails: `warn` (leave the page out), `fallback` (an older cached version, else the
    offline engine's page), `fail` (stop the build)."""

    badges = c.Type(bool, default=True)
    """Show quality grade, provider, model and date at the top of each generated page."""

    mermaid_js = c.Type(str, default=MERMAID_JS)
    """Where the generated pages load mermaid.js from, to draw the architecture diagram in any theme
    (a URL, or a path relative to the page); empty to load nothing (the theme draws ``mermaid`` blocks)."""
