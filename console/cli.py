"""Command line: `trading-console sim` runs the embedded exchange on its own."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import json
import signal
import ssl
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from console.config import (
    Config,
    ConfigError,
    Endpoints,
    Locations,
    config_problems,
    for_venue,
    load_config,
    traded,
    venue_credentials,
)
from console.doctor import run_doctor
from console.logs import setup_logging
from console.sim.chaos import FAULTS_HELP, Chaos
from console.sim.exchange import (
    DEMO_API_KEY,
    DEMO_API_PASSPHRASE,
    DEMO_API_SECRET,
    TRADER_ACCOUNT,
    Credential,
    SimExchange,
)
from console.sim.market import DEEP_LEVELS, MAJORS, SHIFTS_BP, TAKE_SHARE, chosen, shifted
from console.trading.journal import EXPORT_FIELDS, Journal, JournalError
from console.ui import themes
from console.venues.registry import NAMES as VENUE_NAMES
from console.venues.registry import venue_entry

ENVIRONMENTS = sorted(
    {"custom", *(env for name in VENUE_NAMES for env in venue_entry(name).environments)}
)
"""Every venue's named environments, and custom: which a venue has is checked with it."""
OTHER_ENVIRONMENTS = "; ".join(
    f"{name}: {', '.join(others)}"
    for name in VENUE_NAMES
    if (others := [env for env in venue_entry(name).environments if env != "production"])
)
SEVERAL_APIS = "; ".join(
    f"{name}: {', '.join(venue_entry(name).apis)}"
    for name in VENUE_NAMES
    if len(venue_entry(name).apis) > 1
)
WITH_PAPER = [name for name in VENUE_NAMES if venue_entry(name).paper is not None]

if TYPE_CHECKING:
    from console.config import Config
    from console.launch import Launch, Plan

ED25519_DEMO_KEY = "simEd25519Key000000000000000000000000000000000000000000000000001"


