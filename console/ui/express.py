"""Enter on a ready ticket, sent from the thread that reads the keyboard.

A key reaches the screen's loop only after whatever that loop is doing: laying out and
drawing a frame takes tens of milliseconds on a busy machine, more with a thousand orders
listed. The key a trader times, enter on a filled ticket, does not wait for it. While the
ticket is ready, the screen says so here (`arm`, with what enter would send); the
keyboard's thread, hearing enter, hands that to the trading core at once, and the screen
gets `Expressed` in place of the key, to show what came of it.

An arm is good only for the state the trader saw: the keyboard's thread numbers every
event it hears, the screen notes the number of the last one it has taken in (`took`), and
arms only when it has taken in everything heard; any event heard after the arm (a digit, a
tab, a click) spends it, so enter after it takes the screen's own, slower path. The screen
also spends it (`disarm`) the moment it opens a dialog or moves the focus by itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from textual import events, messages
from textual.message_pump import MessagePump
from textual.notifications import Notify
from textual.worker import Worker

from console.trading.core import Handed

HEARD = "console_heard"
"""The attribute an event heard by the keyboard's thread carries its number in."""

Send = Callable[[], Handed[Any]]
"""Starts the armed order on the trading core and hands back its future."""


PASSING = (
    messages.Update,
    messages.Layout,
    messages.UpdateScroll,
    messages.Prompt,
    events.Timer,
    Worker.StateChanged,
    Notify,
)
"""What goes through a queue without anything the trader did in it: redraws, a timer's
tick (the screen's own updates, the frame clock), a worker starting or ending, a notice."""


def carrying(pump: MessagePump) -> bool:
    """Whether `pump` has anything queued but what is passing, which may be what the
    trader did, still on its way. This reads Textual's queue (its `values`); a queue of
    another shape counts as carrying, so enter then takes the screen's own path."""
    queued = getattr(pump._message_queue, "values", None)
    if queued is None:
        return pump.message_queue_size > 0
    pending = pump._pending_message
    return (pending is not None and not isinstance(pending, PASSING)) or not all(
        isinstance(message, PASSING) for message in queued
    )


class Expressed(events.Event):
    """Enter on an armed ticket: the order went to the core; `sent` says what came of it."""

    def __init__(self, sent: Handed[Any]) -> None:
        super().__init__()
        self.sent = sent


class ExpressLane:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._heard = 0
        """Events the keyboard's thread has heard (written on that thread)."""
        self.taken = 0
        """The number of the last heard event the screen has taken in (its own loop)."""
        self._armed: tuple[int, Send] | None = None
        self.last_heard = 0.0
        """When the keyboard's thread last heard an event (`time.monotonic`)."""

    def hear(self, event: events.Event) -> events.Event:
        """Number an event just heard (on the keyboard's thread); enter while armed for
        everything heard so far sends the order now and becomes `Expressed`."""
        with self._lock:
            armed, self._armed = self._armed, None
            fire = (
                armed is not None
                and armed[0] == self._heard
                and isinstance(event, events.Key)
                and event.key == "enter"
            )
            self._heard += 1
            number = self._heard
        self.last_heard = time.monotonic()
        heard = Expressed(armed[1]()) if fire and armed is not None else event
        setattr(heard, HEARD, number)
        return heard

    def took(self, event: events.Event) -> None:
        """The screen has taken in `event` (on its own loop)."""
        number = getattr(event, HEARD, None)
        if number is not None and number > self.taken:
            self.taken = number

    def arm(self, send: Send, taken: int) -> bool:
        """Have enter call `send`, if `taken` (what the screen had taken in when it read the
        ticket) is still everything heard; True if armed."""
        with self._lock:
            if taken != self._heard:
                self._armed = None
                return False
            self._armed = (taken, send)
            return True

    def disarm(self) -> None:
        with self._lock:
            self._armed = None

    @property
    def armed(self) -> bool:
        return self._armed is not None
