"""Metrics in Prometheus' text exposition format, from the store and the last run's report.

``newsrelay metrics`` prints them; with ``metrics_file`` set, ``newsrelay run`` rewrites that file
after each pass (atomically), for node_exporter's textfile collector or any scraper of files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["Metric", "from_status", "render"]

PREFIX = "newsrelay_"


@dataclass
class Metric:
    """One metric family: its name, type, help and samples (labels, value)."""

    name: str
    kind: str  # gauge or counter
    help: str
    samples: list[tuple[dict[str, str], float]] = field(default_factory=list)

    def add(self, value: float, **labels: str) -> Metric:
        """Add one sample."""
        self.samples.append((labels, value))
        return self


def render(metrics: Iterable[Metric]) -> str:
    """The metrics as Prometheus text (version 0.0.4)."""
    lines = []
    for metric in metrics:
        name = PREFIX + metric.name
        lines.append(f"# HELP {name} {_escape_help(metric.help)}")
        lines.append(f"# TYPE {name} {metric.kind}")
        for labels, value in metric.samples:
            lines.append(f"{name}{_labels(labels)} {_number(value)}")
    return "\n".join(lines) + "\n"


def from_status(
    status: Mapping[str, Any], report_seconds: Mapping[str, float] | None = None
) -> list[Metric]:
    """The metric families of a ``Store.metrics_snapshot()`` (and of a run's stage times)."""
    entries = Metric("entries", "gauge", "Entries by status.")
    for state, count in status["entries"].items():
        entries.add(count, status=state)
    translations = Metric("translations", "gauge", "Translations by language and decision.")
    for language, counts in status["languages"].items():
        for decision, count in counts.items():
            translations.add(count, language=language, decision=decision)
    holds = Metric("holds", "gauge", "Translations held for review, by finding kind.")
    for kind, count in status["holds_by_kind"].items():
        holds.add(count, kind=kind)
    failures = Metric("failures_total", "counter", "Failed items, by stage and reason code.")
    for (stage, reason), count in status["failures"].items():
        failures.add(count, stage=stage, reason=reason)
    errors = Metric("source_errors_in_a_row", "gauge", "Polls failed in a row, per source.")
    success = Metric("source_last_success_timestamp_seconds", "gauge",
                     "When a source was last polled without error (Unix time).")  # fmt: skip
    for row in status["sources"]:
        errors.add(row["errors_in_a_row"], source=row["source"])
        if row["last_success"]:
            success.add(datetime.fromisoformat(row["last_success"]).timestamp(),
                        source=row["source"])  # fmt: skip
    ages = Metric("queue_oldest_seconds", "gauge", "Age of the oldest item waiting, per stage.")
    for stage, age in status["queue_ages"].items():
        ages.add(age, stage=stage)
    found = [entries, translations, holds, failures, errors, success, ages,
             *_engine_usage(status["engine_usage"])]  # fmt: skip
    if report_seconds:
        run = Metric("last_run_stage_seconds", "gauge", "Seconds each stage took in the last run.")
        for stage, seconds in report_seconds.items():
            run.add(seconds, stage=stage)
        found.append(run)
    return found


def _engine_usage(rows: Iterable[Mapping[str, Any]]) -> list[Metric]:
    """What the engines were asked, per source, engine and model, since the store began."""
    chars = Metric("engine_characters_total", "counter",
                   "Characters sent to (in) and returned by (out) the engine.")  # fmt: skip
    segments = Metric("engine_segments_total", "counter",
                      "Segments sent to the engine, or recalled from the memory.")  # fmt: skip
    seconds = Metric("engine_seconds_total", "counter", "Seconds the engine worked.")
    tokens = Metric("engine_tokens_total", "counter", "Tokens the engine's API counted.")
    for row in rows:
        where = {"source": row["source"], "engine": row["engine"], "model": row["model"]}
        chars.add(row["chars_in"], direction="in", **where)
        chars.add(row["chars_out"], direction="out", **where)
        tokens.add(row["tokens_in"], direction="in", **where)
        tokens.add(row["tokens_out"], direction="out", **where)
        segments.add(row["segments_sent"], outcome="sent", **where)
        segments.add(row["segments_recalled"], outcome="recalled", **where)
        seconds.add(row["engine_seconds"], **where)
    return [chars, tokens, segments, seconds]


def _labels(labels: Mapping[str, str]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{key}="{_escape_label(value)}"' for key, value in sorted(labels.items()))
    return "{" + inner + "}"


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
