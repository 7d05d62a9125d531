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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsrelay.errors import NewsrelayError
from newsrelay.text import calendar_words, locale, month_names, sentences

# Words, with inner apostrophes and hyphens (O'Neill, Won-sik) but not a possessive 's.
WORD = re.compile(r"\w[\w'’-]*?(?=['’]s\b|[^\w'’-]|$)")  # noqa: RUF001
HANDLE_OR_LINK = re.compile(
    r"(?<![\w.+-])@\w[\w.]*\w|#\w{2,}|https?://\S+|www\.\S+|\b[\w.+-]+@[\w-]+\.[\w.]+\b"
    r"|\b(?:[\w-]+\.)+[a-z]{2,}/\S+"  # a link without its scheme: "pic.twitter.com/4p7SXk"
)
TITLES = {
    "en": "mr mrs ms dr mayor president minister senator judge general chancellor governor "
    "councillor councilor professor prof sir lady pope king queen prince princess father rep sen "
    "gov coach captain officer chief inspector director secretary ambassador spokesman "
    "spokeswoman spokesperson envoy commissioner prosecutor leader premier deputy sergeant "
    "mp mep host lawmaker madam madame dame",
    "es": "sr sra don doña alcalde alcaldesa presidente presidenta ministro ministra senador "
    "senadora juez jueza general gobernador gobernadora profesor profesora rey reina príncipe "
    "princesa portavoz director directora secretario secretaria embajador embajadora fiscal",
    "ca": "sr sra senyor senyora alcalde alcaldessa president presidenta ministre ministra rei "
    "reina príncep princesa portaveu director directora secretari secretària ambaixador "
    "ambaixadora fiscal jutge jutgessa",
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
        "foundation news times post courier herald press house senate congress fund airport "
        "center centre station stadium museum accords treaty award prize organisation "
        "organization week cup games league championship championships festival war tournament "
        "olympics marathon "
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
    "ca": "de del dels d en a al als per pel pels amb i o que com sobre entre després des fins "
    "segons el la els les l seu seva seus és són",
    "de": "von vom im in am an auf für mit und oder dass als über zwischen nach seit laut "
    "sein seine ihr ihre ist sind",
}
ARTICLES = frozenset("the a an el la los las le les un une die der das ein eine o os as".split())
SPEECH = {
    "en": "said says told added wrote argued explained asked announced warned confirmed stated",
    "es": "dijo afirmó declaró explicó añadió aseguró señaló anunció advirtió confirmó",
    "fr": "a déclaré a dit a affirmé a expliqué a ajouté a annoncé",
    "pt": "disse afirmou declarou explicou acrescentou anunciou",
    "ca": "va dir afirmà declarà explicà afegí assegurà anuncià",
    "de": "sagte erklärte betonte sagt fügte warnte",
}


Lexicon = Mapping[str, frozenset[str]]  # word -> kinds of its readings; none: an unknown word
PLACE = frozenset({"np:loc", "np:top"})
PARTICLES = frozenset(
    "bin ibn bint al el abu ben van von der den de da di du dos del la le".split()
)
# Words that open a name without being part of it: "Hurricane Katrina", "Mount Ysolde".
KINDS = frozenset(
    "hurricane storm typhoon cyclone tropical subtropical mount lake river cape fort port saint st "
    "operation project".split()
)
# English names of several capitalised words that languages translate ("White House" is "Casa
# Blanca", "Middle East" "Oriente Medio"): left to the engine, never kept as they are.
TRANSLATED_NAMES = frozenset(
    "white house|middle east|far east|united nations|united states|united kingdom|red cross|"
    "red crescent|european union|european commission|european parliament|security council|"
    "holy see|cold war|world war|first world war|second world war|world cup|olympic games|"
    "nobel prize|human rights|north pole|south pole|arab spring|new year|christmas day|"
    "easter sunday|good friday|black sea|red sea|dead sea|north sea|baltic sea|persian gulf|"
    "gulf of mexico|pacific ocean|atlantic ocean|indian ocean|arctic ocean|milky way".split("|")
)
# Words that, with a place, name a place rather than a team or a work ("North Korea").
GEOGRAPHY = frozenset(
    "north south east west northern southern eastern western central new old great greater "
    "upper lower little saint san santa costa puerto".split()
)
# The nouns that end a place's or a venue's name ("King George Island", "Hudson River",
# "Coral Sky Amphitheatre"): a run that ends
# with one, or opens with a word of GEOGRAPHY ("West Virginia"), is a place, not a person,
# whatever given name it holds.
PLACE_NOUNS = frozenset(
    "island islands isle river lake mountain mountains mount bay gulf sea ocean valley desert "
    "peninsula coast county province state city town village street avenue road square park "
    "bridge canal strait falls forest beach harbour harbor amphitheatre amphitheater arena "
    "theatre theater casino hotel resort mall".split()
)
# Capitalised in English though they are no names, or names every language translates.
COMMON_CAPITALISED = frozenset(
    "sun moon earth internet web god bible church state west east north south mr mrs ms dr "
    "sir madam lord lady king queen prince princess pope".split()
)
# What opens a quotation or a clause that starts with a capital: "He said: “Trees ..."
OPENING = re.compile(r"[:\"“«(‘'—–-]\s*$")  # noqa: RUF001
# Words that open an apposition after a person's name ("Helen Marsh, a nurse,"); not the
# articles of languages where "X, la que ..." is as likely a relative clause.
APPOSITION = {
    "en": "a an the who",
    "es": "un una quien",
    "pt": "um uma quem",
    "ca": "un una",
    "fr": "un une",
    "de": "ein eine",
}


