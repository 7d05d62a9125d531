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

# Words, with inner apostrophes and hyphens (O'Neill, Won-sik) but not a possessive 's.
WORD = re.compile(r"\w[\w'’-]*?(?=['’]s\b|[^\w'’-]|$)")  # noqa: RUF001
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
ROLES = (
    "organiser organizer founder owner chair chairman chairwoman manager head striker "
    "goalkeeper midfielder defender player captain lawyer singer swimmer runner driver artist "
    "author writer actor actress poet chef teacher doctor nurse farmer fisherman student "
    "resident witness victim suspect candidate activist volunteer photographer journalist "
    "reporter economist analyst scientist researcher engineer architect entrepreneur "
    "businessman businesswoman worker mother daughter son brother sister wife husband"
)
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
OUTLETS = frozenset(
    "times post herald courier gazette tribune journal news chronicle observer telegraph daily "
    "weekly radio tv blog review record echo express standard star sun mail mirror".split()
)
FUNCTION_WORDS = {
    "en": "in on at of for to from by with and or but as than that which who whose where when "
    "into over under about after before between during near across against among through via "
    "is are was were be been has have had its their his her our your this these those",
    "es": "de del en a al por para con y o que como sobre entre tras desde hasta según su sus "
    "es son fue fueron ha han este esta estos estas",
    "fr": "de du des en à au aux par pour avec et ou que comme sur entre après depuis selon "
    "son sa ses est sont",
    "pt": "de do da dos das em no na a ao por para com e ou que como sobre entre após desde "
    "segundo seu sua é são",
    "de": "von vom im in am an auf für mit und oder dass als über zwischen nach seit laut "
    "sein seine ihr ihre ist sind",
}
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
    titles = set(TITLES.get(language, "").split()) | set(ROLES.split())
    speech = SPEECH.get(language, "").split()
    function_words = set(FUNCTION_WORDS.get(language, "").split()) | ARTICLES
    tokens = [(m.group(), m.start(), m.end()) for m in WORD.finditer(sentence)]
    for start, end in _runs(sentence, tokens):
        words = [t[0] for t in tokens[start:end]]
        while words and words[0].casefold().rstrip(".") in titles | ARTICLES:
            words, start = words[1:], start + 1  # "Mayor Helen Marsh" -> "Helen Marsh"
        if not words:
            continue
        before = tokens[start - 1][0].casefold().rstrip(".") if start else ""
        after = sentence[tokens[end - 1][2] :].lstrip(" ,").casefold()
        if _is_name(words, start, before, after, titles, speech, function_words):
            yield " ".join(words)
        elif unknown is not None and (part := _strange_part(words, start, unknown)):
            # only the words the engine does not know must survive: "Mount Ysolde" may become
            # "monte Ysolde", "Corran International Airport" "aeropuerto internacional de Corran"
            yield part


def _is_name(
    words: list[str],
    start: int,
    before: str,
    after: str,
    titles: set[str],
    speech: list[str],
    function_words: set[str],
) -> bool:
    if words[-1].casefold() in OUTLETS and len(words) >= 2:
        return True  # "Blue Harbour Times", "New York Blog": an outlet's name is never translated
    several = len(words) >= 2
    person = several and not any(w.casefold() in INSTITUTIONS for w in words) and (
        before in titles or any(after.startswith(v) for v in speech)
    )  # fmt: skip
    named_by_role = several and start > 0 and before not in function_words  # "the charity X Y"
    if person or named_by_role:
        return True
    return any(name_shaped(w) for w in words)


def _strange_part(words: list[str], start: int, unknown: set[str]) -> str:
    """The words from the first to the last that the engine does not know or that look like a
    name, or "" when there are none. A single capitalised word that opens a sentence is
    capitalised for that reason alone, unless it is shaped like a name."""
    if len(words) == 1 and start == 0 and not name_shaped(words[0]):
        return ""
    marked = [i for i, w in enumerate(words) if w in unknown or name_shaped(w)]
    return " ".join(words[marked[0] : marked[-1] + 1]) if marked else ""


def _runs(sentence: str, tokens: list[tuple[str, int, int]]) -> Iterator[tuple[int, int]]:
    """(start, end) indices of runs of capitalised words not parted by punctuation."""
    start = None
    for i, (word, begin, _) in enumerate(tokens):
        joined = start is not None and not sentence[tokens[i - 1][2] : begin].strip()
        if word[0].isupper() and (start is None or joined):
            start = i if start is None else start
            continue
        if start is not None:
            yield start, i
        start = i if word[0].isupper() else None
    if start is not None:
        yield start, len(tokens)


def name_shaped(word: str) -> bool:
    """Hyphenated capitalised words (Won-sik), inner capitals (McDonald) and acronyms (SBU)."""
    if "-" in word and word[:1].isupper():
        return True
    if word.isupper():
        return len(word) >= 2 and word.isalpha()
    return any(c.isupper() for c in word[1:])
