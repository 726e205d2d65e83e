"""Views of the trader's own trading: the fills, the news of new ones, positions and PnL.

Built on the core's loop at the frame rate like every view (`console.trading.views`): each
is immutable and equal to the last one when the panel would draw the same. Profit is in
the quote asset at the mark (the mid of the book on screen, else the symbol's last price on
the venue's ticker board); a fee in the base asset is priced at the mark too, one in a
third asset (BNB) is listed apart and never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from console.model import Fill, Instrument, OrderStatus
from console.trading.alerts import Alert
from console.trading.ledger import ZERO, Position
from console.trading.session import TradingSession
from console.trading.views import places

NOTICES_AT_MOST = 5
"""Orders named one by one in a frame's news of fills; more are counted in one line."""


def mark(session: TradingSession, symbol: str) -> Decimal | None:
    """The price a position on `symbol` is valued at: the mid of its book when on screen,
    else its last price on the board of every symbol's ticker."""
    instrument = session.instruments.get(symbol)
    return None if instrument is None else session.price(instrument.base, instrument.quote)


def _places(session: TradingSession, symbol: str) -> tuple[int, int]:
    instrument = session.instruments.get(symbol)
    if instrument is None:
        return 8, 8
    return places(instrument.tick_size), places(instrument.lot_size)


# -- fills ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FillRow:
    fill: Fill
    price_places: int
    size_places: int


@dataclass(frozen=True)
class FillsView:
    rows: tuple[FillRow, ...]
    """Newest first, from `first` on, as many as the panel has lines."""
    held: int
    """Fills held in all (the panel's title)."""
    first: int


def fills(session: TradingSession, first: int, lines: int) -> FillsView:
    held = session.orders.fills
    first = max(0, min(first, len(held) - 1))
    newest = len(held) - 1 - first
    rows = tuple(
        FillRow(held[i], *_places(session, held[i].symbol))
        for i in range(newest, max(-1, newest - lines), -1)
    )
    return FillsView(rows, len(held), first)


@dataclass(frozen=True)
class News:
    """What happened since the screen last looked (fills: one line per order; alerts
    fired: one line each)."""

    heard: int
    """Events heard in all: what the screen has now seen."""
    lines: tuple[str, ...]


def new_alerts(session: TradingSession, seen: int) -> News:
    """The alerts fired after the first `seen`: `ALERT BTCUSDT above 65000: 65000.10`."""
    alerts = session.alerts
    fresh = min(alerts.fired_count - seen, len(alerts.fired))
    if fresh <= 0:
        return News(alerts.fired_count, ())
    lines = [fired.text for fired in list(alerts.fired)[-fresh:]]
    return News(alerts.fired_count, tuple(lines))


def new_fills(session: TradingSession, seen: int) -> News:
    """The news of the fills after the first `seen` heard, one line per order, the
    order's fills summed: `FILLED BUY 0.01000 BTCUSDT @ 65,000.12 · fee 0.01 USDT`."""
    manager = session.orders
    heard = manager.fills_heard
    fresh = min(heard - seen, len(manager.fills))
    if fresh <= 0:
        return News(heard, ())
    by_order: dict[str, list[Fill]] = defaultdict(list)
    for index in range(len(manager.fills) - fresh, len(manager.fills)):
        fill = manager.fills[index]
        by_order[fill.client_order_id or fill.order_id].append(fill)
    lines = [_news(session, key, group) for key, group in list(by_order.items())[:NOTICES_AT_MOST]]
    if len(by_order) > NOTICES_AT_MOST:
        lines.append(f"and {len(by_order) - NOTICES_AT_MOST} more orders filled")
    return News(heard, tuple(lines))


def _news(session: TradingSession, key: str, group: list[Fill]) -> str:
    first = group[0]
    price_places, size_places = _places(session, first.symbol)
    qty = sum((f.qty for f in group), ZERO)
    average = sum((f.qty * f.price for f in group), ZERO) / qty if qty else first.price
    order = session.orders.orders.get(key)
    done = order is not None and order.status is OrderStatus.FILLED
    word = "FILLED" if done else "FILL"
    fees = fee_text(_sum_fees(group))
    text = (
        f"{word} {first.side.value} {qty:,.{size_places}f} {first.symbol}"
        f" @ {average:,.{price_places}f}"
    )
    if len(group) > 1:
        text += f" ({len(group)} fills)"
    return text + (f" · fee {fees}" if fees else "")


def _sum_fees(group: list[Fill]) -> dict[str, Decimal]:
    fees: dict[str, Decimal] = {}
    for fill in group:
        if fill.fee:
            fees[fill.fee_asset] = fees.get(fill.fee_asset, ZERO) + fill.fee
    return fees


def fee_text(fees: Mapping[str, Decimal]) -> str:
    """`0.00001 BTC, 0.05 USDT`: each asset's amount exact, without trailing zeros."""
    return ", ".join(f"{value.normalize():f} {asset}" for asset, value in sorted(fees.items()))


