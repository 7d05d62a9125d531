"""Translation through newsrelay against raw Apertium: quality, names, markup and speed.

Reports, in one run and side by side, raw ``apertium`` against newsrelay's own path
(``translate_batches`` with the Apertium engine, in batches as the pipeline sends them):

1. chrF (sacrebleu) on FLORES-200 devtest, for every pair the engine offers among the FLORES
   languages (pivot pairs included). Raw: one ``apertium -u MODE`` process over the whole text,
   one sentence a line (a pivot pair pipes the two modes, ``apertium -u A | apertium -u B``).
   newsrelay: articles of ``--paragraphs`` consecutive sentences, each sentence a ``<p>``.
2. On bench/data/names.jsonl (en->es, one article per sentence): the share of listed names found
   verbatim in the output text, and the share of the sentences with inline markup whose markup
   came back intact: the output parses (every tag closed, in order) and holds the same multiset
   of (ancestor tags, tag, attributes). The ``rel`` of a link is left out of the comparison: the
   sanitizer sets it on every link on purpose. Raw: one ``apertium -f html -u eng-spa`` process
   over all sentences, each in a ``<p>`` (as the engine sends an article).
3. Throughput in source words per wall second, en->es over the names corpus and the FLORES
   English sentences, best of ``--repeat`` runs: raw ``apertium`` in one process per text, raw
   ``apertium`` in one process per article (the same articles newsrelay gets), newsrelay's
   Apertium engine alone (every segment in one call), and newsrelay's whole path
   (``translate_batches``: segmentation, name finding, the engine, markup, sanitizing).
4. The cost of translating stories again after one paragraph of 12 changed, through the
   translation memory, as a share of their first translation (time and segments sent).
5. The same stories through the ``openai`` engine (``OpenAIEngine``) against the local model
   server of tests/llmserver.py (on 127.0.0.1; it translates each segment with Apertium and
   counts tokens as an OpenAI API does): requests and tokens (prompt + completion) per story,
   then, translated again with one paragraph changed, the share of the tokens not sent again
   thanks to the translation memory. ``--no-openai`` leaves it out.

    python bench/translation.py [--pairs en-es,en-pt] [--limit 200] [--json results.json]
    python bench/translation.py --no-openai        # without the openai engine (5.)
    python bench/translation.py --check-corpus     # validate bench/data/names.jsonl and stop
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

import lxml.etree
import lxml.html
from sacrebleu.metrics.chrf import CHRF

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from llmserver import LLMServer
from newsrelay.config import load_settings
from newsrelay.model import Article
from newsrelay.pipeline import BATCH_ARTICLES
from newsrelay.store import Store
from newsrelay.translate import Engine, translate_articles, translate_batches
from newsrelay.translate.apertium import ApertiumEngine
from newsrelay.translate.llm import OpenAIEngine

ROOT = Path(__file__).resolve().parent.parent
NAMES = ROOT / "bench" / "data" / "names.jsonl"
FLORES = ROOT / ".." / "shared" / "corpora" / "mt" / "flores200-devtest"
# ISO 639-1 codes newsrelay uses, by the ISO 639-3 code that opens a FLORES file name
# (eng_Latn.devtest); Apertium's modes use the same ISO 639-3 codes (eng-spa).
ISO1 = {
    "eng": "en", "spa": "es", "cat": "ca", "por": "pt", "fra": "fr", "deu": "de", "ita": "it",
    "glg": "gl", "oci": "oc", "eus": "eu", "ron": "ro", "rus": "ru", "ukr": "uk", "nld": "nl",
    "epo": "eo", "arg": "an", "ast": "ast", "swe": "sv", "dan": "da", "nob": "nb", "isl": "is",
    "bel": "be", "kaz": "kk", "tat": "tt", "mlt": "mt", "cym": "cy", "bre": "br", "srd": "sc",
    "hin": "hi", "urd": "ur", "ind": "id", "zsm": "ms",
}  # fmt: skip
ISO3 = {v: k for k, v in ISO1.items()}
MARKUP_TAGS = {"a", "em", "strong", "br"}  # what the names corpus may carry inline
VOID = {"br", "img", "hr", "wbr"}
_BLOCK = re.compile(r"<p>(.*?)</p>", re.S)
T = TypeVar("T")


# --- corpora ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    html: str  # inline HTML: text, <a href>, <em>, <strong>, <br>
    names: tuple[str, ...]  # what must come out verbatim in any translation


def text_of(html: str) -> str:
    """The text of an inline HTML fragment, a line break read as a space, whitespace collapsed."""
    tree = lxml.html.fragment_fromstring(html or " ", create_parent="div")
    for br in tree.iter("br"):
        br.tail = " " + (br.tail or "")
    return " ".join(tree.text_content().split())


def read_names_corpus(path: Path) -> list[Sentence]:
    """The names corpus, validated: one JSON object a line, every name in the sentence's text,
    markup well-formed (strict XML parse, attributes quoted) and limited to a, em, strong, br."""
    sentences, problems, seen = [], [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            html, names = item["html"], item["names"]
        except (ValueError, KeyError, TypeError) as error:
            problems.append(f"line {number}: not a {{html, names}} object ({error})")
            continue
        if not isinstance(html, str) or not all(isinstance(n, str) and n for n in names):
            problems.append(f"line {number}: html must be a string, names non-empty strings")
            continue
        try:
            root = lxml.etree.fromstring(f"<fragment>{html.replace('<br>', '<br/>')}</fragment>")
        except lxml.etree.XMLSyntaxError as error:
            problems.append(f"line {number}: markup not well-formed: {error}")
            continue
        if tags := {e.tag for e in root.iter()} - MARKUP_TAGS - {"fragment"}:
            problems.append(f"line {number}: unexpected tags {sorted(tags)}")
        if any("href" not in a.attrib for a in root.iter("a")):
            problems.append(f"line {number}: a link without href")
        text = text_of(html)
        problems += [f"line {number}: {n!r} not in the text" for n in names if n not in text]
        if html in seen:
            problems.append(f"line {number}: duplicate sentence")
        seen.add(html)
        sentences.append(Sentence(html, tuple(names)))
    if problems:
        raise ValueError(f"{path}: {len(problems)} problems:\n  " + "\n  ".join(problems))
    return sentences


def flores_files(folder: Path) -> dict[str, Path]:
    """FLORES devtest files by ISO 639-1 code, for the languages this bench can name."""
    found = {}
    for path in sorted(folder.glob("*.devtest")):
        code = ISO1.get(path.name.split("_")[0])
        if code:
            found[code] = path
    return found


def read_lines(path: Path, limit: int | None) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[:limit]


# --- the two paths ---------------------------------------------------------------------------


def apertium_modes() -> set[str]:
    listed = subprocess.run(["apertium", "-l"], capture_output=True, text=True, check=True)
    return set(listed.stdout.split())


def raw_chain(engine: Engine, source: str, target: str, modes: set[str]) -> list[str]:
    """The Apertium modes raw Apertium goes through for a pair: the pivot the engine uses."""
    direct = f"{ISO3.get(source, source)}-{ISO3.get(target, target)}"
    if direct in modes:
        return [direct]
    via = getattr(engine, "via", None)
    middle = via(source, target) if via else None
    pivots = [middle] if middle else sorted({m.split("-")[1] for m in modes if "_" not in m})
    for pivot in pivots:
        first = f"{ISO3.get(source, source)}-{ISO3.get(pivot, pivot)}"
        second = f"{ISO3.get(pivot, pivot)}-{ISO3.get(target, target)}"
        if first in modes and second in modes:
            return [first, second]
    raise SystemExit(f"no Apertium mode or pivot for {source}->{target}")


def run_apertium(chain: Sequence[str], text: str, *, html: bool = False) -> str:
    """Raw Apertium: one process per mode, piped as a shell pipeline."""
    options = ["-f", "html", "-u"] if html else ["-u"]
    pipeline = " | ".join(shlex.join(["apertium", *options, mode]) for mode in chain)
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", pipeline],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{pipeline}: exit {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def raw_lines(chain: Sequence[str], lines: Sequence[str]) -> list[str]:
    """Raw Apertium over plain text, one sentence a line in and out."""
    output = run_apertium(chain, "\n".join(lines) + "\n").removesuffix("\n").split("\n")
    if len(output) != len(lines):
        raise SystemExit(f"{' | '.join(chain)}: {len(lines)} lines in, {len(output)} out")
    return [line.strip() for line in output]


def raw_blocks(chain: Sequence[str], fragments: Sequence[str]) -> list[str]:
    """Raw Apertium over HTML, each fragment in its own <p>, as one document."""
    document = "\n".join(f"<p>{fragment}</p>" for fragment in fragments)
    blocks = _BLOCK.findall(run_apertium(chain, document, html=True))
    if len(blocks) != len(fragments):
        raise SystemExit(f"{' | '.join(chain)}: {len(fragments)} blocks in, {len(blocks)} out")
    return [" ".join(block.split()) for block in blocks]


def as_article(fragments: Sequence[str]) -> Article:
    return Article(title="", body_html="".join(f"<p>{f}</p>" for f in fragments))


def newsrelay_blocks(
    engine: Engine, source: str, target: str, articles: Sequence[Sequence[str]]
) -> tuple[list[str], int]:
    """newsrelay's path, as the pipeline takes it: ``translate_batches`` on batches of
    ``BATCH_ARTICLES`` articles; the inner HTML of each translated <p>, and how many articles
    failed (their paragraphs come back empty)."""
    out: list[str] = []
    failed = 0
    batches = chunks(articles, BATCH_ARTICLES)
    results = translate_batches(engine, [[as_article(a) for a in b] for b in batches], source,
                                target)  # fmt: skip
    for batch, (_, translations) in zip(batches, results, strict=True):
        if not isinstance(translations, list):
            failed += len(batch)
            out += [""] * sum(len(a) for a in batch)
            continue
        for fragments, translation in zip(batch, translations, strict=True):
            tree = lxml.html.fragment_fromstring(translation.body_html or "<p></p>",
                                                 create_parent="div")  # fmt: skip
            blocks = [_inner_html(p) for p in tree.iter("p")]
            if len(blocks) != len(fragments):
                failed += 1
                blocks = [""] * len(fragments)
            out += blocks
    return out, failed


def _inner_html(element: Any) -> str:
    inner = escape(element.text or "", quote=False)
    inner += "".join(lxml.html.tostring(child, encoding="unicode") for child in element)
    return " ".join(inner.split())


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


# --- 1. chrF on FLORES -----------------------------------------------------------------------


@dataclass
class PairScore:
    pair: str
    via: str | None
    sentences: int
    raw: float
    newsrelay: float
    failed_articles: int

    @property
    def diff(self) -> float:
        return self.newsrelay - self.raw


def flores_scores(
    engine: Engine,
    pairs: Sequence[tuple[str, str]],
    files: dict[str, Path],
    limit: int | None,
    paragraphs: int,
) -> list[PairScore]:
    modes = apertium_modes()

    def score(pair: tuple[str, str]) -> PairScore:
        source, target = pair
        sources = read_lines(files[source], limit)
        references = read_lines(files[target], limit)
        chain = raw_chain(engine, source, target, modes)
        raw = raw_lines(chain, sources)
        articles = chunks([escape(s, quote=False) for s in sources], paragraphs)
        blocks, failed = newsrelay_blocks(engine, source, target, articles)
        ours = [text_of(b) for b in blocks]
        chrf = CHRF()
        return PairScore(
            pair=f"{source}->{target}",
            via=ISO1.get(chain[0].split("-")[1]) if len(chain) == 2 else None,
            sentences=len(sources),
            raw=chrf.corpus_score(raw, [references]).score,
            newsrelay=chrf.corpus_score(ours, [references]).score,
            failed_articles=failed,
        )

    return [score(pair) for pair in pairs]


# --- 2. names and markup ---------------------------------------------------------------------


class _Markup(HTMLParser):
    """Elements of an inline fragment as (ancestor tags, tag, attributes); strict nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.elements: Counter[tuple[tuple[str, ...], str, tuple[tuple[str, str], ...]]] = Counter()
        self.broken = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = sorted((k, v or "") for k, v in attrs if not (tag == "a" and k == "rel"))
        self.elements[(tuple(self.open), tag, tuple(kept))] += 1
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.broken = True


