"""A real PostgreSQL for the tests: Debian's server binaries, a cluster made by ``initdb`` in a
temporary folder and started with ``pg_ctl`` as a process of its own (not the system service),
listening on 127.0.0.1 only. PostgreSQL refuses to run as root, so under root the cluster belongs
to the ``postgres`` user the Debian package creates."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

import psycopg
import sqlalchemy
from sqlalchemy.pool import NullPool

ROLE = "newsrelay"


def binaries() -> Path | None:
    """The folder of the newest installed server's programs, or None when none is."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version(path: str) -> float:
    return float(Path(path).parent.parent.name)


class PostgresServer:
    """One cluster for the whole test session; each test gets a database of its own."""

    def __init__(self, base: Path) -> None:
        found = binaries()
        if found is None:
            raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
        self.bin, self.base = found, base
        self.data = base / "data"
        self.port = _free_port()
        self.run_as: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(base, owner.pw_uid, owner.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self.count = 0

    def start(self) -> None:
        """Make the cluster and start its server; raise RuntimeError with its log when it
        cannot."""
        self._run("initdb", "-D", self.data, "-U", ROLE, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self._start()

    def _start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                   f"-c unix_socket_directories={self.base} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")  # fmt: skip
        self._run("pg_ctl", "start", "-w", "-D", self.data, "-l", self.base / "server.log",
                  "-o", options)  # fmt: skip

    def stop(self) -> None:
        """Stop the server at once (its data is thrown away)."""
        self._run("pg_ctl", "stop", "-D", self.data, "-m", "immediate", check=False)

    def restart(self) -> None:
        """Stop the server the hard way and start it again over the same data."""
        self.stop()
        self._start()

    def database(self) -> str:
        """A new, empty database: its SQLAlchemy URL."""
        self.count += 1
        name = f"test_{self.count}"
        with psycopg.connect(self._dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{ROLE}@127.0.0.1:{self.port}/{name}"

    def _dsn(self, name: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={ROLE} dbname={name}"

    def _run(self, program: str, *args: object, check: bool = True) -> None:
        command = [*self.run_as, str(self.bin / program), *map(str, args)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.base)
        if check and done.returncode != 0:
            log = self.base / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed: {done.stderr.strip()}\n{tail}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


IN_USE = os.environ.get("NEWSRELAY_TEST_DATABASE", "sqlite") == "postgresql"  # for this run


def sql(url: str, statement: str) -> list[tuple[object, ...]]:
    """Run one SQL statement on the store at ``url`` outside newsrelay; its rows (none for a
    statement that returns none)."""
    engine = sqlalchemy.create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(sqlalchemy.text(statement))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()