# -- positions and PnL -------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionRow:
    symbol: str
    base: str
    quote: str
    holding: Decimal | None
    """The venue's balance of the base asset, free and locked."""
    qty: Decimal
    """Bought minus sold over the fills counted."""
    entry: Decimal | None
    mark: Decimal | None
    unrealised: Decimal | None
    realised: Decimal
    fees: str
    net: Decimal | None
    """Realised and unrealised, fees priced in the quote taken off; None without a mark or
    with a fee in a third asset, which the console does not price."""
    price_places: int
    size_places: int


@dataclass(frozen=True)
class PositionsView:
    rows: tuple[PositionRow, ...]


def positions(session: TradingSession) -> PositionsView:
    """A row for every symbol with fills, this session's or the venue's recent history."""
    rows = []
    balances = session.orders.balances
    for symbol, position in sorted(session.orders.ledger.positions.items()):
        instrument = session.instruments.get(symbol)
        if instrument is None:
            continue
        price_mark = mark(session, symbol)
        held = balances.get(instrument.base)
        rows.append(
            PositionRow(
                symbol,
                instrument.base,
                instrument.quote,
                None if held is None else held.total,
                position.qty,
                position.entry,
                price_mark,
                None if price_mark is None else position.unrealised(price_mark),
                position.realised,
                fee_text(position.fees),
                net(position, instrument, price_mark),
                places(instrument.tick_size),
                places(instrument.lot_size),
            )
        )
    return PositionsView(tuple(rows))


def net(position: Position, instrument: Instrument, price_mark: Decimal | None) -> Decimal | None:
    """Realised plus unrealised at `price_mark`, less the fees, in the quote asset."""
    if price_mark is None:
        return None
    fees = ZERO
    for asset, fee in position.fees.items():
        if asset == instrument.quote:
            fees += fee
        elif asset == instrument.base:
            fees += fee * price_mark
        else:
            return None
    return position.realised + position.unrealised(price_mark) - fees


@dataclass(frozen=True)
class SessionPnl:
    """What this session's fills made or lost, net of fees, by quote asset."""

    totals: tuple[tuple[str, Decimal], ...]
    unpriced: tuple[str, ...]
    """Symbols traded this session that cannot be valued now (no mark, a fee in BNB)."""


def session_pnl(session: TradingSession) -> SessionPnl | None:
    """None before this session's first fill."""
    totals: dict[str, Decimal] = {}
    unpriced = []
    for symbol, position in sorted(session.orders.session_ledger.positions.items()):
        instrument = session.instruments.get(symbol)
        figure = None if instrument is None else net(position, instrument, mark(session, symbol))
        if instrument is None or figure is None:
            unpriced.append(symbol)
            continue
        totals[instrument.quote] = totals.get(instrument.quote, ZERO) + figure
    if not totals and not unpriced:
        return None
    return SessionPnl(tuple(sorted(totals.items())), tuple(unpriced))


# -- price alerts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    last: Decimal | None
    away: Decimal | None
    """Percent the price has still to go to reach the level."""
    price_places: int


@dataclass(frozen=True)
class AlertsView:
    rows: tuple[AlertRow, ...]


def alerts(session: TradingSession) -> AlertsView:
    """The alerts waiting, nearest to firing first, with how far each has still to go."""
    rows = []
    for alert in session.alerts.waiting:
        last = session.last_price(alert.symbol)
        away = None if not last else abs(alert.price - last) / last * 100
        price_places, _ = _places(session, alert.symbol)
        rows.append(AlertRow(alert, last, away, price_places))
    rows.sort(key=lambda row: (row.away is None, row.away or ZERO))
    return AlertsView(tuple(rows))


# -- the watchlist ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchRow:
    symbol: str
    last: Decimal | None
    change: Decimal | None
    """Percent over the last 24 hours, where the venue says."""
    price_places: int
    on_screen: bool


@dataclass(frozen=True)
class WatchlistView:
    rows: tuple[WatchRow, ...]


def watchlist(session: TradingSession, symbols: tuple[str, ...]) -> WatchlistView:
    """The pinned symbols with their last price and 24 h change: the board's, and for the
    symbol on screen its last print."""
    market = session.market
    on_screen = market.instrument.symbol if market is not None else None
    rows = []
    for symbol in symbols:
        row = session.board.get(symbol)
        last = None if row is None else row.last
        if symbol == on_screen and market is not None and market.trades.trades:
            last = market.trades.trades[-1].price
        change = None
        if row is not None and row.open and last is not None:
            change = (last - row.open) / row.open * 100
        price_places, _ = _places(session, symbol)
        rows.append(WatchRow(symbol, last, change, price_places, symbol == on_screen))
    return WatchlistView(tuple(rows))
