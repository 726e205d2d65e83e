"""The client-side dead-man's switch against the simulator over loopback, with the venue
really falling silent: no data, no pongs, REST requests unanswered."""

import asyncio
import time
from dataclasses import replace
from decimal import Decimal

import httpx
import pytest

from console.errors import InvalidOrder, NetworkError
from console.model import OrderStatus, OrderType, Side
from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from console.trading.deadman import DeadMansSwitch, SwitchState
from console.trading.orders import OrderManager, ReconcilePolicy
from console.venues.base import OrderRequest
from console.venues.binance.adapter import BinanceCredentials, BinanceEndpoints, BinanceVenue
from tests.fakes import FakeTime, a_buy, until

GRACE = 2.0


@pytest.fixture
async def guarded():
    """A venue with two resting orders, its order manager, and an armed switch running."""
    exchange = SimExchange(seed=5, rate=0)
    exchange.add_credential(Credential("k", TRADER_ACCOUNT, secret=b"s"))
    sim = SimServer(exchange, flow=False)
    await sim.start()
    venue = BinanceVenue(BinanceEndpoints.on(sim.base_url), BinanceCredentials("k", secret="s"))
    venue.rest.client.http.timeout = httpx.Timeout(1.0)
    await venue.start()
    orders = OrderManager(venue, policy=ReconcilePolicy(first_delay=0.05, max_delay=0.5))
    await venue.watch_account(orders)
    await until(lambda: orders.user_stream_live)
    for symbol, price in (("BTCUSDT", "50000"), ("ETHUSDT", "2000")):
        await orders.submit(
            OrderRequest(
                symbol,
                Side.BUY,
                OrderType.LIMIT,
                orders.new_client_order_id(),
                Decimal("0.01"),
                Decimal(price),
            )
        )
    switch = DeadMansSwitch(venue, orders, GRACE)
    task = asyncio.create_task(switch.run())
    yield sim, venue, orders, switch
    sim.exchange.chaos.come_back()
    task.cancel()
    await orders.stop()
    await venue.close()
    await sim.stop()


def resting_at_engine(sim):
    return sim.exchange.engine.open_orders(TRADER_ACCOUNT)


@pytest.mark.slow
async def test_a_quiet_market_keeps_the_switch_armed(guarded):
    sim, _venue, _orders, switch = guarded
    started = time.monotonic()
    await until(lambda: time.monotonic() - started > GRACE * 2)
    assert switch.state is SwitchState.ARMED
    assert len(resting_at_engine(sim)) == 2


@pytest.mark.slow
async def test_silence_trips_the_switch_within_its_grace_of_the_last_sign_of_life(guarded):
    sim, venue, _orders, switch = guarded
    sim.exchange.chaos.go_dark()
    await until(lambda: switch.state is SwitchState.TRIPPED)
    last_heard = min(s.last_heard for s in venue.streams)
    assert switch.tripped_at - last_heard >= GRACE
    assert switch.blocks_orders


@pytest.mark.slow
async def test_an_unreachable_venue_is_said_plainly_and_cancels_are_retried_until_they_land(
    guarded,
):
    sim, _venue, orders, switch = guarded
    sim.exchange.chaos.go_dark()
    await until(lambda: "venue unreachable" in switch.describe())
    assert switch.describe().startswith("DMS TRIPPED: venue unreachable, 2 orders")
    assert len(resting_at_engine(sim)) == 2
    sim.exchange.chaos.come_back()
    await until(lambda: not resting_at_engine(sim))
    await until(lambda: switch.state is SwitchState.ARMED)
    assert orders.open_orders() == []
    assert {o.status for o in orders.orders.values()} == {OrderStatus.CANCELED}
    assert switch.cancelled == 2


