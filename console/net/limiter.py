"""Token buckets built from a venue's published limits, corrected by what the venue reports.

Each bucket holds `limit` tokens refilled evenly over its interval. A request spends its
weight from every bucket it counts against and waits while any is short. The venue's own
count (Binance's X-MBX-USED-WEIGHT-1M) pulls a bucket down when the venue has seen more
than we have, since other programs may share the IP. A 429 pauses everything for its
Retry-After; a 418 ban stops every request until it ends.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from console.errors import Banned, RateLimited

PRIORITY_RESERVE = 0.2
"""The share of each bucket that only priority requests (orders, account) may spend."""


@dataclass
class TokenBucket:
    limit: int
    interval: float
    tokens: float = -1.0
    updated: float = 0.0
    provisional: bool = False
    """A cautious stand-in until the venue tells its real limit: the venue's own count is
    against that real limit, so it is noted but not taken as this bucket's."""
    held_until: float = 0.0
    """The venue said this bucket's window is spent: nothing from it before then."""

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = float(self.limit)

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(
                self.limit, self.tokens + (now - self.updated) * self.limit / self.interval
            )
            self.updated = now

    def wait_for(self, cost: int, now: float, reserve: float = 0.0) -> float:
        """Seconds until `cost` tokens are there with `reserve` left over (0 if they are)."""
        self.refill(now)
        reserve = min(reserve, max(0.0, self.limit - cost))  # a request never waits forever
        short = cost + reserve - self.tokens
        refilled = 0.0 if short <= 0 else short * self.interval / self.limit
        return max(refilled, self.held_until - now)

    @property
    def used(self) -> int:
        return round(self.limit - self.tokens)


class Limiter:
    def __init__(
        self,
        buckets: dict[str, TokenBucket],
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.buckets = buckets
        self.clock, self.wall, self.sleep = clock, wall, sleep
        self.paused_until = 0.0
        self.reported: dict[str, tuple[int, float]] = {}
        """The venue's own count per bucket, and when it said so."""
        self.banned_until = 0.0
        """Wall-clock seconds; shown to the trader and carried by `Banned`."""

    async def acquire(
        self, costs: dict[str, int], wait: bool = True, priority: bool = False
    ) -> None:
        """Spend `costs`; with `wait=False` refuse at once instead of queueing (for orders).
        Requests without `priority` (market data) leave a reserve in every bucket, so
        orders and reconciliation still go when snapshots have used most of the budget."""
        while True:
            if self.wall() < self.banned_until:
                raise Banned(self.banned_until, msg="IP banned by the venue for rate limits")
            now = self.clock()
            delay = max(
                [self.paused_until - now]
                + [
                    self.buckets[n].wait_for(
                        c, now, 0.0 if priority else self.buckets[n].limit * PRIORITY_RESERVE
                    )
                    for n, c in costs.items()
                ]
            )
            if delay <= 0:
                for name, cost in costs.items():
                    self.buckets[name].tokens -= cost
                return
            if not wait:
                raise RateLimited(delay, msg="request held back by the rate limiter")
            await self.sleep(delay)

    def pause(self, seconds: float) -> None:
        """The venue answered 429: nothing goes out for `seconds`."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)

    def own_bucket(self, name: str, limit: int, interval: float) -> str:
        """The bucket of an endpoint the venue limits on its own, made on first use."""
        if name not in self.buckets:
            self.buckets[name] = TokenBucket(limit, interval)
        return name

    def hold(self, name: str, seconds: float) -> None:
        """The venue said one bucket's window is spent (the others are not): hold it."""
        bucket = self.buckets.get(name)
        if bucket is not None:
            bucket.held_until = max(bucket.held_until, self.clock() + seconds)

    def ban(self, seconds: float) -> float:
        """The venue answered 418: nothing goes out until the ban ends; returns its end."""
        self.banned_until = max(self.banned_until, self.wall() + seconds)
        self.pause(seconds)
        return self.banned_until

    def observe(self, name: str, used: int) -> None:
        """Take the venue's count of spent weight when it is higher than ours."""
        bucket = self.buckets.get(name)
        if bucket is not None:
            now = self.clock()
            self.reported[name] = (used, now)
            if bucket.provisional:
                return
            bucket.refill(now)
            bucket.tokens = min(bucket.tokens, bucket.limit - used)

    def usage(self, name: str) -> tuple[int, int]:
        """Weight used: ours, or the venue's own recent count when it is higher (venues count
        in fixed windows, which a refilling bucket forgets sooner)."""
        bucket = self.buckets[name]
        now = self.clock()
        bucket.refill(now)
        used = bucket.used
        reported = self.reported.get(name)
        if reported is not None and now - reported[1] < bucket.interval:
            used = max(used, reported[0])
        return used, bucket.limit
