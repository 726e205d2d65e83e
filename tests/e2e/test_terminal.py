"""The console as a trader runs it: a real pseudo-terminal, keys typed, the screen read."""

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

import pyte

COLUMNS, ROWS = 120, 40
PAGE_DOWN = b"\x1b[6~"


class Terminal:
    """`trading-console` in a pty of its own, with a screen we can read like a person."""

    def __init__(self, tmp_path):
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
        }
        for name in ("BINANCE_API_KEY", "BINANCE_API_SECRET", "BINANCE_ED25519_KEY_FILE"):
            env.pop(name, None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(sys.executable, [sys.executable, "-m", "console", "--rate", "100"], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))

    def text(self):
        return "\n".join(self.screen.display)

    def pump(self, seconds):
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.stream.feed(os.read(self.fd, 65536))
                except OSError:
                    return

    def wait_for(self, predicate, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.2)
            if predicate(self.text()):
                return self.text()
        raise AssertionError(f"screen never showed what was expected:\n{self.text()}")

    def type(self, *keys):
        for key in keys:
            os.write(self.fd, key if isinstance(key, bytes) else key.encode())
            self.pump(0.15)

    def exit_status(self, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("the console did not exit")


def test_console_in_a_terminal_takes_an_order_and_shows_it(tmp_path):
    term = Terminal(tmp_path)
    try:
        term.wait_for(lambda s: "SIM" in s and "book LIVE" in s and "user LIVE" in s)
        term.type("b", "\x1b", "B", PAGE_DOWN, "\t", "\t", "0.01")
        term.wait_for(lambda s: "ready: enter to submit" in s)
        term.type("\r")
        screen = term.wait_for(lambda s: "Open orders (1)" in s and "0.00000/0.01000" in s)
        row = next(line for line in screen.splitlines() if "0.00000/0.01000" in line)
        assert "BUY" in row and "NEW" in row
        # Esc twice: out of the size field, then out of the ticket, back to the book; then
        # 10-tick buckets so the order is in view.
        term.type("\x1b", "\x1b", "+", "+", "+")
        term.wait_for(lambda s: "step 0.10" in s and "◆" in s)  # ◆: the order on the ladder
        term.type("q")
        assert term.exit_status() == 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(term.pid, signal.SIGKILL)
        os.close(term.fd)
