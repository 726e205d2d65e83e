"""What every dialect of the embedded exchange offers the server that runs it: one aiohttp
application on the one engine, the addresses it serves, and its way of saying goodbye. A
new dialect implements `Front` and adds one line to `console.sim.server.FRONTS`."""

from __future__ import annotations

from typing import Protocol

from aiohttp import web


class Front(Protocol):
    asks_passphrase: bool
    """A key on this dialect carries a passphrase (WEEX's ACCESS-PASSPHRASE), which the
    simulator's banner then shows."""

    def app(self) -> web.Application:
        """The dialect's routes, with its start-up and shutdown hooks."""

    def urls(self, base: str) -> dict[str, str]:
        """Each endpoint the dialect serves, named, from the server's base URL."""

    def announce_shutdown(self) -> None:
        """Tell the open sockets the server is going away, in the venue's words."""
