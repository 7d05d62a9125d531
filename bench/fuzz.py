"""Fuzz feed, sitemap and JSON Feed parsing and article extraction for longer than the tests do.

    python bench/fuzz.py [--examples 5000]

Prints how many inputs each target took, how long, and any input that broke the contract.
"""

from __future__ import annotations

import argparse
import time

from hypothesis import HealthCheck, given, settings

from fuzz_targets import (
    documents,
    extract_keeps_its_contract,
    markup,
    parse_feed_keeps_its_contract,
)


def run(name: str, strategy: object, check: object, examples: int) -> None:
    count = 0

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)  # type: ignore[arg-type]
    def target(value: object) -> None:
        nonlocal count
        count += 1
        check(value)  # type: ignore[operator]

    started = time.perf_counter()
    target()
    print(f"{name}: {count} inputs in {time.perf_counter() - started:.1f} s, no contract broken")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000)
    args = parser.parse_args()
    run("parse_feed", documents, parse_feed_keeps_its_contract, args.examples)
    run("extract_article", markup(), extract_keeps_its_contract, args.examples)


if __name__ == "__main__":
    main()