class UsageError(Exception):
    """A command-line value that cannot be used; printed without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trading-console",
        description="A full-screen terminal trading console. With no command it opens the "
        "trading screen: on the embedded simulator unless credentials are configured.",
    )
    parser.add_argument(
        "--venue",
        choices=VENUE_NAMES,
        action="append",
        help="venue (default from config); more than once: several venues in one console",
    )
    parser.add_argument(
        "--sim", action="store_true", default=None, help="trade on the embedded simulator"
    )
    parser.add_argument(
        "--live",
        dest="sim",
        action="store_false",
        help="trade on the real venue (needs credentials)",
    )
    add_endpoint_options(parser)
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=None,
        help="watch only: no order or cancel leaves the console",
    )
    parser.add_argument("--symbol", help="symbol to open on (default from config)")
    parser.add_argument(
        "--theme",
        help="theme name (console-dark, console-light, console-ansi, one of yours or"
        " Textual's: --list-themes)",
    )
    parser.add_argument("--keymap", help="keymap name (default, vim, or one of yours)")
    parser.add_argument(
        "--list-themes", action="store_true", help="list the themes there are, and exit"
    )
    parser.add_argument(
        "--list-keymaps", action="store_true", help="list the keymaps there are, and exit"
    )
    parser.add_argument("--seed", type=int, default=1, help="simulator flow seed")
    parser.add_argument("--rate", type=float, default=50.0, help="simulator book events per second")
    commands = parser.add_subparsers(dest="command")
    sim = commands.add_parser("sim", help="run the embedded simulated exchange on loopback")
    sim.add_argument(
        "--venue",
        choices=[*VENUE_NAMES, "all"],
        help="wire dialect to speak (default binance, or the recording's with --replay); all:"
        " every venue's, each on its own port from --port on, markets of the same pairs a few"
        " basis points apart moving together",
    )
    sim.add_argument(
        "--replay",
        type=Path,
        metavar="FILE",
        help="serve a recording's market (book, trades, candles) instead of the synthetic flow,"
        " orders matching against it; --rate, --seed and --symbols do not apply",
    )
    sim.add_argument(
        "--speed", type=float, default=1.0, help="with --replay: times the recorded pace"
    )
    sim.add_argument("--host", default="127.0.0.1", help="address to listen on")
    sim.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    sim.add_argument(
        "--tls-cert",
        type=Path,
        metavar="PEM",
        help="serve https:// and wss:// with this certificate (needs --tls-key)",
    )
    sim.add_argument("--tls-key", type=Path, metavar="PEM", help="the certificate's private key")
    sim.add_argument("--seed", type=int, default=1, help="seed of the synthetic order flow")
    sim.add_argument(
        "--rate",
        type=float,
        default=50.0,
        help="book events per second across all symbols (default 50)",
    )
    sim.add_argument(
        "--offset-bp",
        type=int,
        default=0,
        help="open the prices this many basis points from the usual ones: simulators started"
        " apart then differ as venues do (with --venue all, on top of each venue's own)",
    )
    sim.add_argument(
        "--take-share",
        type=float,
        default=TAKE_SHARE,
        help=f"share of book events that take liquidity and print (default {TAKE_SHARE})",
    )
    sim.add_argument(
        "--symbols",
        default="",
        metavar="LIST",
        help="the pairs to list, comma-separated, or all 25 (default: BTCUSDT,ETHUSDT,SOLUSDT)",
    )
    sim.add_argument("--chaos", default="", metavar="SPEC", help=FAULTS_HELP)
    sim.add_argument("--api-key", default=DEMO_API_KEY, help="API key to accept")
    sim.add_argument("--api-secret", default=DEMO_API_SECRET, help="its HMAC secret")
    sim.add_argument(
        "--api-passphrase",
        default=DEMO_API_PASSPHRASE,
        help="its passphrase, for dialects that check one (weex)",
    )
    sim.add_argument(
        "--ed25519-public-key",
        type=Path,
        metavar="PATH",
        help="PEM public key to accept for session.logon and Ed25519 signatures",
    )
    sim.add_argument(
        "--ed25519-api-key", default=ED25519_DEMO_KEY, help="API key name for the Ed25519 key"
    )
    journal = commands.add_parser(
        "journal", help="the order journal: `journal export` writes every event for a post-mortem"
    )
    journal.add_argument("action", choices=["export"])
    journal.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    journal.add_argument(
        "--since", help="events from this moment on: 2026-11-28, 2026-11-28T14:00 (UTC)"
    )
    journal.add_argument("--venue", choices=VENUE_NAMES, help="venue (default from config)")
    journal.add_argument(
        "--env", choices=ENVIRONMENTS, help="the environment whose journal (default from config)"
    )
    journal.add_argument(
        "--with-market",
        action="store_true",
        help="add the best bid, best ask and last trade at each event, replayed from the"
        " recordings of the venue and environment (or those --recording names)",
    )
    journal.add_argument(
        "--recording", type=Path, action="append", help="a recording to read the market from"
    )
    replay = commands.add_parser(
        "replay",
        help="the trading screen, read-only, fed from a recording (the data directory's"
        " recordings): space pauses, . steps a second, } skips a minute, > and < change speed",
    )
    replay.add_argument("file", type=Path, help="a recording, such as binance-2026-12-02.rec.zst")
    replay.add_argument(
        "--speed", default="1", help="times the recorded pace (0.25 to 60), or max (default 1)"
    )
    replay.add_argument(
        "--from",
        dest="start",
        help="start here, the recording before it run through at once: 14:03:07 (the file's"
        " day) or 2026-12-02T14:03:07 (UTC)",
    )
    doctor = commands.add_parser(
        "doctor", help="check a venue end to end: reachability, clock, key, streams"
    )
    doctor.add_argument("--venue", choices=VENUE_NAMES, help="venue (default from config)")
    add_endpoint_options(doctor)
    doctor.add_argument(
        "--sim",
        action="store_true",
        default=None,
        help="check the embedded simulator (the default without credentials)",
    )
    return parser


def add_endpoint_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--env",
        choices=ENVIRONMENTS,
        help="the venue's environment: production (LIVE), one the venue names ("
        + OTHER_ENVIRONMENTS
        + "), or custom (with the URLs)",
    )
    parser.add_argument(
        "--api", help=f"the venue's API where it speaks several ({SEVERAL_APIS}; default first)"
    )
    parser.add_argument(
        "--paper",
        nargs="?",
        const=True,
        choices=["local"],
        help=f"paper trading, the screen saying PAPER: the venue's demo account"
        f" ({', '.join(WITH_PAPER)}); elsewhere, or with `--paper local`, its live market with"
        " no key, the orders matched on an embedded exchange that mirrors it",
    )
    parser.add_argument("--rest-url", help="REST base URL of a custom environment")
    parser.add_argument("--ws-url", help="WebSocket base URL of a custom environment")


def venues_to_trade(args: argparse.Namespace, locations: Locations) -> list[Plan]:
    """Each venue the screen trades on (`--venue` more than once, or `venues` in the
    config), as `where_to_trade` makes one, the first shown first."""
    config = load_config(locations)
    names = args.venue or traded(config)
    if len(set(names)) < len(names):
        raise UsageError(f"--venue {' '.join(names)}: each venue once")
    return [plan(args, locations, for_venue(config, name)) for name in names]


def where_to_trade(args: argparse.Namespace, locations: Locations) -> Plan:
    """The one venue of a command that checks one (`doctor --venue`)."""
    config = load_config(locations)
    if args.venue:
        config.venue = args.venue
    return plan(args, locations, config)


def plan(args: argparse.Namespace, locations: Locations, config: Config) -> Plan:
    """The venue's config with the command line over it, the credentials of its
    environment, and whether to use the embedded simulator: asked for with --sim, or by
    default when no credentials are configured and no environment was named."""
    if args.rest_url or args.ws_url:
        config.env = "custom"
        config.endpoints = Endpoints(args.rest_url or "", args.ws_url or "")
    if args.env:
        config.env = args.env
    if args.api:
        config.api = args.api
    if args.paper:
        config.paper = args.paper
    problems = config_problems(config)
    entry = venue_entry(config.venue)
    if config.env != "custom" and config.env not in entry.environments:
        known = ", ".join([*entry.environments, "custom"])
        problems.append(f"{config.venue} has no {config.env} environment: {known}")
    if problems:
        raise UsageError("; ".join(problems))
    credentials = venue_credentials(
        config.venue, locations=locations, env_name=config.env, key_fields=entry.key_fields
    )
    named_here = args.env is not None or bool(args.rest_url or args.ws_url)
    if args.sim is not None:
        sim = args.sim
    elif named_here:
        sim = False  # an environment named on the command line beats `sim` in the config
    elif config.sim is not None:
        sim = config.sim
    else:
        sim = credentials is None and config.env == "production"
    return config, credentials, sim


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.list_themes or args.list_keymaps:
            return list_choices(args)
        if args.command is None:
            return run_screen(args)
        if args.command == "doctor":
            return asyncio.run(doctor(args))
        if args.command == "journal":
            return export_journal(args, sys.stdout)
        if args.command == "replay":
            return run_replay(args)
        return asyncio.run(run_sim(args))
    except (UsageError, ConfigError, JournalError) as error:
        print(f"trading-console: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def export_journal(args: argparse.Namespace, out: TextIO) -> int:
    """Every journal event of a venue and environment, as CSV or JSON lines."""
    locations = Locations()
    config = load_config(locations)
    venue, env = args.venue or config.venue, args.env or config.env
    since_ms = 0
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            raise UsageError(
                f"--since {args.since!r}: a date or time such as 2026-11-28T14:00"
            ) from None
        since_ms = int(since.replace(tzinfo=since.tzinfo or UTC).timestamp() * 1000)
    path = locations.journal(venue, env)
    if not path.exists():
        raise UsageError(f"no order journal at {path}: nothing was traded on {venue} ({env}) here")
    journal = Journal(path, venue)
    try:
        rows = journal.export(since_ms)
    finally:
        journal.close()
    fields = list(rows[0]) if rows else list(EXPORT_FIELDS)
    if args.with_market:
        label = venue if env == "production" else f"{venue}-{env}"
        recordings = args.recording or sorted(locations.recordings().glob(f"{label}-*.rec.zst"))
        with_market(rows, recordings)
        fields += MARKET_FIELDS
    if args.format == "jsonl":
        for row in rows:
            out.write(json.dumps(row) + "\n")
        return 0
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return 0


MARKET_FIELDS = ["bid", "ask", "last"]


def with_market(rows: list[dict[str, object]], recordings: list[Path]) -> None:
    """Each row's best bid, best ask and last trade at its moment, from the recordings
    (blank where none covers it)."""
    from console.net.replay import ReplayError
    from console.postmortem import market_at

    moments = [at_ms(row) for row in rows]
    try:
        market = asyncio.run(market_at(recordings, moments))
    except (OSError, ReplayError) as error:
        raise UsageError(f"cannot read the market from the recordings: {error}") from None
    for row, moment in zip(rows, moments, strict=True):
        seen = market.get(moment)
        for name in MARKET_FIELDS:
            value = getattr(seen, name) if seen is not None else None
            row[name] = "" if value is None else str(value)


def at_ms(row: dict[str, object]) -> int:
    return int(datetime.fromisoformat(str(row["at"])).timestamp() * 1000)


def list_choices(args: argparse.Namespace) -> int:
    """The shipped themes or keymaps and the trader's own, one name a line."""
    from console.ui.keymaps import available

    locations = Locations()
    if args.list_themes:
        print("\n".join(themes.names([themes.SHIPPED, locations.user_themes])))
    if args.list_keymaps:
        print("\n".join(available(locations.user_keymaps)))
    return 0


