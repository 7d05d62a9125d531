"""The desk from the command line: adding a person and a token, and ``newsrelay serve --desk``
answering on 127.0.0.1 (its health without a login, its API with the token)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from test_cli import newsrelay

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_users_tokens_and_serve_desk(tmp_path: Path) -> None:
    assert newsrelay("init", cwd=tmp_path).returncode == 0
    (tmp_path / "pw").write_text("a long enough password\n")
    short = tmp_path / "short"
    short.write_text("short\n")
    refused = newsrelay("users", "add", "bo", "--password-file", str(short), cwd=tmp_path)
    assert refused.returncode == 2 and "at least 10 characters" in refused.stderr
    added = newsrelay("users", "add", "ana", "--role", "admin", "--password-file",
                      str(tmp_path / "pw"), cwd=tmp_path)  # fmt: skip
    assert added.returncode == 0, added.stderr
    again = newsrelay("users", "add", "ana", "--password-file", str(tmp_path / "pw"), cwd=tmp_path)
    assert again.returncode == 2 and "exists already" in again.stderr
    token = newsrelay("tokens", "create", "robot", "--scope", "write", cwd=tmp_path)
    key = token.stdout.strip()
    assert token.returncode == 0 and key.startswith("nr_")
    bad = newsrelay("tokens", "create", "x", "--scope", "everything", cwd=tmp_path)
    assert bad.returncode == 2

    port = free_port()
    desk = subprocess.Popen([sys.executable, "-m", "newsrelay", "serve", "--desk", "--port",
                             str(port)], cwd=tmp_path)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert httpx.get(f"{base}/queue", follow_redirects=False).status_code == 303
        audit = httpx.get(f"{base}/api/audit", headers={"Authorization": f"Bearer {key}"})
        assert {a["action"] for a in audit.json()} >= {"add_user", "add_token"}
        busy = newsrelay("serve", "--desk", "--port", str(port), cwd=tmp_path)
        assert busy.returncode == 2 and "already in use" in busy.stderr
    finally:
        desk.terminate()
        desk.wait(10)
