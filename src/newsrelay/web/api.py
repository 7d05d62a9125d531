"""The desk's JSON API: the same operations as its pages, for API tokens (``Authorization:
Bearer``; ``read`` tokens read, ``write`` tokens also act). The OpenAPI description is
``/api/openapi.json`` (a token is needed for it too)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from newsrelay.errors import ConfigError
from newsrelay.model import Decision
from newsrelay.store import utcnow
from newsrelay.web import (
    Bulk,
    Days,
    Edit,
    ItemId,
    Reason,
    SourceForm,
    desk_of,
    not_found_as_404,
)
from newsrelay.web.auth import key_hash

__all__ = ["router"]

bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def token(request: Request, credentials: Credentials) -> dict[str, Any]:
    """The API token of a request; 401 without a valid one."""
    found = None
    if credentials is not None:
        found = desk_of(request).store.token(key_hash(credentials.credentials))
    if found is None:
        raise HTTPException(401, "an API token is needed", headers={"WWW-Authenticate": "Bearer"})
    return found


def writer(found: Annotated[dict[str, Any], Depends(token)]) -> dict[str, Any]:
    """A token that may act; 403 for a read-only one."""
    if found["scope"] != "write":
        raise HTTPException(403, "this token may only read")
    return found


Reader = Annotated[dict[str, Any], Depends(token)]
Writer = Annotated[dict[str, Any], Depends(writer)]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "no valid API token"},
    403: {"description": "a read-only token"},
    404: {"description": "no such item"},
}


def _save(request: Request, who: dict[str, Any], name: str | None, body: SourceForm) -> str:
    try:
        with not_found_as_404():
            form = body.model_dump() | {"republish": "1" if body.republish else ""}
            return desk_of(request).save_source(f"token {who['name']}", name, form).name
    except ConfigError as exc:
        raise HTTPException(422, str(exc)) from None


def router() -> APIRouter:
    """The API's routes."""
    api = APIRouter(prefix="/api", responses=ERRORS)

    @api.get("/openapi.json", include_in_schema=False)
    def openapi(request: Request, _: Reader) -> dict[str, Any]:
        schema: dict[str, Any] = request.app.openapi()
        return schema

    @api.get("/queue", summary="Translations held for review, newest first")
    def queue(request: Request, _: Reader, source: str = "", language: str = "",
              kind: str = "") -> list[dict[str, Any]]:  # fmt: skip
        store = desk_of(request).store
        return store.held(source=source or None, language=language or None, kind=kind or None,
                          newest_first=True, limit=500)  # fmt: skip

    @api.get("/stories/{translation_id}", summary="A translation beside its source")
    def story(request: Request, translation_id: ItemId, _: Reader) -> dict[str, Any]:
        with not_found_as_404():
            shown = desk_of(request).story(translation_id)
        shown["rows"] = [row | {"findings": [asdict(f) for f in row["findings"]]}
                         for row in shown["rows"]]  # fmt: skip
        shown["general"] = [asdict(f) for f in shown["general"]]
        shown["review"] = {k: str(v) if v is not None else None
                           for k, v in shown["review"].items()}  # fmt: skip
        return shown

    @api.post("/stories/{translation_id}/edit", summary="Edit a translation and check it again")
    def edit(request: Request, translation_id: ItemId, body: Edit, who: Writer) -> dict[str, Any]:
        with not_found_as_404():
            findings = desk_of(request).edit(f"token {who['name']}", translation_id, body.title,
                                             body.paragraphs)  # fmt: skip
        return {"findings": [asdict(f) for f in findings]}

    @api.post("/stories/{translation_id}/approve", summary="Approve and publish now")
    def approve(request: Request, translation_id: ItemId, who: Writer) -> dict[str, str]:
        with not_found_as_404():
            desk_of(request).decide(f"token {who['name']}", [translation_id], Decision.PUBLISH)
        return {"decision": "publish"}

    @api.post("/stories/{translation_id}/reject", summary="Reject (a live story is withdrawn)")
    def reject(
        request: Request, translation_id: ItemId, body: Reason, who: Writer
    ) -> dict[str, str]:
        with not_found_as_404():
            desk_of(request).decide(f"token {who['name']}", [translation_id], Decision.REJECT,
                                    body.reason)  # fmt: skip
        return {"decision": "reject"}

    @api.post("/bulk/{action}", summary="Approve or reject many at once")
    def bulk(request: Request, action: str, body: Bulk, who: Writer) -> dict[str, Any]:
        decision = {"approve": Decision.PUBLISH, "reject": Decision.REJECT}.get(action)
        if decision is None:
            raise HTTPException(404, f"no action {action!r}")
        with not_found_as_404():
            desk_of(request).decide(f"token {who['name']}", body.ids, decision, body.reason)
        return {"decision": decision.value, "ids": body.ids}

    @api.get("/dashboard", summary="Per source and language over the last days")
    def dashboard(request: Request, _: Reader, days: Days = 7) -> dict[str, Any]:
        return desk_of(request).store.dashboard(utcnow() - timedelta(days=days))

    @api.get("/sources", summary="The sources and their health")
    def sources(request: Request, _: Reader) -> list[dict[str, Any]]:
        return desk_of(request).store.source_health()

    @api.post("/sources", summary="Add a source (to newsrelay.toml)")
    def add(request: Request, body: SourceForm, who: Writer) -> dict[str, str]:
        return {"added": _save(request, who, None, body)}

    @api.post("/sources/{name}/edit", summary="Change a source's settings")
    def change(request: Request, name: str, body: SourceForm, who: Writer) -> dict[str, str]:
        return {"saved": _save(request, who, name, body)}

    @api.post("/sources/{name}/{action}", summary="Poll, pause or resume a source")
    def source_action(request: Request, name: str, action: str, who: Writer) -> dict[str, str]:
        desk = desk_of(request)
        with not_found_as_404():
            if action == "poll":
                return {"outcome": desk.poll(f"token {who['name']}", name)}
            if action in ("pause", "resume"):
                desk.store.source_id(name)
                desk.pause(f"token {who['name']}", name, action == "pause")
                return {"outcome": action}
        raise HTTPException(404, f"no action {action!r}")

    @api.get("/audit", summary="The newest actions")
    def audit(request: Request, _: Reader) -> list[dict[str, Any]]:
        return [row | {"at": row["at"].isoformat()} for row in desk_of(request).store.actions()]

    return api
