"""What the HTTP API's tests share: the canary key, the scripted answer, and waiting for a server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable

from codescribe.testing.local_server import free_port

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


class ServeProcess:
    """``codescribe serve`` in a process of its own, as a user starts it; :attr:`log` holds what it printed.

    Args:
        env: the variables to add to this process's environment (``LLM_*``, ``CODESCRIBE_*``).
    """

    def __init__(self, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env}
        self.log = ""
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> ServeProcess:
        command = [sys.executable, "-m", "codescribe", "serve", "--port", str(self.port)]
        self._process = subprocess.Popen(
            command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        wait_for(self._ready, seconds=30)
        return self

    def _ready(self) -> bool:
        assert self._process is not None
        if self._process.poll() is not None:
            raise AssertionError(f"codescribe serve ended: {self._process.communicate()[0]}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def __exit__(self, *exc_info: object) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGINT)  # as Ctrl-C: uvicorn shuts down and says so
        self.log = self._process.communicate(timeout=30)[0]

    def curl(self, *arguments: str) -> str:
        """``curl -sS`` against the service; what it printed (the body, then ``HTTP <status>`` on a line)."""
        found = subprocess.run(
            ["curl", "-sS", "-w", "\\nHTTP %{http_code}\\n", *arguments],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return found.stdout
