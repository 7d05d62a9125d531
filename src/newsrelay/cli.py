"""The ``newsrelay`` command line.

Exit codes: 0 success; 1 the work ran but the result is not usable (a translation failed);
2 bad usage or settings; 3 a component cannot run here (missing Apertium pair ...);
4 the store cannot be opened or is damaged; 5 the input could not be read (fetch or extraction
failed); 6 the item named does not exist; 7 a run did not work (every source failed, or a stage
could not run); 8 another run holds the store's run lock.

The global options (``--config``, ``-v``, ``--log-format``) may come before or after the
command.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import getpass
import json
import logging
import os
import re
import socket
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from itertools import zip_longest
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBar
from rich.table import Table

from newsrelay import __version__, metrics, pipeline
from newsrelay.check import Policy, check_translation
from newsrelay.check.residue import residue_findings
from newsrelay.config import (
    DEFAULT_CONFIG,
    ENV_PREFIX,
    Settings,
    config_path,
    load_settings,
    render_config,
)
from newsrelay.dedupe import compare
from newsrelay.demo import DemoServer
from newsrelay.errors import (
    ConfigError,
    EngineError,
    ExtractError,
    FeedError,
    FetchError,
    Locked,
    NewsrelayError,
    NotConfigured,
    NotFound,
    StoreError,
)
from newsrelay.extract import extract_article
from newsrelay.ingest import Fetcher, decode_page, parse_feed
from newsrelay.logs import FORMATS, setup_logging
from newsrelay.markup import html_paragraphs, story_text
from newsrelay.model import Article, Decision, Finding, Source, Translation
from newsrelay.publish.site import write_atomic
from newsrelay.sources import add_source, from_opml, set_paused, to_opml
from newsrelay.store import Store, utcnow
from newsrelay.translate import Engine, available_engines, load_engine, neural, translate_article
from newsrelay.translate.glossary import Glossary, load_glossary

EXIT_CODES: list[tuple[type[NewsrelayError], int]] = [
    (ConfigError, 2),
    (NotConfigured, 3),
    (Locked, 8),
    (StoreError, 4),
    (NotFound, 6),
    (FetchError, 5),
    (FeedError, 5),
    (ExtractError, 5),
    (EngineError, 1),
    (NewsrelayError, 1),
]

app = typer.Typer(
    help="Republish syndicated news in other languages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # main() says what went wrong in one line
)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)
log = logging.getLogger("newsrelay")


class State:
    """Options shared by all commands."""

    config: Path | None = None


state = State()


def _print_version(value: bool) -> None:
    if value:
        print(f"newsrelay {__version__}")
        raise typer.Exit(0)


@app.callback()
def common(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help=f"Settings file (default ./{DEFAULT_CONFIG}).",
            envvar=ENV_PREFIX + "CONFIG",
        ),
    ] = None,
    verbose: Annotated[
        int,
        typer.Option("--verbose", "-v", count=True, metavar="", help="More logging (-vv: debug)."),
    ] = 0,
    log_format: Annotated[
        str,
        typer.Option("--log-format", help="text (timestamped lines) or json (one object a line)."),
    ] = "text",
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version."
        ),
    ] = False,
) -> None:
    """Options for every command; they may also come after the command."""
    if log_format not in FORMATS:
        raise ConfigError(f"--log-format {log_format}: expected one of {', '.join(FORMATS)}")
    state.config = config
    setup_logging(verbose, log_format)


def _settings(overrides: dict[str, object] | None = None) -> Settings:
    return load_settings(_config_file(), overrides=overrides)


def _config_file() -> Path:
    """The settings file the command names, which must exist."""
    path = config_path(state.config)
    if not path.exists():
        raise ConfigError(f"{path}: no such settings file; create one with 'newsrelay init'")
    return path


NoMemory = Annotated[
    bool, typer.Option("--no-memory", help="Translate every sentence again; ignore stored ones.")
]


@app.command()
def init(
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented newsrelay.toml to start from."""
    path = state.config or Path(DEFAULT_CONFIG)
    if path.exists() and not force:
        raise ConfigError(f"{path}: already exists; pass --force to overwrite it")
    path.write_text(render_config(), encoding="utf-8")
    out.print(f"wrote {path}; add your sources, then run 'newsrelay run'")


class Executor(enum.StrEnum):
    """Who does a run's work."""

    LOCAL = "local"
    CELERY = "celery"


