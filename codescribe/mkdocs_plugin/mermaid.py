"""Diagrams that draw in any theme: the plugin's Mermaid blocks turned into what mermaid.js renders.

Python-Markdown writes a fenced ``mermaid`` block as ``<pre><code class="language-mermaid">``, which no
theme draws unless the site configures ``pymdownx.superfences`` with a custom fence (Material's
recipe). On the pages it generates, the plugin rewrites those blocks to
``<pre class="codescribe-mermaid">`` and adds mermaid.js, so a diagram draws with the default theme,
with Material, and with a site that configured nothing. A site whose superfences already turns the
block into ``<pre class="mermaid">`` is left to its theme.
"""

from __future__ import annotations

import json
import re

__all__ = ["MERMAID_JS", "MERMAID_VERSION", "diagram_blocks", "loader"]

#: The mermaid.js release the pages load (``make chromium`` fetches the same one for the browser test).
MERMAID_VERSION = "11.17.2"
#: Where mermaid.js is loaded from by default: unpkg, as Material for MkDocs loads it.
MERMAID_JS = f"https://unpkg.com/mermaid@{MERMAID_VERSION}/dist/mermaid.min.js"

_BLOCK = re.compile(r'<pre><code class="language-mermaid">(.*?)</code></pre>', re.DOTALL)


def diagram_blocks(html: str) -> tuple[str, int]:
    r"""Rewrite a page's fenced Mermaid blocks into blocks mermaid.js draws.

    Args:
        html: a page's HTML, as Python-Markdown wrote it.

    Returns:
        The HTML, and how many blocks were rewritten (0: the page needs no script).

    Examples:
        >>> diagram_blocks('<pre><code class="language-mermaid">flowchart LR\\n  a --&gt; b\\n</code></pre>')
        ('<pre class="codescribe-mermaid">flowchart LR\\n  a --&gt; b\\n</pre>', 1)
    """
    return _BLOCK.subn(r'<pre class="codescribe-mermaid">\1</pre>', html)


def loader(url: str) -> str:
    r"""The script tags that load mermaid.js from ``url`` and draw the page's ``codescribe-mermaid`` blocks.

    Args:
        url: mermaid.js (the UMD build, ``mermaid.min.js``), absolute or relative to the page.

    Returns:
        HTML to put before ``</body>``.

    Examples:
        >>> print(loader("js/mermaid.min.js").replace("; ", ";\n"))
        <script src="js/mermaid.min.js"></script>
        <script>mermaid.initialize({startOnLoad: false});
        mermaid.run({querySelector: "pre.codescribe-mermaid"});</script>
    """
    selector = json.dumps("pre.codescribe-mermaid")
    return (
        f"<script src={json.dumps(url)}></script>\n"
        f"<script>mermaid.initialize({{startOnLoad: false}}); mermaid.run({{querySelector: {selector}}});</script>"
    )
