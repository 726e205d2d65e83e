"""The venue's clock: measured at start, again every few minutes, and at once when the
venue refuses a timestamp."""

import httpx

from console.errors import ClockSkew
from console.net.clock import RESYNC_EVERY, TimeSync
from console.net.limiter import Limiter
from console.net.rest import Prepared, Request, RestClient
from tests.fakes import FakeTime, until


class VenueClock:
    """A venue whose clock the test moves."""

    def __init__(self, ms):
        self.ms = ms

    async def now(self):
        return self.ms


async def test_the_offset_is_taken_against_the_middle_of_the_round_trip():
    sync = TimeSync(wall=lambda: 100.0)
    assert await sync.measure(VenueClock(100_250).now) == 250
    assert sync.now_ms() == 100_250


async def test_a_kept_clock_follows_the_venue_when_its_clock_moves():
    venue = VenueClock(100_000)
    sync = TimeSync(wall=lambda: 100.0)
    await sync.measure(venue.now)
    sync.keep(every=0.01)
    venue.ms = 108_000  # the venue's clock jumps 8 s mid-session
    await until(lambda: sync.offset_ms == 8_000)
    await sync.stop()


async def test_a_kept_clock_measures_again_every_interval_of_its_own_sleep():
    venue, time = VenueClock(100_000), FakeTime(100.0)
    sync = TimeSync(wall=time.clock, sleep=time.sleep)
    await sync.measure(venue.now)
    sync.keep()
    await until(lambda: len(time.slept) >= 3)
    await sync.stop()
    assert time.slept[:3] == [RESYNC_EVERY] * 3


class TimestampDialect:
    """Refuses every timestamp signed before the clock was measured again."""

    def __init__(self, sync):
        self.sync = sync

    def prepare(self, request):
        return Prepared(f"timestamp={self.sync.now_ms()}", None, {})

    def error(self, status, body, retry_after):
        return ClockSkew(-1021, "Timestamp for this request is outside of the recvWindow.")

    def unwrap(self, body):
        return body

    def observe(self, headers, limiter, request):
        pass


async def test_a_refused_timestamp_measures_the_clock_and_sends_the_order_once_more():
    venue = VenueClock(108_000)
    sync = TimeSync(wall=lambda: 100.0)
    sent = []

    def answer(request):
        stamp = int(request.url.params["timestamp"])
        sent.append(stamp)
        return httpx.Response(200 if stamp == 108_000 else 400, content=b"{}")

    client = RestClient(
        "http://venue",
        TimestampDialect(sync),
        Limiter({}),
        transport=httpx.MockTransport(answer),
        resync=sync.resync,
    )
    sync.source = venue.now
    order = Request("POST", "/api/v3/order", is_order=True)
    assert await client.send(order) == b"{}"
    assert sent == [100_000, 108_000]
    await client.close()