def protected_spans(
    text: str,
    language: str,
    *,
    lexicon: Lexicon | None = None,
    glossary: Iterable[str] = (),
    names: Iterable[str] | None = None,
) -> list[str]:
    """The spans of ``text`` that must be carried over verbatim, longest first.

    ``lexicon`` is what the engine's dictionary says of the words of ``text`` (see
    ``ApertiumEngine.lexicon``); with it, more names are found. ``names``: the names of
    ``text`` when the caller has them already (``name_kinds``), not looked for again."""
    spans = {g for g in glossary if g in text}
    spans |= {m.group().rstrip(".,;:)") for m in HANDLE_OR_LINK.finditer(text)}
    spans |= set(name_kinds(text, language, lexicon=lexicon) if names is None else names)
    return sorted(spans, key=lambda s: (-len(s), s))


def engine_lexicon(engine: Any, text: str, language: str) -> Lexicon | None:
    """What a translation engine's dictionary says of the words of ``text`` (engines that have
    one, such as Apertium, offer ``lexicon()``), or ``None``."""
    lexicon = getattr(engine, "lexicon", None)
    if lexicon is None:
        return None
    try:
        found: Lexicon = lexicon(text, language)
    except NewsrelayError:  # without a lexicon fewer names are found; nothing stops
        return None
    return found


@dataclass(frozen=True)
class Context:
    """The word lists of one language."""

    titles: frozenset[str]
    speech: tuple[str, ...]
    function_words: frozenset[str]
    calendar: frozenset[str]  # weekday and month names, capitalised in some languages
    months: frozenset[str]  # month names and their abbreviations ("sept"), lower-cased
    apposition: tuple[str, ...]  # words that open an apposition after a name: "a", "the"
    adjectives_first: bool
    # names of works, teams and brands are written in title case ("Star Wars", "Oklahoma City
    # Thunder"), which sets them apart from ordinary words (English)
    title_case: bool = False

    @classmethod
    @cache
    def of(cls, language: str) -> Context:
        function_words = frozenset(FUNCTION_WORDS.get(language, "").split()) | ARTICLES
        return cls(
            frozenset(TITLES.get(language, "").split()) | frozenset(ROLES.split()),
            tuple(SPEECH.get(language, "").split()),
            function_words,
            calendar_words(language),
            month_names(language),
            tuple(APPOSITION.get(language, "").split()),
            language in {"en", "de", "nl", "sv", "da", "nb", "ru", "uk"},
            language == "en",
        )


def person_names(text: str, language: str, *, lexicon: Lexicon | None = None) -> list[str]:
    """The spans of ``text`` that name people (a person's name lost or changed is the worst a
    translation can do to a name; other names may rightly be rendered in the target's words)."""
    kinds = name_kinds(text, language, lexicon=lexicon)
    return sorted(span for span, kind in kinds.items() if kind == PERSON)


PERSON, OUTLET, OTHER = "person", "outlet", "name"


def name_kinds(text: str, language: str, *, lexicon: Lexicon | None = None) -> dict[str, str]:
    """Each name of ``text`` (not handles or links) with its kind: ``person``, ``outlet`` (a
    newspaper's or a site's name, never translated) or ``name``."""
    kinds: dict[str, str] = {}
    for paragraph in text.split("\n"):
        for sentence in sentences(paragraph, language) if paragraph.strip() else ():
            for span, kind in _names(sentence, Context.of(language), lexicon):
                if kinds.get(span) not in (PERSON, OUTLET):
                    kinds[span] = kind
    return kinds


