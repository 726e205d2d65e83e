"""Requests over one WebSocket, matched to their answers by id.

Venues that take requests on a socket (Binance's WebSocket API, Huobi's and WEEX's
account streams) all need the same bookkeeping: an id per request, a future per id, a
timeout, and every waiting request failed when the connection goes. The one rule for
orders applies here as over REST (`console.errors.for_order`): a request that changes an
order and gets no definite answer leaves the order UNKNOWN.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from console.errors import NetworkError, VenueError, for_order

Answer = TypeVar("Answer")


class RpcChannel(Generic[Answer]):
    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._pending: dict[int, tuple[bool, asyncio.Future[Answer]]] = {}
        self._ids = itertools.count(1)

    async def call(
        self, send: Callable[[int], Awaitable[None]], what: str, is_order: bool
    ) -> Answer:
        """Send a request with a fresh id (`send` writes it) and wait for its answer."""
        request_id = next(self._ids)
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = (is_order, future)
        try:
            await send(request_id)
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            unanswered = NetworkError(msg=f"{what} unanswered after {self.timeout:.0f}s")
            raise (for_order(unanswered) if is_order else unanswered) from None
        finally:
            self._pending.pop(request_id, None)

    def answer(self, request_id: object, result: Answer) -> None:
        """The venue answered request `request_id`; an answer nobody waits for is dropped."""
        future = self._waiting(request_id)
        if future is not None:
            future.set_result(result)

    def refuse(self, request_id: object, error: VenueError) -> None:
        """The venue answered request `request_id` with an error."""
        pending = self._pending.get(request_id) if isinstance(request_id, int) else None
        if pending is not None and not pending[1].done():
            is_order, future = pending
            future.set_exception(for_order(error) if is_order else error)

    def connection_lost(self) -> None:
        """Fail every request still waiting: the answer can no longer come."""
        for request_id in list(self._pending):
            self.refuse(request_id, NetworkError(msg="connection lost before an answer"))

    def _waiting(self, request_id: object) -> asyncio.Future[Answer] | None:
        pending = self._pending.get(request_id) if isinstance(request_id, int) else None
        if pending is None or pending[1].done():
            return None
        return pending[1]
