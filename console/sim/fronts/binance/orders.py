"""Account and order requests, shared by the REST API and the WebSocket API.

Both APIs take the same parameters and answer in the same shapes; only the envelope
differs. A refusal from the engine becomes Binance's code and message from `wire.REJECTS`.
"""

from __future__ import annotations

import secrets
import string
import zlib
from decimal import Decimal
from typing import Any

from console.model import Side, TimeInForce
from console.sim.engine import EngineOrder, OrderType, Reject
from console.sim.exchange import SimExchange
from console.sim.fronts.binance.requests import BinanceError, Params, bad
from console.sim.fronts.binance.wire import REJECTS, TYPES_FROM_WIRE, OrderShapes, num
from console.sim.fronts.desk import OrderDesk, PlaceArgs

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


class Orders:
    def __init__(self, exchange: SimExchange) -> None:
        self.exchange = exchange
        self.desk = OrderDesk(exchange)
        self.shapes = {
            symbol: OrderShapes(book.instrument) for symbol, book in exchange.engine.books.items()
        }
        self.cancel_ids: dict[int, str] = {}
        """The client id of the cancel request that ended each order, for its report."""

    def _shapes(self, params: Params) -> OrderShapes:
        symbol = params.required("symbol")
        shapes = self.shapes.get(symbol)
        if shapes is None:
            raise bad(-1121, "Invalid symbol.")
        return shapes

    def place(self, account: str, params: Params) -> dict[str, Any]:
        shapes = self._shapes(params)
        side_text = params.required("side")
        if side_text not in Side.__members__:
            raise bad(-1117, "Invalid side.")
        type_text = params.required("type")
        order_type = TYPES_FROM_WIRE.get(type_text)
        if order_type is None:
            raise bad(-1116, "Invalid orderType.")
        tif = self._time_in_force(params, order_type)
        qty, quote_qty, price = self._amounts(params, order_type)
        resp_type = params.get("newOrderRespType") or "FULL"
        if resp_type not in RESPONSE_TYPES:
            raise bad(-1100, "Illegal characters found in parameter 'newOrderRespType'.")
        client_id = params.client_order_id("newClientOrderId") or generated_client_id()
        order_args: PlaceArgs = (
            account,
            shapes.instrument.symbol,
            Side(side_text),
            order_type,
            qty,
            price,
            tif,
            client_id,
            quote_qty,
        )
        try:
            order, fills = self.desk.place(order_args, TIMEOUT)
        except Reject as reject:
            raise refused(reject) from None
        return shapes.placed(order, fills, resp_type)

    @staticmethod
    def _time_in_force(params: Params, order_type: OrderType) -> TimeInForce:
        if order_type is not OrderType.LIMIT:
            params.not_sent("timeInForce")
            return TimeInForce.GTC
        text = params.required("timeInForce")
        if text not in TimeInForce.__members__:
            raise bad(-1115, "Invalid timeInForce.")
        return TimeInForce(text)

    @staticmethod
    def _amounts(params: Params, order_type: OrderType) -> tuple[Any, Any, Any]:
        if order_type is OrderType.MARKET:
            params.not_sent("price")
            qty, quote_qty = params.decimal("quantity"), params.decimal("quoteOrderQty")
            if qty is None and quote_qty is None:
                raise bad(
                    -1102,
                    "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
                )
            if qty is not None and quote_qty is not None:
                params.not_sent("quoteOrderQty")
            return qty, quote_qty, None
        params.not_sent("quoteOrderQty")
        return params.decimal("quantity", True), None, params.decimal("price", True)

    def _find(self, account: str, params: Params) -> EngineOrder:
        order_id = params.integer("orderId")
        client_id = params.get("origClientOrderId")
        if order_id is None and client_id is None:
            raise bad(
                -1102,
                "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
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
        try:
            order = self._find(account, params)
        except BinanceError:
            raise bad(-2011, "Unknown order sent.") from None
        if not order.is_open:
            raise bad(-2011, "Unknown order sent.")
        self.cancel_ids[order.order_id] = cancel_id
        try:
            self.exchange.engine.cancel(account, order.symbol, order_id=order.order_id)
        except Reject:
            raise bad(-2011, "Unknown order sent.") from None
        return shapes.canceled(order, cancel_id, self.exchange.clock())

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
