"""Domain objects that travel between the stages, and their status values.

Stage functions take and return these; only the store knows how they are persisted.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from newsrelay.markup import html_paragraphs


class EntryStatus(enum.StrEnum):
    """Where an entry stands; ``dropped`` and ``failed`` carry a reason code."""

    PENDING = "pending"  # seen in a feed, waiting to be fetched
    FETCHED = "fetched"  # page stored, waiting for extraction
    EXTRACTED = "extracted"  # article stored; translations follow per language
    DROPPED = "dropped"  # expected rejection (404, not an article, robots.txt ...)
    FAILED = "failed"  # transient or unexpected failure; retried on a later run
    REMOVED = "removed"  # published, then gone from its source (404/410) or retracted there


class Decision(enum.StrEnum):
    """What the checks decide for a translation."""

    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"


class Outcome(enum.StrEnum):
    """The outcome of one stage on one item, as written to the event log."""

    OK = "ok"
    SKIPPED = "skipped"
    HELD = "held"  # kept for a person to review
    DROPPED = "dropped"
    FAILED = "failed"


@dataclass(frozen=True)
class Source:
    """A feed or sitemap the publisher is licensed to republish."""

    name: str
    url: str
    language: str = "en"
    license: str = ""
    attribution: str = ""
    republish: bool = True
    keep: tuple[str, ...] = ()  # names of this source never to translate (its outlet, brands)
    paused: bool = False  # not polled (what was found before still goes through)
    engine: str = ""  # its translation engine; empty: translate.engine
    languages: tuple[str, ...] = ()  # the languages its stories go into; empty: site.languages
    poll_minutes: float = 0.0  # how often the scheduler polls it; 0: poll.interval_minutes
    id: int | None = None


@dataclass(frozen=True)
class FeedEntry:
    """One item read from a feed or sitemap."""

    guid: str
    url: str
    title: str = ""
    published: datetime | None = None
    updated: datetime | None = None

    @property
    def version(self) -> str:
        """What identifies this revision of the entry: a change means the story changed."""
        stamp = self.updated or self.published
        return f"{self.url}|{self.title}|{stamp.isoformat() if stamp else ''}"


@dataclass
class FeedResult:
    """What parsing a feed or sitemap gives: entries, child sitemaps, warnings, and what the
    feed states about reuse (its ``copyright``, ``rights`` or license element)."""

    entries: list[FeedEntry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # children of a sitemap index
    warnings: list[str] = field(default_factory=list)
    rights: str | None = None


@dataclass(frozen=True)
class Entry:
    """A feed entry as stored, with its place in the flow."""

    id: int
    source_id: int
    guid: str
    url: str
    title: str
    status: EntryStatus
    reason: str | None = None
    attempts: int = 0


@dataclass(frozen=True)
class Page:
    """A fetched page, decoded to text."""

    url: str
    status_code: int
    content_type: str
    html: str
    encoding: str
    etag: str | None = None  # validators for a conditional GET when the page is checked again
    last_modified: str | None = None


@dataclass(frozen=True)
class Metadata:
    """What a page says about its article; what it does not say is absent, never guessed.

    Dates are ISO 8601 strings as the page writes them, with the source's timezone offset.
    """

    standfirst: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    updated: str | None = None
    lead_image: str | None = None
    image_caption: str | None = None
    image_credit: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    canonical_url: str | None = None
    rights: str | None = None  # what the page states about reuse (license link, copyright)


@dataclass(frozen=True)
class Removed:
    """A block taken out of an article, and the rule that took it out."""

    rule: str
    text: str


@dataclass(frozen=True)
class Article:
    """The story extracted from a page: sanitized body HTML, its language and metadata."""

    title: str
    body_html: str
    url: str | None = None
    language: str | None = None
    meta: Metadata = field(default_factory=Metadata)
    removed: tuple[Removed, ...] = ()

    @property
    def paragraphs(self) -> list[str]:
        """The body as plain-text paragraphs."""
        return html_paragraphs(self.body_html)

    @property
    def text(self) -> str:
        """The body as plain text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Usage:
    """What a translation asked of its engine: the characters sent and returned, the segments
    sent and those the translation memory answered instead, the engine's seconds, and the
    tokens it counted where its API reports them (what a batch of several articles cost is
    shared out by the characters each sent)."""

    chars_in: int = 0
    chars_out: int = 0
    segments_sent: int = 0
    segments_recalled: int = 0
    seconds: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0


@dataclass(frozen=True)
class Translation:
    """An article translated into one language."""

    language: str
    source_language: str
    engine: str
    title: str
    body_html: str
    standfirst: str | None = None  # the source's standfirst and lead image caption, translated
    image_caption: str | None = None
    usage: Usage = field(default_factory=Usage, compare=False)  # not part of what it says
    # what the engine marked, by paragraph (0 the headline): "*word" a word it did not know,
    # "@word" a lemma without a translation, "#word" a form it could not generate
    marks: tuple[tuple[int, str], ...] = field(default=(), compare=False)
    model: str = field(default="", compare=False)  # the engine's model, where it has several
    # the engine's confidence in each sentence it translated, where it gives one (0 to 1, the
    # mean probability of its tokens), by paragraph (0 the headline): (paragraph, confidence)
    scores: tuple[tuple[int, float], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class TranslatedSegment:
    """A sentence and its translation, as the translation memory keeps them: ``key`` hashes the
    engine and its data or model version, the language pair, the source sentence (inline HTML)
    and the glossary terms it holds."""

    key: str
    engine: str
    source_language: str
    target_language: str
    source: str
    translation: str


@dataclass(frozen=True)
class Finding:
    """One problem a check found in a translation, with the spans it concerns.

    ``paragraph`` is the index of the translation's paragraph concerned (when one is);
    ``source`` and ``translation`` quote the spans of each text concerned.
    """

    kind: str
    severity: str  # "error", "warning" or "info"
    message: str
    paragraph: int | None = None
    source: str | None = None
    translation: str | None = None


@dataclass(frozen=True)
class Verdict:
    """The decision for a translation and the findings that led to it."""

    decision: Decision
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class StoryView:
    """Everything the publisher needs to render one translated story."""

    translation_id: int
    article_id: int
    story_id: int
    language: str
    title: str
    body_html: str
    engine: str
    source_language: str
    original_title: str
    original_url: str
    source_name: str
    license: str
    attribution: str
    meta: Metadata
    created_at: datetime
    also_reported_by: tuple[tuple[str, str], ...] = ()  # (source name, URL) of other sources
    published_at: datetime | None = None  # first published (kept across updates)
    updated_at: datetime | None = None  # when a change of the source story was republished
    removed_at: datetime | None = None  # when the source removed or retracted the story
    removal: str | None = None  # "source_gone", "source_retracted" or "editor_withdrew"
    translated_meta: bool = False  # meta's standfirst and caption are in ``language``
    reviewed: bool = False  # an editor approved or edited it (the notice says so)
    path: str = ""  # where its page lives on the site, fixed at first publication
    # the section and tag names (of meta) that are in ``language``, translated for the site
    translated_labels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DeliveryRecord:
    """What a push target (WordPress, a webhook) last received of a story in one language, and
    the failures since; ``state`` and ``version`` are None until a first delivery succeeds."""

    target: str
    story_id: int
    language: str
    remote_id: str | None = None
    state: str | None = None  # published, updated or withdrawn
    version: str | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
