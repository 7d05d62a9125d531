"""The desk in-process (FastAPI's test client over the real app, store and Apertium): who may
see and do what, and the review of a held story from the queue to the published site."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from desk_setup import HELD_TITLE, PASSWORD, DeskSite, desk_site
from fastapi.testclient import TestClient

from conftest import WriteSettings
from mockserver import MockServer
from newsrelay.web import create_app
from sitepages import STORY_PAGES

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")

PAGES = ["/", "/queue", "/story/1", "/dashboard", "/sources", "/sources/Gazette/edit", "/audit",
         "/desk.css", "/api"]  # fmt: skip
API_READS = ["/api/queue", "/api/stories/1", "/api/dashboard", "/api/sources", "/api/audit",
             "/api/openapi.json"]  # fmt: skip


@pytest.fixture
def site(server: MockServer, write_settings: WriteSettings) -> Iterator[DeskSite]:
    found = desk_site(server, write_settings)
    yield found
    found.store.close()


@pytest.fixture
def client(site: DeskSite) -> Iterator[TestClient]:
    with TestClient(create_app(site.settings, site.store, site.config)) as test_client:
        yield test_client


def login(client: TestClient) -> str:
    """Log in as ana; return the session's CSRF token (from a page's form)."""
    answer = client.post("/login", data={"name": "ana", "password": PASSWORD},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/queue").text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_nothing_answers_without_a_login_but_the_login_page_and_health(
    client: TestClient, site: DeskSite
) -> None:
    assert client.get("/health").status_code == 200
    assert client.get("/login").status_code == 200
    for path in PAGES:
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code in (303, 404), path  # to the login page, or nothing there
        assert answer.status_code == 404 or answer.headers["location"] == "/login", path
    for path in [f"/story/{site.held}/approve", "/queue", "/sources/Gazette/poll", "/logout"]:
        assert client.post(path, data={"csrf": "x"}, follow_redirects=False).status_code == 303
    for path in API_READS:
        assert client.get(path).status_code == 401, path
    assert client.post(f"/api/stories/{site.held}/approve").status_code == 401
    assert "default-src 'none'" in client.get("/login").headers["content-security-policy"]


def test_the_session_cookie_and_csrf(client: TestClient, site: DeskSite) -> None:
    answer = client.post("/login", data={"name": "ana", "password": PASSWORD},
                         follow_redirects=False)  # fmt: skip
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    for token in ("", "forged"):
        refused = client.post(f"/story/{site.held}/approve", data={"csrf": token})
        assert refused.status_code in (403, 422)
    assert client.get(f"/api/stories/{site.held}").status_code == 401  # a session is no token
    behind_https = client.post("/login", data={"name": "ana", "password": PASSWORD},
                               headers={"x-forwarded-proto": "https"}, follow_redirects=False)  # fmt: skip
    assert "secure" in behind_https.headers["set-cookie"].lower()


def test_logins_are_rate_limited(client: TestClient) -> None:
    for _ in range(5):
        wrong = client.post("/login", data={"name": "ana", "password": "not it at all"})
        assert wrong.status_code == 401
    limited = client.post("/login", data={"name": "ana", "password": PASSWORD})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert "login_failed" in str(client.app.state.desk.store.actions())  # type: ignore[attr-defined]


def test_tokens_read_or_write(client: TestClient, site: DeskSite) -> None:
    read = {"Authorization": f"Bearer {site.read_token}"}
    write = {"Authorization": f"Bearer {site.write_token}"}
    assert client.get("/api/queue", headers=read).json()[0]["id"] == site.held
    assert client.post(f"/api/stories/{site.held}/approve", headers=read).status_code == 403
    assert (
        client.get("/api/queue", headers={"Authorization": "Bearer nr_forged"}).status_code == 401
    )
    schema = client.get("/api/openapi.json", headers=read).json()
    assert "/api/stories/{translation_id}/approve" in schema["paths"]
    approved = client.post(f"/api/stories/{site.held}/approve", headers=write)
    assert approved.json() == {"decision": "publish"}
    assert client.get("/api/queue", headers=read).json() == []
    assert client.get("/api/audit", headers=read).json()[0]["who"] == "token robot"


def test_review_a_held_story_edit_it_keeping_its_link_and_approve(
    client: TestClient, site: DeskSite
) -> None:
    csrf = login(client)
    queue = client.get("/queue").text
    assert HELD_TITLE.split()[1] not in queue or f"/story/{site.held}" in queue
    assert client.get("/queue", params={"kind": "numbers"}).text.count("/story/") == 0
    assert f"/story/{site.held}" in client.get("/queue", params={"kind": "engine_marks"}).text

    story = client.get(f"/story/{site.held}").text
    assert 'class="finding"' in story and "shipwrights" in story  # highlighted, said in words
    assert "<mark>" in story

    api = client.get(f"/api/stories/{site.held}",
                     headers={"Authorization": f"Bearer {site.read_token}"}).json()  # fmt: skip
    paragraphs = [row["translation"] for row in api["rows"][1:]]
    assert 'href="https://example.org/report"' in paragraphs[0]
    edited = [re.sub(r"\*?shipwrights", "carpinteros", paragraphs[0]), *paragraphs[1:]]
    saved = client.post(f"/story/{site.held}/edit",
                        data={"csrf": csrf, "title": api["title"], "paragraph": edited})  # fmt: skip
    assert saved.status_code == 200 and "saved and was checked again" in saved.text
    again = client.get(f"/api/stories/{site.held}",
                       headers={"Authorization": f"Bearer {site.read_token}"}).json()  # fmt: skip
    assert "carpinteros" in again["rows"][1]["translation"]
    assert not again["rows"][1]["findings"]  # the word the engine did not know is gone
    assert 'href="https://example.org/report"' in again["rows"][1]["translation"]

    client.post(f"/story/{site.held}/approve", data={"csrf": csrf})

    pages = list((site.settings.output_dir / "es").glob(STORY_PAGES))
    text = {p.name: p.read_text(encoding="utf-8") for p in pages}
    [reviewed] = [t for t in text.values() if "carpinteros" in t]
    assert "revisada después por un editor" in reviewed
    assert 'href="https://example.org/report"' in reviewed
    assert "no ha sido revisada" not in reviewed
    feed = (site.settings.output_dir / "es" / "feed.xml").read_text(encoding="utf-8")
    assert "carpinteros" in feed and "revisada después por un editor" in feed
    actions = [(a["who"], a["action"]) for a in site.store.actions()]
    assert ("ana", "edit") in actions and ("ana", "approve") in actions
    assert "carpinteros" in client.get("/audit").text


def test_rejecting_a_live_story_withdraws_it(client: TestClient, site: DeskSite) -> None:
    csrf = login(client)
    before = (site.settings.output_dir / "es" / "feed.xml").read_text(encoding="utf-8")
    assert "puente" in before

    client.post(f"/story/{site.published}/reject",
                data={"csrf": csrf, "reason": "the source asked us to take it down"})  # fmt: skip

    feed = (site.settings.output_dir / "es" / "feed.xml").read_text(encoding="utf-8")
    assert "puente" not in feed
    pages = [p.read_text() for p in (site.settings.output_dir / "es").glob(STORY_PAGES)]
    withdrawn = [p for p in pages if "La redacción retiró esta noticia" in p]
    assert withdrawn and "puente" not in withdrawn[0]  # the page stays, without the story
    state = site.store.review_state(site.published)
    assert (state["decision"], state["reviewer"]) == ("reject", "ana")
    assert state["note"] == "the source asked us to take it down"


def test_the_dashboard_and_sources_pages(client: TestClient, site: DeskSite) -> None:
    login(client)
    dashboard = client.get("/dashboard", params={"days": 30}).text
    assert "<svg" in dashboard and "Gazette (es)" in dashboard
    assert "engine_marks" in dashboard and "median" in dashboard
    assert "Gazette" in client.get("/sources").text
    read = {"Authorization": f"Bearer {site.read_token}"}
    site.store.record_failure("publish", "translation", site.held, "internal_error", "a test",
                              retry_in=timedelta(minutes=5))  # fmt: skip
    figures = client.get("/api/dashboard", headers=read).json()
    [row] = figures["rows"]
    assert (row["published"], row["held"], row["failed"]) == (1, 1, 1)
    assert figures["failed"] == {"publish": 1} and figures["delay_median"] is not None


def test_sources_are_added_and_edited_in_the_settings_file(
    client: TestClient, site: DeskSite
) -> None:
    csrf = login(client)
    form = {"csrf": csrf, "name": "Wire", "url": "https://example.org/wire.xml", "language": "en",
            "license": "CC BY 4.0", "republish": "1", "engine": "", "languages": "es",
            "keep": "Example Wire, Wire Co", "poll_minutes": "30"}  # fmt: skip
    added = client.post("/sources/new/edit", data=form, follow_redirects=False)
    assert added.status_code == 303
    text = site.config.read_text(encoding="utf-8")
    assert 'name = "Wire"' in text and 'languages = ["es"]' in text and "poll_minutes = 30" in text
    assert text.startswith("# newsrelay settings")  # the file's comments are kept
    edit = client.get("/sources/Gazette/edit").text
    assert "Recent fetches" in edit and "/news/harbour.html" in edit
    changed = client.post("/sources/Gazette/edit", data={
        "csrf": csrf, "name": "Gazette", "url": "https://example.org/new-feed.xml",
        "language": "en", "license": "CC BY 4.0"}, follow_redirects=False)  # fmt: skip
    assert changed.status_code == 303
    text = site.config.read_text(encoding="utf-8")
    assert "new-feed.xml" in text and "republish = false" in text  # the box left unticked
    bad = client.post("/sources/new/edit", data={**form, "name": "Bad", "url": "ftp://x"})
    assert bad.status_code == 422 and "expected an http(s) URL" in bad.text
    assert ("ana", "edit_source") in [(a["who"], a["action"]) for a in site.store.actions()]
