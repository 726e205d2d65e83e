"""`ThreadCore.call` and `call_now`: the work runs on the core's own thread and what it
returns or raises comes back to the caller. Orders and cancels (urgent work) have Python
change threads sooner, put off its own garbage collection, and have the screen's loop give
way, while they are on their way."""

import asyncio
import gc
import selectors
import socket
import sys
import threading

import pytest

from console.trading import core as core_module
from console.trading.core import (
    GIVE_WAY,
    SWITCH_INTERVAL,
    URGENT_SWITCH_INTERVAL,
    GivingWay,
    ThreadCore,
    Urgency,
)
from tests.fakes import until

SHORT, USUAL = pytest.approx(URGENT_SWITCH_INTERVAL), pytest.approx(SWITCH_INTERVAL)
"""Python keeps the interval in whole microseconds."""


@pytest.fixture
def core():
    running = ThreadCore()
    yield running
    running.stop()


async def test_a_call_runs_on_the_cores_thread_and_hands_back_its_result(core):
    assert await core.call(lambda a, b: (threading.current_thread().name, a + b), 2, 3) == (
        "trading core",
        5,
    )


async def test_a_call_hands_back_what_the_work_raised(core):
    def refuse():
        raise LookupError("no such order")

    with pytest.raises(LookupError, match="no such order"):
        await core.call(refuse)


async def test_a_call_given_up_on_leaves_the_caller_free(core):
    release = threading.Event()
    waiting = asyncio.ensure_future(core.call(release.wait))
    await asyncio.sleep(0)
    waiting.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert await core.call(lambda: "still serving") == "still serving"


def test_call_now_waits_for_the_result_and_its_errors(core):
    assert core.call_now(lambda: threading.current_thread().name) == "trading core"
    with pytest.raises(ZeroDivisionError):
        core.call_now(lambda: 1 / 0)


async def test_python_changes_threads_sooner_while_an_order_is_on_its_way(core):
    async def interval_seen():
        return sys.getswitchinterval()

    assert await core.run(interval_seen(), urgent=True) == SHORT
    assert sys.getswitchinterval() == USUAL
    assert await core.run(interval_seen()) == USUAL


async def test_the_switch_interval_stays_short_until_the_last_urgent_work_is_done(core):
    first, second = asyncio.Event(), asyncio.Event()  # set on the core's loop

    def release(event):
        core.loop.call_soon_threadsafe(event.set)

    one = asyncio.ensure_future(core.run(first.wait(), urgent=True))
    other = asyncio.wrap_future(core.hand(second.wait()))
    await until(lambda: sys.getswitchinterval() == SHORT)
    release(first)
    await one
    assert sys.getswitchinterval() == SHORT
    release(second)
    await other
    assert sys.getswitchinterval() == USUAL


async def test_urgent_work_that_fails_leaves_the_switch_interval_as_it_was(core):
    async def refused():
        raise LookupError("no such order")

    with pytest.raises(LookupError):
        await core.run(refused(), urgent=True)
    await until(lambda: sys.getswitchinterval() == USUAL)


async def test_python_collects_no_garbage_of_its_own_accord_while_an_order_is_on_its_way(core):
    async def collecting():
        return gc.isenabled()

    assert await core.run(collecting(), urgent=True) is False
    await until(gc.isenabled)
    assert await core.run(collecting()) is True


async def test_collection_left_off_before_urgent_work_stays_off_after_it(core):
    async def order():
        return "sent"

    gc.disable()
    try:
        assert await core.run(order(), urgent=True) == "sent"
        await until(lambda: sys.getswitchinterval() == USUAL)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_screen_gives_way_to_nothing_when_nothing_is_on_its_way():
    Urgency(clock=lambda: 0.0).give_way()  # returns at once: a wait here would hang the test


def test_the_screen_gives_way_until_the_order_on_its_way_is_done(monkeypatch):
    monkeypatch.setattr(core_module, "GIVE_WAY", 3600.0)
    urgency = Urgency(clock=lambda: 0.0)
    urgency.begin()
    given = threading.Event()
    screen = threading.Thread(target=lambda: (urgency.give_way(), given.set()))
    screen.start()
    try:
        assert not given.wait(0.2)  # held while the order is on its way
    finally:
        urgency.end()
    screen.join()
    assert given.is_set()


def test_the_screen_gives_way_no_longer_than_its_while_after_the_order_began():
    now = [0.0]
    urgency = Urgency(clock=lambda: now[0])
    urgency.begin()
    try:
        now[0] = GIVE_WAY  # the order has been on its way that long: the screen goes on
        urgency.give_way()
    finally:
        urgency.end()


def test_the_screens_loop_hears_its_input_after_giving_way():
    reading, writing = socket.socketpair()
    selector = GivingWay()
    try:
        selector.register(reading, selectors.EVENT_READ)
        writing.send(b"k")
        assert [key.fileobj for key, _ in selector.select(0)] == [reading]
    finally:
        selector.close()
        reading.close()
        writing.close()
