"""The HTML of a generated page holds no markup from the code or a model that could run.

A page is written from code the site does not control (docstrings, default values, file names) and,
with a provider, from a model's answer; Python-Markdown passes raw HTML in either through. So the
plugin cleans its own pages' HTML with nh3 (the Python binding of the Rust sanitizer ammonia): the
tags and attributes Markdown and the themes use stay (headings with their ids, tables, code with its
language class, links, images), and everything else goes: ``<script>``, ``<iframe>``, ``<style>``,
event handlers (``onerror``), ``javascript:`` URLs.
"""

from __future__ import annotations

import nh3

__all__ = ["safe_html"]

#: Tags a Markdown page needs, besides nh3's defaults (which already hold ``p``, ``pre``, ``table`` ...).
_TAGS = {"input"}  # task lists' check boxes
#: Attributes kept on every tag: what Markdown, its extensions and the themes write.
_EVERYWHERE = {"id", "class", "title", "align"}
_ATTRIBUTES = {"a": {"href", "hreflang", "name"}, "img": {"src", "alt", "width", "height"}}
_ATTRIBUTES |= {"input": {"type", "checked", "disabled"}, "ol": {"start"}, "td": {"colspan", "rowspan"}}
_ATTRIBUTES |= {"th": {"colspan", "rowspan", "scope"}}


def safe_html(html: str) -> str:
    """``html`` with everything that could run removed, and the rest as it was.

    Args:
        html: a page's content, as Markdown rendered it.

    Returns:
        The cleaned HTML.

    Examples:
        >>> safe_html('<h2 id="add">add</h2><p>x<script>alert(1)</script><img src="y.png" onerror="alert(2)"></p>')
        '<h2 id="add">add</h2><p>x<img src="y.png"></p>'
        >>> safe_html('<a href="javascript:alert(3)">go</a><pre><code class="language-python">1 &lt; 2</code></pre>')
        '<a>go</a><pre><code class="language-python">1 &lt; 2</code></pre>'
    """
    return nh3.clean(
        html,
        tags=nh3.ALLOWED_TAGS | _TAGS,
        attributes={tag: (_ATTRIBUTES.get(tag, set()) | _EVERYWHERE) for tag in nh3.ALLOWED_TAGS | _TAGS},
        link_rel=None,
        strip_comments=True,
    )