def markup_of(html: str) -> Counter[Any] | None:
    """The elements of an inline fragment, or None when it does not parse strictly."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return None if parser.broken or parser.open else parser.elements


@dataclass
class PathNames:
    names_found: int
    markup_intact: int
    lost: list[str] = field(default_factory=list)  # "name | output text", for --examples
    broken: list[str] = field(default_factory=list)  # "source -> output"


@dataclass
class NamesResult:
    sentences: int
    names: int
    with_markup: int
    raw: PathNames
    newsrelay: PathNames
    failed_articles: int


def names_result(engine: Engine, corpus: Sequence[Sentence]) -> NamesResult:
    fragments = [s.html for s in corpus]
    raw = raw_blocks(["eng-spa"], fragments)
    ours, failed = newsrelay_blocks(engine, "en", "es", [[f] for f in fragments])
    marked = [i for i, s in enumerate(corpus) if markup_of(s.html)]
    return NamesResult(
        sentences=len(corpus),
        names=sum(len(s.names) for s in corpus),
        with_markup=len(marked),
        raw=_score_path(corpus, raw, marked),
        newsrelay=_score_path(corpus, ours, marked),
        failed_articles=failed,
    )


def _score_path(corpus: Sequence[Sentence], outputs: Sequence[str], marked: list[int]) -> PathNames:
    scored = PathNames(0, 0)
    for sentence, output in zip(corpus, outputs, strict=True):
        text = text_of(output)
        for name in sentence.names:
            if name in text:
                scored.names_found += 1
            else:
                scored.lost.append(f"{name} | {text}")
    for i in marked:
        if markup_of(outputs[i]) == markup_of(corpus[i].html):
            scored.markup_intact += 1
        else:
            scored.broken.append(f"{corpus[i].html}\n      -> {outputs[i]}")
    return scored


# --- 3. throughput ---------------------------------------------------------------------------


@dataclass
class Throughput:
    words: int
    articles: int
    repeat: int
    raw_seconds: float  # one process per text
    raw_per_article_seconds: float  # one process per article
    engine_seconds: float  # newsrelay's Apertium engine alone, all segments in one call
    newsrelay_seconds: float

    def rate(self, seconds: float) -> float:
        return self.words / seconds if seconds else 0.0


def throughput(
    engine: Engine,
    corpus: Sequence[Sentence],
    flores_en: Sequence[str],
    paragraphs: int,
    repeat: int,
) -> Throughput:
    html_sentences = [s.html for s in corpus]
    escaped = [escape(s, quote=False) for s in flores_en]
    articles = chunks(html_sentences, paragraphs) + chunks(escaped, paragraphs)
    words = sum(len(text_of(s).split()) for s in html_sentences)
    words += sum(len(s.split()) for s in flores_en)

    def raw_whole() -> None:
        raw_blocks(["eng-spa"], html_sentences)
        if flores_en:
            raw_lines(["eng-spa"], flores_en)

    def raw_per_article() -> None:
        for fragments in articles:
            raw_blocks(["eng-spa"], fragments)

    segments = [fragment for article in articles for fragment in article]

    def engine_alone() -> None:
        engine.translate(segments, "en", "es")

    def ours() -> None:
        newsrelay_blocks(engine, "en", "es", articles)

    return Throughput(
        words=words,
        articles=len(articles),
        repeat=repeat,
        raw_seconds=_best(raw_whole, repeat),
        raw_per_article_seconds=_best(raw_per_article, repeat),
        engine_seconds=_best(engine_alone, repeat),
        newsrelay_seconds=_best(ours, repeat),
    )


def _best(work: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


# --- 4. retranslation cost ------------------------------------------------------------------


class Counting:
    """An engine that counts the segments it is given and the seconds it takes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.name, self.accepts_markup = engine.name, engine.accepts_markup
        self.segments = 0

    def pairs(self) -> set[tuple[str, str]]:
        return self.engine.pairs()

    def version(self, source: str, target: str) -> str:
        return str(getattr(self.engine, "version")(source, target))  # noqa: B009

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        self.segments += len(segments)
        return self.engine.translate(segments, source, target)


