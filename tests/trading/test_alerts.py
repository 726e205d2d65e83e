"""Price alerts: the trader's words, firing once on the prints that reach them, kept
between runs."""

import json
from decimal import Decimal

import pytest

from console.kept import Kept
from console.trading.alerts import Alert, Alerts, parse

LAST = Decimal("64000.00")


def said(alerts):
    return [(a.above, a.price, a.said) for a in alerts]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("65000", [(True, Decimal(65000), "above 65000")]),
        ("63,500.5", [(False, Decimal("63500.5"), "below 63500.5")]),
        ("above 65000", [(True, Decimal(65000), "above 65000")]),
        ("> 65000", [(True, Decimal(65000), "above 65000")]),
        ("below 60000", [(False, Decimal(60000), "below 60000")]),
        ("< 60000", [(False, Decimal(60000), "below 60000")]),
        ("+2%", [(True, Decimal("65280.00"), "+2% from 64000.00")]),
        ("-1.5%", [(False, Decimal("63040.00"), "-1.5% from 64000.00")]),
        (
            "3%",
            [
                (True, Decimal("65920.00"), "+3% from 64000.00"),
                (False, Decimal("62080.00"), "-3% from 64000.00"),
            ],
        ),
    ],
)
def test_the_traders_words_become_alerts(words, expected):
    assert said(parse(words, "BTCUSDT", LAST, 1)) == expected


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("", "say a price"),
        ("soon", "'soon' is not a number"),
        ("above", "above what price"),
        ("0", "not a positive number"),
        ("64000.00", "is the last price: say above or below"),
        ("65000 please", "not understood"),
    ],
)
def test_words_that_are_not_an_alert_say_why(words, problem):
    with pytest.raises(ValueError, match=problem):
        parse(words, "BTCUSDT", LAST, 1)


def test_without_a_last_price_a_bare_level_or_a_move_asks_for_a_direction():
    with pytest.raises(ValueError, match="say above or below"):
        parse("65000", "BTCUSDT", None, 1)
    with pytest.raises(ValueError, match="no last price yet"):
        parse("2%", "BTCUSDT", None, 1)
    assert said(parse("above 65000", "BTCUSDT", None, 1)) == [(True, Decimal(65000), "above 65000")]


def test_an_alert_fires_once_on_the_prints_that_reach_it():
    alerts = Alerts()
    alerts.add(parse("above 65000", "BTCUSDT", LAST, 1) + parse("below 63000", "BTCUSDT", LAST, 1))
    assert alerts.check("BTCUSDT", Decimal(64000), Decimal("64999.99")) == []
    (fired,) = alerts.check("BTCUSDT", Decimal(64000), Decimal("65000.10"))
    assert fired.text == "ALERT BTCUSDT above 65000: 65000.10"
    assert alerts.check("BTCUSDT", Decimal(64000), Decimal(66000)) == []
    assert [a.said for a in alerts.waiting] == ["below 63000"]
    assert alerts.fired_count == 1


def test_an_alert_on_another_symbol_is_not_fired_by_this_ones_prints():
    alerts = Alerts()
    alerts.add(parse("above 3000", "ETHUSDT", Decimal(2900), 1))
    assert alerts.check("BTCUSDT", Decimal(60000), Decimal(70000)) == []
    assert len(alerts.waiting) == 1


def test_alerts_waiting_survive_a_restart_and_fired_ones_do_not(tmp_path):
    path = tmp_path / "alerts.json"
    alerts = Alerts(Kept(path))
    alerts.add(parse("3%", "BTCUSDT", LAST, 5))
    alerts.check("BTCUSDT", LAST, Decimal(70000))
    again = Alerts(Kept(path))
    assert again.waiting == [Alert("BTCUSDT", False, Decimal("62080.00"), "-3% from 64000.00", 5)]


def test_a_kept_row_that_is_not_an_alert_is_passed_over(tmp_path):
    path = tmp_path / "alerts.json"
    good = {"symbol": "BTCUSDT", "above": True, "price": "65000", "said": "above 65000"}
    path.write_text(json.dumps({"alerts": [good, {"symbol": "X"}, "junk", {**good, "price": "x"}]}))
    assert said(Alerts(Kept(path)).waiting) == [(True, Decimal(65000), "above 65000")]


def test_removing_an_alert_forgets_it_in_the_file_too(tmp_path):
    path = tmp_path / "alerts.json"
    alerts = Alerts(Kept(path))
    alerts.add(parse("65000", "BTCUSDT", LAST, 1))
    alerts.remove(alerts.waiting[0])
    assert Alerts(Kept(path)).waiting == []
