"""The audit by reading: what the checks say of real pages, against what a person reading them
found.

``--dump FILE`` runs the 91 pages of ../shared/corpora/extraction-dev into Spanish (as
bench/real_pages.py does) and writes, for the first 20 published and the first 20 held stories
(by page), its first paragraphs (and any a finding points at) in the source beside the
translation, and every finding of the checks, one story a line, for a person to read.

Without ``--dump`` it scores the labels of that reading (``bench/data/audit-es.json``: for each
story its page, each finding judged true or false, and the defects a reader sees that no check
reported) and prints each check's precision and the defects no check caught, by kind.

    python bench/audit.py --dump /tmp/audit.jsonl
    python bench/audit.py [--labels bench/data/audit-es.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from newsrelay import Store, load_settings, run_once
from newsrelay.config import render_config
from newsrelay.markup import html_paragraphs
from newsrelay.model import Source
from newsrelay.store.schema import articles, entries, translations, verdicts
from newsrelay.translate.apertium import ApertiumEngine
from real_pages import PAGES, serve

LABELS = Path(__file__).parent / "data" / "audit-es.json"
PER_SIDE = 20
READ = 12  # paragraphs of each story shown (the headline first), and any a finding points at


def dump(out: Path) -> None:
    """Run the real pages into Spanish and write the stories to read."""
    truth = json.loads((PAGES / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {k: gzip.decompress((PAGES / "html" / f"{k}.html.gz").read_bytes()) for k in truth}
    httpd, base = serve(pages)
    with tempfile.TemporaryDirectory(prefix="newsrelay-audit-") as folder:
        config = Path(folder) / "newsrelay.toml"
        config.write_text(render_config([Source(name="Real pages", url=base + "/feed.xml",
                                                license="test")]))  # fmt: skip
        settings = load_settings(config, environ={}, overrides={
            "site.languages": ["es"], "fetch.allow_addresses": ["127.0.0.1"],
            "fetch.delay": 0.0, "fetch.robots": False, "fetch.max_bytes": 20_000_000})  # fmt: skip
        store = Store.open(settings.store_url)
        run_once(settings, store, engine=ApertiumEngine())
        query = (
            sa.select(translations.c.id, entries.c.url, verdicts.c.decision, verdicts.c.findings)
            .join(verdicts, verdicts.c.translation_id == translations.c.id)
            .join(articles, articles.c.id == translations.c.article_id)
            .join(entries, entries.c.id == articles.c.entry_id)
        )
        with store.engine.connect() as conn:
            rows = sorted(conn.execute(query).all(), key=lambda r: r.url)
        chosen = [r for r in rows if r.decision == "publish"][:PER_SIDE]
        chosen += [r for r in rows if r.decision == "hold"][:PER_SIDE]
        with out.open("w", encoding="utf-8") as lines:
            for row in chosen:
                translation, article = store.translation(row.id)
                source = [article.title, *article.paragraphs]
                translated = [translation.title, *html_paragraphs(translation.body_html)]
                findings = json.loads(row.findings)
                shown = {i for i in range(READ)} | {f["paragraph"] for f in findings
                                                    if f["paragraph"] is not None}  # fmt: skip
                story = {
                    "page": row.url.rsplit("/", 1)[-1].removesuffix(".html"),
                    "decision": row.decision,
                    "paragraphs": len(source),
                    "read": [[i, source[i] if i < len(source) else "",
                              translated[i] if i < len(translated) else ""]
                             for i in sorted(shown) if i < max(len(source), len(translated))],
                    "findings": findings,
                }  # fmt: skip
                lines.write(json.dumps(story, ensure_ascii=False) + "\n")
        store.close()
    httpd.shutdown()
    print(f"{len(chosen)} stories written to {out}")


def score(labels: Path) -> None:
    """Each check's precision and the defects no check caught, from the labels."""
    stories = json.loads(labels.read_text(encoding="utf-8"))["stories"]
    judged: Counter[tuple[str, bool]] = Counter()
    missed: Counter[str] = Counter()
    for story in stories:
        for finding in story["findings"]:
            judged[finding["kind"], bool(finding["true"])] += 1
        missed.update(defect["kind"] for defect in story["missed"])
    kinds = sorted({kind for kind, _ in judged})
    print(f"{len(stories)} stories read ({sum(s['decision'] == 'publish' for s in stories)} "
          "published, the others held)")  # fmt: skip
    print(f"  {'finding kind':<16} {'true':>5} {'false':>6} {'precision':>10}")
    for kind in kinds:
        true, false = judged[kind, True], judged[kind, False]
        print(f"  {kind:<16} {true:>5} {false:>6} {true / (true + false):>10.2f}")
    print("defects a reader sees that no check reported:")
    for kind, count in missed.most_common():
        print(f"  {kind:<24} {count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write the stories to read to this file")
    parser.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args()
    if args.dump:
        dump(args.dump)
    else:
        score(args.labels)


if __name__ == "__main__":
    main()