def run_screen(args: argparse.Namespace) -> int:
    """The trading screen, on the simulator or the configured venue."""
    from console.launch import build_all
    from console.ui.keymaps import load_keymap

    locations = Locations()
    plans = venues_to_trade(args, locations)
    for config, _, _ in plans:
        if args.symbol:
            config.symbol = args.symbol.upper()
        if args.read_only:
            config.read_only = True
    config = plans[0][0]
    try:
        keymap = load_keymap(args.keymap or config.keymap, config.keys, locations.user_keymaps)
    except ValueError as error:
        raise UsageError(str(error)) from None
    setup_logging(locations)
    launches = build_all(plans, locations, seed=args.seed, rate=args.rate)
    return show(launches, config, keymap, args.theme, locations)


def run_replay(args: argparse.Namespace) -> int:
    """The trading screen, read-only, fed from a recording."""
    from console.launch import replay
    from console.net.replay import ReplayError
    from console.ui.keymaps import load_keymap

    locations = Locations()
    config = load_config(locations)
    try:
        speed = 0.0 if args.speed == "max" else float(args.speed)
    except ValueError:
        raise UsageError(f"--speed {args.speed!r}: a number such as 2, or max") from None
    if speed < 0:
        raise UsageError("--speed must not be negative")
    try:
        keymap = load_keymap(args.keymap or config.keymap, config.keys, locations.user_keymaps)
        launch = replay(args.file, config, speed, replay_start(args.file, args.start))
    except (OSError, ReplayError, ValueError) as error:
        raise UsageError(f"cannot replay {args.file}: {error}") from None
    setup_logging(locations)
    return show([launch], launch.session.config, keymap, args.theme, locations)


