"""Binance spot dialect of the embedded exchange: REST, market streams and WebSocket API.

One aiohttp application on one port, laid out like Binance's hosts: `/api/v3/...` for REST,
`/ws/<stream>` and `/stream?streams=` for market data, `/ws-api/v3` for the WebSocket API.
listenKeys are not offered, as Binance removed them in 2026.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from console.sim.exchange import SimExchange
from console.sim.fronts.binance.market_data import MarketData
from console.sim.fronts.binance.orders import Orders
from console.sim.fronts.binance.rest import BinanceRestFront
from console.sim.fronts.binance.streams import BinanceStreams
from console.sim.fronts.binance.wire import REQUEST_WEIGHT_PER_MINUTE
from console.sim.fronts.binance.wsapi import BinanceWsApi
from console.sim.fronts.rest import (
    MAX_BODY_BYTES,
    MAX_HEADER_BYTES,
    json_response,
    overlong_header,
)
from console.sim.fronts.sockets import SocketRules, sockets_base


class BinanceFront:
    asks_passphrase = False

    def __init__(
        self,
        exchange: SimExchange,
        rules: SocketRules | None = None,
        weight_limit: int = REQUEST_WEIGHT_PER_MINUTE,
    ) -> None:
        rules = rules or SocketRules()
        self.exchange = exchange
        self.orders = Orders(exchange)
        market = MarketData(exchange, weight_limit)
        self.rest = BinanceRestFront(exchange, self.orders, market, weight_limit)
        self.streams = BinanceStreams(exchange, rules, market)
        self.ws_api = BinanceWsApi(exchange, self.orders, market, self.rest, rules)

    def app(self) -> web.Application:
        app = web.Application(middlewares=[json_errors], client_max_size=MAX_BODY_BYTES)
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
        ws = sockets_base(base)
        return {
            "rest": base,
            "streams": f"{ws}/ws",
            "combined": f"{ws}/stream",
            "ws_api": f"{ws}/ws-api/v3",
        }


MAX_URL_BYTES = 8192
"""Binance's front ends refuse longer request lines; the server reads up to 8x this so it
can answer in JSON rather than have the HTTP parser answer in text."""


@web.middleware
async def json_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Whatever refuses a request before an endpoint reads it (a path that does not
    exist, a method it does not take, an overlong URL, a socket request without an
    upgrade) answers as Binance does: a JSON `{"code", "msg"}` body."""
    header = overlong_header(request)
    if header is not None:
        return json_response(
            {"code": -1000, "msg": f"Header {header} over {MAX_HEADER_BYTES} bytes."}, 431
        )
    if len(request.raw_path) > MAX_URL_BYTES:
        return json_response(
            {
                "code": -1101,
                "msg": f"Request line over {MAX_URL_BYTES} bytes: too many parameters.",
            },
            400,
        )
    try:
        return await handler(request)
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed) as refused:
        return json_response(
            {
                "code": -1020,
                "msg": f"{request.method} {request.path[:200]}: this operation is not supported.",
            },
            refused.status,
        )
    except web.HTTPClientError as refused:
        return json_response({"code": -1000, "msg": refused.reason}, refused.status)
