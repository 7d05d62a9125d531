"""Apertium's stream format, for segments of inline HTML.

This does what a deformatter (``apertium-deshtml``, Transfuse's ``tf-extract``) and reformatter
do, without starting a process for each request: text goes in with the stream format's reserved
characters escaped; each word inside inline elements is wrapped in a word-bound blank
(``[[t:3]]word[[/]]``, the number naming the element), so the markup travels with
its word however the engine reorders the sentence; a void tag (``<br>``) is a superblank
(``[<br>]``), kept in place. Each segment ends a sentence and is followed by a superblank
separator, and a request ends with a NUL byte, the null flush.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape, unescape

from newsrelay.translate.segment import PIECES, closing, is_void

RESERVED = re.compile(r"([\\\[\]^$/@<>{}])")
# A word-bound blank and its word, a superblank, or an escaped character.
OUTPUT = re.compile(r"\[\[([^\]]*)\]\]((?:[^\[\\]|\\.)*?)\[\[/\]\]|\[((?:[^\]\\]|\\.)*)\]|\\(.)")
END = ".[]"
SEPARATOR = "\u241e"  # in a superblank between segments: Apertium keeps it where it is
# A straight quote opening a quotation ('Star Wars'): Apertium's English tokenizer reads "'S" as
# the clitic 's ("esGuerras de alquitrán", "*ensational'"); it goes in as a typographic one.
OPENING_QUOTE = re.compile(r"(?<![\w'’])'(?=[^\W\d_])")  # noqa: RUF001
QUOTED = re.compile(r"‘([^‘’'<>]*?)'(?!\w)")  # noqa: RUF001


def deformat(segments: Sequence[str]) -> tuple[bytes, list[str]]:
    """The stream for ``segments`` (inline HTML), and the opening tags its blanks name: a
    blank ``[[t:3,7]]`` puts its word inside elements 3 and 7, outermost first."""
    elements: list[str] = []
    parts = []
    for segment in segments:
        out: list[str] = []
        open_ids: list[int] = []
        for index, piece in enumerate(PIECES.split(segment)):
            if index % 2 == 0:
                text = escape_text(OPENING_QUOTE.sub("‘", unescape(piece)))  # noqa: RUF001
                if open_ids and text.strip():
                    blank = ",".join(map(str, open_ids))
                    text = re.sub(r"(\S+)", rf"[[t:{blank}]]\1[[/]]", text)
                out.append(text)
            elif piece.startswith("</"):
                if open_ids:
                    open_ids.pop()
            elif is_void(piece):
                out.append(f"[{escape_text(piece)}]")
            else:
                open_ids.append(len(elements))
                elements.append(piece)
        parts.append(" ".join("".join(out).split()) + END)
    request = "".join(f"{part}[{SEPARATOR}]" for part in parts)
    return request.encode() + b"\0", elements


def reformat(output: bytes, elements: Sequence[str], expected: int) -> list[str]:
    """The inline HTML of each translated segment; ``ValueError`` if some did not come back."""
    parts = output.decode().rstrip("\0").split(f"[{SEPARATOR}]")
    if parts and not parts[-1].strip():
        parts.pop()
    if len(parts) != expected:
        raise ValueError(f"{expected} segments sent, {len(parts)} came back")
    return [
        QUOTED.sub(r"‘\1’", " ".join(_html(part.strip().removesuffix(END), elements).split()))  # noqa: RUF001
        for part in parts
    ]


def _html(text: str, elements: Sequence[str]) -> str:
    """HTML from a translated segment: the words of one element that the engine left side by
    side are put in one element again ("<em>Zhao</em> <em>Lei</em>" -> "<em>Zhao Lei</em>")."""
    pieces: list[tuple[tuple[int, ...], str]] = []  # (elements, html) of each piece of text
    last = 0
    for match in OUTPUT.finditer(text):
        pieces.append(((), escape(text[last : match.start()], quote=False)))
        blanks, word, superblank, char = match.groups()
        if char is not None:
            pieces.append(((), escape(char, quote=False)))
        elif superblank is not None:
            pieces.append(((), _unescape(superblank)))
        else:
            ids = tuple(int(i) for i in re.findall(r"\d+", blanks) if int(i) < len(elements))
            pieces.append((tuple(dict.fromkeys(ids)), _html(word, elements)))
        last = match.end()
    pieces.append(((), escape(text[last:], quote=False)))
    html: list[str] = []
    opened: tuple[int, ...] = ()
    for index, (ids, piece) in enumerate(pieces):
        if not ids and not piece.strip() and opened:
            following = next((i for i, p in pieces[index + 1 :] if i or p.strip()), ())
            if following[: len(opened)] == opened:
                html.append(piece)  # a space between two words of the same elements
                continue
        keep = 0
        while keep < min(len(opened), len(ids)) and opened[keep] == ids[keep]:
            keep += 1
        html += [closing(elements[i]) for i in reversed(opened[keep:])]
        html += [elements[i] for i in ids[keep:]]
        opened = ids
        html.append(piece)
    html += [closing(elements[i]) for i in reversed(opened)]
    return "".join(html)


def escape_text(text: str) -> str:
    """Text with the stream format's reserved characters escaped (and no NUL)."""
    return RESERVED.sub(r"\\\1", text.replace("\0", ""))


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)
