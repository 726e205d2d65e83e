"""Keypress to order at the engine, over loopback: the ticket filled once, then `enter`
pressed for each order, timed from the key written to the terminal to the engine taking
the order, and reported by how many orders were open when the key was pressed. Two paths,
REST (an HMAC key) and the WebSocket API (an Ed25519 key, which logs the session on), at
120x40 and 80x24, with the simulated market at 50 and at 5,000 book events a second.

The simulator runs in a process of its own, so its market does not slow the measuring; it
writes the engine's clock (`time.monotonic`, one clock for every process on the machine) as
it takes each order. The console runs in a real pseudo-terminal. Orders rest far under the
bid, paced under the venue's 100 per 10 s.

    python bench/orders.py [--orders 1000] [--runs 3] [--paths rest websocket]
        [--sizes 120x40 80x24] [--rates 50 5000]

Each row ends with the share of the machine's CPU time its host took for other machines
during the run (steal): a run with much of it measured the host, not the console.

With `--stages`, the console runs with marks on its order path (`bench/traced.py`), and
each run is followed by when its orders reached each stage, in milliseconds after the key
(p50 / p90 / p99): the keyboard's thread, the trading core, the journal, the request handed
to its client and written to the socket, the engine; the last step is the simulator's own.
"""

from __future__ import annotations

import argparse
import bisect
import fcntl
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from harness import Console, Steal, percentile
from traced import STAGES

HERE = Path(__file__).resolve().parent
PAGE_DOWN = "\x1b[6~"
PACE = 0.11
"""Seconds between orders: under Binance's 100 new orders per 10 s."""
BUCKETS = ((0, 100), (100, 300), (300, 600), (600, 1000))
"""Orders open when the key was pressed."""
ED25519_KEY = "bench-ed25519"