def story_texts(flores_en: Sequence[str], stories: int) -> tuple[list[list[str]], list[list[str]]]:
    """Stories of 12 paragraphs (FLORES English, 2 sentences a paragraph), and the same stories
    with one paragraph changed (its first sentence)."""
    paragraphs = [" ".join(flores_en[i : i + 2]) for i in range(0, len(flores_en) - 1, 2)]
    originals = [paragraphs[i : i + 12] for i in range(0, 12 * stories, 12)]
    edited = [[*story[:5], story[5].replace(".", ", they said.", 1), *story[6:]]
              for story in originals]  # fmt: skip
    return originals, edited


def story_article(story: Sequence[str]) -> Article:
    return Article(title="Story", body_html="".join(f"<p>{escape(p)}</p>" for p in story))


def retranslation_cost(engine: Engine, flores_en: Sequence[str], stories: int) -> dict[str, Any]:
    """Translate stories of 12 paragraphs (FLORES English, 2 sentences a paragraph) through the
    translation memory, then each again with one paragraph changed: seconds and segments sent,
    the second pass as a share of the first."""
    originals, edited = story_texts(flores_en, stories)
    counting = Counting(engine)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{folder}/memory.db")
        try:
            costs = []
            for texts in (originals, edited):
                counting.segments = 0
                started = time.perf_counter()
                for story in texts:
                    translate_articles(counting, [story_article(story)], "en", "es", memory=store)
                costs.append((time.perf_counter() - started, counting.segments))
        finally:
            store.close()
    (first, sent_first), (again, sent_again) = costs
    return {
        "stories": len(originals),
        "paragraphs_per_story": 12,
        "first_seconds": first,
        "first_segments": sent_first,
        "again_seconds": again,
        "again_segments": sent_again,
        "time_share": again / first,
        "segment_share": sent_again / sent_first,
    }


