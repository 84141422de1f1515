"""Settings: declared once, read from defaults, TOML and environment, documented in docs/configuration.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.config import SettingsError, declared_settings, load_settings, render_settings_fields

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_then_toml_then_environment(tmp_path: Path) -> None:
    toml = tmp_path / "newsdesk.toml"
    toml.write_text('database_url = "sqlite:///from-toml.db"\n[schedule]\nmin_interval = 120\n', encoding="utf-8")
    settings = load_settings(env={"NEWSDESK_SCHEDULE_MIN_INTERVAL": "60"}, config_file=toml)
    assert settings.database_url == "sqlite:///from-toml.db"
    assert settings.schedule_min_interval == 60
    assert settings.schedule_max_interval == 86400
    assert dict((n, o) for n, _, o in settings.describe())["database_url"] == str(toml)


def test_bad_values_and_unknown_keys_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="NEWSDESK_INGEST_PAGES_AHEAD"):
        load_settings(env={"NEWSDESK_INGEST_PAGES_AHEAD": "many"}, config_file=tmp_path / "none.toml")
    toml = tmp_path / "bad.toml"
    toml.write_text("no_such_setting = 1\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="no_such_setting"):
        load_settings(env={}, config_file=toml)


def test_lists_and_booleans_parse_from_strings(tmp_path: Path) -> None:
    env = {"NEWSDESK_FETCH_ALLOW_NETWORKS": "127.0.0.0/8, 10.0.0.0/8", "NEWSDESK_FETCH_RESPECT_ROBOTS": "no"}
    settings = load_settings(env=env, config_file=tmp_path / "none.toml")
    assert settings.fetch_allow_networks == ("127.0.0.0/8", "10.0.0.0/8")
    assert settings.fetch_respect_robots is False


def test_replace_refuses_unknown_names(tmp_path: Path) -> None:
    settings = load_settings(env={}, config_file=tmp_path / "none.toml")
    assert settings.replace(ingest_pages_ahead=1).ingest_pages_ahead == 1
    with pytest.raises(SettingsError):
        settings.replace(no_such_setting=1)


def test_every_setting_has_help_and_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for setting in declared_settings():
        assert len(setting.help) > 15, f"{setting.name} needs a help text saying why"
        assert f"`{setting.env}`" in doc, f"{setting.name} is not in docs/configuration.md: run scripts/settings_doc.py"


def test_the_typed_view_of_the_settings_is_current() -> None:
    """mypy types ``settings.name`` from newsdesk/settings_fields.py; it must say what the declarations say."""
    generated = (ROOT / "newsdesk" / "settings_fields.py").read_text(encoding="utf-8")
    assert generated == render_settings_fields(declared_settings()), "stale: run scripts/settings_doc.py"
