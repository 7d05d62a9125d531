"""Segments: what an engine is given to translate, and how its answers become HTML again.

A block's inner HTML is cut into sentences (sentencex) at boundaries that fall outside inline
elements, so a link or an emphasis spanning two sentences keeps them together. Spans that must
not be translated (names, handles, links, glossary terms) are hidden behind placeholders,
numbered within the segment so that an unchanged sentence always looks the same to the engine
and to the translation memory. A placeholder is a surname the engine's dictionary knows as a
name and nothing else (``Johnson``), when the engine tells which (Apertium's lexicon): the
engine then translates the words around it as it does around any name, where a made-up word
(``QX0Q``) would be taken for an unknown one and change them ("QX0Q said that" comes back as
"QX0Q Dijo", "Johnson said that" as "Johnson dijo que"). Otherwise, and for inline tags of
engines that do not take markup, it is a made-up capitalised word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape

from newsrelay.text import ABBREVIATION_END, sentences

TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*?(/?)>")
VOID = frozenset("br wbr img hr".split())
PIECES = re.compile(r"(<[^>]*>)")  # splits HTML into text, tag, text, ...
# Surnames that may stand for a hidden name (those the engine knows only as names are used);
# none is a word of a language newsrelay translates into, nor the start of one.
PLACEHOLDER_NAMES = (
    "Johnson Williams Jones Davis Wilson Anderson Thompson Harris Robinson Jackson Martinez "
    "Garcia Rodriguez Hernandez Lopez Gonzalez Sanchez Nguyen Novak Schmidt Fischer Weber "
    "Wagner Hoffmann Ivanov Petrov Tanaka Chen Singh"
).split()


def split_html(inner: str, language: str) -> list[str]:
    """The sentences of a block's inner HTML, each a well-formed piece of it."""
    parts = PIECES.split(inner)
    texts, tags = parts[0::2], parts[1::2]
    plain = "".join(unescape(t) for t in texts)
    cuts = set(_sentence_starts(plain, language))
    if not cuts:
        return [inner.strip()] if inner.strip() else []
    if not tags and "&" not in inner:  # plain text: cut it where the sentences start
        bounds = [0, *sorted(cuts), len(plain)]
        return [plain[a:b].strip() for a, b in itertools.pairwise(bounds) if plain[a:b].strip()]
    out: list[str] = []
    current: list[str] = []
    depth = 0
    offset = 0  # position in ``plain``
    for index, text in enumerate(texts):
        for char_html, char_plain in _characters(text):
            if offset in cuts and depth == 0 and current:
                out.append("".join(current))
                current = []
            current.append(char_html)
            offset += len(char_plain)
        if index < len(tags):
            tag = tags[index]
            if not is_void(tag) and TAG.match(tag):
                depth += -1 if tag.startswith("</") else 1
            current.append(tag)
    out.append("".join(current))
    return [piece.strip() for piece in out if piece.strip()]


def _sentence_starts(plain: str, language: str) -> list[int]:
    """Where the sentences of ``plain`` start, after the first. A cut the segmenter makes
    after a short abbreviation ("400 d.C. e durou", "Dr. Moll") or before a lowercase letter
    is not taken: a sentence too many costs nothing, a sentence cut in two is mistranslated."""
    starts: list[int] = []
    cursor = 0
    for sentence in sentences(plain, language):
        found = plain.find(sentence, cursor)
        if found < 0:
            return []  # the segmenter changed the text: keep the block whole
        before = plain[starts[-1] if starts else 0 : found].rstrip()
        abbreviation = ABBREVIATION_END.search(before)
        if found > 0 and not (abbreviation or sentence[:1].islower() or len(sentence) < 4):
            starts.append(found)
        cursor = found + len(sentence)
    return starts


def _characters(text: str) -> list[tuple[str, str]]:
    """The text's characters as (HTML, plain) pairs, an entity counting as one character."""
    return [(m.group(), unescape(m.group())) for m in re.finditer(r"&[#\w]+;|.", text, re.S)]


@dataclass(frozen=True)
class Hidden:
    """A segment as the engine sees it, and what each of its placeholders stands for."""

    text: str
    replacements: tuple[str, ...]
    source: str  # the segment before anything was hidden
    tokens: tuple[str, ...]  # the placeholder of each replacement

    def lost(self, translated: str) -> bool:
        """Whether a name hidden behind a placeholder surname did not come back whole (an
        engine may run it together with the next word and cut it elsewhere: "John sonde")."""
        return any(
            not value.startswith("<")
            and not token.startswith("QX")
            and not re.search(rf"(?<![^\W\d_]){re.escape(token)}", translated)
            for value, token in zip(self.replacements, self.tokens, strict=True)
        )

    def restore(self, translated: str) -> str:
        """Put back what the placeholders hide (a tag's surrounding spaces are undone).

        An engine may capitalise the first word it knows when a placeholder opens the sentence
        ("QX0Q told the council" -> "QX0Q Dijo el consejo"); that capital goes."""
        lead = r"^((?:<[^>]+>)*(QX\d+Q)(?:</[^>]+>)*\s+(?:<[^>]+>)*)"
        opening = re.match(lead + "[a-z]", self.text)
        answer = re.match(lead + r"([A-Z][a-z]*\b)", translated)
        if opening and answer and answer.group(2) == opening.group(2):
            head = len(answer.group(1))
            translated = translated[:head] + translated[head].lower() + translated[head + 1 :]
        for index in reversed(range(len(self.replacements))):  # QX12Q before QX1Q
            value, token = self.replacements[index], re.escape(self.tokens[index])
            if value.startswith("</"):
                # "<em>nuevo QX1Q puente" -> "<em>nuevo</em> puente"; "QX1Q ." -> "</a>."
                pattern = rf"\s*{token}(?:\s+(?=[.,;:!?)\]»]))?"
            elif value.startswith("<") and not is_void(value):
                pattern = rf"{token}\s*"
            else:  # not inside a word; glued after one ("Johnsonde43años") it is still ours
                pattern = rf"(?<![^\W\d_]){token}"
            translated = re.sub(pattern, value.replace("\\", "\\\\"), translated)
        return _rejoin(self.source, translated)


