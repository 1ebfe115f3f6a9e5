"""A real `newsarchive serve` process on a free loopback port, and a small HTTP client.

Used by the fault and load tests and by `bench/load.py`: they need a server they can
kill with SIGKILL and restart over the same data folder. `python -m bench.server` is a
zygote: it loads the ingest pipeline once, then forks one `serve` process per request,
so that a test can kill and restart a server many times without paying that loading
(several seconds) on every start.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED_PATH = REPO / "app" / "demo" / "articles" / "seed-article.txt"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP status and the body (`status` 0 when the connection failed)."""

    status: int
    body: bytes

    def json(self) -> object:
        """The body parsed as JSON."""
        return json.loads(self.body)


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects after a failure."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port = port
        self.timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None
    ) -> Reply:
        """Send one request; a refused or dropped connection is `Reply(0, b"")`."""
        headers = {"Content-Type": content_type} if content_type else {}
        try:
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout
                )
            self._connection.request(method, path, body=body, headers=headers)
            response = self._connection.getresponse()
            return Reply(response.status, response.read())
        except (OSError, http.client.HTTPException):
            self.close()
            return Reply(0, b"")

    def close(self) -> None:
        """Drop the connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def wait_until_up(port: int, is_alive: Callable[[], bool], timeout: float = 60.0) -> None:
    """Poll `/api/health` on `port` until it answers 200; raise if `is_alive()` turns false."""
    deadline = time.monotonic() + timeout
    with Client(port, timeout=5) as client:
        while time.monotonic() < deadline:
            if not is_alive():
                raise RuntimeError("the server process exited")
            if client.request("GET", "/api/health").status == 200:
                return
            time.sleep(0.05)
    raise TimeoutError(f"the server did not answer within {timeout} s")


class Server:
    """`python -m app serve` over `data_dir`, started and stopped (or killed) on demand."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.env = env or {}
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait: bool = True) -> None:
        """Start the server on a fresh free port; with `wait`, until `/api/health` answers."""
        self.port = free_port()
        env = {
            **os.environ,
            "NEWSARCHIVE_DATA_DIR": str(self.data_dir),
            "NEWSARCHIVE_LOG_LEVEL": "WARNING",
            **self.env,
        }
        with (self.data_dir.parent / "server.log").open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app", "serve", "--port", str(self.port)],
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        if wait:
            self.wait_until_up()

    def wait_until_up(self) -> None:
        """Poll `/api/health` until it answers 200; raise if the process dies meanwhile."""
        process = self.process
        assert process is not None
        wait_until_up(self.port, lambda: process.poll() is None)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a power cut or the OOM killer."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        """SIGTERM and wait: a clean shutdown."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


class ForkedServer:
    """`serve` processes forked from a warmed-up zygote over `data_dir`, one at a time."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = 0
        self.pid = 0
        env = {
            **os.environ,
            "NEWSARCHIVE_DATA_DIR": str(data_dir),
            "NEWSARCHIVE_LOG_LEVEL": "WARNING",
        }
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        with (data_dir.parent / "server.log").open("ab") as log:
            self.zygote = subprocess.Popen(
                [sys.executable, "-m", "bench.server"],
                cwd=REPO,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
            )

    def start(self, wait: bool = True) -> None:
        """Fork a fresh `serve` on a free port (once the previous one is gone)."""
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        self.zygote.stdin.write(b"spawn\n")
        self.zygote.stdin.flush()
        pid, port = self.zygote.stdout.readline().split()
        self.pid, self.port = int(pid), int(port)
        if wait:
            wait_until_up(self.port, lambda: self.zygote.poll() is None)

    def kill(self) -> None:
        """SIGKILL the current `serve` process; the zygote reaps it before the next fork."""
        os.kill(self.pid, signal.SIGKILL)

    def close(self) -> None:
        """Kill the current server and stop the zygote."""
        if self.pid:
            self.kill()
        self.zygote.terminate()
        self.zygote.communicate(timeout=30)


def run_zygote() -> None:
    """Warm the ingest pipeline, then fork `serve` for each `spawn` line read from stdin."""
    from app.cli import cli
    from app.ingest.pipeline import extract_article

    extract_article(SEED_PATH.read_bytes())
    child = 0
    for _ in sys.stdin:
        if child:
            os.waitpid(child, 0)
        port = free_port()
        child = os.fork()
        if child == 0:
            cli(["serve", "--port", str(port)], standalone_mode=False)
            os._exit(0)
        print(child, port, flush=True)


def tagged_article(tag: str) -> bytes:
    """The seed article with `tag` as an extra sentence: distinct content, findable by tag."""
    text = SEED_PATH.read_text(encoding="utf-8")
    marker = "The Taliban have yet to respond"
    return text.replace(marker, f"The file reference is {tag}. {marker}", 1).encode("utf-8")


if __name__ == "__main__":
    run_zygote()
