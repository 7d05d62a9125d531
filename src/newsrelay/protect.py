"""Protected spans: names, handles and links that a translation must carry over verbatim.

The same detector serves the translation layer (which hides these spans from the engine behind
placeholders, so that "Helen Marsh" never becomes "Helen Pantano") and the names check (which
verifies that they survived). Names are found as capitalised runs of words that

- follow a title or role ("Mayor Helen Marsh", "minister Shin Won-sik") or precede a speech verb
  ("Helen Marsh said"): people, whose names may be ordinary words of the language;
- hold a word the engine's dictionary does not know, or a name-shaped word (Won-sik, McDonald,
  SBU), when the caller has the engine's unknown words;

plus @handles, #hashtags, links and e-mail addresses, and a glossary's own names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from newsrelay.text import sentences

WORD = re.compile(r"[\w'’-]+")  # noqa: RUF001 (typographic apostrophes occur in names)
HANDLE_OR_LINK = re.compile(r"@\w{2,}|#\w{2,}|https?://\S+|www\.\S+|\b[\w.+-]+@[\w-]+\.[\w.]+\b")
TITLES = {
    "en": "mr mrs ms dr mayor president minister senator judge general chancellor governor "
    "councillor councilor professor prof sir lady pope king queen prince princess father rep sen "
    "gov coach captain officer chief inspector director secretary ambassador spokesman "
    "spokeswoman spokesperson envoy commissioner prosecutor leader premier deputy sergeant",
    "es": "sr sra don doña alcalde alcaldesa presidente presidenta ministro ministra senador "
    "senadora juez jueza general gobernador gobernadora profesor profesora rey reina príncipe "
    "princesa portavoz director directora secretario secretaria embajador embajadora fiscal",
    "fr": "m mme monsieur madame maire président présidente ministre sénateur sénatrice juge "
    "général gouverneur professeur roi reine prince princesse porte-parole directeur directrice "
    "secrétaire ambassadeur procureur",
    "pt": "sr sra dom dona prefeito prefeita presidente ministro ministra senador senadora juiz "
    "juíza general governador professor professora rei rainha príncipe princesa porta-voz "
    "diretor diretora secretário embaixador procurador",
    "de": "herr frau dr bürgermeister bürgermeisterin präsident präsidentin minister ministerin "
    "richter richterin general gouverneur professor könig königin prinz prinzessin sprecher "
    "sprecherin direktor direktorin staatssekretär botschafter staatsanwalt",
}
# Words that make a capitalised run an institution, not a person ("the Security Council said").
INSTITUTIONS = frozenset(
    (
        "council ministry court bank party union office department committee commission agency "
        "police army government parliament assembly university school hospital company group "
        "association federation league club board service authority corporation institute "
        "foundation news times post courier herald press house senate congress fund "
        "consejo ministerio tribunal banco partido gobierno ayuntamiento comisión policía "
        "conseil ministère banque parti gouvernement mairie commission "
        "conselho ministério governo câmara comissão "
        "rat ministerium gericht partei regierung kommission polizei"
    ).split()
)
ARTICLES = frozenset("the a an el la los las le les un une die der das ein eine o os as".split())
SPEECH = {
    "en": "said says told added wrote argued explained asked announced warned confirmed stated",
    "es": "dijo afirmó declaró explicó añadió aseguró señaló anunció advirtió confirmó",
    "fr": "a déclaré a dit a affirmé a expliqué a ajouté a annoncé",
    "pt": "disse afirmou declarou explicou acrescentou anunciou",
    "de": "sagte erklärte betonte sagt fügte warnte",
}


def protected_spans(
    text: str,
    language: str,
    *,
    unknown: set[str] | None = None,
    glossary: Iterable[str] = (),
) -> list[str]:
    """The spans of ``text`` that must be carried over verbatim, longest first."""
    spans = {g for g in glossary if g in text}
    spans |= {m.group().rstrip(".,;:)") for m in HANDLE_OR_LINK.finditer(text)}
    for paragraph in text.split("\n"):
        for sentence in sentences(paragraph, language) if paragraph.strip() else ():
            spans |= set(_names(sentence, language, unknown))
    return sorted(spans, key=lambda s: (-len(s), s))


def _names(sentence: str, language: str, unknown: set[str] | None) -> Iterator[str]:
    titles = set(TITLES.get(language, "").split())
    speech = SPEECH.get(language, "").split()
    tokens = [(m.group(), m.start(), m.end()) for m in WORD.finditer(sentence)]
    for start, end in _runs(tokens):
        words = [t[0] for t in tokens[start:end]]
        while words and words[0].casefold().rstrip(".") in titles | ARTICLES:
            words, start = words[1:], start + 1  # "Mayor Helen Marsh" -> "Helen Marsh"
        if not words:
            continue
        before = tokens[start - 1][0].casefold().rstrip(".") if start else ""
        after = sentence[tokens[end - 1][2] :].lstrip(" ,").casefold()
        person = (
            len(words) >= 2
            and not any(w.casefold() in INSTITUTIONS for w in words)
            and before not in ARTICLES
            and (before in titles or any(after.startswith(v) for v in speech))
        )
        if person:
            yield " ".join(words)
        elif unknown is not None:
            marked = [i for i, w in enumerate(words) if w in unknown or name_shaped(w)]
            if marked and (start > 0 or len(words) > 1 or words[0] in unknown):
                yield " ".join(words[marked[0] : marked[-1] + 1])


def _runs(tokens: list[tuple[str, int, int]]) -> Iterator[tuple[int, int]]:
    """(start, end) indices of runs of capitalised words."""
    start = None
    for i, (word, _, _) in enumerate(tokens):
        if word[0].isupper():
            start = i if start is None else start
        elif start is not None:
            yield start, i
            start = None
    if start is not None:
        yield start, len(tokens)


def name_shaped(word: str) -> bool:
    """Hyphenated capitalised words (Won-sik), inner capitals (McDonald) and acronyms (SBU)."""
    if "-" in word and word[:1].isupper():
        return True
    if word.isupper():
        return len(word) >= 2 and word.isalpha()
    return any(c.isupper() for c in word[1:])
