"""Credentials from the environment, and secrets files that others can read refused."""

import pytest

from console.cli import main
from console.config import (
    Config,
    ConfigError,
    Grade,
    Locations,
    VenueSettings,
    config_problems,
    for_venue,
    load_config,
    traded,
)
from console.config import venue_credentials as read_credentials
from console.venues.registry import VENUES


def venue_credentials(venue, environ, locations=None, env_name="production"):
    """The venue's credentials, read for the fields its entry lists."""
    return read_credentials(venue, environ, locations, env_name, VENUES[venue].key_fields)


def test_no_key_means_no_credentials():
    assert venue_credentials("binance", {}) is None


def test_hmac_key_and_secret():
    creds = venue_credentials("binance", {"BINANCE_API_KEY": "k", "BINANCE_API_SECRET": "s"})
    assert creds.fields == {"API_KEY": "k", "API_SECRET": "s"}


def test_key_without_secret_or_key_file_is_refused():
    with pytest.raises(ConfigError, match="without BINANCE_API_SECRET or BINANCE_ED25519_KEY_FILE"):
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
    assert creds.get("ED25519_KEY_FILE") == str(key)


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


def test_paper_trading_on_the_live_market_and_its_balances_are_read(tmp_path):
    (tmp_path / "config.toml").write_text('paper = "local"\n[paper_account]\nUSDT = 2500\n')
    config = load_config(Locations(tmp_path, tmp_path))
    assert (config.paper, config.paper_account) == ("local", {"USDT": 2500})


def test_unknown_config_key_names_the_file_and_the_key(tmp_path):
    (tmp_path / "config.toml").write_text('symbl = "ETHUSDT"\n')
    with pytest.raises(ConfigError, match=r"config\.toml: Object contains unknown field `symbl`"):
        load_config(Locations(tmp_path, tmp_path))


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("frame_rate = 500", "frame_rate = 500.0: a number of frames a second from 1 to 60"),
        ('size_presets = ["abc"]', "size_presets[0] = 'abc': a size such as 0.01"),
        ('size_presets = ["1e400"]', "size_presets[0] = '1e400': a size such as 0.01"),
        ('size_presets = ["0.01", "150%"]', "size_presets[1] = '150%'"),
        ("deadman_seconds = -5", "deadman_seconds = -5.0: 0 to turn the switch off"),
        ("deadman_seconds = 1", "deadman_seconds = 1.0: 0 to turn the switch off"),
        ("[risk]\nmax_notional = nan", "risk.max_notional = Decimal('NaN'): a positive amount"),
        ("[risk]\nprice_band_pct = 0", "risk.price_band_pct = Decimal('0'): a percentage"),
        ("[risk]\nconfirm_above = -1", "risk.confirm_above = Decimal('-1'): an amount"),
        ('symbol = "btc usdt"', "symbol = 'btc usdt': a venue symbol in capitals"),
        ('env = "Staging!"', "env = 'Staging!': an environment's name, such as production"),
        ('env = "custom"', "endpoints.rest = '': an http:// or https:// base URL"),
        ('env = "custom"\n[endpoints]\nrest = "http://h"\nws = "http://h"', "endpoints.ws ="),
        ('on_quit = "flatten"', "on_quit = 'flatten': cancel or keep"),
        ('size_presets = ["1e-30"]', "size_presets[0] = '1e-30': a size such as 0.01"),
        ('size_presets = ["0,5"]', "size_presets[0] = '0,5': a size such as 0.01"),
        ("lookup_seconds = 1", "lookup_seconds = 1.0: seconds from 5 to 86400"),
        ("[paper_account]\nUSDT = -1", "paper_account.USDT = Decimal('-1'): an amount"),
        ("[history]\ntape = 0", "history.tape = 0: a count from 1 to 1,000,000"),
        ("[history]\nfills = 5000000", "history.fills = 5000000: a count from 1 to 1,000,000"),
        ('[notify]\ndesktop = "beep"', "notify.desktop = 'beep': osc9 or osc777 or off"),
        ('[presets]\nSOLUSDT = ["1", "2x"]', "presets.SOLUSDT[1] = '2x': a size such as 0.01"),
    ],
)
def test_a_bad_value_is_refused_at_load_naming_the_key_and_what_is_allowed(tmp_path, line, named):
    (tmp_path / "config.toml").write_text(line + "\n")
    with pytest.raises(ConfigError) as refused:
        load_config(Locations(tmp_path, tmp_path))
    assert str(refused.value).startswith(f"{tmp_path / 'config.toml'}: ")
    assert named in str(refused.value)


def test_a_config_that_is_not_utf8_is_refused_in_one_line(tmp_path):
    (tmp_path / "config.toml").write_bytes(b'symbol = "BTC\xff"\n')
    with pytest.raises(ConfigError, match=r"config\.toml: not UTF-8 text"):
        load_config(Locations(tmp_path, tmp_path))


