"""newsrelay on real material nobody here wrote.

Checks: false holds on professional translations of real news (NTREX-128 development documents,
FLORES-200 devtest in documents of nine sentences) per target language, and recall per defect
kind on the same translations with one defect injected.

    python bench/real.py [--languages es,fr] [--no-flores] [--examples N]
"""

from __future__ import annotations

import argparse
import time

from real_eval import FLORES, available, good_pairs, score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(sorted(FLORES)))
    parser.add_argument("--no-flores", action="store_true", help="NTREX documents only")
    parser.add_argument("--examples", type=int, default=0, help="findings shown per hold kind")
    args = parser.parse_args()
    if not available():
        raise SystemExit("the corpora are not beside the repository (../shared/corpora)")
    started = time.perf_counter()
    good = good_pairs(args.languages.split(","), flores=not args.no_flores)
    scores = score(good)
    print(f"checks on real translations: {len(good)} good documents "
          f"({time.perf_counter() - started:.0f} s)")  # fmt: skip
    print("  language  good  held  false holds  hold kinds")
    for language in sorted(scores.good):
        kinds = {k: n for (lang, k), n in scores.hold_kinds.items() if lang == language}
        print(f"  {language:<8} {scores.good[language]:>5} {scores.held[language]:>5}  "
              f"{scores.false_hold_rate(language):>10.1%}  {kinds}")  # fmt: skip
    print("  defect kind          injected  caught  recall")
    for kind in sorted(scores.defects):
        print(f"  {kind:<20} {scores.defects[kind]:>8} {scores.caught[kind]:>7}  "
              f"{scores.recall(kind):.2f}")  # fmt: skip
    for kind, caught in sorted(scores.engine_caught.items()):
        print(
            f"  {kind} in an engine's translation (held there, noted in a person's): "
            f"{caught} of {scores.defects[kind]}, recall {caught / scores.defects[kind]:.2f}"
        )
    for key, findings in sorted(scores.examples.items()):
        for finding in findings[: args.examples]:
            print(f"  [{key}] {finding.message} | {finding.source or ''} | "
                  f"{(finding.translation or '')[:100]}")  # fmt: skip


if __name__ == "__main__":
    main()
