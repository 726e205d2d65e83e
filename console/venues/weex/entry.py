"""WEEX in the console's venue registry: its APIs (v3, v1) and its demo trading
(`--paper`, spoken as the API named `paper`), in each environment and on the simulator."""

from __future__ import annotations

import secrets

from console.config import Credentials
from console.errors import AuthError
from console.venues.base import SimAccess, VenueEntry
from console.venues.weex.adapter import ENVIRONMENTS, WeexEndpoints, WeexVenue
from console.venues.weex.api import APIS
from console.venues.weex.paper import WeexPaperVenue
from console.venues.weex.rest import WeexCredentials

PAPER = "paper"
SIM_API_KEY = "console-sim-weex"


def credentials_from(credentials: Credentials) -> WeexCredentials:
    secret, passphrase = credentials.get("API_SECRET"), credentials.get("API_PASSPHRASE")
    if not secret or not passphrase:
        raise AuthError(
            msg="a WEEX key needs its secret and passphrase (WEEX_API_SECRET, WEEX_API_PASSPHRASE)"
        )
    return WeexCredentials(credentials.api_key, secret, passphrase)


def venue(endpoints: WeexEndpoints, credentials: WeexCredentials | None, api: str) -> WeexVenue:
    if api != PAPER:
        return WeexVenue(endpoints, credentials, api)
    if credentials is None:
        raise AuthError(msg="WEEX demo trading needs an API key")
    return WeexPaperVenue(endpoints, credentials)


def connect(env: str, rest: str, ws: str, credentials: Credentials | None, api: str) -> WeexVenue:
    endpoints = WeexEndpoints.custom(rest, ws) if env == "custom" else ENVIRONMENTS[env]
    return venue(endpoints, credentials_from(credentials) if credentials else None, api)


def on_simulator(base_url: str, api: str) -> tuple[WeexVenue, SimAccess]:
    """Signed in to the simulator with a fresh secret and passphrase of its own."""
    secret, passphrase = secrets.token_urlsafe(32), secrets.token_hex(8)
    credentials = WeexCredentials(SIM_API_KEY, secret, passphrase)
    access = SimAccess(SIM_API_KEY, hmac_secret=secret.encode(), passphrase=passphrase)
    return venue(WeexEndpoints.on(base_url), credentials, api), access


ENTRY = VenueEntry(
    name="weex",
    environments={name: endpoints.rest for name, endpoints in ENVIRONMENTS.items()},
    key_fields=("API_KEY", "API_SECRET", "API_PASSPHRASE"),
    connect=connect,
    on_simulator=on_simulator,
    apis=tuple(APIS),
    paper=PAPER,
)
