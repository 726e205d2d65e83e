"""Python's full garbage collection waits for a quiet keyboard, and comes at least once in
five minutes; the young generations stay Python's own."""

import gc

from console.collector import AT_LEAST, AT_MOST, NEVER, QUIET, Collector
from tests.fakes import FakeTime


class Keyboard:
    def __init__(self, clock):
        self.clock = clock
        self.last = clock.now

    def key(self):
        self.last = self.clock.now


def collector_on(clock):
    """A collector on `clock` with a keyboard, recording when it collects."""
    keyboard = Keyboard(clock)
    runs = []
    collector = Collector(
        lambda: keyboard.last, clock=clock.clock, collect=lambda: runs.append(clock.now)
    )
    return collector, keyboard, runs


def test_no_full_collection_while_the_trader_types():
    clock = FakeTime(100.0)
    collector, keyboard, runs = collector_on(clock)
    for _ in range(int((AT_MOST - 1) / 0.25)):
        clock.now += 0.25
        keyboard.key()
        collector.look()
    assert runs == []


def test_a_full_collection_runs_once_the_keyboard_is_quiet():
    clock = FakeTime(100.0)
    collector, keyboard, runs = collector_on(clock)
    clock.now += AT_LEAST
    keyboard.key()
    collector.look()
    clock.now += QUIET
    collector.look()
    assert runs == [100.0 + AT_LEAST + QUIET]


def test_a_quiet_keyboard_gets_one_every_few_seconds_not_one_a_look():
    clock = FakeTime(100.0)
    collector, _, runs = collector_on(clock)
    for _ in range(int(3 * AT_LEAST / 0.25)):
        clock.now += 0.25
        collector.look()
    assert runs == [100.0 + AT_LEAST, 100.0 + 2 * AT_LEAST, 100.0 + 3 * AT_LEAST]


def test_a_trader_who_never_stops_typing_still_gets_one_every_few_minutes():
    clock = FakeTime(100.0)
    collector, keyboard, runs = collector_on(clock)
    for _ in range(int(2 * AT_MOST / 0.25)):
        clock.now += 0.25
        keyboard.key()
        collector.look()
    assert runs == [100.0 + AT_MOST, 100.0 + 2 * AT_MOST]


def test_started_it_takes_the_full_collections_over_and_gives_them_back_when_stopped():
    before = gc.get_threshold()
    collector = Collector(lambda: 0.0)
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], NEVER)
        assert gc.get_freeze_count() > 0
    finally:
        collector.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def set_aside_while_collecting(clock, keyboard):
    """A collector that notes how many objects were set aside as each collection ran."""
    frozen = []
    collector = Collector(
        lambda: keyboard.last,
        clock=clock.clock,
        collect=lambda: frozen.append(gc.get_freeze_count()),
    )
    return collector, frozen


def test_a_quiet_collection_walks_what_was_made_since_and_sets_the_survivors_aside():
    clock = FakeTime(100.0)
    collector, frozen = set_aside_while_collecting(clock, Keyboard(clock))
    gc.freeze()
    try:
        clock.now += AT_LEAST
        collector.look()
        assert len(frozen) == 1 and frozen[0] > 0  # what was set aside stayed aside
        assert gc.get_freeze_count() > 0  # and the survivors were set aside after
    finally:
        gc.unfreeze()


def test_a_quiet_collection_walks_everything_once_in_a_few_minutes():
    clock = FakeTime(100.0)
    collector, frozen = set_aside_while_collecting(clock, Keyboard(clock))
    gc.freeze()
    try:
        for at in (AT_LEAST, 2 * AT_LEAST, AT_MOST - AT_LEAST, AT_MOST):
            clock.now = 100.0 + at
            collector.look()
        assert frozen[-1] == 0 and all(count > 0 for count in frozen[:-1])
        assert gc.get_freeze_count() > 0  # the survivors set aside after
    finally:
        gc.unfreeze()


def test_a_collection_while_the_trader_types_walks_only_what_was_made_since():
    clock = FakeTime(100.0)
    keyboard = Keyboard(clock)
    collector, frozen = set_aside_while_collecting(clock, keyboard)
    gc.freeze()
    try:
        clock.now += AT_MOST
        keyboard.key()
        collector.look()
        assert frozen[0] > 0
    finally:
        gc.unfreeze()
