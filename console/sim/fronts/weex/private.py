"""WEEX's header-signed private stream on the simulator: `/v3/ws/private`.

The seed does not describe it; what is served comes from the frames WEEX really sent as
ccxt's weex client quotes them (ccxt 4.5.90, `pro/weex.py`: `handle_orders`,
`handle_my_trades`, `handle_balance`, `pong`) and from JKorf/Weex.Net's signing
(VENUES.md 1.5). The handshake carries the REST headers (`ACCESS-KEY`, `ACCESS-PASSPHRASE`,
`ACCESS-TIMESTAMP`, and `ACCESS-SIGN` = base64 HMAC-SHA256 of `timestamp +
"/v3/ws/private"`) and a User-Agent (WEEX's firewall refuses a connection without one).
The client sends `{"id": "1", "method": "SUBSCRIBE", "params": ["orders"]}` for `orders`,
`fill` or `account` and hears `{"result": true, "id": "1"}`; each push is `{"e": channel,
"E": time, "v": version, "msgEvent": ..., "d": [rows]}` with every number a string. The
server pings with `{"type": "ping", "time": "<ms>"}`, answered by `{"method": "PONG"}`.
The statuses of an order row are the v3 REST words (`NEW`, `FILLED`, ...): the recordings
show only `FILLED`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import msgspec
from aiohttp import web

from console.sim.exchange import SimExchange
from console.sim.fronts.rest import json_response
from console.sim.fronts.sockets import SimSocket, SocketRules, SocketStyle
from console.sim.fronts.weex.market import stream_request
from console.sim.fronts.weex.requests import WeexError, verify
from console.sim.fronts.weex.v3 import STATES, WIRE_TYPES
from console.sim.fronts.weex.wire import plain
from console.sim.state import BalancesChanged, Event, Execution, OrderChanged

PATH = "/v3/ws/private"
CHANNELS = frozenset({"orders", "fill", "account"})


def typed_ping(stamp: int) -> str:
    return f'{{"type":"ping","time":"{stamp}"}}'


TYPED_PINGS = SocketStyle(json_ping=typed_ping)


@dataclass(eq=False)
class PrivateSession:
    socket: SimSocket
    account: str
    channels: set[str] = field(default_factory=set)
    versions: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


@dataclass
class Fills:
    """What an order's fills add up to, which its rows carry: fee, dearest and cheapest."""

    fee: Decimal = Decimal(0)
    high: Decimal | None = None
    low: Decimal | None = None

    def add(self, execution: Execution) -> None:
        self.fee += execution.fee
        self.high = max(self.high or execution.price, execution.price)
        self.low = min(self.low or execution.price, execution.price)