@pytest.mark.slow
async def test_an_order_whose_outcome_is_unknown_is_covered_by_the_switch(guarded):
    sim, _venue, orders, switch = guarded
    sim.exchange.chaos.accept_delay = 0.5
    sim.exchange.chaos.trigger("late_accept")
    late = await orders.submit(
        OrderRequest(
            "SOLUSDT",
            Side.BUY,
            OrderType.LIMIT,
            orders.new_client_order_id(),
            Decimal("1"),
            Decimal("100"),
        )
    )
    assert late.status is OrderStatus.UNKNOWN
    await until(lambda: len(resting_at_engine(sim)) == 3)
    sim.exchange.chaos.go_dark()
    await until(lambda: switch.state is SwitchState.TRIPPED)
    sim.exchange.chaos.come_back()
    await until(lambda: not resting_at_engine(sim))
    # the console hears of it after the engine acted: wait for the news, not a moment
    await until(lambda: orders.orders[late.client_order_id].status is OrderStatus.CANCELED)


def test_zero_grace_turns_the_switch_off():
    venue = BinanceVenue(BinanceEndpoints.on("http://127.0.0.1:9"))
    switch = DeadMansSwitch(venue, OrderManager(venue), 0)
    assert (switch.state, switch.describe()) == (SwitchState.OFF, "DMS off")


class VenueWithItsOwnSwitch:
    """The contract a venue-side switch meets (Huobi's cancel-all-after): armed, renewed
    and disarmed through `cancel_all_after`; its streams always heard."""

    name = "switching"

    def __init__(self, clock):
        from console.net.stream import StreamState, StreamStatus
        from console.venues.binance.adapter import CAPABILITIES

        self.capabilities = replace(CAPABILITIES, venue_dead_mans_switch=True)
        self.clock = clock
        self.calls = []
        self.streams = [StreamStatus("market", StreamState.LIVE, last_heard=0.0)]

    async def cancel_all_after(self, seconds):
        self.calls.append((self.clock(), seconds))
        self.streams[0].last_heard = self.clock()


async def test_a_venue_side_switch_is_renewed_a_third_into_its_timeout_and_disarmed():
    now = [0.0]
    venue = VenueWithItsOwnSwitch(lambda: now[0])
    switch = DeadMansSwitch(venue, OrderManager(venue), grace=9, clock=lambda: now[0])
    for moment in (0.0, 1.0, 2.9, 3.0, 5.0, 6.1):
        now[0] = moment
        await switch.renew()
    assert venue.calls == [(0.0, 9), (3.0, 9), (6.1, 9)]
    assert switch.describe() == "DMS ARMED venue-side 9s, renews in 3s"
    await switch.disarm_venue_side()
    assert venue.calls[-1] == (6.1, 0)


async def test_stopping_waits_for_a_renewal_in_flight_before_disarming():
    now = [0.0]
    venue = VenueWithItsOwnSwitch(lambda: now[0])
    asked, answered = asyncio.Event(), asyncio.Event()
    renew = venue.cancel_all_after

    async def slow_renewal(seconds):
        if seconds:
            asked.set()
            await answered.wait()
        await renew(seconds)

    venue.cancel_all_after = slow_renewal
    switch = DeadMansSwitch(venue, OrderManager(venue), grace=9, clock=lambda: now[0])
    switch.renews_at = -1.0  # armed before, due for renewal now
    task = asyncio.create_task(switch.run())
    await asyncio.wait_for(asked.wait(), 5)
    task.cancel()
    answered.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [seconds for _, seconds in venue.calls] == [9, 0]


async def test_binance_says_it_has_no_venue_side_switch():
    venue = BinanceVenue(BinanceEndpoints.on("http://127.0.0.1:9"))
    with pytest.raises(InvalidOrder, match="Binance has no dead-man's switch of its own"):
        await venue.cancel_all_after(10)


async def test_disarming_ends_the_run_and_disarms_the_venues_own_switch():
    now = [0.0]
    venue = VenueWithItsOwnSwitch(lambda: now[0])
    switch = DeadMansSwitch(venue, OrderManager(venue), grace=9, clock=lambda: now[0])
    run = asyncio.create_task(switch.run())
    await until(lambda: venue.calls == [(0.0, 9)])
    switch.disarm()
    await asyncio.wait_for(run, 5)
    assert (switch.state, switch.describe()) == (SwitchState.OFF, "DMS off")
    assert venue.calls[-1] == (0.0, 0)


