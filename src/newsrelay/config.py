"""Settings: one declarative table, layered defaults < newsrelay.toml < environment < command line.

Each setting is a field of a section dataclass below, with its type, default and help text. The
environment variable of ``fetch.timeout`` is ``NEWSRELAY_FETCH_TIMEOUT``; top-level settings such as
``database_url`` read ``NEWSRELAY_DATABASE_URL``. Sources are ``[[sources]]`` tables in the file.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsrelay.errors import ConfigError
from newsrelay.model import Source

ENV_PREFIX = "NEWSRELAY_"
DEFAULT_CONFIG = "newsrelay.toml"


def setting(default: Any, help: str, choices: tuple[str, ...] = (), *, secret: bool = False) -> Any:
    """Declare one setting: its default, the help text shown in docs and ``init``, the values
    it may take when they are few, and whether it is a secret (environment only)."""
    meta = {"help": help, "choices": choices, "secret": secret}
    if isinstance(default, list | dict):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class SiteSettings:
    """The published site."""

    title: str = setting("newsrelay", "Site title shown on every page and feed.")
    logo: str = setting(
        "", "An image shown before the site's name in the masthead: a path in the site folder "
        "(put the file there) or an http(s) URL."
    )  # fmt: skip
    base_url: str = setting("http://127.0.0.1:8080/", "Public address the site is served from.")
    output: str = setting("site", "Folder the static site is written to (relative to the config).")
    languages: list[str] = setting(["es"], "Languages to publish in (ISO 639-1 codes).")
    theme: str = setting(
        "", "Folder of templates that replace the built-in ones by name (relative to the config)."
    )
    images: str = setting(
        "hotlink",
        "Lead images: link to the source's copy, or mirror it into the site.",
        ("hotlink", "mirror"),
    )
    nofollow_sources: bool = setting(
        False,
        'Links to the sources carry rel="nofollow noopener" (search engines do not follow '
        "them, the source's page cannot reach the reader's tab).",
    )


@dataclass(frozen=True)
class PublishSettings:
    """What happens when a source story changes or goes away, and where stories are pushed."""

    on_removal: str = setting(
        "unpublish",
        "When a source story is gone (404/410) or retracted: unpublish it (a tombstone page, "
        "out of feeds and sitemaps) or keep it with a note.",
        ("unpublish", "keep"),
    )
    recheck_days: float = setting(
        7.0, "Published stories younger than this are fetched again to catch updates and removals."
    )
    wordpress_url: str = setting("", "Address of a WordPress site to push stories to.")
    wordpress_user: str = setting("", "WordPress user that owns the application password.")
    wordpress_password: str = setting(
        "", "WordPress application password; set it in the environment.", secret=True
    )
    wordpress_status: str = setting(
        "publish", "Status of posts created in WordPress.", ("publish", "draft")
    )
    webhook_url: str = setting("", "Address that receives a signed JSON POST for each story.")
    webhook_secret: str = setting(
        "", "Key of the webhook's HMAC-SHA256 signature; set it in the environment.", secret=True
    )


@dataclass(frozen=True)
class TranslateSettings:
    """Translation."""

    engine: str = setting(
        "apertium",
        "Translation engine: apertium, libretranslate, deepl, or one a plugin registers "
        "(`newsrelay engines list`).",
    )
    libretranslate_url: str = setting("", "Address of a LibreTranslate server.")
    libretranslate_key: str = setting(
        "", "LibreTranslate API key; set it in the environment, not in the file.", secret=True
    )
    deepl_url: str = setting("https://api-free.deepl.com", "Address of the DeepL API.")
    deepl_key: str = setting(
        "", "DeepL authentication key; set it in the environment, not in the file.", secret=True
    )
    apy_url: str = setting(
        "", "Address of an Apertium APY server; empty runs Apertium's own pipelines in-process."
    )
    batch_chars: int = setting(20000, "Largest request to an HTTP engine, in characters.")
    keep: list[str] = setting(
        [], "Names never to translate (outlets, brands, people), besides those found by newsrelay."
    )
    glossary: str = setting(
        "",
        "Glossary file of forced translations per language pair (.toml, .csv or .tbx), "
        "relative to the config.",
    )
    memory: bool = setting(True, "Reuse stored translations of unchanged segments.")
    models_dir: str = setting(
        "models", "Folder of neural translation models (relative to the config)."
    )
    device: str = setting("auto", "Where neural models run.", ("auto", "cpu", "cuda"))
    compute_type: str = setting(
        "default",
        "Numeric precision of neural models.",
        ("default", "auto", "int8", "int8_float16", "float16", "float32"),
    )
    batch_tokens: int = setting(2048, "Largest batch sent to a neural model, in tokens.")
    fallback: list[str] = setting(
        [],
        "Engines tried in this order when the engine fails on a story, has reached its daily "
        "limit, or cannot translate the pair (such as deepl, apertium).",
    )
    daily_limit_chars: dict[str, int] = setting(
        {},
        "Characters each engine may be sent per day (UTC), by engine name (openai = 2000000); "
        "past it, new work goes to the next engine of the fallback, or waits for the next day.",
    )
    daily_limit_tokens: dict[str, int] = setting(
        {}, "Tokens each engine may spend per day (UTC), by engine name, where its API counts them."
    )
    openai_url: str = setting(
        "",
        "Base address of an OpenAI-compatible chat-completions API (https://api.openai.com/v1, "
        "Ollama's http://127.0.0.1:11434/v1, a llama.cpp, vLLM or LM Studio server), or of "
        "Ollama's own API with openai_api = ollama.",
    )
    openai_api: str = setting("chat", "The API the openai engine speaks.", ("chat", "ollama"))
    openai_model: str = setting("", "The model the openai engine asks for.")
    openai_key: str = setting(
        "", "The openai engine's API key; set it in the environment, not in the file.", secret=True
    )
    openai_temperature: float = setting(0.0, "Sampling temperature of the openai engine.")
    openai_format: str = setting(
        "json",
        "How segments come back aligned: a JSON schema (response_format; the server must "
        "support structured output), or numbered tags for servers that do not.",
        ("json", "tagged"),
    )
    openai_stream: bool = setting(False, "Stream the openai engine's answers.")
    openai_logprobs: bool = setting(
        False, "Ask the openai engine for log-probabilities: a confidence per sentence."
    )
    openai_batch_segments: int = setting(
        24, "Sentences sent to the openai engine in one request at most."
    )
    openai_prompts: str = setting(
        "",
        "Folder of system prompt templates for the openai engine, SOURCE-TARGET.txt (en-es.txt) "
        "or default.txt, replacing the shipped one (relative to the config).",
    )


@dataclass(frozen=True)
class FetchSettings:
    """Fetching feeds and pages."""

    user_agent: str = setting(
        "newsrelay/0.1 (automatic translation of licensed news)",
        "User-Agent sent with every request; it names newsrelay.",
    )
    timeout: float = setting(20.0, "Seconds to wait for a response before giving up.")
    max_bytes: int = setting(5_000_000, "Largest response body read, in bytes.")
    max_redirects: int = setting(5, "Redirects followed before a URL is dropped.")
    retries: int = setting(2, "Retries on timeouts, 5xx and 429, with exponential backoff.")
    backoff: float = setting(0.5, "First retry delay in seconds; doubles on each retry.")
    max_retry_after: float = setting(60.0, "Longest Retry-After honoured in a run, in seconds.")
    per_host: int = setting(2, "Requests in flight at once to one host.")
    delay: float = setting(0.2, "Pause between two requests to the same host, in seconds.")
    robots: bool = setting(True, "Honour robots.txt.")
    workers: int = setting(8, "Pages fetched in parallel across all hosts.")
    max_attempts: int = setting(
        5,
        "Runs that retry a failed item (page, article, translation) before it is left for a "
        "person.",
    )
    retry_minutes: float = setting(
        5.0, "Minutes before a later run tries a failed item again; doubles on each failure."
    )
    allow_addresses: list[str] = setting(
        [],
        "Addresses or networks that may be fetched although they are not public (loopback, "
        "private, link-local ...), such as 127.0.0.1 or 10.1.0.0/16; every other such address "
        "is refused.",
    )
    deadline: float = setting(
        60.0,
        "Seconds one request may take in all (connecting, headers and body), however "
        "slowly the server sends.",
    )
    use_env_proxy: bool = setting(
        False,
        "Fetch through the proxy named by HTTP_PROXY / HTTPS_PROXY (addresses are then "
        "checked before the request, not at connection).",
    )
    max_pages_per_run: int = setting(
        1000, "Pages fetched in one run at most; the rest wait for the next run, oldest first."
    )


@dataclass(frozen=True)
class ExtractSettings:
    """Extracting articles."""

    template_min_articles: int = setting(
        3, "A block seen in this many recent articles of a source is its template, not story."
    )
    template_window: int = setting(50, "How many recent articles of a source are compared.")


@dataclass(frozen=True)
class CheckSettings:
    """The checks and the policy that turns their findings into publish, hold or reject."""

    hold: list[str] = setting(
        ["numbers", "dates", "names", "negation", "untranslated", "wrong_language", "garbled",
         "paragraph_count", "omission", "addition", "length", "repetition", "residue", "markup",
         "rights", "low_confidence"],
        "Finding kinds that hold a translation for a person to review.",
    )  # fmt: skip
    reject: list[str] = setting(["empty"], "Finding kinds that reject a translation outright.")
    disabled: list[str] = setting(
        ["meaning_drift"],
        "Checks not to run, by name (listed in the README). meaning_drift back-translates every "
        "article, which doubles the engine's work, and does not hold by default.",
    )
    min_confidence: float = setting(
        0.3,
        "A sentence the engine itself is less sure of than this (the mean probability of its "
        "tokens, where the engine gives one: CTranslate2 models, openai with openai_logprobs) "
        "is a low_confidence finding.",
    )
    max_untranslated: float = setting(
        0.01,
        "A story whose body has more words the engine left in the source language (words it "
        "marked as unknown: Apertium's dictionaries lack them) than this share of its words is "
        "an untranslated finding; below it, they are reported paragraph by paragraph.",
    )


@dataclass(frozen=True)
class DedupeSettings:
    """One story, many sources."""

    window_days: float = setting(3.0, "A new article is matched against those of this many days.")
    choose: str = setting(
        "earliest",
        "Which source of a story is translated and credited: the earliest, the first of "
        "dedupe.preferred_sources, or the one with the most permissive license.",
        choices=("earliest", "preferred", "license"),
    )
    preferred_sources: list[str] = setting([], "Source names in order of preference.")


@dataclass(frozen=True)
class PollSettings:
    """Polling sources."""

    sitemap_max_age_days: float = setting(
        2.0, "Plain sitemaps: only URLs whose lastmod is at most this old are taken."
    )
    max_entries: int = setting(
        500, "Entries taken from one feed or sitemap in one poll at most, the newest first."
    )
    interval_minutes: float = setting(
        15.0, "The Celery scheduler polls each source again after this many minutes."
    )


@dataclass(frozen=True)
class Settings:
    """All settings, plus where they came from."""

    database_url: str = setting("", "Database URL; empty means newsrelay.db beside the config.")
    metrics_file: str = setting(
        "",
        "A file newsrelay run rewrites after each pass with metrics in Prometheus' text "
        "format (for node_exporter's textfile collector); empty: none.",
    )
    broker_url: str = setting(
        "redis://127.0.0.1:6379/0",
        "The Redis that Celery workers share (newsrelay worker, run --executor celery).",
    )
    site: SiteSettings = field(default_factory=SiteSettings)
    translate: TranslateSettings = field(default_factory=TranslateSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    check: CheckSettings = field(default_factory=CheckSettings)
    dedupe: DedupeSettings = field(default_factory=DedupeSettings)
    poll: PollSettings = field(default_factory=PollSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    sources: tuple[Source, ...] = ()
    root: Path = Path(".")

    @property
    def output_dir(self) -> Path:
        """The site folder, resolved against the config file's folder."""
        return self.root / self.site.output

    @property
    def models_dir(self) -> Path:
        """The neural models folder, resolved against the config file's folder."""
        return self.root / self.translate.models_dir

    @property
    def glossary_path(self) -> Path | None:
        """The glossary file, resolved against the config file's folder, if one is set."""
        return self.root / self.translate.glossary if self.translate.glossary else None

    @property
    def store_url(self) -> str:
        """The database URL, defaulting to a SQLite file beside the config."""
        return self.database_url or f"sqlite:///{(self.root / 'newsrelay.db').resolve()}"