def _names(sentence: str, ctx: Context, lexicon: Lexicon | None) -> Iterator[tuple[str, str]]:
    tokens = [(m.group(), m.start(), m.end()) for m in WORD.finditer(sentence)]
    long = [t[0] for t in tokens if len(t[0]) >= 4]  # a headline in title case names nothing
    headline = len(long) >= 3 and not any(w[0].islower() for w in long)
    for start, end in _runs(sentence, tokens, ctx.function_words, ctx.months):
        words = [t[0] for t in tokens[start:end]]
        while (words and words[0].casefold().rstrip(".") in ctx.titles | ARTICLES) or (
            len(words) > 1 and words[0].casefold() in ctx.function_words
        ):  # "Mayor Helen Marsh" -> "Helen Marsh", "In Kyiv Oblast" -> "Kyiv Oblast"
            words, start = words[1:], start + 1
        if not words:
            continue
        before = tokens[start - 1][0].casefold().rstrip(".") if start else ""
        after = sentence[tokens[end - 1][2] :]
        if lexicon is None:
            kind = _is_name(words, start, before, after, ctx)
            found = " ".join(words) if kind else ""
        else:
            found, kind = _named_by_lexicon(words, start, before, after, ctx, lexicon)
            if not found and not headline:
                opens = start == 0 or OPENING.search(sentence[: tokens[start][1]]) is not None
                found, kind = _work_or_brand(words, opens, ctx, lexicon, before == "the"), OTHER
        if kind == PERSON and _place_shaped(found.split()):
            kind = OTHER
        if found:
            yield found, kind
            if start == 0 and len(words) > 2 and found == " ".join(words):
                yield " ".join(words[1:]), kind  # "Read <a>Hope Church's</a> column"


def _place_shaped(words: list[str]) -> bool:
    """Whether a run of capitalised words names a place ("West Virginia", "George Island")."""
    return len(words) >= 2 and (
        words[0].casefold() in GEOGRAPHY or words[-1].casefold() in PLACE_NOUNS
    )


def _work_or_brand(
    words: list[str], opens: bool, ctx: Context, lexicon: Lexicon, after_the: bool = False
) -> str:
    """A name the engine would translate word by word, that must be kept, or "": an acronym
    the dictionary reads as an ordinary word ("WIRED" as "alambrado", "LED" as "dirigió", "IT"
    as "lo"); in a language that writes names with a capital and nothing else (English), a
    capitalised noun inside a sentence ("Apple", "Musk", "Switch") and a run of capitalised
    ordinary words ("Star Wars", "Oklahoma City Thunder", "Super Bowl"; at the start of a
    sentence only from three words, and not after a verb: "Buy Pokemon"). Not a place ("North
    Korea"), an institution, a title, a date, an adjective (demonyms: "English") or a name
    languages translate ("White House"), which are left to the engine. ``opens``: the words
    open a sentence or a quotation."""
    kinds = [lexicon.get(w) or frozenset() for w in words]
    lowered = [w.casefold() for w in words]
    barred = INSTITUTIONS | ctx.titles | ctx.calendar | KINDS | GEOGRAPHY | COMMON_CAPITALISED
    if len(words) == 1:
        word, found = words[0], kinds[0]
        common = frozenset(k for k in found if not k.startswith("np"))
        if found & PLACE or (found and not common):
            return ""  # a place, or a name the engine knows only as one: it keeps or renders it
        if word.isupper() and word.isalpha() and len(word) >= 2:
            return word if found & {"vblex", "adj", "prn", "det", "pr"} else ""
        # a noun, or a name the engine may take for a word ("Tesla", "Musk", "Swift")
        words_of = {"n", "vblex", "adj"} if common != found else {"n", "vblex"}
        noun = bool(common) and common <= words_of and "n" in common
        proper = word[:1].isupper() and word[1:].islower() and len(word) >= 3
        # not a plural ("Americans", "Allies"), a language ("Arabic") or a noun after "the",
        # a part of a longer name as often ("the Declaration of Independence")
        named = proper and noun and not word.endswith("s") and not _language_name(word)
        titled = ctx.title_case and not opens and named and not after_the
        return word if titled and lowered[0] not in barred else ""
    while words and (_closed(kinds[-1]) or "num" in kinds[-1]):  # "Amsterdam From"
        words, kinds, lowered = words[:-1], kinds[:-1], lowered[:-1]
    stripped = 0
    while words and (_closed(kinds[0]) or "num" in kinds[0]):  # "Two United States"
        words, kinds, lowered, stripped = words[1:], kinds[1:], lowered[1:], stripped + 1
    opening = opens and not stripped and (len(words) < 3 or "vblex" in kinds[0])
    if not ctx.title_case or len(words) < 2 or opening:
        return ""
    if " ".join(lowered) in TRANSLATED_NAMES or any(w in barred - GEOGRAPHY for w in lowered):
        return ""
    if "adj" in kinds[0] and not any(k.startswith("np") for k in kinds[0]):
        return ""  # "Solar System", "Iranian Revolution", "Red Cross": described, translated
    ordinary = [i for i, k in enumerate(kinds) if k and not any(x.startswith("np") for x in k)]
    places = [i for i, k in enumerate(kinds) if k & PLACE]
    if places and all(lowered[i] in GEOGRAPHY or i in places for i in range(len(words))):
        return ""  # "North Korea", "New South Wales"
    return " ".join(words) if ordinary else ""


