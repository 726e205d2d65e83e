"""WEEX's user data stream (`/ws?listenKey=`): subscribe to the account, deals and orders
channels once connected (`{"method": "SUBSCRIPTION", "id": n}`, answered by id), and turn
each push into the account sink's news. A deal is passed on with its order as last
pushed; a deal whose order has not been pushed yet waits for it.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

import msgspec

from console.errors import NetworkError
from console.model import Fill, Order
from console.net.stream import Stream, StreamRules
from console.net.wsrpc import RpcChannel
from console.venues.base import AccountSink
from console.venues.weex import convert, schemas

log = logging.getLogger(__name__)

ACCOUNT = "spot@private.account.v3.api"
DEALS = "spot@private.deals.v3.api"
ORDERS = "spot@private.orders.v3.api"
CHANNELS = (ACCOUNT, DEALS, ORDERS)
USER_RULES = StreamRules(
    heartbeat_window=60.0, quiet_after=5.0, ping_interval=2.0, max_age=23 * 3600.0
)
"""A connection is valid for 24 hours (the seed): reconnect before WEEX hangs up."""
SUBSCRIBE_TIMEOUT = 10.0
ORDERS_REMEMBERED = 1_000
"""Recent orders kept for the deals that name them (a deal may follow its order's end)."""


class UserSession:
    def __init__(self) -> None:
        self.sink: AccountSink | None = None
        self.stream: Stream | None = None
        self.rpc: RpcChannel[schemas.Push] = RpcChannel(SUBSCRIBE_TIMEOUT)
        self.orders: OrderedDict[str, Order] = OrderedDict()
        """Order id -> the order as last pushed, newest last."""
        self.waiting: dict[str, list[Fill]] = {}
        """Deals whose order has not been pushed yet, by order id."""
        self._push = msgspec.json.Decoder(schemas.Push)
        self._order = msgspec.json.Decoder(schemas.OrderUpdate)
        self._deal = msgspec.json.Decoder(schemas.Deal)
        self._account = msgspec.json.Decoder(schemas.AccountChange)

    async def on_open(self, stream: Stream) -> None:
        self.stream = stream

        async def send(request_id: int) -> None:
            request = {"id": request_id, "method": "SUBSCRIPTION", "params": list(CHANNELS)}
            await stream.send(msgspec.json.encode(request).decode())

        answer = await self.rpc.call(send, "SUBSCRIPTION", is_order=False)
        if answer.code != 0:
            raise NetworkError(answer.code, answer.msg or "subscription refused")
        if self.sink is not None:
            self.sink.on_user_stream(True)

    def on_frame(self, frame: str | bytes) -> str | None:
        push = self._push.decode(frame)
        if push.c is None:
            self.rpc.answer(push.id, push)
            return None
        sink = self.sink
        if sink is None:
            return None
        if push.c == ORDERS and push.s is not None:
            order = convert.stream_order(push.s, self._order.decode(push.d), push.t)
            self._remember(order)
            sink.on_order(order, None)
            for fill in self.waiting.pop(order.order_id or "", []):
                sink.on_order(order, fill)
        elif push.c == DEALS and push.s is not None:
            fill = convert.deal_fill(push.s, self._deal.decode(push.d))
            known = self.orders.get(fill.order_id)
            if known is None:
                self.waiting.setdefault(fill.order_id, []).append(fill)
            else:
                sink.on_order(known, fill)
        elif push.c == ACCOUNT:
            sink.on_balances([convert.account_balance(self._account.decode(push.d))])
        return None

    def _remember(self, order: Order) -> None:
        if order.order_id is None:
            return
        self.orders[order.order_id] = order
        self.orders.move_to_end(order.order_id)
        while len(self.orders) > ORDERS_REMEMBERED:
            self.orders.popitem(last=False)

    def on_quiet(self, quiet: bool) -> None:
        """Orders go over REST either way; the status bar shows the line's state."""

    def on_close(self) -> None:
        self.rpc.connection_lost()
        if self.waiting:
            log.warning("%d deals heard without their order; reconciling", len(self.waiting))
        self.waiting.clear()
        if self.sink is not None:
            self.sink.on_user_stream(False)
