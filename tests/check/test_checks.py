"""Each built-in check on a pair written to show it, and on its faithful twin."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsrelay.check import CheckInput, available_checks, check_texts
from newsrelay.check.language import check_output_language
from newsrelay.check.residue import residue_findings
from newsrelay.model import Decision
from newsrelay.translate.apertium import ApertiumEngine

SOURCE = [
    "Council approves harbour plan",
    "The council of Lakeside approved a plan worth 7,000 dollars on March 3, 2026, after a vote of 12 to 4.",
    "Mayor Helen Marsh said the new quay would open in the spring. Fishermen welcomed the decision.",
    "Follow the council on @LakesideCouncil for updates about the works and the road closures.",
]
GOOD = [
    "El ayuntamiento aprueba el plan del puerto",
    "El ayuntamiento de Lakeside aprobó un plan de 7.000 dólares el 3 de marzo de 2026, tras una votación de 12 a 4.",
    "La alcaldesa Helen Marsh dijo que el nuevo muelle abrirá en primavera. Los pescadores celebraron la decisión.",
    "Siga al ayuntamiento en @LakesideCouncil para conocer las obras y los cortes de carreteras.",
]


def run(translation: list[str], **kwargs: object) -> dict[str, list[str]]:
    item = CheckInput(SOURCE, translation, "en", "es", **kwargs)  # type: ignore[arg-type]
    found: dict[str, list[str]] = {}
    for finding in check_texts(item).findings:
        found.setdefault(finding.kind, []).append(finding.source or finding.translation or "")
    return found


def edit(index: int, old: str, new: str) -> list[str]:
    changed = list(GOOD)
    assert old in changed[index]
    changed[index] = changed[index].replace(old, new)
    return changed


def test_every_builtin_check_is_registered() -> None:
    assert set(available_checks()) >= {
        "empty", "paragraphs", "repetition", "markup", "numbers", "dates", "names",
        "untranslated", "output_language", "residue", "meaning_drift",
    }  # fmt: skip


def test_a_faithful_translation_has_no_findings() -> None:
    assert run(GOOD) == {}


@pytest.mark.parametrize(
    ("translation", "kind"),
    [
        (edit(1, "7.000", "700"), "numbers"),
        (edit(1, "12 a 4", "12 a 14"), "numbers"),
        (edit(1, "3 de marzo", "13 de marzo"), "dates"),
        (edit(2, "Helen Marsh", "Helen Pantano"), "names"),
        (edit(3, "@LakesideCouncil", "@AyuntamientoLakeside"), "names"),
        (
            edit(
                2,
                "Los pescadores celebraron la decisión.",
                "Fishermen welcomed the decision and asked for more berths.",
            ),
            "untranslated",
        ),
        (
            edit(
                2,
                "Los pescadores celebraron la decisión.",
                "Die Fischer begrüßten die Entscheidung des Rates sehr herzlich und lobten ihn.",
            ),
            "wrong_language",
        ),
        (GOOD[:3], "paragraph_count"),
        (edit(2, " Los pescadores celebraron la decisión.", ""), "omission"),
        (
            edit(
                2, "primavera.", "primavera, primavera, primavera, primavera, primavera, primavera."
            ),
            "repetition",
        ),
        ([*GOOD[:2], "ÚNETE A NOSOTROS EN TELEGRAM", *GOOD[2:]], "residue"),
        (["", "", "", ""], "empty"),
    ],
)
def test_each_defect_is_found(translation: list[str], kind: str) -> None:
    assert kind in run(translation)


def test_policy_holds_and_rejects() -> None:
    item = CheckInput(SOURCE, edit(1, "7.000", "700"), "en", "es")
    assert check_texts(item).decision is Decision.HOLD
    assert check_texts(CheckInput(SOURCE, ["", "", "", ""], "en", "es")).decision is Decision.REJECT
    assert check_texts(CheckInput(SOURCE, GOOD, "en", "es")).decision is Decision.PUBLISH


def test_markup_must_keep_links() -> None:
    source_html = '<p>See the <a href="http://127.0.0.1/plan">plan</a>.</p>'
    item = dict(source_html=source_html, translation_html="<p>Vea el plan.</p>")
    assert "markup" in run(GOOD, **item)
    item["translation_html"] = '<p>Vea el <a href="http://127.0.0.1/plan">plan</a>.</p>'
    assert "markup" not in run(GOOD, **item)
    # an empty anchor (an icon's) is nothing a reader loses
    item["source_html"] = source_html + '<h2><a href="http://127.0.0.1/#top"></a>Plan</h2>'
    assert "markup" not in run(GOOD, **item)


def test_emphasis_lost_is_reported_but_split_around_reordered_words_is_not() -> None:
    source_html = "<p>The <strong>new bridge plan</strong> was <em>approved</em>.</p>"
    split = (
        "<p>El <strong>nuevo</strong> plan de <strong>puente</strong> fue <em>aprobado</em>.</p>"
    )
    assert "emphasis" not in run(GOOD, source_html=source_html, translation_html=split)
    lost = "<p>El nuevo plan de puente fue <em>aprobado</em>.</p>"
    assert "emphasis" in run(GOOD, source_html=source_html, translation_html=lost)


@pytest.mark.usefixtures("apertium_eng_spa")
def test_names_the_engine_does_not_know_must_survive() -> None:
    source = ["Talks in Lakeside", "Minister Shin Won-sik met the envoy in Lakeside on Monday."]
    bad = [
        "Conversaciones en Lakeside",
        "El ministro Shin Ganó-sik se reunió con el enviado en Lakeside el lunes.",
    ]
    item = CheckInput(source, bad, "en", "es", engine=ApertiumEngine())
    names = [f.source for f in check_texts(item).findings if f.kind == "names"]
    assert names == ["Shin Won-sik"]


SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_58a8b900530fafd6.txt"


@pytest.mark.skipif(not SEED.exists(), reason="the seed story is not beside the checkout")
def test_seed_story_residue_is_exactly_its_promos_and_teaser() -> None:
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    flagged = [lines[f.paragraph] for f in residue_findings(lines) if f.paragraph is not None]
    assert flagged[:2] == [
        "ÚNETE A NOSOTROS EN TELEGRAM",
        "Siga nuestra cobertura de la guerra en @Kyivpost_official.",
    ]
    assert flagged[2] == "Otros temas de interés"
    assert flagged[3].startswith("La Fuerza Aérea Rusa ataca")
    assert flagged[4].startswith("El sistema de orientación del misil")
    assert len(flagged) == 5


@pytest.mark.usefixtures("apertium_eng_spa")
def test_meaning_drift_when_enabled_flags_a_sentence_unlike_its_source() -> None:
    from newsrelay.check import Policy

    source = [
        "Harbour news",
        "The ferry returned to service on Monday. Passengers were glad to travel again. "
        "The company added two crossings a day. The port reopened its café.",
    ]
    translation = [
        "Noticias del puerto",
        "El transbordador volvió al servicio el lunes. Los pasajeros se alegraron de viajar. "
        "La empresa añadió dos travesías al día. Mañana lloverá mucho en toda la montaña.",
    ]
    item = CheckInput(source, translation, "en", "es", engine=ApertiumEngine())
    policy = Policy(hold=frozenset(), reject=frozenset())  # nothing disabled
    drift = [f for f in check_texts(item, policy).findings if f.kind == "meaning_drift"]
    flagged = [f.translation for f in drift]
    assert "Mañana lloverá mucho en toda la montaña." in flagged
    assert not [t for t in flagged if t and "transbordador" in t]
    assert not [
        f for f in check_texts(item).findings if f.kind == "meaning_drift"
    ]  # off by default


def kinds_of(
    source: list[str], translation: list[str], target: str, *, machine: bool = False
) -> set[str]:
    item = CheckInput(source=source, translation=translation, source_language="en",
                      target_language=target, machine=machine)  # fmt: skip
    return {f.kind for f in check_texts(item).findings}


@pytest.mark.parametrize(
    ("source", "translation", "target"),
    [
        ("Some 330,000 people were infected.", "Unos 330\u2009000 infectados.", "fr"),  # thin space
        ("Some 330,000 people were infected.", "Cerca de 330 mil pessoas.", "pt"),
        ("It costs 1.5 million dollars.", "Cuesta 1,5 millones de dólares.", "es"),
        ("It began in the 15th century.", "Cela commença au XVe siècle.", "fr"),
        ("There were none since the 1800s.", "No hubo desde el siglo XIX.", "es"),
        ("A 6-foot-6 junior, Sims played 32 games.", "Sims, de 1,98 m, jugó 32 partidos.", "es"),
        (
            "Tariffs hit $200 billion (£150 billion) of goods.",
            "Los aranceles afectan a 200.000 millones de dólares.",
            "es",
        ),
        ("It was taken away at 1200 GMT.", "O veículo foi levado às 12h GMT.", "pt"),
        ("It measures 29¾ inches by 24½ inches.", "Misura 29,75 pollici per 24,5.", "it"),
    ],
)
def test_numbers_written_the_ways_translators_write_them(
    source: str, translation: str, target: str
) -> None:
    assert "numbers" not in kinds_of([source], [translation], target)


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Some 330,000 people were infected.", "Unas 333 000 personas se infectaron."),
        ("The H5N1 strain hit 6,000 of them.", "La cepa H5N1 afectó a 8000 de ellas."),
        ("The war began in 1894.", "La guerra empezó en 1984."),
    ],
)
def test_a_number_the_source_states_nowhere_is_a_changed_number(
    source: str, translation: str
) -> None:
    assert "numbers" in kinds_of([source], [translation], "es")


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("It was a sunny 80 degrees outside.", "Hacía un día soleado de 27 grados."),
        ("The river is at times six miles wide.", "El río alcanza a veces 10 km de ancho."),
        ("Limits are commonly 35-40 mph.", "Los límites suelen ser de 55-65 km/h."),
        ("It was taken away at 1200 GMT.", "Se lo llevaron a las 12:00 GMT."),
        ("It opened at 5.30pm on Friday.", "Abrió a las 17:30 el viernes."),
        ("More than four million people came.", "Vinieron más de 4 000 000 personas."),
        ("It was founded in the 1850s.", "Se fundó entre 1850 y 1860."),
        ("The park covers 19,500 km2.", "El parque tiene 19 500 km2."),
        ("Its sales top £9bn a year.", "Sus ventas superan los 9000 millones de libras al año."),
    ],
)
def test_a_number_the_source_states_in_another_form_is_no_finding(
    source: str, translation: str
) -> None:
    assert "numbers" not in kinds_of([source], [translation], "es")


@pytest.mark.parametrize(
    ("source", "translation", "language"),
    [
        ("The first of its 78 recommendations, after a 25 minute meeting.",
         "A primeira das setenta e oito recomendacións, tras vinte e cinco minutos.", "gl"),
        ("The 7 players thanked the 20 volunteers.",
         "Los sèt jogaires mercejèron los vint voluntaris.", "oc"),
    ],
)  # fmt: skip
def test_numbers_in_words_of_a_language_num2words_lacks_are_read_as_a_close_ones(
    source: str, translation: str, language: str
) -> None:
    assert "numbers" not in kinds_of([source], [translation], language)


def test_negation_as_translators_render_it_is_no_finding_but_a_dropped_one_is() -> None:
    def negation(source: str, translation: str, target: str = "es") -> bool:
        return "negation" in kinds_of([source], [translation], target, machine=True)

    assert not negation("They are not only cheap but also good.", "Son baratos y buenos.")
    assert not negation("The demands are not clear to us.", "Die Forderungen sind unklar.", "de")
    assert not negation("It was driven by that and nothing else.", "Solo lo impulsaba eso.")
    # moved to the other sentence ("if we fail ... we will not fail")
    assert not negation("If we fail, it is over. But we will not fail.",
                        "Si no lo logramos, se acaba. Pero lo lograremos.")  # fmt: skip
    # dropped beside another negation, in a sentence of its own
    assert negation("The mayor did not resign. She has no plans to leave.",
                    "La alcaldesa dimitió. No tiene planes de irse.")  # fmt: skip
    # a person's translation that says it in other words ("not clear" as "confusas") is noted
    person = kinds_of(["The demands are not clear."], ["Las exigencias son confusas."], "es")
    assert "negation_lost" in person and "negation" not in person


def test_a_dropped_negation_is_not_hidden_by_an_idiom_or_a_negative_prefix() -> None:
    def negation(source: str, translation: str, target: str) -> bool:
        return "negation" in kinds_of([source], [translation], target, machine=True)

    # "sin duda" and "sin embargo" deny nothing: the "no" that went is still missed
    assert negation("It is not an easy task, he said. It is, no doubt, a big club.",
                    "Es una tarea fácil, dijo. Es, sin duda, un gran club.", "es")  # fmt: skip
    # a negative prefix in the next sentence ("illegally") is not the negation moved there
    assert negation("They did not have records. Most are here illegally.",
                    "Были ранее судимы. Большинство находятся здесь нелегально.", "ru")  # fmt: skip


def test_an_added_negation_holds_an_engines_translation_and_is_noted_in_a_persons() -> None:
    source = ["Bridge reopens", "The old bridge is safe, the engineers said on Monday."]
    flipped = ["Reabre el puente", "El viejo puente no es seguro, dijeron los ingenieros el lunes."]
    by_engine = CheckInput(source, flipped, "en", "es", machine=True)
    assert "negation" in {f.kind for f in check_texts(by_engine).findings}
    assert check_texts(by_engine).decision is Decision.HOLD
    by_person = CheckInput(source, flipped, "en", "es")
    assert "negation_added" in {f.kind for f in check_texts(by_person).findings}
    # said negatively in other words, a negator is the translator's right
    hard = ["Bridge works", "It is hard to cross the old bridge, the engineers said."]
    rendered = ["Obras en el puente", "No es fácil cruzar el viejo puente, dijeron los ingenieros."]
    found = check_texts(CheckInput(hard, rendered, "en", "es", machine=True)).findings
    assert not [f for f in found if f.kind.startswith("negation")]


def test_a_number_given_twice_and_changed_once_is_found() -> None:
    source = ["It will raise £120 million.", "The Treasury expects up to £120 million a year."]
    changed = ["Recaudará 120 millones de libras.", "Hacienda espera hasta 170 millones al año."]
    assert "numbers" in kinds_of(source, changed, "es")
    # moved to the other paragraph, as often as the source gives it: kept
    moved = ["Recaudará 120 millones de libras al año.", "Es lo que espera Hacienda."]
    assert "numbers" not in kinds_of(["It will raise money.", "The Treasury expects £120 million."],
                                     moved, "es")  # fmt: skip


def test_a_call_to_action_after_a_quote_left_open_is_residue() -> None:
    source = ["Couple answers", "The couple replied. \"My wife sent her something she didn't mean."]
    translation = [
        "La parella respon",
        'La parella va respondre. "La meva dona li va enviar una '
        "cosa que no volia dir. Subscriu-te al nostre butlletí per rebre les notícies.",
    ]
    assert "residue" in kinds_of(source, translation, "ca")
    russian = ["Ответ", "Пара ответила. Подпишитесь на нашу рассылку, чтобы получать новости."]
    assert "residue" in kinds_of(source, russian, "ru")


@pytest.mark.parametrize("target", ["gl", "oc"])
def test_a_sentence_left_in_english_is_found_in_a_language_lingua_does_not_know(
    target: str,
) -> None:
    english = "The council approved the new plan for the harbour after a long debate on Tuesday."
    source = ["Harbour plan", english]
    translated = {
        "gl": "O concello aprobou o novo plan do porto despois dun longo debate o martes.",
        "oc": "Lo conselh aprovèt lo plan novèl del pòrt aprèp un long debat dimars.",
    }[target]
    assert "untranslated" in kinds_of(source, ["Plan", english], target)
    assert not {"untranslated", "wrong_language"} & kinds_of(source, ["Plan", translated], target)


def test_a_billion_read_as_a_million_million_is_a_changed_number() -> None:
    assert "numbers" in kinds_of(["Tariffs on $22.6bn of goods."],
                                 ["Aranceles sobre 22,6 billones de dólares."], "es")  # fmt: skip
    assert "numbers" not in kinds_of(["Tariffs on $22.6bn of goods."],
                                     ["Aranceles sobre 22.600 millones de dólares."], "es")  # fmt: skip


def test_what_the_engine_marks_is_a_finding_by_paragraph() -> None:
    item = CheckInput(
        source=["Gamers love virtual perks", "The gamers spend money on perks."],
        translation=["Gamers Quiere virtual perks", "El gamers pasa dinero en perks."],
        source_language="en", target_language="es",
        marks=[(0, "*Gamers"), (0, "*perks"), (1, "*gamers"), (1, "#canal")],
    )  # fmt: skip
    found = {(f.kind, f.paragraph): f.message for f in check_texts(item).findings}
    assert "perks" in found["untranslated", 0] and "Gamers" not in found["untranslated", 0]
    assert "gamers" in found["engine_marks", 1] and "canal" in found["engine_marks", 1]
    assert check_texts(item).decision == Decision.HOLD


def test_a_body_with_more_words_left_unknown_than_one_in_a_hundred_is_untranslated() -> None:
    body = " ".join(["El consejo aprobó el plan del puerto."] * 25)  # 175 words
    marks = [(1, "*layoffs"), (2, "*rioters"), (2, "*Kyrgios")]  # a capitalised one may be a name

    def untranslated(share: float = 0.01) -> list[str]:
        item = CheckInput(["Plan", "a", "b"], ["Plan", body, body], "en", "es", marks=marks,
                          max_untranslated=share)  # fmt: skip
        return [f.message for f in check_texts(item).findings if f.kind == "untranslated"]

    assert untranslated() == []  # 2 of 350 words
    assert untranslated(0.005) == [
        "2 words of 350 are left in the source language (more than one in 200): layoffs, rioters"
    ]


def test_apertium_marks_are_kept_beside_the_translation_not_in_it() -> None:
    from newsrelay.model import Article
    from newsrelay.translate import translate_article

    article = Article(title="Gamers love virtual perks", body_html="<p>Wear a #MeToo pin.</p>")
    result = translate_article(ApertiumEngine(), article, "en", "es")
    assert "*" not in result.title and (0, "*perks") in result.marks
    assert "#MeToo" in result.body_html  # written by the source: no mark


def test_low_confidence_is_reported_where_the_engine_gives_scores() -> None:
    from newsrelay.check import CheckInput, Policy, check_texts

    item = CheckInput(
        source=["Headline", "A first paragraph.", "A second paragraph."],
        translation=["Titular", "Un primer párrafo.", "Un segundo párrafo."],
        source_language="en", target_language="es",
        scores=[(0, 0.9), (1, 0.95), (2, 0.12), (2, 0.8)],
    )  # fmt: skip
    verdict = check_texts(item, Policy.from_settings())
    [finding] = [f for f in verdict.findings if f.kind == "low_confidence"]
    assert finding.paragraph == 2 and "0.12" in finding.message
    assert verdict.decision.value == "hold"
    unscored = check_texts(CheckInput(item.source, item.translation, "en", "es"))
    assert not [f for f in unscored.findings if f.kind == "low_confidence"]


def test_words_run_together_are_garbled_and_words_the_dictionary_lacks_are_not() -> None:
    from newsrelay.text import word_break

    known = {"persona", "años", "que", "comparten", "salud", "tendencia", "plazo", "hotel",
             "eras", "indebida", "mente", "repartido", "res", "familiares", "personas"}  # fmt: skip
    assert word_break("quecompartensalud", known, "es") == ("que", "comparten", "salud")
    assert word_break("personade48años", known, "es") == ("persona", "de", "48", "años")
    assert word_break("tendenciadeplazo", known, "es") == ("tendencia", "de", "plazo")
    assert word_break("tactode15", known | {"tacto"}, "es") == ("tacto", "de", "15")
    for real in ("hoteleras", "indebidamente", "repartidores", "unifamiliares", "personas2"):
        assert word_break(real, known, "es") is None  # too short, a suffix, or a short word first
    item = CheckInput(
        source=["Fund", "A low-cost index fund for health-sharing ministries and analytics."],
        translation=["Fondo", "Un fondo índiceabajocostado para ministerios quecompartensalud y "
                     "analytics."],
        source_language="en", target_language="es", engine=ApertiumEngine(),
        marks=[(1, "*analytics")],
    )  # fmt: skip
    found = [f.translation for f in check_texts(item).findings if f.kind == "garbled"]
    assert sorted(found) == ["quecompartensalud", "índiceabajocostado"]


def test_titles_and_names_kept_in_english_are_not_untranslated_but_english_prose_is() -> None:
    def untranslated(sentence: str) -> bool:
        return "untranslated" in kinds_of(["Title", "A sentence."], ["Título", sentence], "es")

    assert not untranslated("Nell Scovell, veterana guionista y autora de “Just the Funny Parts: "
                            "And a Few Hard Truths About Sneaking into the Hollywood Boys Club”.")  # fmt: skip
    assert not untranslated("Elite League: Dundee Stars 5-3 Belfast Giants")
    assert not untranslated("Norman Eisen es el presidente de Citizens for Responsibility and "
                            "Ethics in Washington, un grupo de vigilancia.")  # fmt: skip
    assert untranslated("He was initially taken to the James Paget Hospital in Great Yarmouth.")
    assert untranslated('Hu said that "they should not be asked to take on obligations".')


def test_a_place_with_a_given_name_in_it_is_no_person_and_apostrophes_are_one() -> None:
    source = ["Visit", "The largest is King George Island, near the base. Speaking in West "
              "Virginia, the president praised Mick O'Flynn, the director."]  # fmt: skip
    translation = ["Visita", "La mayor es la isla Rey Jorge, cerca de la base. En Virginia "
                   "Occidental, el presidente elogió a Mick O\u2018Flynn, el director."]  # fmt: skip
    assert "names" not in kinds_of(source, translation, "es")
    changed = [translation[0], translation[1].replace("O\u2018Flynn", "Flinn")]
    assert "names" in kinds_of(source, changed, "es")


def test_a_persons_name_is_looked_for_in_each_paragraph_that_names_them() -> None:
    source = ["Coach named", "Helen Marsh said she would coach the team next season.",
              "Helen Marsh said she was proud to come back."]  # fmt: skip
    kept = ["Entrenadora", "Helen Marsh dijo que entrenará al equipo la próxima temporada.",
            "Helen Marsh dijo que estaba orgullosa de volver."]  # fmt: skip
    assert "names" not in kinds_of(source, kept, "es")
    dropped = [kept[0], "Dijo que entrenará al equipo la próxima temporada.", kept[2]]
    assert "names" in kinds_of(source, dropped, "es")
    genitive = ["Helen Marshs Team", "Helen Marsh sagte, sie trainiere das Team.",
                "Helen Marsh sagte, sie sei stolz."]  # fmt: skip
    assert "names" not in kinds_of(["Helen Marsh's team", *source[1:]], genitive, "de")


def test_negation_in_contracted_and_lexical_forms() -> None:
    def negation(source: str, translation: str, target: str) -> bool:
        return "negation" in kinds_of(["Title", source], ["Titlu", translation], target,
                                      machine=True)  # fmt: skip

    # Romanian writes "nu" as "n-" before a vowel: "n-am auzit", "n-ar trebui"
    assert not negation("I wasn't really hearing what he said.", "N-am prea auzit ce spunea.",
                        "ro")  # fmt: skip
    assert negation("I wasn't really hearing what he said.", "Am prea auzit ce spunea.", "ro")
    # a denial is a denial: "заперечує", "отрицает"
    assert not negation("The couple deny they are racist.", "Подружжя заперечує, що вони расисти.",
                        "uk")  # fmt: skip
    # "couldn't help but think" states a thought, it denies nothing
    assert not negation("I couldn't help but think of her.", "Pensé en ella todo el tiempo.", "es")
    # Basque negates with "ez" before the verb, Occitan with "pas" after it
    assert not negation("The driver was not injured.", "Gidaria ez zen zauritu.", "eu")
    assert negation("The driver was not injured.", "Gidaria zauritu zen.", "eu")
    assert not negation("The demands are not clear.", "Las demandas son pas claras.", "oc")
    assert negation("The demands are not clear.", "Las demandas son claras.", "oc")
    # "aren't just" is "not only": Occitan's "pas sonque" renders it and denies nothing
    assert not negation("The forests aren't just swamps.", "Los bòsques son pas sonque de paluns.",
                        "oc")  # fmt: skip


def test_sentences_are_counted_alike_inside_any_quotation_marks() -> None:
    # the segmenter keeps « ... » whole and cuts '...' apart; "Ms." is no sentence's end. A
    # concise translation that keeps both sentences is no omission (counted by the segmenter
    # alone, it was: 2 sentences against 1, and shorter than the article's norm)
    source = ["Brexit", "'It is a complete farce. There isn't such a thing as a good Brexit,' "
              "he added, and Ms. Scovell agreed.", "The vote in the chamber takes place on Tuesday "
              "evening.", "Both parties expect a close result after the long debate."]  # fmt: skip
    both = ["Brexit", "« Une farce. Un bon Brexit n'existe pas », dit-il, et Mme Scovell aussi.",
            "Le vote de la chambre aura lieu mardi en soirée.",
            "Les deux partis attendent un résultat serré après ce long débat."]  # fmt: skip
    assert "omission" not in kinds_of(source, both, "fr")
    one = [both[0], "« Une farce », dit-il, et Mme Scovell aussi.", *both[2:]]
    assert "omission" in kinds_of(source, one, "fr")


def test_a_historical_name_in_the_targets_spelling_is_noted_not_held() -> None:
    royals = ["Versailles", "Queen Marie Antoinette and the King's sister, Madam Elizabeth, "
              "were forced back to Paris on July 4, 1789."]  # fmt: skip
    translation = ["Versalles", "La reina María Antonieta y la hermana del rey, Madame Élisabeth, "
                   "volvieron a París el 4 de julio de 1789."]  # fmt: skip
    found = kinds_of(royals, translation, "es")
    assert "names" not in found and "name_changed" in found
    # one word kept and one changed is a changed name
    source = ["Trial", "The victim, Jessica Chambers, was 19."]
    assert "names" in kinds_of(source, ["Juicio", "La víctima, Jessica Cambres, tenía 19."], "es")
    # "Marie-Antoinette" is the name as it is; Occitan writes July "julhet" or "julh"
    translation = ["Versalhas", "La reina Marie-Antoinette e la sòrre del rei, Madama Elizabeth, "
                   "tornèron a París lo 4 de julh de 1789."]  # fmt: skip
    assert not {"names", "name_changed", "dates"} & kinds_of(royals, translation, "oc")


def test_a_persons_name_with_particles_or_in_quotes_is_found() -> None:
    from newsrelay.check.content import _person_rendered

    assert _person_rendered("James Van Der Beek", "James Van Der Beek fue eliminado.", "en")
    assert _person_rendered("Kylie Jenner", "tras el cambio de \u2018Kylie Jenner\u2019.", "en")
    assert not _person_rendered("Donald Trump", "Donald Triunfo dijo que Trump vendrá.", "en")


@pytest.mark.usefixtures("apertium_eng_spa")
def test_a_paragraph_whose_words_the_target_dictionary_knows_is_no_third_language() -> None:
    # machine Spanish thick with names reads to the identifier as Danish
    source = ["Sydney beat Melbourne", "Sydney beat Melbourne behind Tom Hawkins' 3-1, 2-2 win "
              "over Paul Kelly and Ben Cousins' 4-0, 5-1 win over Jack Riewoldt."]  # fmt: skip
    translation = ["Sydney batió Melbourne", "Sydney ganó Melbourne detrás Tom Hawkins 3-1, 2-2 "
                   "gana encima Paul Kelly y Ben Cousins 4-0, 5-1 gana encima Jack Riewoldt."]  # fmt: skip
    found = check_output_language(CheckInput(source, translation, "en", "es"))
    assert [f.message for f in found] == ["the paragraph reads as da, not es"]
    item = CheckInput(source, translation, "en", "es", engine=ApertiumEngine())
    assert check_output_language(item) == []
