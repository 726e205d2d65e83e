"""Price-time matching: a taker walks the opposite side level by level, oldest maker first,
each fill settled for both parties with the fee in the asset each receives."""

from __future__ import annotations

from collections import deque
from decimal import ROUND_DOWN, Decimal

from console.book import BookSide
from console.model import OrderStatus, Side
from console.sim.core import EngineCore
from console.sim.state import (
    FEE_PRECISION,
    Account,
    EngineOrder,
    ExecType,
    Execution,
    Fill,
    OrderChanged,
    SymbolBook,
    TradePrinted,
)


class Matching(EngineCore):
    def _match(
        self, book: SymbolBook, taker_acct: Account, taker: EngineOrder, now: int
    ) -> list[Execution]:
        opposite: BookSide = book.l2.asks if taker.side is Side.BUY else book.l2.bids
        opposite_side = taker.side.opposite
        fills = []
        while taker.remaining_lots:
            best = opposite.best()
            if best is None:
                break
            if taker.price_ticks is not None and (
                best > taker.price_ticks if taker.side is Side.BUY else best < taker.price_ticks
            ):
                break
            queue = book.queues[(opposite_side, best)]
            while queue and taker.remaining_lots:
                maker = queue[0]
                lots = min(taker.remaining_lots, maker.remaining_lots)
                fills.append(self._execute(book, taker_acct, taker, maker, best, lots, now))
                if not maker.remaining_lots:
                    queue.popleft()
            level_lots = sum(o.remaining_lots for o in queue)
            self._level_changed(book, opposite_side, best, level_lots)
            if not queue:
                del book.queues[(opposite_side, best)]
        return fills

    def _execute(
        self,
        book: SymbolBook,
        taker_acct: Account,
        taker: EngineOrder,
        maker: EngineOrder,
        ticks: int,
        lots: int,
        now: int,
    ) -> Execution:
        inst = book.instrument
        price = book.l2.prices.value(ticks)
        qty = book.l2.sizes.value(lots)
        trade_id = next(self._trade_ids)
        self._retire_siblings(maker)
        maker_acct = self.accounts[maker.account]
        maker_fill = self._settle(
            book, maker_acct, maker, lots, price, qty, trade_id, is_maker=True, now=now
        )
        taker_fill = self._settle(
            book, taker_acct, taker, lots, price, qty, trade_id, is_maker=False, now=now
        )
        book.last_price = price
        self._emit(TradePrinted(inst.symbol, trade_id, price, qty, taker.side, now, taker.order_id))
        for order, fill in ((maker, maker_fill), (taker, taker_fill)):
            self._emit(OrderChanged(order, ExecType.TRADE, now, fill))
            if order.status is OrderStatus.FILLED:
                self._list_moved(order)
        return taker_fill

    def _settle(
        self,
        book: SymbolBook,
        acct: Account,
        order: EngineOrder,
        lots: int,
        price: Decimal,
        qty: Decimal,
        trade_id: int,
        is_maker: bool,
        now: int,
    ) -> Execution:
        """Move one fill's assets for one party and charge its fee in the asset it receives."""
        inst = book.instrument
        rate = acct.maker_fee if is_maker else acct.taker_fee
        quote = price * qty
        order.filled_lots += lots
        order.filled_quote += quote
        order.updated_ms = now
        order.status = (
            OrderStatus.FILLED
            if order.filled_lots == order.qty_lots
            else OrderStatus.PARTIALLY_FILLED
        )
        if order.side is Side.BUY:
            spent, received, got_asset = quote, qty, inst.base
            paid = acct.holding(inst.quote)
            # A limit buy locked its own price; the fill may be cheaper, freeing the rest.
            unlock = order.price * qty if order.price is not None else quote
            unlock = min(unlock, order.locked)
            paid.locked -= unlock
            paid.free += unlock - spent
            order.locked -= unlock
            self._touch_balance(acct.name, inst.quote)
        else:
            received, got_asset = quote, inst.quote
            paid = acct.holding(inst.base)
            paid.locked -= qty
            order.locked -= qty
            self._touch_balance(acct.name, inst.base)
        fee = (received * rate).quantize(FEE_PRECISION, rounding=ROUND_DOWN)
        acct.holding(got_asset).free += received - fee
        self.fees_collected[got_asset] = self.fees_collected.get(got_asset, Decimal(0)) + fee
        self._touch_balance(acct.name, got_asset)
        if order.status is OrderStatus.FILLED:
            self._finish(acct, order)
            self._release(acct, book, order)  # what a pair's other leg handed over
        execution = Execution(trade_id, price, qty, fee, got_asset, is_maker)
        acct.fills.append(
            Fill(inst.symbol, order.order_id, order.list_id, order.side, execution, now)
        )
        return execution

    def _rest(self, book: SymbolBook, acct: Account, order: EngineOrder) -> None:
        assert order.price_ticks is not None
        key = (order.side, order.price_ticks)
        queue = book.queues.get(key)
        if queue is None:
            queue = book.queues[key] = deque()
        queue.append(order)
        self._level_changed(
            book, order.side, order.price_ticks, sum(o.remaining_lots for o in queue)
        )