@cache
def _language_name(word: str) -> bool:
    """Whether CLDR names a language or a territory so in English ("Arabic", "Filipino")."""
    english = locale("en")
    assert english is not None
    return word in english.languages.values() or word in english.territories.values()


def _is_name(words: list[str], start: int, before: str, after: str, ctx: Context) -> str:
    """Without a dictionary, the kind of name a capitalised run is, or "": outlets, people named
    by a title, a speech verb, an apposition or a possessive, capitalised runs after a noun ("the
    charity Paper Lantern"), name shapes (not a plural acronym: "TVs", "AMs")."""
    if words[-1].casefold() in OUTLETS and len(words) >= 2:
        return OUTLET  # "Blue Harbour Times", "New York Blog": an outlet's name is never translated
    several = len(words) >= 2
    ordinary = not any(w.casefold() in INSTITUTIONS | ctx.calendar for w in words)
    person = (
        several
        and ordinary
        and before not in ARTICLES
        and (before in ctx.titles or _introduces_person(after, ctx))
    )  # not "the Middle East, the ..."
    if person:
        return PERSON
    named_by_role = several and start > 0 and before not in ctx.function_words  # "charity X Y"
    possessive = re.match(r"['’]s\b", after) is not None  # noqa: RUF001  "North Korea's"
    if named_by_role or possessive or any(name_shaped(w) for w in words):
        return OTHER
    return ""


def _introduces_person(after: str, ctx: Context) -> bool:
    """What follows a person's name: a speech verb ("Helen Marsh said") or an apposition
    ("Helen Marsh, the mayor," "Helen Marsh, 54,"). (A possessive follows places as often:
    "North Korea's pledge".)"""
    rest = after.lstrip(" ,").casefold()
    return any(rest.startswith(verb) for verb in ctx.speech) or _apposition(after, ctx)


