"""`trading-console sim` in a process of its own, as a shared simulator runs."""

import contextlib
import signal
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import urlparse


@dataclass
class Running:
    """A simulator process and where it answers."""

    process: subprocess.Popen
    rest: str
    port: int

    def freeze(self):
        """Stop the process dead (SIGSTOP), as a venue that hangs: no data, no pongs, no
        answers, connections left open."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)


@contextlib.contextmanager
def simulator(venue="binance", rate=100, chaos="", port=0, offset_bp=0):
    """Start the simulator's `venue` dialect on `port` (any free one by default; with
    `chaos`, as `sim --chaos` takes it; its prices `offset_bp` from the usual); yields it
    running."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "console",
            "sim",
            "--venue",
            venue,
            "--port",
            str(port),
            "--rate",
            str(rate),
            *(["--chaos", chaos] if chaos else []),
            *(["--offset-bp", str(offset_bp)] if offset_bp else []),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        while not lines or not lines[-1].startswith("Ctrl+C"):
            line = process.stdout.readline()
            assert line, process.stderr.read()
            lines.append(line.strip())
        rest = dict(line.split(None, 1) for line in lines[1:-1])["rest"]
        yield Running(process, rest, urlparse(rest).port)
    finally:
        process.send_signal(signal.SIGCONT)
        process.send_signal(signal.SIGINT)
        process.wait(10)


@contextlib.contextmanager
def simulator_process(venue="binance", rate=100, chaos=""):
    """Start the simulator's `venue` dialect on a free port; yields its REST base URL."""
    with simulator(venue, rate, chaos) as running:
        yield running.rest