def replay_start(path: Path, start: str | None) -> int | None:
    """`--from` as epoch milliseconds: a time alone is on the recording's day (its name)."""
    if start is None:
        return None
    day = path.name.removesuffix(".rec.zst")[-10:]
    text = start if "T" in start or "-" in start else f"{day}T{start}"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--from {start!r}: a time such as 14:03:07 or 2026-12-02T14:03:07"
        ) from None
    return int(moment.replace(tzinfo=moment.tzinfo or UTC).timestamp() * 1000)


def show(
    launches: list[Launch],
    config: Config,
    keymap: dict[str, str],
    theme: str | None,
    locations: Locations,
) -> int:
    """Run the trading screen on `launches` (one a venue, the first shown first) until the
    trader leaves."""
    from console.collector import Collector
    from console.kept import Kept
    from console.trading.core import GivingWay, ThreadCore
    from console.ui.app import TradingApp

    memory = Kept(locations.screen_state)
    core = ThreadCore()
    launch, *more = launches
    app = TradingApp(
        launch.session,
        launch.start,
        launch.stop,
        keymap,
        theme=theme or memory.get("theme") or config.theme,
        theme_folders=[themes.SHIPPED, locations.user_themes],
        core=core,
        memory=memory,
        rewind=launch.rewind,
        more=more,
    )
    collector = Collector(lambda: app.express.last_heard)
    collector.start()
    try:
        # the screen's loop gives way to an order on its way (`GivingWay`)
        with asyncio.Runner(loop_factory=lambda: asyncio.SelectorEventLoop(GivingWay())) as screen:
            screen.run(app.run_async())
    finally:
        collector.stop()
        core.stop()
    return app.return_code or 0


async def doctor(args: argparse.Namespace) -> int:
    config, credentials, sim = where_to_trade(args, Locations())
    return await run_doctor(sys.stdout, config, credentials, sim)


