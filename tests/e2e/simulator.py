"""`trading-console sim` in a process of its own, as a shared simulator runs."""

import contextlib
import signal
import subprocess
import sys


@contextlib.contextmanager
def simulator_process(venue="binance", rate=100, chaos=""):
    """Start the simulator's `venue` dialect on a free port (with `chaos`, as
    `sim --chaos` takes it); yields its REST base URL."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "console",
            "sim",
            "--venue",
            venue,
            "--port",
            "0",
            "--rate",
            str(rate),
            *(["--chaos", chaos] if chaos else []),
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
        yield dict(line.split(None, 1) for line in lines[1:-1])["rest"]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(10)