class StampingSim:
    """The simulator in a process of its own (this file with `--serve`), writing the
    engine's clock on a line each time it takes one of the trader's orders."""

    def __init__(self, rate: float, ed25519_public: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(rate), str(ed25519_public)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.process.stdout is not None
        self.rest = self.process.stdout.readline().decode().strip()
        if not self.rest.startswith("http"):
            raise SystemExit("the simulator did not start")
        self.ws = self.rest.replace("http://", "ws://")
        self.fd = self.process.stdout.fileno()
        fcntl.fcntl(self.fd, fcntl.F_SETFL, fcntl.fcntl(self.fd, fcntl.F_GETFL) | os.O_NONBLOCK)
        self._partial = b""
        self.taken: list[float] = []

    def hear(self, timeout: float) -> None:
        """Read the stamps written so far, waiting up to `timeout` for one."""
        if not select.select([self.fd], [], [], timeout)[0]:
            return
        try:
            data = self._partial + os.read(self.fd, 1 << 16)
        except BlockingIOError:
            return
        *lines, self._partial = data.split(b"\n")
        self.taken.extend(float(line) for line in lines)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(10)


def serve(rate: float, ed25519_public: Path) -> None:
    """The `--serve` side: a simulator that stamps each order of the trader's it takes."""
    import asyncio

    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    from console.sim.exchange import (
        DEMO_API_KEY,
        DEMO_API_SECRET,
        TRADER_ACCOUNT,
        Credential,
        SimExchange,
    )
    from console.sim.server import SimServer
    from console.sim.state import Event, ExecType, OrderChanged

    def stamp(event: Event) -> None:
        if (
            isinstance(event, OrderChanged)
            and event.exec_type is ExecType.NEW
            and event.order.account == TRADER_ACCOUNT
        ):
            os.write(1, f"{time.monotonic()}\n".encode())

    async def main() -> None:
        exchange = SimExchange(rate=rate)
        exchange.add_credential(
            Credential(DEMO_API_KEY, TRADER_ACCOUNT, secret=DEMO_API_SECRET.encode())
        )
        key = load_pem_public_key(ed25519_public.read_bytes())
        exchange.add_credential(Credential(ED25519_KEY, TRADER_ACCOUNT, ed25519=key))  # type: ignore[arg-type]
        exchange.engine.subscribe(stamp)
        server = SimServer(exchange)
        print(await server.start(), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until closed

    asyncio.run(main())


def ed25519_files(home: Path) -> tuple[Path, Path]:
    """A fresh Ed25519 key: the private half for the console, the public for the venue."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key = Ed25519PrivateKey.generate()
    private, public = home / "bench.pem", home / "bench.pub"
    private.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    os.chmod(private, 0o600)
    public.write_bytes(
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    return private, public


class Run(NamedTuple):
    timed: list[tuple[int, float]]
    """(orders open when the key was pressed, milliseconds to the engine) for each order."""
    steal: float
    """The share of the machine's CPU time its host took meanwhile (`Steal`)."""
    stages: list[dict[str, float]]
    """With `--stages`, for each order: milliseconds after the key to each stage."""


def run(path: str, orders: int, size: tuple[int, int], rate: float, stages: bool) -> Run:
    steal = Steal()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        private, public = ed25519_files(home)
        sim = StampingSim(rate, public)
        env: dict[str, str] = {}
        if path == "websocket":
            env = {
                "BINANCE_CUSTOM_API_KEY": ED25519_KEY,
                "BINANCE_CUSTOM_API_SECRET": "",
                "BINANCE_CUSTOM_ED25519_KEY_FILE": str(private),
            }
        marks = home / "stages"
        if stages:
            env["BENCH_STAGES"] = str(marks)
        launcher = HERE / "traced.py" if stages else None
        console = Console(sim, home, size, env, launcher)  # type: ignore[arg-type]
        try:
            console.wait_for("DMS ARMED", 60)  # started, at 80x24 too
            console.press("b")
            console.read(0.3)
            console.press("\x1b")
            console.read(0.3)
            for key in ("B", PAGE_DOWN, PAGE_DOWN, PAGE_DOWN, "\t", "\t", "0.0001"):
                console.press(key)
                console.read(0.1)
            console.wait_for("ready: enter to submit")
            timed, keys = [], []
            for n in range(orders):
                before = len(sim.taken)
                sent = time.monotonic()
                console.press("\r")
                while len(sim.taken) == before:
                    if time.monotonic() - sent > 10:
                        raise SystemExit(f"order {n} never reached the engine:\n{console.text()}")
                    sim.hear(0.0005)
                    console.read(0.0005, render=False)
                timed.append((n, (sim.taken[-1] - sent) * 1000))
                keys.append((sent, sim.taken[-1]))
                console.read(max(0.0, PACE - (time.monotonic() - sent)), render=False)
            split = staged(marks.read_text(), keys) if stages else []
        finally:
            console.close()
            sim.stop()
    return Run(timed, steal.share(), split)


def staged(marks: str, keys: list[tuple[float, float]]) -> list[dict[str, float]]:
    """For each order (the key's time, the engine's), milliseconds after the key to the
    first mark of each stage between the two, and to the engine."""
    pairs = (line.split() for line in marks.splitlines())
    lines = sorted((float(at), stage) for at, stage in pairs)
    times = [at for at, _ in lines]
    orders = []
    for sent, taken in keys:
        reached: dict[str, float] = {}
        for at, stage in lines[bisect.bisect_left(times, sent) :]:
            if at > taken:
                break
            reached.setdefault(stage, (at - sent) * 1000)
        reached["engine"] = (taken - sent) * 1000
        orders.append(reached)
    return orders


SLOWEST = 5
"""Orders shown stage by stage, the slowest first: where a tail's time went."""


def print_stages(runs: list[Run]) -> None:
    """Each stage's p50 / p90 / p99 in milliseconds after the key, over every run's orders,
    then the slowest orders' own times to each stage (`-` where an order has no mark of a
    stage: enter that went the screen's way has no `heard`)."""
    orders = [order for done in runs for order in done.stages]
    for stage in (*STAGES, "engine"):
        after = [order[stage] for order in orders if stage in order]
        if after:
            shares = " / ".join(f"{percentile(after, q):.2f}" for q in (0.5, 0.9, 0.99))
            print(f"{'':<10}{stage:>17}{len(after):>7}  {shares} ms after the key", flush=True)
    slowest = sorted(orders, key=lambda order: order["engine"], reverse=True)[:SLOWEST]
    if slowest:
        print(f"{'':<10}{'slowest':>17}  " + " ".join(f"{s:>9}" for s in (*STAGES, "engine")))
        for order in slowest:
            times = (f"{order[s]:9.2f}" if s in order else f"{'-':>9}" for s in (*STAGES, "engine"))
            print(f"{'':<29}" + " ".join(times), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1, help="runs of each; medians reported")
    parser.add_argument("--paths", nargs="+", default=["rest", "websocket"])
    parser.add_argument("--sizes", nargs="+", default=["120x40", "80x24"])
    parser.add_argument("--rates", nargs="+", type=float, default=[50.0, 5000.0])
    parser.add_argument(
        "--stages", action="store_true", help="split each order's time by stage (traced.py)"
    )
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(float(args.serve[0]), Path(args.serve[1]))
        return
    print(
        f"{'path':<10}{'size':>7}{'events/s':>9}{'open':>10}{'orders':>7}"
        f"{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}{'steal %':>8}"
    )
    for path in args.paths:
        for size in args.sizes:
            columns, rows = (int(n) for n in size.split("x"))
            for rate in args.rates:
                runs = [
                    run(path, args.orders, (columns, rows), rate, args.stages)
                    for _ in range(args.runs)
                ]
                steal = statistics.median(done.steal for done in runs)
                for low, high in BUCKETS:
                    figures = [[ms for n, ms in done.timed if low <= n < high] for done in runs]
                    if not figures[0]:
                        continue
                    p50 = statistics.median(percentile(ms, 0.5) for ms in figures)
                    p99 = statistics.median(percentile(ms, 0.99) for ms in figures)
                    most = statistics.median(max(ms) for ms in figures)
                    print(
                        f"{path:<10}{size:>7}{rate:>9.0f}{f'{low}-{high}':>10}"
                        f"{len(figures[0]):>7}{p50:>8.2f}{p99:>8.2f}{most:>8.2f}{steal:>8.1f}",
                        flush=True,
                    )
                if args.stages:
                    print_stages(runs)


if __name__ == "__main__":
    main()
