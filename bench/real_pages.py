"""The whole pipeline on real pages: the 91 pages of ../shared/corpora/extraction-dev, served on
127.0.0.1 through one RSS feed, run into Spanish and Catalan with Apertium. Prints, per language,
how many stories were published and held and why, and what a reader would see in the published
ones, detected automatically:

- words left in English: lower-case words of the translation that the target's own Apertium
  dictionary does not know and the English one does or the source article has (names are
  capitalised);
- words run together: other words the target's dictionary does not know that cut into words it
  knows ("australianode48años", ``newsrelay.text.word_break``);
- paragraphs lost: paragraphs of the page's true article body (the corpus' ground truth) whose
  text is not in the extracted article;
- promo and teaser lines: the residue check's calls to action and teasers;
- people's names not accounted for: the persons newsrelay finds in the source article (with
  the engine's dictionary) that the published text does not carry word for word (accents and
  case aside);
- malformed bylines and dates: an author written with "By", a role or a desk ("AP Sports
  Writer", "Analysis by"), digits or symbols; a publication date that is not a valid ISO 8601
  date between 1990 and next year.

    python bench/real_pages.py [--languages es,ca] [--limit 91] [--examples 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsrelay import Store, load_settings, run_once
from newsrelay.check import Policy
from newsrelay.check.residue import residue_findings
from newsrelay.config import render_config
from newsrelay.markup import html_paragraphs
from newsrelay.model import Metadata, Source
from newsrelay.protect import engine_lexicon, person_names
from newsrelay.text import fold, word_break, word_pieces
from newsrelay.translate.apertium import ApertiumEngine
from real_eval import CORPORA

PAGES = CORPORA / "extraction-dev"


def serve(pages: dict[str, bytes]) -> tuple[ThreadingHTTPServer, str]:
    """A server for the pages and a feed listing them."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/feed.xml":
                body, kind = feed.encode(), "application/rss+xml"
            elif self.path.startswith("/p/") and self.path[3:-5] in pages:
                body, kind = pages[self.path[3:-5]], "text/html; charset=utf-8"
            else:
                self.send_response(404 if self.path != "/robots.txt" else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    items = "".join(f"<item><title>{key}</title><link>{base}/p/{key}.html</link>"
                    f"<guid>{key}</guid></item>" for key in pages)  # fmt: skip
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>real</title>'
    feed = f"{head}{items}</channel></rss>"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, base


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + 4]) for i in range(max(len(words) - 3, 1))}


def lost_paragraphs(truth: str, extracted: str) -> list[str]:
    """Ground-truth paragraphs (of 8 words or more) most of whose text extraction lost."""
    have = shingles(extracted)
    lost = []
    for paragraph in (p.strip() for p in truth.split("\n") if p.strip()):
        own = shingles(paragraph)
        if len(paragraph.split()) >= 8 and len(own & have) < 0.5 * len(own):
            lost.append(paragraph)
    return lost


def reader_defects(
    engine: ApertiumEngine, text: str, language: str, source: str
) -> tuple[list[str], list[str]]:
    """The words of ``text`` left in English, and those run together: lower-case words the
    dictionary of ``language`` does not know that the English one knows or that the source
    text has ("canvassed", which neither dictionary knows), or else that cut into words it
    knows."""
    unknown = [w for w, kinds in engine.lexicon(text, language).items()
               if not kinds and w[:1].islower() and any(c.isalpha() for c in w)]  # fmt: skip
    if not unknown:
        return [], []
    english = engine.lexicon(" ".join(unknown), "en")
    words = set(re.findall(r"\w+", source))
    left = [w for w in unknown if english.get(w) or w in words]  # though it may cut
    others = [w for w in unknown if w not in left]
    pieces = {p for w in others for p in word_pieces(w, language)}
    known = {w for w, kinds in engine.lexicon(" ".join(sorted(pieces)), language).items() if kinds}
    return left, [w for w in others if word_break(w, known, language)]


BYLINE_NOISE = re.compile(
    r"^\s*by\b|\b(?:analysis|opinion|review|writer|correspondent|editor|reporter|staff)\b|[\d@|:/]",
    re.I,
)


def malformed_metadata(meta: Metadata) -> list[str]:
    """The bylines and the date of a story that a reader would see malformed."""
    bad = [f"byline {a!r}" for a in meta.authors if BYLINE_NOISE.search(a) or len(a.split()) > 5]
    if meta.published:
        try:
            year = datetime.fromisoformat(meta.published).year
        except ValueError:
            year = 0
        if not 1990 <= year <= datetime.now().year + 1:
            bad.append(f"date {meta.published!r}")
    return bad


