"""Huobi's account and order WebSocket on the simulator (`/ws/v2`).

Plain text frames (not gzip); the server pings `{"action":"ping","data":{"ts":..}}` every
20 s and the client answers with `pong`. A client authenticates (`action: req`, `ch: auth`,
signature version 2.1 over `GET /ws/v2`), then subscribes to `accounts.update#mode`,
`orders#symbol` and `trade.clearing#symbol#mode` (`*` for every symbol); each answer and
push is shaped as the document shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import msgspec
from aiohttp import web

from console.sim.exchange import Credential, SimExchange
from console.sim.fronts.client_json import Malformed, read_json
from console.sim.fronts.huobi.requests import HuobiError, pre_signed, verify
from console.sim.fronts.huobi.rest import HuobiAccounts
from console.sim.fronts.huobi.wire import order_type, plain, state, stop_fields, wire_symbol
from console.sim.fronts.sockets import SimSocket, SocketRules, SocketStyle
from console.sim.state import BalancesChanged, EngineOrder, Event, ExecType, OrderChanged

SIGNED_FIELDS = ("accessKey", "signatureMethod", "signatureVersion", "timestamp")
CHANGE_TYPES = {
    ExecType.NEW: "order.place",
    ExecType.TRADE: "order.match",
    ExecType.CANCELED: "order.cancel",
    ExecType.EXPIRED: "order.cancel",
}


def json_ping(stamp: int) -> str:
    return msgspec.json.encode({"action": "ping", "data": {"ts": stamp}}).decode()


def is_pong(text: str) -> bool:
    try:
        frame = read_json(text)
    except Malformed:
        return False
    return isinstance(frame, dict) and frame.get("action") == "pong"


ACTION_PINGS = SocketStyle(gzip=False, json_ping=json_ping, is_pong=is_pong)


@dataclass(eq=False)
class AccountSession:
    socket: SimSocket
    credential: Credential | None = None
    channels: set[str] = field(default_factory=set)


class HuobiAccountSocket:
    def __init__(self, exchange: SimExchange, accounts: HuobiAccounts, rules: SocketRules) -> None:
        self.exchange = exchange
        self.accounts = accounts
        self.rules = rules
        self.sessions: set[AccountSession] = set()
        self._last_change: dict[str, str] = {}
        exchange.engine.subscribe(self.on_event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        socket = SimSocket(request, self.rules, self.exchange.chaos, ACTION_PINGS)
        session = AccountSession(socket)
        self.sessions.add(session)

        async def on_text(text: str) -> None:
            self._request(session, request, text)

        try:
            return await socket.serve(on_text, lambda: "")
        finally:
            self.sessions.discard(session)

    def _send(self, session: AccountSession, body: dict[str, Any]) -> None:
        session.socket.send(msgspec.json.encode(body).decode())

    def _request(self, session: AccountSession, request: web.Request, text: str) -> None:
        try:
            frame = read_json(text)
        except Malformed:
            frame = None
        if not isinstance(frame, dict):
            self._send(session, {"action": "req", "code": 2001, "message": "invalid.json"})
            return
        action, channel = frame.get("action"), frame.get("ch")
        if action == "req" and channel == "auth":
            self._auth(session, request, frame.get("params"))
        elif action == "sub" and isinstance(channel, str):
            self._subscribe(session, channel)
        elif action in ("req", "sub"):
            self._send(
                session, {"action": action, "code": 2001, "ch": channel, "message": "invalid.ch"}
            )
        else:
            self._send(session, {"action": action, "code": 2001, "message": "invalid.action"})

    def _auth(self, session: AccountSession, request: web.Request, params: Any) -> None:
        refused = {"action": "req", "code": 2002, "ch": "auth", "message": "auth.fail"}
        if not isinstance(params, dict) or params.get("authType") != "api":
            self._send(session, {**refused, "code": 2001, "message": "missing.param.auth"})
            return
        if params.get("signatureMethod") != "HmacSHA256" or params.get("signatureVersion") != "2.1":
            self._send(session, refused)
            return
        signed = {name: str(params.get(name, "")) for name in SIGNED_FIELDS}
        try:
            session.credential = verify(
                self.exchange.credentials,
                params.get("accessKey"),
                params.get("timestamp"),
                self.exchange.clock(),
                pre_signed("GET", request.host, "/ws/v2", signed),
                params.get("signature"),
            )
        except HuobiError:
            self._send(session, refused)
            return
        self._send(session, {"action": "req", "code": 200, "ch": "auth", "data": {}})

    def _subscribe(self, session: AccountSession, channel: str) -> None:
        if session.credential is None:
            self._send(
                session,
                {"action": "sub", "code": 2002, "ch": channel, "message": "invalid.auth.state"},
            )
            return
        if channel == "accounts.update":
            channel = "accounts.update#0"
        name, _, rest = channel.partition("#")
        symbol, _, mode = rest.partition("#")
        valid = (
            (name == "accounts.update" and rest in ("0", "1", "2"))
            or (name == "orders" and self._symbol_ok(symbol) and not mode)
            or (name == "trade.clearing" and self._symbol_ok(symbol) and mode in ("", "0", "1"))
        )
        if not valid:
            self._send(
                session, {"action": "sub", "code": 2001, "ch": channel, "message": "invalid.ch"}
            )
            return
        if name == "trade.clearing" and not mode:
            channel = f"{channel}#0"
        session.channels.add(channel)
        self._send(session, {"action": "sub", "code": 200, "ch": channel, "data": {}})
        if name == "accounts.update":
            self._snapshot(session, channel)

    def _symbol_ok(self, symbol: str) -> bool:
        return symbol == "*" or (symbol.islower() and symbol.upper() in self.exchange.engine.books)

    def _snapshot(self, session: AccountSession, channel: str) -> None:
        """Every balance as it stands, `changeType` and `changeTime` null, as subscribing does."""
        assert session.credential is not None
        account = self.exchange.engine.open_account(session.credential.account)
        for asset, holding in sorted(account.holdings.items()):
            self._send_balance(session, channel, asset, holding.free, holding.locked, None, None)

    def _send_balance(
        self,
        session: AccountSession,
        channel: str,
        asset: str,
        free: Decimal,
        locked: Decimal,
        change: str | None,
        when: int | None,
    ) -> None:
        assert session.credential is not None
        base = {
            "currency": asset.lower(),
            "accountId": self.accounts.id_of(session.credential.account),
            "changeType": change,
            "accountType": "trade",
            "changeTime": when,
        }
        mode = channel.rsplit("#", 1)[1]
        if mode == "0":
            pushes = [{**base, "balance": plain(free + locked)}]
        elif mode == "1":
            pushes = [{**base, "available": plain(free)}, {**base, "balance": plain(free + locked)}]
        else:
            pushes = [{**base, "balance": plain(free + locked), "available": plain(free)}]
        for data in pushes:
            self._send(session, {"action": "push", "ch": channel, "data": data})

    # -- pushes ------------------------------------------------------------------------------

    def on_event(self, event: Event) -> None:
        if isinstance(event, OrderChanged):
            self._last_change[event.order.account] = CHANGE_TYPES.get(event.exec_type, "other")
            self._order_event(event)
        elif isinstance(event, BalancesChanged):
            change = self._last_change.get(event.account, "other")
            for session in self._sessions_of(event.account):
                for channel in [c for c in session.channels if c.startswith("accounts.update#")]:
                    for asset, (free, locked) in event.balances.items():
                        self._send_balance(
                            session, channel, asset, free, locked, change, event.time_ms
                        )

    def _sessions_of(self, account: str) -> list[AccountSession]:
        return [
            s for s in self.sessions if s.credential is not None and s.credential.account == account
        ]

    def _order_event(self, event: OrderChanged) -> None:
        order = event.order
        sessions = self._sessions_of(order.account)
        if not sessions:
            return
        symbol = wire_symbol(order.symbol)
        orders_push = self._orders_push(event)
        clearing = self._clearing_push(event)
        for session in sessions:
            for channel in session.channels:
                name, _, rest = channel.partition("#")
                wanted, _, mode = rest.partition("#")
                if wanted not in ("*", symbol):
                    continue
                if name == "orders" and orders_push is not None:
                    self._send(session, {"action": "push", "ch": channel, "data": orders_push})
                elif (
                    name == "trade.clearing"
                    and clearing is not None
                    and (clearing["eventType"] == "trade" or mode == "1")
                ):
                    self._send(session, {"action": "push", "ch": channel, "data": clearing})

    def _common(self, order: EngineOrder) -> dict[str, Any]:
        unit = self.exchange.engine.books[order.symbol].unit
        buy_market = order.quote_qty is not None
        fields: dict[str, Any] = {
            "orderId": order.order_id,
            "type": order_type(order),
            "clientOrderId": order.client_order_id,
            "orderSource": "spot-api",
            "symbol": wire_symbol(order.symbol),
        }
        if order.price is not None:
            fields["orderPrice"] = plain(order.price)
        if buy_market:
            fields["orderValue"] = plain(order.quote_qty or Decimal(0))
        else:
            fields["orderSize"] = plain(unit * order.qty_lots)
        return fields

    def _orders_push(self, event: OrderChanged) -> dict[str, Any] | None:
        """The document's events: creation once an order is submitted (a stop order is not
        until its stop price is reached), trade, cancellation, and deletion for a stop order
        cancelled before its stop price was reached."""
        order, fill = event.order, event.fill
        waiting = order.working_ms is None
        if waiting and event.exec_type in (ExecType.CANCELED, ExecType.EXPIRED):
            return {
                "orderSide": order.side.value.lower(),
                "lastActTime": event.time_ms,
                "clientOrderId": order.client_order_id,
                "orderStatus": "canceled",
                "symbol": wire_symbol(order.symbol),
                "eventType": "deletion",
            }
        if waiting:
            return None
        common = self._common(order)
        if event.exec_type is ExecType.NEW:
            return {
                **common,
                "accountId": self.accounts.id_of(order.account),
                "orderStatus": "submitted",
                "orderCreateTime": order.created_ms,
                "eventType": "creation",
            }
        unit = self.exchange.engine.books[order.symbol].unit
        executed, remaining = self._executed(order, unit)
        if event.exec_type is ExecType.TRADE and fill is not None:
            return {
                **common,
                "tradePrice": plain(fill.price),
                "tradeVolume": plain(fill.qty),
                "tradeId": fill.trade_id,
                "tradeTime": event.time_ms,
                "aggressor": not fill.is_maker,
                "remainAmt": plain(remaining),
                "execAmt": plain(executed),
                "orderStatus": state(order),
                "eventType": "trade",
            }
        if event.exec_type in (ExecType.CANCELED, ExecType.EXPIRED):
            return {
                **common,
                "lastActTime": event.time_ms,
                "remainAmt": plain(remaining),
                "execAmt": plain(executed),
                "orderStatus": state(order),
                "eventType": "cancellation",
            }
        return None

    @staticmethod
    def _executed(order: EngineOrder, unit: Decimal) -> tuple[Decimal, Decimal]:
        """What has executed and what remains: value for a market buy, amount otherwise."""
        if order.quote_qty is not None:
            return order.filled_quote, max(Decimal(0), order.quote_qty - order.filled_quote)
        return unit * order.filled_lots, unit * order.remaining_lots

    def _clearing_push(self, event: OrderChanged) -> dict[str, Any] | None:
        """A fill, or an order's cancellation; nothing of a stop order before it works."""
        order, fill = event.order, event.fill
        if order.working_ms is None:
            return None
        common = self._common(order)
        base: dict[str, Any] = {
            "eventType": "",
            "symbol": common["symbol"],
            "orderId": order.order_id,
            "orderSide": order.side.value.lower(),
            "orderType": common["type"],
            "accountId": self.accounts.id_of(order.account),
            "source": "spot-api",
            "clientOrderId": order.client_order_id,
            "orderCreateTime": order.created_ms,
            "orderStatus": state(order),
            **{k: common[k] for k in ("orderPrice", "orderSize", "orderValue") if k in common},
            **stop_fields(order, ("stopPrice", "operator")),
        }
        if event.exec_type is ExecType.TRADE and fill is not None:
            return {
                **base,
                "eventType": "trade",
                "tradePrice": plain(fill.price),
                "tradeVolume": plain(fill.qty),
                "aggressor": not fill.is_maker,
                "tradeId": fill.trade_id,
                "tradeTime": event.time_ms,
                "transactFee": plain(fill.fee),
                "feeDeduct": "0",
                "feeDeductType": "",
                "feeCurrency": fill.fee_asset.lower(),
            }
        if event.exec_type in (ExecType.CANCELED, ExecType.EXPIRED):
            unit = self.exchange.engine.books[order.symbol].unit
            return {
                **base,
                "eventType": "cancellation",
                "remainAmt": plain(self._executed(order, unit)[1]),
            }
        return None
