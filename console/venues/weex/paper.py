"""WEEX demo trading (`--paper`): the market as it is, orders and balances on WEEX's demo
account through its four `/capi/v3/sim/` endpoints (VENUES.md §0.3).

WEEX's demo has no cancel and no open-orders query, so the console sends no order that
would rest (the capabilities say so, and the ticket refuses a GTC limit or a post-only
order before it leaves); open orders are read from the demo history. It has no account
stream either: the demo balance and positions are read every few seconds. Demo symbols
and the demo quote carry an `S` (`BTCSUSDT`, `SUSDT`); the console shows them as the real
ones, and the screen says PAPER throughout.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

import msgspec

from console.errors import InvalidOrder, OrderNotFound, VenueError
from console.model import Balance, Fill, Order, OrderType
from console.venues.base import AccountSink, OrderRequest
from console.venues.common import exact, plain
from console.venues.weex import convert, schemas
from console.venues.weex.adapter import CAPABILITIES, WeexEndpoints, WeexVenue
from console.venues.weex.api import as_sent
from console.venues.weex.rest import WeexCredentials

log = logging.getLogger(__name__)

PAPER_CAPABILITIES = dataclasses.replace(
    CAPABILITIES,
    order_types=frozenset({OrderType.LIMIT, OrderType.MARKET}),
    market_buy_in_quote=False,
    cancels=False,
)
DEMO_QUOTE = "SUSDT"
BALANCE_EVERY = 2.0
HISTORY = 100


def demo(symbol: str, quote: str) -> str:
    return symbol.removesuffix(quote) + "S" + quote


class WeexPaperVenue(WeexVenue):
    capabilities = PAPER_CAPABILITIES
    streams_account = False

    def __init__(self, endpoints: WeexEndpoints, credentials: WeexCredentials) -> None:
        super().__init__(endpoints, credentials, "v3")
        self._poll: asyncio.Task[None] | None = None

    async def _closing(self) -> None:
        if self._poll is not None:
            self._poll.cancel()
        await super()._closing()

    def _demo(self, symbol: str) -> str:
        return demo(symbol, self.instrument(symbol).quote)

    def _ours(self, row: schemas.V3Order, symbol: str) -> Order:
        return msgspec.structs.replace(convert.v3_order(row), symbol=symbol)

    async def watch_account(self, sink: AccountSink) -> None:
        """No demo stream: the balance and positions are read on a timer."""
        sink.on_user_stream(live=True)
        self._poll = asyncio.create_task(self._read_balances(sink))

    async def _read_balances(self, sink: AccountSink) -> None:
        """Every few seconds; a read that fails counts as the account stream lost (order
        entry pauses and the balances are shown as not current) until one succeeds."""
        live = True
        while True:
            await asyncio.sleep(BALANCE_EVERY)
            try:
                balances = await self.balances()
            except VenueError as error:
                if live:
                    log.warning("WEEX demo balance unavailable: %s", error)
                    live = False
                    sink.on_user_stream(live=False)
                continue
            sink.on_balances(balances)
            if not live:
                live = True
                sink.on_user_stream(live=True)

    async def balances(self) -> list[Balance]:
        """The demo balance in the quote, and each position as a holding of its base."""
        rest = self.api.rest
        cash = await rest.call(
            list[schemas.DemoBalance], "GET", "/capi/v3/sim/balance", "account", signed=True
        )
        positions = await rest.call(
            list[schemas.DemoPosition],
            "GET",
            "/capi/v3/sim/position/allPosition",
            "account",
            signed=True,
        )
        held = [
            Balance(c.asset.replace(DEMO_QUOTE, "USDT"), exact(c.availableBalance), exact(c.frozen))
            for c in cash
        ]
        held += [
            Balance(p.symbol.removesuffix(DEMO_QUOTE), exact(p.size), exact("0")) for p in positions
        ]
        return held

    async def place(self, request: OrderRequest) -> Order:
        inst = self.instrument(request.symbol)
        if request.qty is None:
            raise InvalidOrder(msg="WEEX demo orders are sized in the base asset")
        body = {
            "symbol": demo(request.symbol, inst.quote),
            "side": request.side.value,
            "type": "MARKET" if request.type is OrderType.MARKET else "LIMIT",
            "quantity": plain(request.qty),
            "newClientOrderId": request.client_order_id,
        }
        if request.type is not OrderType.MARKET:
            body["timeInForce"] = request.time_in_force.value
            if request.price is not None:
                body["price"] = plain(request.price)
        row = await self.api.rest.call(
            schemas.V3Order,
            "POST",
            "/capi/v3/sim/order",
            "trade",
            body,
            signed=True,
            budget="places",
        )
        return as_sent(self._ours(row, request.symbol), request)

    async def _history(self, symbol: str) -> list[Order]:
        rows = await self.api.rest.call(
            list[schemas.V3Order],
            "GET",
            "/capi/v3/sim/order/history",
            "history",
            {"symbol": self._demo(symbol), "limit": HISTORY},
            signed=True,
        )
        return [self._ours(row, symbol) for row in rows]

    async def cancel(self, symbol: str, client_order_id: str) -> Order:
        raise InvalidOrder(msg="WEEX's demo trading has no cancel")

    async def cancel_all(self, symbol: str) -> list[Order]:
        """Nothing rests on the demo account (no order that would rest is sent)."""
        return []

    async def order(self, symbol: str, client_order_id: str) -> Order:
        for order in await self._history(symbol):
            if order.client_order_id == client_order_id:
                return order
        raise OrderNotFound(msg=f"no demo order {client_order_id}")

    async def _open_orders(self, symbol: str | None) -> list[Order]:
        assert symbol is not None, "the demo lists orders one symbol at a time"
        return [o for o in await self._history(symbol) if o.status.is_open]

    async def fills(self, symbol: str, since_ms: int) -> list[Fill]:
        """WEEX's demo lists no trades; an order's filled size is in its history row."""
        return []