class WeexPrivateStream:
    def __init__(self, exchange: SimExchange, rules: SocketRules) -> None:
        self.exchange = exchange
        self.rules = rules
        self.sessions: set[PrivateSession] = set()
        self._fills: dict[int, Fills] = {}
        self._encode = msgspec.json.Encoder().encode
        exchange.engine.subscribe(self.on_event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not request.headers.get("User-Agent"):
            return json_response(WeexError("403", "Forbidden").body(), 403)
        stamp = request.headers.get("ACCESS-TIMESTAMP", "")
        try:
            credential = verify(
                self.exchange.credentials,
                request.headers,
                self.exchange.clock(),
                f"{stamp}{PATH}".encode(),
            )
        except WeexError as refusal:
            return json_response(refusal.body(), 401)
        socket = SimSocket(request, self.rules, self.exchange.chaos, TYPED_PINGS)
        session = PrivateSession(socket, credential.account)
        self.sessions.add(session)

        async def on_text(text: str) -> None:
            self._request(session, text)

        try:
            return await socket.serve(on_text, lambda: "")
        finally:
            self.sessions.discard(session)

    def _send(self, session: PrivateSession, body: Any) -> None:
        session.socket.send(self._encode(body).decode())

    def _request(self, session: PrivateSession, text: str) -> None:
        asked = stream_request(text)
        if isinstance(asked, dict):
            self._send(session, asked)
            return
        ident, method, params = asked.ident, asked.method, asked.params
        if method == "PONG":
            session.socket.pong_heard()
            return
        unknown = [p for p in params if p not in CHANNELS]
        if unknown:
            self._send(session, {"result": False, "id": ident, "msg": f"invalid topic {unknown}"})
            return
        if method == "SUBSCRIBE":
            session.channels.update(params)
        else:
            session.channels.difference_update(params)
        self._send(session, {"result": True, "id": ident})

    # -- pushes ------------------------------------------------------------------------------

    def on_event(self, event: Event) -> None:
        if isinstance(event, OrderChanged):
            self._order_changed(event)
        elif isinstance(event, BalancesChanged):
            rows = [
                {
                    "coin": asset,
                    "equity": plain(free + locked),
                    "available": plain(free),
                    "frozen": plain(locked),
                }
                for asset, (free, locked) in event.balances.items()
            ]
            self._push(event.account, "account", event.time_ms, rows)

    def _order_changed(self, event: OrderChanged) -> None:
        order = event.order
        if not any(session.account == order.account for session in self.sessions):
            return
        fills = self._fills.setdefault(order.order_id, Fills())
        if event.fill is not None:
            fills.add(event.fill)
            self._push(order.account, "fill", event.time_ms, [self._fill_row(event)])
        self._push(order.account, "orders", event.time_ms, [self._order_row(event, fills)])
        if not order.is_open:
            del self._fills[order.order_id]

    def _push(self, account: str, channel: str, time_ms: int, rows: list[dict[str, Any]]) -> None:
        for session in self.sessions:
            if session.account == account and channel in session.channels:
                body = {
                    "e": channel,
                    "E": time_ms,
                    "v": next(session.versions),
                    "msgEvent": "OrderUpdate",
                    "d": rows,
                }
                self._send(session, body)

    def _coins(self, symbol: str) -> dict[str, str]:
        instrument = self.exchange.engine.books[symbol].instrument
        return {"symbol": symbol, "baseCoin": instrument.base, "quoteCoin": instrument.quote}

    def _order_row(self, event: OrderChanged, fills: Fills) -> dict[str, Any]:
        order = event.order
        lot = self.exchange.engine.books[order.symbol].instrument.lot_size
        account = self.exchange.engine.open_account(order.account)
        filled = order.filled_lots * lot
        return {
            "id": str(order.order_id),
            **self._coins(order.symbol),
            "orderSide": order.side.value,
            "price": plain(order.price or Decimal(0)),
            "size": plain(order.qty_lots * lot),
            "value": plain(order.quote_qty or Decimal(0)),
            "clientOrderId": order.client_order_id,
            "type": WIRE_TYPES[order.type],
            "timeInForce": order.time_in_force.value,
            "reduceOnly": False,
            "triggerPrice": "0",
            "orderSource": "API",
            "openTpslParentOrderId": "0",
            "setOpenTp": False,
            "setOpenSl": False,
            "takerFeeRate": plain(account.taker_fee),
            "makerFeeRate": plain(account.maker_fee),
            "feeDiscount": "1",
            "takerFeeDiscount": "1",
            "makerFeeDiscount": "1",
            "status": STATES[order.status],
            "triggerTime": "0",
            "triggerPriceTime": "0",
            "triggerPriceValue": "0",
            "cancelReason": "UNKNOWN_ORDER_CANCEL_REASON",
            "latestFillPrice": plain(event.fill.price if event.fill else Decimal(0)),
            "maxFillPrice": plain(fills.high or Decimal(0)),
            "minFillPrice": plain(fills.low or Decimal(0)),
            "cumFillSize": plain(filled),
            "cumFillValue": plain(order.filled_quote),
            "cumFillFee": plain(fills.fee),
            "createdTime": str(order.created_ms),
            "updatedTime": str(event.time_ms),
        }

    def _fill_row(self, event: OrderChanged) -> dict[str, Any]:
        order, execution = event.order, event.fill
        assert execution is not None
        return {
            "id": str(execution.trade_id),
            **self._coins(order.symbol),
            "orderId": str(order.order_id),
            "orderSide": order.side.value,
            "fillSize": plain(execution.qty),
            "fillValue": plain(execution.price * execution.qty),
            "fillFee": plain(execution.fee),
            "direction": "MAKER" if execution.is_maker else "TAKER",
            "createdTime": str(event.time_ms),
            "updatedTime": str(event.time_ms),
        }
