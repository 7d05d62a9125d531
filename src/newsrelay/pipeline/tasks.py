"""Celery: the units and sweeps on worker processes, one queue per stage, Redis as the broker.

The database stays the one source of truth; a message only says "work on these items". The
dispatcher (``newsrelay run --executor celery``) claims due items under its own lease and sends
them in batches to their stage's queue (``poll``, ``fetch``, ``extract``, ``dedupe``,
``translate``, ``check``; ``publish`` and ``push`` for the sweeps, ``recheck`` runs on ``fetch``),
so translation can run on the machines that have the GPUs: ``newsrelay worker --queues
translate``. A worker takes the items over from the dispatcher's lease under its own and runs the
same units as the local executor; an item that is no longer due (done by another, changed since)
is skipped. Messages are acknowledged late, and a worker that dies gives its task back: a task
that runs twice finds its items done. A worker killed outright leaves leases of a dead process,
free at once on its own machine and after they expire elsewhere; the dispatcher then sends the
items again. A task whose store cannot be reached is retried with back-off, at most
``MAX_RETRIES`` times, and then recorded as a dead letter (``newsrelay status`` lists it).

The sweeps (site, push targets, rechecks) run as tasks too, one at a time: each holds the
store's lease of its name while it runs. Requests to one host are spaced across all workers
through Redis (``RedisSpacing``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from celery import Celery, chain
from celery.signals import worker_process_init, worker_process_shutdown
from kombu.exceptions import OperationalError as BrokerError
from redis import Redis
from redis.exceptions import RedisError

from newsrelay.config import Settings
from newsrelay.errors import StoreError
from newsrelay.ingest import Fetcher
from newsrelay.pipeline.report import RunReport, Tally
from newsrelay.pipeline.sweeps import SWEEPS, run_sweep
from newsrelay.pipeline.units import UNITS, Deps, StoredRobots, unwanted_languages
from newsrelay.store import Store
from newsrelay.store.lock import holder_name

__all__ = ["QUEUES", "Dispatcher", "RedisSpacing", "make_app"]

log = logging.getLogger(__name__)
QUEUES = ("poll", "fetch", "extract", "dedupe", "translate", "check", "publish", "push")
QUEUE_OF = {"recheck": "fetch"}  # a stage whose work runs on another stage's queue
BATCH = {"poll": 1, "fetch": 4, "extract": 8, "dedupe": 32, "translate": 16, "check": 8}
DISPATCH_LEASE = timedelta(seconds=60)  # how long a sent item waits for a worker to take it
WORK_LEASE = timedelta(minutes=10)  # how long a worker may work on a batch before it is free
MAX_RETRIES = 5
OUTSTANDING = 4  # batches per stage sent and not yet taken, at most (the queue stays short)
SWEEP_PATIENCE = 30.0  # seconds sent sweeps may go unfinished with none running, then resent


class RedisSpacing:
    """Per-host spacing of requests shared by every worker: the next start for each host is a
    Redis key, booked with one atomic script."""

    SCRIPT = """
    local now = tonumber(ARGV[1])
    local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
    redis.call('SET', KEYS[1], tostring(start + tonumber(ARGV[2])), 'PX', ARGV[3])
    return tostring(start - now)
    """

    def __init__(self, url: str) -> None:
        self.client = Redis.from_url(url)
        self.book = self.client.register_script(self.SCRIPT)

    def reserve(self, host: str, delay: float) -> float:
        """Book the next start for ``host``; the seconds to wait for it (none when Redis cannot
        be reached: this worker's own gate still spaces its requests)."""
        try:
            seconds, micros = self.client.time()
            now = float(seconds) + float(micros) / 1e6
            ttl = str(int((delay + 60) * 1000))
            return float(self.book(keys=[f"newsrelay:next:{host}"], args=[now, delay, ttl]))
        except Exception as exc:
            log.warning("shared politeness: Redis unavailable (%s); spacing this worker only", exc)
            return delay


# the worker side -----------------------------------------------------------------------------

_deps: Deps | None = None  # this worker process's, opened on its first task


def _worker_deps(settings: Settings) -> Deps:
    global _deps
    if _deps is None:
        store = Store.open(settings.store_url)
        spacing = RedisSpacing(settings.broker_url)
        fetcher = Fetcher(settings.fetch, robots_cache=StoredRobots(store), spacing=spacing)
        _deps = Deps.open(settings, store, fetcher=fetcher)
        _deps.closes(fetcher.close, store.close)
    return _deps


@worker_process_init.connect
def _fresh(**_: Any) -> None:
    """A worker process forked from the main one opens its own connections."""
    global _deps
    _deps = None


@worker_process_shutdown.connect
def _close(**_: Any) -> None:
    global _deps
    if _deps is not None:
        _deps.close()
        _deps = None


def make_app(settings: Settings) -> Celery:
    """The Celery app of a newsrelay site: its tasks, queues and delivery guarantees."""
    app = Celery("newsrelay", broker=settings.broker_url, backend=settings.broker_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="poll",
        task_routes=(_route,),
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": int(WORK_LEASE.total_seconds())},
        result_expires=3600,
        worker_hijack_root_logger=False,
        task_serializer="json",
        accept_content=["json"],
    )

    @app.task(name="newsrelay.unit", bind=True, max_retries=MAX_RETRIES)
    def unit(task: Any, stage: str, items: list[str], dispatcher: str) -> dict[str, int]:
        """Work on ``items`` of ``stage``: those still due, taken over from the dispatcher."""
        try:
            return run_unit(_worker_deps(settings), stage, items, dispatcher)
        except StoreError as exc:
            _retry_or_dead(task, settings, stage, items, exc)
            raise

    @app.task(name="newsrelay.sweep", bind=True, max_retries=MAX_RETRIES)
    def sweep(task: Any, stage: str) -> dict[str, int]:
        """Run one sweep, unless another worker is running it."""
        try:
            return run_sweep(_worker_deps(settings), stage)
        except StoreError as exc:
            _retry_or_dead(task, settings, stage, [], exc)
            raise

    return app


def _route(name: str, args: Any, kwargs: Any, *_: Any, **__: Any) -> dict[str, str] | None:
    """A stage's work goes to the stage's queue."""
    if name not in ("newsrelay.unit", "newsrelay.sweep"):
        return None
    stage = args[0] if args else kwargs["stage"]
    return {"queue": QUEUE_OF.get(stage, stage)}


def _retry_or_dead(
    task: Any, settings: Settings, stage: str, items: list[str], error: Exception
) -> None:
    """Retry a task whose store failed, with back-off; after ``MAX_RETRIES``, a dead letter."""
    if task.request.retries < MAX_RETRIES:
        raise task.retry(exc=error, countdown=min(2**task.request.retries, 60))
    log.error("%s %s: dead letter after %d tries: %s", stage, items, MAX_RETRIES, error)
    try:
        store = Store.open(settings.store_url)
        try:
            store.record_dead_letter(stage, items, f"{type(error).__name__}: {error}")
        finally:
            store.close()
    except StoreError:
        pass  # the store is still down: the log line above is the record


def run_unit(deps: Deps, stage: str, items: list[str], dispatcher: str) -> dict[str, int]:
    """Take over ``items`` of ``stage`` from ``dispatcher``'s lease, run the stage's unit on
    those still due, and give the leases back; the outcomes counted."""
    settings = deps.settings
    mine = deps.store.claim_due(
        stage, len(items), deps.worker, lease=WORK_LEASE,
        max_attempts=settings.fetch.max_attempts, languages=settings.site.languages,
        unwanted=unwanted_languages(settings, deps.sources.values()),
        among=list(deps.sources), scheduled=False, only=items, takeover=dispatcher,
    )  # fmt: skip
    tally = Tally(stage)
    try:
        for _, outcome in UNITS[stage].run(deps, stage, mine):
            tally.done(outcome)
    finally:  # all of them: a task tried again after the store failed gives back what it held
        deps.store.release(stage, items, deps.worker)
    return tally.report.counts.get(stage, {})


# the dispatcher ------------------------------------------------------------------------------


class Dispatcher:
    """Sends due work to the workers: ``once`` until everything due is done (one pass, like the
    local executor), or ``forever`` (polling each source every ``poll.interval_minutes``)."""

    def __init__(self, settings: Settings, store: Store, app: Celery | None = None) -> None:
        self.settings, self.store = settings, store
        self.app = app or make_app(settings)
        self.name = holder_name()
        self.sources = {s.id: s for s in store.sync_sources(settings.sources) if s.id is not None}
        self.report = RunReport()
        self.sent: list[tuple[str, list[str], Any]] = []  # the tasks not known to have ended
        self.stopped: set[str] = set()  # stages whose task failed outright: no more is sent
        self.swept_at = 0.0  # when the sweeps were last sent

    def once(self, tick: float = 0.5) -> RunReport:
        """Poll every source now, and send work until none is due, none is being worked on, and
        the sweeps have run after the last of it; a stage whose task fails outright (not one
        item: the stage cannot run on the workers) is reported and sent no more."""
        stages = list(BATCH)
        sweeps: Any = None
        while True:
            with _tolerant("dispatch"):
                sent = self.send_due(stages, scheduled=False)
                stages = [stage for stage in BATCH if stage != "poll"]  # sources: once a run
                self.collect()
                busy = sent or self.sent or self.store.leased()
                if busy:
                    sweeps = None
                elif sweeps is None or self._lost(sweeps):
                    sweeps = self.send_sweeps()
                elif _finished(sweeps):
                    self._count_sweeps(sweeps)
                    return self.report
            time.sleep(tick)

    def collect(self) -> None:
        """Count the outcomes of the tasks that ended; a task that failed outright stops its
        stage. A task none of whose items is leased any more is over too, whatever Redis says
        (a Redis that restarted has lost its results; the store has the outcomes)."""
        running = []
        leased = {stage: self.store.leased_items(stage) for stage in {s for s, _, _ in self.sent}}
        for stage, items, result in self.sent:
            if not result.ready():
                if leased[stage].intersection(items):
                    running.append((stage, items, result))
            elif result.failed():
                log.error("%s: a task failed on the workers: %s", stage, result.result)
                self.report.stage_errors[stage] = f"{_reason(result.result)}: {result.result}"
                self.stopped.add(stage)
            else:
                for outcome, n in (result.result or {}).items():
                    self.report.add_many(stage, outcome, n)
        self.sent = running

    def forever(self, tick: float = 2.0, sweep_every: float = 60.0) -> None:
        """Send due work (each source when its next poll comes) until interrupted, and the
        sweeps when the work sent since the last ones is done, or every ``sweep_every``
        seconds (rechecks come due with time)."""
        sweeps: Any = None
        last_sweep, worked = 0.0, False
        while True:
            with _tolerant("dispatch"):
                worked |= self.send_due(list(BATCH), scheduled=True) > 0
                self.collect()
                self.stopped.clear()  # a stage that failed is tried again on the next tick
                idle = not self.sent and not self.store.leased()
                due = (worked and idle) or time.monotonic() - last_sweep >= sweep_every
                if due and (sweeps is None or _finished(sweeps) or self._lost(sweeps)):
                    sweeps, last_sweep, worked = self.send_sweeps(), time.monotonic(), False
            time.sleep(tick)

    def send_due(self, stages: list[str], *, scheduled: bool) -> int:
        """Claim and send the due items of ``stages``, a few batches each at most; return how
        many were sent."""
        settings, sent = self.settings, 0
        waiting = self.store.leased(self.name)
        for stage in stages:
            batch = BATCH[stage]
            room = OUTSTANDING * batch - waiting.get(stage, 0)
            if room <= 0 or stage in self.stopped:
                continue
            among = [i for i, s in self.sources.items() if not s.paused]
            items = self.store.claim_due(
                stage, room, self.name, lease=DISPATCH_LEASE,
                max_attempts=settings.fetch.max_attempts, languages=settings.site.languages,
                unwanted=unwanted_languages(settings, self.sources.values()),
                among=among, scheduled=scheduled,
            )  # fmt: skip
            for start in range(0, len(items), batch):
                part = items[start : start + batch]
                try:
                    result = self.app.send_task("newsrelay.unit", args=(stage, part, self.name))
                except BrokerError:
                    self.store.release(stage, items[start:], self.name)
                    raise
                self.sent.append((stage, part, result))
                sent += len(part)
        return sent

    def send_sweeps(self) -> Any:
        """Send the sweeps in order: rechecks, then the site, then the push targets."""
        signatures = [self.app.signature("newsrelay.sweep", args=(stage,), immutable=True)
                      for stage in SWEEPS]  # fmt: skip
        self.swept_at = time.monotonic()
        return chain(*signatures).apply_async()

    def _lost(self, sweeps: Any) -> bool:
        """Whether sent sweeps were lost: unfinished after ``SWEEP_PATIENCE`` with none of them
        running (a Redis that restarted lost their messages or results)."""
        if time.monotonic() - self.swept_at < SWEEP_PATIENCE or _finished(sweeps):
            return False
        if self.store.running(list(SWEEPS)):
            return False
        log.warning("the sweeps sent %.0f s ago have not ended and none runs: sending them "
                    "again", time.monotonic() - self.swept_at)  # fmt: skip
        return True

    def _count_sweeps(self, result: Any) -> None:
        node = result
        stages = list(reversed(SWEEPS))
        for stage in stages:
            if node is None:
                break
            if node.failed():
                self.report.stage_errors[stage] = f"internal_error: {node.result}"
            counts = node.result if isinstance(node.result, dict) else {}
            for outcome, n in counts.items():
                self.report.counts.setdefault(stage, {})[outcome] = n
            node = node.parent


def _reason(error: Any) -> str:
    return getattr(error, "reason", None) or "internal_error"


def _finished(result: Any) -> bool:
    """Whether a chain of sweeps ended: its last one done, or one of them failed (then the run
    reports it as a stage that could not run)."""
    node = result
    while node is not None:
        if node.failed():
            return True
        node = node.parent
    return bool(result.ready())


@contextmanager
def _tolerant(what: str) -> Iterator[None]:
    """The broker or the store down for a while: the dispatcher says so and tries again."""
    try:
        yield
    except (BrokerError, StoreError, RedisError, OSError) as exc:
        log.warning("%s: %s; trying again", what, exc)
        time.sleep(1.0)