def hide(
    segment: str, spans: Sequence[str], replace: Mapping[str, str], *, markup: bool,
    names: Sequence[str] = (), titles: Collection[str] = (),
) -> Hidden:  # fmt: skip
    """Hide ``spans`` (longest first) and, unless the engine takes ``markup``, inline tags.

    A span is hidden behind one of ``names`` (placeholder surnames the engine knows as names)
    that the segment does not hold, while there are some left, else behind a made-up word. It
    comes back as ``replace[span]`` when the glossary forces a translation, else as it was.
    One of ``titles`` (lower-case words of four letters or more) written before a hidden name
    goes to the engine in lower case, as a word it translates: eng-spa reads "Mayor Johnson"
    as one name ("Mayor Johnson dijo"), "mayor Johnson" as "Alcalde Johnson"."""
    replacements: list[str] = []
    tokens: list[str] = []
    free = iter([n for n in names if n.casefold() not in segment.casefold()])

    def token(value: str, *, name: bool = False) -> str:
        replacements.append(value)
        tokens.append((next(free, None) if name else None) or f"QX{len(replacements) - 1}Q")
        return tokens[-1]

    pieces = PIECES.split(segment)
    spans = _across_tags(spans, pieces)
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag: only text is hidden, never an attribute
            pieces[index] = piece if markup else f" {token(piece)} "
            continue
        for span in spans:  # longest first, so a name inside another stays whole
            html = escape(span, quote=False)
            if html in piece:
                value = escape(replace.get(span, span), quote=False)
                whole = rf"(?<![\w@#]){re.escape(html)}(?!\w)"  # "H" never inside "Hydrogen"
                piece = re.sub(whole, lambda _, v=value: token(v, name=True), piece)
        pieces[index] = piece
    hidden = "".join(pieces) if markup else " ".join("".join(pieces).split())
    named = [t for t in tokens if not t.startswith("QX")]
    long = sorted(t for t in titles if len(t) >= 4)
    if named and long:
        before = rf"\b(?:{'|'.join(long)})(?=\s+(?:{'|'.join(map(re.escape, named))})\b)"
        hidden = re.sub(before, lambda m: m.group().lower(), hidden, flags=re.I)
    return Hidden(hidden, tuple(replacements), segment, tuple(tokens))


def _across_tags(spans: Sequence[str], pieces: Sequence[str]) -> list[str]:
    """``spans``, and the words of those that an inline tag cuts (``<strong>Park</strong>
    Ji-yeon``), each hidden where it stands; longest first."""
    texts = [unescape(p) for p in pieces[0::2]]
    text = "".join(texts)
    cut = [s for s in spans if s in text and not any(s in t for t in texts)]
    words = {w for s in cut for w in s.split() if w not in spans}
    return sorted([*spans, *words], key=lambda s: (-len(s), s)) if words else list(spans)


def _rejoin(source: str, translated: str) -> str:
    """Make one element again of an element the engine split in several: Apertium carries a
    link over each of its words, and reordering parts them ("the <a>census data</a>" -> "el
    <a>dato</a> de <a>censo</a>" -> "el <a>dato de censo</a>")."""
    for opening in dict.fromkeys(m.group() for m in TAG.finditer(source)):
        if opening.startswith("</") or is_void(opening) or source.count(opening) != 1:
            continue
        if translated.count(opening) < 2:
            continue
        first = translated.index(opening) + len(opening)
        last = translated.find(closing(opening), translated.rindex(opening))
        if last < 0:
            continue
        inner = translated[first:last].replace(opening, "").replace(closing(opening), "")
        translated = translated[:first] + inner + translated[last:]
    return translated


def closing(tag: str) -> str:
    """The closing tag of an opening tag: "<a href=...>" -> "</a>"."""
    match = TAG.match(tag)
    return f"</{match.group(2)}>" if match else ""


def is_void(tag: str) -> bool:
    """An element without content: <br>, <img>, or written as <x/>."""
    match = TAG.match(tag)
    return match is not None and (match.group(2).lower() in VOID or tag.endswith("/>"))
