"""Telling the trader of fills and price alerts wherever they look: a notice on the
screen, the terminal's bell, and a desktop notification the terminal raises (OSC 9 or
OSC 777), which reaches the trader's own desktop over SSH. Each is switched in the config's
`[notify]`.

The news comes with the frames, whatever panel is shown or dialog open: a frame that finds
fills (or alerts fired) past the ones already told tells them, one line per order or alert
(`console.trading.account`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from console.config import Notify
from console.trading.account import News

TITLE = "trading-console"
KEEP_TOLD = 100


def desktop_notice(kind: str, title: str, body: str) -> str:
    """The escape sequence that asks the terminal for a desktop notification: the text
    made safe (no control characters that would end the sequence early, no `;` that
    would split OSC 777's fields)."""

    def safe(text: str) -> str:
        return "".join(ch if ch.isprintable() else " " for ch in text).replace(";", ",")

    if kind == "osc777":
        return f"\x1b]777;notify;{safe(title)};{safe(body)}\x07"
    return f"\x1b]9;{safe(body)}\x07"


class Notices:
    """Fed `News` by the frame clock; tells each frame's news the ways switched on."""

    def __init__(
        self,
        settings: Notify,
        toast: Callable[[str], None],
        bell: Callable[[], None],
        write: Callable[[str], None],
    ) -> None:
        self.settings = settings
        self._toast, self._bell, self._write = toast, bell, write
        self.seen = 0
        """Events heard that were told (or were there before the screen)."""
        self.told: deque[str] = deque(maxlen=KEEP_TOLD)
        """The last lines told, oldest first."""

    def room(self) -> tuple[int]:
        return (self.seen,)

    def show(self, news: News) -> None:
        self.seen = news.heard
        if not news.lines:
            return
        self.told.extend(news.lines)
        settings = self.settings
        if settings.toast:
            for line in news.lines:
                self._toast(line)
        if settings.bell:
            self._bell()
        if settings.desktop != "off":
            self._write(desktop_notice(settings.desktop, TITLE, " · ".join(news.lines)))
