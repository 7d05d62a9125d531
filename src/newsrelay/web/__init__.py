"""The desk: a web application for the people who answer for what is published.

Server-rendered pages (FastAPI and Jinja2, no JavaScript) and a JSON API under ``/api`` for the
same operations, started by ``newsrelay serve --desk``:

- ``/login`` and ``/health`` are the only routes that answer without a login;
- ``/queue``: translations the checks held, newest first, by source, language and finding kind,
  approved or rejected in bulk;
- ``/story/{id}``: source and translation side by side, paragraph by paragraph, each finding
  highlighted on both sides and said in words; the translation edited in place (markup kept),
  checked again, approved (published at once) or rejected with a reason (a live story is
  withdrawn as ``publish.on_removal`` says);
- ``/dashboard``: per source and language over a period, stories in, published, held, rejected
  and failed, the most frequent findings, the delay from the source to newsrelay, the sources
  failing now;
- ``/sources``: the sources, their health, pausing, resuming and polling them now;
- ``/audit``: every action, who, what, when, before and after.

Every form carries its session's CSRF token; every page sends a Content-Security-Policy that
lets no script run and nothing load from another host. The API authenticates with API tokens
(``newsrelay tokens create --scope read|write``); its OpenAPI description is
``/api/openapi.json``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import pathlib
import secrets
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from newsrelay.config import Settings, parse_source
from newsrelay.errors import NotFound
from newsrelay.markup import replace_blocks, sanitize_html, text_blocks
from newsrelay.model import Decision, Finding, Source
from newsrelay.pipeline.sweeps import run_sweep
from newsrelay.pipeline.units import UNITS, Deps, attempt, verdict_of
from newsrelay.sources import add_source, edit_source, set_paused
from newsrelay.store import Store
from newsrelay.text import clean_text
from newsrelay.web.auth import LoginLimiter, key_hash, new_session

__all__ = ["Desk", "create_app"]

COOKIE = "newsrelay_desk"
HERE = pathlib.Path(__file__).parent
CSS = (HERE / "templates" / "desk.css").read_text(encoding="utf-8")
# the stylesheet is inlined and allowed by its hash: no route but /login and /health answers
# without a login, and no script or other style can run
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CSP = (f"default-src 'none'; style-src 'sha256-{CSS_HASH}'; img-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")  # fmt: skip
SOURCE_FORM = ("name", "url", "language", "license", "attribution", "republish", "keep", "engine",
               "languages", "poll_minutes")  # fmt: skip
PUBLISH_WAIT = 30.0  # seconds an approval waits for a run that is building the site


class Desk:
    """What the desk's routes share: settings, the store, the units' dependencies (the engine
    to check an edit with, the publishers), and one lock so that actions run one at a time."""

    def __init__(self, settings: Settings, store: Store, deps: Deps, config: pathlib.Path) -> None:
        self.settings = settings
        self.config = config  # newsrelay.toml, which pausing a source edits
        self.store = store
        self.deps = deps
        self.limiter = LoginLimiter()
        self.lock = threading.Lock()

    # the operations, shared by the pages and the API ------------------------------------

    def story(self, translation_id: int) -> dict[str, Any]:
        """A translation under review: both sides paragraph by paragraph, the findings on
        each, the state a person left it in."""
        translation, article, source = self.store.translation_to_check(translation_id)
        verdict = self.store.verdict(translation_id)
        findings = list(verdict.findings) if verdict else []
        theirs = [sanitize_html(translation.title), *text_blocks(translation.body_html)]
        ours = [sanitize_html(article.title), *text_blocks(article.body_html)]
        rows = []
        for index in range(max(len(ours), len(theirs))):
            here = [f for f in findings if f.paragraph == index]
            rows.append({"index": index, "source": ours[index] if index < len(ours) else "",
                         "translation": theirs[index] if index < len(theirs) else "",
                         "findings": here})  # fmt: skip
        return {
            "id": translation_id, "source_name": source, "language": translation.language,
            "engine": translation.engine, "title": translation.title, "url": article.url,
            "decision": verdict.decision.value if verdict else None, "rows": rows,
            "general": [f for f in findings if f.paragraph is None or f.paragraph >= len(rows)],
            "review": self.store.review_state(translation_id),
        }  # fmt: skip

    def edit(self, who: str, translation_id: int, title: str, blocks: list[str]) -> list[Finding]:
        """Keep a person's edit of a translation (markup kept, sanitized), check it again, and
        return the findings; it stays held until approved."""
        title, blocks = clean_text(title), [clean_text(b) for b in blocks]  # what a person typed
        with self.lock:
            translation, article, source = self.store.translation_to_check(translation_id)
            try:
                body = replace_blocks(translation.body_html, blocks)
            except ValueError as exc:
                raise HTTPException(422, f"translation {translation_id}: {exc}") from None
            # the engine's marks and scores describe its text, not the person's
            edited = replace(translation, title=title.strip(), body_html=body, marks=(),
                             scores=())  # fmt: skip
            verdict = verdict_of(self.deps, edited, article, source)
            self.store.review(translation_id, Decision.HOLD, title=edited.title, body_html=body,
                              findings=verdict.findings)  # fmt: skip
            self.store.record_action(who, "edit", f"translation {translation_id}",
                                     before=_text(translation.title, translation.body_html),
                                     after=_text(edited.title, body))  # fmt: skip
            return list(verdict.findings)

    def decide(self, who: str, ids: list[int], decision: Decision, reason: str = "") -> None:
        """Approve or reject translations (with the reason), then bring the site and the push
        targets up to date at once: an approved story is published, a rejected live one
        withdrawn."""
        reason = clean_text(reason)
        with self.lock:
            for translation_id in ids:
                before = self.store.review_state(translation_id)
                self.store.review(translation_id, decision, reviewer=who,
                                  note=reason or None)  # fmt: skip
                self.store.record_action(
                    who, "approve" if decision is Decision.PUBLISH else "reject",
                    f"translation {translation_id}", before=before["decision"],
                    after=decision.value + (f": {reason}" if reason else ""),
                )  # fmt: skip
            self.publish()

    def publish(self) -> None:
        """Run the publish and push sweeps now (waiting for a run that is building the site)."""
        run_sweep(self.deps, "publish", wait=PUBLISH_WAIT)
        run_sweep(self.deps, "push", wait=PUBLISH_WAIT)

    def poll(self, who: str, name: str) -> str:
        """Poll one source now, as the scheduler would."""
        source_id = self.store.source_id(name)
        with self.lock:
            outcome = attempt(self.deps, "poll", str(source_id),
                              lambda: UNITS["poll"].one(self.deps, str(source_id)))  # type: ignore[misc]  # fmt: skip
        self.store.record_action(who, "poll", f"source {name}", after=outcome)
        return outcome

    def save_source(self, who: str, name: str | None, form: dict[str, Any]) -> Source:
        """Add a source (``name`` None) or change one, in newsrelay.toml (its comments kept;
        the store follows on the next run); a bad value is a ConfigError naming it."""
        form = {k: _clean(v) for k, v in form.items()}
        table = {k: v for k, v in form.items() if k in SOURCE_FORM and v not in ("", None)}
        table["republish"] = bool(form.get("republish"))
        for key in ("keep", "languages"):
            if isinstance(table.get(key), str):
                table[key] = [part.strip() for part in table[key].split(",") if part.strip()]
        source = parse_source(table, "the source form")
        before = None
        if name is None:
            add_source(self.config, source)
        else:
            before = repr(next((s for s in self.settings.sources if s.name == name), None))
            edit_source(self.config, name, source)
        action = "add_source" if name is None else "edit_source"
        self.store.record_action(who, action, f"source {source.name}", before=before,
                                 after=repr(source))  # fmt: skip
        return source

    def pause(self, who: str, name: str, paused: bool) -> None:
        """Pause or resume a source (in newsrelay.toml, its comments kept)."""
        set_paused(self.config, name, paused)
        self.store.record_action(who, "pause" if paused else "resume", f"source {name}")


def _clean(value: Any) -> Any:
    """A value a person typed, without control characters (in a list too)."""
    if isinstance(value, str):
        return clean_text(value)
    return [_clean(v) for v in value] if isinstance(value, list) else value


def _text(title: str, body_html: str) -> str:
    return json.dumps({"title": title, "body_html": body_html}, ensure_ascii=False)


# the application -----------------------------------------------------------------------------


def create_app(
    settings: Settings, store: Store, config: pathlib.Path, deps: Deps | None = None
) -> FastAPI:
    """The desk over ``store`` with the settings read from ``config``; ``deps`` (the engine,
    the publishers) is opened when it starts and closed when it stops, unless given."""
    owned = deps is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.desk is None:
            app.state.desk = Desk(settings, store, Deps.open(settings, store), config)
        yield
        if owned and app.state.desk is not None:
            app.state.desk.deps.close()

    app = FastAPI(title="newsrelay desk", version="1", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url=None)  # fmt: skip
    app.state.desk = Desk(settings, store, deps, config) if deps is not None else None
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["desk_css"] = CSS

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[..., Any]) -> Response:
        raw = unquote(request.url.path + "?" + request.url.query)
        if clean_text(raw) != raw:  # a NUL or another control character in the address
            response: Response = PlainTextResponse("bad characters in the address", 400)
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        return response

    from newsrelay.web import api, pages  # the routes, each module on its own router

    app.include_router(pages.router(templates))
    app.include_router(api.router())
    return app


def desk_of(request: Request) -> Desk:
    """The desk of the app serving ``request``."""
    desk: Desk = request.app.state.desk
    return desk


def current_user(request: Request) -> dict[str, str] | None:
    """The person logged in on ``request``, with the session's CSRF token."""
    key = request.cookies.get(COOKIE)
    if not key:
        return None
    found = desk_of(request).store.session(key_hash(key))
    return found