# --- 5. the openai engine ------------------------------------------------------------------


def openai_cost(flores_en: Sequence[str], stories: int) -> dict[str, Any]:
    """The stories of 4. through ``OpenAIEngine`` and the local model server (127.0.0.1), one
    story a call with the translation memory, then again with one paragraph changed: requests,
    segments and tokens (prompt + completion, as the API counted them) of each pass."""
    originals, edited = story_texts(flores_en, stories)
    server = LLMServer()
    try:
        with tempfile.TemporaryDirectory() as folder:
            settings = load_settings(
                Path(folder) / "none.toml",
                environ={},
                overrides={"translate.openai_url": server.base + "/v1",
                           "translate.openai_model": "bench"},
            )  # fmt: skip
            engine = OpenAIEngine(settings)
            store = Store.open(f"sqlite:///{folder}/bench.db")
            try:
                passes = [_openai_pass(engine, server, store, texts)
                          for texts in (originals, edited)]  # fmt: skip
            finally:
                store.close()
                engine.client.close()
    finally:
        server.close()
    first, again = passes
    return {
        "stories": len(originals),
        "paragraphs_per_story": 12,
        "first": first,
        "again": again,
        "tokens_not_resent": 1 - again["tokens"] / first["tokens"] if first["tokens"] else 0.0,
    }


