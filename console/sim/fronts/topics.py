"""Who listens to which topic on a dialect's market sockets, and the book changes waiting
for the next depth push: what every simulated market stream keeps, whatever its topic
names and frame shapes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from console.model import Side
from console.sim.fronts.sockets import SimSocket
from console.sim.state import BookChanged


@dataclass
class Subscriber:
    socket: SimSocket
    combined: bool = False
    """Frames carry their topic (Binance's `/stream` wrapper), or not."""
    topics: set[str] = field(default_factory=set)


class Topics:
    def __init__(self) -> None:
        self.listeners: dict[str, dict[SimSocket, Subscriber]] = {}

    def __contains__(self, topic: object) -> bool:
        return topic in self.listeners

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.listeners))

    def add(self, subscriber: Subscriber, topic: str) -> None:
        subscriber.topics.add(topic)
        self.listeners.setdefault(topic, {})[subscriber.socket] = subscriber

    def remove(self, subscriber: Subscriber, topic: str) -> None:
        subscriber.topics.discard(topic)
        listeners = self.listeners.get(topic)
        if listeners is not None:
            listeners.pop(subscriber.socket, None)
            if not listeners:
                del self.listeners[topic]

    def drop(self, subscriber: Subscriber) -> None:
        """A socket closed: it listens to nothing any more."""
        for topic in list(subscriber.topics):
            self.remove(subscriber, topic)

    def of(self, topic: str) -> list[Subscriber]:
        return list(self.listeners.get(topic, {}).values())


@dataclass
class DepthBatch:
    """Level changes of one symbol since its last push: the span of engine updates they
    cover and each level's final size."""

    first_id: int = 0
    last_id: int = 0
    levels: dict[tuple[Side, int], int] = field(default_factory=dict)


class DepthBatches:
    """Book changes gathered per symbol and push interval (ms), taken at each push."""

    def __init__(self, symbols: list[str], speeds: set[int]) -> None:
        self.batches = {(symbol, speed): DepthBatch() for symbol in symbols for speed in speeds}
        self.speeds = speeds

    def on_change(self, event: BookChanged) -> None:
        for speed in self.speeds:
            batch = self.batches[(event.symbol, speed)]
            if not batch.levels:
                batch.first_id = event.update_id
            batch.last_id = event.update_id
            for side, ticks, lots in event.changes:
                batch.levels[(side, ticks)] = lots

    def take(self, speed: int) -> list[tuple[str, DepthBatch]]:
        """The batches of `speed` with changes in them, each replaced by an empty one."""
        taken = []
        for (symbol, batch_speed), batch in self.batches.items():
            if batch_speed == speed and batch.levels:
                taken.append((symbol, batch))
                self.batches[(symbol, speed)] = DepthBatch()
        return taken
