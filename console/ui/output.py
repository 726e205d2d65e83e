"""Output to the terminal that can never hold up the console.

Textual hands each frame to a writer thread through a queue of 30 writes; when the terminal
stops reading (a stalled SSH link, a suspended terminal emulator), the thread blocks in its
write, the queue fills, and the next frame blocks the event loop that runs the streams, the
order path and the dead-man's switch. Here the queue never makes the screen wait: while the
terminal is not reading, whole writes are dropped (counted), and once it reads again the
screen is repainted in full. When the output is gone (a closed pty or pipe), that is said
once, so the console can apply its quit policy and leave.

The same driver hears the keyboard, on a thread of its own: it numbers each event on the
way to the screen and sends enter on a ready ticket from there (`console.ui.express`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import IO, Any

from textual import events
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

log = logging.getLogger(__name__)

MOST_QUEUED = 256
"""Writes held for a terminal that is slow to read; past them, writes are dropped."""
BURST_WAIT = 0.05
"""Seconds a write waits for room before the terminal is taken as stalled: a burst (the
start-up sequences, a full repaint) drains in less; a stalled terminal does not."""
STOP_WAIT = 1.0
"""Seconds closing waits for the last writes to reach a terminal that may never read them."""


class TerminalOutput(threading.Thread):
    """Writes to `file` on a thread of its own, from a bounded queue that never blocks."""

    def __init__(
        self,
        file: IO[str],
        caught_up: Callable[[], None],
        gone: Callable[[OSError], None],
        most: int = MOST_QUEUED,
    ) -> None:
        super().__init__(daemon=True, name="terminal-output")
        self._file = file
        self._queue: queue.Queue[str | None] = queue.Queue(most)
        self._caught_up, self._gone = caught_up, gone
        self.dropped = 0
        """Writes dropped while the terminal was not reading, or after it was gone."""
        self.is_gone = False
        self._behind = False

    def write(self, text: str) -> None:
        """Queue `text`, or drop it (counted) when the terminal is stalled or gone. Only the
        first write into a full queue waits, and only `BURST_WAIT`."""
        if self.is_gone:
            self.dropped += 1
            return
        try:
            if self._behind:
                self._queue.put_nowait(text)
            else:
                self._queue.put(text, timeout=BURST_WAIT)
        except queue.Full:
            self.dropped += 1
            self._behind = True

    def run(self) -> None:
        while (text := self._queue.get()) is not None:
            if self.is_gone:
                continue
            try:
                self._file.write(text)
                if self._queue.empty():
                    self._file.flush()
                    if self._behind:
                        self._behind = False
                        self._caught_up()
            except OSError as error:
                self.is_gone = True
                self._gone(error)

    def stop(self, timeout: float = STOP_WAIT) -> None:
        """End the thread once what is queued is written, waiting at most `timeout`."""
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            return
        self.join(timeout)


class TerminalGone(Message):
    """The terminal's output closed: nobody can see the screen any more."""

    def __init__(self, error: OSError) -> None:
        self.error = error
        super().__init__()


class ConsoleDriver(LinuxDriver):
    """Textual's Linux driver, writing through `TerminalOutput`: the app is repainted once
    a stalled terminal reads again, and gets `TerminalGone` when its output closes."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.output: TerminalOutput | None = None

    def start_application_mode(self) -> None:
        loop = asyncio.get_running_loop()
        app = self._app

        def caught_up() -> None:
            loop.call_soon_threadsafe(app.refresh)

        def gone(error: OSError) -> None:
            loop.call_soon_threadsafe(app.post_message, TerminalGone(error))

        assert self._file is not None
        self.output = TerminalOutput(self._file, caught_up, gone)
        self.output.start()
        super().start_application_mode()

    def _get_terminal_size(self) -> tuple[int, int]:
        """The size of the terminal the screen is drawn on (stderr), not of stdout, which
        may be a pipe (`trading-console | tee`) that has no size."""
        try:
            assert self._file is not None
            columns, lines = os.get_terminal_size(self._file.fileno())
        except (AssertionError, OSError, ValueError):
            return super()._get_terminal_size()
        return columns, lines

    def process_message(self, message: Message) -> None:
        """On the keyboard's thread: every event is numbered, and enter on a ready ticket
        is sent from here (`console.ui.express`)."""
        if isinstance(message, events.Event):
            app: Any = self._app  # the console's App, which holds the lane
            message = app.express.hear(message)
        super().process_message(message)

    def stop_reading(self) -> None:
        """End the keyboard's thread: its terminal is gone, and a hung-up terminal answers
        every read at once with end-of-file, which the thread would read in a busy loop,
        taking the processor from the orders being closed. Nothing is written back: there is
        no terminal left to restore."""
        self.exit_event.set()

    def write(self, data: str) -> None:
        assert self.output is not None, "Driver must be in application mode"
        self.output.write(data)

    def close(self) -> None:
        super().close()
        if self.output is not None:
            if self.output.dropped:
                log.warning(
                    "%d writes to the terminal dropped while it was not reading",
                    self.output.dropped,
                )
            self.output.stop()