def _openai_pass(
    engine: OpenAIEngine, server: LLMServer, store: Store, texts: Sequence[Sequence[str]]
) -> dict[str, Any]:
    """One pass over the stories, one ``translate_articles`` call a story: what it cost."""
    requests = segments = tokens_in = tokens_out = 0
    started = time.perf_counter()
    for story in texts:
        asked, seen = len(server.requests), len(server.segments_seen)
        translate_articles(engine, [story_article(story)], "en", "es", memory=store)
        if len(server.requests) > asked:  # last_tokens() is the last call's, when one was made
            prompt, completion = engine.last_tokens()
            tokens_in, tokens_out = tokens_in + prompt, tokens_out + completion
        requests += len(server.requests) - asked
        segments += len(server.segments_seen) - seen
    return {
        "seconds": time.perf_counter() - started,
        "requests": requests,
        "segments": segments,
        "prompt_tokens": tokens_in,
        "completion_tokens": tokens_out,
        "tokens": tokens_in + tokens_out,
    }


# --- report ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flores", type=Path, default=FLORES, help="FLORES-200 devtest folder")
    parser.add_argument("--names", type=Path, default=NAMES, help="names corpus (JSON lines)")
    parser.add_argument("--pairs", help="restrict to these pairs, e.g. en-es,en-pt")
    parser.add_argument("--limit", type=int, help="FLORES sentences per pair (default: all)")
    parser.add_argument("--paragraphs", type=int, default=10, help="sentences per article")
    parser.add_argument("--repeat", type=int, default=3, help="throughput: best of N runs")
    parser.add_argument("--examples", type=int, default=0, help="show N lost names, broken markup")
    parser.add_argument("--stories", type=int, default=20, help="retranslation: stories")
    parser.add_argument("--no-openai", action="store_true", help="skip the openai engine (5.)")
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--check-corpus", action="store_true", help="validate the names corpus")
    args = parser.parse_args()

    try:
        corpus = read_names_corpus(args.names)
    except (OSError, ValueError) as error:
        raise SystemExit(str(error)) from None
    if args.check_corpus:
        listed = sum(len(s.names) for s in corpus)
        marked = sum(1 for s in corpus if markup_of(s.html))
        print(f"{args.names}: {len(corpus)} sentences, {listed} names, {marked} with markup: ok")
        return
    if shutil.which("apertium") is None:
        raise SystemExit("apertium is not installed")
    engine = ApertiumEngine()
    offered = engine.pairs()
    files = flores_files(args.flores) if args.flores.is_dir() else {}
    pairs = sorted((s, t) for s, t in offered if s in files and t in files)
    if args.pairs:
        wanted = {tuple(p.strip().replace("->", "-").split("-")) for p in args.pairs.split(",")}
        pairs = [p for p in pairs if p in wanted]

    try:
        flores = flores_scores(engine, pairs, files, args.limit, args.paragraphs)
        names = names_result(engine, corpus)
        flores_en = read_lines(files["en"], args.limit) if "en" in files else []
        speed = throughput(engine, corpus, flores_en, args.paragraphs, args.repeat)
        retranslation = retranslation_cost(engine, read_lines(files["en"], None), args.stories)
    finally:
        if close := getattr(engine, "close", None):  # engines that keep pipelines running
            close()
    llm = None if args.no_openai else openai_cost(read_lines(files["en"], None), args.stories)

    for line in report(args, files, flores, names, speed, retranslation, llm):
        print(line)
    if args.json:
        results = {
            "flores": {
                "folder": str(args.flores.resolve()),
                "limit": args.limit,
                "paragraphs_per_article": args.paragraphs,
                "pairs": [asdict(s) | {"diff": s.diff} for s in flores],
            },
            "names": {
                "corpus": str(args.names),
                "sentences": names.sentences,
                "names": names.names,
                "sentences_with_markup": names.with_markup,
                "failed_articles": names.failed_articles,
                "raw": {"names_found": names.raw.names_found,
                        "markup_intact": names.raw.markup_intact},
                "newsrelay": {"names_found": names.newsrelay.names_found,
                              "markup_intact": names.newsrelay.markup_intact},
            },
            "throughput": asdict(speed) | {
                "raw_words_per_second": speed.rate(speed.raw_seconds),
                "raw_per_article_words_per_second": speed.rate(speed.raw_per_article_seconds),
                "newsrelay_words_per_second": speed.rate(speed.newsrelay_seconds),
                "engine_rate_share_of_raw": speed.raw_seconds / speed.engine_seconds,
                "rate_share_of_raw": speed.raw_seconds / speed.newsrelay_seconds,
                "rate_share_of_raw_per_article": (
                    speed.raw_per_article_seconds / speed.newsrelay_seconds
                ),
            },
            "retranslation": retranslation,
            "openai": llm,
        }  # fmt: skip
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def report(
    args: argparse.Namespace,
    files: dict[str, Path],
    flores: Sequence[PairScore],
    names: NamesResult,
    speed: Throughput,
    retranslation: dict[str, Any],
    llm: dict[str, Any] | None = None,
) -> Iterator[str]:
    if not files:
        yield f"FLORES-200: no devtest files in {args.flores}; chrF not measured"
    elif flores:
        count = flores[0].sentences
        yield (
            f"FLORES-200 devtest chrF ({count} sentences a pair; raw: apertium -u, one process; "
            f"newsrelay: articles of {args.paragraphs} paragraphs)"
        )
        yield "  pair     via    raw  newsrelay    diff"
        for s in flores:
            failed = f"  ({s.failed_articles} articles failed)" if s.failed_articles else ""
            yield (
                f"  {s.pair:<8} {s.via or '-':<3} {s.raw:6.2f} {s.newsrelay:10.2f} "
                f"{s.diff:+7.2f}{failed}"
            )
        mean_raw = sum(s.raw for s in flores) / len(flores)
        mean_ours = sum(s.newsrelay for s in flores) / len(flores)
        yield f"  {'mean':<12} {mean_raw:6.2f} {mean_ours:10.2f} {mean_ours - mean_raw:+7.2f}"
    else:
        yield "FLORES-200: no pair to score"

    def share(part: int, whole: int) -> str:
        return f"{part / whole:6.1%} ({part}/{whole})" if whole else "-"

    yield ""
    yield (
        f"names corpus en->es ({names.sentences} sentences, {names.names} names, "
        f"{names.with_markup} with markup; newsrelay: one article per sentence)"
    )
    yield f"  {'':<16} {'raw apertium':<22} newsrelay"
    raw, ours = names.raw, names.newsrelay
    yield (
        f"  {'names verbatim':<16} {share(raw.names_found, names.names):<22} "
        f"{share(ours.names_found, names.names)}"
    )
    yield (
        f"  {'markup intact':<16} {share(raw.markup_intact, names.with_markup):<22} "
        f"{share(ours.markup_intact, names.with_markup)}"
    )
    if names.failed_articles:
        yield f"  newsrelay: {names.failed_articles} articles failed"
    for label, path in (("raw", raw), ("newsrelay", ours)):
        if args.examples:
            yield f"  {label}: names lost (name | output), first {args.examples}:"
            yield from (f"    {line}" for line in path.lost[: args.examples])
            yield f"  {label}: markup broken, first {args.examples}:"
            yield from (f"    {line}" for line in path.broken[: args.examples])

    yield ""
    yield (
        f"throughput en->es ({speed.words:,} source words: names corpus + FLORES English, "
        f"{speed.articles} articles; best of {speed.repeat})"
    )
    rows = (
        ("raw apertium, one process per text", speed.raw_seconds),
        ("raw apertium, one process per article", speed.raw_per_article_seconds),
        ("newsrelay's apertium engine, one call", speed.engine_seconds),
        ("newsrelay translate_batches (all of it)", speed.newsrelay_seconds),
    )
    for label, seconds in rows:
        yield f"  {label:<40} {seconds:7.2f} s {speed.rate(seconds):9,.0f} words/s"
    yield (
        f"  as a share of raw's rate: the engine {speed.raw_seconds / speed.engine_seconds:.2f}, "
        f"translate_batches {speed.raw_seconds / speed.newsrelay_seconds:.2f} (and "
        f"{speed.raw_per_article_seconds / speed.newsrelay_seconds:.2f} of raw with one process "
        "per article)"
    )
    yield ""
    r = retranslation
    yield (f"retranslation with the memory, one paragraph of 12 changed ({r['stories']} stories)")
    yield f"  first translation   {r['first_seconds']:6.2f} s {r['first_segments']:6} segments"
    yield f"  again, one changed  {r['again_seconds']:6.2f} s {r['again_segments']:6} segments"
    yield (f"  share of the first: {r['time_share']:.3f} of the time, "
           f"{r['segment_share']:.3f} of the segments")  # fmt: skip
    if llm is None:
        return
    yield ""
    first, again = llm["first"], llm["again"]
    n = llm["stories"]
    yield (
        f"openai engine, local model server on 127.0.0.1 (Apertium behind it), one story a call "
        f"with the memory ({n} stories of 12 paragraphs)"
    )
    for label, cost in (("first translation", first), ("again, one changed", again)):
        yield (
            f"  {label:<19} {cost['seconds']:6.2f} s {cost['requests']:4} requests "
            f"({cost['requests'] / n:.2f} a story) {cost['segments']:5} segments "
            f"{cost['tokens']:7,} tokens ({cost['tokens'] / n:,.0f} a story: "
            f"{cost['prompt_tokens'] / n:,.0f} prompt + {cost['completion_tokens'] / n:,.0f} "
            "completion)"
        )
    yield (
        f"  tokens not sent again thanks to the memory: {llm['tokens_not_resent']:.1%} "
        f"({again['tokens']:,} of {first['tokens']:,} sent again; target >= 80%)"
    )


if __name__ == "__main__":
    main()
