"""Test doubles and waiting helpers shared by several test modules."""

import asyncio


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


async def until(predicate, timeout=60.0):
    """Wait for a condition (a state, a row, an event), never for a fixed time; fail after
    `timeout` seconds, generous enough for a busy machine."""

    async def poll():
        while not predicate():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)
