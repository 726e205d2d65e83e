"""The terminal output never holds the console: a terminal that stops reading costs
dropped frames, not a frozen event loop, and one whose output closed is reported once; a
terminal that is gone is read no more."""

import os
import pty
import signal
import threading

import pytest
from textual.app import App

from console.ui.output import ConsoleDriver, TerminalOutput
from tests.fakes import until


class StalledTerminal:
    """A terminal that does not read until `resume` is set."""

    def __init__(self):
        self.resume = threading.Event()
        self.written = []

    def write(self, text):
        self.resume.wait()
        self.written.append(text)

    def flush(self):
        pass


class ClosedTerminal:
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        pass


async def test_writes_to_a_stalled_terminal_never_wait_and_are_dropped_past_the_queue():
    terminal, caught_up = StalledTerminal(), threading.Event()
    output = TerminalOutput(terminal, caught_up.set, lambda error: None, most=3)
    output.start()
    for frame in range(100):
        output.write(f"frame {frame}")  # returns at once though nothing is read
    assert output.dropped >= 100 - 3 - 1  # the queue, and the write the thread is stuck in
    terminal.resume.set()
    await until(caught_up.is_set)
    assert terminal.written[0] == "frame 0"
    output.stop()


async def test_a_terminal_that_reads_again_is_repainted_once_it_caught_up():
    terminal, caught_up = StalledTerminal(), threading.Event()
    output = TerminalOutput(terminal, caught_up.set, lambda error: None, most=2)
    output.start()
    for frame in range(10):
        output.write(f"frame {frame}")
    assert not caught_up.is_set()
    terminal.resume.set()
    await until(caught_up.is_set)
    output.stop()


async def test_a_closed_output_is_said_once_and_every_later_write_dropped():
    said = []
    output = TerminalOutput(ClosedTerminal(), lambda: None, said.append)
    output.start()
    output.write("frame 0")
    await until(lambda: said)
    for frame in range(5):
        output.write(f"frame {frame}")
    output.stop()
    assert [type(error) for error in said] == [BrokenPipeError]
    assert output.is_gone and output.dropped == 5


async def test_writes_to_a_terminal_that_reads_arrive_in_order_and_none_dropped():
    terminal = StalledTerminal()
    terminal.resume.set()
    output = TerminalOutput(terminal, lambda: None, lambda error: None)
    output.start()
    for frame in range(20):
        output.write(f"{frame}")
    output.stop()
    assert terminal.written == [f"{frame}" for frame in range(20)]
    assert output.dropped == 0


@pytest.fixture
def hung_up_keyboard():
    """The keyboard side of a terminal whose other end closed, as after a dropped SSH link:
    every read answers end-of-file at once."""
    screen_end, keyboard_end = pty.openpty()
    os.close(screen_end)
    yield keyboard_end
    os.close(keyboard_end)


async def test_the_keyboard_thread_stops_reading_a_terminal_that_is_gone(hung_up_keyboard):
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTSTP, signal.SIGCONT)}
    driver = ConsoleDriver(App())
    for sig, handler in handlers.items():  # the driver takes these for Ctrl+Z
        signal.signal(sig, handler)
    driver.fileno = hung_up_keyboard
    keyboard = threading.Thread(target=driver.run_input_thread, daemon=True)
    keyboard.start()
    driver.stop_reading()
    await until(lambda: not keyboard.is_alive())
