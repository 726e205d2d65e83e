"""Build a trading session for the simulator or a venue's environment, ready for the screen.

With the simulator, the embedded exchange gets a free loopback port and the venue's
adapter a fresh key of its own (an Ed25519 key on Binance, so it logs on to the WebSocket
API exactly as it would live); its journal is in memory, since each simulator run is a
new exchange. Venues are known only through `console.venues.registry`.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from console.config import Config, ConfigError, Credentials, Locations, Record
from console.kept import Kept
from console.net.recorder import Record as Recorded
from console.net.recorder import Recorder
from console.net.replay import Player, runs
from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.market import DEEP_LEVELS, MAJORS, SHIFTS_BP, Listing, shifted
from console.trading.alerts import Alerts
from console.trading.journal import Journal
from console.trading.session import TradingSession
from console.venues.base import SimAccess, Venue
from console.venues.common import VenueBasics
from console.venues.registry import api_of, venue_entry

if TYPE_CHECKING:
    from console.paper import PaperMarket
    from console.sim.server import SimServer


@dataclass
class Launch:
    session: TradingSession
    server: SimServer | None = None
    player: Player | None = None
    paper: PaperMarket | None = None
    rewind: Callable[[int], Launch] | None = None
    """A replay's seek back: the same run replayed afresh up to a wall-clock time (a book
    cannot unlearn what it was told), at the speed and pause the replay has now."""

    async def start(self) -> None:
        """Start the simulator (once), the recorder and the session; safe to call again
        after a failure."""
        if self.server is not None and not self.server.base_url:
            await self.server.start()
        if self.paper is not None and self.paper.server is None:
            await self.paper.start()
        recorder = self.session.recorder
        if recorder is not None and not recorder.started:
            recorder.start()
        if self.player is not None:
            self.player.clock.run()
        await self.session.start()

    async def stop(self) -> None:
        await self.session.close()
        if self.server is not None:
            await self.server.stop()
        if self.session.recorder is not None:
            await asyncio.to_thread(self.session.recorder.close)
        if self.player is not None:
            await self.player.clock.stop()
        if self.paper is not None:
            await self.paper.stop()


def paper(config: Config, locations: Locations) -> Launch:
    """Paper trading on the configured venue's live market, for a venue with no demo
    account of its own (`console.paper`): its public streams with no key, and the orders on
    an embedded exchange that mirrors them, on loopback."""
    from console.paper import PaperMarket  # aiohttp: only a paper run needs it

    entry = venue_entry(config.venue)
    api = api_of(entry, config.api)
    live = entry.connect(config.env, config.endpoints.rest, config.endpoints.ws, None, api)
    sock = loopback_socket()
    venue, access = entry.on_simulator(f"http://127.0.0.1:{sock.getsockname()[1]}", api)
    symbols = [config.symbol, *config.watchlist]
    balances = config.paper_account
    market = PaperMarket(live, config.venue, symbols, sock, sim_credential(access), balances)
    journal = Journal(":memory:", f"{config.venue}-paper")
    alerts = Alerts(Kept(locations.alerts(config.venue, f"{config.env}-paper")))
    session = TradingSession(venue, config, "PAPER", journal, alerts)
    return Launch(session, paper=market)


REPLAY_HOST = "http://replay.invalid"
"""Where a replayed adapter thinks it is: nothing is sent there, its transport answers."""


def replay(path: Path, config: Config, speed: float = 1.0, from_ms: int | None = None) -> Launch:
    """The screen fed from a recording through the adapter that recorded it, read-only:
    the run of the recording that holds `from_ms` (the first without it), at `speed`
    (0: as fast as the console takes it), run fast to `from_ms` first."""
    found = runs(path)
    run = found[0]
    if from_ms is not None:
        run = next((r for r in reversed(found) if r[0].wall_ms <= from_ms), found[0])
    return replay_run(run, config, speed, from_ms)


def replay_run(
    run: list[Recorded], config: Config, speed: float = 1.0, from_ms: int | None = None
) -> Launch:
    """One run of a recording, replayed as `replay` does."""
    asked = config
    player = Player(run, speed, from_ms)
    opened = player.opened
    entry = venue_entry(opened.venue)
    if opened.key == "ed25519":  # a fresh one, as the simulator's adapter logs on with
        venue, _ = entry.on_simulator(REPLAY_HOST, opened.api)
    else:
        fields = dict.fromkeys(("API_KEY", "API_SECRET", "API_PASSPHRASE"), "replay")
        ws = REPLAY_HOST.replace("http", "ws")
        venue = entry.connect("custom", REPLAY_HOST, ws, Credentials(fields), opened.api)
    if not isinstance(venue, VenueBasics):
        raise ConfigError(f"{opened.venue} cannot be replayed")
    venue.replay_from(player)
    config = msgspec.structs.replace(
        config,
        venue=opened.venue,
        symbol=opened.symbol,
        read_only=True,
        on_quit="keep",
        record=Record(enabled=False),
    )
    journal = Journal(":memory:", f"{opened.venue}-replay")
    session = TradingSession(venue, config, "REPLAY", journal)
    session.player = player

    def rewind(to_ms: int) -> Launch:
        again = replay_run(run, asked, player.clock.speed, to_ms)
        assert again.player is not None
        again.player.clock.paused = player.clock.paused
        return again

    return Launch(session, player=player, rewind=rewind)


def recorder_for(
    config: Config, locations: Locations, venue: Venue, env: str, api: str
) -> Recorder | None:
    """The flight recorder of `venue`'s traffic, as `[record]` asks, in files named for the
    venue and its environment."""
    if not config.record.enabled or not isinstance(venue, VenueBasics):
        return None
    name = config.venue if env == "production" else f"{config.venue}-{env}"
    run = (config.venue, env, api, config.symbol, venue.key_kind)
    recorder = Recorder(locations.recordings(), name, config.record.max_mb << 20, run=run)
    venue.record_to(recorder)
    return recorder


def loopback_socket() -> socket.socket:
    """A socket bound to a free loopback port, held from when a run is built (its adapter
    is given the address) until its embedded exchange serves on it: a port only looked up
    then could be taken by another program meanwhile."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