@app.command()
def run(
    watch: Annotated[
        float | None, typer.Option(help="Keep polling, every this many minutes.", min=0.1)
    ] = None,
    no_memory: NoMemory = False,
    wait: Annotated[
        float,
        typer.Option(help="Seconds to wait for another run on the same store to end.", min=0),
    ] = 0,
    executor: Annotated[
        Executor,
        typer.Option(
            help="local: this process does the work; celery: newsrelay workers do it, "
            "this process sends it to them (broker_url)."
        ),
    ] = Executor.LOCAL,
) -> None:
    """Poll all sources once and take every story through to the site; exit 7 when the run did
    not work (every source failed, or a stage could not run), 8 when another run holds the
    store. With ``--executor celery --watch`` it is the workers' scheduler: each source is
    polled every ``poll.interval_minutes``, the site built and the targets pushed each minute."""
    settings = _settings({"translate.memory": False} if no_memory else None)
    if executor == "celery" and watch is not None:
        _dispatch_forever(settings, wait=wait)
        return
    while True:
        report = _run_pass(settings, wait=wait, executor=executor)
        _print_report(report)
        if report.outage:
            problems = [f"{stage}: {error}" for stage, error in report.stage_errors.items()]
            if not problems:
                problems = ["every source failed to poll (newsrelay status shows why)"]
            err.print(f"[bold red]error:[/] the run did not work: {escape('; '.join(problems))}",
                      highlight=False)  # fmt: skip
            if watch is None:
                raise typer.Exit(7)
        if watch is None:
            return
        out.print(f"next pass in {watch:g} minutes (Ctrl-C stops)")
        try:
            time.sleep(watch * 60)
        except KeyboardInterrupt:
            return


def _run_pass(
    settings: Settings, *, wait: float = 0, executor: str = "local"
) -> pipeline.RunReport:
    _check_writable(settings.output_dir)
    store = Store.open(settings.store_url)
    try:
        store.check_integrity()
        if executor == "celery":
            with store.run_lock().held(wait):
                report: pipeline.RunReport = _tasks().Dispatcher(settings, store).once()
        else:
            with store.run_lock().held(wait), RichProgress() as progress:
                report = pipeline.run_once(settings, store, progress=progress)
        if settings.metrics_file:
            text = metrics.render(metrics.from_status(store.metrics_snapshot(), report.seconds))
            write_atomic(settings.root / settings.metrics_file, text)
        return report
    finally:
        store.close()


def _tasks() -> Any:
    """newsrelay's Celery module; Celery only where it is used."""
    try:
        from newsrelay.pipeline import tasks
    except ModuleNotFoundError as exc:
        raise NotConfigured(f"the executor celery needs {exc.name!r}, which is not installed: "
                            "pip install 'newsrelay[celery]'") from None  # fmt: skip
    return tasks


def _dispatch_forever(settings: Settings, *, wait: float) -> None:
    _check_writable(settings.output_dir)
    store = Store.open(settings.store_url)
    try:
        with store.run_lock().held(wait):
            out.print("sending work to the newsrelay workers (Ctrl-C stops)")
            with contextlib.suppress(KeyboardInterrupt):
                _tasks().Dispatcher(settings, store).forever()
    finally:
        store.close()


@app.command()
def worker(
    queues: Annotated[
        str, typer.Option(help="The stages' queues this worker takes work from, comma-separated.")
    ] = "poll,fetch,extract,dedupe,translate,check,publish,push",
    concurrency: Annotated[
        int, typer.Option(help="Worker processes (each with its own engine).", min=1)
    ] = 2,
) -> None:
    """Work for ``newsrelay run --executor celery``: take the units of the given stages from
    Redis (``broker_url``), with the store at ``database_url`` (PostgreSQL for several
    machines); translation workers can run on the machines with GPUs (``--queues translate``)."""
    tasks = _tasks()
    settings = _settings()
    wanted = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = sorted(set(wanted) - set(tasks.QUEUES))
    if unknown or not wanted:
        raise ConfigError(f"--queues: {', '.join(unknown) or 'none given'}: the queues are "
                          f"{', '.join(tasks.QUEUES)}")  # fmt: skip
    Store.open(settings.store_url).close()  # migrated, and reachable, before any work
    celery = tasks.make_app(settings)
    done = celery.Worker(queues=wanted, concurrency=concurrency, loglevel="INFO",
                         hostname=f"newsrelay-{os.getpid()}@%h", quiet=True)  # fmt: skip
    done.start()
    raise typer.Exit(done.exitcode or 0)


