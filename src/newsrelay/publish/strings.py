"""Interface text of the published site, per reader language (English when missing)."""

from __future__ import annotations

from datetime import datetime

from babel.core import get_global
from babel.dates import format_date

from newsrelay.text import locale

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "notice": "This story was translated automatically from {source_language} by {engine} "
        "and has not been edited by a person.",
        "reviewed_notice": "This story was translated from {source_language} by {engine}, then "
        "reviewed by an editor.",
        "editor_withdrawn": "The editors withdrew this story on {date}.",
        "by": "By", "for_": "for", "source": "Source", "license": "License",
        "engine": "Translation engine", "latest": "Latest stories", "empty": "No stories yet.",
        "also": "Also reported by",
        "modified": "updated",
        "updated_on": "Updated {date}",
        "removed_note": "The source removed this story on {date}.",
        "retracted_note": "The source retracted this story on {date}.",
        "withdrawn_title": "Story withdrawn",
        "withdrawn": "This story was withdrawn by its source, {source}, on {date}.",
        "newer": "Newer",
        "older": "Older",
        "section": "Section", "tag": "Tag", "source_heading": "Stories from {name}",
        "section_heading": "Section: {name}", "tag_heading": "Tag: {name}",
        "footer": "Stories are republished with attribution under their sources' licenses.",
    },
    "es": {
        "notice": "Esta noticia fue traducida automáticamente del {source_language} con {engine} "
        "y no ha sido revisada por ninguna persona.",
        "reviewed_notice": "Esta noticia fue traducida del {source_language} con {engine} y "
        "revisada después por un editor.",
        "editor_withdrawn": "La redacción retiró esta noticia el {date}.",
        "by": "Por", "for_": "para", "source": "Fuente", "license": "Licencia",
        "engine": "Motor de traducción", "latest": "Últimas noticias",
        "empty": "Todavía no hay noticias.",
        "also": "También informaron",
        "modified": "actualizada el",
        "updated_on": "Actualizada el {date}",
        "removed_note": "La fuente retiró esta noticia el {date}.",
        "retracted_note": "La fuente se retractó de esta noticia el {date}.",
        "withdrawn_title": "Noticia retirada",
        "withdrawn": "Esta noticia fue retirada por su fuente, {source}, el {date}.",
        "newer": "Más recientes",
        "older": "Anteriores",
        "section": "Sección", "tag": "Etiqueta", "source_heading": "Noticias de {name}",
        "section_heading": "Sección: {name}", "tag_heading": "Etiqueta: {name}",
        "footer": "Las noticias se republican con atribución según la licencia de cada fuente.",
    },
    "ca": {
        "notice": "Aquesta notícia s'ha traduït automàticament de l'{source_language} amb {engine} "
        "i cap persona no l'ha revisada.",
        "reviewed_notice": "Aquesta notícia s'ha traduït de l'{source_language} amb {engine} i "
        "després l'ha revisada un editor.",
        "editor_withdrawn": "La redacció va retirar aquesta notícia el {date}.",
        "by": "Per", "for_": "per a", "source": "Font", "license": "Llicència",
        "engine": "Motor de traducció", "latest": "Últimes notícies",
        "empty": "Encara no hi ha notícies.",
        "also": "També n'han informat",
        "modified": "actualitzada el",
        "updated_on": "Actualitzada el {date}",
        "removed_note": "La font va retirar aquesta notícia el {date}.",
        "retracted_note": "La font es va retractar d'aquesta notícia el {date}.",
        "withdrawn_title": "Notícia retirada",
        "withdrawn": "La font, {source}, va retirar aquesta notícia el {date}.",
        "newer": "Més recents",
        "older": "Anteriors",
        "section": "Secció", "tag": "Etiqueta", "source_heading": "Notícies de {name}",
        "section_heading": "Secció: {name}", "tag_heading": "Etiqueta: {name}",
        "footer": "Les notícies es republiquen amb atribució segons la llicència de cada font.",
    },
    "fr": {
        "notice": "Cet article a été traduit automatiquement de l'{source_language} par {engine} "
        "et n'a été relu par personne.",
        "reviewed_notice": "Cet article a été traduit de l'{source_language} par {engine}, puis "
        "relu par un rédacteur.",
        "editor_withdrawn": "La rédaction a retiré cet article le {date}.",
        "by": "Par", "for_": "pour", "source": "Source", "license": "Licence",
        "engine": "Moteur de traduction", "latest": "Derniers articles",
        "empty": "Aucun article pour l'instant.",
        "also": "Également rapporté par",
        "modified": "mis à jour le",
        "updated_on": "Mis à jour le {date}",
        "removed_note": "La source a retiré cet article le {date}.",
        "retracted_note": "La source a rétracté cet article le {date}.",
        "withdrawn_title": "Article retiré",
        "withdrawn": "Cet article a été retiré par sa source, {source}, le {date}.",
        "newer": "Plus récents",
        "older": "Plus anciens",
        "section": "Rubrique", "tag": "Mot-clé", "source_heading": "Articles de {name}",
        "section_heading": "Rubrique : {name}", "tag_heading": "Mot-clé : {name}",
        "footer": "Les articles sont republiés avec attribution selon la licence de leur source.",
    },
    "pt": {
        "notice": "Esta notícia foi traduzida automaticamente do {source_language} pelo {engine} "
        "e não foi revista por nenhuma pessoa.",
        "reviewed_notice": "Esta notícia foi traduzida do {source_language} pelo {engine} e "
        "depois revista por um editor.",
        "editor_withdrawn": "A redação retirou esta notícia a {date}.",
        "by": "Por", "for_": "para", "source": "Fonte", "license": "Licença",
        "engine": "Motor de tradução", "latest": "Últimas notícias",
        "empty": "Ainda não há notícias.",
        "also": "Também noticiado por",
        "modified": "atualizada a",
        "updated_on": "Atualizada a {date}",
        "removed_note": "A fonte retirou esta notícia a {date}.",
        "retracted_note": "A fonte retratou-se desta notícia a {date}.",
        "withdrawn_title": "Notícia retirada",
        "withdrawn": "Esta notícia foi retirada pela sua fonte, {source}, a {date}.",
        "newer": "Mais recentes",
        "older": "Anteriores",
        "section": "Secção", "tag": "Etiqueta", "source_heading": "Notícias de {name}",
        "section_heading": "Secção: {name}", "tag_heading": "Etiqueta: {name}",
        "footer": "As notícias são republicadas com atribuição sob a licença de cada fonte.",
    },
}  # fmt: skip


