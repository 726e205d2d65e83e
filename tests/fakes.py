"""Test doubles and waiting helpers shared by several test modules."""

import asyncio
from decimal import Decimal

from console.model import Order, OrderStatus, OrderType, Side


class FakeTime:
    """A clock and a sleep the test controls: sleeping advances the clock at once."""

    def __init__(self, now=0.0):
        self.now = now
        self.slept = []

    def clock(self):
        return self.now

    async def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # others run meanwhile, as on a real sleep


async def until(predicate, timeout=60.0, meanwhile=None):
    """Wait for a condition (a state, a row, an event), never for a fixed time; fail after
    `timeout` seconds, generous enough for a busy machine. `meanwhile` is called before
    each look (to move a simulated market on, say)."""

    async def poll():
        while True:
            if meanwhile is not None:
                meanwhile()
            if predicate():
                return
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


def a_buy(client_id, status=OrderStatus.NEW, **fields):
    """An order of the account: a BTCUSDT limit buy of 1 at 100, as the tests need it."""
    return Order(
        "BTCUSDT",
        client_id,
        Side.BUY,
        OrderType.LIMIT,
        **{"qty": Decimal(1), "price": Decimal(100), **fields},
        status=status,
    )
