"""Where the trading core runs: its own event loop in its own thread, so nothing the
screen does (a slow frame, a terminal that stops reading) can hold up the streams, the
order path or the dead-man's switch.

The screen talks to the core through one of these: `run` awaits a coroutine on the core's
loop (an order or a cancel, urgent; the start and the close), `call` runs a function there
and hands back what it returns (the views a frame draws, a check of the ticket),
`call_now` does the same while the screen waits (a key that reads what it just opened),
`spawn` leaves a task running there (the switch), `hand` starts a coroutine there from any
thread and hands back its future (enter sent from the thread that reads the keyboard,
urgent). `ThreadCore` is the product's; `InlineCore` runs everything on the caller's loop,
for tests that drive the screen and the session from one loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gc
import selectors
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
Handed = asyncio.Future[T] | concurrent.futures.Future[T]
"""Work started on the core, to be awaited (through `asyncio.wrap_future`) on any loop."""
SWITCH_INTERVAL = 0.001
"""Seconds a thread running Python keeps it while another waits (Python's default is 5 ms).
The core woken by the network and the keyboard's thread woken by a key each wait that long
for the screen's thread, which is drawing; at the default, a keypress to the venue paid it
three or four times over."""
URGENT_SWITCH_INTERVAL = 0.0002
"""The same while an order or a cancel is on its way (`urgent` work): each time the core
lets go of Python for its input and output (the journal's write, the socket's), the screen's
thread takes it, and the core waits up to this long to get it back. Only then: kept this
short all the time, it cost 1.5-2 points more CPU at 10,000 events a second.

Python's own collections of its young objects wait meanwhile too: one starts wherever an
allocation crosses its threshold, several times a second, and stops every thread for
2-10 ms on a busy console; on an order's path it held the order that long. Put off until
the order is on its way, it runs a few milliseconds later on much the same objects."""
STOP_WAIT = 5.0
"""Seconds `stop` waits for the core's tasks to finish being cancelled."""
GIVE_WAY = 0.025
"""Seconds after an order or a cancel begins that the screen's loop gives way to it
(`Urgency.give_way`): long enough for a typical order to be written to the socket at a
firehose, short enough that an order a venue is slow to answer leaves the screen alone."""


class Core(Protocol):
    async def run(self, work: Coroutine[Any, Any, T], urgent: bool = False) -> T: ...

    async def call(self, work: Callable[..., T], *args: Any) -> T: ...

    def call_now(self, work: Callable[..., T], *args: Any) -> T: ...

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None: ...

    def hand(self, work: Coroutine[Any, Any, T]) -> Handed[T]: ...

    def stop(self) -> None: ...


class InlineCore:
    """The core on the caller's own loop."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    async def run(self, work: Coroutine[Any, Any, T], urgent: bool = False) -> T:
        return await work

    async def call(self, work: Callable[..., T], *args: Any) -> T:
        return work(*args)

    def call_now(self, work: Callable[..., T], *args: Any) -> T:
        return work(*args)

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def hand(self, work: Coroutine[Any, Any, T]) -> Handed[T]:
        """One loop, one thread: called from that thread, as the tests that drive the
        screen do."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()


class Urgency:
    """How much urgent work is on its way: while any is, Python's switch interval is short,
    its automatic garbage collection waits, and the screen's loop gives way (`give_way`)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._on_its_way = 0
        self._collecting = False
        """Whether Python collected automatically when the first urgent work began."""
        self.clock = clock
        self._calm = threading.Event()
        self._calm.set()
        self._give_way_until = 0.0

    def begin(self) -> None:
        with self._lock:
            if not self._on_its_way:
                self._collecting = gc.isenabled()
                gc.disable()
                self._calm.clear()
            self._on_its_way += 1
            self._give_way_until = self.clock() + GIVE_WAY
            sys.setswitchinterval(URGENT_SWITCH_INTERVAL)

    def end(self, _: object = None) -> None:
        """One piece of urgent work is done, however it ended (a future's done callback)."""
        with self._lock:
            self._on_its_way -= 1
            if not self._on_its_way:
                sys.setswitchinterval(SWITCH_INTERVAL)
                if self._collecting:
                    gc.enable()
                self._calm.set()

    def give_way(self) -> None:
        """Hold the calling thread (the screen's) while urgent work is on its way, up to
        `GIVE_WAY` after the last of it began: the core has Python and a processor to
        itself meanwhile. At a firehose the screen's thread drew beside the core, and an
        order waited for Python at every hop of its path, 4-8 ms in all on the slowest."""
        left = self._give_way_until - self.clock()
        if left > 0:
            self._calm.wait(left)


class GivingWay(selectors.DefaultSelector):
    """The screen's loop's selector: before each wait for its input and timers, the
    screen's thread gives way to an order or a cancel on its way (`URGENCY`)."""

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        URGENCY.give_way()
        return super().select(timeout)


URGENCY = Urgency()
"""One for the process, as the switch interval is: every core's urgent work counts."""


class ThreadCore:
    """The core on a loop of its own, in a thread of its own."""

    def __init__(self) -> None:
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="trading core", daemon=True)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def _submit(
        self, work: Coroutine[Any, Any, T], urgent: bool = False
    ) -> concurrent.futures.Future[T]:
        """`urgent`: an order or a cancel, for which Python changes threads sooner from now
        until it is done, cancelled before it began included (`URGENT_SWITCH_INTERVAL`)."""
        if not urgent:
            return asyncio.run_coroutine_threadsafe(work, self.loop)
        URGENCY.begin()
        try:
            submitted = asyncio.run_coroutine_threadsafe(work, self.loop)
        except BaseException:
            URGENCY.end()
            raise
        submitted.add_done_callback(URGENCY.end)
        return submitted

    async def run(self, work: Coroutine[Any, Any, T], urgent: bool = False) -> T:
        return await asyncio.wrap_future(self._submit(work, urgent))

    async def call(self, work: Callable[..., T], *args: Any) -> T:
        """A plain callback on the core and one back: a frame asks this twenty times a
        second, and a task with two chained futures each time cost both loops more than
        the views it carried."""
        here = asyncio.get_running_loop()
        answer: asyncio.Future[T] = here.create_future()

        def settle(set_outcome: Callable[[Any], None], outcome: Any) -> None:
            if not answer.done():  # not given up on meanwhile
                set_outcome(outcome)

        def run() -> None:
            outcome: Any
            set_outcome: Callable[[Any], None]
            try:
                outcome, set_outcome = work(*args), answer.set_result
            except Exception as error:
                outcome, set_outcome = error, answer.set_exception
            with contextlib.suppress(RuntimeError):  # the screen's loop is already closed
                here.call_soon_threadsafe(settle, set_outcome, outcome)

        self.loop.call_soon_threadsafe(run)
        return await answer

    def call_now(self, work: Callable[..., T], *args: Any) -> T:
        answer: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                answer.set_result(work(*args))
            except Exception as error:
                answer.set_exception(error)

        self.loop.call_soon_threadsafe(run)
        return answer.result()

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        def start() -> None:
            task = self.loop.create_task(work)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        self.loop.call_soon_threadsafe(start)

    def hand(self, work: Coroutine[Any, Any, T]) -> Handed[T]:
        """Urgent: what the keyboard's thread hands over is an order."""
        return self._submit(work, urgent=True)

    def stop(self) -> None:
        """Cancel what still runs on the core, then end its loop and thread."""
        if not self.loop.is_running():
            return
        with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
            self._submit(self._cancel_all()).result(STOP_WAIT)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(STOP_WAIT)

    async def _cancel_all(self) -> None:
        tasks = [t for t in asyncio.all_tasks(self.loop) if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
