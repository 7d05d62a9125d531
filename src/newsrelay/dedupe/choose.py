"""Which source of a story is translated and credited (setting ``dedupe.choose``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

# From most to least permissive; the first pattern a license text matches gives its rank.
LICENSES = [
    ("public domain", re.compile(r"\bcc0\b|public domain|dominio público|domaine public", re.I)),
    ("attribution", re.compile(r"\bcc[ -]by\b(?![ -](sa|nd|nc))", re.I)),
    ("share-alike", re.compile(r"\bcc[ -]by[ -]sa\b", re.I)),
    ("no-derivatives", re.compile(r"\bcc[ -]by[ -]nd\b", re.I)),
    ("non-commercial", re.compile(r"\bcc[ -]by[ -]nc\b", re.I)),
]


def license_rank(text: str) -> int:
    """0 for the most permissive license, larger for stricter ones, largest when unknown."""
    return next((i for i, (_, p) in enumerate(LICENSES) if p.search(text)), len(LICENSES))


def representative(
    members: Sequence[dict[str, Any]], choose: str, preferred: Sequence[str] = ()
) -> int:
    """The id of the member (dicts with ``id``, ``signed_at``, ``source``, ``license`` and
    ``republish``) that a story is translated from: among the members whose source may be
    republished (when any may), the earliest, the most preferred source, or the most permissive
    license; ties go to the earliest."""
    licensed = [m for m in members if m.get("republish", True)]
    members = licensed or members

    def order(member: dict[str, Any]) -> tuple[int, datetime, int]:
        first = (member["signed_at"], member["id"])
        if choose == "preferred":
            ranks = {name: i for i, name in enumerate(preferred)}
            return (ranks.get(member["source"], len(preferred)), *first)
        if choose == "license":
            return (license_rank(member["license"]), *first)
        return (0, *first)

    return int(min(members, key=order)["id"])
