"""Settings: the table, the layers and the error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsrelay.config import load_settings, render_config, settings_table
from newsrelay.errors import ConfigError
from newsrelay.model import Source


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsrelay.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_init_template_loads_back_to_the_defaults(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, render_config()), environ={})
    assert settings.site.languages == ["es"]
    assert settings.translate.engine == "apertium"
    assert settings.sources == ()  # the example source is commented out


def test_sources_round_trip(tmp_path: Path) -> None:
    source = Source(name="Wire", url="https://wire.test/feed", license="CC BY", republish=False)
    settings = load_settings(write(tmp_path, render_config([source])), environ={})
    assert settings.sources == (source,)


def test_layers_environment_over_file_and_command_line_over_both(tmp_path: Path) -> None:
    path = write(tmp_path, '[site]\ntitle = "From file"\nlanguages = ["fr"]\n')
    env = {"NEWSRELAY_SITE_TITLE": "From env", "NEWSRELAY_DATABASE_URL": "sqlite:///x.db"}
    settings = load_settings(path, environ=env, overrides={"site.languages": ["ca", "es"]})
    assert settings.site.title == "From env"
    assert settings.site.languages == ["ca", "es"]
    assert settings.store_url == "sqlite:///x.db"
    assert load_settings(path, environ={"NEWSRELAY_SITE_LANGUAGES": "ca, pt"}).site.languages == [
        "ca",
        "pt",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[site]\ntitle = "x\n', r"newsrelay.toml: not valid TOML: .*line 2"),
        ('[fetch]\ntimeout = "soon"\n', r"newsrelay.toml: fetch.timeout: expected a number"),
        ("[fetch]\nrobots = 3\n", r"fetch.robots: expected true or false"),
        ("[fetch]\nspeed = 3\n", r"unknown setting 'fetch.speed'"),
        ('[[sources]]\nname = "A"\n', r"sources\[0\]: 'url' is required"),
        ('[[sources]]\nname = "A"\nurl = "ftp://x"\n', r"sources\[0\].url: expected an http"),
        ('[[sources]]\nname = "A"\nurl = "http://x"\nlang = "en"\n', r"unknown key 'lang'"),
        ("[fetch]\nretries = -1\n", r"fetch.retries: expected a number of at least 0"),
    ],
)
def test_bad_files_name_the_file_the_key_and_what_is_expected(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), environ={})


def test_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"environment NEWSRELAY_FETCH_WORKERS: fetch\.workers"):
        load_settings(write(tmp_path, ""), environ={"NEWSRELAY_FETCH_WORKERS": "many"})


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in settings_table() if f"`{s.name}`" not in readme]
    assert not missing, f"settings missing from README.md: {missing}"
