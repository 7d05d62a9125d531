"""What a run reports: counts per stage and outcome, seconds per stage, and progress."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Progress", "RunReport", "Tally"]


class Progress:
    """Receives progress; the CLI shows it as bars. The base class shows nothing."""

    def stage(self, name: str, total: int) -> None:
        """A stage starts with ``total`` items."""

    def advance(self) -> None:
        """One item of the current stage is done."""


@dataclass
class RunReport:
    """What one pass did, per stage."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    stage_errors: dict[str, str] = field(default_factory=dict)  # stages that could not run

    @property
    def outage(self) -> bool:
        """Whether the run did not work: every source polled failed, or a stage could not run."""
        polls = {k: n for k, n in self.counts.get("poll", {}).items() if k != "paused"}
        every_source_failed = bool(polls) and polls.get("failed", 0) == sum(polls.values())
        return every_source_failed or bool(self.stage_errors)

    def add(self, stage: str, outcome: str) -> None:
        """Count one item of ``stage`` that ended with ``outcome``."""
        self.add_many(stage, outcome, 1)

    def add_many(self, stage: str, outcome: str, n: int) -> None:
        """Count ``n`` items of ``stage`` that ended with ``outcome``."""
        stage_counts = self.counts.setdefault(stage, {})
        stage_counts[outcome] = stage_counts.get(outcome, 0) + n


@dataclass
class Tally:
    """One stage's counting: into the report, and as progress."""

    stage: str
    report: RunReport = field(default_factory=RunReport)
    progress: Progress = field(default_factory=Progress)

    def start(self, total: int) -> None:
        """The stage has ``total`` items."""
        self.progress.stage(self.stage, total)

    def done(self, outcome: str) -> None:
        """One item ended with ``outcome``."""
        self.report.add(self.stage, outcome)
        self.progress.advance()
