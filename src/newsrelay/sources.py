"""Sources in the settings file: add, pause and resume them in ``newsrelay.toml`` (tomlkit keeps
the file's comments and layout), and OPML 2.0 import and export.

The settings file stays the one truth about sources: these functions edit it; the store follows
on the next run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tomlkit
from lxml import etree

from newsrelay.errors import ConfigError, NotFound
from newsrelay.model import Source
from newsrelay.publish.site import write_atomic
from newsrelay.text import clean_text

__all__ = ["add_source", "edit_source", "from_opml", "set_paused", "to_opml"]

# No DTD (so no entity can expand), nothing fetched, no huge trees: an OPML file may come from
# anyone
_OPML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
SOURCE_FIELDS = ("name", "url", "language", "license", "attribution", "republish", "keep",
                 "engine", "languages", "poll_minutes")  # fmt: skip
DEFAULTS = Source(name="", url="")  # a field at its default is not written


def add_source(path: Path, source: Source) -> None:
    """Append a ``[[sources]]`` table for ``source`` to the settings file at ``path``."""
    document = _read(path)
    tables = document.setdefault("sources", tomlkit.aot())
    if any(table.get("name") == source.name for table in tables):
        raise ConfigError(f"{path}: a source named {source.name!r} exists already")
    table = tomlkit.table()
    _fill(table, source)
    tables.append(table)
    _write(path, document)


def edit_source(path: Path, name: str, source: Source) -> None:
    """Replace the settings of the source named ``name`` by those of ``source`` (its name
    included), keeping the table's place, its comments and whether it is paused."""
    document = _read(path)
    tables = document.get("sources", [])
    if source.name != name and any(t.get("name") == source.name for t in tables):
        raise ConfigError(f"{path}: a source named {source.name!r} exists already")
    for table in tables:
        if table.get("name") == name:
            _fill(table, source)
            _write(path, document)
            return
    raise NotFound(f"{path}: no source named {name!r}")


def _fill(table: Any, source: Source) -> None:
    """Write ``source``'s fields into a table: the required ones, and the others unless they
    are at their default (an optional field set back to its default is taken out)."""
    for key in SOURCE_FIELDS:
        value = getattr(source, key)
        value = list(value) if isinstance(value, tuple) else value
        default = getattr(DEFAULTS, key)
        if key not in ("name", "url", "language", "republish") and value == (
            list(default) if isinstance(default, tuple) else default
        ):
            if key in table:
                del table[key]
            continue
        table[key] = value


def set_paused(path: Path, name: str, paused: bool) -> None:
    """Pause (``paused = true``: not polled, nothing new fetched) or resume a source."""
    document = _read(path)
    for table in document.get("sources", []):
        if table.get("name") == name:
            if paused:
                table["paused"] = True
            elif "paused" in table:
                del table["paused"]
            _write(path, document)
            return
    raise NotFound(f"{path}: no source named {name!r}")


def to_opml(sources: Iterable[Source], title: str) -> str:
    """An OPML 2.0 subscription list of ``sources`` (newsrelay's own fields as attributes)."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    body = etree.SubElement(root, "body")
    for source in sources:
        attributes = {"type": "rss", "text": source.name, "title": source.name,
                      "xmlUrl": source.url, "language": source.language}  # fmt: skip
        if source.license:
            attributes["license"] = source.license
        if source.attribution:
            attributes["attribution"] = source.attribution
        attributes["republish"] = "true" if source.republish else "false"
        etree.SubElement(body, "outline", attributes)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data.decode()


def from_opml(data: bytes, origin: str) -> list[Source]:
    """The feeds an OPML file lists (nested outlines included); a feed without ``xmlUrl`` is
    skipped. Imported sources are not licensed for republishing until the file says so: they
    come in with ``republish = false`` unless an outline says ``republish="true"``."""
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise ConfigError(f"{origin}: an OPML file with a DTD or entities is not read")
    try:
        root = etree.fromstring(data, _OPML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"{origin}: not a readable OPML file: {exc}") from None
    if root.tag != "opml":
        raise ConfigError(f"{origin}: not an OPML file (its root is <{root.tag}>)")
    found: dict[str, Source] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if not url.startswith(("http://", "https://")):
            continue
        name = clean_text(outline.get("text") or outline.get("title") or url).strip()[:200]
        found.setdefault(name, Source(
            name=name, url=url, language=(outline.get("language") or "en")[:16],
            license=clean_text(outline.get("license") or ""),
            attribution=clean_text(outline.get("attribution") or ""),
            republish=(outline.get("republish") or "").lower() == "true",
        ))  # fmt: skip
    return list(found.values())


def _read(path: Path) -> Any:
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _write(path: Path, document: Any) -> None:
    write_atomic(path, tomlkit.dumps(document))
