"""The static site: a home page; per language an index, and one per source, section and tag,
each paginated; RSS, Atom and JSON feeds per language and per source; sitemaps; story pages.

A build is incremental. A manifest in the output folder keeps, for each file, a digest of what
it was made from (the stories it shows, its neighbours, the templates); a build writes only the
files whose digest changed or that are missing, and removes the files the site no longer has.
Every file is written atomically (temporary file, then rename), so a reader or a web server never
sees half a page, and a run killed mid-way leaves the previous version in place.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import hashlib
import json
import logging
import os
import posixpath
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)

from newsrelay.config import Settings
from newsrelay.errors import NotConfigured
from newsrelay.markup import html_paragraphs, sanitize_html
from newsrelay.model import StoryView
from newsrelay.publish.indexes import Index, Page, indexes_of, labels, paginate, slugify
from newsrelay.publish.licenses import license_url
from newsrelay.publish.strings import (
    autonym,
    language_name,
    local_date,
    og_locale,
    strings_for,
)
from newsrelay.publish.targets import story_html
from newsrelay.text import fold

FEED_SIZE = 50
FEEDS = ("feed.xml", "atom.xml", "feed.json")
NEWS_WINDOW = timedelta(hours=48)  # Google News sitemaps list the last two days ...
NEWS_LIMIT = 1000  # ... and at most this many stories
TITLE_WORDS = 8  # words of a headline in its page's address
MANIFEST = ".newsrelay-manifest.json"

Output = tuple[str, str, Callable[[], str]]  # path, digest of its inputs, what renders it


log = logging.getLogger(__name__)


class StaticSite:
    """Renders stories into a folder that any web server can serve; ``theme`` is a folder of
    templates that replace the built-in ones of the same name."""

    def __init__(
        self,
        output: Path,
        *,
        title: str,
        base_url: str,
        theme: Path | None = None,
        on_removal: str = "unpublish",
        nofollow_sources: bool = False,
        logo: str = "",
    ) -> None:
        self.output = output
        self.logo = logo  # a path in the site folder, or an http(s) URL
        self.on_removal = on_removal  # a story its source removed: "unpublish" or "keep"
        self.title = title
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        loader: BaseLoader = PackageLoader("newsrelay.publish", "templates")
        if theme is not None:
            if not theme.is_dir():
                raise NotConfigured(f"site.theme: {theme} is not a folder of templates")
            loader = ChoiceLoader([FileSystemLoader(theme), loader])
        self.loader = loader
        self.env = Environment(
            loader=loader, autoescape=select_autoescape(["html", "xml"]), keep_trailing_newline=True
        )
        self.env.filters["local_date"] = local_date
        self.env.globals["source_rel"] = "nofollow noopener" if nofollow_sources else ""
        self.languages: tuple[str, ...] = ()  # the site's, once it is built
        self.sections: dict[str, list[tuple[str, str]]] = {}  # by language: (name, slug)

    @classmethod
    def from_settings(cls, settings: Settings) -> StaticSite:
        """The site the settings describe."""
        site = settings.site
        return cls(
            settings.output_dir, title=site.title, base_url=site.base_url,
            theme=settings.root / site.theme if site.theme else None,
            on_removal=settings.publish.on_removal, nofollow_sources=site.nofollow_sources,
            logo=site.logo,
        )  # fmt: skip

    def story_path(self, story: StoryView) -> str:
        """Where a story's page lives, relative to the site root: the path fixed when it was
        first published (see ``new_path``), else its number's; stable across updates and
        across a change of the source it is translated from."""
        return story.path or self.numbered_path(story)

    @staticmethod
    def numbered_path(story: StoryView) -> str:
        """A story's address by its number, "es/story/12.html" (a page there leads to a story
        whose address is its headline)."""
        return f"{story.language}/story/{story.story_id}.html"

    @staticmethod
    def new_path(story: StoryView) -> str:
        """The address a story's page gets when first published: its language, the day, and
        its headline in the reader's words ("es/2026/12/01/huelga-portuaria-termina.html";
        Cyrillic transliterated)."""
        words = fold(story.title).split()[:TITLE_WORDS]
        when = _first_published(story)
        return f"{story.language}/{when:%Y/%m/%d}/{slugify(' '.join(words))}.html"

    def url(self, path: str) -> str:
        """The public URL of a path of the site (paths are relative and need no joining rules)."""
        return self.base_url + path

    def relative(self, url: str, root: str) -> str:
        """``url`` as a page ``root`` away from the site's root links it: relative when it is
        the site's own (a mirrored image), so the folder works from any host, any port or from
        disk; as it is otherwise."""
        return root + url[len(self.base_url) :] if url.startswith(self.base_url) else url

    def build(self, stories: Sequence[StoryView], languages: Sequence[str]) -> list[str]:
        """Bring the folder up to date with the published ``stories``: write every file whose
        inputs changed since the last build, or that is missing, and remove the files the site
        no longer has (pages past the last one, indexes of a tag no story carries); return the
        paths written."""
        self.languages = tuple(languages)
        self.sections = _sections(stories)
        key = self._site_key()
        before = self._manifest(key)
        planned: dict[str, str] = {}
        written = []
        for path, digest, render in self._plan(stories, languages):
            planned[path] = digest
            if before.get(path) != digest or not (self.output / path).exists():
                write_atomic(self.output / path, render())
                written.append(path)
        stale = sorted(before.keys() - planned.keys())
        for path in stale:
            self._remove(path)
        if written or stale or not (self.output / MANIFEST).exists():
            manifest = {"site": key, "files": planned}
            write_atomic(self.output / MANIFEST, json.dumps(manifest, separators=(",", ":")))
        return written

    def _manifest(self, key: str) -> dict[str, str]:
        """The digests of the last build. When the templates or the site's title or address
        changed, every file is out of date; a site built before manifests existed has its
        numbered pages listed, so that those no longer planned are removed."""
        try:
            manifest = json.loads((self.output / MANIFEST).read_text(encoding="utf-8"))
            files: dict[str, str] = manifest["files"]
        except (OSError, ValueError, KeyError, TypeError):
            old_pages = self.output.rglob("page-*.html") if self.output.is_dir() else []
            return {str(p.relative_to(self.output)): "" for p in old_pages}
        if manifest.get("site") != key:
            return dict.fromkeys(files, "")
        return files

    def _site_key(self) -> str:
        """A digest of what every file depends on: newsrelay, the site's name and address, how
        it links to sources, and the templates (a theme's included)."""
        templates = sorted(self.env.list_templates())
        sources = [self.loader.get_source(self.env, name)[0] for name in templates]
        return _digest(version("newsrelay"), self.title, self.base_url, self.logo,
                       str(self.env.globals["source_rel"]), repr(sorted(self.sections.items())),
                       *templates, *sources)  # fmt: skip

    def _remove(self, path: str) -> None:
        """Remove a file the site no longer has, and its folder when that is left empty."""
        target = self.output / path
        target.unlink(missing_ok=True)
        if target.parent != self.output:
            with contextlib.suppress(OSError):
                target.parent.rmdir()

    def _plan(self, stories: Sequence[StoryView], languages: Sequence[str]) -> Iterator[Output]:
        """Every file of the site, with the digest of its inputs."""
        withdrawn = [s for s in stories if self.withdrawn(s)]
        stories = [s for s in stories if not self.withdrawn(s)]
        for story in withdrawn:
            digest = _digest("withdrawn", story.language, story.source_name,
                             story.removal or "", repr(story.removed_at))  # fmt: skip
            yield self.story_path(story), digest, functools.partial(self._tombstone, story)
        digests = {s.translation_id: _digest(repr(s)) for s in stories}
        versions = self._versions(stories)
        for story in stories:
            others = tuple(v for v in versions[story.story_id] if v[0] != story.language)
            digest = _digest(digests[story.translation_id], repr(others))
            yield self.story_path(story), digest, functools.partial(self._story, story, others)
        for story in [*stories, *withdrawn]:  # the number's address leads to the headline's
            path, numbered = self.story_path(story), self.numbered_path(story)
            if path != numbered:
                yield numbered, _digest("moved", path), functools.partial(
                    self._render, "redirect.html", story.language, root="../../", lang_home="",
                    target="../../" + path, canonical=self.url(path),
                )  # fmt: skip
        for language in languages:
            mine = sorted((s for s in stories if s.language == language), key=_newest_first)
            for index in indexes_of(language, mine):
                yield from self._index_files(index, digests)
            alternates = [repr(versions[s.story_id]) for s in mine]
            yield (f"sitemap-{language}.xml", _digest(*alternates, *_of(mine, digests)),
                   functools.partial(self._sitemap, mine, versions))  # fmt: skip
        yield from self._home_files(languages, stories, digests)

    def withdrawn(self, story: StoryView) -> bool:
        """Whether a story's page is a tombstone, out of every index, feed and sitemap: its
        source removed or retracted it, and the policy is to unpublish."""
        return story.removed_at is not None and self.on_removal == "unpublish"

    def _tombstone(self, story: StoryView) -> str:
        """The page left where a withdrawn story was: who withdrew it and when, no body, and
        not for search engines."""
        t = strings_for(story.language)
        when = local_date(_iso(story.removed_at or story.created_at), story.language)
        root = "../" * self.story_path(story).count("/")
        return self._render(
            "withdrawn.html",
            story.language,
            root=root,
            lang_home=posixpath.relpath(
                f"{story.language}/index.html", posixpath.dirname(self.story_path(story))
            ),
            t=t,
            message=t["editor_withdrawn"].format(date=when)
            if story.removal == "editor_withdrew"
            else t["withdrawn"].format(source=story.source_name, date=when),
        )

    def _versions(self, stories: Sequence[StoryView]) -> dict[int, list[tuple[str, str]]]:
        """(language, URL) of every published version of each story, by story id."""
        found: dict[int, list[tuple[str, str]]] = {}
        for story in stories:
            found.setdefault(story.story_id, []).append(
                (story.language, self.url(self.story_path(story)))
            )
        return found

    def rehearse(self, story: StoryView) -> None:
        """Render a story's page and its feed item without writing them: whatever would fail
        the build for this story (a theme's template that raises on it) raises here, so the
        story can fail alone before the site is built without it."""
        self._story(story, ())
        index = Index(story.language, "language", stories=[story])
        for name in FEEDS:
            self._feed(index, name, [story])

    def _story(self, story: StoryView, others: Sequence[tuple[str, str]]) -> str:
        """A story page. ``others`` are (language, URL) of the story's versions in newsrelay's
        other languages (hreflang)."""
        path = self.story_path(story)
        url, root = self.url(path), "../" * path.count("/")
        here = posixpath.dirname(path)
        home = posixpath.relpath(story.language, here) + "/"  # the language's folder
        return self._render(
            "story.html",
            story.language,
            root=root,
            lang_home=f"{home}index.html",
            feeds=home,
            story=story,
            image_src=self.relative(story.meta.lead_image or "", root),
            body=sanitize_html(story.body_html),
            url=url,
            summary=_summary(story),
            alternates=[(story.language, url), *others],
            versions=[(c, autonym(c), self.relative(href, root)) for c, href in others],
            labels=[(i.kind, i.name, f"{home}{i.kind}/{i.slug}/index.html") for i in labels(story)],
            jsonld=_json_for_script(self.structured_data(story, url)),
            **_change_notes(story),
            license_url=license_url(story.license),
            og_locale=og_locale(story.language),
            og_alternates=[og_locale(lang) for lang, _ in others],
            t=strings_for(
                story.language,
                source_language=story.source_language,
                engine=story.engine,
                reviewed=story.reviewed,
            ),
        )

    def structured_data(self, story: StoryView, url: str) -> dict[str, Any]:
        """schema.org NewsArticle of a translated story: its own canonical page, based on and a
        translation of the source, translated by the engine."""
        published = story.meta.published or _iso(_first_published(story))
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title,
            "inLanguage": story.language,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": published,
            "dateModified": _iso(story.updated_at)
            if story.updated_at
            else story.meta.updated or published,
            "author": [{"@type": "Person", "name": a} for a in story.meta.authors]
            or [{"@type": "Organization", "name": story.source_name}],
            "publisher": {"@type": "Organization", "name": self.title, "url": self.base_url},
            "sourceOrganization": {"@type": "Organization", "name": story.source_name},
            "isBasedOn": story.original_url,
            "translationOfWork": {
                "@type": "NewsArticle",
                "url": story.original_url,
                "headline": story.original_title,
                "inLanguage": story.source_language,
            },
            "translator": {"@type": "SoftwareApplication", "name": story.engine},
        }
        if story.meta.lead_image:
            data["image"] = story.meta.lead_image
        if story.license:
            data["license"] = license_url(story.license) or story.license
        if story.attribution:
            data["creditText"] = story.attribution
        return data

    def _index_files(self, index: Index, digests: dict[int, str]) -> Iterator[Output]:
        """The pages of an index and, for a language or a source, its feeds."""
        for page in paginate(len(index.stories)):
            shown = index.stories[page.start : page.end]
            neighbours = f"{page.newer} {page.older}"  # not the slice: it moves with each add
            digest = _digest(index.name, neighbours, *self.languages, *_of(shown, digests))
            render = functools.partial(self._index_page, index, page, shown)
            yield f"{index.folder}/{page.name}", digest, render
        if index.has_feeds:
            top = index.stories[:FEED_SIZE]
            digest = _digest(index.name, *_of(top, digests))
            for name in FEEDS:
                yield (
                    f"{index.folder}/{name}",
                    digest,
                    functools.partial(self._feed, index, name, top),
                )

    def _index_page(self, index: Index, page: Page, shown: Sequence[StoryView]) -> str:
        up = "../" * index.folder.count("/")  # from the index's folder to the language's
        t = strings_for(index.language)
        heading = t[f"{index.kind}_heading"].format(name=index.name) if index.name else t["latest"]
        root = "../" + up
        stories = [
            {"title": s.title, "href": up + self.story_path(s).split("/", 1)[1],
             "source_name": s.source_name, "published": s.meta.published,
             "image": self.relative(s.meta.lead_image or "", root),
             "image_alt": s.meta.image_caption or "",
             "standfirst": (s.meta.standfirst if s.translated_meta else "") or _summary(s),
             "authors": s.meta.authors}
            for s in shown
        ]  # fmt: skip
        return self._render(
            "index.html", index.language, root=root, heading=heading, stories=stories,
            lead=index.kind == "language" and not page.newer,  # the front page opens big
            lang_home=f"{up}index.html" if up else "",  # the language's front page links none
            newer=page.newer, older=page.older, feeds="" if index.has_feeds else up,
            versions=[(lang, autonym(lang), f"../{lang}/index.html") for lang in self.languages
                      if lang != index.language] if index.kind == "language" else [],
        )  # fmt: skip

    def _feed(self, index: Index, name: str, stories: Sequence[StoryView]) -> str:
        """An RSS 2.0, Atom 1.0 or JSON Feed 1.1 of an index's newest stories."""
        items = [self._item(s) | _body(s) for s in stories]
        title = f"{self.title} ({index.language})" + (f": {index.name}" if index.name else "")
        home, feed_url = (self.url(f"{index.folder}/{n}") for n in ("index.html", name))
        if name == "feed.json":
            return _json_feed(index.language, title, home, feed_url, items)
        updated = items[0]["updated"] if items else _iso(datetime.now(UTC))
        return self._render(name, index.language, stories=items, feed_title=title,
                            home_url=home, feed_url=feed_url, updated=updated)  # fmt: skip

    def _sitemap(
        self, stories: Sequence[StoryView], versions: dict[int, list[tuple[str, str]]]
    ) -> str:
        """A language's sitemap, with the hreflang alternates of each story."""
        items = [
            {"url": self.url(self.story_path(s)), "updated": _iso(_modified(s)),
             "alternates": versions[s.story_id]}
            for s in stories
        ]  # fmt: skip
        return self._render("sitemap.xml", "en", stories=items)

    def _home_files(
        self, languages: Sequence[str], stories: Sequence[StoryView], digests: dict[int, str]
    ) -> Iterator[Output]:
        """The home page, the sitemap index, the news sitemap (stories of the last 48 hours, at
        most 1,000) and robots.txt."""
        names = {code: language_name(code, code) for code in languages}
        if len(languages) == 1:  # one language: the root is its front page's address
            home = functools.partial(
                self._render, "redirect.html", languages[0], root="", lang_home="",
                target=f"{languages[0]}/index.html",
                canonical=self.url(f"{languages[0]}/index.html"),
            )  # fmt: skip
        else:
            home = functools.partial(
                self._render, "home.html", "en", root="", lang_home="", languages=languages,
                names=names,
            )  # fmt: skip
        yield "index.html", _digest(*languages), home
        first = languages[0] if languages else "en"
        latest = [s for s in stories if s.language == first][:10]
        not_found = functools.partial(
            self._render, "404.html", first, root="/", lang_home=f"/{first}/index.html",
            stories=[{"title": s.title, "href": "/" + self.story_path(s)} for s in latest],
        )  # fmt: skip
        yield "404.html", _digest(first, *_of(latest, digests)), not_found
        for language in languages:
            credits = sorted({(s.source_name, s.license, s.attribution, s.source_language)
                              for s in stories if s.language == language})  # fmt: skip
            about = functools.partial(
                self._render, "about.html", language, root="../", lang_home="index.html",
                credits=credits, engines=sorted({s.engine for s in stories
                                                 if s.language == language}),
                versions=[(c, autonym(c), f"../{c}/about.html") for c in languages
                          if c != language],
            )  # fmt: skip
            yield f"{language}/about.html", _digest(language, *languages, repr(credits)), about
        sitemaps = [self.url(f"sitemap-{language}.xml") for language in languages]
        sitemaps.append(self.url("news-sitemap.xml"))
        index = functools.partial(self._render, "sitemap-index.xml", "en", sitemaps=sitemaps)
        yield "sitemap.xml", _digest(*sitemaps), index
        recent = datetime.now(UTC).replace(tzinfo=None) - NEWS_WINDOW
        fresh = sorted((s for s in stories if _first_published(s) >= recent),
                       key=_first_published, reverse=True)[:NEWS_LIMIT]  # fmt: skip
        yield (
            "news-sitemap.xml",
            _digest(*_of(fresh, digests)),
            lambda: self._render("news-sitemap.xml", "en", stories=[self._item(s) for s in fresh]),
        )
        robots = f"User-agent: *\nAllow: /\nSitemap: {self.url('sitemap.xml')}\n"
        yield "robots.txt", _digest(robots), lambda: robots

    def _item(self, story: StoryView) -> dict[str, Any]:
        """What feeds and the news sitemap say of a story."""
        return {
            "title": story.title,
            "language": story.language,
            "url": self.url(self.story_path(story)),
            "guid": f"newsrelay:{story.language}:{story.story_id}",
            "guid_uri": f"tag:newsrelay,2026:{story.language}/{story.story_id}",
            "pub_date": email.utils.format_datetime(_first_published(story).replace(tzinfo=UTC)),
            "created": _iso(_first_published(story)),
            "updated": _iso(_modified(story)),
            "published": story.meta.published,
            "authors": story.meta.authors,
            "source_name": story.source_name,
            "original_url": story.original_url,
            "license": story.license,
            # Atom's license link: the license itself, else the page's statement of it
            "license_url": license_url(story.license)
            or self.url(self.story_path(story)) + "#license",
            "rights": " ".join(filter(None, [story.license, story.attribution])),
            "image": story.meta.lead_image,
            "engine": story.engine,
            "attribution": story.attribution,
            "reviewed": story.reviewed,  # by an editor, or translated automatically alone
        }

    def _render(self, template: str, language: str, **context: Any) -> str:
        context.setdefault("t", strings_for(language))
        root = context.get("root", "")
        found = self.sections.get(language, [])
        links = [(name, f"{root}{language}/section/{slug}/index.html") for name, slug in found]
        context.setdefault("sections", links)
        if language in self.languages:  # a page of a language links its about page
            context.setdefault("about", f"{root}{language}/about.html")
            context.setdefault("front", f"{root}{language}/index.html")
        logo = self.logo if "://" in self.logo or not self.logo else root + self.logo.lstrip("/")
        return self.env.get_template(template).render(
            lang=language, site_title=self.title, site_logo=logo, **context
        )


