"""The simulator's candle history: made when first asked for, or warmed a slice at a time."""

import random
from decimal import Decimal

from console.sim.candles import SLICE, CandleStore
from console.sim.exchange import SimExchange
from tests.fakes import until

END_MS = 1_700_000_040_000
TICK = Decimal("0.01")
SYMBOLS = ("BTCUSDT", "ETHUSDT", "SOLUSDT")


class CountingRandom(random.Random):
    """The walk's own random numbers, counting the steps (one `gauss` a minute)."""

    steps = 0

    def gauss(self, mu=0.0, sigma=1.0):
        CountingRandom.steps += 1
        return super().gauss(mu, sigma)


def store(rng=random.Random) -> CandleStore:
    candles = CandleStore()
    for index, symbol in enumerate(SYMBOLS):
        price = Decimal(1000 * (index + 1))
        candles.backfill(symbol, END_MS, price, TICK, rng(f"1:{symbol}"), minutes=2000)
    return candles


def day(candles: CandleStore, symbol: str):
    return candles.window(symbol, END_MS - 86_400_000, END_MS)


def test_warmed_bars_are_those_made_when_first_asked_for():
    warmed, asked = store(), store()
    for _ in warmed.warming():
        pass
    for symbol in SYMBOLS:
        assert list(warmed.bars(symbol, "1m")) == list(asked.bars(symbol, "1m"))
        assert list(warmed.bars(symbol, "1h")) == list(asked.bars(symbol, "1h"))
        assert day(warmed, symbol) == day(asked, symbol)


def test_warming_walks_at_most_a_slice_of_minutes_between_two_yields():
    candles = store(CountingRandom)
    CountingRandom.steps, walked = 0, []
    for _ in candles.warming():
        walked.append(CountingRandom.steps)
        CountingRandom.steps = 0
    assert max(walked) == SLICE
    assert sum(walked) == len(SYMBOLS) * (2000 - 1)


def test_a_day_asked_for_after_warming_walks_nothing():
    candles = store(CountingRandom)
    for _ in candles.warming():
        pass
    CountingRandom.steps = 0
    assert all(day(candles, symbol) is not None for symbol in SYMBOLS)
    assert CountingRandom.steps == 0


def test_a_symbol_asked_for_while_warming_is_finished_on_the_spot_and_warming_goes_on():
    warmed, asked = store(), store()
    warming = warmed.warming()
    for _ in range(3):  # into the first symbol's walk
        next(warming)
    assert list(warmed.bars("BTCUSDT", "1m")) == list(asked.bars("BTCUSDT", "1m"))
    for _ in warming:
        pass
    for symbol in SYMBOLS:
        assert list(warmed.bars(symbol, "1m")) == list(asked.bars(symbol, "1m"))


async def test_the_exchange_warms_every_symbol_once_a_client_asks_for_candles():
    exchange = SimExchange(rate=0)
    await exchange.start(flow=False)
    try:
        assert not exchange.candles.asked.is_set()
        exchange.candles.bars("BTCUSDT", "1m")
        await until(lambda: all((s, "1m") in exchange.candles.series for s in SYMBOLS))
    finally:
        await exchange.stop()


def test_an_hours_bar_is_what_its_minute_bars_make():
    candles = store()
    minutes = list(candles.bars("BTCUSDT", "1m"))
    hour = list(candles.bars("BTCUSDT", "1h"))[-3]  # a whole hour, well inside the history
    inside = [m for m in minutes if hour.open_ms <= m.open_ms < hour.open_ms + 3_600_000]
    assert len(inside) == 60
    assert (hour.open, hour.close) == (inside[0].open, inside[-1].close)
    assert (hour.high, hour.low) == (max(m.high for m in inside), min(m.low for m in inside))
    assert hour.volume == sum(m.volume for m in inside)
    assert hour.quote_volume == sum(m.quote_volume for m in inside)
    assert hour.trades == sum(m.trades for m in inside)
