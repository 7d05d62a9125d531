"""Glossaries: terms with a forced translation, per language pair, applied by every engine.

Three formats, chosen by the file's extension:

- TOML, one table per pair::

      [en-es]
      "Security Council" = "Consejo de Seguridad"
      "Blue Harbour Times" = "Blue Harbour Times"   # kept as it is

- CSV with the header ``source,target,term,translation`` (language codes, then the two terms);
- TBX (TermBase eXchange): every ``termEntry`` gives a term for each of its languages, and so a
  forced translation for each ordered pair of them.

A term whose translation is itself is never translated. Terms match case-sensitively, whole.
"""

from __future__ import annotations

import csv
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import lxml.etree

from newsrelay.errors import ConfigError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Glossary:
    """Forced translations by (source, target) language pair."""

    pairs: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def terms(self, source: str, target: str) -> dict[str, str]:
        """Source term -> forced translation, for one pair."""
        return self.pairs.get((source, target), {})

    def __len__(self) -> int:
        return sum(len(terms) for terms in self.pairs.values())


def load_glossary(path: Path) -> Glossary:
    """Read a glossary file; raise ConfigError naming the file and what is wrong with it."""
    readers = {".toml": _read_toml, ".csv": _read_csv, ".tbx": _read_tbx}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise ConfigError(f"{path}: a glossary must be a .toml, .csv or .tbx file")
    try:
        pairs = reader(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the glossary: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, csv.Error, lxml.etree.XMLSyntaxError) as exc:
        raise ConfigError(f"{path}: not a valid glossary: {exc}") from None
    return Glossary({pair: dict(terms) for pair, terms in pairs.items()})


def _read_toml(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pairs: dict[tuple[str, str], dict[str, str]] = {}
    for name, table in data.items():
        source, _, target = name.partition("-")
        if not (source and target) or not isinstance(table, dict):
            raise ConfigError(f"{path}: [{name}] must be a table named after a pair, as [en-es]")
        for term, translation in table.items():
            if not isinstance(translation, str) or not translation.strip():
                raise ConfigError(f"{path}: [{name}] {term!r} needs a translation (a string)")
        pairs[(source, target)] = table
    return pairs


def _read_csv(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    pairs: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        wanted = ["source", "target", "term", "translation"]
        if reader.fieldnames != wanted:
            raise ConfigError(f"{path}: the first line must be {','.join(wanted)}")
        for number, row in enumerate(reader, start=2):
            if not all((row.get(key) or "").strip() for key in wanted):
                raise ConfigError(f"{path}: line {number}: every column needs a value")
            pairs[(row["source"].strip(), row["target"].strip())][row["term"].strip()] = row[
                "translation"
            ].strip()
    return pairs


def _read_tbx(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    tree = lxml.etree.parse(
        str(path), lxml.etree.XMLParser(resolve_entities=False, no_network=True)
    )
    pairs: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for entry in tree.iter("{*}termEntry", "termEntry"):
        terms: dict[str, str] = {}
        for lang_set in entry.iter("{*}langSet", "langSet"):
            language = (lang_set.get(XML_LANG) or "").split("-")[0].lower()
            term = next(lang_set.iter("{*}term", "term"), None)
            if language and term is not None and (term.text or "").strip():
                terms.setdefault(language, " ".join(term.text.split()))
        for source, term in terms.items():
            for target, translation in terms.items():
                if source != target:
                    pairs[(source, target)][term] = translation
    return pairs