def names_missing(engine: ApertiumEngine, source: str, text: str) -> list[str]:
    """The people newsrelay names in ``source`` that ``text`` does not carry word for word."""
    people = person_names(source, "en", lexicon=engine_lexicon(engine, source, "en"))
    return [name for name in people if fold(name) not in fold(text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="es,ca")
    parser.add_argument("--limit", type=int, default=91)
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    truth = json.loads((PAGES / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[: args.limit]
    pages = {k: gzip.decompress((PAGES / "html" / f"{k}.html.gz").read_bytes()) for k in keys}
    httpd, base = serve(pages)
    languages = args.languages.split(",")
    engine = ApertiumEngine()
    with tempfile.TemporaryDirectory(prefix="newsrelay-real-") as folder:
        config = Path(folder) / "newsrelay.toml"
        config.write_text(render_config([Source(name="Real pages", url=base + "/feed.xml",
                                                license="test")]))  # fmt: skip
        settings = load_settings(config, environ={}, overrides={
            "site.languages": languages, "fetch.allow_addresses": ["127.0.0.1"],
            "fetch.delay": 0.0, "fetch.robots": False, "fetch.max_bytes": 20_000_000})  # fmt: skip
        store = Store.open(settings.store_url)
        started = time.perf_counter()
        report = run_once(settings, store, engine=engine)
        print(f"{len(pages)} real pages, one run in {time.perf_counter() - started:.0f} s: "
              f"{dict(sorted(report.counts.get('extract', {}).items()))} extracted")  # fmt: skip
        for language in languages:
            summarise(store, engine, language, truth, args.examples)
        store.close()
    httpd.shutdown()


def summarise(store: Store, engine: ApertiumEngine, language: str, truth: dict[str, dict[str, str]],
              examples: int) -> None:  # fmt: skip
    """Published and held stories in ``language``, and what a reader sees in the published."""
    rows = store.held()
    holding = Policy.from_settings().hold  # the kinds that hold, not the notes beside them
    held = Counter(kind for row in rows if row["language"] == language
                   for kind in row["kinds"] if kind in holding)  # fmt: skip
    n_held = sum(1 for row in rows if row["language"] == language)
    published = store.stories(language=language)
    leftovers, joined_in, lost_in, promos, shown = [], 0, 0, 0, Counter()
    unnamed_in, malformed_in = 0, 0
    for story in published:
        key = story.original_url.rsplit("/", 1)[-1][:-5]
        text = "\n".join([story.title, *html_paragraphs(story.body_html)])
        _, article = store.translation(story.translation_id)
        source = "\n".join([article.title, *article.paragraphs])
        english, joined = reader_defects(engine, text, language, source)
        leftovers.append(len(english))
        joined_in += len(joined)
        lost = lost_paragraphs(truth[key]["articleBody"], "\n".join(article.paragraphs))
        lost_in += bool(lost)
        found = residue_findings(html_paragraphs(story.body_html))
        promos += len(found)
        missing = names_missing(engine, source, text)
        malformed = malformed_metadata(story.meta)
        unnamed_in += bool(missing)
        malformed_in += bool(malformed)
        said = [("left in English", english), ("run together", joined), ("lost", lost),
                ("promo", [f.translation for f in found]), ("name not kept", missing),
                ("malformed", malformed)]  # fmt: skip
        for label, items in said:
            for item in items[: max(examples - shown[label], 0)]:
                shown[label] += 1
                print(f"    [{language}] {label}: {str(item)[:90]}")
    total = len(published) + n_held
    mean = sum(leftovers) / len(leftovers) if leftovers else 0.0
    share = len(published) / total if total else 0.0
    print(f"  {language}: {len(published)} published, {n_held} held of {total} ({share:.0%} "
          f"published); held for {dict(held.most_common())}")  # fmt: skip
    print(f"  {language}, in what is published: {joined_in} words run together, {mean:.1f} words "
          f"left in English a story (max {max(leftovers, default=0)}), {lost_in} stories missing "
          f"paragraphs, {promos} promo or teaser lines, {unnamed_in} stories with a person's "
          f"name not kept, {malformed_in} with a malformed byline or date")  # fmt: skip


if __name__ == "__main__":
    main()
