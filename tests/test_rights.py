"""Rights: what a source states about reuse, compared with the license configured for it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from lxml import html

from conftest import WriteSettings
from mockserver import MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.extract.metadata import page_metadata
from newsrelay.model import Source
from newsrelay.rights import RESERVED, license_of, rights_findings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CC BY 4.0", "cc-by-4.0"),
        ("Licensed CC-BY-SA 3.0", "cc-by-sa-3.0"),
        ("https://creativecommons.org/licenses/by-nc-nd/4.0/", "cc-by-nc-nd-4.0"),
        ("Creative Commons Attribution-ShareAlike 4.0 International", "cc-by-sa-4.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "cc0"),
        ("Public domain", "public-domain"),
        ("© 2026 The Gazette. All rights reserved.", RESERVED),
        ("Todos los derechos reservados", RESERVED),
        ("Copyright 2026 The Gazette", None),  # a notice, not a license
        ("Syndication agreement of 2026", None),
        ("", None),
    ],
)
def test_licenses_are_read_from_words_codes_and_links(text: str, expected: str | None) -> None:
    assert license_of(text) == expected


def test_only_a_statement_that_contradicts_an_open_license_is_a_finding() -> None:
    assert rights_findings("CC BY 4.0", {"feed": "CC BY 4.0", "page": "© 2026 Gazette"}) == []
    assert rights_findings("CC BY-SA", {"page": "CC BY-SA 3.0"}) == []  # no version: agrees
    [reserved] = rights_findings("CC BY 4.0", {"feed": "All rights reserved", "page": None})
    assert reserved.kind == "rights" and "feed states 'All rights reserved'" in reserved.message
    [other] = rights_findings(
        "CC BY 4.0", {"page": "https://creativecommons.org/licenses/by-nc/4.0/"}
    )
    assert "configured license 'CC BY 4.0'" in other.message
    # a private agreement newsrelay cannot read is never contradicted
    assert rights_findings("Syndication agreement 2026", {"page": "All rights reserved"}) == []


def test_a_page_states_its_rights_in_a_license_link_json_ld_or_meta() -> None:
    def rights(head: str) -> str | None:
        doc = html.fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>")
        return page_metadata(doc, "http://127.0.0.1/news/a.html")[1].rights

    assert rights('<link rel="license" href="/license">') == "http://127.0.0.1/license"
    ld = {
        "@type": "NewsArticle",
        "headline": "H",
        "license": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert rights(f'<script type="application/ld+json">{json.dumps(ld)}</script>') == ld["license"]
    assert rights('<meta name="copyright" content="© 2026 Gazette">') == "© 2026 Gazette"
    assert rights("<title>nothing stated</title>") is None


STORY = [
    "The harbour of Lakeside will open a new pier for fishing boats in the spring, the port said on Monday.",
    "The work will cost 3 million dollars and will take about five months, according to the port.",
]


@pytest.mark.usefixtures("apertium_eng_spa")
def test_a_feed_that_reserves_all_rights_holds_a_story_licensed_as_open(
    server: MockServer, write_settings: WriteSettings
) -> None:
    link = server.route("/news/pier.html", article_page("A new pier", STORY))
    feed = rss([("A new pier", link)]).replace(
        "<description>d</description>", "<description>d</description>"
        "<copyright>© 2026 Test Gazette. All rights reserved.</copyright>")  # fmt: skip
    url = server.route("/feed.xml", feed)
    settings = write_settings([Source(name="Gazette", url=url, license="CC BY 4.0")])
    store = Store.open(settings.store_url)

    run_once(settings, store)

    [held] = store.held()
    assert "rights" in held["kinds"]
    [source] = store.source_health()
    assert source["rights"] == "© 2026 Test Gazette. All rights reserved."
    listed = subprocess.run(
        [sys.executable, "-m", "newsrelay", "sources", "list", "--json"],
        cwd=settings.root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(listed.stdout)[0]["rights"] == source["rights"]
