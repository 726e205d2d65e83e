"""Test doubles shared by several test modules."""


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
