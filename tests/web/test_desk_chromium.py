"""The desk end to end in headless Chromium (Playwright driving Debian's Chromium), served by
uvicorn on 127.0.0.1: an editor logs in, opens a held story, sees its finding highlighted, edits
a sentence keeping its link, approves it and finds it on the site with the reviewed notice;
rejects a live story with a reason and finds it withdrawn. Markup in a source's text stays
inert: no script runs, even with the page's CSP bypassed. Screenshots of the queue, a story
and the dashboard are saved."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from desk_setup import PASSWORD, DeskSite, desk_site
from playwright.sync_api import Browser, Page, sync_playwright

from conftest import WriteSettings
from mockserver import MockServer
from newsrelay.web import create_app
from sitepages import STORY_PAGES

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
PAYLOAD = '<img src=x onerror="window.__ran=1"><script>window.__ran=2</script>'


@pytest.fixture
def site(server: MockServer, write_settings: WriteSettings) -> Iterator[DeskSite]:
    # the held story's text shows markup (as text): it must stay text in the desk
    shown = PAYLOAD.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    found = desk_site(server, write_settings, extra=f"The page showed this code: {shown}")
    yield found
    found.store.close()


@pytest.fixture
def desk(site: DeskSite) -> Iterator[str]:
    config = uvicorn.Config(create_app(site.settings, site.store, site.config),
                            host="127.0.0.1", port=0, log_level="warning")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def log_in(page: Page, desk: str) -> None:
    page.goto(f"{desk}/queue")
    assert page.url.endswith("/login")
    page.fill("#name", "ana")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{desk}/queue")


def test_an_editor_reviews_edits_approves_and_withdraws(
    browser: Browser, desk: str, site: DeskSite, tmp_path: Path
) -> None:
    context = browser.new_context(bypass_csp=True)  # what runs is the markup's doing alone
    context.add_init_script("window.__ran = 0")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(desk) else outside.append(r.url))
    log_in(page, desk)
    page.screenshot(path=tmp_path / "queue.png", full_page=True)

    page.click(f"a[href='/story/{site.held}']")
    page.wait_for_url(f"{desk}/story/{site.held}")
    flagged = page.locator("tr.finding")
    assert flagged.count() >= 1
    assert "engine_marks" in flagged.first.inner_text()
    assert page.locator("tr.finding mark").count() >= 2  # both sides highlighted
    assert page.evaluate("window.__ran") == 0
    assert "<script>" in page.locator("td.source").last.inner_text()  # shown as text
    page.screenshot(path=tmp_path / "story.png", full_page=True)

    area = page.locator("textarea").first
    text = area.input_value()
    assert 'href="https://example.org/report"' in text
    area.fill(re.sub(r"\*?shipwrights", "carpinteros", text))
    page.click("text=Save and check again")
    page.wait_for_selector("text=saved and was checked again")
    page.click("text=Approve and publish")
    page.wait_for_load_state()
    assert "publish" in page.locator("p.meta").inner_text()

    published = [p.read_text(encoding="utf-8")
                 for p in (site.settings.output_dir / "es").glob(STORY_PAGES)]  # fmt: skip
    [story] = [p for p in published if "carpinteros" in p]
    assert "revisada después por un editor" in story
    assert 'href="https://example.org/report"' in story

    page.goto(f"{desk}/story/{site.published}")
    page.fill("input[name=reason]", "the source asked us to take it down")
    page.click("text=Reject")
    page.wait_for_load_state()
    pages = [
        p.read_text(encoding="utf-8") for p in (site.settings.output_dir / "es").glob(STORY_PAGES)
    ]
    assert any("La redacción retiró esta noticia" in p for p in pages)

    page.goto(f"{desk}/dashboard?days=30")
    assert page.locator("svg").count() == 1
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
    page.goto(f"{desk}/audit")
    assert "the source asked us to take it down" in page.inner_text("main")

    assert page.evaluate("window.__ran") == 0
    assert not errors and not outside
    print(f"screenshots: {tmp_path}/queue.png, story.png, dashboard.png")
