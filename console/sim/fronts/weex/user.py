"""WEEX's user data stream on the simulator: `/ws?listenKey=...`.

As the seed and the FAQ describe it: a connection without a User-Agent header is refused
with 403 (WEEX's firewall); a listenKey opens at most five connections; a connection lives
24 hours. The client sends `{"method": "SUBSCRIPTION", "params": [...]}` for
`spot@private.account.v3.api`, `spot@private.deals.v3.api` and
`spot@private.orders.v3.api`, and `{"method": "PING"}` to keep it alive; each push is
shaped as the seed shows (`c` channel, `d` data, `s` symbol, `t` event time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import msgspec
from aiohttp import web

from console.model import OrderStatus, OrderType, Side, TimeInForce
from console.sim.exchange import SimExchange
from console.sim.fronts.client_json import Malformed, read_json
from console.sim.fronts.rest import json_response
from console.sim.fronts.sockets import SimSocket, SocketRules
from console.sim.fronts.weex.requests import WeexError
from console.sim.fronts.weex.rest import WeexRestFront
from console.sim.fronts.weex.wire import plain
from console.sim.state import BalancesChanged, EngineOrder, Event, ExecType, OrderChanged

ACCOUNT = "spot@private.account.v3.api"
DEALS = "spot@private.deals.v3.api"
ORDERS = "spot@private.orders.v3.api"
CHANNELS = frozenset({ACCOUNT, DEALS, ORDERS})
CONNECTIONS_PER_KEY = 5
CHANGE_TYPES = {
    ExecType.NEW: "ENTRUST_PLACE",
    ExecType.TRADE: "DEAL",
    ExecType.CANCELED: "ENTRUST_CANCEL",
    ExecType.EXPIRED: "ENTRUST_CANCEL",
}
SIDES = {Side.BUY: 1, Side.SELL: 2}


def type_code(order: EngineOrder) -> int:
    """LIMIT_ORDER(1), POST_ONLY(2), IMMEDIATE_OR_CANCEL(3), FILL_OR_KILL(4), MARKET_ORDER(5)."""
    if order.type is OrderType.MARKET:
        return 5
    if order.type is OrderType.POST_ONLY:
        return 2
    return {TimeInForce.IOC: 3, TimeInForce.FOK: 4}.get(order.time_in_force, 1)


def status_code(order: EngineOrder) -> int:
    """1 new, 2 filled, 3 partially filled, 4 cancelled, 5 partially filled then cancelled."""
    if order.status is OrderStatus.FILLED:
        return 2
    if order.status is OrderStatus.PARTIALLY_FILLED:
        return 3
    if order.status in (OrderStatus.CANCELED, OrderStatus.EXPIRED, OrderStatus.REJECTED):
        return 5 if order.filled_lots else 4
    return 1


@dataclass(eq=False)
class UserSession:
    socket: SimSocket
    account: str
    listen_key: str
    channels: set[str] = field(default_factory=set)


class WeexUserStream:
    def __init__(self, exchange: SimExchange, rest: WeexRestFront, rules: SocketRules) -> None:
        self.exchange = exchange
        self.rest = rest
        self.rules = rules
        self.sessions: set[UserSession] = set()
        self._encode = msgspec.json.Encoder(decimal_format="number").encode
        self._balances: dict[str, dict[str, tuple[Decimal, Decimal]]] = {}
        """Each watched account's balances as last pushed, for the pushes' changes."""
        self._last_change: dict[str, str] = {}
        exchange.engine.subscribe(self.on_event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not request.headers.get("User-Agent"):
            return json_response(WeexError("403", "Forbidden").body(), 403)
        key = request.query.get("listenKey", "")
        account = self.rest.account_of(key)
        if account is None:
            refusal = WeexError("40017", "listenKey does not exist or has expired")
            return json_response(refusal.body(), 400)
        if sum(s.listen_key == key for s in self.sessions) >= CONNECTIONS_PER_KEY:
            refusal = WeexError("40017", "a listenKey opens at most 5 connections")
            return json_response(refusal.body(), 400)
        session = UserSession(SimSocket(request, self.rules, self.exchange.chaos), account, key)
        self.sessions.add(session)
        self._watch(account)

        async def on_text(text: str) -> None:
            self._request(session, text)

        try:
            return await session.socket.serve(on_text, lambda: "")
        finally:
            self.sessions.discard(session)

    def _watch(self, account: str) -> None:
        if account not in self._balances:
            holdings = self.exchange.engine.open_account(account).holdings
            self._balances[account] = {a: (h.free, h.locked) for a, h in holdings.items()}

    def _send(self, session: UserSession, body: dict[str, Any]) -> None:
        session.socket.send(self._encode(body).decode())

    def _request(self, session: UserSession, text: str) -> None:
        try:
            frame = read_json(text)
        except Malformed:
            frame = None
        if not isinstance(frame, dict):
            self._send(session, {"id": 0, "code": 1, "msg": "invalid json"})
            return
        ident = frame.get("id", 0)
        method, params = frame.get("method"), frame.get("params")
        if method == "PING":
            self._send(session, {"id": ident, "code": 0, "msg": "PONG"})
        elif method in ("SUBSCRIPTION", "UNSUBSCRIPTION") and isinstance(params, list):
            unknown = [p for p in params if p not in CHANNELS]
            if unknown:
                self._send(session, {"id": ident, "code": 1, "msg": f"no such channel: {unknown}"})
                return
            if method == "SUBSCRIPTION":
                session.channels.update(params)
            else:
                session.channels.difference_update(params)
            self._send(session, {"id": ident, "code": 0, "msg": ",".join(params)})
        else:
            self._send(session, {"id": ident, "code": 1, "msg": f"unknown method {method!r}"})

    # -- pushes ------------------------------------------------------------------------------

    def _sessions_of(self, account: str, channel: str) -> list[UserSession]:
        return [s for s in self.sessions if s.account == account and channel in s.channels]

    def on_event(self, event: Event) -> None:
        if isinstance(event, OrderChanged):
            account = event.order.account
            self._last_change[account] = CHANGE_TYPES.get(event.exec_type, "OTHER")
            for session in self._sessions_of(account, ORDERS):
                self._send(session, self._order_push(event))
            if event.exec_type is ExecType.TRADE and event.fill is not None:
                for session in self._sessions_of(account, DEALS):
                    self._send(session, self._deal_push(event))
        elif isinstance(event, BalancesChanged) and event.account in self._balances:
            self._balance_pushes(event)

    def _balance_pushes(self, event: BalancesChanged) -> None:
        known = self._balances[event.account]
        change = self._last_change.get(event.account, "OTHER")
        sessions = self._sessions_of(event.account, ACCOUNT)
        for asset, (free, locked) in event.balances.items():
            was_free, was_locked = known.get(asset, (Decimal(0), Decimal(0)))
            known[asset] = (free, locked)
            data = {
                "a": asset,
                "c": event.time_ms,
                "f": plain(free),
                "fd": plain(free - was_free),
                "l": plain(locked),
                "ld": plain(locked - was_locked),
                "o": change,
            }
            for session in sessions:
                self._send(session, {"c": ACCOUNT, "d": data, "t": event.time_ms})

    def _order_push(self, event: OrderChanged) -> dict[str, Any]:
        order = event.order
        lot = self.exchange.engine.books[order.symbol].instrument.lot_size
        filled = order.filled_lots * lot
        quantity = order.qty_lots * lot
        price = order.price or Decimal(0)
        data = {
            "A": price * (quantity - filled)
            if order.quote_qty is None
            else (order.quote_qty - order.filled_quote),
            "O": order.created_ms,
            "S": SIDES[order.side],
            "V": quantity - filled,
            "a": order.quote_qty if order.quote_qty is not None else price * quantity,
            "c": order.client_order_id,
            "i": str(order.order_id),
            "m": int(event.fill.is_maker) if event.fill is not None else 0,
            "o": type_code(order),
            "p": price,
            "s": status_code(order),
            "v": quantity,
            "ap": order.filled_quote / filled if filled else Decimal(0),
            "cv": filled,
            "ca": order.filled_quote,
        }
        return {"c": ORDERS, "d": data, "s": order.symbol, "t": event.time_ms}

    def _deal_push(self, event: OrderChanged) -> dict[str, Any]:
        order, fill = event.order, event.fill
        assert fill is not None
        data = {
            "p": plain(fill.price),
            "v": plain(fill.qty),
            "a": plain(fill.price * fill.qty),
            "S": SIDES[order.side],
            "T": event.time_ms,
            "t": str(fill.trade_id),
            "c": order.client_order_id,
            "i": str(order.order_id),
            "m": int(fill.is_maker),
            "st": 0,
            "n": plain(fill.fee),
            "N": fill.fee_asset,
        }
        return {"c": DEALS, "d": data, "s": order.symbol, "t": event.time_ms}