def _named_by_lexicon(
    words: list[str], start: int, before: str, after: str, ctx: Context, lexicon: Lexicon
) -> tuple[str, str]:
    """With the engine's dictionary, the part of a capitalised run that is a name, or "", and
    its kind (``person`` for a run with a given name or a surname, or named by a title, a speech
    verb or an apposition; ``name`` for the others).

    Places, institutions, known acronyms and runs of ordinary words are left to the engine,
    which translates them ("New York", "the World Health Organisation", "UK", "Best Picture").
    Names are:

    - an outlet's name (Blue Harbour Times);
    - a run with a given name in it, or ending with a surname ("Helen Marsh", "Grace Field",
      "Cliff Ford"), after the title or kind of thing that may open it ("Prime Minister Julia
      Gillard", "Hurricane Katrina"); the dictionary knows these as proper nouns;
    - the words the dictionary does not know or shaped like names, with the capitalised words
      around them that are not places or institutions ("Sun Hao", "Pat Cook", "Kyiv Oblast";
      "Mount Ysolde" may become "monte Ysolde");
    - a person's name made of ordinary words, known by a title before it or by a speech verb or
      an apposition after it ("Mayor Penny Rich", "Dawn Bright, a nurse,"), or a possessive
      when it opens the sentence ("Marsh's critics").
    """
    lowered = [w.casefold() for w in words]
    if len(words) >= 2 and lowered[-1] in OUTLETS:
        return " ".join(words), OUTLET
    titles = [i for i, w in enumerate(lowered[:-1]) if w in ctx.titles or w in KINDS]
    cut = titles[-1] + 1 if titles else 0  # "Caretaker Prime Minister Julia Gillard"
    before = lowered[cut - 1] if cut else before
    words, lowered, start = words[cut:], lowered[cut:], start + cut
    kinds = [lexicon.get(w) for w in words]
    while start == 0 and len(words) > 1 and _closed(kinds[0]) and not _surname_first(kinds):
        words, lowered, kinds, start = words[1:], lowered[1:], kinds[1:], 1  # "Beyond Wednesday"

    def has(i: int, kind: str) -> bool:
        found = kinds[i]
        return bool(found and kind in found)

    def strange(i: int) -> bool:  # unknown to the dictionary, or a name's shape it does not know
        return kinds[i] == frozenset() or (not kinds[i] and name_shaped(words[i]))

    place = any(k and k & PLACE for k in kinds) or any(w in INSTITUTIONS for w in lowered)
    named_of_words = all(k and _ordinary(k) for k in kinds) and lowered[-1] not in PLACE_NOUNS
    if before in KINDS and not place and named_of_words:
        return " ".join(words), OTHER  # "Fort Worth", not "Fort Valor"; not "Cape Town"
    given = [
        i
        for i in range(len(words))
        if has(i, "np:ant") and not (kinds[i] or set()) & {"adj", *PLACE}
        and lowered[i] not in ctx.calendar
    ]  # fmt: skip
    # Apertium keeps or translates the proper nouns it knows; a name is hidden when a word of
    # it could be taken for an ordinary word ("Helen Marsh") or is not known at all.
    common = any(
        strange(i) or (kinds[i] or set()) - {"np:ant", "np:cog"} for i in range(len(words))
    )
    if len(words) >= 2 and given and common:
        # from the given name, with the ordinary words before it ("Basil Heath"), but not a
        # place or an unknown word ("Villaseca Ramón Iturbe")
        first = given[0]
        while (
            ctx.adjectives_first  # in Catalan "Plaça de Sant Pere" the engine translates
            and first > 0
            and kinds[first - 1]
            and not (kinds[first - 1] or set()) & PLACE
        ):
            first -= 1
        return " ".join(words[first:]), PERSON
    surname = (
        len(words) >= 2
        and has(-1, "np:cog")
        and not has(0, "adj")
        and not has(-1, "adj")
        and lowered[-1] not in ctx.calendar
    )  # "Cliff Ford", not "Swedish Kings" or "Edat Mitjana"
    if surname and not place:
        return " ".join(words), PERSON
    marked = [i for i in range(len(words)) if strange(i)]
    if marked:
        first, last = marked[0], marked[-1]
        if not place:  # the name's other words: "Sun Hao", "Blessing Okoro", "Won Min-ho"; in
            # a language whose nouns come first, not a noun before the name ("Aeroporto Noto")
            short = first > 0 and (ctx.adjectives_first or len(words[first - 1]) <= 4)
            if short and not _closed(kinds[first - 1]):
                first -= 1
            while first > 0 and (kinds[first - 1] or set()) & {"np:ant", "np:cog"}:
                first -= 1  # "Tran Van Minh": the surname first
            while last + 1 < len(words) and (
                _name_part(kinds[last + 1], lowered[last + 1], ctx)
                or _surname_noun(kinds[last + 1], lowered[last + 1], ctx)
            ):
                last += 1  # "Kyiv Independent", "Tran Van Minh", "Elon Musk"
        if first == last == 0 and start == 0 and not name_shaped(words[0]):
            return "", ""  # capitalised because it opens the sentence
        person = last > first and not place  # "Sun Hao", "Won Min-ho"; not "Kyiv Oblast"
        return " ".join(words[first : last + 1]), PERSON if person else OTHER
    if not words or place:
        return "", ""
    rest = after.lstrip(" ,").casefold()
    speech = any(rest.startswith(verb) for verb in ctx.speech)
    possessive = start == 0 and re.match(r"['’]s\b", after) is not None  # noqa: RUF001
    named = before in ctx.titles or speech or possessive
    by_role = _noun(lexicon.get(before))  # "the charity Open Table Network"
    if len(words) >= 2 and (named or _apposition(after, ctx)):
        return " ".join(words), PERSON
    if len(words) >= 2 and by_role:
        return " ".join(words), OTHER
    if (
        len(words) == 1
        and named
        and has(0, "np:cog")
        and not has(0, "adj")
        and not _closed(kinds[0])
    ):
        return words[0], PERSON  # "Marsh's critics", "Field said"; not "Scientists said"
    return "", ""


