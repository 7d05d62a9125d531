"""The indexes of a language (all its stories, and those of each source, section and tag) and
how each is cut into pages."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsrelay.model import StoryView

PAGE_SIZE = 20  # stories per archive page


@dataclass
class Index:
    """The stories of one language, or of one source, section or tag in it, newest first."""

    language: str
    kind: str  # "language", "source", "section" or "tag"
    name: str = ""
    slug: str = ""
    stories: list[StoryView] = field(default_factory=list)

    @property
    def folder(self) -> str:
        """Where the index's pages live, relative to the site root."""
        if self.kind == "language":
            return self.language
        return f"{self.language}/{self.kind}/{self.slug}"

    @property
    def has_feeds(self) -> bool:
        """Languages and sources have feeds of their own; sections and tags link the language's."""
        return self.kind in ("language", "source")


@dataclass(frozen=True)
class Page:
    """One page of an index: its file name, the slice of the index it shows, and its neighbours."""

    name: str
    start: int
    end: int
    newer: str | None
    older: str | None


@functools.cache  # a site has few names and meets each of them often
def slugify(name: str) -> str:
    """A lower-case ASCII path segment for a name; a name with no Latin letter or digit gets a
    short digest instead, so that every name has a stable address."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-")
    return slug or "x-" + hashlib.blake2b(name.encode(), digest_size=4).hexdigest()


def labels(story: StoryView) -> list[Index]:
    """The source, section and tag indexes a story belongs to (empty of stories), each once."""
    named = [("source", story.source_name), ("section", story.meta.section or "")]
    named += [("tag", tag) for tag in story.meta.tags]
    found: dict[tuple[str, str], Index] = {}
    for kind, name in named:
        if name.strip():
            index = Index(story.language, kind, name.strip(), slugify(name))
            found.setdefault((kind, index.slug), index)
    return list(found.values())


def indexes_of(language: str, stories: Sequence[StoryView]) -> list[Index]:
    """The language's index and one per source, section and tag, keeping the stories' order."""
    everything = Index(language, "language", stories=list(stories))
    groups: dict[tuple[str, str], Index] = {}
    for story in stories:
        for label in labels(story):
            groups.setdefault((label.kind, label.slug), label).stories.append(story)
    return [everything, *groups.values()]


def paginate(count: int, size: int = PAGE_SIZE) -> list[Page]:
    """The pages of an index of ``count`` stories listed newest first.

    Archive pages are numbered from the oldest story and hold exactly ``size`` stories each, so
    a story added at the top leaves them as they are; ``index.html`` shows the rest (``size`` to
    ``2 * size - 1`` stories, fewer only when the index is that small).
    """
    archived = max(0, count // size - 1)
    pages = [Page("index.html", 0, count - archived * size, None, _name(archived))]
    for number in range(archived, 0, -1):
        end = count - (number - 1) * size
        newer = "index.html" if number == archived else _name(number + 1)
        pages.append(Page(f"page-{number}.html", end - size, end, newer, _name(number - 1)))
    return pages


def _name(number: int) -> str | None:
    return f"page-{number}.html" if number > 0 else None