def _json_feed(
    language: str, title: str, home: str, feed_url: str, items: list[dict[str, Any]]
) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home,
        "feed_url": feed_url,
        "language": language,
        "items": [
            {
                "id": item["guid"],
                "url": item["url"],
                "title": item["title"],
                "content_html": item["body_html"],
                "summary": item["summary"],
                "date_published": item["created"],
                "date_modified": item["updated"],
                "authors": [{"name": a} for a in item["authors"]]
                or [{"name": item["source_name"]}],
                "external_url": item["original_url"],
                "language": item["language"],
                **({"image": item["image"]} if item["image"] else {}),
                "_newsrelay": {  # an extension (JSON Feed 1.1): where the story comes from
                    "source": item["source_name"],
                    "source_url": item["original_url"],
                    "license": item["license"],
                    "attribution": item["attribution"],
                    "engine": item["engine"],
                    "reviewed": item["reviewed"],
                },
            }
            for item in items
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


@functools.lru_cache(maxsize=FEED_SIZE * 4)
def _body(story: StoryView) -> dict[str, str]:
    """A story's body as feeds carry it (with the notice, automatic or reviewed, and the
    source's credit, as the page and the CMS push show them); kept for the few stories that
    several feeds show."""
    return {"summary": _summary(story), "body_html": story_html(story)}


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def _of(stories: Sequence[StoryView], digests: dict[int, str]) -> list[str]:
    """The digests of ``stories``, in order."""
    return [digests[s.translation_id] for s in stories]


def _first_published(story: StoryView) -> datetime:
    """When newsrelay first published a story (kept across updates)."""
    return story.published_at or story.created_at


def _modified(story: StoryView) -> datetime:
    """When newsrelay last changed a story: its update, else its first publication."""
    return story.updated_at or _first_published(story)


def _change_notes(story: StoryView) -> dict[str, str]:
    """The visible lines of a story page that say the source updated or removed it."""
    t = strings_for(story.language)
    notes = {"updated_line": "", "updated_iso": "", "removal_note": ""}
    if story.updated_at:
        when = local_date(_iso(story.updated_at), story.language)
        notes |= {"updated_line": t["updated_on"].format(date=when),
                  "updated_iso": _iso(story.updated_at)}  # fmt: skip
    if story.removed_at:
        key = {"source_retracted": "retracted_note", "editor_withdrew": "editor_withdrawn"}.get(
            story.removal or "", "removed_note"
        )
        when = local_date(_iso(story.removed_at), story.language)
        notes["removal_note"] = t[key].format(date=when)
    return notes


def _iso(when: datetime) -> str:
    """A stored (naive UTC) time as ISO 8601 with its offset."""
    return when.replace(tzinfo=when.tzinfo or UTC).isoformat(timespec="seconds")


def _newest_first(story: StoryView) -> tuple[float, float, int]:
    """Order by the source's publication time (the translation's when unknown), newest first;
    ties go to the newest translation."""
    translated = story.created_at.replace(tzinfo=UTC)
    when = translated
    if story.meta.published:
        try:
            stated = datetime.fromisoformat(story.meta.published)
            when = stated if stated.tzinfo else stated.replace(tzinfo=UTC)
        except ValueError:
            pass  # an unreadable date: the translation's time stands in
    return -when.timestamp(), -translated.timestamp(), -story.story_id


def _sections(stories: Sequence[StoryView]) -> dict[str, list[tuple[str, str]]]:
    """The sections of each language, the busiest first (at most 8: the masthead's links)."""
    counts: dict[str, dict[tuple[str, str], int]] = {}
    for story in stories:
        for index in labels(story):
            if index.kind == "section":
                mine = counts.setdefault(story.language, {})
                mine[(index.name, index.slug)] = mine.get((index.name, index.slug), 0) + 1
    return {lang: [k for k, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))][:8]
            for lang, c in counts.items()}  # fmt: skip


def _summary(story: StoryView) -> str:
    paragraphs = html_paragraphs(story.body_html)
    return paragraphs[0][:300] if paragraphs else ""


SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                "\u2028": "\\u2028", "\u2029": "\\u2029"})  # fmt: skip


def _json_for_script(data: dict[str, Any]) -> str:
    """JSON safe inside <script>: no "</script>", "<!--" or line separator can end or change
    the element (<, >, & and U+2028/9 written as escapes, which JSON reads back the same)."""
    return json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8) or bytes to ``path`` so that readers see the old file or the new
    one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
