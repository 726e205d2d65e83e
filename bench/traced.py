"""The console with marks on its order path, for `bench/orders.py --stages`.

Started in place of `python -m console`, it wraps a few of the console's functions so each
writes the time (`time.monotonic`, the clock every process on the machine shares) and the
stage an order reached, one line each, to the file `BENCH_STAGES` names:

- `heard`: the keyboard's thread read enter and sent the ticket (`ExpressLane.hear`);
- `core`: the trading core began the order (`TradingSession.submit`);
- `journaled`: its intent was committed to the journal (`Journal.record`);
- `sending`: the request was handed to the HTTP client, or the WebSocket API's request to
  its socket (`httpx.AsyncClient.request`, `RpcChannel.call`);
- `written`: the request's bytes were handed to the operating system (for the WebSocket
  API, the first frame written after the request: a pong between the two would be taken
  for it).

The bench reads them beside the key it pressed and the engine's own stamp, so each order's
time splits into the console's stages and the simulator's share. Nothing here is imported
by the console itself.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

STAGES = ("heard", "core", "journaled", "sending", "written")
WRITES = (b"POST", b"DELETE", b"PUT")
"""The methods of the requests that change orders, as the first word of their bytes."""


def install(path: str) -> None:
    """Wrap the order path's functions to mark each stage in the file at `path`."""
    import asyncio.selector_events

    import httpx

    from console.net.wsrpc import RpcChannel
    from console.trading.journal import Journal
    from console.trading.session import TradingSession
    from console.ui.express import Expressed, ExpressLane

    marks = open(path, "a", buffering=1)  # noqa: SIM115 - open while the console runs
    lock = threading.Lock()
    awaited: list[bytes | None] = [None]
    """What the next write of an order starts with (its method for HTTP, `b""` for any
    frame of the WebSocket API's), while one is on its way."""

    def mark(stage: str) -> None:
        with lock:
            marks.write(f"{time.monotonic():.6f} {stage}\n")

    hear = ExpressLane.hear

    def heard(self: ExpressLane, event: Any) -> Any:
        answer = hear(self, event)
        if isinstance(answer, Expressed):
            mark("heard")
        return answer

    submit = TradingSession.submit

    async def begun(self: TradingSession, ticket: Any) -> Any:
        mark("core")
        return await submit(self, ticket)

    record = Journal.record

    def journaled(self: Journal, kind: str, order: Any) -> None:
        record(self, kind, order)
        if kind == "intent":
            mark("journaled")

    request = httpx.AsyncClient.request

    async def requested(self: httpx.AsyncClient, method: str, url: Any, **kwargs: Any) -> Any:
        if method.encode() in WRITES:
            awaited[0] = method.encode()
            mark("sending")
        return await request(self, method, url, **kwargs)

    call = RpcChannel.call

    async def called(
        self: RpcChannel[Any], send: Callable[[int], Awaitable[None]], what: str, is_order: bool
    ) -> Any:
        if is_order:
            awaited[0] = b""
            mark("sending")
        return await call(self, send, what, is_order)

    transport = asyncio.selector_events._SelectorSocketTransport
    write = transport.write

    def written(self: Any, data: Any) -> None:
        start = awaited[0]
        if start is not None and bytes(data[: len(start)]) == start:
            awaited[0] = None
            mark("written")  # before the write: the engine may take the order before it returns
        write(self, data)

    ExpressLane.hear = heard  # type: ignore[method-assign]
    TradingSession.submit = begun  # type: ignore[method-assign]
    Journal.record = journaled  # type: ignore[method-assign]
    httpx.AsyncClient.request = requested  # type: ignore[method-assign]
    RpcChannel.call = called  # type: ignore[method-assign]
    transport.write = written  # type: ignore[method-assign]


if __name__ == "__main__":
    install(os.environ["BENCH_STAGES"])
    sys.argv = ["console", *sys.argv[1:]]
    runpy.run_module("console", run_name="__main__", alter_sys=True)