def _ordinary(kinds: frozenset[str]) -> bool:
    """A word the dictionary knows only as an ordinary word (no proper noun, no closed class)."""
    return not any(k.startswith("np") for k in kinds) and not _closed(kinds)


def _noun(kinds: frozenset[str] | None) -> bool:
    return bool(kinds and "n" in kinds and not kinds & {"adj", "num"} and not _closed(kinds))


def _apposition(after: str, ctx: Context) -> bool:
    """ "Helen Marsh, the mayor," "Helen Marsh, 54," "Helen Marsh, who ..." """
    opening = "|".join(ctx.apposition) or "\\d+,"
    return re.match(rf",\s+(?:{opening}|\d+,)\s", after) is not None


def _name_part(kinds: frozenset[str] | None, word: str, ctx: Context) -> bool:
    """A word that may go on a name: a proper noun, a particle, and in a language whose
    adjectives come first, an adjective ("Kyiv Independent"; not "Esclerose Múltipla")."""
    proper = bool(
        kinds and kinds & {"np:ant", "np:cog", *(["adj"] if ctx.adjectives_first else [])}
    )
    return (proper or word in PARTICLES) and word not in ctx.calendar


def _surname_noun(kinds: frozenset[str] | None, word: str, ctx: Context) -> bool:
    """A noun after a name the dictionary does not know: its surname ("Elon Musk", not
    "Elon almizcle"), unless a place's or an institution's word ("Kyiv Oblast", "Tran Bank")."""
    return bool(
        kinds and "n" in kinds and not _closed(kinds)
        and word not in PLACE_NOUNS | INSTITUTIONS | ctx.calendar
    )  # fmt: skip


def _surname_first(kinds: list[frozenset[str] | None]) -> bool:
    """A surname the dictionary also knows as a closed-class word, written first before a
    given name it does not know: "He Jun", "Long Hai" (not "Beyond Wednesday")."""
    first = kinds[0] or frozenset()
    return "np:cog" in first and bool(first - {"np:cog", "adv"}) and kinds[1] == frozenset()


def _closed(kinds: frozenset[str] | None) -> bool:
    """A word of a closed class (pronoun, preposition, determiner ...): "He", "Beyond"."""
    return bool(kinds and kinds & {"prn", "pr", "det", "cnjcoo", "cnjsub", "cnjadv", "adv"})


def _runs(
    sentence: str,
    tokens: list[tuple[str, int, int]],
    function_words: frozenset[str],
    months: frozenset[str],
) -> Iterator[tuple[int, int]]:
    """(start, end) indices of runs of capitalised words not parted by punctuation; a name
    particle between two capitalised words joins them (Mohammed bin Salem, Ludwig van Beethoven);
    a month before a number is a date's ("Coral Sky Amphitheatre June 17")."""
    particles = PARTICLES - function_words

    def capital(i: int) -> bool:
        word = tokens[i][0]
        dated = i + 1 < len(tokens) and tokens[i + 1][0][:1].isdigit()
        if dated and word.casefold() in months:
            return False
        if word[0].isupper():
            return True
        inside = 0 < i < len(tokens) - 1 and tokens[i + 1][0][0].isupper()
        return inside and word in particles

    start = None
    for i, (_, begin, _) in enumerate(tokens):
        joined = start is not None and not sentence[tokens[i - 1][2] : begin].strip()
        if capital(i) and (start is None or joined):
            start = i if start is None else start
            continue
        if start is not None:
            yield start, i
        start = i if tokens[i][0][0].isupper() else None
    if start is not None:
        yield start, len(tokens)


def name_shaped(word: str) -> bool:
    """Hyphenated capitalised words (Won-sik), inner capitals (McDonald) and acronyms (SBU);
    not a plural of an acronym, which is a common noun ("TVs", "MPs")."""
    if re.fullmatch(r"[A-Z]{2,}s", word):
        return False
    if "-" in word and word[:1].isupper():
        return True
    if word.isupper():
        return len(word) >= 2 and word.isalpha()
    return any(c.isupper() for c in word[1:])
