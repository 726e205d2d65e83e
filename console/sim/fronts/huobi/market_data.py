"""Huobi spot market data, the same for REST and the market WebSocket: depth (with its
step aggregation), trades grouped per taker order, candles and the 24 h figures.

Prices and sizes stay `Decimal`; the encoder writes them as JSON numbers, as Huobi sends.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from console.sim.candles import Bar
from console.sim.exchange import SimExchange
from console.sim.fronts.huobi.requests import invalid
from console.sim.fronts.huobi.wire import direction
from console.sim.state import SymbolBook, TradePrinted

DAY_MS = 86_400_000


class HuobiMarketData:
    def __init__(self, exchange: SimExchange) -> None:
        self.exchange = exchange

    def book(self, symbol: str | None) -> SymbolBook:
        """The book of a lower-case Huobi symbol, or `invalid symbol`."""
        book = (
            self.exchange.engine.books.get(symbol.upper()) if symbol and symbol.islower() else None
        )
        if book is None:
            raise invalid("invalid symbol")
        return book

    def depth(self, book: SymbolBook, step: int, levels: int) -> dict[str, Any]:
        """Both sides to `levels` deep; step N merges prices into tick x 10^N buckets
        (bids down, asks up)."""
        l2 = book.l2
        bucket = book.instrument.tick_size * (Decimal(10) ** step)
        sides = {}
        for name, side, rounding in (
            ("bids", l2.bids, ROUND_FLOOR),
            ("asks", l2.asks, ROUND_CEILING),
        ):
            merged: dict[Decimal, Decimal] = {}
            for ticks, lots in side.top(len(side)):
                price = (l2.prices.value(ticks) / bucket).to_integral_value(rounding) * bucket
                if price not in merged and len(merged) == levels:
                    break
                merged[price] = merged.get(price, Decimal(0)) + l2.sizes.value(lots)
            sides[name] = [[price, size] for price, size in merged.items()]
        now = self.exchange.clock()
        return {**sides, "version": l2.last_update_id, "ts": now}

    def trade_groups(self, book: SymbolBook, size: int) -> list[dict[str, Any]]:
        """The newest `size` trades, newest first, grouped by the taker order that made them."""
        tape = list(self.exchange.tapes[book.instrument.symbol])[-size:]
        groups: list[list[TradePrinted]] = []
        for trade in tape:
            if groups and groups[-1][-1].taker_order_id == trade.taker_order_id:
                groups[-1].append(trade)
            else:
                groups.append([trade])
        return [
            {
                "id": group[0].trade_id,
                "ts": group[-1].time_ms,
                "data": [trade_row(t) for t in reversed(group)],
            }
            for group in reversed(groups)
        ]

    def bars(self, book: SymbolBook, interval: str, size: int) -> list[dict[str, Any]]:
        """The newest `size` candles of `interval`, newest first."""
        symbol = book.instrument.symbol
        self.exchange.candles.current(symbol, interval, self.exchange.clock())
        bars = list(self.exchange.candles.bars(symbol, interval))[-size:]
        return [candle_row(bar) for bar in reversed(bars)]

    def detail(self, book: SymbolBook) -> dict[str, Any]:
        """The rolling 24 hours: `amount` in base, `vol` in quote, as the document has it."""
        now = self.exchange.clock()
        stats = self.exchange.candles.window(book.instrument.symbol, now - DAY_MS, now)
        last = book.last_price or (stats.last if stats else Decimal(0))
        zero = Decimal(0)
        return {
            "id": now // 1000,
            "amount": stats.volume if stats else zero,
            "count": stats.trades if stats else 0,
            "open": stats.open if stats else last,
            "close": last,
            "low": stats.low if stats else last,
            "high": stats.high if stats else last,
            "vol": stats.quote_volume if stats else zero,
            "version": book.l2.last_update_id,
        }

    def best(self, book: SymbolBook) -> dict[str, Decimal]:
        l2 = book.l2
        result = {}
        for name, side in (("bid", l2.bids), ("ask", l2.asks)):
            ((ticks, lots),) = side.top(1) or [(0, 0)]
            result[name] = l2.prices.value(ticks)
            result[f"{name}Size"] = l2.sizes.value(lots)
        return result

    def merged(self, book: SymbolBook) -> dict[str, Any]:
        best = self.best(book)
        return {
            **self.detail(book),
            "ts": self.exchange.clock(),
            "bid": [best["bid"], best["bidSize"]],
            "ask": [best["ask"], best["askSize"]],
        }

    def ticker(self, book: SymbolBook) -> dict[str, Any]:
        detail = self.detail(book)
        detail.pop("id"), detail.pop("version")
        tape = self.exchange.tapes[book.instrument.symbol]
        return {
            **detail,
            **self.best(book),
            "symbol": book.instrument.symbol.lower(),
            "lastPrice": detail["close"],
            "lastSize": tape[-1].qty if tape else Decimal(0),
        }


def trade_row(trade: TradePrinted) -> dict[str, Any]:
    return {
        "id": trade.trade_id,
        "trade-id": trade.trade_id,
        "tradeId": trade.trade_id,
        "price": trade.price,
        "amount": trade.qty,
        "direction": direction(trade.taker_side),
        "ts": trade.time_ms,
    }


def candle_row(bar: Bar) -> dict[str, Any]:
    return {
        "id": bar.open_ms // 1000,
        "amount": bar.volume,
        "count": bar.trades,
        "open": bar.open,
        "close": bar.close,
        "low": bar.low,
        "high": bar.high,
        "vol": bar.quote_volume,
    }
