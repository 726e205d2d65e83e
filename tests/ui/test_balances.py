"""The balances table: columns as wide as what they hold, never run into each other."""

from console.ui.widgets.balances import table

ROWS = [
    ("BTC", "1.00075924", "0", "1.00075924"),
    ("USDT", "99,950.5995516", "1,270", "101,220.5995516"),
]


def test_every_column_is_as_wide_as_its_widest_amount():
    header, btc, usdt = table(ROWS, 60)
    assert header.split() == ["asset", "free", "locked", "total"]
    assert usdt.split() == ["USDT", "99,950.5995516", "1,270", "101,220.5995516"]
    assert {len(header), len(btc), len(usdt)} == {60}  # the figures fill the panel, aligned


def test_a_narrow_panel_drops_locked_then_free_and_never_cuts_an_amount():
    assert table(ROWS, 40)[2].split() == ["USDT", "99,950.5995516", "101,220.5995516"]
    assert table(ROWS, 25)[2].split() == ["USDT", "101,220.5995516"]