async def test_arming_with_a_timeout_shows_the_client_side_countdown():
    now = [0.0]
    venue = VenueWithItsOwnSwitch(lambda: now[0])
    venue.capabilities = replace(venue.capabilities, venue_dead_mans_switch=False)
    switch = DeadMansSwitch(venue, OrderManager(venue), grace=0, clock=lambda: now[0])
    assert switch.describe() == "DMS off"
    switch.arm(20)
    now[0] = 4.0
    assert switch.describe() == "DMS ARMED: silent 4s, trips in 16s"


async def test_the_switch_trips_the_moment_silence_reaches_its_grace_and_logs_it(caplog):
    now = [0.0]
    venue = VenueWithItsOwnSwitch(lambda: now[0])
    venue.capabilities = replace(venue.capabilities, venue_dead_mans_switch=False)
    switch = DeadMansSwitch(venue, OrderManager(venue), grace=10, clock=lambda: now[0])
    now[0] = 9.99
    await switch.check()
    assert switch.state is SwitchState.ARMED
    now[0] = 10.0
    await switch.check()
    assert switch.tripped_at == 10.0
    assert "dead-man's switch fired: nothing heard from switching for 10.0s" in caplog.text
    # nothing was open and the streams answer: it re-arms in the same look, and says so
    assert switch.state is SwitchState.ARMED and "re-armed" in caplog.text


async def test_the_running_switch_trips_on_its_own_clock_with_no_wall_time_passing(caplog):
    time = FakeTime()
    venue = VenueWithItsOwnSwitch(time.clock)
    venue.capabilities = replace(venue.capabilities, venue_dead_mans_switch=False)
    switch = DeadMansSwitch(
        venue, OrderManager(venue), grace=10, clock=time.clock, sleep=time.sleep
    )
    run = asyncio.create_task(switch.run())
    await until(lambda: "dead-man's switch fired" in caplog.text)
    run.cancel()
    assert time.now >= 10.0
    assert "nothing heard from switching for 10.0s" in caplog.text


async def test_renewals_failing_for_the_whole_timeout_trip_it_and_say_the_venue_cancels(caplog):
    now = [0.0]
    venue = VenueWithItsOwnSwitch(lambda: now[0])
    switch = DeadMansSwitch(venue, OrderManager(venue), grace=9, clock=lambda: now[0])
    await switch.renew()

    async def unreachable(seconds):
        raise NetworkError(msg="no answer before the timeout")

    venue.cancel_all_after = unreachable
    for moment in (3.0, 6.0):
        now[0] = moment
        await switch.renew()
        assert switch.state is SwitchState.ARMED
    now[0] = 9.0
    await switch.renew()
    assert (switch.state, switch.tripped_at) == (SwitchState.TRIPPED, 9.0)
    assert "not renewed for 9.0s, so switching cancels every order" in caplog.text


async def test_read_only_keeps_the_switch_off_and_refuses_to_arm_it():
    venue = VenueWithItsOwnSwitch(lambda: 0.0)
    switch = DeadMansSwitch(venue, OrderManager(venue, read_only=True), grace=9)
    assert (switch.state, switch.describe()) == (SwitchState.OFF, "DMS off: read-only")
    with pytest.raises(InvalidOrder, match="read-only"):
        switch.arm(9)
    await switch.run()
    assert venue.calls == []


async def test_standing_down_disarms_the_venues_switch_before_its_client_closes():
    now = [0.0]
    venue = VenueWithItsOwnSwitch(lambda: now[0])
    switch = DeadMansSwitch(venue, OrderManager(venue), grace=9, clock=lambda: now[0])
    run = asyncio.create_task(switch.run())
    await until(lambda: venue.calls == [(0.0, 9)])
    assert await switch.stand_down() is None
    assert venue.calls[-1] == (0.0, 0) and not switch.venue_armed
    assert run.done()


