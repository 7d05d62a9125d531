"""Translation: the engine protocol, the engine registry and article translation.

Engines are plugins registered under the entry-point group ``newsrelay.engines``; the built-in
Apertium engine registers the same way a third-party engine does.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from html import escape
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

import lxml.html

from newsrelay.config import Settings
from newsrelay.errors import EngineError, NotConfigured
from newsrelay.markup import inner_html, leaf_blocks, sanitize_html, set_inner_html
from newsrelay.model import Article, TranslatedSegment, Translation, Usage
from newsrelay.protect import Context, engine_lexicon, name_shaped, protected_spans
from newsrelay.text import date_renderings, locale, localize_numbers
from newsrelay.translate.segment import PLACEHOLDER_NAMES, Hidden, hide, split_html

__all__ = [
    "Engine",
    "Memory",
    "available_engines",
    "cannot_translate",
    "engine_version",
    "load_engine",
    "missing_pairs",
    "start_engine",
    "translate_article",
    "translate_articles",
    "translate_batches",
]

log = logging.getLogger(__name__)
_as_html = partial(escape, quote=False)  # text as HTML: &, < and > only
ENGINE_GROUP = "newsrelay.engines"


@runtime_checkable
class Engine(Protocol):
    """What a translation engine provides."""

    name: str
    accepts_markup: bool  # segments may carry inline HTML (links, emphasis)

    def pairs(self) -> set[tuple[str, str]]:
        """The (source, target) language pairs it can translate, as ISO 639-1 codes."""
        ...

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """Translate a batch of segments; the result has one string per segment, in order."""
        ...


def batches(segments: Sequence[str], limit: int, count: int = 0) -> Iterator[list[str]]:
    """Consecutive runs of segments of at most ``limit`` characters (a longer one alone) and,
    with ``count``, of at most that many segments."""
    batch: list[str] = []
    size = 0
    for segment in segments:
        if batch and (size + len(segment) > limit or len(batch) == count):
            yield batch
            batch, size = [], 0
        batch.append(segment)
        size += len(segment)
    if batch:
        yield batch


def available_engines() -> dict[str, Any]:
    """Engine factories registered under ``newsrelay.engines``, by name."""
    return {ep.name: ep for ep in entry_points(group=ENGINE_GROUP)}


def load_engine(
    settings: Settings, pairs: Sequence[tuple[str, str]] = (), name: str | None = None
) -> Engine:
    """Start the configured engine (or the one named) and make sure it has ``pairs``; raise
    NotConfigured if not."""
    engine = start_engine(settings, name or settings.translate.engine)
    missing = missing_pairs(engine, pairs)
    if missing:
        raise NotConfigured(cannot_translate(engine, missing))
    return engine


def start_engine(settings: Settings, name: str) -> Engine:
    """Start the engine registered as ``name``; raise NotConfigured when it is not installed or
    cannot run with these settings."""
    factories = available_engines()
    if name not in factories:
        known = ", ".join(sorted(factories)) or "none"
        raise NotConfigured(f"translation engine {name!r} is not installed (installed: {known})")
    engine: Engine = factories[name].load()(settings)
    return engine


def missing_pairs(engine: Engine, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs of ``pairs`` the engine cannot translate; NotConfigured for a code that is no
    language."""
    for code in {code for pair in pairs for code in pair}:
        if locale(code) is None:
            raise NotConfigured(f"{code!r} is not a language code (ISO 639-1, such as es, ca, pt)")
    have = engine.pairs()
    return [(s, t) for s, t in pairs if (s, t) not in have and s != t]


def cannot_translate(engine: Engine, missing: Sequence[tuple[str, str]]) -> str:
    """What to say of an engine that lacks ``missing``, with what would add them."""
    offered = ", ".join(f"{s}->{t}" for s, t in sorted(engine.pairs())) or "none"
    hint = getattr(engine, "pair_hint", None)  # what to install, from engines that know
    command = getattr(engine, "install_hint", None)  # the neural engines' install command
    advice = (
        f"; {hint(*missing[0])}" if hint else f"; install one with '{command}'" if command else ""
    )
    pairs = ", ".join(f"{s}->{t}" for s, t in missing)
    return f"engine {engine.name!r} cannot translate {pairs} (it offers: {offered}){advice}"


