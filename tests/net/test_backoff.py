"""Full-jitter backoff: random below a doubling bound, capped, reset after success."""

import random

from console.net.backoff import Backoff


def test_delays_stay_below_a_doubling_bound():
    backoff = Backoff(base=0.5, cap=100, rng=random.Random(1))
    for attempt in range(6):
        assert 0 <= backoff.next_delay() <= 0.5 * 2**attempt


def test_delays_never_exceed_the_cap():
    backoff = Backoff(base=1, cap=3, rng=random.Random(2))
    assert max(backoff.next_delay() for _ in range(50)) <= 3


def test_delays_are_jittered_not_fixed():
    backoff = Backoff(base=1, cap=1, rng=random.Random(3))
    assert len({round(backoff.next_delay(), 6) for _ in range(10)}) == 10


def test_reset_starts_the_bound_over():
    backoff = Backoff(base=1, cap=1000, rng=random.Random(4))
    for _ in range(8):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() <= 1
