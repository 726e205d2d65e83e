"""Market data read on a timer, shown as a stream: LIVE while reads succeed, STALE after the
quiet threshold without one (a refusal or a request the venue never answers), LIVE again."""

import asyncio

from console.errors import NetworkError
from console.net.poller import Poller, PollRules
from console.net.stream import StreamState
from tests.fakes import until

FAST = PollRules(every=0.02, quiet_after=0.2)


class Venue:
    def __init__(self):
        self.reads, self.failing, self.hanging = 0, False, False

    async def read(self):
        if self.hanging:
            await asyncio.Event().wait()
        if self.failing:
            raise NetworkError(msg="HTTP 502")
        self.reads += 1


async def polled(venue):
    quiet = []
    poller = Poller("market", FAST, quiet.append)
    poller.add("book", venue.read)
    poller.start()
    return poller, quiet


async def test_reads_on_a_timer_keep_it_live():
    venue = Venue()
    poller, quiet = await polled(venue)
    await until(lambda: venue.reads >= 3)
    assert poller.status.state is StreamState.LIVE and quiet == []
    await poller.stop()


async def test_failing_reads_show_it_stale_and_the_next_success_live_again():
    venue = Venue()
    poller, quiet = await polled(venue)
    await until(lambda: poller.status.state is StreamState.LIVE)
    venue.failing = True
    await until(lambda: poller.status.state is StreamState.STALE)
    venue.failing = False
    await until(lambda: poller.status.state is StreamState.LIVE)
    assert quiet == [True, False]
    await poller.stop()


async def test_a_read_the_venue_never_answers_cannot_hold_the_round():
    venue = Venue()
    poller, quiet = await polled(venue)
    await until(lambda: poller.status.state is StreamState.LIVE)
    venue.hanging = True
    await until(lambda: poller.status.state is StreamState.STALE)
    venue.hanging = False
    await until(lambda: poller.status.state is StreamState.LIVE)
    assert quiet == [True, False]
    await poller.stop()
