"""What the HTTP API's tests share: the canary key, the scripted answer, and waiting for a server."""

from __future__ import annotations

import time
from collections.abc import Callable

CANARY = "sk-canary-not-a-real-key-7f3a9c"
#: What the scripted provider answers: Markdown with a heading, code, a table, and HTML a page must never run.
ANSWER = (
    "# Calculator\n\nAdds numbers with `add(a, b)`.\n\n| Name | Returns |\n|---|---|\n| add | int |\n\n"
    '<img src=x onerror="document.title=\'pwned\'"> <script>document.title="pwned"</script>\n\n'
    "[a link](javascript:document.title='pwned')\n\n## Example\n\n```python\nadd(1, 2)\n```\n"
)


def wait_for(condition: Callable[[], object], seconds: float = 10.0) -> None:
    """Wait until ``condition()`` holds (a thread or a server got somewhere); fail after ``seconds``."""
    for _ in range(int(seconds * 100)):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("timed out waiting")
