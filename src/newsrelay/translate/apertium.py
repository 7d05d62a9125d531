"""The Apertium engine: rule-based, offline, from Debian packages (``apertium-eng-spa`` ...).

Each language pair's pipeline (a dozen programs joined by pipes, as its ``.mode`` file says) is
started once and kept running in null-flush mode, the way Apertium's own APY server does: a
segment ends with a NUL byte, and every program passes a NUL on after flushing its output, so
the answer is complete when as many NULs came back as went in. Markup is put in and taken out
of Apertium's stream format in-process (``translate.stream``): inline elements become word-bound
blanks that travel with their words, as Transfuse makes them for the ``apertium`` command.

With ``translate.apy_url`` set, requests go to an APY server instead, a few segments at a time
(APY 0.11 silently drops the end of requests above about 40 KB), and every segment is checked to
have come back.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import select
import shutil
import subprocess
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

import httpx

from newsrelay.config import Settings
from newsrelay.errors import EngineError, NotConfigured
from newsrelay.text import locale, word_break, word_pieces
from newsrelay.translate import batches
from newsrelay.translate.segment import PIECES
from newsrelay.translate.stream import deformat, escape_text, reformat

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
TIMEOUT = 120.0  # seconds for one request; Apertium handles thousands of words a second
WORDS = re.compile(r"[^\W\d_]+")
SENTENCE_START = re.compile(r"(?:^|(?<=[.!?] ))([^\W\d_a-z]{2,3})(?= )")
SPACED_STOP = re.compile(r"(?<=\w) +([.,:;])(?=\s|$|<)")
# an opening quotation mark with the blank a generator puts after it ("“ Necesitamos")
SPACED_OPENING = re.compile(r"""((?:^|[\s(\[>])["“«„‘¿¡]) +(?=\w)""")  # noqa: RUF001
# A lower-case word long enough to hide three, or letters and digits run together ("de48años").
RUN_TOGETHER = re.compile(r"(?<!\w)(?:[^\W\d_]{9,}|[^\W\d_]+\d+[^\W\d_]*)(?!\w)")
_BLOCK = re.compile(r"<p>(.*?)</p>", re.S)
# ^surface/reading/reading$: a reading is lemma<tag><tag>..., or *surface for an unknown word
LEXICAL_UNIT = re.compile(r"\^((?:[^/$\\]|\\.)+)((?:/(?:[^/$\\]|\\.)*)+)\$")
APY_BATCH_CHARS = 8000  # well under the size at which APY 0.11 starts losing text
# The pipeline's generator marks what it could not do (-g): "*word" unknown, "@word" a lemma
# without a translation, "#word" a form it could not generate; the marks are taken off the text
# and kept beside it (``last_marks``). The tagger takes no option.
MARKED = "-g"
# a mark starts a word: after anything but another mark ("debajo-18*s" for "under-18s",
# "libras*illion" for "£71.6million"), and before a letter or a digit ("@1990s")
MARK = re.compile(r"(?<![*@#])([*@#])([^\W_][\w'’-]*)")  # noqa: RUF001
ENV = {**os.environ, "LC_ALL": "C.UTF-8"}
LEXICON_LINES = 8192  # lines (paragraphs, words) whose analysis is kept, the latest used
PIPE_BUF = 1 << 12  # bytes written at a time: a pipe takes this much without blocking


class Pipeline:
    """One Apertium command line kept running in null-flush mode, one request at a time."""

    def __init__(self, name: str, script: str, *args: str) -> None:
        self.name = name
        self.command = ["bash", "-c", script, "--", *args]
        self.process: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()

    def __call__(self, data: bytes, timeout: float = TIMEOUT) -> bytes:
        """Send one request and return the whole answer."""
        with self.lock:
            process = self._running()
            data = data if data.endswith(b"\0") else data + b"\0"
            try:
                return self._exchange(process, data, timeout)
            except (OSError, EngineError) as exc:
                self.close()  # the next request starts a fresh pipeline
                raise EngineError(f"apertium {self.name}: {exc}") from None

    def _running(self) -> subprocess.Popen[bytes]:
        if self.process is not None and self.process.poll() is not None:
            log.warning("apertium %s stopped (exit %s); starting it again", self.name,
                        self.process.returncode)  # fmt: skip
            self.close()
        if self.process is None:
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=ENV,
                start_new_session=True,  # so that close() can stop every program of the pipe
            )
        return self.process

    def _exchange(self, process: subprocess.Popen[bytes], data: bytes, timeout: float) -> bytes:
        """Write the request while reading the answer, so that neither pipe fills up and
        blocks the other, until as many NULs came back as went in."""
        assert process.stdin is not None and process.stdout is not None
        writer, reader = process.stdin.fileno(), process.stdout.fileno()
        nuls, sent, chunks = data.count(b"\0"), 0, []
        deadline = time.monotonic() + timeout
        while nuls > 0:
            left = deadline - time.monotonic()
            writing = [writer] if sent < len(data) else []
            readable, writable, _ = select.select([reader], writing, [], max(left, 0))
            if left <= 0 or not (readable or writable):
                raise EngineError(f"no answer within {timeout:g}s")
            if writable:
                sent += os.write(writer, data[sent : sent + PIPE_BUF])
            if readable:
                chunk = os.read(reader, 1 << 16)
                if not chunk:
                    raise EngineError("the pipeline stopped")
                chunks.append(chunk)
                nuls -= chunk.count(b"\0")
        return b"".join(chunks)

    def close(self) -> None:
        """Stop the pipeline, if it runs."""
        if self.process is not None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, 9)
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()
            self.process = None


def _read_kinds(analysis: str) -> dict[str, frozenset[str]]:
    """The kinds of each word of an analysis, merged over its readings and occurrences."""
    lexicon: dict[str, frozenset[str]] = {}
    for surface, readings in LEXICAL_UNIT.findall(analysis):
        kinds = _kinds(readings)
        words = (re.sub(r"\\(.)", r"\1", surface) if "\\" in surface else surface).split()
        for word in words:  # a multiword unit ("New York") speaks for its capitalised words
            if len(words) == 1 or word[:1].isupper():
                lexicon[word] = lexicon[word] | kinds if word in lexicon else kinds
    return lexicon


@lru_cache(maxsize=65536)
def _kinds(readings: str) -> frozenset[str]:
    """The kinds of a lexical unit's readings ("/Helen<np><ant><f><sg>" -> {"np:ant"})."""
    kinds = set()
    for reading in readings.split("/")[1:]:
        if reading.startswith("*"):
            continue
        tags = re.findall(r"<([^>]+)>", reading)
        kinds.add(":".join(tags[:2]) if tags[:1] == ["np"] else (tags[0] if tags else ""))
    return frozenset(kinds)


class ApertiumEngine:
    """Translates with the Apertium pairs installed on this machine (or on an APY server)."""

    name = "apertium"
    accepts_markup = True

    def __init__(self, settings: Settings | None = None) -> None:
        self.apy_url = settings.translate.apy_url.rstrip("/") if settings else ""
        self.binary = shutil.which("apertium")
        self._last = threading.local()  # the marks of each thread's last translation
        # what the analyser said of each line lately, by mode (``lexicon``)
        self._lexicons: dict[str, OrderedDict[str, dict[str, frozenset[str]]]] = {}
        self._lexicon_lock = threading.Lock()
        if self.apy_url:
            self.client = httpx.Client(timeout=TIMEOUT)
            return
        if self.binary is None:
            raise NotConfigured(
                "apertium is not installed; on Debian/Ubuntu: apt-get install apertium "
                "apertium-eng-spa (one package per language pair)"
            )
        self.pipelines: dict[tuple[str, str], Pipeline] = {}

    @cached_property
    def modes(self) -> dict[tuple[str, str], str]:
        """Installed modes by (source, target) ISO 639-1 pair."""
        if self.apy_url:
            listed = [
                f"{p['sourceLanguage']}-{p['targetLanguage']}"
                for p in self._apy("/listPairs", {})["responseData"]
            ]
        else:
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

    def pair_hint(self, source: str, target: str) -> str:
        """What to install for a missing pair: Debian's package, named for the pair in either
        order."""
        a, b = ISO3.get(source, source), ISO3.get(target, target)
        return (f"install its Debian package, apertium-{a}-{b} or apertium-{b}-{a} (apt-cache "
                f"search apertium-{a}); two pairs through a third language also work")  # fmt: skip

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

    def version(self, source: str, target: str) -> str:
        """What identifies the linguistic data of a pair: a package upgrade changes it."""
        if middle := self.via(source, target):
            return f"{self.version(source, middle)}+{self.version(middle, target)}"
        mode = self._mode(source, target)
        if self.apy_url:
            return f"{mode}@{self.apy_url}"
        digest = hashlib.sha256()
        path = self._mode_file(mode)
        text = path.read_text()
        digest.update(text.encode())
        for name in sorted(set(re.findall(r"'(/[^']+)'", text))):
            if Path(name).exists():
                info = Path(name).stat()
                digest.update(f"{name}:{info.st_size}:{info.st_mtime_ns}".encode())
        return f"{mode}@{digest.hexdigest()[:12]}"

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """Translate all segments, in one request per pair (two through a pivot language).
        The words Apertium marked in them are kept for ``last_marks``."""
        marked = self._translate(segments, source, target)
        self._last.marks = [marks for _, marks in marked]
        return [text for text, _ in marked]

    def last_marks(self) -> list[tuple[str, ...]]:
        """The words Apertium marked in each segment of this thread's last ``translate``:
        ``*word`` it did not know (left as in the source), ``@word`` a lemma its bilingual
        dictionary lacks, ``#word`` a form its generator could not make (none through APY)."""
        return list(getattr(self._last, "marks", []))

    def _translate(
        self, segments: Sequence[str], source: str, target: str, *, fill: bool = True
    ) -> list[tuple[str, tuple[str, ...]]]:
        if not segments:
            return []
        if middle := self.via(source, target):
            first = self._translate(segments, source, middle)
            second = self._translate([t for t, _ in first], middle, target)
            return [(t, (*m1, *m2)) for (_, m1), (t, m2) in zip(first, second, strict=True)]
        mode = self._mode(source, target)
        if self.apy_url:
            return [
                (text, ())
                for batch in batches(segments, APY_BATCH_CHARS)
                for text in self._translate_apy(mode, batch)
            ]
        request, stacks = deformat(segments)
        try:
            texts = reformat(self._pipeline(mode, MARKED)(request), stacks, len(segments))
        except ValueError as exc:
            raise EngineError(f"apertium {mode}: {exc}") from None
        unmarked = [
            _unmark(_months(_unshout(_close_up(text, segment), segment), segment, source, target),
                    segment)
            for text, segment in zip(texts, segments, strict=True)
        ]  # fmt: skip
        if fill:
            unmarked = self._fill_gaps(unmarked, source, target)
        parted = self.part_run_together(
            [text for text, _ in unmarked], target, [marks for _, marks in unmarked]
        )
        return [
            (text, tuple(m for m in marks if m[0] != "#" or _has_word(text, m[1:])))
            for text, (_, marks) in zip(parted, unmarked, strict=True)
        ]  # a form it could not generate that was words run together, parted, is no mark

    def _fill_gaps(
        self, unmarked: list[tuple[str, tuple[str, ...]]], source: str, target: str
    ) -> list[tuple[str, tuple[str, ...]]]:
        """Translated segments with the words their pair left in the source's language (``*``
        unknown, ``@`` without a translation) translated through another installed language
        whose two pairs know them: eng-spa lacks "lucrative", "sparsely" and "inmates", which
        eng-cat and cat-spa know ("lucrativo", "apenas", "presos"). A word is looked up alone,
        so only lower-case words are (a capitalised one may be a name), and a word either pair
        marks stays as it was, with its mark."""
        words = {_gap(mark) for _, marks in unmarked for mark in marks if mark[0] in "*@"}
        gaps = sorted(word for word in words if word.islower() and len(word) > 2)
        middles = [m for s, m in sorted(self.modes) if s == source and (m, target) in self.modes]
        found: dict[str, str] = {}
        for middle in middles if gaps else ():
            left = [word for word in gaps if word not in found]
            first = self._translate(left, source, middle, fill=False)
            second = self._translate([text for text, _ in first], middle, target, fill=False)
            for word, (_, before), (text, after) in zip(left, first, second, strict=True):
                if not before and not after and text.casefold() != word.casefold():
                    found[word] = text
        if not found:
            return unmarked
        pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, found)) + r")(?!\w)")

        def fill(part: str) -> str:
            return part if part.startswith("<") else pattern.sub(lambda m: found[m.group()], part)

        return [
            (
                "".join(map(fill, PIECES.split(text))),
                tuple(mark for mark in marks if mark[0] not in "*@" or _gap(mark) not in found),
            )
            for text, marks in unmarked
        ]  # fmt: skip

    def part_run_together(
        self, texts: list[str], language: str, marks: Sequence[Sequence[str]] = ()
    ) -> list[str]:
        """``texts`` with the words Apertium's generator ran together parted again. When a rule
        reorders words that had no blank between them in the source ("long-term",
        "48-year-old", a word and its comma, words inside a link), they can reach the output
        without one ("tendenciadeplazo", "personade48años", "sellocomprensible"): a word the
        engine wrote (not one it marked as the source's, ``*`` or ``@`` in ``marks`` by text)
        that the dictionary of ``language`` does not know but that cuts into words it knows
        (``word_break``) is written as those words. Needs a pair from ``language``."""
        if not any(s == language for s, _ in self.modes) or self.apy_url:
            return texts
        passed = {m[1:] for found in marks for m in found if m[0] in "*@"}  # the source's
        joined = {w for t in texts for w in RUN_TOGETHER.findall(t)
                  if (w[1:].islower() or re.search(r"\d", w)) and w not in passed}  # fmt: skip
        if not joined:
            return texts
        known = self.lexicon("\n".join(sorted(joined)), language)
        suspects = [w for w in joined if not known.get(w)]
        pieces = {p for w in suspects for p in word_pieces(w, language)}
        if not pieces:
            return texts
        found = self.lexicon("\n".join(sorted(pieces)), language)
        words = {w for w, kinds in found.items() if kinds}
        parted = {w: " ".join(cut) for w in suspects if (cut := word_break(w, words, language))}
        if not parted:
            return texts
        pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, parted)) + r")(?!\w)")
        return [pattern.sub(lambda m: parted[m.group()], text) for text in texts]

    def lexicon(self, text: str, language: str) -> dict[str, frozenset[str]]:
        """What the dictionary of ``language`` says of each word of ``text``: the kinds of its
        readings (``np:ant`` a person's name, ``np:loc`` a place, ``n``, ``adj``, ``vblex`` ...),
        and no kinds for a word it does not know (likely a name). Each line of ``text`` (a
        paragraph, or a word of a list) is analysed once while it is among the latest
        ``LEXICON_LINES``: the checks read the paragraphs the translation step just read."""
        mode = self._lexicon_mode(language)
        if self.apy_url:
            marked = self._apy("/translate", {"q": text, "langpair": mode.replace("-", "|"),
                                              "markUnknown": "yes", "format": "txt"})  # fmt: skip
            found = re.findall(r"\*([^\s*#@]+)", marked["responseData"]["translatedText"])
            return {word.strip(".,;:!?()\"'"): frozenset() for word in found}
        lines = list(dict.fromkeys(text.split("\n")))
        with self._lexicon_lock:
            known = self._lexicons.setdefault(mode, OrderedDict())
            read = {line: known[line] for line in lines if line in known}
            for line in read:
                known.move_to_end(line)
        todo = [line for line in lines if line not in read]
        if todo:
            analysed = self._analysed(mode, todo)
            read.update(analysed)
            with self._lexicon_lock:
                known.update(analysed)
                while len(known) > LEXICON_LINES:
                    known.popitem(last=False)
        lexicon: dict[str, frozenset[str]] = {}
        for words in read.values():
            for word, kinds in words.items():
                lexicon[word] = lexicon[word] | kinds if word in lexicon else kinds
        return lexicon

    def _analysed(self, mode: str, lines: list[str]) -> dict[str, dict[str, frozenset[str]]]:
        """The dictionary's word kinds for each line, from one request to the analyser (it
        keeps the lines' breaks; a multiword unit never spans one)."""
        analyser = self._analyser(mode)
        parts = analyser(escape_text("\n".join(lines)).encode()).decode().rstrip("\0").split("\n")
        if len(parts) != len(lines):  # not one part a line: each line on its own
            parts = [analyser(escape_text(line).encode()).decode() for line in lines]
        return {line: _read_kinds(part) for line, part in zip(lines, parts, strict=True)}

    def close(self) -> None:
        """Stop every pipeline this engine started (or its APY connections)."""
        for pipeline in getattr(self, "pipelines", {}).values():
            pipeline.close()
        if hasattr(self, "client"):
            self.client.close()

    def __del__(self) -> None:
        self.close()

    # in-process pipelines ------------------------------------------------------------------

    def _mode(self, source: str, target: str) -> str:
        mode = self.modes.get((source, target))
        if mode is None:
            raise NotConfigured(f"apertium: no {source}->{target} pair installed")
        return mode

    def _mode_file(self, mode: str) -> Path:
        assert self.binary is not None
        share = Path(self.binary).resolve().parent.parent / "share" / "apertium" / "modes"
        path = share / f"{mode}.mode"
        if not path.exists():
            raise NotConfigured(f"apertium: {path} is missing; reinstall the pair's package")
        return path

    def _pipeline(self, mode: str, generation: str) -> Pipeline:
        key = (mode, generation)
        if key not in self.pipelines:
            script = subprocess.run(
                ["apertium-wblank-mode", "-z", str(self._mode_file(mode))],
                capture_output=True, text=True, timeout=60, check=True,
            ).stdout  # fmt: skip
            self.pipelines[key] = Pipeline(mode, script, generation, "")
        return self.pipelines[key]

    def _lexicon_mode(self, language: str) -> str:
        """The pair whose analyser of ``language`` has the largest dictionary: pairs analyse the
        same language with dictionaries of their own (spa-ast's Spanish knows fewer words than
        spa-eng's), and a word one lacks would read as a name or as words run together."""
        modes = [m for (s, _), m in sorted(self.modes.items()) if s == language]
        if not modes:
            raise NotConfigured(f"apertium: no pair from {language} installed")
        if self.apy_url:
            return modes[0]
        return max(modes, key=lambda mode: _analyser_size(self._mode_file(mode)))

    def _analyser(self, mode: str) -> Pipeline:
        """The pair's first program alone: the source language's morphological analyser."""
        key = (mode, "analyse")
        if key not in self.pipelines:
            first = self._mode_file(mode).read_text().split("|")[0].strip()
            if not first.startswith("lt-proc "):
                raise NotConfigured(f"apertium {mode}: unexpected analyser {first!r}")
            self.pipelines[key] = Pipeline(f"{mode} analyser", "lt-proc -z " + first[8:])
        return self.pipelines[key]

    # APY ----------------------------------------------------------------------------------

    def _translate_apy(self, mode: str, batch: list[str]) -> list[str]:
        document = "".join(f"<p>{segment}</p>" for segment in batch)
        answer = self._apy("/translate", {"q": document, "langpair": mode.replace("-", "|"),
                                          "markUnknown": "no", "format": "html"})  # fmt: skip
        text = answer.get("responseData", {}).get("translatedText")
        if not isinstance(text, str):
            raise EngineError(f"APY {self.apy_url}: no translatedText in its answer")
        return _blocks(text, len(batch), f"APY {self.apy_url} {mode}")

    def _apy(self, path: str, data: dict[str, str]) -> Any:
        url = self.apy_url + path
        try:
            response = self.client.post(url, data=data) if data else self.client.get(url)
            response.raise_for_status()
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise EngineError(f"APY {url}: {exc}") from None
        if not isinstance(answer, dict) or answer.get("responseStatus", 200) != 200:
            raise EngineError(f"APY {url}: {str(answer)[:200]}")
        return answer


