"""Fuzzing, with a fixed budget: feed, sitemap and JSON Feed parsing, and article extraction,
never crash, whatever they are given (bench/fuzz.py runs the same for longer)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from fuzz_targets import (
    documents,
    extract_keeps_its_contract,
    markup,
    parse_feed_keeps_its_contract,
)

BUDGET = settings(max_examples=150, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@BUDGET
@given(documents)
def test_feed_parsing_never_crashes(body: bytes) -> None:
    parse_feed_keeps_its_contract(body)


@BUDGET
@given(markup())
def test_extraction_never_crashes(html: str) -> None:
    extract_keeps_its_contract(html.encode("utf-8", "replace").decode("utf-8"))
