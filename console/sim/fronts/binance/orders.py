"""Account and order requests, shared by the REST API and the WebSocket API.

Both APIs take the same parameters and answer in the same shapes; only the envelope
differs. A refusal from the engine becomes Binance's code and message from `wire.REJECTS`.
"""

from __future__ import annotations

import secrets
import string
import zlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from console.model import Side, TimeInForce
from console.sim.engine import OrderType
from console.sim.exchange import SimExchange
from console.sim.fronts.binance.requests import BinanceError, Params, bad
from console.sim.fronts.binance.wire import (
    ORDERS_PER_10S,
    ORDERS_PER_DAY,
    REJECTS,
    STOP_TYPES,
    TYPES_FROM_WIRE,
    OrderShapes,
    list_status,
    num,
    trigger_above,
)
from console.sim.fronts.desk import OrderDesk, PlaceArgs
from console.sim.fronts.limits import Window
from console.sim.state import EngineOrder, Leg, ListKind, OrderList, Reject

RESPONSE_TYPES = ("ACK", "RESULT", "FULL")
TIMEOUT = BinanceError(
    503,
    -1007,
    "Timeout waiting for response from backend server. Send status unknown; execution status "
    "unknown.",
)
_ID_ALPHABET = string.ascii_letters + string.digits


def generated_client_id() -> str:
    """An id in the form Binance generates when the client sends none."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(22))


def refused(reject: Reject) -> BinanceError:
    code, msg = REJECTS[reject.reason]
    return bad(code, msg)


@dataclass(frozen=True)
class LegNames:
    """The parameter names one order of a request goes by (`price`, `abovePrice`, ...)."""

    type: str
    price: str
    stop_price: str
    time_in_force: str
    client_id: str

    @classmethod
    def prefixed(cls, prefix: str) -> LegNames:
        return cls(
            f"{prefix}Type",
            f"{prefix}Price",
            f"{prefix}StopPrice",
            f"{prefix}TimeInForce",
            f"{prefix}ClientOrderId",
        )


SINGLE = LegNames("type", "price", "stopPrice", "timeInForce", "newClientOrderId")
TAKE_PROFIT_SIDE = {"LIMIT_MAKER", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"}
STOP_LOSS_SIDE = {"STOP_LOSS", "STOP_LOSS_LIMIT"}
WORKING_TYPES = {"LIMIT", "LIMIT_MAKER"}
AMEND_HISTORY = 1000


class Orders:
    def __init__(self, exchange: SimExchange) -> None:
        self.exchange = exchange
        self.desk = OrderDesk(exchange)
        self.shapes = {
            symbol: OrderShapes(book.instrument) for symbol, book in exchange.engine.books.items()
        }
        self.cancel_ids: dict[int, str] = {}
        """The client id of the cancel request that ended each order, for its report."""
        self.order_windows: dict[str, tuple[Window, Window]] = {}
        self.amendments: dict[int, list[dict[str, Any]]] = {}
        self._execution_ids = iter(range(1, 1 << 62))

    def _shapes(self, params: Params) -> OrderShapes:
        symbol = params.required("symbol")
        shapes = self.shapes.get(symbol)
        if shapes is None:
            raise bad(-1121, "Invalid symbol.")
        return shapes

    def place(self, account: str, params: Params) -> dict[str, Any]:
        shapes, args, resp_type = self._order_args(account, params)
        try:
            order, fills = self.desk.place(args, TIMEOUT)
        except Reject as reject:
            raise refused(reject) from None
        return shapes.placed(order, fills, resp_type)

    def test(self, account: str, params: Params) -> dict[str, Any]:
        """order/test: every check of `place`, nothing placed; commission rates on request."""
        _, args, _ = self._order_args(account, params)
        try:
            args.check(self.exchange.engine)
        except Reject as reject:
            raise refused(reject) from None
        if params.get("computeCommissionRates") != "true":
            return {}
        rates = self.commission(account, params)
        return {
            "standardCommissionForOrder": {
                "maker": rates["standardCommission"]["maker"],
                "taker": rates["standardCommission"]["taker"],
            },
            "specialCommissionForOrder": {"maker": num(Decimal(0)), "taker": num(Decimal(0))},
            "taxCommissionForOrder": {"maker": num(Decimal(0)), "taker": num(Decimal(0))},
            "discount": rates["discount"],
        }

    def _order_args(self, account: str, params: Params) -> tuple[OrderShapes, PlaceArgs, str]:
        """A single order's parameters, checked as Binance checks them, as engine arguments."""
        shapes = self._shapes(params)
        side = self._side(params, "side")
        leg = self._leg(params, SINGLE, side)
        qty, quote_qty = self._amounts(params, leg.type)
        resp_type = params.get("newOrderRespType") or "FULL"
        if resp_type not in RESPONSE_TYPES:
            raise bad(-1100, "Illegal characters found in parameter 'newOrderRespType'.")
        args = PlaceArgs(
            account,
            shapes.instrument.symbol,
            side,
            leg.type,
            qty=qty,
            price=leg.price,
            time_in_force=leg.time_in_force,
            client_order_id=leg.client_order_id or generated_client_id(),
            quote_qty=quote_qty,
            stop_price=leg.stop_price,
            trigger_above=leg.trigger_above,
        )
        return shapes, args, resp_type

    @staticmethod
    def _side(params: Params, name: str) -> Side:
        text = params.required(name)
        if text not in Side.__members__:
            raise bad(-1117, "Invalid side.")
        return Side(text)

    def _leg(self, params: Params, names: LegNames, side: Side, qty: Decimal = Decimal(0)) -> Leg:
        """One order of a request: its wire type, price, stop price and time in force."""
        wire = params.required(names.type)
        stop_price = None
        if wire in STOP_TYPES:
            order_type = STOP_TYPES[wire]
            stop_price = params.decimal(names.stop_price, required=True)
        elif wire in TYPES_FROM_WIRE:
            order_type = TYPES_FROM_WIRE[wire]
            params.not_sent(names.stop_price)
        else:
            raise bad(-1116, "Invalid orderType.")
        if order_type is OrderType.LIMIT:
            text = params.required(names.time_in_force)
            if text not in TimeInForce.__members__:
                raise bad(-1115, "Invalid timeInForce.")
            tif = TimeInForce(text)
        else:
            params.not_sent(names.time_in_force)
            tif = TimeInForce.GTC
        if order_type is OrderType.MARKET:
            params.not_sent(names.price)
            price = None
        else:
            price = params.decimal(names.price, required=True)
        return Leg(
            side,
            order_type,
            qty,
            price,
            stop_price,
            trigger_above(wire, side) if stop_price is not None else False,
            tif,
            params.client_order_id(names.client_id),
        )

    @staticmethod
    def _amounts(params: Params, order_type: OrderType) -> tuple[Any, Any]:
        if order_type is OrderType.MARKET:
            qty, quote_qty = params.decimal("quantity"), params.decimal("quoteOrderQty")
            if qty is None and quote_qty is None:
                raise bad(
                    -1102,
                    "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
                )
            if qty is not None and quote_qty is not None:
                params.not_sent("quoteOrderQty")
            return qty, quote_qty
        params.not_sent("quoteOrderQty")
        return params.decimal("quantity", required=True), None

    def _find(
        self,
        account: str,
        params: Params,
        id_name: str = "orderId",
        client_name: str = "origClientOrderId",
    ) -> EngineOrder:
        order_id = params.integer(id_name)
        client_id = params.get(client_name)
        if order_id is None and client_id is None:
            raise bad(
                -1102,
                f"Param '{client_name}' or '{id_name}' must be sent, but both were empty/null!",
            )
        try:
            order = self.exchange.engine.order(account, order_id, client_id)
        except Reject:
            raise bad(-2013, "Order does not exist.") from None
        if order.symbol != params.values.get("symbol"):
            raise bad(-2013, "Order does not exist.")
        return order

    def status(self, account: str, params: Params) -> dict[str, Any]:
        shapes = self._shapes(params)
        return shapes.query(self._find(account, params))

    def cancel(self, account: str, params: Params) -> dict[str, Any]:
        shapes = self._shapes(params)
        cancel_id = params.client_order_id("newClientOrderId") or generated_client_id()
        order = self._cancel(account, params, cancel_id, "orderId", "origClientOrderId")
        return shapes.canceled(order, cancel_id, self.exchange.clock())

    def _cancel(
        self, account: str, params: Params, cancel_id: str, id_name: str, client_name: str
    ) -> EngineOrder:
        """Cancel the order `params` name (its whole list, if it is in one)."""
        order = self._cancel_target(account, params, id_name, client_name)
        self._name_cancel(order, cancel_id)
        self.exchange.engine.cancel(account, order.symbol, order_id=order.order_id)
        return order

    def _cancel_target(
        self, account: str, params: Params, id_name: str, client_name: str
    ) -> EngineOrder:
        """The open order a cancel names, within the request's `cancelRestrictions`."""
        try:
            order = self._find(account, params, id_name, client_name)
        except BinanceError:
            raise bad(-2011, "Unknown order sent.") from None
        if not order.is_open:
            raise bad(-2011, "Unknown order sent.")
        restriction = params.get("cancelRestrictions")
        if restriction not in (None, "ONLY_NEW", "ONLY_PARTIALLY_FILLED"):
            raise bad(-1145, "Invalid cancelRestrictions")
        if restriction is not None and order.status.value != restriction.removeprefix("ONLY_"):
            raise bad(-2011, "Order was not canceled due to cancel restrictions.")
        return order

    def _name_cancel(self, order: EngineOrder, cancel_id: str) -> None:
        """Remember the cancel's client id for the reports of every order it ends."""
        order_list = self.exchange.engine.lists.get(order.list_id)
        for member in order_list.orders if order_list else [order]:
            self.cancel_ids[member.order_id] = cancel_id

    def cancel_replace(self, account: str, params: Params) -> dict[str, Any]:
        """Cancel an order and place its replacement in one engine step.

        STOP_ON_FAILURE places nothing when the cancel fails; ALLOW_FAILURE places anyway.
        A failure on either side answers -2021 (409, one side done) or -2022 (400, neither),
        each side's outcome in `data`, as Binance does.
        """
        mode = params.required("cancelReplaceMode")
        if mode not in ("STOP_ON_FAILURE", "ALLOW_FAILURE"):
            raise bad(-1100, "Illegal characters found in parameter 'cancelReplaceMode'.")
        if params.get("cancelOrderId") is None and params.get("cancelOrigClientOrderId") is None:
            raise bad(
                -1102,
                "Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, but both "
                "were empty/null!",
            )
        shapes, args, resp_type = self._order_args(account, params)
        cancel_id = params.client_order_id("cancelNewClientOrderId") or generated_client_id()
        cancel: dict[str, Any] | BinanceError
        try:
            target = self._cancel_target(
                account, params, "cancelOrderId", "cancelOrigClientOrderId"
            )
        except BinanceError as error:
            if mode == "STOP_ON_FAILURE":
                raise _replace_failed(error.body(), None) from None
            target, cancel = None, error
        if target is not None:
            self._name_cancel(target, cancel_id)
        engine = self.exchange.engine
        canceled, placed = engine.cancel_replace(
            account,
            args.symbol,
            target.order_id if target else None,
            None if target else "",
            lambda: args.on(engine),
            allow_failure=True,
        )
        if target is not None:
            cancel = (
                refused(canceled)
                if isinstance(canceled, Reject)
                else shapes.canceled(target, cancel_id, self.exchange.clock())
            )
        assert placed is not None  # allowed to fail, so always tried
        new = refused(placed) if isinstance(placed, Reject) else shapes.placed(*placed, resp_type)
        return _replace_answer(cancel, new)

    def amend(self, account: str, params: Params) -> dict[str, Any]:
        """Lower an order's quantity, keeping its priority (order/amend/keepPriority)."""
        shapes = self._shapes(params)
        new_qty = params.decimal("newQty", required=True)
        assert new_qty is not None
        new_client_id = params.client_order_id("newClientOrderId") or generated_client_id()
        order = self._find(account, params)
        before = shapes.qty(order.qty_lots)
        try:
            self.exchange.engine.amend(account, order.symbol, order.order_id, None, new_qty)
        except Reject as reject:
            raise refused(reject) from None
        now = self.exchange.clock()
        execution_id = next(self._execution_ids)
        original_id, order.client_order_id = order.client_order_id, new_client_id
        history = self.amendments.setdefault(order.order_id, [])
        history.append(
            {
                "symbol": order.symbol,
                "orderId": order.order_id,
                "executionId": execution_id,
                "origClientOrderId": original_id,
                "newClientOrderId": new_client_id,
                "origQty": num(before),
                "newQty": num(shapes.qty(order.qty_lots)),
                "time": now,
            }
        )
        del history[:-AMEND_HISTORY]
        return {
            "transactTime": now,
            "executionId": execution_id,
            "amendedOrder": shapes.amended(order, original_id),
        }

    def amendments_of(self, account: str, params: Params) -> list[dict[str, Any]]:
        self._shapes(params)
        order = self._find(account, params)
        since = params.integer("fromExecutionId", 0) or 0
        limit = _limit(params, 500, 1000)
        rows = self.amendments.get(order.order_id, [])
        return [r for r in rows if r["executionId"] >= since][:limit]

    def count_order(self, account: str) -> dict[str, str]:
        """Spend one new order from the account's windows; their counts go in the headers."""
        windows = self._windows(account)
        now = self.exchange.clock()
        for window, label in zip(windows, ("10 SECOND", "1 DAY"), strict=True):
            window.roll(now)
            if window.used >= window.limit:
                raise BinanceError(
                    429,
                    -1015,
                    f"Too many new orders; current limit is {window.limit} orders per {label}.",
                )
        for window in windows:
            window.used += 1
        ten_seconds, day = windows
        return {
            "X-MBX-ORDER-COUNT-10S": str(ten_seconds.used),
            "X-MBX-ORDER-COUNT-1D": str(day.used),
        }

    def _windows(self, account: str) -> tuple[Window, Window]:
        windows = self.order_windows.get(account)
        if windows is None:
            windows = self.order_windows[account] = (
                Window(ORDERS_PER_10S, 10_000),
                Window(ORDERS_PER_DAY, 86_400_000),
            )
        return windows

    def order_rate_limits(self, account: str, params: Params) -> list[dict[str, Any]]:
        """rateLimit/order: the account's unfilled-order counts in each window."""
        now = self.exchange.clock()
        rows = []
        for window, (interval, num_) in zip(
            self._windows(account), (("SECOND", 10), ("DAY", 1)), strict=True
        ):
            window.roll(now)
            rows.append(
                {
                    "rateLimitType": "ORDERS",
                    "interval": interval,
                    "intervalNum": num_,
                    "limit": window.limit,
                    "count": window.used,
                }
            )
        return rows

    def open_orders(self, account: str, params: Params) -> list[dict[str, Any]]:
        symbol = params.get("symbol")
        if symbol is not None:
            self._shapes(params)
        orders = sorted(self.exchange.engine.open_orders(account, symbol), key=_by_id)
        return [self.shapes[o.symbol].query(o) for o in orders]

    def cancel_all(self, account: str, params: Params) -> list[dict[str, Any]]:
        shapes = self._shapes(params)
        orders = sorted(
            self.exchange.engine.open_orders(account, shapes.instrument.symbol), key=_by_id
        )
        if not orders:
            raise bad(-2011, "Unknown order sent.")
        ids = {o.order_id: generated_client_id() for o in orders}
        self.cancel_ids.update(ids)
        self.exchange.engine.cancel_all(account, shapes.instrument.symbol)
        now = self.exchange.clock()
        return [shapes.canceled(o, ids[o.order_id], now) for o in orders]

    def all_orders(self, account: str, params: Params) -> list[dict[str, Any]]:
        shapes = self._shapes(params)
        from_id = params.integer("orderId")
        start, end = params.integer("startTime"), params.integer("endTime")
        orders = [
            o
            for o in self.exchange.engine.all_orders(account, shapes.instrument.symbol)
            if (from_id is None or o.order_id >= from_id)
            and (start is None or o.created_ms >= start)
            and (end is None or o.created_ms <= end)
        ]
        limit = _limit(params, 500, 1000)
        orders = orders[:limit] if from_id is not None or start is not None else orders[-limit:]
        return [shapes.query(o) for o in orders]

    def my_trades(self, account: str, params: Params) -> list[dict[str, Any]]:
        shapes = self._shapes(params)
        symbol = shapes.instrument.symbol
        order_id, from_id = params.integer("orderId"), params.integer("fromId")
        start, end = params.integer("startTime"), params.integer("endTime")
        if from_id is not None and (start is not None or end is not None):
            raise bad(-1128, "Combination of optional parameters invalid.")
        engine = self.exchange.engine
        acct = engine.accounts.get(account)
        fills = [
            f
            for f in (acct.fills if acct else [])
            if f.symbol == symbol
            and (order_id is None or f.order_id == order_id)
            and (from_id is None or f.execution.trade_id >= from_id)
            and (start is None or f.time_ms >= start)
            and (end is None or f.time_ms <= end)
        ]
        limit = _limit(params, 500, 1000)
        chosen = fills[:limit] if from_id is not None or start is not None else fills[-limit:]
        return [
            {
                "symbol": f.symbol,
                "id": f.execution.trade_id,
                "orderId": f.order_id,
                "orderListId": f.list_id,
                "price": num(f.execution.price),
                "qty": num(f.execution.qty),
                "quoteQty": num(f.execution.price * f.execution.qty),
                "commission": num(f.execution.fee),
                "commissionAsset": f.execution.fee_asset,
                "time": f.time_ms,
                "isBuyer": f.side is Side.BUY,
                "isMaker": f.execution.is_maker,
                "isBestMatch": True,
            }
            for f in chosen
        ]

    def commission(self, account: str, params: Params) -> dict[str, Any]:
        shapes = self._shapes(params)
        engine = self.exchange.engine
        acct = engine.accounts.get(account) or engine.open_account(account)
        zero = num(Decimal(0))
        nothing = {"maker": zero, "taker": zero, "buyer": zero, "seller": zero}
        return {
            "symbol": shapes.instrument.symbol,
            "standardCommission": {
                "maker": num(acct.maker_fee),
                "taker": num(acct.taker_fee),
                "buyer": zero,
                "seller": zero,
            },
            "specialCommission": nothing,
            "taxCommission": nothing,
            "discount": {
                "enabledForAccount": False,
                "enabledForSymbol": False,
                "discountAsset": "BNB",
                "discount": zero,
            },
        }

    # -- order lists -------------------------------------------------------------------------

    def place_oco(self, account: str, params: Params) -> dict[str, Any]:
        """orderList/oco: an `above` and a `below` leg, one cancelling the other."""
        shapes = self._shapes(params)
        side, qty = self._sized(params, "side", "quantity")
        above = self._leg(params, LegNames.prefixed("above"), side, qty)
        below = self._leg(params, LegNames.prefixed("below"), side, qty)
        self._check_pair(params, "aboveType", "belowType", side)
        return self._place_list(account, params, shapes, ListKind.OCO, [above, below])

    def place_legacy_oco(self, account: str, params: Params) -> dict[str, Any]:
        """order/oco, Binance's older OCO: a limit-maker leg at `price` and a stop leg."""
        shapes = self._shapes(params)
        side, qty = self._sized(params, "side", "quantity")
        price, stop = (
            params.decimal("price", required=True),
            params.decimal("stopPrice", required=True),
        )
        assert stop is not None
        stop_limit = params.decimal("stopLimitPrice")
        if stop_limit is not None:
            tif = params.required("stopLimitTimeInForce")
            if tif not in TimeInForce.__members__:
                raise bad(-1115, "Invalid timeInForce.")
        limit_leg = Leg(
            side,
            OrderType.POST_ONLY,
            qty,
            price,
            client_order_id=params.client_order_id("limitClientOrderId"),
        )
        stop_leg = Leg(
            side,
            OrderType.LIMIT if stop_limit is not None else OrderType.MARKET,
            qty,
            stop_limit,
            stop,
            side is Side.BUY,
            TimeInForce(params.get("stopLimitTimeInForce") or "GTC"),
            params.client_order_id("stopClientOrderId"),
        )
        legs = [limit_leg, stop_leg] if side is Side.SELL else [stop_leg, limit_leg]
        return self._place_list(account, params, shapes, ListKind.OCO, legs)

    def place_oto(self, account: str, params: Params) -> dict[str, Any]:
        """orderList/oto: a working order whose fill places the pending one."""
        shapes = self._shapes(params)
        working = self._working(params)
        side, qty = self._sized(params, "pendingSide", "pendingQuantity")
        pending = self._leg(params, LegNames.prefixed("pending"), side, qty)
        return self._place_list(account, params, shapes, ListKind.OTO, [pending], working)

    def place_otoco(self, account: str, params: Params) -> dict[str, Any]:
        """orderList/otoco: a working order whose fill places a one-cancels-other pair."""
        shapes = self._shapes(params)
        working = self._working(params)
        side, qty = self._sized(params, "pendingSide", "pendingQuantity")
        above = self._leg(params, LegNames.prefixed("pendingAbove"), side, qty)
        below = self._leg(params, LegNames.prefixed("pendingBelow"), side, qty)
        self._check_pair(params, "pendingAboveType", "pendingBelowType", side)
        return self._place_list(account, params, shapes, ListKind.OTO, [above, below], working)

    def _working(self, params: Params) -> Leg:
        if params.required("workingType") not in WORKING_TYPES:
            raise bad(-1116, "Invalid orderType.")
        side, qty = self._sized(params, "workingSide", "workingQuantity")
        return self._leg(params, LegNames.prefixed("working"), side, qty)

    def _sized(self, params: Params, side_name: str, qty_name: str) -> tuple[Side, Decimal]:
        """The side and quantity one or more orders of a request share."""
        side = self._side(params, side_name)
        qty = params.decimal(qty_name, required=True)
        assert qty is not None
        return side, qty

    @staticmethod
    def _check_pair(params: Params, above_name: str, below_name: str, side: Side) -> None:
        """A sell's upper leg takes profit and its lower one stops the loss; a buy's the
        other way round."""
        upper, lower = (
            (TAKE_PROFIT_SIDE, STOP_LOSS_SIDE)
            if side is Side.SELL
            else (STOP_LOSS_SIDE, TAKE_PROFIT_SIDE)
        )
        if params.required(above_name) not in upper or params.required(below_name) not in lower:
            raise bad(-1014, "Unsupported order combination.")

    def _place_list(
        self,
        account: str,
        params: Params,
        shapes: OrderShapes,
        kind: ListKind,
        legs: list[Leg],
        working: Leg | None = None,
    ) -> dict[str, Any]:
        filled = [
            Leg(
                leg.side,
                leg.type,
                leg.qty,
                leg.price,
                leg.stop_price,
                leg.trigger_above,
                leg.time_in_force,
                leg.client_order_id or generated_client_id(),
            )
            for leg in ([working] if working else []) + legs
        ]
        list_client_id = params.client_order_id("listClientOrderId") or generated_client_id()
        try:
            order_list = self.exchange.engine.place_list(
                account,
                shapes.instrument.symbol,
                kind,
                filled[1:] if working else filled,
                filled[0] if working else None,
                list_client_id,
            )
        except Reject as reject:
            raise refused(reject) from None
        now = self.exchange.clock()
        return {
            **list_status(order_list, now),
            "orderReports": [shapes.placed(o, [], "RESULT") for o in order_list.orders],
        }

    def _find_list(self, account: str, params: Params, client_name: str) -> OrderList:
        list_id = params.integer("orderListId")
        client_id = params.get(client_name)
        if list_id is None and client_id is None:
            raise bad(
                -1102,
                f"Param '{client_name}' or 'orderListId' must be sent, but both were empty/null!",
            )
        try:
            return self.exchange.engine.order_list(account, list_id, client_id)
        except Reject:
            raise bad(-2018, "Order list does not exist.") from None

    def list_query(self, account: str, params: Params) -> dict[str, Any]:
        return list_status(
            self._find_list(account, params, "origClientOrderId"), self.exchange.clock()
        )

    def cancel_list(self, account: str, params: Params) -> dict[str, Any]:
        shapes = self._shapes(params)
        order_list = self._find_list(account, params, "listClientOrderId")
        if order_list.symbol != shapes.instrument.symbol or not order_list.is_open:
            raise bad(-2011, "Unknown order sent.")
        cancel_id = params.client_order_id("newClientOrderId") or generated_client_id()
        for order in order_list.orders:
            self.cancel_ids[order.order_id] = cancel_id
        self.exchange.engine.cancel_list(account, order_list.symbol, order_list.list_id)
        now = self.exchange.clock()
        return {
            **list_status(order_list, now),
            "orderReports": [shapes.canceled(o, cancel_id, now) for o in order_list.orders],
        }

    def all_lists(self, account: str, params: Params) -> list[dict[str, Any]]:
        from_id = params.integer("fromId")
        start, end = params.integer("startTime"), params.integer("endTime")
        if from_id is not None and (start is not None or end is not None):
            raise bad(-1128, "Combination of optional parameters invalid.")
        lists = [
            lst
            for lst in self.exchange.engine.lists.values()
            if lst.account == account
            and (from_id is None or lst.list_id >= from_id)
            and (start is None or lst.created_ms >= start)
            and (end is None or lst.created_ms <= end)
        ]
        limit = _limit(params, 500, 1000)
        lists = lists[:limit] if from_id is not None or start is not None else lists[-limit:]
        now = self.exchange.clock()
        return [list_status(lst, now) for lst in lists]

    def open_lists(self, account: str, params: Params) -> list[dict[str, Any]]:
        now = self.exchange.clock()
        return [
            list_status(lst, now)
            for lst in self.exchange.engine.lists.values()
            if lst.account == account and lst.is_open
        ]

    def account(self, account: str) -> dict[str, Any]:
        engine = self.exchange.engine
        acct = engine.accounts.get(account) or engine.open_account(account)
        maker, taker = acct.maker_fee, acct.taker_fee
        return {
            "makerCommission": int(maker * 10_000),
            "takerCommission": int(taker * 10_000),
            "buyerCommission": 0,
            "sellerCommission": 0,
            "commissionRates": {
                "maker": num(maker),
                "taker": num(taker),
                "buyer": num(Decimal(0)),
                "seller": num(Decimal(0)),
            },
            "canTrade": True,
            "canWithdraw": False,
            "canDeposit": False,
            "brokered": False,
            "requireSelfTradePrevention": False,
            "preventSor": False,
            "updateTime": self.exchange.clock(),
            "accountType": "SPOT",
            "balances": [
                {"asset": asset, "free": num(h.free), "locked": num(h.locked)}
                for asset, h in sorted(acct.holdings.items())
            ],
            "permissions": ["SPOT"],
            "uid": zlib.crc32(account.encode()),
        }


