"""The desk's pages: server-rendered HTML, forms with CSRF tokens, no JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from newsrelay.errors import ConfigError, NotFound
from newsrelay.model import Decision
from newsrelay.store import utcnow
from newsrelay.text import clean_text
from newsrelay.web import (
    COOKIE,
    Days,
    ItemId,
    check_csrf,
    current_user,
    desk_of,
    login_user,
    not_found_as_404,
)
from newsrelay.web.auth import key_hash, verify
from newsrelay.web.charts import bar_chart

__all__ = ["router"]

Text = Annotated[str, Form()]
CSRF = Annotated[str, Form(alias="csrf")]


def person(request: Request) -> dict[str, str]:
    """The person logged in; an anonymous request goes to the login page (before any of its
    form is read)."""
    user = current_user(request)
    if user is None:
        raise HTTPException(303, "log in first", headers={"Location": "/login"})
    return user


User = Annotated[dict[str, str], Depends(person)]


def router(templates: Jinja2Templates) -> APIRouter:
    """The pages."""
    pages = APIRouter(include_in_schema=False)

    def render(
        request: Request, name: str, user: dict[str, str] | None, **context: Any
    ) -> Response:
        return templates.TemplateResponse(request, name, {"user": user, **context})

    @pages.get("/health")
    def health() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @pages.get("/login", response_class=HTMLResponse)
    def login_page(request: Request) -> Response:
        return render(request, "login.html", None, error="")

    @pages.post("/login")
    def login(request: Request, name: Text, password: Text) -> Response:
        desk = desk_of(request)
        name = clean_text(name)
        client = request.client.host if request.client else "unknown"
        wait = desk.limiter.wait(f"ip:{client}", f"name:{name}")
        if wait:
            response = render(request, "login.html", None,
                              error="Too many failed logins: try again later.")  # fmt: skip
            response.status_code = 429
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        user = verify(desk.store, name, password)
        if user is None:
            desk.limiter.failed(f"ip:{client}", f"name:{name}")
            desk.store.record_action(name or "(no name)", "login_failed", f"desk from {client}")
            response = render(request, "login.html", None, error="Wrong name or password.")
            response.status_code = 401
            return response
        response = RedirectResponse("/queue", status_code=303)
        login_user(request, response, user)
        desk.store.record_action(user["name"], "login", f"desk from {client}")
        return response

    @pages.post("/logout")
    def logout(request: Request, user: User, csrf: CSRF) -> Response:
        check_csrf(user, csrf)
        desk_of(request).store.close_session(key_hash(request.cookies[COOKIE]))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @pages.get("/")
    def home(request: Request, _: User) -> Response:
        return RedirectResponse("/queue", status_code=303)

    @pages.get("/queue", response_class=HTMLResponse)
    def queue(
        request: Request, user: User, source: str = "", language: str = "", kind: str = ""
    ) -> Response:
        store = desk_of(request).store
        held = store.held(source=source or None, language=language or None, kind=kind or None,
                          newest_first=True, limit=200)  # fmt: skip
        return render(request, "queue.html", user, held=held, source=source,
                      language=language, kind=kind,
                      sources=sorted(s.name for s in desk_of(request).deps.sources.values()),
                      languages=desk_of(request).settings.site.languages)  # fmt: skip

    @pages.post("/queue")
    def bulk(
        request: Request, user: User, csrf: CSRF, action: Text,
        ids: Annotated[list[ItemId], Form()], reason: Annotated[str, Form()] = "",
    ) -> Response:  # fmt: skip
        check_csrf(user, csrf)
        decision = {"approve": Decision.PUBLISH, "reject": Decision.REJECT}.get(action)
        if decision is None:
            raise HTTPException(422, f"action {action!r}: expected approve or reject")
        with not_found_as_404():
            desk_of(request).decide(user["name"], ids, decision, reason)
        return RedirectResponse("/queue", status_code=303)

    @pages.get("/story/{translation_id}", response_class=HTMLResponse)
    def story(request: Request, user: User, translation_id: ItemId, saved: str = "") -> Response:
        with not_found_as_404():
            shown = desk_of(request).story(translation_id)
        return render(request, "story.html", user, story=shown, saved=saved)

    @pages.post("/story/{translation_id}/edit")
    async def edit(request: Request, user: User, translation_id: ItemId) -> Response:
        form = await request.form()
        check_csrf(user, str(form.get("csrf", "")))
        blocks = [str(v) for v in form.getlist("paragraph")]
        with not_found_as_404():
            desk_of(request).edit(user["name"], translation_id, str(form.get("title", "")),
                                  blocks)  # fmt: skip
        return RedirectResponse(f"/story/{translation_id}?saved=1", status_code=303)

    @pages.post("/story/{translation_id}/{action}")
    def decide(request: Request, user: User, translation_id: ItemId, action: str, csrf: CSRF,
               reason: Annotated[str, Form()] = "") -> Response:  # fmt: skip
        check_csrf(user, csrf)
        decision = {"approve": Decision.PUBLISH, "reject": Decision.REJECT}.get(action)
        if decision is None:
            raise HTTPException(404, f"no action {action!r}")
        with not_found_as_404():
            desk_of(request).decide(user["name"], [translation_id], decision, reason)
        return RedirectResponse(f"/story/{translation_id}", status_code=303)

    @pages.get("/dashboard", response_class=HTMLResponse)
    def dashboard(request: Request, user: User, days: Days = 7) -> Response:
        store = desk_of(request).store
        figures = store.dashboard(utcnow() - timedelta(days=days))
        chart = bar_chart([(f"{r['source']} ({r['language']})",
                            {k: r.get(k, 0) for k in ("published", "held", "rejected")})
                           for r in figures["rows"]])  # fmt: skip
        failing = [s for s in store.source_health() if s.get("failing_since")]
        return render(request, "dashboard.html", user, figures=figures, days=days, chart=chart,
                      failing=failing)  # fmt: skip

    @pages.get("/sources", response_class=HTMLResponse)
    def sources(request: Request, user: User, saved: str = "") -> Response:
        store = desk_of(request).store
        return render(request, "sources.html", user, sources=store.source_health(),
                      removed=store.removed(limit=50), saved=saved)  # fmt: skip

    @pages.get("/sources/{name}/edit", response_class=HTMLResponse)
    def source_form(request: Request, user: User, name: str) -> Response:
        desk = desk_of(request)
        found = next((s for s in desk.settings.sources if s.name == name), None)
        if found is None and name != "new":
            raise HTTPException(404, f"no source named {name!r}")
        fetches = desk.store.recent_fetches(name) if found else []
        return render(request, "source.html", user, source=found, fetches=fetches, error="")

    @pages.post("/sources/{name}/edit")
    async def source_save(request: Request, user: User, name: str) -> Response:
        form = await request.form()
        check_csrf(user, str(form.get("csrf", "")))
        desk = desk_of(request)
        try:
            desk.save_source(user["name"], None if name == "new" else name, dict(form))
        except ConfigError as exc:
            found = next((s for s in desk.settings.sources if s.name == name), None)
            response = render(request, "source.html", user, source=found, fetches=[],
                              error=str(exc))  # fmt: skip
            response.status_code = 422
            return response
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from None
        return RedirectResponse("/sources?saved=1", status_code=303)

    @pages.post("/sources/{name}/{action}")
    def source_action(request: Request, user: User, name: str, action: str, csrf: CSRF) -> Response:
        check_csrf(user, csrf)
        desk = desk_of(request)
        with not_found_as_404():
            if action == "poll":
                desk.poll(user["name"], name)
            elif action in ("pause", "resume"):
                desk.pause(user["name"], name, action == "pause")
            else:
                raise HTTPException(404, f"no action {action!r}")
        return RedirectResponse("/sources", status_code=303)

    @pages.post("/removed/{removed_id}/keep")
    def keep_block(request: Request, user: User, removed_id: ItemId, csrf: CSRF) -> Response:
        check_csrf(user, csrf)
        desk = desk_of(request)
        with not_found_as_404():
            kept = desk.store.keep_block(removed_id)
        desk.store.record_action(user["name"], "keep_block", f"removed block {removed_id}",
                                 before="removed", after=str(kept))  # fmt: skip
        return RedirectResponse("/sources", status_code=303)

    @pages.get("/audit", response_class=HTMLResponse)
    def audit(request: Request, user: User) -> Response:
        return render(request, "audit.html", user, actions=desk_of(request).store.actions(200))

    return pages
