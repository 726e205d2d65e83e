"""Where things live and what the trader configured.

Every path comes from here (platformdirs): the config file, the secrets file, user themes
and the order journal. The config file is TOML read into a strict msgspec Struct, so a
typo names the file, the key and what is allowed instead of being ignored. Credentials
come from the environment (`BINANCE_API_KEY` with `BINANCE_API_SECRET`, or
`BINANCE_ED25519_KEY_FILE`) or from `secrets.toml`; a secrets or key file that group or
others can read is refused with the command that fixes it.
"""

from __future__ import annotations

import enum
import math
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

import msgspec
import platformdirs

APP_NAME = "trading-console"


class ConfigError(Exception):
    """A configuration problem, worded for the trader, with no secret in it."""


class Locations:
    """The console's directories; tests point them at a temporary folder."""

    def __init__(self, config_dir: Path | None = None, data_dir: Path | None = None) -> None:
        self.config_dir = config_dir or Path(platformdirs.user_config_dir(APP_NAME))
        self.data_dir = data_dir or Path(platformdirs.user_data_dir(APP_NAME))

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def secrets_file(self) -> Path:
        return self.config_dir / "secrets.toml"

    @property
    def user_themes(self) -> Path:
        return self.config_dir / "themes"

    @property
    def user_keymaps(self) -> Path:
        return self.config_dir / "keymaps"

    @property
    def screen_state(self) -> Path:
        """What the screen remembers between runs (`console.kept`)."""
        return self.data_dir / "screen.json"

    def alerts(self, venue: str, env: str) -> Path:
        """The price alerts waiting (`console.trading.alerts`), one file per venue and
        environment as the journal: a simulated market's levels are not the venue's."""
        name = venue if env == "production" else f"{venue}-{env}"
        return self.data_dir / f"alerts-{name}.json"

    def private_data_dir(self) -> Path:
        """The data dir, readable by its owner only: the journal and log live here."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        return self.data_dir

    def recordings(self) -> Path:
        """Where the flight recorder writes (`console.net.recorder`), private as the journal."""
        return self.private_data_dir() / "recordings"

    def journal(self, venue: str, env: str = "production") -> Path:
        """One journal per venue and environment: their order ids are separate worlds. The
        journal itself creates the file."""
        name = venue if env == "production" else f"{venue}-{env}"
        return self.private_data_dir() / f"orders-{name}.db"


def create_private(path: Path) -> None:
    """Create `path` (if need be) as a file only its owner can read or write."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)


class RiskLimits(msgspec.Struct, forbid_unknown_fields=True):
    max_notional: Decimal = Decimal(50_000)
    """No single order above this notional, in the quote asset."""
    price_band_pct: Decimal = Decimal(5)
    """A limit price further than this from the mid is refused as a fat finger."""
    confirm_above: Decimal = Decimal(1_000)
    """Orders above this notional ask for confirmation first."""


class History(msgspec.Struct, forbid_unknown_fields=True):
    """How much the console keeps of what it has seen: nothing grows without bound."""

    tape: int = 500
    """Prints on the tape."""
    candles: int = 500
    """Candles of each interval."""
    fills: int = 10_000
    """This session's fills."""
    finished_orders: int = 10_000
    """Filled, cancelled and expired orders kept in view (the journal keeps them all)."""


class Record(msgspec.Struct, forbid_unknown_fields=True):
    """The flight recorder: every frame and REST exchange with the venue, one file per
    venue per day in the data directory's `recordings`."""

    enabled: bool = True
    max_mb: int = 2048
    """A venue's recordings together; past this the oldest days are removed."""


class Grade(enum.StrEnum):
    """How much an action asks before it goes: nothing, one key (y), or a typed word."""

    NONE = "none"
    KEY = "key"
    WORD = "word"

    def at_least(self, other: Grade) -> Grade:
        """The stricter of the two."""
        order = list(Grade)
        return max(self, other, key=order.index)


class Confirmations(msgspec.Struct, forbid_unknown_fields=True):
    """The confirmation each action asks for; the defaults guard what cannot be undone."""

    cancel_one: Grade = Grade.NONE
    send_above_notional: Grade = Grade.KEY
    """An order above `risk.confirm_above` (an order on a stale book always asks a key)."""
    cancel_all: Grade = Grade.WORD
    panic: Grade = Grade.KEY
    """The panic key: every open order on the venue. One key, because it is for the worst
    minute; it only takes risk off."""
    disarm_switch: Grade = Grade.WORD


DESKTOP_NOTICES = ("osc9", "osc777", "off")


