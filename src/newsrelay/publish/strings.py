"""Interface text of the published site, per reader language (English when missing), and the
reader's dates, language names and locale by CLDR (Babel)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path

from babel.core import get_global
from babel.dates import format_date

from newsrelay.text import locale

LOCALES = Path(__file__).parent / "locales"
# A reader language's interface text is locales/<code>.json, written by a person for that
# language. For any other language, the publish sweep has the site's engine translate one of
# these (``pipeline.sweeps.interface_text``) and hands the result to ``use_translated``.
LANGUAGES = tuple(sorted(path.stem for path in LOCALES.glob("*.json")))
PLACEHOLDER = re.compile(r"\{\w+\}")
_translated: dict[str, dict[str, str]] = {}  # by language: interface text an engine translated


def base_language(language: str) -> str:
    """The language of a reader language's tag: ``pt`` for ``pt-BR``."""
    return language.split("-")[0].lower()


def written(language: str) -> bool:
    """Whether newsrelay has interface text written by a person for ``language``."""
    return base_language(language) in LANGUAGES


def translated(language: str) -> bool:
    """Whether an engine's translation of the interface text is in use for ``language``."""
    return base_language(language) in _translated


def use_translated(language: str, strings: dict[str, str]) -> None:
    """Show ``strings``, an engine's translation of the interface text, to readers of
    ``language`` (one without text of its own), over English's for any it lacks."""
    _translated[base_language(language)] = strings


@cache
def _file(language: str) -> dict[str, str]:
    strings: dict[str, str] = json.loads((LOCALES / f"{language}.json").read_text("utf-8"))
    return strings


def table(language: str) -> dict[str, str]:
    """The interface strings for ``language`` (``pt-BR`` uses ``pt``): those written for it, or
    else an engine's translation of them (see ``use_translated``), over English's for any it
    lacks; English's alone when there are neither."""
    base = base_language(language)
    own = _file(base) if base in LANGUAGES else _translated.get(base, {})
    return _file("en") | own


def language_name(code: str, reader: str) -> str:
    """The name of the language ``code`` in the reader's language, by CLDR ("inglés" for an
    "en" source read in Spanish); the code itself when CLDR has no name for it."""
    known = locale(reader) or locale("en")
    assert known is not None
    return str(known.languages.get(code.replace("-", "_"), code))


def autonym(code: str) -> str:
    """A language's name in itself, capitalised as a choice in a list ("Español", "Català")."""
    name = language_name(code, code)
    return name[:1].upper() + name[1:]


def strings_for(
    language: str, *, source_language: str = "", engine: str = "", reviewed: bool = False
) -> dict[str, str]:
    """The interface strings for readers of ``language``, with the notice filled in: that the
    story was translated automatically and not edited, or (``reviewed``) that an editor
    reviewed it."""
    strings = table(language)
    notice = strings["reviewed_notice" if reviewed else "notice"].format(
        source_language=language_name(source_language, language) if source_language else "",
        engine=engine,
    )
    return strings | {"notice": notice}


def local_date(iso: str | None, language: str) -> str:
    """A date in the reader's words, CLDR's long format through Babel ("27 de noviembre de
    2026", "27. November 2026"); nothing for a date that cannot be read (a raw "Mon, 18 Nov
    2019 16:07:38 -0600" is never shown)."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    return format_date(when, "long", locale=locale(language) or "en")


def og_locale(language: str) -> str:
    """The full locale OpenGraph wants for a language: its likeliest territory by CLDR
    (``es_ES``, ``pt_BR``, ``ca_ES``); the code itself when CLDR has none."""
    likely = str(get_global("likely_subtags").get(language, language))
    parts = likely.split("_")
    territory = next((p for p in parts[1:] if p.isupper() and len(p) == 2), None)
    return f"{language}_{territory}" if territory else language
