"""Serve the simulated exchange on loopback in one venue's dialect."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable

from aiohttp import web

from console.sim.exchange import SimExchange
from console.sim.fronts.binance import BinanceFront
from console.sim.fronts.front import Front
from console.sim.fronts.huobi import HuobiFront
from console.sim.fronts.sockets import SocketRules
from console.sim.fronts.weex import WeexFront

FRONTS: dict[str, Callable[..., Front]] = {
    "binance": BinanceFront,
    "huobi": HuobiFront,
    "weex": WeexFront,
}
VENUES = tuple(FRONTS)
LOT_PARTS = {"huobi": 10**12}
"""Units of a lot the engine trades in, where a venue trades below its lot: Huobi spends a
buy-market order's whole value (its `amount` is in quote, its fills' `filled-amount` come
to 18 places), so its fills are not whole lots; an order is still sized in whole lots."""


def lot_parts(venue: str) -> int:
    return LOT_PARTS.get(venue, 1)


MAX_REQUEST_LINE = 1 << 20
"""The longest request line or header the HTTP parser reads: far longer than any venue
takes, so a front refuses an overlong URL or header in its own words, not the parser's."""


class SimServer:
    """One exchange, one front, one loopback port; `start()` returns the base URL. With a
    TLS context it serves `https://` and `wss://`, as the venues do: a client that signs the
    path it cuts from a `wss://` address (ccxt's htx) then signs what it would there."""

    def __init__(
        self,
        exchange: SimExchange,
        venue: str = "binance",
        host: str = "127.0.0.1",
        port: int = 0,
        rules: SocketRules | None = None,
        sock: socket.socket | None = None,
        flow: bool = True,
        tls: ssl.SSLContext | None = None,
        **front_options: int,
    ) -> None:
        if venue not in FRONTS:
            raise ValueError(f"unknown venue {venue!r}; the simulator speaks {', '.join(VENUES)}")
        if exchange.engine.lot_parts != lot_parts(venue):
            raise ValueError(f"{venue}'s dialect needs SimExchange(lot_parts={lot_parts(venue)})")
        self.exchange = exchange
        self.front_name = venue
        self.front: Front = FRONTS[venue](exchange, rules, **front_options)
        self.host, self.port = host, port if sock is None else sock.getsockname()[1]
        self.sock = sock
        """A socket bound already (the console's embedded exchange, whose address its
        adapter was given when the run was built): served as it is, so no other program
        can take the port in between."""
        self.flow = flow
        self.tls = tls
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> str:
        self._runner = web.AppRunner(
            self.front.app(),
            access_log=None,
            shutdown_timeout=1.0,
            max_line_size=MAX_REQUEST_LINE,
            max_field_size=MAX_REQUEST_LINE,
        )
        await self._runner.setup()
        site: web.BaseSite = (
            web.TCPSite(self._runner, self.host, self.port, ssl_context=self.tls)
            if self.sock is None
            else web.SockSite(self._runner, self.sock, ssl_context=self.tls)
        )
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        scheme = "https" if self.tls is not None else "http"
        self.base_url = f"{scheme}://{self.host}:{self.port}"
        await self.exchange.start(flow=self.flow)
        return self.base_url

    @property
    def urls(self) -> dict[str, str]:
        return self.front.urls(self.base_url)

    async def stop(self) -> None:
        await self.exchange.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
