"""The client-side dead-man's switch: cancel after the grace, block, re-arm after recovery."""

from decimal import Decimal

from console.model import Order, OrderStatus, OrderType, Side
from console.net.stream import StreamState, StreamStatus
from console.trading.deadman import DeadMansSwitch, SwitchState
from console.trading.orders import OrderManager


class Venue:
    """A venue whose stream states the test sets, answering cancel-all and open orders."""

    def __init__(self):
        self.streams = [
            StreamStatus("market", StreamState.LIVE),
            StreamStatus("user", StreamState.LIVE),
        ]
        self.cancelled_symbols = []
        self.fail_cancels = 0
        self.open = []

    async def cancel_all(self, symbol):
        if self.fail_cancels:
            self.fail_cancels -= 1
            from console.errors import NetworkError

            raise NetworkError(msg="venue unreachable")
        self.cancelled_symbols.append(symbol)
        gone = [o for o in self.open if o.symbol == symbol]
        self.open = [o for o in self.open if o.symbol != symbol]
        return [
            Order(
                o.symbol,
                o.client_order_id,
                o.side,
                o.type,
                o.qty,
                o.price,
                status=OrderStatus.CANCELED,
            )
            for o in gone
        ]

    async def open_orders(self, symbol=None):
        return [o for o in self.open if symbol is None or o.symbol == symbol]


def resting(client_id, symbol="BTCUSDT"):
    return Order(
        symbol,
        client_id,
        Side.BUY,
        OrderType.LIMIT,
        Decimal(1),
        Decimal(100),
        status=OrderStatus.NEW,
    )


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def switch_with_orders(grace=10.0):
    venue, clock = Venue(), Clock()
    orders = OrderManager(venue, session_tag="t")
    for order in (resting("a"), resting("b", "ETHUSDT")):
        orders.on_order(order, None)
        venue.open.append(order)
    return DeadMansSwitch(venue, orders, grace, clock), venue, orders, clock


async def test_short_outage_cancels_nothing():
    switch, venue, _, clock = switch_with_orders()
    venue.streams[1].state = StreamState.DOWN
    await switch.check()
    clock.now = 9.9
    await switch.check()
    venue.streams[1].state = StreamState.LIVE
    await switch.check()
    assert venue.cancelled_symbols == [] and switch.state is SwitchState.ARMED


async def test_outage_past_the_grace_cancels_every_symbol_and_blocks_orders():
    switch, venue, orders, clock = switch_with_orders()
    venue.streams[0].state = StreamState.STALE
    await switch.check()
    clock.now = 10.0
    await switch.check()
    assert sorted(venue.cancelled_symbols) == ["BTCUSDT", "ETHUSDT"]
    assert orders.open_orders() == []
    assert switch.blocks_orders and "TRIPPED" in switch.describe()


async def test_failed_cancels_are_retried_while_the_venue_is_lost():
    switch, venue, orders, clock = switch_with_orders()
    venue.fail_cancels = 2
    venue.streams[1].state = StreamState.DOWN
    await switch.check()
    clock.now = 11
    await switch.check()  # both symbols fail
    assert orders.open_orders()
    await switch.check()  # retried
    assert orders.open_orders() == []


async def test_rearms_only_after_the_streams_are_back():
    switch, venue, _, clock = switch_with_orders()
    venue.streams[1].state = StreamState.DOWN
    await switch.check()
    clock.now = 20
    await switch.check()
    venue.streams[1].state = StreamState.LIVE
    await switch.check()
    assert switch.state is SwitchState.ARMED and not switch.blocks_orders


def test_zero_grace_turns_the_switch_off():
    switch = DeadMansSwitch(Venue(), OrderManager(Venue(), session_tag="t"), 0)
    assert (switch.state, switch.describe()) == (SwitchState.OFF, "DMS off")
