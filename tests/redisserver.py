"""A real Redis for the tests: Debian's ``redis-server``, started as a process of its own on
127.0.0.1 with nothing kept on disk, and stopped (or killed and started again) by the test."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path


class RedisServer:
    """One Redis on a free port of 127.0.0.1."""

    def __init__(self, base: Path) -> None:
        self.program = shutil.which("redis-server")
        if self.program is None:
            raise RuntimeError("redis-server is not installed: apt-get install redis-server")
        self.base = base
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait until it answers."""
        with (self.base / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(self.program), "--port", str(self.port), "--bind", "127.0.0.1", "--save",
                 "", "--appendonly", "no", "--dir", str(self.base)],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start: {(self.base / 'redis.log').read_text()}")

    def stop(self) -> None:
        """Stop the server (what it held is lost, as when a Redis without persistence dies)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