def test_a_secrets_file_that_is_not_utf8_is_refused_in_one_line(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_bytes(b'[binance]\napi_key = "\xfe"\n')
    secrets.chmod(0o600)
    with pytest.raises(ConfigError, match=r"secrets\.toml: not UTF-8 text"):
        venue_credentials("binance", {}, Locations(tmp_path, tmp_path))


def test_the_console_does_not_start_on_a_bad_config(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "trading-console").mkdir()
    (tmp_path / "trading-console" / "config.toml").write_text("deadman_seconds = -5\n")
    assert main([]) == 2
    error = capsys.readouterr().err
    assert error.startswith("trading-console: ") and "deadman_seconds = -5.0" in error
    assert "Traceback" not in error


def test_secrets_file_supplies_credentials_when_the_environment_does_not(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[binance]\napi_key = "k"\napi_secret = "s"\n')
    secrets.chmod(0o600)
    creds = venue_credentials("binance", {}, Locations(tmp_path, tmp_path))
    assert (creds.api_key, creds.get("API_SECRET")) == ("k", "s")


def test_secrets_file_readable_by_others_is_refused(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[binance]\napi_key = "k"\napi_secret = "s"\n')
    secrets.chmod(0o640)
    with pytest.raises(ConfigError, match="chmod 600"):
        venue_credentials("binance", {}, Locations(tmp_path, tmp_path))


def test_each_environment_has_its_own_credentials(tmp_path):
    environ = {
        "BINANCE_API_KEY": "prod",
        "BINANCE_API_SECRET": "p",
        "BINANCE_CUSTOM_API_KEY": "shared-sim",
        "BINANCE_CUSTOM_API_SECRET": "s",
    }
    assert venue_credentials("binance", environ).api_key == "prod"
    assert venue_credentials("binance", environ, env_name="custom").api_key == "shared-sim"
    assert venue_credentials("binance", environ, env_name="testnet") is None
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[binance-testnet]\napi_key = "test"\napi_secret = "t"\n')
    secrets.chmod(0o600)
    creds = venue_credentials("binance", {}, Locations(tmp_path, tmp_path), env_name="testnet")
    assert creds.api_key == "test"


def test_a_passphrase_travels_with_the_key_for_the_venues_that_ask_for_one(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[weex]\napi_key = "k"\napi_secret = "s"\napi_passphrase = "p"\n')
    secrets.chmod(0o600)
    creds = venue_credentials("weex", {}, Locations(tmp_path, tmp_path))
    assert creds.fields == {"API_KEY": "k", "API_SECRET": "s", "API_PASSPHRASE": "p"}
    assert "p" not in repr(creds).removeprefix("Credentials(api_key=")


def test_an_environment_named_on_the_command_line_beats_sim_in_the_config(tmp_path, monkeypatch):
    from console.cli import build_parser, venues_to_trade

    (tmp_path / "config.toml").write_text("sim = true\n")
    locations = Locations(tmp_path, tmp_path)
    parse = build_parser().parse_args
    for name in ("BINANCE_API_KEY", "BINANCE_CUSTOM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert venues_to_trade(parse([]), locations)[0][2] is True
    named = parse(["--env", "custom", "--rest-url", "http://h:1", "--ws-url", "ws://h:1"])
    ((config, _, sim),) = venues_to_trade(named, locations)
    assert (config.env, sim) == ("custom", False)
    assert venues_to_trade(parse(["--sim", "--env", "testnet"]), locations)[0][2] is True


def test_only_the_fields_of_the_venues_key_are_read():
    environ = {"HUOBI_API_KEY": "k", "HUOBI_API_SECRET": "s", "HUOBI_API_PASSPHRASE": "p"}
    assert venue_credentials("huobi", environ).fields == {"API_KEY": "k", "API_SECRET": "s"}


def test_a_key_without_a_field_its_venue_needs_is_refused_by_name():
    with pytest.raises(ConfigError, match="without WEEX_API_PASSPHRASE"):
        venue_credentials("weex", {"WEEX_API_KEY": "k", "WEEX_API_SECRET": "s"})


def test_a_stale_book_asks_at_least_a_key_and_never_lowers_a_word():
    assert Grade.NONE.at_least(Grade.KEY) is Grade.KEY
    assert Grade.WORD.at_least(Grade.KEY) is Grade.WORD


def test_a_confirmation_grade_that_is_not_one_is_refused_by_name(tmp_path):
    (tmp_path / "config.toml").write_text('[confirm]\npanic = "maybe"\n')
    with pytest.raises(ConfigError, match=r"confirm.panic"):
        load_config(Locations(tmp_path, tmp_path))


def test_each_venue_of_several_runs_with_its_own_settings_over_the_shared_ones():
    config = Config(
        venues=["binance", "huobi"],
        symbol="ETHUSDT",
        per_venue={"huobi": VenueSettings(env="aws", symbol="SOLUSDT")},
    )
    binance, huobi = (for_venue(config, name) for name in traded(config))
    assert (binance.venue, binance.env, binance.symbol) == ("binance", "production", "ETHUSDT")
    assert (huobi.venue, huobi.env, huobi.symbol, huobi.venues) == ("huobi", "aws", "SOLUSDT", [])


def test_a_venue_listed_twice_or_settings_for_a_venue_not_listed_are_refused():
    config = Config(venues=["weex", "weex"], per_venue={"huobi": VenueSettings(env="aws")})
    assert config_problems(config) == [
        "venues = ['weex', 'weex']: each venue once",
        "per_venue.huobi = 'huobi': a venue of `venues`",
    ]


def test_venue_given_twice_on_the_command_line_runs_both_on_the_simulator(tmp_path, monkeypatch):
    from console.cli import build_parser, venues_to_trade

    for name in ("BINANCE_API_KEY", "HUOBI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    args = build_parser().parse_args(["--venue", "huobi", "--venue", "binance"])
    plans = venues_to_trade(args, Locations(tmp_path, tmp_path))
    assert [(config.venue, sim) for config, _, sim in plans] == [("huobi", True), ("binance", True)]
