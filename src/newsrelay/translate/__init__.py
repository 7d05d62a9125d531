"""Translation: the engine protocol, the engine registry and article translation.

Engines are plugins registered under the entry-point group ``newsrelay.engines``; the built-in
Apertium engine registers the same way a third-party engine does.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from html import escape
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

import lxml.html

from newsrelay.config import Settings
from newsrelay.errors import EngineError, NotConfigured
from newsrelay.extract import leaf_blocks, sanitize_html
from newsrelay.model import Article, Translation
from newsrelay.protect import protected_spans

__all__ = ["Engine", "available_engines", "load_engine", "translate_article"]

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


def available_engines() -> dict[str, Any]:
    """Engine factories registered under ``newsrelay.engines``, by name."""
    return {ep.name: ep for ep in entry_points(group=ENGINE_GROUP)}


def load_engine(settings: Settings, pairs: Sequence[tuple[str, str]] = ()) -> Engine:
    """Start the configured engine and make sure it has ``pairs``; raise NotConfigured if not."""
    name = settings.translate.engine
    factories = available_engines()
    if name not in factories:
        known = ", ".join(sorted(factories)) or "none"
        raise NotConfigured(f"translation engine {name!r} is not installed (installed: {known})")
    engine: Engine = factories[name].load()(settings)
    have = engine.pairs()
    missing = [f"{s}->{t}" for s, t in pairs if (s, t) not in have and s != t]
    if missing:
        offered = ", ".join(f"{s}->{t}" for s, t in sorted(have)) or "none"
        raise NotConfigured(
            f"engine {name!r} cannot translate {', '.join(missing)} (it offers: {offered})"
        )
    return engine


def translate_article(
    engine: Engine, article: Article, source: str, target: str, *, glossary: Sequence[str] = ()
) -> Translation:
    """Translate the headline and every block of an article in one engine call, with names,
    handles and links hidden from the engine behind placeholders and restored afterwards."""
    tree = lxml.html.fragment_fromstring(article.body_html or "<p></p>", create_parent="div")
    blocks = leaf_blocks(tree)
    segments = [_as_html(article.title)] + [_inner_html(b, engine.accepts_markup) for b in blocks]
    spans = protected_spans("\n".join([article.title, *article.paragraphs]), source,
                            glossary=glossary)  # fmt: skip
    hidden = [_hide(segment, spans) for segment in segments]
    translated = [_restore(t, spans) for t in engine.translate(hidden, source, target)]
    if len(translated) != len(segments):
        raise EngineError(
            f"{engine.name}: {len(segments)} segments sent, {len(translated)} came back"
        )
    for block, text in zip(blocks, translated[1:], strict=True):
        _set_inner_html(block, text)
    body = "".join(lxml.html.tostring(child, encoding="unicode") for child in tree)
    title = " ".join(lxml.html.fragment_fromstring(translated[0] or " ", create_parent="div")
                     .text_content().split())  # fmt: skip
    via = getattr(engine, "via", None)  # engines that can pivot say through which language
    middle = via(source, target) if via else None
    return Translation(
        language=target,
        source_language=source,
        engine=f"{engine.name} (via {middle})" if middle else engine.name,
        title=title,
        body_html=sanitize_html(body),
    )


def _placeholder(index: int) -> str:
    # One capitalised made-up word: engines pass words they do not know through untouched.
    return f"QX{index}Q"


def _hide(segment: str, spans: Sequence[str]) -> str:
    for index, span in enumerate(spans):  # longest first, so a name inside another stays whole
        segment = segment.replace(_as_html(span), _placeholder(index))
    return segment


def _restore(text: str, spans: Sequence[str]) -> str:
    for index in reversed(range(len(spans))):  # QX12Q before QX1Q
        text = text.replace(_placeholder(index), _as_html(spans[index]))
    return text


def _inner_html(element: Any, markup: bool) -> str:
    if not markup:
        return _as_html(" ".join(element.text_content().split()))
    inner = _as_html(element.text or "")
    inner += "".join(lxml.html.tostring(child, encoding="unicode") for child in element)
    return " ".join(inner.split())


def _set_inner_html(element: Any, html: str) -> None:
    for child in list(element):
        element.remove(child)
    fragment = lxml.html.fragment_fromstring(html or " ", create_parent="div")
    element.text = fragment.text
    for child in fragment:
        element.append(child)
