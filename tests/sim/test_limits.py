"""Request-weight windows: 429 with the time left, then escalating bans."""

from console.sim.fronts.limits import WeightLimiter, Window


def test_weight_within_the_window_passes_and_counts():
    limiter = WeightLimiter(Window(10, 60_000))
    assert limiter.spend(4, 1_000).used == 4
    assert limiter.spend(6, 2_000).status == 200


def test_overrun_answers_429_with_seconds_to_the_next_window():
    limiter = WeightLimiter(Window(10, 60_000))
    limiter.spend(10, 0)
    allowance = limiter.spend(1, 45_500)
    assert (allowance.status, allowance.retry_after_s) == (429, 15)


def test_new_window_restores_the_budget():
    limiter = WeightLimiter(Window(10, 60_000))
    limiter.spend(10, 0)
    assert limiter.spend(10, 60_000).status == 200


def test_ignoring_429s_earns_a_two_minute_ban_that_doubles():
    limiter = WeightLimiter(Window(1, 60_000))
    limiter.spend(1, 0)
    statuses = [limiter.spend(1, 10).status for _ in range(6)]
    assert statuses == [429] * 5 + [418]
    assert limiter.spend(1, 119_000).status == 418
    assert limiter.spend(1, 120_010).status == 200
    limiter.spend(1, 120_020)
    for _ in range(6):
        allowance = limiter.spend(1, 120_030)
    assert (allowance.status, allowance.retry_after_s) == (418, 240)
