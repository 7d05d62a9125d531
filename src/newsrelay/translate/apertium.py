"""The Apertium engine: rule-based, offline, from Debian packages (``apertium-eng-spa`` ...).

An article goes through Apertium in one process call, in HTML mode, so inline markup survives as
Apertium "superblanks" and each segment comes back as its own ``<p>`` block.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections.abc import Sequence
from functools import cached_property

from newsrelay.config import Settings
from newsrelay.errors import EngineError, NotConfigured

log = logging.getLogger(__name__)

# ISO 639-1 codes newsrelay uses, and the ISO 639-3 codes of Apertium's pair names.
ISO3 = {
    "en": "eng", "es": "spa", "ca": "cat", "fr": "fra", "pt": "por", "it": "ita", "gl": "glg",
    "oc": "oci", "eo": "epo", "de": "deu", "nl": "nld", "ro": "ron", "eu": "eus", "an": "arg",
    "ast": "ast", "nb": "nob", "nn": "nno", "sv": "swe", "da": "dan", "is": "isl", "ru": "rus",
    "uk": "ukr", "be": "bel", "kk": "kaz", "tt": "tat", "mt": "mlt", "ar": "ara", "cy": "cym",
    "br": "bre", "sc": "srd", "hi": "hin", "ur": "urd", "id": "ind", "ms": "msa",
}  # fmt: skip
ISO1 = {v: k for k, v in ISO3.items()}
TIMEOUT = 600  # seconds for one article; Apertium handles tens of thousands of words a second
_BLOCK = re.compile(r"<p>(.*?)</p>", re.S)
HTML_MODE = ("-f", "html", "-u")  # markup kept as superblanks; unknown words unmarked
UNKNOWN = re.compile(r"\*([^\s*#@]+)")  # Apertium marks a word it does not know with *


class ApertiumEngine:
    """Translates with the ``apertium`` command and the pairs installed on this machine."""

    name = "apertium"
    accepts_markup = True

    def __init__(self, settings: Settings | None = None) -> None:
        self.binary = shutil.which("apertium")
        if self.binary is None:
            raise NotConfigured(
                "apertium is not installed; on Debian/Ubuntu: apt-get install apertium "
                "apertium-eng-spa (one package per language pair)"
            )

    @cached_property
    def modes(self) -> dict[tuple[str, str], str]:
        """Installed modes by (source, target) ISO 639-1 pair."""
        assert self.binary is not None
        listed = subprocess.run(
            [self.binary, "-l"], capture_output=True, text=True, timeout=60, check=False
        ).stdout.split()
        modes: dict[tuple[str, str], str] = {}
        for mode in listed:
            parts = mode.split("-")
            if len(parts) != 2 or "_" in mode:
                continue  # variants such as spa-eng_US, and non-translation modes
            pair = (ISO1.get(parts[0], parts[0]), ISO1.get(parts[1], parts[1]))
            modes.setdefault(pair, mode)
        return modes

    def pairs(self) -> set[tuple[str, str]]:
        """The installed language pairs, and those reachable through one pivot language."""
        return set(self.modes) | set(self.pivots)

    @cached_property
    def pivots(self) -> dict[tuple[str, str], str]:
        """The pivot language of each pair that has no direct mode (en->pt through ca)."""
        found: dict[tuple[str, str], str] = {}
        for (source, middle), (other, target) in sorted(
            (a, b) for a in self.modes for b in self.modes
        ):
            if middle == other and source != target and (source, target) not in self.modes:
                found.setdefault((source, target), middle)
        return found

    def via(self, source: str, target: str) -> str | None:
        """The pivot language a pair goes through, or ``None`` for a direct pair."""
        return self.pivots.get((source, target))

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """Translate all segments in one Apertium call (two through a pivot language)."""
        if not segments:
            return []
        if middle := self.via(source, target):
            return self.translate(self.translate(segments, source, middle), middle, target)
        mode = self.modes.get((source, target))
        if mode is None:
            raise NotConfigured(f"apertium: no {source}->{target} pair installed")
        document = "".join(f"<p>{segment}</p>" for segment in segments)
        output = self._run(mode, document)
        blocks = _BLOCK.findall(output)
        if len(blocks) != len(segments):
            raise EngineError(
                f"apertium {mode}: {len(segments)} segments sent, {len(blocks)} came back"
            )
        return [" ".join(block.split()) for block in blocks]

    def unknown_words(self, text: str, language: str) -> set[str]:
        """Words of ``text`` that no installed dictionary for ``language`` knows (likely names)."""
        mode = next((m for (s, _), m in sorted(self.modes.items()) if s == language), None)
        if mode is None:
            raise NotConfigured(f"apertium: no pair from {language} installed")
        output = self._run(mode, text, options=("-f", "txt"))
        return {word.strip(".,;:!?()\"'") for word in UNKNOWN.findall(output)}

    def _run(
        self, mode: str, document: str, options: tuple[str, ...] = ("-f", "html", "-u")
    ) -> str:
        assert self.binary is not None
        try:
            done = subprocess.run(
                [self.binary, *options, mode],
                input=document,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise EngineError(f"apertium {mode}: no answer within {TIMEOUT}s") from None
        if done.returncode != 0:
            raise EngineError(f"apertium {mode}: exit {done.returncode}: {done.stderr.strip()}")
        return done.stdout
