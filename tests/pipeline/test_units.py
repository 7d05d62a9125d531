"""Units of work by id: the store hands each due item to one worker, a dead or expired lease
frees its items, and two workers filing copies of one story at once make one story."""

from __future__ import annotations

import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from conftest import WriteSettings
from mockserver import COPY, WIRE, MockServer, article_page, rss
from newsrelay import Store
from newsrelay.config import Settings
from newsrelay.model import Source
from newsrelay.pipeline import run_stage
from newsrelay.pipeline.report import Tally
from newsrelay.pipeline.units import Deps, dedupe

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")


def dead_worker() -> str:
    """The lease name of a process of this machine that has ended."""
    probe = subprocess.Popen(["true"])
    probe.wait()
    return f"{socket.gethostname()}:{probe.pid}:gone"


def two_sources(server: MockServer, write_settings: WriteSettings) -> tuple[Settings, Store]:
    wire = server.route("/a/1.html", article_page("Parliament approves free buses", WIRE))
    copy = server.route("/b/1.html", article_page("Free buses for young people", COPY))
    settings = write_settings([
        Source(name="Wire A", url=server.route("/a.xml", rss([("A", wire)]))),
        Source(name="Daily B", url=server.route("/b.xml", rss([("B", copy)]))),
    ])  # fmt: skip
    return settings, Store.open(settings.store_url)


def test_each_due_item_goes_to_one_worker_and_dead_or_expired_leases_free_it(
    server: MockServer, write_settings: WriteSettings
) -> None:
    settings, store = two_sources(server, write_settings)
    deps = Deps.open(settings, store)
    try:
        run_stage(deps, Tally("poll"))  # two sources: two pending entries
    finally:
        deps.close()
    first = store.claim_due("fetch", 1, "host-a:1:x", lease=timedelta(minutes=5))
    second = store.claim_due("fetch", 5, "host-b:1:y", lease=timedelta(minutes=5))
    assert first == ["1"] and second == ["2"]
    assert store.claim_due("fetch", 5, "host-c:1:z") == []  # both held, on other machines
    assert store.leased() == {"fetch": 2}

    store.release("fetch", first, "host-a:1:x")
    assert store.claim_due("fetch", 5, "host-c:1:z", lease=timedelta(seconds=-1)) == ["1"]
    assert store.claim_due("fetch", 5, "host-d:1:w") == ["1"]  # the lease of "z" expired
    store.release("fetch", ["1"], "host-d:1:w")

    gone = dead_worker()
    assert store.claim_due("fetch", 5, gone) == ["1"]
    assert store.claim_due("fetch", 5, "host-e:1:v") == ["1"]  # its holder died: free at once
    # a worker takes over the items a dispatcher sent it, and only those still due
    assert store.claim_due("fetch", 5, "worker", only=["1", "2"], takeover="host-e:1:v") == ["1"]
    store.close()


def test_two_workers_filing_copies_of_one_story_at_once_make_one_story(
    server: MockServer, write_settings: WriteSettings
) -> None:
    settings, store = two_sources(server, write_settings)
    workers = [Deps.open(settings, store) for _ in range(2)]
    try:
        for stage in ("poll", "fetch", "extract"):
            run_stage(workers[0], Tally(stage))
        items = [store.claim_due("dedupe", 1, w.worker) for w in workers]
        assert items == [["1"], ["2"]]
        with ThreadPoolExecutor(max_workers=2) as pool:
            done = list(pool.map(lambda w, i: list(dedupe(w, i)), workers, items))
    finally:
        for worker in workers:
            worker.close()
    assert sorted(outcome for [(_, outcome)] in done) == ["duplicate", "new"]
    assert store.row_counts()["stories"] == 1
    store.close()


def test_a_dead_letter_is_listed_with_the_problems(store_url: str) -> None:
    store = Store.open(store_url)
    store.record_dead_letter("check", ["12"], "StoreError: the store is down")
    store.record_dead_letter("publish", [], "StoreError: the store is down")
    problems = {(p["stage"], p["reason"], p["item"]) for p in store.problems()}
    assert problems == {("check", "dead_letter", "translation 12"),
                        ("publish", "dead_letter", "sweep")}  # fmt: skip
    store.close()
