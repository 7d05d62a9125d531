"""Logging for the command line: timestamped text lines, or one JSON object a line.

A JSON line has ``time`` (ISO 8601, UTC), ``level``, ``logger`` and ``message``, and the
``stage``, ``source``, ``item`` and ``reason`` a message was logged with (``extra=``). Libraries'
own messages (trafilatura's error lines about a page, htmldate's, charset_normalizer's) are
newsrelay's concern, not the reader's: they are shown at debug level only.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

__all__ = ["FORMATS", "setup_logging"]

FORMATS = ("text", "json")
FIELDS = ("stage", "source", "item", "reason")


class JsonFormatter(logging.Formatter):
    """One JSON object a line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line."""
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        data |= {key: getattr(record, key) for key in FIELDS if hasattr(record, key)}
        if record.exc_info:
            data["traceback"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class LibraryNoise(logging.Filter):
    """Lets a library's record through only when debug logging is on (as a debug record)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep newsrelay's records; demote the others to debug."""
        if record.name == "newsrelay" or record.name.startswith("newsrelay."):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return self.level <= logging.DEBUG


def setup_logging(verbosity: int, log_format: str = "text") -> None:
    """Log to stderr: warnings, ``-v`` info, ``-vv`` debug (libraries included)."""
    level = logging.WARNING - 10 * min(verbosity, 2)
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S%z"
            )
        )
    handler.addFilter(LibraryNoise(level))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