async def test_a_disarm_the_venue_refuses_is_said_with_what_the_venue_will_do():
    now = [0.0]
    venue = VenueWithItsOwnSwitch(lambda: now[0])
    switch = DeadMansSwitch(venue, OrderManager(venue), grace=9, clock=lambda: now[0])
    await switch.renew()

    async def refused(seconds):
        raise NetworkError(msg="no answer")

    venue.cancel_all_after = refused
    said = await switch.stand_down()
    assert said == (
        "switching's own dead-man's switch could not be disarmed: it cancels every order "
        "of the account within 9s"
    )


class VenueThatLostItsOrders(VenueWithItsOwnSwitch):
    """A client-side venue back from a restart with its state lost: streams live, nothing
    listed, no id known, and cancels that find nothing (or, while `reachable` is False,
    cancels that cannot be sent)."""

    def __init__(self, clock):
        super().__init__(clock)
        self.capabilities = replace(self.capabilities, venue_dead_mans_switch=False)
        self.reachable = True

    async def cancel_all(self, symbol):
        if not self.reachable:
            raise NetworkError(msg="connection refused")
        return []

    async def open_orders(self, symbol):
        return []

    async def order(self, symbol, client_order_id):
        from console.errors import OrderNotFound

        raise OrderNotFound(-2013, "Order does not exist.")


def resting_since(client_id, seconds_ago):
    at = int((time.time() - seconds_ago) * 1000)
    return a_buy(client_id, created_ms=at, updated_ms=at)


async def test_a_tripped_switch_rearms_once_orders_the_venue_lost_are_settled():
    now = [0.0]
    venue = VenueThatLostItsOrders(lambda: now[0])
    orders = OrderManager(venue, policy=ReconcilePolicy(lookup_window=60))
    orders.orders["tc-a-1"] = resting_since("tc-a-1", 61)
    switch = DeadMansSwitch(venue, orders, grace=10, clock=lambda: now[0])
    now[0] = 10.0
    await switch.check()
    assert switch.state is SwitchState.TRIPPED
    await switch.check()
    assert orders.orders["tc-a-1"].status is OrderStatus.VANISHED
    assert switch.state is SwitchState.ARMED


async def test_a_tripped_switch_counts_the_orders_left_not_their_symbols():
    now = [0.0]
    venue = VenueThatLostItsOrders(lambda: now[0])
    venue.reachable = False
    orders = OrderManager(venue)
    for cid in ("tc-a-1", "tc-a-2"):
        orders.orders[cid] = resting_since(cid, 0)
    switch = DeadMansSwitch(venue, orders, grace=10, clock=lambda: now[0])
    now[0] = 10.0
    await switch.check()
    assert switch.describe() == (
        "DMS TRIPPED: venue unreachable, 2 orders not cancelled yet, retrying"
    )


async def test_a_healthy_links_second_of_quiet_is_not_shown_as_silence():
    now = [0.0]
    venue = VenueWithItsOwnSwitch(lambda: now[0])
    venue.capabilities = replace(venue.capabilities, venue_dead_mans_switch=False)
    switch = DeadMansSwitch(venue, OrderManager(venue), grace=0, clock=lambda: now[0])
    switch.arm(15)
    shown = set()
    for tenth in range(0, 29):
        now[0] = tenth / 10
        shown.add(switch.describe())
    assert shown == {"DMS ARMED client-side 15s, trips in 15s"}
    now[0] = 3.0
    assert switch.describe() == "DMS ARMED: silent 3s, trips in 12s"


async def test_a_countdown_leaves_the_books_state_in_view_at_80_columns():
    now = [0.0]
    venue = VenueWithItsOwnSwitch(lambda: now[0])
    venue.capabilities = replace(venue.capabilities, venue_dead_mans_switch=False)
    switch = DeadMansSwitch(venue, OrderManager(venue), grace=0, clock=lambda: now[0])
    switch.arm(3600)
    now[0] = 1999.0
    line = f" SIM  binance BTCUSDT · {switch.describe()} · book STALE"
    assert len(line) <= 80, line