class Memory(Protocol):
    """Where translated segments are kept (the store)."""

    def recall(self, keys: Sequence[str]) -> dict[str, str]:
        """The stored translations of those keys that have one."""
        ...

    def remember(self, segments: Sequence[TranslatedSegment]) -> None:
        """Keep translated segments (an existing key keeps its first translation)."""
        ...


def translate_article(
    engine: Engine,
    article: Article,
    source: str,
    target: str,
    *,
    keep: Sequence[str] = (),
    forced: Mapping[str, str] | None = None,
    memory: Memory | None = None,
) -> Translation:
    """Translate one article; see ``translate_articles``."""
    [translation] = translate_articles(
        engine, [article], source, target, keep=keep, forced=forced, memory=memory
    )
    return translation


def translate_articles(
    engine: Engine,
    articles: Sequence[Article],
    source: str,
    target: str,
    *,
    keep: Sequence[str] = (),
    forced: Mapping[str, str] | None = None,
    memory: Memory | None = None,
) -> list[Translation]:
    """Translate the headlines and bodies of articles, sentence by sentence, in one engine call.

    Names, handles, links and the terms in ``keep`` are hidden from the engine and come back
    verbatim; glossary terms (``forced``) come back as their forced translation. With a
    ``memory``, sentences translated before by the same engine and data are not sent again.
    Articles go to the engine together so that its fixed cost per call is paid once.
    """
    job = _Job.prepare(engine, articles, source, target, keep, forced or {}, memory)
    return job.complete(job.send())


def translate_batches(
    engine: Engine,
    batches: Iterable[Sequence[Article]],
    source: str,
    target: str,
    *,
    keep: Sequence[str] = (),
    forced: Mapping[str, str] | None = None,
    memory: Memory | None = None,
) -> Iterator[tuple[Sequence[Article], list[Translation] | Exception]]:
    """``translate_articles`` on each batch, in order, with the engine translating one batch
    while the next is prepared and the one before is put together; each batch comes back with
    its translations or the error that stopped it (any error: one bad article must not stop
    the others, which the caller then tries one by one)."""
    Pending = tuple[Sequence[Article], _Job, Future[list[str]]]

    def finished(item: Pending) -> tuple[Sequence[Article], list[Translation] | Exception]:
        batch, job, answers = item
        try:
            return batch, job.complete(answers.result())
        except Exception as exc:
            return batch, exc

    pending: Pending | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine") as pool:
        for batch in batches:
            try:
                job = _Job.prepare(engine, batch, source, target, keep, forced or {}, memory)
            except Exception as exc:
                if pending is not None:
                    yield finished(pending)
                    pending = None
                yield batch, exc
                continue
            sending = pool.submit(job.send)
            if pending is not None:
                yield finished(pending)
            pending = (batch, job, sending)
        if pending is not None:
            yield finished(pending)