def load_ed25519(path: Path) -> Ed25519PublicKey:
    try:
        key = load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read an Ed25519 public key from {path}: {error}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{path} holds a {type(key).__name__}, not an Ed25519 public key")
    return key


def server_tls(args: argparse.Namespace) -> ssl.SSLContext | None:
    """The TLS context `--tls-cert` and `--tls-key` name, or None to serve plain HTTP."""
    if args.tls_cert is None and args.tls_key is None:
        return None
    if args.tls_cert is None or args.tls_key is None:
        raise UsageError("--tls-cert and --tls-key go together")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(args.tls_cert, args.tls_key)
    except (OSError, ssl.SSLError) as error:
        raise UsageError(f"cannot load the TLS certificate: {error}") from None
    return context


async def run_sim(args: argparse.Namespace) -> int:
    if args.rate < 0:
        raise UsageError("--rate must not be negative")
    if not 0 <= args.take_share <= 1:
        raise UsageError("--take-share must be from 0 to 1")
    try:
        chaos = Chaos.parse(args.chaos)
        listings = chosen(args.symbols) if args.symbols else None
    except ValueError as error:
        raise UsageError(str(error)) from None
    # aiohttp: only the simulator's command needs it
    from console.sim.server import SimServer, lot_parts

    market = None
    if args.replay is not None:
        from console.mirrored import mirrored
        from console.net.replay import ReplayError

        if args.venue == "all":
            raise UsageError("--replay serves one venue's dialect: name one, or none")
        try:
            market = await mirrored(
                args.replay, args.speed, args.host, args.port, args.venue, server_tls(args)
            )
        except (OSError, ReplayError) as error:
            raise UsageError(f"cannot replay {args.replay}: {error}") from None
        server = market.server
        venue = server.front_name
        heading = f"SIM {venue} dialect · the market of {args.replay.name} · ×{args.speed:g}"
        served = [(server, heading)]
    else:
        venues = VENUE_NAMES if args.venue == "all" else [args.venue or "binance"]
        served = []
        for index, venue in enumerate(venues):
            offset = args.offset_bp + (SHIFTS_BP[index] if len(venues) > 1 else 0)
            exchange = SimExchange(
                shifted(listings or MAJORS, offset) if offset else listings,
                seed=args.seed,
                rate=args.rate,
                chaos=chaos,
                take_share=args.take_share,
                depth=DEEP_LEVELS,
                lot_parts=lot_parts(venue),
            )
            port = args.port + index if args.port else 0
            server = SimServer(exchange, venue, args.host, port, tls=server_tls(args))
            heading = f"SIM {venue} dialect · {', '.join(exchange.engine.books)} · seed {args.seed}"
            heading += f" · {args.rate:g} events/s"
            if offset:
                heading += f" · opening {offset:+d} bp"
            served.append((server, heading))
    for server, _ in served:
        add_credentials(server.exchange, args)
    try:
        if market is not None:
            await market.start()
        for server, _ in served:
            await server.start()
    except OSError as error:
        for server, _ in served:
            await server.stop()
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {error}") from None
    lines = []
    for server, heading in served:
        lines += [heading, *(f"  {name:<9}{url}" for name, url in server.urls.items())]
    lines += [f"  api key  {args.api_key}", f"  secret   {args.api_secret}"]
    if any(server.front.asks_passphrase for server, _ in served):
        lines.append(f"  passphrase {args.api_passphrase}")
    if args.ed25519_public_key is not None:
        lines.append(f"  ed25519  {args.ed25519_api_key} ({args.ed25519_public_key})")
    if args.chaos:
        lines.append(f"  chaos    {args.chaos}")
    lines.append("Ctrl+C stops it.")
    print("\n".join(lines), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        if market is not None:
            await market.stop()
        for server, _ in served:
            await server.stop()
    return 0


def add_credentials(exchange: SimExchange, args: argparse.Namespace) -> None:
    """The trader's key, as the command line gives it, on the simulated exchange."""
    exchange.add_credential(
        Credential(
            args.api_key,
            TRADER_ACCOUNT,
            secret=args.api_secret.encode(),
            passphrase=args.api_passphrase,
        )
    )
    if args.ed25519_public_key is not None:
        exchange.add_credential(
            Credential(
                args.ed25519_api_key, TRADER_ACCOUNT, ed25519=load_ed25519(args.ed25519_public_key)
            )
        )
