"""Credentials from the environment, and secrets files that others can read refused."""

import pytest

from console.config import ConfigError, venue_credentials


def test_no_key_means_no_credentials():
    assert venue_credentials("binance", {}) is None


def test_hmac_key_and_secret():
    creds = venue_credentials("binance", {"BINANCE_API_KEY": "k", "BINANCE_API_SECRET": "s"})
    assert (creds.api_key, creds.secret, creds.ed25519_key_file) == ("k", "s", None)


def test_key_without_secret_or_key_file_is_refused():
    with pytest.raises(ConfigError, match="neither BINANCE_API_SECRET"):
        venue_credentials("binance", {"BINANCE_API_KEY": "k"})


def test_key_file_readable_by_others_is_refused_with_the_fix(tmp_path):
    key = tmp_path / "binance.pem"
    key.write_text("private")
    key.chmod(0o644)
    with pytest.raises(ConfigError, match=f"run: chmod 600 {key}"):
        venue_credentials("binance", {"BINANCE_API_KEY": "k", "BINANCE_ED25519_KEY_FILE": str(key)})


def test_private_key_file_is_accepted(tmp_path):
    key = tmp_path / "binance.pem"
    key.write_text("private")
    key.chmod(0o600)
    creds = venue_credentials(
        "binance", {"BINANCE_API_KEY": "k", "BINANCE_ED25519_KEY_FILE": str(key)}
    )
    assert creds.ed25519_key_file == key


def test_credentials_repr_hides_the_secret():
    creds = venue_credentials(
        "binance", {"BINANCE_API_KEY": "abcdefghij", "BINANCE_API_SECRET": "topsecret"}
    )
    assert "topsecret" not in repr(creds)
