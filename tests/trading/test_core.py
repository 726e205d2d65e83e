"""`ThreadCore.call` and `call_now`: the work runs on the core's own thread and what it
returns or raises comes back to the caller."""

import asyncio
import threading

import pytest

from console.trading.core import ThreadCore


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
