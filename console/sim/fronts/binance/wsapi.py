"""Binance WebSocket API of the simulator (`/ws-api/v3`).

Requests are `{"id", "method", "params"}`; answers carry `status`, `result` or `error`, and
`rateLimits`. A session logged on with an Ed25519 key (`session.logon`) may omit apiKey and
signature afterwards; `userDataStream.subscribe` needs that logon, while
`userDataStream.subscribe.signature` works on any session with a signature of its own.
User data arrives as `{"subscriptionId", "event"}`, since Binance removed listenKeys.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from aiohttp import web

from console.sim.exchange import Credential, SimExchange
from console.sim.fronts.binance.catalogue import (
    UNSUPPORTED,
    Operation,
    operations,
    unsupported_answer,
)
from console.sim.fronts.binance.market_data import MarketData
from console.sim.fronts.binance.orders import Orders, generated_client_id
from console.sim.fronts.binance.requests import (
    BinanceError,
    Params,
    bad,
    check_signature,
    check_timestamp,
    find_credential,
    param_text,
    ws_payload,
)
from console.sim.fronts.binance.rest import BinanceRestFront
from console.sim.fronts.binance.wire import account_position, list_status_event
from console.sim.fronts.client_json import Malformed, read_json
from console.sim.fronts.sockets import SimSocket, SocketRules
from console.sim.state import BalancesChanged, Event, ExecType, ListChanged, OrderChanged

log = logging.getLogger(__name__)

SESSION_WEIGHT = 2
"""session.* and userDataStream.* methods."""
NOT_AUTHORIZED = BinanceError(401, -1002, "You are not authorized to execute this request.")


@dataclass(eq=False)
class Session:
    socket: SimSocket
    connected_ms: int
    logged_on: Credential | None = None
    authorized_ms: int | None = None
    subscriptions: dict[int, str] = field(default_factory=dict)
    """subscriptionId -> account whose events it receives."""


class BinanceWsApi:
    def __init__(
        self,
        exchange: SimExchange,
        orders: Orders,
        market: MarketData,
        rest: BinanceRestFront,
        rules: SocketRules,
    ) -> None:
        self.exchange = exchange
        self.orders = orders
        self.rest = rest
        self.rules = rules
        self.sessions: set[Session] = set()
        self._subscription_ids = itertools.count(0)
        session_methods: dict[str, Callable[[Session, Params], Any]] = {
            "session.logon": self.logon,
            "session.status": self.status,
            "session.logout": self.logout,
            "session.subscriptions": self.subscriptions,
            "userDataStream.subscribe": self.subscribe,
            "userDataStream.subscribe.signature": self.subscribe_signature,
            "userDataStream.unsubscribe": self.unsubscribe,
        }
        self.methods: dict[str, tuple[Callable[[Params], int], Callable[[Session, Params], Any]]]
        self.methods = {
            name: (lambda params: SESSION_WEIGHT, run) for name, run in session_methods.items()
        }
        for op in operations(market, orders):
            if op.ws is not None:
                self.methods[op.ws] = (op.weight, self._runner(op))
        exchange.engine.subscribe(self.on_event)

    def _runner(self, op: Operation) -> Callable[[Session, Params], Any]:
        def run(session: Session, params: Params) -> Any:
            if not op.signed:
                return op.run("", params)
            account = self._signed(session, params).account
            if op.new_order:
                self.orders.count_order(account)
            return op.run(account, params)

        return run

    async def handle(self, request: web.Request) -> web.StreamResponse:
        socket = SimSocket(request, self.rules, self.exchange.chaos)
        session = Session(socket, self.exchange.clock())
        self.sessions.add(session)

        async def on_text(text: str) -> None:
            await self._request(session, request.remote or "", text)

        try:
            return await socket.serve(on_text, self._shutdown_notice)
        finally:
            self.sessions.discard(session)

    def announce_shutdown(self) -> None:
        for session in list(self.sessions):
            session.socket.announce_shutdown()

    def _shutdown_notice(self) -> str:
        event = {"event": {"e": "serverShutdown", "E": self.exchange.clock()}}
        return msgspec.json.encode(event).decode()

    async def _request(self, session: Session, remote: str, text: str) -> None:
        try:
            request = read_json(text)
        except Malformed:
            request = None
        if (
            not isinstance(request, dict)
            or not isinstance(request.get("method"), str)
            or not isinstance(request.get("id"), int | str | None)
            or isinstance(request.get("id"), bool)
            or not isinstance(request.get("params", {}), dict | None)
        ):
            request_id = request.get("id") if isinstance(request, dict) else None
            self._answer(
                session,
                request_id if isinstance(request_id, int | str) else None,
                400,
                None,
                {
                    "code": -1000,
                    "msg": "Malformed request: a JSON object with a string method, an id "
                    "(integer, string or null) and an object of params is expected.",
                },
                0,
            )
            return
        request_id, method = request.get("id"), request["method"]
        raw_params = request.get("params") or {}
        params = Params({k: param_text(v) for k, v in raw_params.items()}, raw_params)
        chaos = self.exchange.chaos
        if chaos.latency:
            await asyncio.sleep(chaos.latency / 1000)
        weight_of, handler = self.methods.get(method, (lambda p: 1, None))
        try:
            weight = weight_of(params)
        except BinanceError:
            weight = 1
        allowance = self.rest.limiter_for(remote).spend(weight, self.exchange.clock())
        if allowance.status != 200:
            self._answer(
                session,
                request_id,
                allowance.status,
                None,
                {"code": -1003, "msg": "Too much request weight used."},
                allowance.used,
                retry_after=allowance.retry_after_s,
            )
            return
        try:
            if method in UNSUPPORTED:
                raise BinanceError(400, **unsupported_answer(method))
            if handler is None:
                raise bad(
                    -1020, f"Unknown method {method[:64]!r}: this operation is not supported."
                )
            result = handler(session, params)
        except BinanceError as error:
            self._answer(session, request_id, error.status, None, error.body(), allowance.used)
        except Exception:
            log.exception("simulator fault serving %s", method)
            self._answer(
                session,
                request_id,
                500,
                None,
                {"code": -1000, "msg": "An unknown error occurred while processing the request."},
                allowance.used,
            )
        else:
            self._answer(session, request_id, 200, result, None, allowance.used)

    def _answer(
        self,
        session: Session,
        request_id: Any,
        status: int,
        result: Any,
        error: dict[str, Any] | None,
        used: int,
        retry_after: int = 0,
    ) -> None:
        body: dict[str, Any] = {"id": request_id, "status": status}
        if error is not None:
            body["error"] = (
                error
                if not retry_after
                else {**error, "data": {"retryAfter": self.exchange.clock() + retry_after * 1000}}
            )
        else:
            body["result"] = result
        body["rateLimits"] = [
            {
                "rateLimitType": "REQUEST_WEIGHT",
                "interval": "MINUTE",
                "intervalNum": 1,
                "limit": self.rest.weight_limit,
                "count": used,
            }
        ]
        session.socket.send(msgspec.json.encode(body).decode())

    # -- authentication ----------------------------------------------------------------------

    def _verify(self, params: Params) -> Credential:
        credential = find_credential(self.exchange.credentials, params.get("apiKey"))
        check_timestamp(params, self.exchange.clock())
        check_signature(credential, ws_payload(params.raw), params.get("signature"))
        return credential

    def _signed(self, session: Session, params: Params) -> Credential:
        """A signed request: the logged-on key, or the request's own apiKey and signature."""
        if session.logged_on is not None and "signature" not in params.values:
            check_timestamp(params, self.exchange.clock())
            return session.logged_on
        return self._verify(params)

    def logon(self, session: Session, params: Params) -> dict[str, Any]:
        credential = self._verify(params)
        if credential.ed25519 is None:
            raise bad(-1002, "session.logon requires an Ed25519 API key.")
        session.logged_on = credential
        session.authorized_ms = self.exchange.clock()
        return self.status(session, params)

    def status(self, session: Session, params: Params) -> dict[str, Any]:
        return {
            "apiKey": session.logged_on.api_key if session.logged_on else None,
            "authorizedSince": session.authorized_ms,
            "connectedSince": session.connected_ms,
            "returnRateLimits": True,
            "serverTime": self.exchange.clock(),
            "userDataStream": bool(session.subscriptions) if session.logged_on else None,
        }

    def subscriptions(self, session: Session, params: Params) -> list[dict[str, Any]]:
        return [{"subscriptionId": sid} for sid in sorted(session.subscriptions)]

    def logout(self, session: Session, params: Params) -> dict[str, Any]:
        session.logged_on = None
        session.authorized_ms = None
        return self.status(session, params)

    # -- user data ---------------------------------------------------------------------------

    def subscribe(self, session: Session, params: Params) -> dict[str, Any]:
        if session.logged_on is None:
            raise NOT_AUTHORIZED
        return self._subscribe(session, session.logged_on.account)

    def subscribe_signature(self, session: Session, params: Params) -> dict[str, Any]:
        return self._subscribe(session, self._verify(params).account)

    def _subscribe(self, session: Session, account: str) -> dict[str, Any]:
        subscription_id = next(self._subscription_ids)
        session.subscriptions[subscription_id] = account
        return {"subscriptionId": subscription_id}

    def unsubscribe(self, session: Session, params: Params) -> dict[str, Any]:
        wanted = params.integer("subscriptionId")
        for subscription_id in list(session.subscriptions):
            if wanted is None or wanted == subscription_id:
                del session.subscriptions[subscription_id]
                self._send_event(
                    session,
                    subscription_id,
                    {"e": "eventStreamTerminated", "E": self.exchange.clock()},
                )
        return {}

    def on_event(self, event: Event) -> None:
        if isinstance(event, OrderChanged):
            account = event.order.account
        elif isinstance(event, BalancesChanged):
            account = event.account
        elif isinstance(event, ListChanged):
            account = event.order_list.account
        else:
            return
        cancel_id = None
        if isinstance(event, OrderChanged) and event.exec_type is ExecType.CANCELED:
            cancel_id = self.orders.cancel_ids.pop(event.order.order_id, None)
        targets = [
            (session, sid)
            for session in self.sessions
            for sid, acct in session.subscriptions.items()
            if acct == account
        ]
        if not targets:
            return
        if isinstance(event, OrderChanged):
            if event.exec_type is ExecType.CANCELED and cancel_id is None:
                cancel_id = generated_client_id()  # a venue-side cancel: no request named it
            shapes = self.orders.shapes[event.order.symbol]
            payload = shapes.execution_report(
                event.order, event.exec_type, event.time_ms, event.fill, cancel_id or ""
            )
        elif isinstance(event, ListChanged):
            payload = list_status_event(event.order_list, event.time_ms)
        else:
            payload = account_position(event.balances, event.time_ms)
        for session, subscription_id in targets:
            self._send_event(session, subscription_id, payload)

    @staticmethod
    def _send_event(session: Session, subscription_id: int, event: dict[str, Any]) -> None:
        frame = {"subscriptionId": subscription_id, "event": event}
        session.socket.send(msgspec.json.encode(frame).decode())