def login_user(request: Request, response: Response, user: dict[str, Any]) -> None:
    """Open a session and set its cookie."""
    key = new_session(desk_of(request).store, int(user["id"]))
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    response.set_cookie(COOKIE, key, httponly=True, samesite="lax", secure=secure,
                        max_age=int(timedelta(days=7).total_seconds()), path="/")  # fmt: skip


def check_csrf(user: dict[str, str], token: str) -> None:
    """Refuse a form whose CSRF token is not its session's."""
    if not token or not secrets.compare_digest(token, user["csrf"]):
        raise HTTPException(403, "the form's CSRF token is missing or wrong: reload the page")


@contextmanager
def not_found_as_404() -> Iterator[None]:
    try:
        yield
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None


# shared API models -----------------------------------------------------------------------


class Reason(BaseModel):
    """Why a story is rejected."""

    reason: str = Field("", max_length=2000)


class Edit(BaseModel):
    """A person's edit: the headline, and the inner HTML of each paragraph of the body."""

    title: str = Field(min_length=1, max_length=300)
    paragraphs: list[str]


class SourceForm(BaseModel):
    """A source's settings, as in a ``[[sources]]`` table."""

    name: str = Field(min_length=1, max_length=200)
    url: str = Field(min_length=1, max_length=2000)
    language: str = Field("en", max_length=16)
    license: str = Field("", max_length=500)
    attribution: str = Field("", max_length=2000)
    republish: bool = True
    engine: str = Field("", max_length=100)
    languages: list[Annotated[str, Field(max_length=16)]] = Field(default=[], max_length=50)
    poll_minutes: float = Field(0.0, ge=0, le=525600)
    keep: list[Annotated[str, Field(max_length=200)]] = Field(default=[], max_length=200)


class Bulk(BaseModel):
    """Translations to approve or reject at once."""

    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=500)
    reason: str = Field("", max_length=2000)


Days = Annotated[int, Query(ge=1, le=365)]
MAX_ID = 2**31 - 1  # ids are 32-bit in the store (SQLite and PostgreSQL alike)
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
