"""Shared fixtures: the local HTTP server, settings files, and the Apertium requirement."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mockserver import MockServer
from newsrelay.config import Settings, load_settings, render_config
from newsrelay.model import Source
from newsrelay.store import Store
from postgres import IN_USE, PostgresServer


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


@pytest.fixture
def apertium_spa_ast() -> None:
    """Apertium's spa-ast pair (Spanish into Asturian) must be installed (``make test`` does)."""
    modes = subprocess.run(["apertium", "-l"], capture_output=True, text=True).stdout.split()
    if "spa-ast" not in modes:
        pytest.fail("the apertium spa-ast pair is not installed: apt-get install apertium-spa-ast")


WriteSettings = Callable[..., Settings]
FAST_FETCH = {"fetch.delay": 0.0, "fetch.backoff": 0.05, "fetch.timeout": 1.0,
              "fetch.allow_addresses": ["127.0.0.1"]}  # fmt: skip
# The local test servers listen on 127.0.0.1, which newsrelay refuses unless allowed; every
# newsrelay the tests start as a subprocess allows it, and nothing else.
os.environ.setdefault("NEWSRELAY_FETCH_ALLOW_ADDRESSES", "127.0.0.1")


POSTGRES = IN_USE


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session, started on first use (in a folder of its own:
    pytest's are closed to the ``postgres`` user)."""
    base = Path(tempfile.mkdtemp(prefix="newsrelay-postgres-"))
    server = PostgresServer(base)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store of this test: a SQLite file in tmp_path, or under
    ``NEWSRELAY_TEST_DATABASE=postgresql`` a fresh PostgreSQL database."""
    if POSTGRES:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server.database()
    return f"sqlite:///{tmp_path / 'newsrelay.db'}"


@pytest.fixture(autouse=True)
def _store_everywhere(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Under PostgreSQL, every test with a folder of its own (where a store would live) has its
    own database, for newsrelay in the test and in the subprocesses it starts."""
    if not POSTGRES:
        yield
        return
    if "tmp_path" in request.fixturenames:
        monkeypatch.setenv("NEWSRELAY_DATABASE_URL", request.getfixturevalue("store_url"))
    opened: list[Store] = []
    open_store = Store.open.__func__  # type: ignore[attr-defined]

    def tracked(cls: type[Store], url: str) -> Store:
        opened.append(open_store(cls, url))
        return opened[-1]

    monkeypatch.setattr(Store, "open", classmethod(tracked))
    yield
    for store in opened:  # a test that leaves its store open leaves a server connection open
        store.close()


@pytest.fixture
def write_settings(tmp_path: Path) -> WriteSettings:
    """Write a newsrelay.toml for ``sources`` into tmp_path and load it with fast fetching."""

    def write(sources: list[Source], overrides: dict[str, object] | None = None) -> Settings:
        path = tmp_path / "newsrelay.toml"
        path.write_text(render_config(sources), encoding="utf-8")
        database = {"database_url": os.environ["NEWSRELAY_DATABASE_URL"]} if POSTGRES else {}
        return load_settings(path, environ={},
                             overrides=FAST_FETCH | database | (overrides or {}))  # fmt: skip

    return write


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under PostgreSQL, the tests that can open a store: those with a folder of their own
    (the others ran in the SQLite pass and touch no store), less those that start their own
    PostgreSQL databases and those marked ``one_database`` (they ran in that pass too)."""
    if not POSTGRES:
        return
    keep, drop = [], []
    for item in items:
        direct = getattr(getattr(item, "_fixtureinfo", None), "argnames", ())
        uses_store = "tmp_path" in getattr(item, "fixturenames", ())
        once = "postgres_server" in direct or item.get_closest_marker("one_database")
        (keep if uses_store and not once else drop).append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep
