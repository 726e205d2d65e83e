"""A console in a real pseudo-terminal, read like a person reads a screen (pyte)."""

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
DOWN = b"\x1b[B"


HEARD_KEPT = 512 * 1024


class Terminal:
    """`trading-console` in a pty of its own, with a screen we can read like a person."""

    def __init__(self, tmp_path, argv=None, cwd=None, env=None, size=(COLUMNS, ROWS)):
        columns, rows = size
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.heard = bytearray()
        """What the console wrote that the screen does not show (the bell, a desktop
        notice), as written: the last few hundred kilobytes."""
        environment = {
            **os.environ,
            "TERM": "xterm-256color",
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            # the pty's size, also where a parent (a pytest worker) set its own
            "COLUMNS": str(columns),
            "LINES": str(rows),
        }
        for name in list(environment):
            if name.startswith(("BINANCE_", "HUOBI_")):
                environment.pop(name)
        environment.update(env or {})
        argv = argv or [sys.executable, "-m", "console", "--rate", "100"]
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            if cwd is not None:
                os.chdir(cwd)
            os.execve(argv[0], argv, environment)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def text(self):
        return "\n".join(self.screen.display)

    def pump(self, seconds):
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    written = os.read(self.fd, 65536)
                except OSError:
                    return
                self.stream.feed(written)
                self.heard += written
                del self.heard[: max(0, len(self.heard) - HEARD_KEPT)]

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

    def ticket_is_ready(self):
        """Whether the ticket says enter sends it: ready, or (the same ticket just sent) the
        answer to the last enter."""
        text = self.text()
        return "ready: enter to submit" in text or "✓ sent:" in text

    def ticket_has_focus(self):
        """Whether the ticket itself (not a field) has focus: its head is then drawn reversed."""
        for y, line in enumerate(self.screen.display):
            x = line.find("BUY  ")
            if x < 0:
                x = line.find("SELL  ")
            if x >= 0 and "│" in line[:x]:
                return self.screen.buffer[y][x].reverse
        return False

    def escape(self):
        """Press Esc and wait until the focus has moved (out of a field into the ticket, or
        out of the ticket), so the next key cannot be read with it as an Alt chord."""
        before = self.ticket_has_focus()
        os.write(self.fd, b"\x1b")
        deadline = time.monotonic() + 30
        while self.ticket_has_focus() == before:
            assert time.monotonic() < deadline, f"Esc was not taken:\n{self.text()}"
            self.pump(0.1)

    def exit_status(self, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.fd is None:
                time.sleep(0.1)
            else:
                self.pump(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("the console did not exit")

    def hang_up(self):
        """Close the terminal, as a dropped SSH link does: the kernel hangs up the console's
        session (SIGHUP) and nothing it writes goes anywhere any more."""
        os.close(self.fd)
        self.fd = None

    def kill(self):
        """`kill -9`: the console gets no chance to clean up."""
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)

    def close(self):
        """Kill the console if it is still there, and release the terminal."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        if self.fd is not None:
            os.close(self.fd)
