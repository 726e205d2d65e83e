"""Fault injection for the simulator: what a real venue does to a client on a bad day.

Rates are chances (per request, per depth push, or per socket-second); one-shot triggers
let a test cause exactly one fault at exactly the moment it wants. Each front consults this
object at the points where a real venue fails: sockets drop or go silent, depth pushes lose
updates, REST answers 429/418/5xx, orders time out after the engine has acted.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field, fields

FAULTS_HELP = (
    "drop=P,stall=P (chance a socket drops / goes silent each second), gap=P (chance a depth "
    "push is lost), 429=P,418=P,5xx=P (chance a REST request is refused), latency=MS, "
    "order_timeout=P (chance an order request times out after the engine acted), "
    "late_accept=P (chance an order request times out and the engine takes the order "
    "accept_delay=S seconds later), skew=MS (the venue's clock runs MS milliseconds ahead; "
    "negative: behind)"
)

_ALIASES = {"429": "http_429", "418": "http_418", "5xx": "http_5xx"}


@dataclass
class Chaos:
    drop: float = 0.0
    stall: float = 0.0
    gap: float = 0.0
    http_429: float = 0.0
    http_418: float = 0.0
    http_5xx: float = 0.0
    latency: float = 0.0
    """Milliseconds added to every REST answer and WebSocket API reply."""
    order_timeout: float = 0.0
    late_accept: float = 0.0
    accept_delay: float = 5.0
    """Seconds between a late-accepted order's timeout answer and its arrival in the engine."""
    skew: float = 0.0
    """Milliseconds the venue's clock is ahead of the true time (negative: behind): what it
    answers for its time, stamps on its events and checks signed timestamps against."""
    seed: int = 7
    _pending: dict[str, int] = field(default_factory=dict, repr=False)
    _light: asyncio.Event = field(default_factory=asyncio.Event, repr=False)
    _generation: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._light.set()

    @classmethod
    def parse(cls, spec: str) -> Chaos:
        """Build from `name=value,...` as given to `trading-console sim --chaos`."""
        chaos = cls()
        known = {f.name for f in fields(cls) if not f.name.startswith("_")}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            name, sep, value = item.partition("=")
            name = _ALIASES.get(name.strip(), name.strip())
            if not sep or name not in known:
                raise ValueError(f"unknown chaos setting {item!r}; use {FAULTS_HELP}")
            try:
                setattr(chaos, name, float(value) if name != "seed" else int(value))
            except ValueError:
                raise ValueError(f"chaos setting {item!r} needs a number") from None
        chaos.rng = random.Random(chaos.seed)
        return chaos

    # -- one-shot triggers, for tests and for rehearsing a failure by hand -------------------

    def trigger(self, fault: str, times: int = 1) -> None:
        """Make the next `times` chances of `fault` come true ("gap", "429", "order_timeout")."""
        fault = _ALIASES.get(fault, fault)
        self._pending[fault] = self._pending.get(fault, 0) + times

    def drop_connections(self) -> None:
        """Close every socket open now, without a close frame."""
        self._generation["drop"] = self._generation.get("drop", 0) + 1

    def stall_connections(self) -> None:
        """Make every socket open now go silent: no data, no pings, no pongs."""
        self._generation["stall"] = self._generation.get("stall", 0) + 1

    def go_dark(self) -> None:
        """Stop answering, as a venue whose process is stopped: sockets fall silent (no
        data, no pings, no pongs, client frames unread) and REST requests hang."""
        self._light.clear()

    def come_back(self) -> None:
        """Answer again: held REST requests proceed; silent sockets speak again."""
        self._light.set()

    @property
    def dark(self) -> bool:
        return not self._light.is_set()

    async def until_light(self) -> None:
        await self._light.wait()

    def generation(self, fault: str) -> int:
        return self._generation.get(fault, 0)

    # -- what the fronts ask -----------------------------------------------------------------

    def happens(self, fault: str, scale: float = 1.0) -> bool:
        """Whether `fault` strikes now: a pending trigger, else its rate times `scale`."""
        pending = self._pending.get(fault, 0)
        if pending:
            self._pending[fault] = pending - 1
            return True
        rate = getattr(self, fault)
        return rate > 0 and self.rng.random() < rate * scale