SECTIONS: dict[str, type] = {
    "site": SiteSettings,
    "translate": TranslateSettings,
    "fetch": FetchSettings,
    "extract": ExtractSettings,
    "check": CheckSettings,
    "dedupe": DedupeSettings,
    "poll": PollSettings,
    "publish": PublishSettings,
}
SOURCE_KEYS = {f.name: f for f in dataclasses.fields(Source) if f.name != "id"}


@dataclass(frozen=True)
class SettingInfo:
    """One row of the settings table."""

    name: str
    type: Any
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    secret: bool = False

    @property
    def env(self) -> str:
        """The environment variable that overrides this setting."""
        return ENV_PREFIX + self.name.replace(".", "_").upper()


TOP_LEVEL = ("database_url", "metrics_file", "broker_url")  # settings outside a [section]


def settings_table() -> Iterator[SettingInfo]:
    """Every setting with its dotted name, type, default and help text."""
    hints = typing.get_type_hints(Settings)
    for name in TOP_LEVEL:
        yield _info(name, hints[name], _field(Settings, name))
    for section, cls in SECTIONS.items():
        section_hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            yield _info(f"{section}.{f.name}", section_hints[f.name], f)


def _field(cls: type, name: str) -> dataclasses.Field[Any]:
    return next(f for f in dataclasses.fields(cls) if f.name == name)


