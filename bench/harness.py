"""What the console benches share: a simulator in its own process, the console in a real
pseudo-terminal pointed at it, and the process figures a trader's machine would show
(CPU, resident memory, open files) read from /proc."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte

from console.sim.exchange import DEMO_API_KEY, DEMO_API_PASSPHRASE, DEMO_API_SECRET

KEYED = ("BINANCE", "HUOBI", "WEEX")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


class Simulator:
    """`trading-console sim` in a process of its own, at a rate of book events."""

    def __init__(self, rate: float, extra: list[str] | None = None, venue: str = "binance") -> None:
        self.venue = venue
        self.process = subprocess.Popen(
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
                *(extra or []),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        lines: list[str] = []
        while not lines or not lines[-1].startswith("Ctrl+C"):
            line = self.process.stdout.readline() if self.process.stdout else ""
            if not line:
                raise SystemExit("the simulator did not start")
            lines.append(line.strip())
        self.rest = dict(line.split(None, 1) for line in lines[1:-1])["rest"]
        self.ws = self.rest.replace("http://", "ws://")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(10)


class Console:
    """The console in a pty of the given size, on a simulator by its custom endpoint."""

    def __init__(
        self,
        sim: Simulator | list[Simulator],
        home: Path,
        size: tuple[int, int],
        env: dict[str, str] | None = None,
        launcher: Path | None = None,
    ) -> None:
        """On several simulators, one venue each, the console runs them all (`venues`).
        `launcher`: a script run in place of `python -m console` (`bench/traced.py`)."""
        self.columns, self.rows = size
        self.screen = pyte.Screen(*size)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_read = 0
        self.bursts = 0
        environment = {
            **os.environ,
            "TERM": "xterm-256color",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            **{f"{venue}_CUSTOM_API_KEY": DEMO_API_KEY for venue in KEYED},
            **{f"{venue}_CUSTOM_API_SECRET": DEMO_API_SECRET for venue in KEYED},
            "WEEX_CUSTOM_API_PASSPHRASE": DEMO_API_PASSPHRASE,
            **(env or {}),
        }
        start = ["-m", "console"] if launcher is None else [str(launcher)]
        argv = [sys.executable, *start, "--env", "custom"]
        if isinstance(sim, list):
            several(home, sim)
        else:
            argv += ["--rest-url", sim.rest, "--ws-url", sim.ws]
        self.started = time.monotonic()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, environment)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))

    def read(self, seconds: float, render: bool = True) -> None:
        """Drain the terminal for `seconds`; a burst of output after a quiet moment is a frame."""
        deadline = time.monotonic() + seconds
        quiet = True
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.004))
            if not ready:
                quiet = True
                continue
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                return
            self.bytes_read += len(data)
            if quiet:
                self.bursts += 1
                quiet = False
            if render:
                self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 30.0) -> float:
        """Seconds until `needle` is on the screen."""
        started = time.monotonic()
        while needle not in self.text():
            if time.monotonic() - started > timeout:
                raise SystemExit(f"never saw {needle!r}:\n{self.text()}")
            self.read(0.01)
        return time.monotonic() - started

    def press(self, key: str) -> None:
        os.write(self.fd, key.encode())

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def several(home: Path, sims: list[Simulator]) -> None:
    """A config running one venue on each simulator."""
    lines = ["venues = [" + ", ".join(f'"{sim.venue}"' for sim in sims) + "]"]
    for sim in sims:
        lines += [f"[per_venue.{sim.venue}.endpoints]", f'rest = "{sim.rest}"', f'ws = "{sim.ws}"']
    folder = home / "config" / "trading-console"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text("\n".join(lines) + "\n")


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """CPU time of process `pid`, or of its `thread` alone (the main one's id is `pid`)."""
    where = f"/proc/{pid}" if thread is None else f"/proc/{pid}/task/{thread}"
    fields = Path(f"{where}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Steal:
    """The share of this machine's CPU time its host gave other machines over a run (the
    steal column of /proc/stat): on a virtual machine, a run's times are worth only as much
    as the cores it really had, and a busy host takes a third of them some hours. Zero where
    the kernel does not count it."""

    def __init__(self) -> None:
        self._start = _cpu_times()

    def share(self) -> float:
        """Stolen time as a share of all CPU time since this was made, in percent."""
        now = _cpu_times()
        spent = [b - a for a, b in zip(self._start, now, strict=True)]
        total = sum(spent)
        return 100 * spent[STEAL] / total if total else 0.0


STEAL = 7
"""The steal column's index among the CPU times `_cpu_times` reads."""


def _cpu_times() -> list[int]:
    """user, nice, system, idle, iowait, irq, softirq, steal: the whole machine's, in ticks."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    return [int(field) for field in fields] + [0] * (8 - len(fields))


def rss_mb(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 1e6


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
