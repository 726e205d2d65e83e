"""Token buckets, pauses after 429, bans after 418, and the venue's own usage counts."""

import pytest

from console.errors import Banned, RateLimited
from console.net.limiter import Limiter, TokenBucket
from tests.fakes import FakeTime


@pytest.fixture
def fake():
    return FakeTime(1000.0)


def limiter(fake, limit=10, interval=10.0):
    return Limiter(
        {"weight": TokenBucket(limit, interval, updated=fake.now)},
        clock=fake.clock,
        wall=fake.clock,
        sleep=fake.sleep,
    )


async def test_requests_within_the_budget_go_at_once(fake):
    lim = limiter(fake)
    for _ in range(8):
        await lim.acquire({"weight": 1})
    for _ in range(2):
        await lim.acquire({"weight": 1}, priority=True)
    assert fake.slept == []


async def test_request_over_the_budget_waits_for_the_refill(fake):
    lim = limiter(fake)
    await lim.acquire({"weight": 10}, priority=True)
    await lim.acquire({"weight": 2}, priority=True)
    assert fake.slept == [pytest.approx(2.0)]


async def test_order_over_the_budget_is_refused_not_queued(fake):
    lim = limiter(fake)
    await lim.acquire({"weight": 10}, priority=True)
    with pytest.raises(RateLimited) as refused:
        await lim.acquire({"weight": 1}, wait=False, priority=True)
    assert refused.value.retry_after == pytest.approx(1.0)


async def test_pause_after_429_holds_every_request_for_retry_after(fake):
    lim = limiter(fake)
    lim.pause(7)
    await lim.acquire({"weight": 1})
    assert sum(fake.slept) == pytest.approx(7)


async def test_a_held_bucket_waits_for_its_window_and_the_others_go_at_once(fake):
    lim = limiter(fake)
    lim.buckets["detail"] = TokenBucket(50, 2.0, updated=fake.now)
    lim.hold("detail", 1.5)
    await lim.acquire({"weight": 1})
    assert fake.slept == []
    await lim.acquire({"detail": 1})
    assert sum(fake.slept) == pytest.approx(1.5)


async def test_ban_after_418_refuses_until_it_ends(fake):
    lim = limiter(fake)
    until = lim.ban(120)
    with pytest.raises(Banned) as banned:
        await lim.acquire({"weight": 1})
    assert banned.value.until == until == fake.now + 120
    fake.now += 120
    await lim.acquire({"weight": 1})


def test_venue_count_higher_than_ours_wins(fake):
    lim = limiter(fake)
    lim.observe("weight", 8)
    assert lim.usage("weight") == (8, 10)


def test_venue_count_lower_than_ours_is_ignored(fake):
    lim = limiter(fake)
    lim.buckets["weight"].tokens = 3
    lim.observe("weight", 2)
    assert lim.usage("weight") == (7, 10)


def test_usage_shows_the_venues_recent_count_after_our_bucket_refilled(fake):
    lim = limiter(fake, limit=10, interval=10.0)
    lim.observe("weight", 6)
    fake.now += 8  # our bucket has refilled; the venue's window has not ended
    assert lim.usage("weight") == (6, 10)
    fake.now += 3
    assert lim.usage("weight") == (0, 10)


async def test_a_provisional_bucket_is_not_held_back_by_the_venues_count_of_a_larger_limit(fake):
    lim = Limiter(
        {"weight": TokenBucket(1200, 60.0, updated=fake.now, provisional=True)},
        clock=fake.clock,
        wall=fake.clock,
        sleep=fake.sleep,
    )
    lim.observe("weight", 2507)  # out of the venue's 6,000, which we do not know yet
    await lim.acquire({"weight": 20})
    assert fake.slept == []
    assert lim.usage("weight") == (2507, 1200)


async def test_market_data_leaves_a_reserve_that_orders_may_spend(fake):
    lim = limiter(fake, limit=100, interval=100.0)
    await lim.acquire({"weight": 75})
    await lim.acquire({"weight": 10}, priority=True)  # 25 left: into the reserve of 20
    assert fake.slept == []
    await lim.acquire({"weight": 10})  # market data waits until 30 are back
    assert fake.slept == [pytest.approx(15.0)]
