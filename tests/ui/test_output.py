"""The terminal output never holds the console: a terminal that stops reading costs
dropped frames, not a frozen event loop, and one whose output closed is reported once."""

import threading

from console.ui.output import TerminalOutput
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
