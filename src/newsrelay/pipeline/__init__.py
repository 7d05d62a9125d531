"""The one place that sequences the stages. One pass over all sources runs, in order:

1. **poll** every source that is not paused (conditional GET; sitemap indexes are followed, and a
   site's home page through its robots.txt ``Sitemap:`` lines); new or changed entries are
   stored as ``pending``, the newest ``poll.max_entries`` of a feed;
2. **recheck** the pages of published stories younger than ``publish.recheck_days`` whose next
   look is due (conditional GET with the page's ETag and Last-Modified): a changed page goes back
   to ``fetched`` (so the steps below re-extract, re-translate, re-check and republish it), a page
   gone (404, 410, or a redirect to the home page) removes its story (``source_gone``);
3. **fetch** pending entries, and failed ones whose retry time has come, in parallel threads (a
   published story whose page is now 404 or 410 is removed, as in step 2);
4. **extract** the article of every fetched page; a page marked as retracted (JSON-LD
   ``creativeWorkStatus`` ``Retracted`` or ``Withdrawn``) removes its story
   (``source_retracted``), and a changed article of a re-fetched page is an update (``updated``);
5. **dedupe**: file every new article in a story (the story it repeats, or its own) and choose
   which article of the story is translated and credited;
6. **translate** the chosen article of every story into each configured language it lacks;
7. **check** every new translation and store the verdict;
8. **publish** translations cleared for publishing (never those of a source in monitor mode,
   ``republish = false``, which stop at the check for a person to read): the site's files that
   show a new or changed story (its page, its indexes, feeds and sitemaps), with the new
   stories' lead images copied into the site first when ``site.images`` is ``mirror``, then the
   publication records (so a crash between them only repeats work); removed stories follow
   ``publish.on_removal``;
9. **push** every story the site shows to each configured target (WordPress, a webhook) once per
   version, as published, updated or withdrawn, recording each delivery (the target's id, the
   version) or its failure (reason code, next try with back-off) per target, story and language.

Steps 1 and 3 to 7 are units of work (``newsrelay.pipeline.units``): each works on one item named
by its id, which the store hands out with a lease (``Store.claim_due``), and stores its result
together with an event in one transaction per item, guarded by the state the item was claimed
in, so a run killed at any point resumes where it stopped and two workers never write one item
twice. Steps 2, 8 and 9 are sweeps over many items (``newsrelay.pipeline.sweeps``). This module
is the local executor; ``newsrelay.pipeline.tasks`` runs the same units on Celery workers.
Whatever goes wrong with one item is recorded on it with its reason code (and tried again later,
with back-off) and the run goes on with the others; a step that cannot run at all is reported in
the run's ``stage_errors`` and the steps after it still run.
"""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime

from newsrelay.config import Settings
from newsrelay.errors import Locked, StoreError
from newsrelay.ingest import Fetcher
from newsrelay.pipeline.report import Progress, RunReport, Tally
from newsrelay.pipeline.sweeps import SWEEPS, next_check, plan_deliveries, run_sweep
from newsrelay.pipeline.units import BATCH_ARTICLES, UNITS, Deps, unwanted_languages
from newsrelay.store import Store
from newsrelay.translate import Engine

__all__ = ["BATCH_ARTICLES", "STAGES", "Progress", "RunReport", "next_check", "plan_deliveries",
           "run_once", "run_stage"]  # fmt: skip

log = logging.getLogger(__name__)
STAGES = ("poll", "recheck", "fetch", "extract", "dedupe", "translate", "check", "publish", "push")
EVERYTHING = 1_000_000  # items claimed at once by the local executor: all that are due
SWEEP_WAIT = 120.0  # seconds a sweep waits while another process (the desk) holds its lease


def run_once(
    settings: Settings,
    store: Store,
    *,
    fetcher: Fetcher | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Run every stage once over all configured sources, in this process."""
    report, progress = RunReport(), progress or Progress()
    deps = Deps.open(settings, store, fetcher=fetcher, engine=engine)
    try:
        for stage in STAGES:
            started = datetime.now(UTC)
            try:
                run_stage(deps, Tally(stage, report, progress))
            except StoreError:
                raise  # the store itself fails: no other stage can work either
            except Exception as exc:  # the stage as a whole (not one item) could not run
                reason = getattr(exc, "reason", None) or "internal_error"
                log.error("%s stage could not run:\n%s", stage,
                          "".join(traceback.format_exception(exc)),
                          extra={"stage": stage, "reason": reason})  # fmt: skip
                report.stage_errors[stage] = f"{reason}: {exc}"
            report.seconds[stage] = (datetime.now(UTC) - started).total_seconds()
    finally:
        deps.close()
    return report


def run_stage(deps: Deps, tally: Tally) -> None:
    """Run one stage over everything due in it: a sweep, or the stage's unit over the items
    claimed for this process (released when done, whatever happens)."""
    stage = tally.stage
    if stage in SWEEPS:
        if run_sweep(deps, stage, SWEEP_WAIT, tally).get("running elsewhere"):
            raise Locked(f"{stage}: another process held the store's {stage} lease for "
                         f"{SWEEP_WAIT:.0f} s")  # fmt: skip
        return
    limit = deps.settings.fetch.max_pages_per_run if stage == "fetch" else EVERYTHING
    items = claim(deps, stage, limit, scheduled=False)
    if stage == "poll":
        for _ in [s for s in deps.sources.values() if s.paused]:
            tally.report.add("poll", "paused")
    if stage == "fetch" and len(items) == limit:
        log.info("fetch: %d pages fetched in this run, more are due", limit)
    tally.start(len(items))
    try:
        for _, outcome in UNITS[stage].run(deps, stage, items):
            tally.done(outcome)
    finally:
        deps.store.release(stage, items, deps.worker)


def claim(deps: Deps, stage: str, limit: int, *, scheduled: bool) -> list[str]:
    """Lease up to ``limit`` due items of ``stage`` to this process; sources are due when
    their next poll time has come (``scheduled``) or whenever they are not paused."""
    settings = deps.settings
    among = [i for i, s in deps.sources.items() if not s.paused] if stage == "poll" else None
    return deps.store.claim_due(
        stage, limit, deps.worker, max_attempts=settings.fetch.max_attempts,
        languages=settings.site.languages, among=among, scheduled=scheduled,
        unwanted=unwanted_languages(settings, deps.sources.values()),
    )  # fmt: skip
