"""Addresses of the licenses sources name, for the links that feeds and structured data carry."""

from __future__ import annotations

import re

CC_VERSIONS = ("1.0", "2.0", "2.5", "3.0", "4.0")
CC_KINDS = ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd")


def license_url(name: str) -> str | None:
    """The canonical address of a Creative Commons license or dedication named as sources write
    it ("CC BY 4.0", "CC-BY-SA-4.0", "CC0 1.0"), or of a license already given as a URL; ``None``
    for any other name, and for a Creative Commons name without its version (never guessed)."""
    text = name.strip()
    if re.fullmatch(r"https?://\S+", text):
        return text
    words = re.sub(r"[\s_]+", "-", text.lower()).replace("cc-0", "cc0")
    if re.fullmatch(r"cc0(-1\.0)?|cc0-public-domain(-dedication)?", words):
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    match = re.fullmatch(r"cc-((?:by)(?:-(?:nc|sa|nd))*)-(\d\.\d)(?:-international)?", words)
    if match is None or match.group(1) not in CC_KINDS:
        return None
    if match.group(2) not in CC_VERSIONS:
        return None
    return f"https://creativecommons.org/licenses/{match.group(1)}/{match.group(2)}/"
