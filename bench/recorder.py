"""The flight recorder on the console's real path: the console in a pseudo-terminal on a
simulator in its own process at 500 book events a second, recording and not, in
alternating rounds. Prints the console's CPU share each way (the difference is the
recorder's), the recording's size per hour for the one symbol on screen, and how fast the
recording replays at `--speed max` (frames a second through the same adapter and books).

    python bench/recorder.py [--seconds 60] [--rounds 3] [--rate 500]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from harness import Console, Simulator, cpu_seconds

from console.config import Config
from console.launch import replay
from console.net.replay import FAST
from console.venues.feeds import BookState


def run(sim: Simulator, seconds: float, record: bool) -> tuple[float, Path | None, float]:
    """CPU share of the console over `seconds`, and its recording (copied out) with the
    seconds it covers."""
    with tempfile.TemporaryDirectory() as home:
        settings = Path(home) / "config" / "trading-console"
        settings.mkdir(parents=True)
        (settings / "config.toml").write_text(f"[record]\nenabled = {str(record).lower()}\n")
        console = Console(sim, Path(home), (120, 40))
        try:
            console.wait_for("book LIVE", 60)
            console.read(2.0)
            cpu_start, started = cpu_seconds(console.pid), time.monotonic()
            console.read(seconds)
            share = (cpu_seconds(console.pid) - cpu_start) / (time.monotonic() - started)
            covered = time.monotonic() - started + 2.0
        finally:
            console.close()
        found = list((Path(home) / "data" / "trading-console" / "recordings").glob("*.rec.zst"))
        if not found:
            return share, None, covered
        kept = Path(tempfile.mkdtemp()) / found[0].name
        kept.write_bytes(found[0].read_bytes())
        return share, kept, covered


async def replay_rate(path: Path) -> float:
    """Frames a second a replay at full speed delivers through the adapter and books."""
    launch = replay(path, Config(), FAST)
    player = launch.player
    assert player is not None
    total = sum(len(heard.frames) for heard in player.heard.values())
    started = time.monotonic()
    await launch.start()
    session = launch.session
    while not (player.clock.done and all(h.next >= len(h.frames) for h in player.heard.values())):
        await asyncio.sleep(0.01)
    elapsed = time.monotonic() - started
    assert session.market is not None and session.market.book.state is BookState.LIVE
    await launch.stop()
    return total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=500.0)
    args = parser.parse_args()
    sim = Simulator(args.rate)
    on, off, sizes, rates = [], [], [], []
    try:
        for _ in range(args.rounds):
            share, _, _ = run(sim, args.seconds, record=False)
            off.append(share)
            share, path, covered = run(sim, args.seconds, record=True)
            on.append(share)
            assert path is not None
            sizes.append(path.stat().st_size / covered * 3600 / 1e6)
            rates.append(asyncio.run(replay_rate(path)))
    finally:
        sim.stop()
    median = statistics.median
    print(f"market {args.rate:g} book events/s, {args.seconds:g} s a run, {args.rounds} rounds")
    print(f"console CPU, not recording   {median(off):6.1%} of a core  {off}")
    print(f"console CPU, recording       {median(on):6.1%} of a core  {on}")
    print(f"the recorder's share         {median(on) - median(off):+6.1%} of a core")
    print(f"recording per hour (1 symbol){median(sizes):7.1f} MB   {sizes}")
    print(f"replay at --speed max        {median(rates):7.0f} frames/s  {rates}")


if __name__ == "__main__":
    main()
