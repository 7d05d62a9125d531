"""Rights: what a source states about the reuse of its stories, and whether that agrees with
the license the publisher configured for it.

A feed states it in its ``copyright`` or ``rights`` element, a page in a license link
(``rel="license"``), its JSON-LD ``license`` or ``copyrightNotice``, or a ``copyright`` /
``dcterms.rights`` meta tag. The words are kept as they are (shown by ``newsrelay sources list``
and on the finding); for the comparison both sides are read as one of the licenses news is
shared under: a Creative Commons license (by its elements and version), CC0, the public domain,
or "all rights reserved".

A mismatch is a ``rights`` finding on the story's translation: the configured license is open
(Creative Commons, CC0, public domain) and the source states another one, or reserves all
rights. A plain copyright notice ("© 2026 The Gazette") does not contradict a license (a
licensed work is still copyrighted), and a configured license newsrelay cannot read (a
syndication agreement) is never contradicted.
"""

from __future__ import annotations

import re

from newsrelay.model import Finding

__all__ = ["RESERVED", "license_of", "rights_findings"]

RESERVED = "all-rights-reserved"
_CC_URL = re.compile(
    r"creativecommons\.org/(?:licenses/(?P<elements>[a-z-]+)(?:/(?P<version>\d\.\d))?"
    r"|publicdomain/(?P<pd>zero|mark))",
    re.I,
)
_CC_CODE = re.compile(
    r"\bCC[\s-]?(?P<elements>(?:BY|NC|SA|ND)(?:[\s-](?:BY|NC|SA|ND))*)\b(?:[\s-]*(?P<version>\d\.\d))?",
    re.I,
)
_CC_WORDS = re.compile(
    r"creative\s+commons\s+(?P<words>(?:attribution|non-?commercial|share-?alike|no-?deriv\w*)"
    r"(?:[\s,-]+(?:attribution|non-?commercial|share-?alike|no-?deriv\w*))*)"
    r"(?:\s+(?P<version>\d\.\d))?",
    re.I,
)
_WORD_ELEMENT = {"attribution": "by", "noncommercial": "nc", "sharealike": "sa", "noderiv": "nd"}
_ZERO = re.compile(r"\bCC[\s-]?0\b|\bCC[\s-]?zero\b", re.I)
_PUBLIC_DOMAIN = re.compile(r"\bpublic\s+domain\b|\bdominio\s+p[uú]blico\b|\bdomaine\s+public\b",
                            re.I)  # fmt: skip
# "All rights reserved" in the languages of the sources newsrelay reads most
_RESERVED = re.compile(
    r"all\s+rights\s+reserved|todos\s+los\s+derechos\s+reservados|tous\s+droits\s+réservés|"
    r"alle\s+rechte\s+vorbehalten|todos\s+os\s+direitos\s+reservados|tots\s+els\s+drets\s+reservats|"
    r"tutti\s+i\s+diritti\s+riservati|все\s+права\s+защищены|усі\s+права\s+захищені",
    re.I,
)
_ORDER = ("by", "nc", "nd", "sa")


def license_of(text: str | None) -> str | None:
    """The license ``text`` names, as an identifier ("cc-by-sa-4.0", "cc-by", "cc0",
    "public-domain", or ``RESERVED``); None when it names none newsrelay knows."""
    if not text:
        return None
    if match := _CC_URL.search(text):
        if match.group("pd"):
            return "cc0" if match.group("pd").lower() == "zero" else "public-domain"
        return _cc(match.group("elements").split("-"), match.group("version"))
    if _ZERO.search(text):
        return "cc0"
    if match := _CC_CODE.search(text):
        return _cc(re.split(r"[\s-]", match.group("elements")), match.group("version"))
    if match := _CC_WORDS.search(text):
        words = re.split(r"[\s,]+|-(?=[a-z]{4})", match.group("words").lower())
        elements = [e for w in words for k, e in _WORD_ELEMENT.items()
                    if w.replace("-", "").startswith(k)]  # fmt: skip
        return _cc(elements, match.group("version"))
    if _PUBLIC_DOMAIN.search(text):
        return "public-domain"
    if _RESERVED.search(text):
        return RESERVED
    return None


def _cc(elements: list[str], version: str | None) -> str | None:
    found = {e.lower() for e in elements if e}
    if not found or not found <= set(_ORDER):
        return None
    found.add("by")  # every Creative Commons license but CC0 asks for attribution
    name = "cc-" + "-".join(e for e in _ORDER if e in found)
    return f"{name}-{version}" if version else name


def _open(license_id: str) -> bool:
    return license_id.startswith("cc") or license_id == "public-domain"


def _agree(configured: str, stated: str) -> bool:
    """Whether two licenses are the same; a version on one side only is no disagreement
    ("CC BY-SA" and cc-by-sa-4.0 agree)."""
    if stated == RESERVED:
        return False
    (ours, our_version), (theirs, their_version) = _parts(configured), _parts(stated)
    return ours == theirs and (not our_version or not their_version or our_version == their_version)


def _parts(license_id: str) -> tuple[str, str]:
    match = re.fullmatch(r"(.*)-(\d\.\d)", license_id)
    return (match.group(1), match.group(2)) if match else (license_id, "")


def rights_findings(configured: str, stated: dict[str, str | None]) -> list[Finding]:
    """A ``rights`` finding for each statement (by where it was found: "feed", "page") that
    contradicts the configured license."""
    ours = license_of(configured)
    if ours is None or not _open(ours):
        return []
    findings = []
    for where, text in stated.items():
        theirs = license_of(text)
        if theirs is not None and not _agree(ours, theirs):
            findings.append(Finding(
                "rights", "warning",
                f"the source's {where} states {text!r}, which does not agree with the "
                f"configured license {configured!r}; check the rights before publishing",
                source=text,
            ))  # fmt: skip
    return findings
