"""The deployment recipes are valid: the Dockerfile passes hadolint (no Docker daemon, and no
registry for base images, on the machines the tests run on), the systemd units name what exists."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    done = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_service_runs_a_real_command_and_the_timer_starts_it() -> None:
    service = (ROOT / "deploy/newsrelay.service").read_text()
    timer = (ROOT / "deploy/newsrelay.timer").read_text()
    [start] = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    assert start.split()[1:3] == ["run", "--wait"]
    assert "--log-format json" in start
    assert "OnUnitInactiveSec=" in timer and "WantedBy=timers.target" in timer