def _info(name: str, type_: Any, f: dataclasses.Field[Any]) -> SettingInfo:
    default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
    meta = f.metadata
    return SettingInfo(name, type_, default, meta["help"], meta["choices"], meta["secret"])


def load_settings(
    path: Path | str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Read settings from ``path`` (default ``newsrelay.toml``), the environment and overrides."""
    environ = os.environ if environ is None else environ
    path = config_path(path, environ)
    data = _read_toml(path)
    values: dict[str, Any] = {}
    for info in settings_table():
        raw, origin = _lookup(data, info, environ, overrides or {}, path)
        if raw is not None:
            values[info.name] = _coerce(raw, info.type, f"{origin}: {info.name}")
            if info.choices and values[info.name] not in info.choices:
                raise ConfigError(
                    f"{origin}: {info.name}: expected one of {', '.join(info.choices)}, got {raw!r}"
                )
    _reject_unknown_keys(data, path)
    _reject_secrets_in_file(data, path)
    sources = tuple(_parse_source(s, i, path) for i, s in enumerate(_source_tables(data, path)))
    _reject_duplicate_sources(sources, path)
    return _build(values, sources, path.parent)


def config_path(path: Path | str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The settings file: ``path``, else ``NEWSRELAY_CONFIG``, else ``newsrelay.toml``."""
    environ = os.environ if environ is None else environ
    return Path(path or environ.get(ENV_PREFIX + "CONFIG") or DEFAULT_CONFIG)


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from None


def _lookup(
    data: dict[str, Any],
    info: SettingInfo,
    environ: Mapping[str, str],
    overrides: Mapping[str, Any],
    path: Path,
) -> tuple[Any, str]:
    if overrides.get(info.name) is not None:
        return overrides[info.name], "command line"
    if info.env in environ:
        return environ[info.env], f"environment {info.env}"
    if info.secret and info.env + "_FILE" in environ:
        return _read_secret(
            environ[info.env + "_FILE"], info
        ), f"file {environ[info.env + '_FILE']}"
    node: Any = data
    for part in info.name.split("."):
        if not isinstance(node, dict) or part not in node:
            return None, str(path)
        node = node[part]
    return node, str(path)


def _read_secret(path: str, info: SettingInfo) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{info.env}_FILE: cannot read {path}: {exc.strerror}") from None


def _coerce(raw: Any, type_: Any, where: str) -> Any:
    if type_ is bool:
        return _coerce_bool(raw, where)
    if type_ in (int, float):
        return _coerce_number(raw, type_, where)
    if typing.get_origin(type_) is dict:
        return _coerce_limits(raw, where)
    if typing.get_origin(type_) in (list, tuple):
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{where}: expected a list of strings, got {raw!r}")
        return typing.get_origin(type_)(i.strip() for i in items if i.strip())
    if not isinstance(raw, str):
        raise ConfigError(f"{where}: expected a string, got {raw!r}")
    return raw


def _coerce_limits(raw: Any, where: str) -> dict[str, int]:
    """A table of whole numbers by name: a TOML table, or ``name=N,name=N`` in the environment."""
    if isinstance(raw, str):
        pairs = [item.partition("=") for item in raw.split(",") if item.strip()]
        if any(not sep for _, sep, _ in pairs):
            raise ConfigError(f"{where}: expected name=number, ..., got {raw!r}")
        raw = {name.strip(): value.strip() for name, _, value in pairs}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table of numbers by name, got {raw!r}")
    return {str(k): _coerce_number(v, int, f"{where}.{k}") for k, v in raw.items()}


def _coerce_bool(raw: Any, where: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in (
        "1",
        "true",
        "yes",
        "on",
        "0",
        "false",
        "no",
        "off",
    ):
        return raw.lower() in ("1", "true", "yes", "on")
    raise ConfigError(f"{where}: expected true or false, got {raw!r}")


def _coerce_number(raw: Any, type_: type, where: str) -> Any:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ConfigError(f"{where}: expected a number, got {raw!r}")
    try:
        value = type_(raw)
    except ValueError:
        kind = "a whole number" if type_ is int else "a number"
        raise ConfigError(f"{where}: expected {kind}, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{where}: expected a number of at least 0, got {raw!r}")
    return value


def _reject_unknown_keys(data: dict[str, Any], path: Path) -> None:
    known = {info.name for info in settings_table()}
    for key, value in data.items():
        if key == "sources":
            continue
        if key in SECTIONS and isinstance(value, dict):
            for sub in value:
                name = f"{key}.{sub}"
                if name not in known:
                    hint = _did_you_mean(name, known)
                    raise ConfigError(f"{path}: unknown setting '{name}'{hint}")
        elif key not in known:
            hint = _did_you_mean(key, known | set(SECTIONS))
            raise ConfigError(f"{path}: unknown setting '{key}'{hint}")


def _did_you_mean(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _reject_secrets_in_file(data: dict[str, Any], path: Path) -> None:
    for info in settings_table():
        section, _, key = info.name.rpartition(".")
        table = data.get(section, {}) if section else data
        if info.secret and isinstance(table, dict) and table.get(key):
            raise ConfigError(
                f"{path}: {info.name} is a secret: set {info.env} (or {info.env}_FILE) instead"
            )


def _source_tables(data: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    tables = data.get("sources", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: 'sources' must be an array of tables ([[sources]])")
    return tables


def parse_source(table: dict[str, Any], where: str) -> Source:
    """A source from a ``[[sources]]`` table (or a form with the same keys), checked: a bad
    key or value is a ConfigError naming ``where`` and the key."""
    return _parse_source(table, 0, Path(where), where=where)


def _parse_source(table: dict[str, Any], index: int, path: Path, where: str = "") -> Source:
    where = where or f"{path}: sources[{index}]"
    for key in table:
        if key not in SOURCE_KEYS:
            raise ConfigError(f"{where}: unknown key '{key}' (known: {', '.join(SOURCE_KEYS)})")
    for key in ("name", "url"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise ConfigError(f"{where}: '{key}' is required and must be a non-empty string")
    if urlsplit(table["url"]).scheme not in ("http", "https"):
        raise ConfigError(f"{where}.url: expected an http(s) URL, got {table['url']!r}")
    hints = typing.get_type_hints(Source)
    values = {k: _coerce(v, hints[k], f"{where}.{k}") for k, v in table.items()}
    return Source(**values)


def _reject_duplicate_sources(sources: tuple[Source, ...], path: Path) -> None:
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise ConfigError(f"{path}: two sources are named {source.name!r}")
        seen.add(source.name)


def _build(values: dict[str, Any], sources: tuple[Source, ...], root: Path) -> Settings:
    sections = {
        name: cls(**{k.split(".", 1)[1]: v for k, v in values.items() if k.startswith(name + ".")})
        for name, cls in SECTIONS.items()
    }
    top = {k: v for k, v in values.items() if "." not in k}
    settings = Settings(**top, **sections, sources=sources, root=root)
    for source in sources:
        extra = [lang for lang in source.languages if lang not in settings.site.languages]
        if extra:
            raise ConfigError(
                f"source {source.name}: languages {', '.join(extra)} are not among "
                f"site.languages ({', '.join(settings.site.languages)})"
            )
    return settings


def render_config(sources: list[Source] | None = None) -> str:
    """The commented ``newsrelay.toml`` that ``newsrelay init`` writes."""
    lines = ["# newsrelay settings. Every setting can be overridden by its NEWSRELAY_* variable."]
    current = None
    for info in settings_table():
        section = info.name.split(".")[0] if "." in info.name else None
        if section != current and section is not None:
            lines += ["", f"[{section}]"]
            current = section
        key = info.name.split(".")[-1]
        if info.secret:
            lines.append(f"# {key}: {info.help} ({info.env} or {info.env}_FILE)")
        else:
            lines += [f"# {info.help} (env {info.env})", f"{key} = {_toml_value(info.default)}"]
    lines += ["", "# One [[sources]] table per feed or sitemap you are licensed to republish."]
    for source in sources or [_EXAMPLE_SOURCE]:
        prefix = "" if sources else "# "
        lines += ["", f"{prefix}[[sources]]"]
        for key in SOURCE_KEYS:
            lines.append(f"{prefix}{key} = {_toml_value(getattr(source, key))}")
    return "\n".join(lines) + "\n"


_EXAMPLE_SOURCE = Source(
    name="Example Wire",
    url="https://example.org/feed.xml",
    language="en",
    license="CC BY 4.0",
    attribution="Republished from Example Wire under CC BY 4.0.",
)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):  # an inline table
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