# The about and not-found pages' text, by reader language (English when missing).
PAGES: dict[str, dict[str, str]] = {
    "en": {
        "about": "About",
        "about_title": "About this site",
        "about_policy": (
            "Every story here is republished from the source named on its page, "
            "under that source's license, with its attribution and a link to the "
            "original. It was translated automatically by the engine the page "
            "names, and checked automatically for changed numbers, names, "
            "negations, words left untranslated and promotional text; a story that "
            "fails a check is held for an editor and not published. A story an "
            "editor reviewed says so; any other says that no person edited it."
        ),
        "about_sources": "Sources and their licenses",
        "not_found_title": "Page not found",
        "not_found": "There is no page at this address. The latest stories:",
    },
    "es": {
        "about": "Acerca de",
        "about_title": "Acerca de este sitio",
        "about_policy": (
            "Cada noticia de este sitio se republica de la fuente que su página "
            "nombra, con la licencia de esa fuente, su atribución y un enlace al "
            "original. Se tradujo automáticamente con el motor que la página indica "
            "y se comprobó automáticamente en busca de cifras, nombres y negaciones "
            "cambiados, palabras sin traducir y texto promocional; una noticia que "
            "no supera una comprobación queda retenida para un editor y no se "
            "publica. Una noticia que revisó un editor lo dice; las demás dicen que "
            "ninguna persona la editó."
        ),
        "about_sources": "Fuentes y sus licencias",
        "not_found_title": "Página no encontrada",
        "not_found": "No hay ninguna página en esta dirección. Las últimas noticias:",
    },
    "ca": {
        "about": "Quant a",
        "about_title": "Quant a aquest lloc",
        "about_policy": (
            "Cada notícia d'aquest lloc es republica de la font que la seva pàgina "
            "anomena, amb la llicència d'aquesta font, la seva atribució i un "
            "enllaç a l'original. S'ha traduït automàticament amb el motor que la "
            "pàgina indica i s'ha comprovat automàticament si hi ha xifres, noms i "
            "negacions canviats, paraules sense traduir i text promocional; una "
            "notícia que no supera una comprovació queda retinguda per a un editor "
            "i no es publica. Una notícia que ha revisat un editor ho diu; les "
            "altres diuen que cap persona no l'ha editada."
        ),
        "about_sources": "Fonts i les seves llicències",
        "not_found_title": "Pàgina no trobada",
        "not_found": "No hi ha cap pàgina en aquesta adreça. Les últimes notícies:",
    },
    "fr": {
        "about": "À propos",
        "about_title": "À propos de ce site",
        "about_policy": (
            "Chaque article de ce site est republié depuis la source que sa page "
            "nomme, sous la licence de cette source, avec son attribution et un "
            "lien vers l'original. Il a été traduit automatiquement par le moteur "
            "que la page indique et vérifié automatiquement (chiffres, noms et "
            "négations modifiés, mots non traduits, texte promotionnel) ; un "
            "article qui échoue à une vérification est retenu pour un rédacteur et "
            "n'est pas publié. Un article relu par un rédacteur l'indique ; les "
            "autres indiquent que personne ne les a relus."
        ),
        "about_sources": "Sources et leurs licences",
        "not_found_title": "Page introuvable",
        "not_found": "Il n'y a aucune page à cette adresse. Les derniers articles :",
    },
    "pt": {
        "about": "Sobre",
        "about_title": "Sobre este site",
        "about_policy": (
            "Cada notícia deste site é republicada da fonte que a sua página "
            "nomeia, sob a licença dessa fonte, com a sua atribuição e uma ligação "
            "ao original. Foi traduzida automaticamente pelo motor que a página "
            "indica e verificada automaticamente quanto a números, nomes e negações "
            "alterados, palavras por traduzir e texto promocional; uma notícia que "
            "falha uma verificação fica retida para um editor e não é publicada. "
            "Uma notícia revista por um editor di-lo; as outras dizem que nenhuma "
            "pessoa a editou."
        ),
        "about_sources": "Fontes e as suas licenças",
        "not_found_title": "Página não encontrada",
        "not_found": "Não há nenhuma página neste endereço. As notícias mais recentes:",
    },
}


def language_name(code: str, reader: str) -> str:
    """The name of the language ``code`` in the reader's language, by CLDR ("inglés" for an
    "en" source read in Spanish); the code itself when CLDR has no name for it."""
    known = locale(reader) or locale("en")
    assert known is not None
    return str(known.languages.get(code.replace("-", "_"), code))


def strings_for(
    language: str, *, source_language: str = "", engine: str = "", reviewed: bool = False
) -> dict[str, str]:
    """The interface strings for readers of ``language``, with the notice filled in: that the
    story was translated automatically and not edited, or (``reviewed``) that an editor
    reviewed it."""
    table = STRINGS.get(language, STRINGS["en"]) | PAGES.get(language, PAGES["en"])
    notice = table["reviewed_notice" if reviewed else "notice"].format(
        source_language=language_name(source_language, language) if source_language else "",
        engine=engine,
    )
    return table | {"notice": notice}


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