def _gap(mark: str) -> str:
    """The word a mark is on, without the apostrophes or quotes it may end with."""
    return mark[1:].rstrip("'\u2019-")


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def _analyser_size(mode_file: Path) -> int:
    """The bytes of the dictionaries a mode's analyser (its first program) reads."""
    first = mode_file.read_text().split("|")[0]
    return sum(Path(path).stat().st_size for path in re.findall(r"'(/[^']+)'", first))


def _close_up(text: str, source: str) -> str:
    """A translated segment without the blank some pairs' generators put before a full stop,
    comma or colon ("la fonte ." from spa-ast) or after an opening quotation mark ("“
    Necesitamos" from eng-spa), unless the source wrote one there itself."""
    for spaced in (SPACED_STOP, SPACED_OPENING):
        text = text if spaced.search(source) else spaced.sub(r"\1", text)
    return text


def _unshout(text: str, source: str) -> str:
    """A translated segment without the capitals some pairs' generators give a sentence's first
    short word ("EL agua" for "The water" from eng-spa), unless the source wrote words in
    capitals itself (an acronym may be translated as one: "EU", "UE")."""
    if any(len(word) > 1 and word.isupper() for word in WORDS.findall(source)):
        return text
    return SENTENCE_START.sub(lambda m: m.group(1).capitalize(), text)


