"""The synthetic market left running: every symbol keeps trading, the book stays two-sided
and uncrossed, and the market maker's resting and remembered orders stay bounded."""

from decimal import Decimal

import pytest

from console.model import OrderType, Side
from console.sim.exchange import SimExchange
from console.sim.market import DEEP_LEVELS, LISTINGS, MARKET_ACCOUNT, MAX_QUOTES
from console.sim.state import FINISHED_KEPT, TradePrinted

SYMBOLS = tuple(listing.instrument.symbol for listing in LISTINGS)
MAJORS = ("BTCUSDT", "ETHUSDT", "SOLUSDT")
"""Print every minute; the long tail at least once in five, as a venue's quieter pairs."""


@pytest.mark.slow
def test_an_hour_of_flow_keeps_every_symbol_trading_and_the_maker_bounded():
    exchange = SimExchange(LISTINGS, seed=1, rate=50)
    prints = dict.fromkeys(SYMBOLS, 0)
    exchange.engine.subscribe(
        lambda event: (
            isinstance(event, TradePrinted)
            and prints.__setitem__(event.symbol, prints[event.symbol] + 1)
        )
    )
    quiet_minutes, five_minutes_ago = [], dict(prints)
    for minute in range(60):  # 180,000 book events at the default 50 a second
        before = dict(prints)
        exchange.market.advance(60)
        for symbol in MAJORS:
            if prints[symbol] == before[symbol]:
                quiet_minutes.append((minute, symbol))
        if minute % 5 == 4:
            quiet_minutes += [(minute, s) for s in SYMBOLS if prints[s] == five_minutes_ago[s]]
            five_minutes_ago = dict(prints)
        for symbol in SYMBOLS:
            l2 = exchange.engine.books[symbol].l2
            assert l2.best_bid is not None and l2.best_ask is not None, (minute, symbol)
            assert l2.best_bid < l2.best_ask, (minute, symbol)
            resting = exchange.engine.open_orders(MARKET_ACCOUNT, symbol)
            assert len(resting) <= MAX_QUOTES, (minute, symbol, len(resting))
    assert quiet_minutes == []
    remembered = sum(len(exchange.engine.all_orders(MARKET_ACCOUNT, s)) for s in SYMBOLS)
    assert remembered <= FINISHED_KEPT + MAX_QUOTES * len(SYMBOLS)


def test_a_deep_book_reaches_a_thousand_levels_a_side_over_several_percent():
    exchange = SimExchange(seed=1, rate=50, depth=DEEP_LEVELS)
    l2 = exchange.engine.books["BTCUSDT"].l2
    mid = l2.mid
    deepest_bid = l2.prices.value(l2.bids.prices()[-1])
    deepest_ask = l2.prices.value(l2.asks.prices()[-1])
    assert len(l2.bids) > 900 and len(l2.asks) > 900
    assert deepest_bid < mid * Decimal("0.96") and deepest_ask > mid * Decimal("1.04")
    assert l2.best_bid < l2.best_ask


def test_the_deep_book_is_funded_as_placed_orders_are():
    exchange = SimExchange(seed=1, rate=50, depth=DEEP_LEVELS)
    engine = exchange.engine
    maker = engine.accounts[MARKET_ACCOUNT]
    resting = [o for o in maker.open_orders.values() if o.symbol == "BTCUSDT"]
    sizes = engine.books["BTCUSDT"].l2.sizes
    bought = sum(o.price * sizes.value(o.remaining_lots) for o in resting if o.side is Side.BUY)
    sold = sum(sizes.value(o.remaining_lots) for o in resting if o.side is Side.SELL)
    assert maker.holding("USDT").locked >= bought  # the other symbols' buys lock USDT too
    assert maker.holding("BTC").locked == sold
    assert sum(o.locked for o in resting if o.side is Side.BUY) == bought


def test_deep_orders_trade_like_any_other():
    exchange = SimExchange(seed=1, rate=50, depth=DEEP_LEVELS)
    engine = exchange.engine
    l2 = engine.books["BTCUSDT"].l2
    through = sum(lots for _, lots in l2.bids.top(200))
    engine.place(MARKET_ACCOUNT, "BTCUSDT", Side.SELL, OrderType.MARKET, l2.sizes.value(through))
    assert len(l2.bids) > 700
