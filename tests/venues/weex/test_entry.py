"""WEEX in the registry: which API it speaks, demo trading, and the key it needs."""

import pytest

from console.config import ConfigError, Credentials
from console.errors import AuthError
from console.venues.registry import VENUES, api_of
from console.venues.weex.entry import connect


def test_v3_is_the_default_and_v1_is_spoken_on_request():
    weex = VENUES["weex"]
    assert (api_of(weex, ""), api_of(weex, "v1")) == ("v3", "v1")


def test_an_api_the_venue_does_not_speak_is_refused_with_the_ones_it_does():
    with pytest.raises(ConfigError, match="weex has no API 'v2'; it speaks v3, v1"):
        api_of(VENUES["weex"], "v2")


def test_demo_trading_is_weexs_alone():
    assert api_of(VENUES["weex"], "", paper=True) == "paper"
    with pytest.raises(ConfigError, match="binance has no demo trading"):
        api_of(VENUES["binance"], "", paper=True)


def test_a_weex_key_without_its_passphrase_is_refused_before_any_request():
    with pytest.raises(AuthError, match="WEEX_API_PASSPHRASE"):
        connect("production", "", "", Credentials({"API_KEY": "key", "API_SECRET": "secret"}), "v3")


def test_demo_trading_needs_a_key():
    with pytest.raises(AuthError, match="demo trading needs an API key"):
        connect("production", "", "", None, "paper")
