"""CodeScribe's Mermaid rules agree with Mermaid's own parser, run in headless Chromium.

Every diagram the offline engine draws for the 14 packages of tests/reference/data, and every
fixture diagram of tests/engine/test_mermaid_score.py, is given to ``mermaid.parse`` (the release
the plugin loads; ``make chromium`` fetches it); a diagram Mermaid refuses must have a fault in
:func:`~codescribe.engine.quality.mermaid_check.mermaid_faults`, and one it accepts must have none.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from codescribe.engine.generator import DocGenerator
from codescribe.engine.quality.mermaid_check import mermaid_faults
from codescribe.mkdocs_plugin.mermaid import MERMAID_VERSION
from tests.engine.test_mermaid_score import BROKEN, BROKEN_DIAGRAMS, VALID, VALID_DIAGRAMS
from tests.live.conftest import CHROMIUM_FLAGS

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
MERMAID = ROOT / ".cache" / "mermaid" / MERMAID_VERSION / "mermaid.min.js"
SLICES = ROOT / "tests" / "reference" / "data"
PAGE = """<!doctype html><html><body><pre id="out">pending</pre>
<script src="{mermaid}"></script>
<script>
const diagrams = {diagrams};
(async () => {{
  const verdicts = [];
  for (const text of diagrams) {{
    try {{ await mermaid.parse(text); verdicts.push(true); }} catch (error) {{ verdicts.push(false); }}
  }}
  document.getElementById("out").textContent = JSON.stringify(verdicts);
}})();
</script></body></html>
"""


def generated_diagrams() -> list[str]:
    found = []
    for package in sorted(SLICES.iterdir()):
        outcome = DocGenerator(offline=True).document_project(package / "src", doc_types=["architecture"])
        for result in outcome.results:
            found += re.findall(r"```mermaid\n(.*?)\n```", result.documentation, re.DOTALL)
    return found


def test_mermaid_agrees_with_the_rules(tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or not MERMAID.is_file():
        pytest.skip("no chromium or mermaid.js: `make chromium` installs them")
    generated = generated_diagrams()
    assert len(generated) >= 14
    diagrams = [*generated, *BROKEN_DIAGRAMS, *VALID_DIAGRAMS]
    diagrams += [f"flowchart LR\n{BROKEN}", f"flowchart LR\n{VALID}"]
    page = tmp_path / "parse.html"
    page.write_text(PAGE.format(mermaid=MERMAID.as_uri(), diagrams=json.dumps(diagrams)))
    dom = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            "--virtual-time-budget=30000",
            "--allow-file-access-from-files",
            "--dump-dom",
            f"--user-data-dir={tmp_path / 'profile'}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    ).stdout
    verdicts = json.loads(html.unescape(re.search(r'<pre id="out">(.*?)</pre>', dom, re.DOTALL).group(1)))

    disagreements = [
        (diagram, parsed, mermaid_faults(diagram))
        for diagram, parsed in zip(diagrams, verdicts, strict=True)
        if parsed == bool(mermaid_faults(diagram))
    ]
    assert disagreements == []
    assert verdicts.count(False) == len(BROKEN_DIAGRAMS) + 1, "Mermaid refused exactly the broken ones"
    assert all(verdicts[: len(generated)]), "every diagram CodeScribe draws parses"
