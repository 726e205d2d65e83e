"""Request-weight windows and bans, as venues enforce them per IP.

A fixed window per interval, as Binance counts; spending past the limit answers 429 with
the seconds left in the window; carrying on while refused earns a ban (418) that starts at
two minutes and doubles with each repeat.
"""

from __future__ import annotations

from dataclasses import dataclass

BAN_AFTER_REFUSALS = 5
FIRST_BAN_MS = 120_000


@dataclass
class Window:
    limit: int
    interval_ms: int
    start_ms: int = 0
    used: int = 0

    def roll(self, now_ms: int) -> None:
        start = now_ms - now_ms % self.interval_ms
        if start != self.start_ms:
            self.start_ms, self.used = start, 0

    def retry_after_ms(self, now_ms: int) -> int:
        return self.start_ms + self.interval_ms - now_ms


@dataclass
class Allowance:
    status: int = 200
    retry_after_s: int = 0
    used: int = 0


@dataclass
class WeightLimiter:
    """The weight budget of one client address."""

    window: Window
    refusals: int = 0
    banned_until_ms: int = 0
    ban_ms: int = FIRST_BAN_MS

    def spend(self, weight: int, now_ms: int) -> Allowance:
        if now_ms < self.banned_until_ms:
            return Allowance(418, _seconds(self.banned_until_ms - now_ms), self.window.used)
        self.window.roll(now_ms)
        if self.window.used + weight > self.window.limit:
            self.refusals += 1
            if self.refusals > BAN_AFTER_REFUSALS:
                self.refusals = 0
                self.banned_until_ms = now_ms + self.ban_ms
                self.ban_ms *= 2
                return Allowance(418, _seconds(self.ban_ms // 2), self.window.used)
            return Allowance(429, _seconds(self.window.retry_after_ms(now_ms)), self.window.used)
        self.refusals = 0
        self.window.used += weight
        return Allowance(200, 0, self.window.used)


def _seconds(ms: int) -> int:
    return max(1, -(-ms // 1000))
