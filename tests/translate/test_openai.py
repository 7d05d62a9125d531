"""The openai engine against a local server speaking the chat-completions and Ollama protocols:
every answer is aligned and verified, every failure mode ends as the README says."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmserver import LLMServer
from newsrelay.config import Settings, load_settings
from newsrelay.errors import EngineError, NotConfigured
from newsrelay.translate.llm import OpenAIEngine

SEGMENTS = [
    'The <a href="https://example.org/x">council</a> met on Tuesday.',
    "QX0Q said the bridge would open in May.",
    "Nobody was hurt.",
]


def fake_spanish(text: str) -> str:
    """A translator that keeps tags and placeholders, as a model should."""
    words = {"The": "El", "council": "consejo", "met": "se reunió", "on": "el",
             "Tuesday": "martes", "said": "dijo", "the": "el", "bridge": "puente",
             "would": "", "open": "abriría", "in": "en", "May": "mayo", "Nobody": "Nadie",
             "was": "resultó", "hurt": "herido"}  # fmt: skip
    return re.sub(r"\b[A-Za-z]+\b", lambda m: words.get(m.group(), m.group()), text)


EXPECTED = [fake_spanish(s) for s in SEGMENTS]


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    server = LLMServer(translate=fake_spanish)
    yield server
    server.close()


def engine_for(llm: LLMServer, tmp_path: Path, **settings: object) -> OpenAIEngine:
    overrides = {"translate.openai_url": llm.base + "/v1", "translate.openai_model": "tiny"}
    overrides |= {f"translate.{k}": v for k, v in settings.items()}
    if settings.get("openai_api") == "ollama":
        overrides["translate.openai_url"] = llm.base
    loaded: Settings = load_settings(tmp_path / "none.toml", environ={}, overrides=overrides)
    return OpenAIEngine(loaded)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"openai_format": "tagged"},
        {"openai_stream": True},
        {"openai_stream": True, "openai_format": "tagged"},
        {"openai_api": "ollama"},
        {"openai_api": "ollama", "openai_stream": True},
    ],
    ids=["json", "tagged", "stream", "stream-tagged", "ollama", "ollama-stream"],
)
def test_answers_come_back_aligned(llm: LLMServer, tmp_path: Path, options: dict) -> None:
    engine = engine_for(llm, tmp_path, **options)
    assert engine.translate(SEGMENTS, "en", "es") == EXPECTED
    tokens_in, tokens_out = engine.last_tokens()
    assert tokens_in > 0 and tokens_out > 0
    assert engine.last_scores() == [None, None, None]  # no log-probabilities asked for
    request = llm.requests[0]
    assert request["model"] == "tiny"
    if options.get("openai_api") != "ollama" and "openai_format" not in options:
        assert request["response_format"]["type"] == "json_schema"


@pytest.mark.parametrize("behaviour", ["think", "think_unclosed", "commentary"])
@pytest.mark.parametrize("tagged", [False, True])
def test_reasoning_and_commentary_are_taken_off(
    llm: LLMServer, tmp_path: Path, behaviour: str, tagged: bool
) -> None:
    engine = engine_for(llm, tmp_path, openai_format="tagged" if tagged else "json")
    llm.script = [behaviour]
    assert engine.translate(SEGMENTS, "en", "es") == EXPECTED


@pytest.mark.parametrize("behaviour", ["misaligned", "length", "context_length"])
def test_a_batch_that_does_not_match_or_fit_is_split(
    llm: LLMServer, tmp_path: Path, behaviour: str
) -> None:
    engine = engine_for(llm, tmp_path)
    llm.script = [behaviour]
    assert engine.translate(SEGMENTS, "en", "es") == EXPECTED
    assert len(llm.requests) == 3  # the batch, then its two halves
    assert [len(_segments(r)) for r in llm.requests] == [3, 1, 2]


def test_one_segment_that_never_matches_fails_and_is_never_guessed(
    llm: LLMServer, tmp_path: Path
) -> None:
    engine = engine_for(llm, tmp_path)
    llm.script = ["misaligned"] * 3
    with pytest.raises(EngineError) as caught:
        engine.translate(SEGMENTS[:1], "en", "es")
    assert caught.value.reason == "engine_misaligned"


def test_an_error_text_in_place_of_an_answer_is_no_translation(
    llm: LLMServer, tmp_path: Path
) -> None:
    engine = engine_for(llm, tmp_path)
    llm.script = ["error_text"] * 5
    with pytest.raises(EngineError) as caught:
        engine.translate(SEGMENTS, "en", "es")
    assert caught.value.reason == "engine_misaligned"


def test_a_refusal_is_asked_once_more_then_fails(llm: LLMServer, tmp_path: Path) -> None:
    engine = engine_for(llm, tmp_path)
    llm.script = ["refusal"]
    assert engine.translate(SEGMENTS, "en", "es") == EXPECTED
    llm.script = ["refusal", "refusal"]
    with pytest.raises(EngineError) as caught:
        engine.translate(SEGMENTS, "en", "es")
    assert caught.value.reason == "engine_refused"


@pytest.mark.parametrize("behaviour", ["rate_limited", "server_error"])
def test_429_and_5xx_are_retried(llm: LLMServer, tmp_path: Path, behaviour: str) -> None:
    engine = engine_for(llm, tmp_path)
    llm.script = [behaviour]
    assert engine.translate(SEGMENTS, "en", "es") == EXPECTED
    assert len(llm.requests) == 2


def test_a_refused_key_says_so(llm: LLMServer, tmp_path: Path) -> None:
    engine = engine_for(llm, tmp_path)
    llm.script = ["bad_key"]
    with pytest.raises(NotConfigured, match="refused the key"):
        engine.translate(SEGMENTS, "en", "es")


def test_a_lost_placeholder_or_link_is_misaligned(llm: LLMServer, tmp_path: Path) -> None:
    llm.translate = lambda text: re.sub(r"QX0Q|<[^>]+>", "", fake_spanish(text))
    engine = engine_for(llm, tmp_path)
    with pytest.raises(EngineError) as caught:
        engine.translate(SEGMENTS[:2], "en", "es")
    assert caught.value.reason == "engine_misaligned"


@pytest.mark.parametrize("stream", [False, True])
def test_log_probabilities_give_a_confidence_per_sentence(
    llm: LLMServer, tmp_path: Path, stream: bool
) -> None:
    llm.translate = lambda text: fake_spanish(text) + (" QUIZÁ" if "Nobody" in text else "")
    engine = engine_for(llm, tmp_path, openai_logprobs=True, openai_stream=stream)
    engine.translate(SEGMENTS, "en", "es")
    sure, named, unsure = engine.last_scores()
    assert sure is not None and sure > 0.9
    assert named is not None and named > 0.9
    assert unsure is not None and unsure < 0.6
    assert llm.requests[0]["logprobs"] is True


def test_the_prompt_can_be_replaced_per_pair(llm: LLMServer, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "en-es.txt").write_text("Translate {source_name} news into {target_name}.")
    engine = engine_for(llm, tmp_path, openai_prompts=str(prompts))
    before = engine.version("en", "es")
    engine.translate(SEGMENTS[:1], "en", "es")
    assert llm.requests[0]["messages"][0]["content"] == "Translate English news into Spanish."
    (prompts / "en-es.txt").write_text("Translate into {target_name}, carefully.")
    assert engine.version("en", "es") != before  # the memory translates anew


def test_missing_settings_say_so_at_start(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.toml", environ={})
    with pytest.raises(NotConfigured, match=r"translate\.openai_url"):
        OpenAIEngine(settings)


def _segments(request: dict) -> list[str]:
    user = request["messages"][-1]["content"]
    return json.loads(user[user.index('{"segments"') :])["segments"]


def test_an_azure_style_address_keeps_its_query_and_sends_api_key(
    llm: LLMServer, tmp_path: Path
) -> None:
    engine = engine_for(llm, tmp_path, openai_url=llm.base + "/openai/deployments/tiny?api-version=2024-06-01",
                        openai_key="k-123")  # fmt: skip
    assert engine.translate(SEGMENTS[:1], "en", "es") == EXPECTED[:1]
    assert llm.paths[-1] == "/openai/deployments/tiny/chat/completions?api-version=2024-06-01"
    assert llm.headers[-1].get("api-key") == "k-123" and "authorization" not in llm.headers[-1]
    bearer = engine_for(llm, tmp_path, openai_key="k-456")
    bearer.translate(SEGMENTS[:1], "en", "es")
    assert llm.headers[-1].get("authorization") == "Bearer k-456"
