"""Huobi spot dialect of the embedded exchange: REST, market WebSockets and the account
WebSocket, laid out like Huobi's hosts on one port: REST paths as documented, `/ws`
(market data), `/feed` (market-by-price increments) and `/ws/v2` (account and orders).
"""

from __future__ import annotations

from aiohttp import web

from console.sim.exchange import SimExchange
from console.sim.fronts.huobi.account import HuobiAccountSocket
from console.sim.fronts.huobi.market import HuobiMarketSockets
from console.sim.fronts.huobi.market_data import HuobiMarketData
from console.sim.fronts.huobi.requests import HuobiError
from console.sim.fronts.huobi.rest import HuobiAccounts, HuobiRestFront
from console.sim.fronts.rest import MAX_BODY_BYTES, json_errors
from console.sim.fronts.sockets import SocketRules, sockets_base

MARKET_RULES = SocketRules(ping_interval=5.0, pong_timeout=10.0)
"""A ping every 5 s; two left unanswered and the server hangs up."""
ACCOUNT_RULES = SocketRules(ping_interval=20.0, pong_timeout=40.0)


class HuobiFront:
    asks_passphrase = False

    def __init__(self, exchange: SimExchange, rules: SocketRules | None = None) -> None:
        self.exchange = exchange
        self.accounts = HuobiAccounts()
        market = HuobiMarketData(exchange)
        self.rest = HuobiRestFront(exchange, self.accounts, market)
        self.market = HuobiMarketSockets(exchange, market, _tuned(MARKET_RULES, rules))
        self.account = HuobiAccountSocket(exchange, self.accounts, _tuned(ACCOUNT_RULES, rules))

    def app(self) -> web.Application:
        errors = json_errors(
            lambda what: HuobiError("invalid-parameter", f"{what}: not found"),
            lambda reason: HuobiError("bad-request", reason),
        )
        app = web.Application(middlewares=[errors], client_max_size=MAX_BODY_BYTES)
        app.add_routes(self.rest.routes())
        app.add_routes(
            [
                web.get("/ws", self.market.market_socket),
                web.get("/feed", self.market.feed_socket),
                web.get("/ws/v2", self.account.handle),
            ]
        )
        app.on_startup.append(self._start)
        app.on_shutdown.append(self._stop)
        return app

    async def _start(self, app: web.Application) -> None:
        self.market.start()

    async def _stop(self, app: web.Application) -> None:
        await self.market.stop()
        for socket in [*self.market.sockets, *(s.socket for s in self.account.sessions)]:
            socket.close()

    def announce_shutdown(self) -> None:
        """Huobi announces nothing: its sockets just close."""
        for socket in [*self.market.sockets, *(s.socket for s in self.account.sessions)]:
            socket.close()

    def urls(self, base: str) -> dict[str, str]:
        ws = sockets_base(base)
        return {"rest": base, "market": f"{ws}/ws", "feed": f"{ws}/feed", "account": f"{ws}/ws/v2"}


def _tuned(venue: SocketRules, given: SocketRules | None) -> SocketRules:
    """The venue's heartbeat, unless a test or a caller set its own; lifetime and shutdown
    grace come from the caller either way."""
    return venue if given is None or given == SocketRules() else given