def simulator(
    venue: str = "binance",
    seed: int = 1,
    rate: float = 50.0,
    api: str = "",
    listings: list[Listing] | None = None,
) -> tuple[SimServer, Venue]:
    """An embedded exchange on a free loopback port speaking `venue`'s dialect, and that
    venue's adapter (speaking `api`, checked already, where the venue has several) with a
    key the exchange accepts."""
    sock = loopback_socket()
    port = sock.getsockname()[1]
    adapter, access = venue_entry(venue).on_simulator(f"http://127.0.0.1:{port}", api)
    # aiohttp: only a run on the simulator needs it
    from console.sim.server import SimServer, lot_parts

    exchange = SimExchange(
        listings, seed=seed, rate=rate, depth=DEEP_LEVELS, lot_parts=lot_parts(venue)
    )
    exchange.add_credential(sim_credential(access))
    return SimServer(exchange, venue, sock=sock), adapter


def sim_credential(access: SimAccess) -> Credential:
    ed25519 = (
        Ed25519PublicKey.from_public_bytes(access.ed25519_public)
        if access.ed25519_public is not None
        else None
    )
    return Credential(
        access.api_key,
        TRADER_ACCOUNT,
        secret=access.hmac_secret,
        ed25519=ed25519,
        passphrase=access.passphrase,
    )


def on_simulator(
    config: Config, locations: Locations, server: SimServer, venue: Venue, api: str
) -> Launch:
    """A session on an embedded exchange (`simulator`)."""
    journal = Journal(":memory:", f"{config.venue}-sim")
    alerts = Alerts(Kept(locations.alerts(config.venue, "sim")))
    session = TradingSession(venue, config, environment_label(config, sim=True), journal, alerts)
    session.recorder = recorder_for(config, locations, venue, "sim", api)
    return Launch(session, server)


Plan = tuple[Config, Credentials | None, bool]
"""A venue's config, its credentials, and whether it runs on the embedded simulator."""


def build_all(
    plans: list[Plan], locations: Locations, seed: int = 1, rate: float = 50.0
) -> list[Launch]:
    """One launch per venue. The venues on the simulator each get an exchange of their own
    in their dialect, with the same pairs and the same seed, opening a few basis points
    apart (`SHIFTS_BP`): markets that differ slightly and move together."""
    if len(plans) == 1:
        return [build(*plans[0], locations, seed=seed, rate=rate)]
    launches = []
    on_sim = 0
    for config, credentials, sim in plans:
        if not sim or config.paper:
            launches.append(build(config, credentials, sim, locations, seed=seed, rate=rate))
            continue
        api = api_of(venue_entry(config.venue), config.api)
        listings = shifted(MAJORS, SHIFTS_BP[on_sim % len(SHIFTS_BP)])
        on_sim += 1
        made = simulator(config.venue, seed, rate, api, listings)
        launches.append(on_simulator(config, locations, *made, api))
    return launches


def environment_label(config: Config, sim: bool) -> str:
    """What the banner and status bar call where orders go: PAPER (the venue's demo
    account, on the simulator or not), SIM, TESTNET, CUSTOM, or LIVE for every other
    environment the venue names (production, Huobi's aws): its own hosts, real money."""
    if config.paper:
        return "PAPER"
    if sim:
        return "SIM"
    if config.env == "custom":
        return "CUSTOM"
    return "TESTNET" if config.env == "testnet" else "LIVE"  # a venue's own host: real money


def connect(config: Config, credentials: Credentials | None) -> Venue:
    """The configured venue in the configured environment."""
    entry = venue_entry(config.venue)
    if config.env != "custom" and config.env not in entry.environments:
        raise ConfigError(f"{entry.name} has no {config.env} environment; use custom URLs")
    api = api_of(entry, config.api, config.paper is True)
    return entry.connect(config.env, config.endpoints.rest, config.endpoints.ws, credentials, api)


def build(
    config: Config,
    credentials: Credentials | None,
    sim: bool,
    locations: Locations,
    seed: int = 1,
    rate: float = 50.0,
) -> Launch:
    if config.paper == "local" or (config.paper and venue_entry(config.venue).paper is None):
        return paper(config, locations)  # the live market, with no key: never the simulator
    if sim:
        api = api_of(venue_entry(config.venue), config.api, config.paper is True)
        return on_simulator(config, locations, *simulator(config.venue, seed, rate, api), api)
    if credentials is None and config.env != "custom":
        section = config.venue if config.env == "production" else f"{config.venue}-{config.env}"
        prefix = section.upper().replace("-", "_")
        fields = [
            " or ".join(f"{prefix}_{name}" for name in field.split("|"))
            for field in venue_entry(config.venue).key_fields
        ]
        raise ConfigError(
            f"{config.env} trading needs credentials: set {' and '.join(fields)} "
            f"(or a [{section}] table in secrets.toml), or use --sim"
        )
    venue = connect(config, credentials)
    env = f"{config.env}-paper" if config.paper else config.env
    journal = Journal(locations.journal(config.venue, env), config.venue, exclusive=True)
    alerts = Alerts(Kept(locations.alerts(config.venue, env)))
    label = environment_label(config, sim)
    session = TradingSession(venue, config, label, journal, alerts)
    api = api_of(venue_entry(config.venue), config.api, config.paper is True)
    session.recorder = recorder_for(config, locations, venue, env, api)
    return Launch(session)
