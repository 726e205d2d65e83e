"""Build a trading session for the simulator or the live venue, ready for the screen.

With the simulator, the embedded exchange gets a free loopback port and a fresh Ed25519
key (so the console logs on to the WebSocket API exactly as it would on Binance); its
journal is in memory, since each simulator run is a new exchange.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from console.config import Config, ConfigError, Credentials, Locations
from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from console.trading.journal import Journal
from console.trading.session import TradingSession
from console.venues.binance.adapter import (
    ENVIRONMENTS,
    BinanceCredentials,
    BinanceEndpoints,
    BinanceVenue,
)

SIM_KEY = "console-sim-ed25519"


@dataclass
class Launch:
    session: TradingSession
    server: SimServer | None = None

    async def start(self) -> None:
        """Start the simulator (once) and the session; safe to call again after a failure."""
        if self.server is not None and not self.server.base_url:
            await self.server.start()
        await self.session.start()

    async def stop(self) -> None:
        await self.session.close()
        if self.server is not None:
            await self.server.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def simulator(seed: int = 1, rate: float = 50.0) -> tuple[SimServer, BinanceVenue]:
    """An embedded exchange on a free loopback port, and a venue logged on to it."""
    key = Ed25519PrivateKey.generate()
    exchange = SimExchange(seed=seed, rate=rate)
    exchange.add_credential(Credential(SIM_KEY, TRADER_ACCOUNT, ed25519=key.public_key()))
    port = free_port()
    server = SimServer(exchange, port=port)
    venue = BinanceVenue(
        BinanceEndpoints.on(f"http://127.0.0.1:{port}"),
        BinanceCredentials(SIM_KEY, ed25519_key=key),
    )
    return server, venue


def binance_credentials(credentials: Credentials) -> BinanceCredentials:
    if credentials.ed25519_key_file is not None:
        try:
            key = load_pem_private_key(credentials.ed25519_key_file.read_bytes(), password=None)
        except (OSError, ValueError) as error:
            raise ConfigError(f"cannot read {credentials.ed25519_key_file}: {error}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError(f"{credentials.ed25519_key_file} is not an Ed25519 private key")
        return BinanceCredentials(credentials.api_key, ed25519_key=key)
    return BinanceCredentials(credentials.api_key, secret=credentials.secret)


def environment_label(config: Config, sim: bool) -> str:
    """What the banner and status bar call where orders go: SIM, TESTNET, LIVE or CUSTOM."""
    if sim:
        return "SIM"
    return {"production": "LIVE", "testnet": "TESTNET"}.get(config.env, "CUSTOM")


def endpoints_for(config: Config) -> BinanceEndpoints:
    if config.env == "custom":
        return BinanceEndpoints.custom(config.endpoints.rest, config.endpoints.ws)
    return ENVIRONMENTS[config.env]


def build(
    config: Config,
    credentials: Credentials | None,
    sim: bool,
    locations: Locations,
    seed: int = 1,
    rate: float = 50.0,
) -> Launch:
    if config.venue != "binance":
        raise ConfigError(f"venue {config.venue!r} is not available yet; use binance")
    if sim:
        server, venue = simulator(seed, rate)
        journal = Journal(":memory:", "binance-sim")
        return Launch(TradingSession(venue, config, "SIM", journal), server)
    if credentials is None and config.env != "custom":
        prefix = "BINANCE" if config.env == "production" else f"BINANCE_{config.env.upper()}"
        raise ConfigError(
            f"{config.env} trading needs credentials: set {prefix}_API_KEY and "
            f"{prefix}_API_SECRET or {prefix}_ED25519_KEY_FILE, or use --sim"
        )
    venue = BinanceVenue(
        endpoints_for(config), binance_credentials(credentials) if credentials else None
    )
    journal = Journal(locations.journal("binance", config.env), "binance")
    return Launch(TradingSession(venue, config, environment_label(config, sim), journal))
