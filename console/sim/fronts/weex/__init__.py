"""WEEX spot dialect of the embedded exchange, laid out as WEEX's spot host serves it on one
port: the seed's v1 REST API (`/api/spot/v1/...`), the v3 REST API (`/api/v3/...`), the
listenKey endpoints, demo trading (`/capi/v3/sim/...`), the public market stream
(`/v3/ws/public`), the header-signed private stream (`/v3/ws/private`) and the user data
stream (`/ws?listenKey=...`)."""

from __future__ import annotations

from aiohttp import web

from console.sim.exchange import SimExchange
from console.sim.fronts.rest import MAX_BODY_BYTES, json_errors
from console.sim.fronts.sockets import SocketRules, sockets_base
from console.sim.fronts.weex.market import WeexMarketSockets
from console.sim.fronts.weex.paper import WeexPaperFront
from console.sim.fronts.weex.private import PATH as PRIVATE_PATH
from console.sim.fronts.weex.private import WeexPrivateStream
from console.sim.fronts.weex.requests import WeexError
from console.sim.fronts.weex.rest import WeexRestFront
from console.sim.fronts.weex.user import WeexUserStream
from console.sim.fronts.weex.v3 import WeexV3Front

USER_RULES = SocketRules(ping_interval=20.0, pong_timeout=60.0, max_age=24 * 3600.0)
"""Protocol pings; a connection is only valid for 24 hours (the seed)."""
MARKET_RULES = SocketRules(ping_interval=20.0, pong_timeout=60.0, max_age=24 * 3600.0)
"""`{"event": "ping"}` every 20 s, answered by `{"method": "PONG"}`."""


class WeexFront:
    asks_passphrase = True

    def __init__(self, exchange: SimExchange, rules: SocketRules | None = None) -> None:
        self.exchange = exchange
        self.rest = WeexRestFront(exchange)
        self.v3 = WeexV3Front(exchange, self.rest)
        self.paper = WeexPaperFront(exchange, self.rest, self.v3)
        tuned = rules if rules is not None and rules != SocketRules() else None
        self.user = WeexUserStream(exchange, self.rest, tuned or USER_RULES)
        self.market = WeexMarketSockets(exchange, tuned or MARKET_RULES)
        self.private = WeexPrivateStream(exchange, tuned or MARKET_RULES)

    def app(self) -> web.Application:
        errors = json_errors(
            lambda what: WeexError("40404", f"{what}: not found"),
            lambda reason: WeexError("40409", reason),
        )
        app = web.Application(middlewares=[errors], client_max_size=MAX_BODY_BYTES)
        app.add_routes(self.rest.routes())
        app.add_routes(self.v3.routes())
        app.add_routes(self.paper.routes())
        app.add_routes(
            [
                web.get("/ws", self.user.handle),
                web.get("/v3/ws/public", self.market.handle),
                web.get(PRIVATE_PATH, self.private.handle),
            ]
        )
        app.on_startup.append(self._start)
        app.on_shutdown.append(self._stop)
        return app

    async def _start(self, app: web.Application) -> None:
        self.market.start()

    async def _stop(self, app: web.Application) -> None:
        await self.market.stop()
        self.announce_shutdown()

    def announce_shutdown(self) -> None:
        """WEEX announces nothing: its sockets just close."""
        sockets = [
            *self.market.sockets,
            *(session.socket for session in self.user.sessions),
            *(session.socket for session in self.private.sessions),
        ]
        for socket in sockets:
            socket.close()

    def urls(self, base: str) -> dict[str, str]:
        ws = sockets_base(base)
        return {"rest": base, "market": f"{ws}/v3/ws/public", "user": f"{ws}/ws"}