def _by_id(order: EngineOrder) -> int:
    return order.order_id


def _limit(params: Params, default: int, most: int) -> int:
    value = params.integer("limit", default)
    assert value is not None
    return max(1, min(value, most))


def _replace_failed(cancel: dict[str, Any], new: dict[str, Any] | None) -> BinanceError:
    """Neither side done: 400 -2022 with each side's refusal."""
    return BinanceError(
        400,
        -2022,
        "Order cancel-replace failed.",
        {
            "cancelResult": "FAILURE",
            "newOrderResult": "NOT_ATTEMPTED" if new is None else "FAILURE",
            "cancelResponse": cancel,
            "newOrderResponse": new,
        },
    )


def _replace_answer(
    cancel: dict[str, Any] | BinanceError, new: dict[str, Any] | BinanceError
) -> dict[str, Any]:
    """Both sides done: the answer; one side failed: 409 -2021 with each side's outcome."""
    cancel_failed, new_failed = isinstance(cancel, BinanceError), isinstance(new, BinanceError)
    cancel_body = cancel.body() if isinstance(cancel, BinanceError) else cancel
    new_body = new.body() if isinstance(new, BinanceError) else new
    if cancel_failed and new_failed:
        raise _replace_failed(cancel_body, new_body)
    outcome = {
        "cancelResult": "FAILURE" if cancel_failed else "SUCCESS",
        "newOrderResult": "FAILURE" if new_failed else "SUCCESS",
        "cancelResponse": cancel_body,
        "newOrderResponse": new_body,
    }
    if cancel_failed or new_failed:
        raise BinanceError(409, -2021, "Order cancel-replace partially failed.", outcome)
    return outcome