def _check_writable(folder: Path) -> None:
    """Refuse, before any work, a site folder that cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".newsrelay-write-test-"):
            pass
    except OSError as exc:
        raise ConfigError(f"{folder}: the site folder cannot be written: "
                          f"{exc.strerror or exc}") from None  # fmt: skip


class RichProgress(pipeline.Progress):
    """Progress bars on stderr, one per stage."""

    def __init__(self) -> None:
        self.bar = RichBar(
            TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err, transient=False,
        )  # fmt: skip
        self.task: Any = None

    def __enter__(self) -> RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def stage(self, name: str, total: int) -> None:
        """Start a bar for a stage."""
        self.task = self.bar.add_task(name, total=total)

    def advance(self) -> None:
        """Advance the current bar."""
        self.bar.advance(self.task)


def _print_report(report: pipeline.RunReport) -> None:
    table = Table("stage", "outcomes", "seconds", title="this pass")
    for stage in pipeline.STAGES:  # the workers' seconds are in their logs, not in this report
        if stage not in report.seconds and stage not in report.counts:
            continue
        counts = report.counts.get(stage, {})
        text = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing to do"
        seconds = report.seconds.get(stage)
        table.add_row(stage, text, "" if seconds is None else f"{seconds:.1f}")
    out.print(table)


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    problems: Annotated[int, typer.Option(help="How many recent failures to list.")] = 20,
) -> None:
    """Per source health, counts per stage and language, engine use per day, the latest
    failures with their reasons, and the latest updates and removals of published stories by
    their sources."""
    with _open_store() as store:
        store.check_integrity()
        report = store.status_counts() | {
            "sources": store.source_health(),
            "memory_segments": store.memory_size(),
            "engine_usage": store.engine_usage(),
            "problems": store.problems(problems),
            "changes": store.changes(problems),
        }
    if as_json:
        print(json.dumps(report, indent=2))
        return
    health = Table("source", "last poll", "last success", "entries", "published", "held",
                   "failing since", "last error", title="sources (times in UTC)")  # fmt: skip
    for row in report["sources"]:
        health.add_row(row["source"], row["last_poll"] or "never", row["last_success"] or "never",
                       str(row["entries"]), str(row["published"]), str(row["held"]),
                       row["failing_since"] or "", escape(row["last_error"] or ""))  # fmt: skip
    entries = Table("entry status", "count", title="entries")
    for name, count in report["entries"].items():
        entries.add_row(name, str(count))
    entries.add_row("articles", str(report["stories"]["articles"]))
    entries.add_row("stories", str(report["stories"]["stories"]))
    for stage, count in report["working"].items():
        entries.add_row(f"being worked on: {stage}", str(count))
    out.print(health)
    languages = Table("language", "counts", title="translations")
    for language, counts in report["languages"].items():
        languages.add_row(language, ", ".join(f"{k} {v}" for k, v in counts.items()))
    failures = Table("when", "stage", "reason", "item", title="recent failures and drops")
    for p in report["problems"]:
        failures.add_row(p["at"], p["stage"], p["reason"] or p["outcome"], p["item"])
    changes = Table("when", "stage", "reason", "item", title="updated and removed by sources")
    for c in report["changes"]:
        changes.add_row(c["at"], c["stage"], c["reason"], c["item"])
    usage = Table("day", "source", "engine", "translations", "characters in", "characters out",
                  "tokens in", "tokens out", "segments sent", "from memory", "seconds",
                  title="engine use, last 7 days (UTC)")  # fmt: skip
    for u in report["engine_usage"]:
        engine = f"{u['engine']} ({u['model']})" if u["model"] else u["engine"]
        usage.add_row(u["day"], u["source"], engine, str(u["translations"]),
                      str(u["chars_in"]), str(u["chars_out"]), str(u["tokens_in"]),
                      str(u["tokens_out"]), str(u["segments_sent"]),
                      str(u["segments_recalled"]), f"{u['engine_seconds']:.1f}")  # fmt: skip
    out.print(entries, languages, usage, failures, changes)
    out.print(f"translation memory: {report['memory_segments']} sentences")


@app.command("metrics")
def metrics_command() -> None:
    """Print metrics in Prometheus' text format: entries, translations and holds by kind,
    failures by stage and reason, per source errors and last success, queue ages, engine
    characters, segments and seconds per source and engine."""
    with _open_store() as store:
        print(metrics.render(metrics.from_status(store.metrics_snapshot())), end="")


@app.command()
def recheck() -> None:
    """Make every published story within publish.recheck_days due for another look at its
    source on the next run (updates, removals and retractions are caught then)."""
    settings = _settings()
    since = utcnow() - timedelta(days=settings.publish.recheck_days)
    with _open_store() as store:
        count = store.recheck_now(since=since)
    out.print(f"{count} published stories will be looked at again on the next run")


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8080,
    directory: Annotated[Path | None, typer.Option(help="Site folder (default: settings).")] = None,
    desk: Annotated[
        bool, typer.Option("--desk", help="Serve the desk (review, dashboard, sources, API).")
    ] = False,
    host: Annotated[str, typer.Option(help="Address the desk listens on.")] = "127.0.0.1",
) -> None:
    """Preview the site on 127.0.0.1, or serve the desk (``--desk``)."""
    if desk:
        _serve_desk(host, port)
        return
    folder = directory or _settings().output_dir
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no site here yet; run 'newsrelay run' first")
    _serve(folder, port)


def _serve_desk(host: str, port: int) -> None:
    import uvicorn

    from newsrelay.web import create_app

    settings = _settings()
    with _open_store() as store:
        application = create_app(settings, store, _config_file())
        with socket.socket() as probe:  # a busy port is one line, not uvicorn's traceback
            if probe.connect_ex((host, port)) == 0:
                raise ConfigError(f"{host}:{port} is already in use; choose another port "
                                  "with --port")  # fmt: skip
        out.print(f"the desk at http://{host}:{port}/ (Ctrl-C stops)")
        uvicorn.run(application, host=host, port=port, log_level="warning", proxy_headers=True)


users_app = typer.Typer(help="The people who may use the desk.")
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Their login name.")],
    role: Annotated[str, typer.Option(help="editor or admin.")] = "editor",
    password_file: Annotated[
        Path | None, typer.Option(help="Read the password from this file instead of asking.")
    ] = None,
) -> None:
    """Add a person to the desk (the password is kept as an argon2id hash)."""
    from newsrelay.web.auth import hash_password

    if password_file is not None:
        password = password_file.read_text(encoding="utf-8").strip()
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise ConfigError("the password must have at least 10 characters")
    with _open_store() as store:
        store.add_user(name, role, hash_password(password))
        store.record_action(f"{getpass.getuser()} (command line)", "add_user", f"user {name}",
                            after=role)  # fmt: skip
    out.print(f"user {name} ({role}) added")


tokens_app = typer.Typer(help="API tokens of the desk's JSON API.")
app.add_typer(tokens_app, name="tokens")


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Argument(help="What the token is for.")],
    scope: Annotated[str, typer.Option(help="read, or write (which may also act).")] = "read",
) -> None:
    """Create an API token; it is printed once and the store keeps only its hash."""
    from newsrelay.web.auth import create_token

    with _open_store() as store:
        key = create_token(store, name, scope)
        store.record_action(f"{getpass.getuser()} (command line)", "add_token", f"token {name}",
                            after=scope)  # fmt: skip
    print(key)


def _serve(folder: Path, port: int) -> None:
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    try:
        httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"127.0.0.1:{port} is already in use; choose another port "
                              "with --port") from None  # fmt: skip
        raise ConfigError(f"127.0.0.1:{port}: cannot serve: {exc.strerror or exc}") from None
    with httpd:
        out.print(f"serving {folder} at http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()


@app.command()
def translate(
    source: Annotated[str, typer.Argument(help="A URL, an HTML file, or a .txt file.")],
    to: Annotated[str, typer.Option("--to", help="Target language (ISO 639-1).")],
    from_: Annotated[
        str | None,
        typer.Option("--from", help="Source language; default: the page's, else en."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    no_memory: NoMemory = False,
) -> None:
    """Translate one article and print it (with the glossary, and the memory of the store a
    settings file names)."""
    settings = load_settings(state.config)
    configured = config_path(state.config).exists()
    article = _read_article(source, settings)
    source_language = from_ or article.language or "en"
    engine = load_engine(settings, [(source_language, to)])
    glossary = load_glossary(settings.glossary_path) if settings.glossary_path else Glossary()
    memory = settings.translate.memory and configured and not no_memory
    store = Store.open(settings.store_url) if memory else None
    try:
        result = translate_article(
            engine, article, source_language, to, keep=settings.translate.keep,
            forced=glossary.terms(source_language, to), memory=store,
        )  # fmt: skip
    finally:
        if store is not None:
            store.close()
    paragraphs = html_paragraphs(result.body_html)
    if as_json:
        print(json.dumps({"title": result.title, "paragraphs": paragraphs, "html": result.body_html,
                          "source_language": source_language, "language": to,
                          "engine": result.engine}, ensure_ascii=False, indent=2))  # fmt: skip
        return
    print("\n\n".join([result.title, *paragraphs]))


@app.command()
def extract(
    source: Annotated[str, typer.Argument(help="A URL or an HTML file.")],
    explain: Annotated[bool, typer.Option(help="List every removed block and its rule.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Extract one article and print its text and metadata."""
    article = _read_article(source, load_settings(state.config))
    if as_json:
        data = {"title": article.title, "text": article.text, "html": article.body_html,
                "language": article.language, "url": article.url, "meta": asdict(article.meta),
                "removed": [asdict(r) for r in article.removed]}  # fmt: skip
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print(article.title, end="\n\n")
    print(article.text)
    if explain:
        table = Table("rule", "removed text", title="removed blocks")
        for removed in article.removed:
            table.add_row(removed.rule, removed.text)
        err.print(table if article.removed else "nothing was removed")


