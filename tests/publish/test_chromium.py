"""The built site in a real browser: headless Chromium opens the home page and a story page served
on 127.0.0.1, on a phone-sized screen, and the reader sees the notice, the source link and the
license; no page logs an error or loads anything from elsewhere. Screenshots are saved."""

from __future__ import annotations

import base64
import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from devtools import Chromium, chromium_fixture, site_server_fixture  # noqa: F401  (fixtures)
from site_samples import LANGUAGES, png, sample_stories

from mockserver import MockServer
from newsrelay.config import FetchSettings
from newsrelay.ingest import Fetcher
from newsrelay.publish import ImageMirror, StaticSite

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}

# Where an element is and whether a reader can see it: rendered, of some size, not hidden by
# itself or an ancestor, inside the page's width.
VISIBLE = """(() => {
  const found = {};
  for (const [name, selector] of Object.entries(%s)) {
    const el = document.querySelector(selector);
    if (!el) { found[name] = null; continue; }
    const box = el.getBoundingClientRect();
    let hidden = false;
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      hidden ||= style.display === "none" || style.visibility === "hidden"
                 || Number(style.opacity) === 0;
    }
    found[name] = {width: box.width, height: box.height, left: box.left, right: box.right,
                   hidden, text: el.innerText, href: el.getAttribute("href")};
  }
  found.pageWidth = document.documentElement.scrollWidth;
  found.viewport = window.innerWidth;
  return found;
})()"""


def build_site(base: str, folder: Path, server: MockServer) -> None:
    """The sample site with its lead image mirrored, so that every page is self-contained."""
    photo = server.route("/photo.png", png(), headers={"Content-Type": "image/png"})
    stories = sample_stories(image=photo)
    site = StaticSite(folder, title="Relay", base_url=base)
    with Fetcher(
        FetchSettings(allow_addresses=["127.0.0.1"], delay=0.0, retries=0, timeout=2.0)
    ) as fetcher:
        mirrored = ImageMirror(folder, site.url, fetcher.get).apply(
            stories, publishing={s.translation_id for s in stories}
        )
    site.build(mirrored, LANGUAGES)


def screenshot(chromium: Chromium, path: Path) -> None:
    shot = chromium.page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    print(f"screenshot: {path}")


def problems(events: list[dict[str, Any]]) -> list[str]:
    """Console messages, uncaught exceptions and browser log entries, as text."""
    found = []
    for event in events:
        params = event.get("params", {})
        if event["method"] == "Runtime.consoleAPICalled":
            found.append(f"console.{params['type']}: {params.get('args')}")
        elif event["method"] == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails']}")
        elif event["method"] == "Log.entryAdded":
            entry = params["entry"]
            found.append(f"log {entry['level']}: {entry['text']} ({entry.get('url', '')})")
    return found


def test_home_and_story_pages_in_chromium(
    chromium: Chromium, site_server: tuple[str, Path], server: MockServer, tmp_path: Path
) -> None:
    started = time.monotonic()
    base, folder = site_server
    build_site(base, folder, server)
    page = chromium.page
    for domain in ("Page", "Runtime", "Log", "Network"):
        page.call(f"{domain}.enable")
    page.call("Emulation.setDeviceMetricsOverride", **PHONE)

    page.open(base + "index.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("[...document.querySelectorAll('a[hreflang]')].map(a => a.innerText)") == [
        "español",
        "català",
    ]
    screenshot(chromium, tmp_path / "home.png")

    page.open(base + "es/story/1.html")
    assert page.evaluate("document.documentElement.lang") == "es"
    seen = page.evaluate(VISIBLE % '{"notice": ".notice", "source": ".credit a", '
                         '"license": "#license", "image": "figure img", "byline": ".byline"}')  # fmt: skip
    for name in ("notice", "source", "license", "image", "byline"):
        box = seen[name]
        assert box is not None, f"{name}: not on the page"
        assert box["width"] > 0 and box["height"] > 0 and not box["hidden"], (name, box)
        assert box["left"] >= 0 and box["right"] <= seen["viewport"], (name, box)
    assert "traducida automáticamente" in seen["notice"]["text"]
    assert seen["source"]["href"] == "http://127.0.0.1:9/news/1.html"
    assert "Licencia: CC BY 4.0" in seen["license"]["text"]
    assert seen["byline"]["text"] == "Por Ana Ruiz, para Wire A"
    assert page.evaluate("document.querySelector('figure img').naturalWidth") == 640  # mirrored
    assert seen["pageWidth"] <= seen["viewport"], "the story scrolls sideways on a phone"
    top = page.evaluate("document.querySelector('figure img').getBoundingClientRect().top")
    assert top < PHONE["height"] * 0.6, "the lead image is below the first screen on a phone"
    screenshot(chromium, tmp_path / "story.png")

    requested = [
        e["params"]["request"]["url"]
        for e in page.events
        if e["method"] == "Network.requestWillBeSent"
    ]
    assert base + "es/story/1.html" in requested
    assert [u for u in requested if not u.startswith((base, "data:"))] == []
    assert problems(page.events) == []

    # what a reader sees, on a phone and on a desktop: the front page, a section, a story
    for device, metrics in (("phone", PHONE), ("desktop", DESKTOP)):
        page.call("Emulation.setDeviceMetricsOverride", **metrics)
        for name, path in (("home", "es/index.html"), ("section", "es/section/economy/index.html"),
                           ("story", "es/story/1.html")):  # fmt: skip
            page.open(base + path)
            screenshot(chromium, tmp_path / f"{name}-{device}.png")
    assert page.evaluate("document.querySelectorAll('.sections a').length") >= 2  # the nav

    # the same folder from disk, and from another server on another port: every image shows
    with ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
            SimpleHTTPRequestHandler, directory=str(folder))) as other:  # fmt: skip
        threading.Thread(target=other.serve_forever, daemon=True).start()
        elsewhere = f"http://127.0.0.1:{other.server_address[1]}/"
        for start in (folder.as_uri() + "/", elsewhere):
            page.open(start + "es/story/1.html")
            assert page.evaluate("document.querySelector('figure img').naturalWidth") == 640, start
            page.open(start + "es/index.html")
            assert page.evaluate("document.querySelectorAll('a[href$=\\'.html\\']').length") > 1
        other.shutdown()
    print(f"chromium test: {time.monotonic() - started:.1f}s")
