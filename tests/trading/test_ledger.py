"""Positions from fills at the average cost: entries, what a close realises, fees apart."""

from decimal import Decimal as D

from console.model import Fill, Side
from console.trading.ledger import Ledger, Position


def fill(side, qty, price, trade="1", at=0, fee="0", fee_asset="USDT", symbol="BTCUSDT"):
    return Fill(symbol, "o-1", "c-1", trade, side, D(price), D(qty), D(fee), fee_asset, False, at)


def test_buys_average_into_the_entry():
    position = Position()
    position.add(fill(Side.BUY, "1", "100"))
    position.add(fill(Side.BUY, "3", "120"))
    assert (position.qty, position.entry) == (D(4), D(115))


def test_a_sell_realises_the_difference_from_the_entry_on_what_it_closes():
    position = Position()
    position.add(fill(Side.BUY, "2", "100"))
    position.add(fill(Side.SELL, "0.5", "110"))
    assert (position.qty, position.entry, position.realised) == (D("1.5"), D(100), D(5))


def test_closing_everything_leaves_no_entry():
    position = Position()
    position.add(fill(Side.BUY, "1", "100"))
    position.add(fill(Side.SELL, "1", "90"))
    assert (position.qty, position.entry, position.realised) == (D(0), None, D(-10))


def test_selling_through_flat_opens_the_rest_at_the_fills_price():
    position = Position()
    position.add(fill(Side.BUY, "1", "100"))
    position.add(fill(Side.SELL, "3", "130"))
    assert (position.qty, position.entry, position.realised) == (D(-2), D(130), D(30))


def test_a_short_position_gains_when_the_price_falls():
    position = Position()
    position.add(fill(Side.SELL, "2", "100"))
    assert position.unrealised(D(90)) == D(20)


def test_fees_are_kept_by_asset_and_out_of_the_prices():
    position = Position()
    position.add(fill(Side.BUY, "1", "100", fee="0.001", fee_asset="BTC"))
    position.add(fill(Side.BUY, "1", "100", fee="0.5", fee_asset="BNB"))
    assert position.fees == {"BTC": D("0.001"), "BNB": D("0.5")}
    assert position.entry == D(100)


def test_a_fill_counts_once_however_often_it_is_heard():
    ledger = Ledger()
    assert ledger.add(fill(Side.BUY, "1", "100"))
    assert not ledger.add(fill(Side.BUY, "1", "100"))
    assert ledger.positions["BTCUSDT"].qty == D(1)


def test_a_fill_heard_late_is_counted_in_time_order():
    ledger = Ledger()
    ledger.add(fill(Side.SELL, "1", "120", trade="2", at=2_000))
    ledger.add(fill(Side.BUY, "1", "100", trade="1", at=1_000))  # the history, fetched later
    position = ledger.positions["BTCUSDT"]
    assert (position.qty, position.entry, position.realised) == (D(0), None, D(20))