removed_app = typer.Typer(help="Blocks extraction removed, and undoing a wrong removal.")
app.add_typer(removed_app, name="removed")


@removed_app.command("list")
def removed_list(
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List removed blocks with their id, rule, source and article."""
    with _open_store() as store:
        rows = store.removed(source=source, limit=limit)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("id", "rule", "source", "text", title="removed blocks")
    for row in rows:
        table.add_row(str(row["id"]), row["rule"], row["source"], row["text"])
    out.print(table)


@removed_app.command("keep")
def removed_keep(
    block_id: Annotated[int, typer.Argument(help="The id shown by 'newsrelay removed list'.")],
) -> None:
    """Keep a wrongly removed block from now on for its source, and re-extract what lost it."""
    with _open_store() as store:
        kept = store.keep_block(block_id)
    out.print(
        f"kept {kept['text'][:80]!r} for its source; "
        f"{kept['articles_requeued']} articles will be extracted again on the next run"
    )


@app.command()
def check(
    source: Annotated[str, typer.Argument(help="The source text: a URL, HTML or .txt file.")],
    translation: Annotated[str, typer.Argument(help="Its translation: a URL, HTML or .txt file.")],
    from_: Annotated[str, typer.Option("--from", help="Source language.")] = "en",
    to: Annotated[str, typer.Option("--to", help="Translation language.")] = "es",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    machine: Annotated[
        bool,
        typer.Option(help="The translation is an engine's: a name rendered in words is held."),
    ] = False,
) -> None:
    """Check any translation; exit 0 when the verdict is publish, 1 when it is not."""
    settings = load_settings(state.config)
    original, translated = _read_article(source, settings), _read_article(translation, settings)
    engine = _optional_engine(settings, from_, to)
    verdict = check_translation(
        original,
        Translation(to, from_, engine.name if engine else "unknown", translated.title,
                    translated.body_html),
        policy=Policy.from_settings(settings.check),
        engine=engine,
        machine=machine,
    )  # fmt: skip
    _print_findings(verdict.findings, {"verdict": verdict.decision.value}, as_json)
    raise typer.Exit(0 if verdict.decision is Decision.PUBLISH else 1)


@app.command()
def lint(
    file: Annotated[
        str, typer.Argument(help="A published text: .txt (one paragraph a line) or HTML.")
    ],
    lang: Annotated[str, typer.Option("--lang", help="Its language.")] = "es",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Flag promos, calls to action and teasers left in a published text; exit 1 if any."""
    path = Path(file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot be read: {exc}") from None
    if path.suffix.lower() in (".html", ".htm"):
        lines = list(enumerate(html_paragraphs(text), start=1))  # (paragraph number, text)
    else:
        lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    findings = [
        replace(f, paragraph=lines[f.paragraph][0]) if f.paragraph is not None else f
        for f in residue_findings([text for _, text in lines])
    ]
    unit = "paragraph" if path.suffix.lower() in (".html", ".htm") else "line"
    _print_findings(findings, {"language": lang, "numbered_by": unit}, as_json)
    raise typer.Exit(1 if findings else 0)


def _optional_engine(settings: Settings, source: str, target: str) -> Engine | None:
    """The configured engine when it can run here; the checks that need it are skipped if not."""
    try:
        return load_engine(settings, [(source, target)])
    except NotConfigured as exc:
        log.warning("checks run without a translation engine: %s", exc)
        return None


def _print_findings(findings: Sequence[Finding], head: dict[str, Any], as_json: bool) -> None:
    if as_json:
        rows = [asdict(f) for f in findings]
        print(json.dumps(head | {"findings": rows}, ensure_ascii=False, indent=2))
        return
    table = Table(
        "paragraph", "kind", "message", title=", ".join(f"{k}: {v}" for k, v in head.items())
    )
    for f in findings:
        table.add_row("" if f.paragraph is None else str(f.paragraph), f.kind, f.message)
    out.print(table)


review_app = typer.Typer(help="Translations held by the checks: look, approve, edit or reject.")
app.add_typer(review_app, name="review")


@review_app.command("list")
def review_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    monitored: Annotated[
        bool, typer.Option(help="Instead, the translations of sources in monitor mode.")
    ] = False,
) -> None:
    """List held translations with the kinds of their findings (or, with --monitored, the
    translations of sources not licensed for republishing, which are never published)."""
    with _open_store() as store:
        rows = store.held(monitored=monitored)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("id", "lang", "title", "findings", "source", title="held for review")
    for row in rows:
        table.add_row(
            str(row["id"]), row["language"], row["title"], ", ".join(row["kinds"]), row["url"]
        )
    out.print(table)


@review_app.command("show")
def review_show(
    translation_id: Annotated[int, typer.Argument(help="The id from 'newsrelay review list'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a translation beside its source, with the findings."""
    with _open_store() as store:
        translation, article = store.translation(translation_id)
        verdict = store.verdict(translation_id)
    findings = verdict.findings if verdict else ()
    if as_json:
        data = {"id": translation_id, "decision": verdict.decision.value if verdict else None,
                "source": [article.title, *article.paragraphs],
                "translation": [translation.title, *html_paragraphs(translation.body_html)],
                "findings": [asdict(f) for f in findings]}  # fmt: skip
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    pairs = Table("#", article.url or "source", f"translation ({translation.language})")
    for i, (s, t) in enumerate(
        zip_longest(
            [article.title, *article.paragraphs],
            [translation.title, *html_paragraphs(translation.body_html)],
            fillvalue="",
        )
    ):
        pairs.add_row(str(i), s, t)
    out.print(pairs)
    _print_findings(
        findings, {"decision": verdict.decision.value if verdict else "unchecked"}, False
    )


@review_app.command("approve")
def review_approve(translation_id: Annotated[int, typer.Argument()]) -> None:
    """Publish a held translation as it is (on the next run)."""
    _review(translation_id, Decision.PUBLISH)


@review_app.command("reject")
def review_reject(translation_id: Annotated[int, typer.Argument()]) -> None:
    """Never publish this translation."""
    _review(translation_id, Decision.REJECT)


@review_app.command("edit")
def review_edit(
    translation_id: Annotated[int, typer.Argument()],
    file: Annotated[
        Path, typer.Argument(help="The corrected text: headline, blank line, paragraphs.")
    ],
) -> None:
    """Replace a translation with a person's corrected text and approve it."""
    try:
        corrected = _text_article(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot be read: {exc}") from None
    _review(translation_id, Decision.PUBLISH, title=corrected.title, body_html=corrected.body_html)


def _review(
    translation_id: int, decision: Decision, title: str | None = None,
    body_html: str | None = None,
) -> None:  # fmt: skip
    who = f"{getpass.getuser()} (command line)"
    with _open_store() as store:
        store.review(translation_id, decision, title=title, body_html=body_html, reviewer=who)
        store.record_action(who, decision.value, f"translation {translation_id}",
                            after="edited" if body_html else None)  # fmt: skip
    action = "approved" if decision is Decision.PUBLISH else "rejected"
    out.print(
        f"translation {translation_id} {action}"
        + ("; it is published on the next run" if decision is Decision.PUBLISH else "")
    )


engines_app = typer.Typer(help="Translation engines.")
app.add_typer(engines_app, name="engines")


@engines_app.command("list")
def engines_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every registered engine, whether it can run here, and its language pairs."""
    settings = load_settings(state.config)
    rows: list[dict[str, Any]] = []
    for name, entry_point in sorted(available_engines().items()):
        try:
            engine = entry_point.load()(settings)
            pairs = sorted(f"{s}->{t}" for s, t in engine.pairs())
            rows.append({"engine": name, "available": True, "pairs": pairs, "problem": None})
        except NotConfigured as exc:
            rows.append({"engine": name, "available": False, "pairs": [], "problem": str(exc)})
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table("engine", "pairs", title="translation engines")
    for row in rows:
        table.add_row(row["engine"], ", ".join(row["pairs"]) or f"[red]{row['problem']}[/]")
    out.print(table)


models_app = typer.Typer(help="Neural translation models (translate.models_dir).")
models_install_app = typer.Typer(help="Install a model for the ctranslate2 or argos engine.")
app.add_typer(models_app, name="models")
models_app.add_typer(models_install_app, name="install")


@models_install_app.command("argos")
def models_install_argos(
    source: Annotated[str, typer.Argument(help="A .argosmodel file or its http(s) URL.")],
    sha256: Annotated[
        str | None, typer.Option(help="Expected SHA-256 of the file; refused if it differs.")
    ] = None,
) -> None:
    """Install an Argos Translate package for the argos engine."""
    card = neural.install_argos_package(source, load_settings(state.config).models_dir, sha256)
    out.print(f"installed {_model_line(card)}; the argos engine serves it", highlight=False)


@models_install_app.command("opus-mt")
def models_install_opus_mt(
    source: Annotated[str, typer.Argument(help="Source language (ISO 639-1).")],
    target: Annotated[str, typer.Argument(help="Target language (ISO 639-1).")],
) -> None:
    """Download Helsinki-NLP/opus-mt-SRC-TGT and convert it for the ctranslate2 engine."""
    card = neural.install_opus_mt(source, target, load_settings(state.config).models_dir)
    out.print(f"installed {_model_line(card)}; the ctranslate2 engine serves it", highlight=False)


@models_app.command("list")
def models_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Installed models: name, kind, pairs and folder."""
    models_dir = load_settings(state.config).models_dir
    rows: list[dict[str, Any]] = [
        {"name": c.name, "version": c.version, "kind": c.kind, "folder": str(c.folder),
         "pairs": sorted(f"{s}->{t}" for s, t in c.pairs)}
        for c in neural.installed_models(models_dir)
    ]  # fmt: skip
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table("name", "kind", "pairs", "folder", title=f"models in {models_dir}")
    for row in rows:
        table.add_row(row["name"], row["kind"], ", ".join(row["pairs"]), row["folder"])
    out.print(table if rows else f"no models in {models_dir}")


def _model_line(card: neural.ModelCard) -> str:
    pairs = ", ".join(sorted(f"{s}->{t}" for s, t in card.pairs))
    return f"{card.name} {card.version} ({card.kind}, {pairs}) in {card.folder}"


sources_app = typer.Typer(help="The sources of newsrelay.toml: list, test, add, pause, OPML.")
app.add_typer(sources_app, name="sources")


@sources_app.command("list")
def sources_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every configured source with its license, state and health."""
    settings = _settings()
    with _open_store() as store:
        health = {row["source"]: row for row in store.source_health()}
    rows = [{"name": s.name, "url": s.url, "language": s.language, "license": s.license,
             "republish": s.republish, "paused": s.paused,
             **{k: v for k, v in health.get(s.name, {}).items()
                if k not in ("source", "url", "license")}}
            for s in settings.sources]  # fmt: skip
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("name", "state", "license", "the feed states", "last success", "published",
                  "held", "last error", title="sources")  # fmt: skip
    for row in rows:
        state = "paused" if row["paused"] else "monitor" if not row["republish"] else "active"
        table.add_row(escape(row["name"]), state, escape(row["license"] or "-"),
                      escape(row.get("rights") or "-"),
                      row.get("last_success") or "never", str(row.get("published", 0)),
                      str(row.get("held", 0)), escape(row.get("last_error") or ""))  # fmt: skip
    out.print(table)


@sources_app.command("test")
def sources_test(name: Annotated[str, typer.Argument(help="The source's name.")]) -> None:
    """Poll a source now, without storing anything, and extract its newest entry's page."""
    settings = _settings()
    source = next((s for s in settings.sources if s.name == name), None)
    if source is None:
        raise NotFound(f"no source named {name!r} in the settings")
    with Fetcher(settings.fetch) as fetcher:
        response = fetcher.get(source.url)
        max_age = timedelta(days=settings.poll.sitemap_max_age_days)
        result = parse_feed(response.body, response.url, sitemap_max_age=max_age)
        out.print(f"{source.url}: {len(result.entries)} entries, "
                  f"{len(result.sitemaps)} child sitemaps", highlight=False)  # fmt: skip
        for warning in result.warnings:
            err.print(f"warning: {escape(warning)}", highlight=False)
    if result.entries:
        entry = result.entries[0]
        article = _read_article(entry.url, settings)
        words = len(article.text.split())
        out.print(f"newest entry {entry.url}: {escape(article.title)!r}, {words} words, "
                  f"{len(article.removed)} blocks removed", highlight=False)  # fmt: skip


@sources_app.command("add")
def sources_add(
    name: Annotated[str, typer.Argument(help="A name for the source (its outlet).")],
    url: Annotated[str, typer.Argument(help="Its feed or sitemap (http or https).")],
    language: Annotated[str, typer.Option(help="Its language (ISO 639-1).")] = "en",
    license_: Annotated[str, typer.Option("--license", help="The license you have.")] = "",
    attribution: Annotated[str, typer.Option(help="The credit line it asks for.")] = "",
    republish: Annotated[
        bool, typer.Option(help="Licensed to republish; --no-republish monitors only.")
    ] = True,
) -> None:
    """Add a source to newsrelay.toml (its comments and layout are kept)."""
    path = _config_file()
    source = Source(name=name, url=url, language=language, license=license_,
                    attribution=attribution, republish=republish)  # fmt: skip
    load_settings(path)  # the file must be valid before it is changed
    add_source(path, source)
    load_settings(path)  # and after: a bad value is reported now, not on the next run
    out.print(f"added {name!r} to {path}", highlight=False)


@sources_app.command("pause")
def sources_pause(name: Annotated[str, typer.Argument(help="The source's name.")]) -> None:
    """Stop polling a source (what it already gave still goes through)."""
    set_paused(_config_file(), name, True)
    out.print(f"{name!r} is paused; 'newsrelay sources resume' polls it again", highlight=False)


@sources_app.command("resume")
def sources_resume(name: Annotated[str, typer.Argument(help="The source's name.")]) -> None:
    """Poll a paused source again."""
    set_paused(_config_file(), name, False)
    out.print(f"{name!r} is polled again", highlight=False)


@sources_app.command("import-opml")
def sources_import_opml(
    file: Annotated[Path, typer.Argument(help="An OPML file of feeds.")],
) -> None:
    """Add the feeds of an OPML file (not licensed for republishing until you say so: they are
    added with republish = false unless the file marks them republish="true")."""
    path = _config_file()
    try:
        imported = from_opml(file.read_bytes(), str(file))
    except OSError as exc:
        raise ConfigError(f"{file}: cannot be read: {exc.strerror}") from None
    known = {s.name for s in load_settings(path).sources}
    added = [s for s in imported if s.name not in known]
    for source in added:
        add_source(path, source)
    load_settings(path)
    known_already = len(imported) - len(added)
    out.print(f"{len(added)} sources added ({known_already} known already); set republish = "
              "true for those you are licensed to republish", highlight=False)  # fmt: skip


@sources_app.command("export-opml")
def sources_export_opml() -> None:
    """Print the sources as an OPML 2.0 file."""
    settings = _settings()
    print(to_opml(settings.sources, settings.site.title), end="")


dedupe_app = typer.Typer(help="Near-duplicate detection: one story, many sources.")
app.add_typer(dedupe_app, name="dedupe")


@dedupe_app.command("explain")
def dedupe_explain(
    first: Annotated[str, typer.Argument(help="A URL, an HTML file or a .txt file.")],
    second: Annotated[str, typer.Argument(help="A URL, an HTML file or a .txt file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """How similar two articles are, and whether newsrelay treats them as one story, and why."""
    settings = load_settings(state.config)
    a, b = _read_article(first, settings), _read_article(second, settings)
    result = compare(story_text(a.title, a.body_html), story_text(b.title, b.body_html),
                     same_key=first == second)  # fmt: skip
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    verdict = "the same story" if result.same_story else "different stories"
    out.print(f"[bold]{verdict}[/] ({result.relation.value})")
    for reason in result.reasons:
        out.print(f"- {reason}", highlight=False)


@contextmanager
def _open_store() -> Iterator[Store]:
    store = Store.open(_settings().store_url)
    try:
        yield store
    finally:
        store.close()


def _read_article(source: str, settings: Settings) -> Article:
    if source.startswith(("http://", "https://")):
        with Fetcher(settings.fetch) as fetcher:
            response = fetcher.get(source)
        html, _ = decode_page(response.body, response.headers.get("content-type", ""))
        return extract_article(html, response.url)
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{source}: cannot be read: {exc.strerror}") from None
    if path.suffix.lower() == ".txt":
        return _text_article(data.decode("utf-8", "replace"))
    html, _ = decode_page(data, "")
    return extract_article(html, path.resolve().as_uri())


def _text_article(text: str) -> Article:
    from html import escape

    blocks = [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]
    title = blocks[0] if blocks else ""
    body = "".join(f"<p>{escape(b)}</p>" for b in blocks[1:])
    return Article(title=title, body_html=body)


@app.command()
def demo(
    output: Annotated[Path, typer.Option(help="Folder the demo site is written to.")] = Path(
        "site"
    ),
    serve_site: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the site when done.")
    ] = True,
    port: Annotated[int, typer.Option(help="Preview port on 127.0.0.1.")] = 8080,
) -> None:
    """Run the whole pipeline on a bundled sample source into Spanish, then serve the site."""

    output = output.resolve()
    with (
        tempfile.TemporaryDirectory(prefix="newsrelay-demo-") as workdir,
        DemoServer() as sample,
    ):
        config = Path(workdir) / DEFAULT_CONFIG
        source = Source(
            name="The Lakeside Courier (sample)",
            url=sample.feed_url,
            language="en",
            license="CC BY 4.0 (sample content written for newsrelay)",
            attribution="Republished from The Lakeside Courier, a sample source.",
        )
        config.write_text(render_config([source]), encoding="utf-8")
        out.print(f"sample source at {sample.feed_url}; settings in {config}")
        site = {
            "site.output": str(output),
            "site.base_url": f"http://127.0.0.1:{port}/",
            "fetch.allow_addresses": ["127.0.0.1"],
        }  # the sample site; nothing else local
        _print_report(_run_pass(load_settings(config, overrides=site)))
    out.print(f"site written to {output}")
    if serve_site:
        _serve(output, port)


GLOBAL_FLAGS = re.compile(r"-v+|--verbose")
GLOBAL_OPTIONS = ("--config", "-c", "--log-format")  # each takes a value


def global_options_first(args: Sequence[str]) -> list[str]:
    """``args`` with the global options moved before the command, so that they work after it
    too (``newsrelay status --config x.toml -v``)."""
    front: list[str] = []
    rest: list[str] = []
    items = iter(args)
    for arg in items:
        if arg == "--":
            rest += [arg, *items]
        elif GLOBAL_FLAGS.fullmatch(arg):
            front.append(arg)
        elif arg in GLOBAL_OPTIONS:
            front += [arg, *[value for value in [next(items, None)] if value is not None]]
        elif arg.startswith(tuple(f"{o}=" for o in GLOBAL_OPTIONS if o.startswith("--"))):
            front.append(arg)
        else:
            rest.append(arg)
    return front + rest


def main() -> None:
    """Entry point of the ``newsrelay`` command."""
    try:
        app(args=global_options_first(sys.argv[1:]), prog_name="newsrelay")
    except NewsrelayError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        code = next(c for cls, c in EXIT_CODES if isinstance(exc, cls))
        sys.exit(code)
    except KeyboardInterrupt:
        err.print("interrupted; the next run resumes where this one stopped")
        sys.exit(130)
    except Exception as exc:  # a bug: one line, and the traceback with -v
        log.info("traceback:", exc_info=exc)
        what = escape(f"unexpected {type(exc).__name__}: {exc}")
        err.print(f"[bold red]error:[/] {what} (a bug in newsrelay; -v shows where)",
                  highlight=False)  # fmt: skip
        sys.exit(1)