@dataclass
class _Job:
    """Articles of one language pair on their way through the engine: the sentences the
    memory has, and those the engine is sent (names hidden)."""

    engine: Engine
    drafts: list[_Draft]
    keys: list[list[str]]  # each draft's segments' memory keys
    known: dict[str, str]  # translations the memory has, by key
    sent: dict[str, Hidden]  # the segments the engine gets, by key
    version: str
    source: str
    target: str
    memory: Memory | None
    # by key: what was hidden in the segment, and what each comes back as (if not as it was)
    spans: dict[str, tuple[list[str], dict[str, str]]]
    seconds: float = 0.0  # the engine's time on the segments sent
    marks: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by key: words it marked
    scores: dict[str, float] = field(default_factory=dict)  # by key: its confidence, if given
    tokens: tuple[int, int] = (0, 0)  # the tokens it counted for the call, in and out

    @classmethod
    def prepare(
        cls,
        engine: Engine,
        articles: Sequence[Article],
        source: str,
        target: str,
        keep: Sequence[str],
        forced: Mapping[str, str],
        memory: Memory | None,
    ) -> _Job:
        version = engine_version(engine, source, target)
        drafts = [_Draft.of(a, source) for a in articles]
        terms = [*keep, *forced]
        keys = [[_memory_key(version, source, target, p, terms, forced) for p in d.segments]
                for d in drafts]  # fmt: skip
        known = memory.recall([k for ks in keys for k in ks]) if memory is not None else {}
        # Names are looked for in the blocks that hold a sentence the memory lacks (all of a
        # new article; the changed paragraphs of an updated one).
        todo = [(d, ks, d.unknown_text(ks, known)) for d, ks in zip(drafts, keys, strict=True)]
        todo = [item for item in todo if item[2]]
        lexicon = engine_lexicon(engine, "\n".join(t for *_, t in todo), source) if todo else None
        sent: dict[str, Hidden] = {}
        hidden_spans: dict[str, tuple[list[str], dict[str, str]]] = {}
        names = _placeholder_names(engine, source) if todo else ()
        titles = Context.of(source).titles
        for draft, draft_keys, text in todo:
            # dates come back as the target writes them, names as they are
            dates = date_renderings(text, source, target)
            replace = {**dates, **forced}
            spans = sorted(
                {*dates}.union(
                    span
                    for span in protected_spans(text, source, lexicon=lexicon, glossary=terms)
                    if span in terms or not _kept_anyway(span, lexicon)
                ),
                key=lambda s: (-len(s), s),
            )
            for segment, key in zip(draft.segments, draft_keys, strict=True):
                if key not in known and key not in sent:
                    sent[key] = hide(segment, spans, replace, markup=engine.accepts_markup,
                                     names=names, titles=titles)  # fmt: skip
                    hidden_spans[key] = (spans, replace)
        return cls(engine, drafts, keys, known, sent, version, source, target, memory,
                   hidden_spans)  # fmt: skip

    def send(self) -> list[str]:
        """The engine's answer for every segment sent (the one step that waits for it)."""
        started = time.perf_counter()
        answers = self._ask(list(self.sent))
        lost = [key for key, answer in zip(self.sent, answers, strict=True)
                if self.sent[key].lost(answer)]  # fmt: skip
        if lost:  # sent again with made-up placeholders, which no engine takes for a word
            log.info("%d segments lost a hidden name; sent again", len(lost))
            for key in lost:
                spans, replace = self.spans[key]
                self.sent[key] = hide(self.sent[key].source, spans, replace,
                                      markup=self.engine.accepts_markup)  # fmt: skip
            again = dict(zip(lost, self._ask(lost), strict=True))
            answers = [again.get(k, a) for k, a in zip(self.sent, answers, strict=True)]
        self.seconds = time.perf_counter() - started
        return answers

    def _ask(self, keys: list[str]) -> list[str]:
        """The engine's answers for the segments of ``keys``, and what it says of them."""
        if not keys:
            return []
        segments = [self.sent[k].text for k in keys]
        answers = self.engine.translate(segments, self.source, self.target)
        if len(answers) != len(segments):
            raise EngineError(
                f"{self.engine.name}: {len(segments)} segments sent, {len(answers)} came back"
            )
        # what an engine may say of the call besides the translations
        marks_of = getattr(self.engine, "last_marks", None)  # words it marked (Apertium)
        if marks_of is not None:
            self.marks.update(zip(keys, marks_of(), strict=False))
        scores_of = getattr(self.engine, "last_scores", None)  # its confidence per segment
        if scores_of is not None:
            self.scores.update((k, s) for k, s in zip(keys, scores_of(), strict=False)
                               if s is not None)  # fmt: skip
        tokens_of = getattr(self.engine, "last_tokens", None)  # what its API counted
        if tokens_of is not None:
            counted = tokens_of()
            self.tokens = (self.tokens[0] + counted[0], self.tokens[1] + counted[1])
        return answers

    def complete(self, answers: list[str]) -> list[Translation]:
        """The translations, from the memory and the engine's answers; new ones remembered."""
        pairs = zip(self.sent.items(), answers, strict=True)
        new = {
            key: hidden.restore(localize_numbers(answer, hidden.text, self.source, self.target))
            for (key, hidden), answer in pairs
        }
        if self.memory is not None and new:
            self.memory.remember([
                TranslatedSegment(key, self.version, self.source, self.target,
                                  self.sent[key].source, text)
                for key, text in new.items()
            ])  # fmt: skip
        via = getattr(self.engine, "via", None)  # an engine that can pivot says through what
        middle = via(self.source, self.target) if via else None
        name = f"{self.engine.name} (via {middle})" if middle else self.engine.name
        model = str(getattr(self.engine, "model", "") or "")
        return [
            replace(
                draft.finish(
                    [self.known[k] if k in self.known else new[k] for k in keys],
                    name,
                    self.target,
                    usage,
                    [self.marks.get(k, ()) for k in keys],
                ),
                model=model,
                scores=draft.by_paragraph([self.scores.get(k) for k in keys]),
            )
            for draft, keys, usage in zip(self.drafts, self.keys, self._usage(answers), strict=True)
        ]

    def _usage(self, answers: list[str]) -> list[Usage]:
        """What each draft asked of the engine: a segment sent once for several drafts counts
        for the first; the batch's seconds are shared out by the characters sent."""
        answer_of = dict(zip(self.sent, answers, strict=True))
        total = sum(len(h.text) for h in self.sent.values()) or 1
        counted: set[str] = set()
        found = []
        for keys in self.keys:
            mine = [k for k in dict.fromkeys(keys) if k in self.sent and k not in counted]
            counted.update(mine)
            chars_in = sum(len(self.sent[k].text) for k in mine)
            share = chars_in / total
            found.append(Usage(
                chars_in=chars_in, chars_out=sum(len(answer_of[k]) for k in mine),
                segments_sent=len(mine), segments_recalled=sum(k in self.known for k in keys),
                seconds=self.seconds * share, tokens_in=round(self.tokens[0] * share),
                tokens_out=round(self.tokens[1] * share),
            ))  # fmt: skip
        return found


