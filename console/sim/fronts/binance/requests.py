"""Reading Binance requests: parameters, their rules, API keys, timestamps and signatures.

The simulator checks requests with its own code, following Binance's documented rules
rather than any client's, so a client that signs or encodes wrongly fails here as it would
against Binance.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import unquote_plus

import msgspec

from console.sim.exchange import Credential
from console.sim.fronts.rest import FrontError

MAX_RECV_WINDOW_MS = 60_000
DEFAULT_RECV_WINDOW_MS = 5_000
FUTURE_TOLERANCE_MS = 1_000
DECIMAL_PATTERN = re.compile(r"^([0-9]{1,20})(\.[0-9]{1,20})?$")
CLIENT_ORDER_ID_PATTERN = re.compile(r"^[a-zA-Z0-9-_]{1,36}$")
RECV_WINDOW_PATTERN = re.compile(r"^[0-9]{1,20}(\.[0-9]{1,3})?$")
"""Milliseconds, with up to three decimals for microsecond precision."""


class BinanceError(FrontError):
    """An error answer: HTTP status (or WS-API status), Binance code and message."""

    def __init__(self, status: int, code: int, msg: str, data: object = None) -> None:
        self.code, self.msg = code, msg
        body: dict[str, object] = {"code": code, "msg": msg}
        if data is not None:
            body["data"] = data
        super().__init__(status, body)


def bad(code: int, msg: str) -> BinanceError:
    return BinanceError(400, code, msg)


def missing(name: str) -> BinanceError:
    return bad(-1102, f"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.")


class Params:
    """A request's parameters by name, with Binance's validation for each kind."""

    def __init__(self, values: Mapping[str, str], raw: Mapping[str, object] | None = None) -> None:
        self.values = dict(values)
        self.raw = raw if raw is not None else values
        """The values as the client sent them (JSON types on the WebSocket API), for signing."""

    def get(self, name: str) -> str | None:
        value = self.values.get(name)
        if value == "":
            raise bad(-1105, f"Parameter '{name}' was empty.")
        return value

    def required(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise missing(name)
        return value

    def decimal(self, name: str, required: bool = False) -> Decimal | None:
        text = self.required(name) if required else self.get(name)
        if text is None:
            return None
        if not DECIMAL_PATTERN.match(text):
            raise bad(
                -1100,
                f"Illegal characters found in parameter '{name}'; legal range is "
                f"'{DECIMAL_PATTERN.pattern}'.",
            )
        return Decimal(text)

    def integer(self, name: str, default: int | None = None) -> int | None:
        text = self.get(name)
        if text is None:
            return default
        try:
            return int(text)
        except ValueError:
            raise bad(
                -1100,
                f"Illegal characters found in parameter '{name}'; legal range is "
                "'^[0-9]{1,20}$'.",
            ) from None

    def client_order_id(self, name: str) -> str | None:
        value = self.get(name)
        if value is not None and not CLIENT_ORDER_ID_PATTERN.match(value):
            raise bad(
                -1100,
                f"Illegal characters found in parameter '{name}'; legal range is "
                f"'{CLIENT_ORDER_ID_PATTERN.pattern}'.",
            )
        return value

    def not_sent(self, *names: str) -> None:
        for name in names:
            if name in self.values:
                raise bad(-1106, f"Parameter '{name}' sent when not required.")


def check_timestamp(params: Params, now_ms: int) -> None:
    """Binance's timing rule: not from the future, not older than recvWindow."""
    timestamp = params.integer("timestamp")
    if timestamp is None:
        raise missing("timestamp")
    if timestamp > 10**14:  # microseconds are accepted too
        timestamp //= 1000
    window_text = params.get("recvWindow")
    window = Decimal(DEFAULT_RECV_WINDOW_MS)
    if window_text is not None:
        if not RECV_WINDOW_PATTERN.match(window_text):
            raise bad(
                -1100,
                "Illegal characters found in parameter 'recvWindow'; legal range is "
                f"'{RECV_WINDOW_PATTERN.pattern}'.",
            )
        window = Decimal(window_text)
        if window > MAX_RECV_WINDOW_MS or window <= 0:
            raise bad(-1131, f"recvWindow must be less than {MAX_RECV_WINDOW_MS}.")
    if timestamp >= now_ms + FUTURE_TOLERANCE_MS:
        raise bad(-1021, "Timestamp for this request was 1000ms ahead of the server's time.")
    if now_ms - timestamp > window:
        raise bad(-1021, "Timestamp for this request is outside of the recvWindow.")


def find_credential(credentials: Mapping[str, Credential], api_key: str | None) -> Credential:
    if not api_key:
        raise BinanceError(401, -2014, "API-key format invalid.")
    credential = credentials.get(api_key)
    if credential is None:
        raise BinanceError(401, -2015, "Invalid API-key, IP, or permissions for action.")
    return credential


def check_signature(credential: Credential, payload: bytes, signature: str | None) -> None:
    """HMAC keys sign in hex (any case); Ed25519 keys sign in base64 (case-sensitive)."""
    if not signature:
        raise missing("signature")
    if credential.ed25519 is not None:
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        valid = credential.verify_ed25519(payload, raw)
    else:
        valid = credential.verify_hmac_hex(payload, signature)
    if not valid:
        raise bad(-1022, "Signature for this request is not valid.")


def rest_payload(raw_query: str, raw_body: str) -> tuple[bytes, str | None]:
    """The signed text of a REST request: query then body, as sent, minus the signature."""
    signature = None
    kept: list[str] = []
    for raw in (raw_query, raw_body):
        pieces = []
        for piece in raw.split("&") if raw else []:
            if piece.startswith("signature="):
                signature = unquote_plus(piece.removeprefix("signature="))
            else:
                pieces.append(piece)
        kept.append("&".join(pieces))
    return (kept[0] + kept[1]).encode(), signature


def ws_payload(params: Mapping[str, object]) -> bytes:
    """The signed text of a WebSocket API request: params sorted by name, not encoded."""
    return "&".join(
        f"{name}={param_text(value)}"
        for name, value in sorted(params.items())
        if name != "signature"
    ).encode()


def param_text(value: object) -> str:
    """A JSON parameter value as Binance reads it: booleans lowercase, numbers as written,
    arrays as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return msgspec.json.encode(value).decode()
    return str(value)
