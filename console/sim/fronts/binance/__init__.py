"""Binance spot dialect of the embedded exchange: REST, market streams and WebSocket API.

One aiohttp application on one port, laid out like Binance's hosts: `/api/v3/...` for REST,
`/ws/<stream>` and `/stream?streams=` for market data, `/ws-api/v3` for the WebSocket API.
listenKeys are not offered, as Binance removed them in 2026.
"""

from __future__ import annotations

from aiohttp import web

from console.sim.exchange import SimExchange
from console.sim.fronts.binance.orders import Orders
from console.sim.fronts.binance.rest import REQUEST_WEIGHT_PER_MINUTE, BinanceRest
from console.sim.fronts.binance.streams import BinanceStreams
from console.sim.fronts.binance.wsapi import BinanceWsApi
from console.sim.fronts.sockets import SocketRules


class BinanceFront:
    def __init__(
        self,
        exchange: SimExchange,
        rules: SocketRules | None = None,
        weight_limit: int = REQUEST_WEIGHT_PER_MINUTE,
    ) -> None:
        rules = rules or SocketRules()
        self.exchange = exchange
        self.orders = Orders(exchange)
        self.rest = BinanceRest(exchange, self.orders, weight_limit)
        self.streams = BinanceStreams(exchange, rules)
        self.ws_api = BinanceWsApi(exchange, self.orders, self.rest, rules)

    def app(self) -> web.Application:
        app = web.Application()
        app.add_routes(self.rest.routes())
        app.add_routes(
            [
                web.get("/ws", self.streams.raw),
                web.get("/ws/{streams:.+}", self.streams.raw),
                web.get("/stream", self.streams.combined),
                web.get("/ws-api/v3", self.ws_api.handle),
            ]
        )
        app.on_startup.append(self._start)
        app.on_shutdown.append(self._stop)
        return app

    async def _start(self, app: web.Application) -> None:
        self.streams.start()

    async def _stop(self, app: web.Application) -> None:
        await self.streams.stop()
        for socket in [*self.streams.sockets, *(s.socket for s in self.ws_api.sessions)]:
            socket.close()

    def announce_shutdown(self) -> None:
        """Tell every socket the server is going away, then disconnect after the grace."""
        self.streams.announce_shutdown()
        self.ws_api.announce_shutdown()

    def urls(self, base: str) -> dict[str, str]:
        ws = base.replace("http://", "ws://", 1)
        return {
            "rest": base,
            "streams": f"{ws}/ws",
            "combined": f"{ws}/stream",
            "ws_api": f"{ws}/ws-api/v3",
        }
