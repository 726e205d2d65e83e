"""The synthetic market left running: every symbol keeps trading, the book stays two-sided
and uncrossed, and the market maker's resting and remembered orders stay bounded."""

import pytest

from console.sim.exchange import SimExchange
from console.sim.market import LISTINGS, MARKET_ACCOUNT, MAX_QUOTES
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