class Notify(msgspec.Struct, forbid_unknown_fields=True):
    """How a fill is told: each way on or off."""

    toast: bool = True
    """A notice on the screen, for a few seconds."""
    bell: bool = True
    """The terminal's bell."""
    desktop: str = "osc9"
    """A desktop notification through the terminal, which reaches the trader's own desktop
    over SSH: osc9 (iTerm2, kitty, WezTerm, foot, Windows Terminal), osc777 (VTE terminals:
    GNOME Terminal, Tilix; also kitty and foot), or off. Terminals that know neither
    ignore it."""


HISTORY_MOST = 1_000_000
QUIT_POLICIES = ("cancel", "keep")


class Endpoints(msgspec.Struct, forbid_unknown_fields=True):
    """Where `env = "custom"` points: a shared simulator, a proxy, a venue's other host."""

    rest: str = ""
    """Base URL of the REST API, such as http://127.0.0.1:8080."""
    ws: str = ""
    """Base URL of the WebSocket streams and API, such as ws://127.0.0.1:8080."""


class VenueSettings(msgspec.Struct, forbid_unknown_fields=True):
    """One venue of several in a run, where it differs from the config's own settings
    (`[per_venue.huobi] env = "aws"`)."""

    env: str | None = None
    api: str | None = None
    symbol: str | None = None
    endpoints: Endpoints | None = None


class Config(msgspec.Struct, forbid_unknown_fields=True):
    venue: str = "binance"
    venues: list[str] = msgspec.field(default_factory=list)
    """Several venues in one run, each as `venue` alone would run (its own environment,
    key, streams, journal and dead-man's switch), the first shown first; empty: `venue`."""
    per_venue: dict[str, VenueSettings] = msgspec.field(default_factory=dict)
    """What one of `venues` runs with where it differs from the settings here."""
    api: str = ""
    """The venue's API where it speaks several (WEEX: v3 or v1); empty: its default."""
    paper: bool | Literal["local"] = False
    """Paper trading; the screen says PAPER. True: the venue's demo account where it has one
    (WEEX's demo trading), elsewhere its live market mirrored into an embedded exchange
    (`console.paper`); "local": the mirror on a venue with a demo account too."""
    paper_account: dict[str, Decimal] = msgspec.field(default_factory=dict)
    """The mirrored paper account's balances by asset (`[paper_account] USDT = 100000`);
    empty: the simulator's demo deposits."""
    env: str = "production"
    """The venue's environment when not on the embedded simulator: production (LIVE),
    another the venue has (Binance's testnet, Huobi's aws), or custom (the URLs in
    [endpoints])."""
    on_quit: str = "cancel"
    """What quitting, a lost SSH session (SIGHUP) or SIGTERM does to the resting orders this
    console placed: cancel them, or keep them."""
    symbol: str = "BTCUSDT"
    theme: str = "console-dark"
    keymap: str = "default"
    frame_rate: float = 20.0
    """Screen refreshes a second; the data behind them arrives as fast as the venue sends."""
    sim: bool | None = None
    """Use the embedded simulator; by default, when no credentials are configured."""
    read_only: bool = False
    """Watch only: no order, and no cancel, leaves this console."""
    size_presets: list[str] | None = None
    """Keys 1-4 in the ticket on every symbol: a base size, or a share of the free balance.
    None: each symbol's own, from its lot and minimum order value (`presets` wins)."""
    presets: dict[str, list[str]] = msgspec.field(default_factory=dict)
    """Keys 1-4 for one symbol (`[presets] SOLUSDT = ["1", "10", "25%", "100%"]`)."""
    deadman_seconds: float = 15.0
    """Cancel resting orders after losing the venue this long; 0 turns the switch off."""
    lookup_seconds: float = 300.0
    """How long after its placing an order the venue does not know is still looked up
    (a venue may show a new order late); after it, the order is taken as never placed or
    gone from the venue."""
    keys: dict[str, str] = msgspec.field(default_factory=dict)
    """Single-action overrides of the keymap: binding id -> keys."""
    watchlist: list[str] = msgspec.field(default_factory=lambda: ["BTCUSDT", "ETHUSDT", "SOLUSDT"])
    """The watchlist's symbols until the trader pins or unpins one on the screen (then
    the screen's own list, kept in the data directory, is shown)."""
    risk: RiskLimits = msgspec.field(default_factory=RiskLimits)
    endpoints: Endpoints = msgspec.field(default_factory=Endpoints)
    history: History = msgspec.field(default_factory=History)
    confirm: Confirmations = msgspec.field(default_factory=Confirmations)
    notify: Notify = msgspec.field(default_factory=Notify)
    record: Record = msgspec.field(default_factory=Record)