@dataclass
class _Draft:
    """An article on its way through the engine: its headline, standfirst, image caption and
    blocks, cut into sentences of inline HTML."""

    tree: Any
    blocks: list[Any]
    pieces: list[list[str]]  # headline, standfirst, caption, then each block
    source: str
    present: tuple[bool, bool]  # whether the article has a standfirst and a caption

    @classmethod
    def of(cls, article: Article, source: str) -> _Draft:
        tree = lxml.html.fragment_fromstring(article.body_html or "<p></p>", create_parent="div")
        blocks = leaf_blocks(tree)
        heads = [article.title, article.meta.standfirst or "", article.meta.image_caption or ""]
        pieces = [split_html(_as_html(" ".join(h.split())), source) for h in heads]
        pieces[0] = pieces[0] and [" ".join(pieces[0])]  # the headline goes whole
        pieces += [split_html(inner_html(block), source) for block in blocks]
        present = (bool(article.meta.standfirst), bool(article.meta.image_caption))
        return cls(tree, blocks, pieces, source, present)

    @property
    def segments(self) -> list[str]:
        return [piece for block in self.pieces for piece in block]

    def by_paragraph(self, scores: Sequence[float | None]) -> tuple[tuple[int, float], ...]:
        """The engine's confidence in each sentence it translated, by paragraph (0 the
        headline, then the body's blocks; the standfirst and the caption are not paragraphs)."""
        given = iter(scores)
        found = []
        for paragraph, block in zip(self.paragraphs, self.pieces, strict=True):
            for _ in block:
                score = next(given)
                if score is not None and paragraph is not None:
                    found.append((paragraph, round(score, 4)))
        return tuple(found)

    @cached_property
    def paragraphs(self) -> list[int | None]:
        """The paragraph each piece of the article is, as the checks count them (the headline
        is 0, then each body block that holds text: an image or an empty cell is none); the
        standfirst and the caption are none."""
        numbers: list[int | None] = [0, None, None]
        count = 0
        for block in self.blocks:
            count += bool(text := block.text_content().strip())
            numbers.append(count if text else None)
        return numbers

    def unknown_text(self, keys: Sequence[str], known: Mapping[str, str]) -> str:
        """The text of the headline and blocks that hold a segment whose key is not known."""
        found, keys_left = [], iter(keys)
        for block in self.pieces:
            block_keys = [next(keys_left) for _ in block]
            if any(key not in known for key in block_keys):
                found.append(" ".join(_text(piece) for piece in block))
        return "\n".join(found)

    def finish(
        self, translated: list[str], engine: str, target: str, usage: Usage,
        marks: list[tuple[str, ...]],
    ) -> Translation:  # fmt: skip
        marked = iter(marks)
        found = []  # the words the engine marked, by paragraph
        for paragraph, block in zip(self.paragraphs, self.pieces, strict=True):
            words = [w for _ in block for w in next(marked)]
            if paragraph is not None:
                found += [(paragraph, w) for w in words]
        restored = iter(translated)
        title, standfirst, caption, *bodies = [
            " ".join(next(restored) for _ in block) for block in self.pieces
        ]
        for block, html in zip(self.blocks, bodies, strict=True):
            set_inner_html(block, html)
        body = "".join(lxml.html.tostring(child, encoding="unicode") for child in self.tree)
        return Translation(
            language=target, source_language=self.source, engine=engine, title=_text(title),
            body_html=sanitize_html(body),
            standfirst=_text(standfirst) if self.present[0] else None,
            image_caption=_text(caption) if self.present[1] else None, usage=usage,
            marks=tuple(found),
        )  # fmt: skip


