"""Binance spot market data, the same for REST and the WebSocket API: exchange info,
depth, trades (recent, historical, aggregate), klines, average price and tickers.

Each method takes a request's parameters and returns Binance's answer; the front that
called it wraps the answer in its own envelope. Rolling windows open on a whole minute
(hour, past a day), as Binance documents for its rolling-window ticker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import msgspec

from console.sim.candles import INTERVAL_MS, WindowStats
from console.sim.exchange import SimExchange
from console.sim.fronts.binance.requests import BinanceError, Params, bad
from console.sim.fronts.binance.wire import (
    agg_trade_row,
    kline_row,
    num,
    rate_limits,
    symbol_info,
    trade_row,
)
from console.sim.state import SymbolBook

AVG_PRICE_MINUTES = 5
WINDOW_PATTERN = re.compile(r"^(?:([1-9]|[1-5][0-9])m|([1-9]|1[0-9]|2[0-3])h|([1-7])d)$")
TIME_ZONE_PATTERN = re.compile(r"^([+-]?)(\d{1,2})(?::(\d{2}))?$")
PERCENT = Decimal("0.001")
INVALID_SYMBOL = bad(-1121, "Invalid symbol.")


def bounded(params: Params, name: str, default: int, most: int) -> int:
    value = params.integer(name, default)
    assert value is not None
    return max(1, min(value, most))


def symbol_list(params: Params) -> list[str] | None:
    """`symbol` or a JSON array `symbols` (never both); None asks for every symbol."""
    symbol, symbols = params.get("symbol"), params.get("symbols")
    if symbol is not None and symbols is not None:
        raise bad(-1128, "Combination of optional parameters invalid.")
    if symbol is not None:
        return [symbol]
    if symbols is None:
        return None
    try:
        wanted = msgspec.json.decode(symbols, type=list[str])
    except msgspec.DecodeError:
        raise bad(-1100, "Illegal characters found in parameter 'symbols'.") from None
    if not wanted:
        raise bad(
            -1102, "Mandatory parameter 'symbols' was not sent, was empty/null, or malformed."
        )
    return wanted


def symbols_asked(params: Params) -> int | None:
    """How many symbols a request names, for its weight (None: all of them)."""
    try:
        wanted = symbol_list(params)
    except BinanceError:
        return 1
    return None if wanted is None else len(wanted)


def window_ms(text: str) -> int:
    match = WINDOW_PATTERN.match(text)
    if match is None:
        raise bad(-1100, "Invalid windowSize: 1m to 59m, 1h to 23h or 1d to 7d.")
    minutes, hours, days = match.groups()
    if minutes:
        return int(minutes) * 60_000
    if hours:
        return int(hours) * 3_600_000
    return int(days) * 86_400_000


def zone_offset_ms(text: str) -> int:
    """A `timeZone` parameter (`-1:00`, `05:45`, `0`) as an offset from UTC."""
    match = TIME_ZONE_PATTERN.match(text)
    if match is None:
        raise bad(-1100, "Invalid timeZone: hours[:minutes] from -12:00 to +14:00.")
    sign, hours, minutes = match.groups()
    offset = int(hours) * 60 + int(minutes or 0)
    if not -12 * 60 <= (-offset if sign == "-" else offset) <= 14 * 60 or int(minutes or 0) > 59:
        raise bad(-1100, "Invalid timeZone: hours[:minutes] from -12:00 to +14:00.")
    return (-offset if sign == "-" else offset) * 60_000


class MarketData:
    def __init__(self, exchange: SimExchange, weight_limit: int) -> None:
        self.exchange = exchange
        self.weight_limit = weight_limit

    def _book(self, params: Params) -> SymbolBook:
        book = self.exchange.engine.books.get(params.required("symbol"))
        if book is None:
            raise INVALID_SYMBOL
        return book

    def _books(self, params: Params) -> list[SymbolBook]:
        books = self.exchange.engine.books
        wanted = symbol_list(params)
        if wanted is None:
            return list(books.values())
        if any(s not in books for s in wanted):
            raise INVALID_SYMBOL
        return [books[s] for s in wanted]

    @staticmethod
    def _one_or_all(params: Params, rows: list[dict[str, Any]]) -> Any:
        """One symbol named answers with an object; `symbols` or none with an array."""
        return rows[0] if params.get("symbol") is not None else rows

    # -- reference ---------------------------------------------------------------------------

    def exchange_info(self, params: Params) -> dict[str, Any]:
        return {
            "timezone": "UTC",
            "serverTime": self.exchange.clock(),
            "rateLimits": rate_limits(self.weight_limit),
            "exchangeFilters": [],
            "symbols": [symbol_info(book.instrument) for book in self._books(params)],
        }

    # -- book and trades ---------------------------------------------------------------------

    def depth(self, params: Params) -> dict[str, Any]:
        l2 = self._book(params).l2
        limit = bounded(params, "limit", 100, 5000)
        prices, sizes = l2.prices.value, l2.sizes.value
        return {
            "lastUpdateId": l2.last_update_id,
            "bids": [[num(prices(t)), num(sizes(q))] for t, q in l2.bids.top(limit)],
            "asks": [[num(prices(t)), num(sizes(q))] for t, q in l2.asks.top(limit)],
        }

    def trades(self, params: Params) -> list[dict[str, Any]]:
        symbol = self._book(params).instrument.symbol
        limit = bounded(params, "limit", 500, 1000)
        return [trade_row(t) for t in list(self.exchange.tapes[symbol])[-limit:]]

    def historical_trades(self, params: Params) -> list[dict[str, Any]]:
        """Older trades from `fromId` on (the newest without it), as far as the tape goes."""
        symbol = self._book(params).instrument.symbol
        limit = bounded(params, "limit", 500, 1000)
        from_id = params.integer("fromId")
        tape = list(self.exchange.tapes[symbol])
        if from_id is None:
            return [trade_row(t) for t in tape[-limit:]]
        return [trade_row(t) for t in tape if t.trade_id >= from_id][:limit]

    def agg_trades(self, params: Params) -> list[dict[str, Any]]:
        symbol = self._book(params).instrument.symbol
        limit = bounded(params, "limit", 500, 1000)
        from_id, start, end = (
            params.integer("fromId"),
            params.integer("startTime"),
            params.integer("endTime"),
        )
        if start is not None and end is not None and end - start > 3_600_000:
            raise bad(-1127, "More than 1 hours between startTime and endTime.")
        aggs = list(self.exchange.aggs[symbol])
        if from_id is not None:
            chosen = [a for a in aggs if a.agg_id >= from_id][:limit]
        elif start is not None or end is not None:
            chosen = [
                a
                for a in aggs
                if (start is None or a.time_ms >= start) and (end is None or a.time_ms <= end)
            ][:limit]
        else:
            chosen = aggs[-limit:]
        return [agg_trade_row(a) for a in chosen]

    def klines(self, params: Params) -> list[list[Any]]:
        """Klines, and uiKlines: the simulator's bars are already what a chart should show."""
        symbol = self._book(params).instrument.symbol
        interval = params.required("interval")
        if interval not in INTERVAL_MS:
            raise bad(-1120, "Invalid interval.")
        limit = bounded(params, "limit", 500, 1000)
        start, end = params.integer("startTime"), params.integer("endTime")
        offset = zone_offset_ms(params.get("timeZone") or "0")
        if offset % INTERVAL_MS[interval]:
            raise bad(
                -1020,
                "This operation is not supported: klines in a time zone that moves "
                "this interval's bars; ask in UTC.",
            )
        self.exchange.candles.current(symbol, interval, self.exchange.clock())
        bars = [
            b
            for b in self.exchange.candles.bars(symbol, interval)
            if (start is None or b.open_ms >= start) and (end is None or b.open_ms <= end)
        ]
        bars = bars[:limit] if start is not None else bars[-limit:]
        return [kline_row(b, INTERVAL_MS[interval]) for b in bars]

    def avg_price(self, params: Params) -> dict[str, Any]:
        """The volume-weighted price of the last five minutes (the last price if none)."""
        book = self._book(params)
        price, closed = self.average_price(book)
        return {"mins": AVG_PRICE_MINUTES, "price": num(price), "closeTime": closed}

    def average_price(self, book: SymbolBook) -> tuple[Decimal, int]:
        """The five-minute average and the time of its last trade (now, with none)."""
        now = self.exchange.clock()
        since = now - AVG_PRICE_MINUTES * 60_000
        recent = [t for t in self.exchange.tapes[book.instrument.symbol] if t.time_ms >= since]
        volume = sum((t.qty for t in recent), Decimal(0))
        if volume:
            price = sum((t.price * t.qty for t in recent), Decimal(0)) / volume
            closed = recent[-1].time_ms
        else:
            price = book.last_price or book.l2.mid or Decimal(0)
            closed = now
        return price, closed

    # -- tickers -----------------------------------------------------------------------------

    def ticker_price(self, params: Params) -> Any:
        rows = [
            {"symbol": b.instrument.symbol, "price": num(self._last(b))}
            for b in self._books(params)
        ]
        return self._one_or_all(params, rows)

    def book_ticker(self, params: Params) -> Any:
        return self._one_or_all(params, [book_ticker_row(b) for b in self._books(params)])

    def ticker_24hr(self, params: Params) -> Any:
        now = self.exchange.clock()
        return self._tickers(params, now - 86_400_000, now, with_book=True)

    def rolling_ticker(self, params: Params) -> Any:
        now = self.exchange.clock()
        return self._tickers(params, now - window_ms(params.get("windowSize") or "1d"), now)

    def trading_day(self, params: Params) -> Any:
        now = self.exchange.clock()
        offset = zone_offset_ms(params.get("timeZone") or "0")
        day_start = (now + offset) // 86_400_000 * 86_400_000 - offset
        return self._tickers(params, day_start, now)

    def _tickers(self, params: Params, start: int, now: int, with_book: bool = False) -> Any:
        kind = params.get("type") or "FULL"
        if kind not in ("FULL", "MINI"):
            raise bad(
                -1100, "Illegal characters found in parameter 'type'; legal range is FULL, MINI."
            )
        rows = []
        for book in self._books(params):
            stats = self.exchange.candles.window(book.instrument.symbol, start, now)
            if stats is None:
                continue
            rows.append(self._ticker_row(book, stats, kind == "FULL", with_book))
        return self._one_or_all(params, rows)

    def _ticker_row(
        self, book: SymbolBook, stats: WindowStats, full: bool, with_book: bool
    ) -> dict[str, Any]:
        symbol = book.instrument.symbol
        row: dict[str, Any] = {"symbol": symbol}
        if full:
            change = change_of(stats)
            row |= {
                "priceChange": num(change.amount),
                "priceChangePercent": change.percent,
                "weightedAvgPrice": num(change.average),
            }
            if with_book:
                tape = self.exchange.tapes[symbol]
                row |= {
                    "prevClosePrice": num(stats.previous_close),
                    "lastPrice": num(stats.last),
                    "lastQty": num(tape[-1].qty if tape else Decimal(0)),
                } | {k: v for k, v in book_ticker_row(book).items() if k != "symbol"}
        row |= {
            "openPrice": num(stats.open),
            "highPrice": num(stats.high),
            "lowPrice": num(stats.low),
            "lastPrice": num(stats.last),
            "volume": num(stats.volume),
            "quoteVolume": num(stats.quote_volume),
            "openTime": stats.open_ms,
            "closeTime": stats.close_ms,
            "firstId": stats.first_id,
            "lastId": stats.last_id,
            "count": stats.trades,
        }
        return row

    def _last(self, book: SymbolBook) -> Decimal:
        if book.last_price is not None:
            return book.last_price
        bar = self.exchange.candles.current(book.instrument.symbol, "1m", self.exchange.clock())
        return bar.close if bar is not None else Decimal(0)


@dataclass(frozen=True)
class Change:
    amount: Decimal
    percent: str
    """Three decimals, as Binance writes it."""
    average: Decimal
    """Volume-weighted price over the window."""


def change_of(stats: WindowStats) -> Change:
    amount = stats.last - stats.open
    percent = (amount / stats.open * 100).quantize(PERCENT, ROUND_HALF_UP) if stats.open else 0
    average = stats.quote_volume / stats.volume if stats.volume else Decimal(0)
    return Change(amount, f"{percent:.3f}", average)


def book_ticker_row(book: SymbolBook) -> dict[str, Any]:
    """The best bid and offer with their sizes (zeros for an empty side)."""
    l2 = book.l2
    row: dict[str, Any] = {"symbol": book.instrument.symbol}
    for name, side in (("bid", l2.bids), ("ask", l2.asks)):
        ((ticks, lots),) = side.top(1) or [(0, 0)]
        row[f"{name}Price"] = num(l2.prices.value(ticks))
        row[f"{name}Qty"] = num(l2.sizes.value(lots))
    return row
