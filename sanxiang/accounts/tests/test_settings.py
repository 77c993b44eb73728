"""Settings are parsed strictly from the environment (STYLE.md, Settings)."""

import os
import subprocess
import sys

import pytest

from sanxiang.env import ConfigError, env_bool, env_int, env_list, persistent_secret


def test_a_malformed_boolean_is_an_error_not_false(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ConfigError, match="DEBUG"):
        env_bool("DEBUG", False)


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("1", True), ("off", False), ("NO", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not value) is value


def test_a_malformed_integer_is_an_error(monkeypatch):
    monkeypatch.setenv("X_INT", "30m")
    with pytest.raises(ConfigError, match="X_INT"):
        env_int("X_INT", 1)


def test_a_list_with_an_empty_item_is_an_error(monkeypatch):
    monkeypatch.setenv("X_LIST", "a,,b")
    with pytest.raises(ConfigError):
        env_list("X_LIST", [])


def test_the_embedded_secret_is_generated_once_and_kept(tmp_path):
    path = tmp_path / "secret_key"
    first = persistent_secret(path)
    assert len(first) > 40
    assert persistent_secret(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def _import_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECRET_KEY", "DATABASE_URL", "DEBUG", "SANXIANG_"))
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import sanxiang.settings"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = _import_settings(SANXIANG_PRODUCTION="true", SANXIANG_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_mode_refuses_debug(tmp_path):
    result = _import_settings(
        SANXIANG_PRODUCTION="true",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@h/db",
        DEBUG="true",
        SANXIANG_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_mode_starts_with_its_required_settings(tmp_path):
    key_file = tmp_path / "sm2_key"
    key_file.write_text("1" * 64 + "\n")  # the key file must exist: production generates none
    result = _import_settings(
        SANXIANG_PRODUCTION="true",
        SECRET_KEY="k3y-" + "0123456789abcdef" * 4,
        DATABASE_URL="postgres://u@h/db",
        ALLOWED_HOSTS="zhifa.example.gov.cn",
        SANXIANG_LEDGER_KEY_FILE=str(key_file),
        SANXIANG_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr


def test_production_mode_refuses_to_start_without_a_ledger_signing_key(tmp_path):
    result = _import_settings(
        SANXIANG_PRODUCTION="true",
        SECRET_KEY="k3y-" + "0123456789abcdef" * 4,
        DATABASE_URL="postgres://u@h/db",
        ALLOWED_HOSTS="zhifa.example.gov.cn",
        SANXIANG_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SANXIANG_LEDGER_KEY_FILE" in result.stderr