def _text(html: str) -> str:
    return " ".join(lxml.html.fragment_fromstring(html or " ", create_parent="div")
                    .text_content().split())  # fmt: skip


def _placeholder_names(engine: Engine, source: str) -> tuple[str, ...]:
    """The surnames that may stand for hidden names with this engine: those its dictionary of
    ``source`` knows as names and as nothing else (none for an engine without a lexicon)."""
    lexicon = engine_lexicon(engine, " ".join(PLACEHOLDER_NAMES), source)
    if not lexicon:
        return ()
    return tuple(
        name for name in PLACEHOLDER_NAMES
        if lexicon.get(name) and all(kind.startswith("np") for kind in lexicon[name])
    )  # fmt: skip


def engine_version(engine: Engine, source: str, target: str) -> str:
    """What identifies the engine and its data or model for a pair (the memory's key)."""
    version = getattr(engine, "version", None)
    return f"{engine.name}:{version(source, target)}" if callable(version) else engine.name


def _kept_anyway(span: str, lexicon: Mapping[str, frozenset[str]] | None) -> bool:
    """A single word the engine's dictionary does not know: the engine leaves it as it is, and
    hiding it would only take its sound away (Catalan "d'Upolu", not "de Upolu")."""
    return lexicon is not None and lexicon.get(span) == frozenset() and not name_shaped(span)


def _memory_key(
    version: str,
    source: str,
    target: str,
    segment: str,
    terms: Sequence[str],
    forced: Mapping[str, str],
) -> str:
    """What identifies a segment's translation: the engine and its data, the pair, the segment,
    and the glossary and keep-list terms it holds (a changed glossary translates it again)."""
    held = sorted(f"{t}={forced.get(t, t)}" for t in set(terms) if t in segment)
    parts = (version, source, target, segment, *held)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
