"""Translation checks on the challenge set, and on the demo's real Apertium translations.

Prints recall per defect kind (a defective pair counts as caught when the policy holds or rejects
it), the false-hold rate on good pairs with the findings behind those holds, and which of the
demo's sample stories Apertium's own translations get held for, and why.

    python bench/checks.py [--with-drift]

With --with-drift, the meaning_drift check (back-translation; off by default) runs and holds too,
to show what it adds and what it costs.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import replace

from checks_eval import pairs, score_checks
from newsrelay.check import Policy, check_translation
from newsrelay.demo import DemoSite
from newsrelay.extract import extract_article
from newsrelay.translate import translate_article
from newsrelay.translate.apertium import ApertiumEngine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-drift", action="store_true", help="run and hold on meaning_drift")
    args = parser.parse_args()
    engine = ApertiumEngine()
    items = pairs()
    policy = Policy.from_settings()
    if args.with_drift:
        policy = replace(policy, hold=policy.hold | {"meaning_drift"}, disabled=frozenset())
    scores = score_checks(items, {pair: engine for pair in engine.pairs()}, policy)
    languages = Counter(f"{p['source_lang']}->{p['target_lang']}" for p in items)
    print(
        f"challenge set: {len(items)} pairs ({', '.join(f'{k} {v}' for k, v in languages.items())})"
    )
    print("  defect kind          caught  recall")
    for kind in sorted(scores.defects):
        caught = f"{scores.caught[kind]}/{scores.defects[kind]}"
        print(f"  {kind:<20} {caught:>6}  {scores.recall(kind):.2f}")
    print(
        f"  good pairs held: {scores.false_holds}/{scores.good} "
        f"({scores.false_hold_rate:.1%}); findings on good pairs: {dict(scores.false_kinds)}"
    )

    site = DemoSite()
    held = Counter()
    print("demo stories translated by Apertium:")
    for story in site.stories:
        url = f"http://127.0.0.1/news/{story.slug}.html"
        article = extract_article(site.page(story.slug) or "", url)
        translation = translate_article(engine, article, "en", "es")
        verdict = check_translation(article, translation, engine=engine, policy=policy)
        kinds = sorted({f.kind for f in verdict.findings})
        held[verdict.decision.value] += 1
        print(f"  {story.slug:<10} {verdict.decision.value:<8} {', '.join(kinds) or '-'}")
    print(f"  held or rejected: {len(site.stories) - held['publish']}/{len(site.stories)}")


if __name__ == "__main__":
    main()
