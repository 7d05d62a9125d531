"""A real WordPress for tests: Debian's ``wordpress`` package, served by PHP's built-in server on
127.0.0.1, over a MariaDB started as the current user in a temporary folder.

Nothing system-wide is touched. Debian's ``/usr/share/wordpress/wp-config.php`` reads its settings
from ``/etc/wordpress``; instead, the document root is a temporary folder of links to the
package's files, with a ``wp-config.php`` of its own, and PHP's built-in server runs a router
(what Apache's rewrite rules do for WordPress) that defines ``ABSPATH`` as that folder before
WordPress loads, so WordPress takes our configuration. ``wp-content`` is a temporary folder too (uploads land there). MariaDB listens
on a socket in the temporary folder only (``skip-networking``). WordPress is installed by a PHP
script that calls ``wp_install``, with ``/%postname%/`` permalinks (so ``/wp-json/`` routes work)
and ``WP_ENVIRONMENT_TYPE`` ``local`` (application passwords are offered over plain HTTP only
there); the same script creates the application password the tests use.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

WORDPRESS = Path("/usr/share/wordpress")
PACKAGES = "wordpress mariadb-server php-cli php-mysql"
ADMIN = "editor"

CONFIG = """<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{socket}');
define('DB_CHARSET', 'utf8mb4');
define('WP_HOME', '{url}');
define('WP_SITEURL', '{url}');
define('WP_CONTENT_DIR', '{content}');
define('WP_CONTENT_URL', '{url}/wp-content');
define('WP_ENVIRONMENT_TYPE', 'local');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('FS_METHOD', 'direct');
{keys}
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
"""

RESET = """USE wordpress;
DELETE FROM wp_posts; DELETE FROM wp_postmeta; DELETE FROM wp_comments;
DELETE FROM wp_term_relationships; DELETE FROM wp_termmeta;
DELETE FROM wp_term_taxonomy WHERE term_id <> 1; DELETE FROM wp_terms WHERE term_id <> 1;
UPDATE wp_term_taxonomy SET count = 0;"""

ROUTER = """<?php
define('ABSPATH', '{root}/');
$path = '/' . ltrim(parse_url(urldecode($_SERVER['REQUEST_URI']), PHP_URL_PATH) ?? '', '/');
$file = ABSPATH . ltrim($path, '/');
if (is_file($file) && substr($file, -4) !== '.php') {{
    return false;
}}
if (is_dir($file) && is_file(rtrim($file, '/') . '/index.php')) {{
    $file = rtrim($file, '/') . '/index.php';
}}
if (!is_file($file)) {{
    $file = ABSPATH . 'index.php';
}}
$_SERVER['SCRIPT_FILENAME'] = $file;
$_SERVER['SCRIPT_NAME'] = '/' . substr($file, strlen(ABSPATH));
$_SERVER['PHP_SELF'] = $_SERVER['SCRIPT_NAME'];
chdir(dirname($file));
require $file;
"""

INSTALL = """<?php
define('ABSPATH', '{root}/');
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '{host}';
require_once ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$result = wp_install('newsrelay tests', '{user}', 'editor@example.org', true, '', 'not-used-{user}');
update_option('permalink_structure', '/%postname%/');
flush_rewrite_rules(false);
$made = WP_Application_Passwords::create_new_application_password(
    $result['user_id'], array('name' => 'newsrelay')
);
if (is_wp_error($made)) {{ fwrite(STDERR, $made->get_error_message()); exit(1); }}
echo json_encode(array('user_id' => $result['user_id'], 'password' => $made[0]));
"""


@dataclass
class WordPress:
    """A running WordPress: its address, and a user with an application password."""

    url: str
    user: str
    password: str
    socket: Path  # MariaDB's

    def api(self) -> httpx.Client:
        """A client of the REST API, authenticated as the test user."""
        return httpx.Client(base_url=self.url + "/wp-json/wp/v2", auth=(self.user, self.password))

    def reset(self) -> None:
        """Remove every post, page, media item, category and tag (but "Uncategorized")."""
        if not _mariadb(self.socket, RESET):
            raise RuntimeError("could not empty the WordPress database")


def missing() -> str | None:
    """What is missing to run WordPress here, or None."""
    needs = {"php": "php-cli", "mariadbd": "mariadb-server", "mariadb-install-db": "mariadb-server"}
    lacking = sorted({pkg for tool, pkg in needs.items() if shutil.which(tool) is None})
    if not (WORDPRESS / "wp-settings.php").exists():
        lacking.append("wordpress")
    if shutil.which("php") and "mysqli" not in _php_modules():
        lacking.append("php-mysql")
    return " ".join(lacking) or None


def _php_modules() -> str:
    return subprocess.run(["php", "-m"], capture_output=True, text=True).stdout


class WordPressServer:
    """Starts MariaDB and WordPress under ``base``; ``stop`` ends both."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> WordPress:
        """Start the database, lay out WordPress, install it and serve it."""
        socket_path = self._start_database()
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        root = self._lay_out(url, socket_path)
        credentials = self._install(root, f"127.0.0.1:{port}")
        self._serve(root, port)
        return WordPress(url, ADMIN, credentials["password"], socket_path)

    def stop(self) -> None:
        """End WordPress and MariaDB (the temporary folder is pytest's to remove)."""
        for process in reversed(self.processes):
            _signal_group(process, signal.SIGTERM)  # each runs in a session of its own
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def _spawn(self, command: list[str], log: Path, cwd: Path) -> None:
        """Start a server in a session of its own (``stop`` ends the whole group: PHP's server
        may fork workers), its output going to ``log``."""
        with open(log, "wb") as out:  # the process keeps its own copy of the descriptor
            process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
            )
        self.processes.append(process)

    def _start_database(self) -> Path:
        data, sock = self.base / "mysql", self.base / "mysql.sock"
        user = ["--user=root"] if os.geteuid() == 0 else []  # mariadbd refuses root without it
        subprocess.run(
            ["mariadb-install-db", "--no-defaults", f"--datadir={data}", *user,
             "--auth-root-authentication-method=normal", "--skip-test-db"],
            check=True, capture_output=True,
        )  # fmt: skip
        command = ["mariadbd", "--no-defaults", f"--datadir={data}", f"--socket={sock}",
                   "--skip-networking", f"--pid-file={self.base / 'mariadb.pid'}",
                   "--innodb-buffer-pool-size=32M", *user]  # fmt: skip
        self._spawn(command, self.base / "mariadb.log", self.base)
        _wait_for(lambda: _mariadb(sock, "SELECT 1"), "MariaDB", self.base / "mariadb.log")
        if not _mariadb(sock, "CREATE DATABASE wordpress CHARACTER SET utf8mb4"):
            raise RuntimeError("MariaDB: could not create the wordpress database")
        return sock

    def _lay_out(self, url: str, socket_path: Path) -> Path:
        root, content = self.base / "wordpress", self.base / "wp-content"
        root.mkdir()
        for item in WORDPRESS.iterdir():
            if item.name not in ("wp-config.php", "wp-content"):
                (root / item.name).symlink_to(item)
        (content / "uploads").mkdir(parents=True)
        for name in ("plugins", "themes"):
            (content / name).symlink_to(WORDPRESS / "wp-content" / name)
        (root / "wp-content").symlink_to(content)
        keys = "\n".join(
            f"define('{name}', '{os.urandom(16).hex()}');"
            for name in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
                         "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT")
        )  # fmt: skip
        config = CONFIG.format(socket=socket_path, url=url, content=content, keys=keys)
        (root / "wp-config.php").write_text(config, encoding="utf-8")
        (self.base / "router.php").write_text(ROUTER.format(root=root), encoding="utf-8")
        return root

    def _install(self, root: Path, host: str) -> dict[str, str]:
        script = self.base / "install.php"
        script.write_text(INSTALL.format(root=root, host=host, user=ADMIN), encoding="utf-8")
        done = subprocess.run(["php", str(script)], capture_output=True, text=True, cwd=root)
        if done.returncode != 0:
            raise RuntimeError(f"wp_install failed: {done.stderr or done.stdout}")
        result: dict[str, str] = json.loads(done.stdout[done.stdout.index("{") :])
        return result

    def _serve(self, root: Path, port: int) -> None:
        command = ["php", "-S", f"127.0.0.1:{port}", "-t", str(root), str(self.base / "router.php")]
        self._spawn(command, self.base / "php.log", root)
        url = f"http://127.0.0.1:{port}/wp-json/"
        _wait_for(lambda: httpx.get(url).status_code == 200, "WordPress", self.base / "php.log")


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _mariadb(sock: Path, sql: str) -> bool:
    done = subprocess.run(
        ["mariadb", "--no-defaults", f"--socket={sock}", "-uroot", "-e", sql],
        capture_output=True, text=True,
    )  # fmt: skip
    return done.returncode == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(ready: Callable[[], bool], what: str, log: Path, attempts: int = 300) -> None:
    """Poll ``ready`` until it answers true; fail with the log's end when it never does."""
    for _ in range(attempts):
        try:
            if ready():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"{what} did not start:\n{tail}")