def traded(config: Config) -> list[str]:
    """The venues a run trades on, the first shown first."""
    return config.venues or [config.venue]


def for_venue(config: Config, name: str) -> Config:
    """The config one venue of several runs with: the shared settings, its own over them."""
    own = config.per_venue.get(name, VenueSettings())
    return msgspec.structs.replace(
        config,
        venue=name,
        venues=[],
        per_venue={},
        env=own.env or config.env,
        api=own.api or config.api,
        symbol=own.symbol or config.symbol,
        endpoints=own.endpoints or config.endpoints,
    )


def load_config(locations: Locations) -> Config:
    """The trader's config, checked whole: the console does not start on a bad one."""
    path = locations.config_file
    if not path.exists():
        return Config()
    raw = _read_toml(path)
    try:
        config = msgspec.convert(raw, Config, strict=False)
    except msgspec.ValidationError as error:
        raise ConfigError(f"{path}: {error} (see README for the keys allowed)") from None
    problems = config_problems(config)
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    return config


def _read_toml(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as error:
        raise ConfigError(f"{path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from None


MAX_WHOLE_DIGITS = 12
"""A size preset or limit with more whole digits than this is a typo, not a trade."""
MIN_DEADMAN_SECONDS = 5.0
"""Below this a quiet but healthy line (pinged every few seconds) could trip the switch."""


def config_problems(config: Config) -> list[str]:
    """Each value that is out of range, as `key = value: what is allowed`."""
    problems = []

    def bad(key: str, value: object, allowed: str) -> None:
        problems.append(f"{key} = {value!r}: {allowed}")

    if not (math.isfinite(config.frame_rate) and 1 <= config.frame_rate <= 60):
        bad("frame_rate", config.frame_rate, "a number of frames a second from 1 to 60")
    if not (
        math.isfinite(config.deadman_seconds)
        and (config.deadman_seconds == 0 or MIN_DEADMAN_SECONDS <= config.deadman_seconds <= 3600)
    ):
        bad(
            "deadman_seconds",
            config.deadman_seconds,
            f"0 to turn the switch off, or seconds from {MIN_DEADMAN_SECONDS:g} to 3600",
        )
    if not (math.isfinite(config.lookup_seconds) and 5 <= config.lookup_seconds <= 86_400):
        bad("lookup_seconds", config.lookup_seconds, "seconds from 5 to 86400")
    if not config.symbol.isalnum() or not config.symbol.isupper():
        bad("symbol", config.symbol, "a venue symbol in capitals, such as BTCUSDT")
    for index, symbol in enumerate(config.watchlist):
        if not symbol.isalnum() or not symbol.isupper():
            bad(f"watchlist[{index}]", symbol, "a venue symbol in capitals, such as BTCUSDT")
    for key in ("venue", "theme", "keymap"):
        if not getattr(config, key):
            bad(key, getattr(config, key), "a name")
    if len(set(config.venues)) < len(config.venues):
        bad("venues", config.venues, "each venue once")
    for name in config.per_venue:
        if name not in config.venues:
            bad(f"per_venue.{name}", name, "a venue of `venues`")
    for asset, amount in config.paper_account.items():
        if not (amount.is_finite() and amount >= 0):
            bad(f"paper_account.{asset}", amount, "an amount of the asset, 0 or more")
    if not (config.env.isidentifier() and config.env.islower()):
        bad("env", config.env, "an environment's name, such as production, testnet or custom")
    if config.env == "custom" and not config.venues:  # several: each venue's own, below
        if not config.endpoints.rest.startswith(("http://", "https://")):
            bad("endpoints.rest", config.endpoints.rest, "an http:// or https:// base URL")
        if not config.endpoints.ws.startswith(("ws://", "wss://")):
            bad("endpoints.ws", config.endpoints.ws, "a ws:// or wss:// base URL")
    if config.notify.desktop not in DESKTOP_NOTICES:
        bad("notify.desktop", config.notify.desktop, " or ".join(DESKTOP_NOTICES))
    if config.on_quit not in QUIT_POLICIES:
        bad("on_quit", config.on_quit, " or ".join(QUIT_POLICIES))
    lists = {"size_presets": config.size_presets or []}
    lists |= {f"presets.{symbol}": presets for symbol, presets in config.presets.items()}
    for key, presets in lists.items():
        if len(presets) > 4:
            bad(key, presets, "at most 4 presets (keys 1-4)")
        for index, preset in enumerate(presets):
            if preset_problem(preset):
                bad(
                    f"{key}[{index}]",
                    preset,
                    "a size such as 0.01, or a share of the free balance such as 25%",
                )
    for key in ("tape", "candles", "fills", "finished_orders"):
        value = getattr(config.history, key)
        if not 1 <= value <= HISTORY_MOST:
            bad(f"history.{key}", value, f"a count from 1 to {HISTORY_MOST:,}")
    risk = config.risk
    if not _positive(risk.max_notional):
        bad("risk.max_notional", risk.max_notional, "a positive amount in the quote asset")
    if not (_positive(risk.price_band_pct) and risk.price_band_pct <= 100):
        bad("risk.price_band_pct", risk.price_band_pct, "a percentage above 0, at most 100")
    if not (_positive(risk.confirm_above) or risk.confirm_above == 0):
        bad("risk.confirm_above", risk.confirm_above, "an amount in the quote asset, 0 or more")
    for name in config.venues:
        problems += [
            f"per_venue.{name}: {problem}"
            for problem in config_problems(for_venue(config, name))
            if problem not in problems
        ]
    return problems


PRESET_DECIMALS = 18
"""More decimals than any venue's lot has: a preset finer than that is a typo."""


def preset_problem(preset: str) -> bool:
    """Whether a size preset is neither a plain size (digits and one point, as the ticket
    takes them: `1e-3` is refused, not read) nor a share of 0-100%."""
    share = preset.endswith("%")
    text = preset[:-1] if share else preset
    whole, _, decimals = text.partition(".")
    if not (whole + decimals).isdigit() or len(decimals) > PRESET_DECIMALS:
        return True
    try:
        value = Decimal(text)
    except InvalidOperation:
        return True
    if share:
        return not (value.is_finite() and 0 < value <= 100)
    return not _positive(value)


def _positive(value: Decimal) -> bool:
    return value.is_finite() and value > 0 and value.adjusted() < MAX_WHOLE_DIGITS


@dataclass(frozen=True)
class Credentials:
    """A key as its venue makes it: the fields the venue's entry lists (`key_fields`), by
    the names after `<VENUE>_` (`API_KEY`, `API_SECRET`, WEEX's `API_PASSPHRASE`,
    Binance's `ED25519_KEY_FILE`)."""

    fields: Mapping[str, str]

    @property
    def api_key(self) -> str:
        return self.fields["API_KEY"]

    def get(self, name: str) -> str | None:
        return self.fields.get(name)

    def __repr__(self) -> str:
        return f"Credentials(api_key={self.api_key[:6]}…)"


DEFAULT_KEY_FIELDS = ("API_KEY", "API_SECRET")


def venue_credentials(
    venue: str,
    environ: Mapping[str, str] | None = None,
    locations: Locations | None = None,
    env_name: str = "production",
    key_fields: tuple[str, ...] = DEFAULT_KEY_FIELDS,
) -> Credentials | None:
    """The venue's credentials (environment first, then secrets.toml), or None.

    Only the fields the venue's key is made of are read (`key_fields`, alternatives joined
    by `|`); a key with a field missing is refused by name. Each environment has its own:
    `BINANCE_API_KEY` and `[binance]` for production, `BINANCE_TESTNET_API_KEY` and
    `[binance-testnet]` for the testnet, and so on, so a key never travels to a host it was
    not made for."""
    env = os.environ if environ is None else environ
    section = venue if env_name == "production" else f"{venue}-{env_name}"
    prefix = section.upper().replace("-", "_")
    names = [name for field in key_fields for name in field.split("|")]
    values = {name: env[f"{prefix}_{name}"] for name in names if env.get(f"{prefix}_{name}")}
    source = "environment"
    if not values and locations is not None and locations.secrets_file.exists():
        table = _from_secrets_file(locations.secrets_file, section)
        values = {name: table[name] for name in names if table.get(name)}
        source = str(locations.secrets_file)
    if not values.get("API_KEY"):
        return None
    for field in key_fields:
        choices = field.split("|")
        if not any(name in values for name in choices):
            wanted = " or ".join(f"{prefix}_{name}" for name in choices)
            raise ConfigError(f"{source}: {prefix}_API_KEY is set without {wanted}")
    for name, value in values.items():
        if name.endswith("_FILE"):
            path = Path(value).expanduser()
            check_private(path)
            values[name] = str(path)
    return Credentials(values)


def _from_secrets_file(path: Path, venue: str) -> dict[str, str]:
    check_private(path)
    table = _read_toml(path).get(venue, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{venue}] must be a table")
    return {key.upper(): str(value) for key, value in table.items()}


def check_private(path: Path) -> None:
    """Refuse a secrets file that group or others can read."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"{path} is readable by group or others; run: chmod 600 {path}")
