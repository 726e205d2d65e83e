"""WEEX spot dialect of the embedded exchange: the seed's v1 REST API, the listenKey
endpoints, and the user data stream at `/ws?listenKey=...`, on one port."""

from __future__ import annotations

from aiohttp import web

from console.sim.exchange import SimExchange
from console.sim.fronts.rest import MAX_BODY_BYTES, json_errors
from console.sim.fronts.sockets import SocketRules
from console.sim.fronts.weex.requests import WeexError
from console.sim.fronts.weex.rest import WeexRestFront
from console.sim.fronts.weex.user import WeexUserStream

USER_RULES = SocketRules(ping_interval=20.0, pong_timeout=60.0, max_age=24 * 3600.0)
"""Protocol pings; a connection is only valid for 24 hours (the seed)."""


class WeexFront:
    def __init__(self, exchange: SimExchange, rules: SocketRules | None = None) -> None:
        self.exchange = exchange
        self.rest = WeexRestFront(exchange)
        given = rules if rules is not None and rules != SocketRules() else USER_RULES
        self.user = WeexUserStream(exchange, self.rest, given)

    def app(self) -> web.Application:
        errors = json_errors(
            lambda what: WeexError("40404", f"{what}: not found"),
            lambda reason: WeexError("40409", reason),
        )
        app = web.Application(middlewares=[errors], client_max_size=MAX_BODY_BYTES)
        app.add_routes(self.rest.routes())
        app.add_routes([web.get("/ws", self.user.handle)])
        app.on_shutdown.append(self._stop)
        return app

    async def _stop(self, app: web.Application) -> None:
        self.announce_shutdown()

    def announce_shutdown(self) -> None:
        """WEEX announces nothing: its sockets just close."""
        for session in self.user.sessions:
            session.socket.close()

    def urls(self, base: str) -> dict[str, str]:
        return {"rest": base, "user": base.replace("http://", "ws://", 1) + "/ws"}