def _months(text: str, segment: str, source: str, target: str) -> str:
    """A translated segment with the months its generator left in the source's words written in
    the target's (eng-spa gives "en March", "en April", "en August"): a month name the source
    segment holds, kept as it is and not followed by a capitalised word (a name: "April Ryan"),
    is the target's month name (CLDR)."""
    names = _month_names(source, target)
    found = [name for name in names if name in segment and name in text]
    if not found:
        return text
    pattern = re.compile(rf"\b({'|'.join(found)})\b(?!\s+[A-Z])")
    return pattern.sub(lambda m: names[m.group(1)], text)


@cache
def _month_names(source: str, target: str) -> dict[str, str]:
    """Each month's name in ``source`` and in ``target``, by CLDR (none for a language it lacks
    or where they are written alike)."""
    ours, theirs = locale(source), locale(target)
    if ours is None or theirs is None:
        return {}
    pairs = zip(ours.months["format"]["wide"].values(), theirs.months["format"]["wide"].values(),
                strict=True)  # fmt: skip
    return {a: b for a, b in pairs if a != b}


def _unmark(text: str, source: str) -> tuple[str, tuple[str, ...]]:
    """A translated segment without the generator's marks, and the marked words (a ``*``,
    ``@`` or ``#`` that the source itself wrote before a word, as in "#MeToo", is no mark; a
    number or its suffix, "@1990s", "*s" of "under-18s", is no word left untranslated)."""
    marks: list[str] = []

    def take(match: re.Match[str]) -> str:
        if match.group() in source:
            return match.group()
        before = text[match.start() - 1 : match.start()]
        number = match.group(2)[0].isdigit() or before.isdigit()
        if not number:  # "@1990s", "18*s": a number, or its suffix, is no word left untranslated
            marks.append(match.group())
        # a marked word the generator wrote against the last one stands apart: "libras
        # *illion" for "£71.6million"
        return (" " if before.isalpha() else "") + match.group(2)

    return MARK.sub(take, text), tuple(marks)


def _blocks(output: str, expected: int, who: str) -> list[str]:
    blocks = _BLOCK.findall(output)
    if len(blocks) != expected:
        raise EngineError(f"{who}: {expected} segments sent, {len(blocks)} came back")
    return [" ".join(block.split()) for block in blocks]
