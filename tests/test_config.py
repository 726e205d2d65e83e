"""Credentials from the environment, and secrets files that others can read refused."""

import pytest

from console.config import ConfigError, Locations, load_config, venue_credentials


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


def test_missing_config_file_means_defaults(tmp_path):
    config = load_config(Locations(tmp_path, tmp_path))
    assert (config.venue, config.symbol, config.frame_rate) == ("binance", "BTCUSDT", 20.0)


def test_config_file_is_read_with_its_risk_limits(tmp_path):
    (tmp_path / "config.toml").write_text(
        'symbol = "ETHUSDT"\ntheme = "console-light"\n[risk]\nmax_notional = 1000\n'
        '[keys]\n"app.buy" = "ctrl+b"\n'
    )
    config = load_config(Locations(tmp_path, tmp_path))
    assert (config.symbol, config.theme, config.keys) == (
        "ETHUSDT",
        "console-light",
        {"app.buy": "ctrl+b"},
    )
    assert config.risk.max_notional == 1000


def test_unknown_config_key_names_the_file_and_the_key(tmp_path):
    (tmp_path / "config.toml").write_text('symbl = "ETHUSDT"\n')
    with pytest.raises(ConfigError, match=r"config\.toml: Object contains unknown field `symbl`"):
        load_config(Locations(tmp_path, tmp_path))


def test_frame_rate_out_of_range_is_refused(tmp_path):
    (tmp_path / "config.toml").write_text("frame_rate = 500\n")
    with pytest.raises(ConfigError, match="frame_rate must be between 1 and 60"):
        load_config(Locations(tmp_path, tmp_path))


def test_secrets_file_supplies_credentials_when_the_environment_does_not(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[binance]\napi_key = "k"\napi_secret = "s"\n')
    secrets.chmod(0o600)
    creds = venue_credentials("binance", {}, Locations(tmp_path, tmp_path))
    assert (creds.api_key, creds.secret) == ("k", "s")


def test_secrets_file_readable_by_others_is_refused(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[binance]\napi_key = "k"\napi_secret = "s"\n')
    secrets.chmod(0o640)
    with pytest.raises(ConfigError, match="chmod 600"):
        venue_credentials("binance", {}, Locations(tmp_path, tmp_path))
