"""Shared fixtures: the local HTTP server, settings files, and the Apertium requirement."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mockserver import MockServer
from newsrelay.config import Settings, load_settings, render_config
from newsrelay.model import Source


@pytest.fixture
def server() -> Iterator[MockServer]:
    mock = MockServer()
    yield mock
    mock.close()


@pytest.fixture(scope="session")
def apertium_eng_spa() -> None:
    """Apertium and its eng-spa pair must be installed (``make test`` installs them)."""
    if shutil.which("apertium") is None:
        pytest.fail("apertium is not installed: run 'make test', which installs it")
    modes = subprocess.run(["apertium", "-l"], capture_output=True, text=True).stdout.split()
    if "eng-spa" not in modes:
        pytest.fail("the apertium eng-spa pair is not installed: apt-get install apertium-eng-spa")


WriteSettings = Callable[..., Settings]
FAST_FETCH = {"fetch.delay": 0.0, "fetch.backoff": 0.05, "fetch.timeout": 1.0,
              "fetch.allow_addresses": ["127.0.0.1"]}  # fmt: skip
# The local test servers listen on 127.0.0.1, which newsrelay refuses unless allowed; every
# newsrelay the tests start as a subprocess allows it, and nothing else.
os.environ.setdefault("NEWSRELAY_FETCH_ALLOW_ADDRESSES", "127.0.0.1")


@pytest.fixture
def write_settings(tmp_path: Path) -> WriteSettings:
    """Write a newsrelay.toml for ``sources`` into tmp_path and load it with fast fetching."""

    def write(sources: list[Source], overrides: dict[str, object] | None = None) -> Settings:
        path = tmp_path / "newsrelay.toml"
        path.write_text(render_config(sources), encoding="utf-8")
        return load_settings(path, environ={}, overrides=FAST_FETCH | (overrides or {}))

    return write
