"""Huobi's err-codes as `console.errors`, from the document's tables (trading, market data,
wallet and account WebSocket), plus the gateway's rate-limit answer."""

from __future__ import annotations

from console.errors import (
    AuthError,
    ClockSkew,
    InsufficientFunds,
    InvalidOrder,
    NetworkError,
    OrderNotFound,
    PermissionDenied,
    VenueError,
    refusal,
)

ERR_CODES: dict[str, type[VenueError]] = {
    "base-argument-unsupported": InvalidOrder,
    "base-system-error": NetworkError,  # "mostly due to cache issue, please try again later"
    "login-required": AuthError,
    "base-record-invalid": OrderNotFound,  # what getClientOrder answers for an unknown id
    "order-amount-over-limit": InvalidOrder,
    "base-symbol-trade-disabled": InvalidOrder,
    "base-operation-forbidden": PermissionDenied,
    "account-get-accounts-inexistent-error": AuthError,
    "account-account-id-inexistent": AuthError,
    "order-disabled": InvalidOrder,
    "cancel-disabled": InvalidOrder,
    "order-invalid-price": InvalidOrder,
    "order-accountbalance-error": InsufficientFunds,
    "order-limitorder-price-min-error": InvalidOrder,
    "order-limitorder-price-max-error": InvalidOrder,
    "order-limitorder-amount-min-error": InvalidOrder,
    "order-limitorder-amount-max-error": InvalidOrder,
    "order-etp-nav-price-min-error": InvalidOrder,
    "order-etp-nav-price-max-error": InvalidOrder,
    "order-orderprice-precision-error": InvalidOrder,
    "order-orderamount-precision-error": InvalidOrder,
    "order-value-min-error": InvalidOrder,
    "order-marketorder-amount-min-error": InvalidOrder,
    "order-marketorder-amount-buy-max-error": InvalidOrder,
    "order-marketorder-amount-sell-max-error": InvalidOrder,
    "order-holding-limit-failed": InvalidOrder,
    "order-type-invalid": InvalidOrder,
    "order-orderstate-error": OrderNotFound,  # cancelling an order that is no longer open
    "order-date-limit-error": InvalidOrder,
    "order-source-invalid": InvalidOrder,
    "order-update-error": NetworkError,
    "order-user-cancel-forbidden": InvalidOrder,
    "order-price-greater-than-limit": InvalidOrder,
    "order-price-less-than-limit": InvalidOrder,
    "market-orders-not-support-during-limit-price-trading": InvalidOrder,
    "price-exceeds-the-protective-price-during-limit-price-trading": InvalidOrder,
    "invalid-client-order-id": InvalidOrder,
    "invalid-interval": InvalidOrder,
    "invalid-start-date": InvalidOrder,
    "invalid-end-date": InvalidOrder,
    "invalid-start-time": InvalidOrder,
    "invalid-end-time": InvalidOrder,
    "validation-constraints-required": InvalidOrder,
    "symbol-not-support": InvalidOrder,
    "not-found": OrderNotFound,
    "base-not-found": OrderNotFound,
    "invalid-parameter": InvalidOrder,  # market data: invalid symbol, period, depth, size
    "invalid_interval": InvalidOrder,
    "invalid_start_date": InvalidOrder,
    "invalid_end_date": InvalidOrder,
    "api-signature-not-valid": AuthError,
    "bad-request": InvalidOrder,
}
V2_CODES: dict[int, type[VenueError]] = {
    500: NetworkError,
    1002: AuthError,  # unauthorized
    1003: AuthError,  # invalid signature
    2002: InvalidOrder,  # invalid field value
    2003: InvalidOrder,  # missing mandatory field
}
RATE_LIMIT_CODES = frozenset({"api-request-too-frequent"})


def map_error(
    status: int, code: str | int | None, msg: str, retry_after: float = 1.0
) -> VenueError:
    """A Huobi refusal (v1 err-code or v2 code) as one of `console.errors`."""
    text = str(code) if code is not None else None
    kind = (
        V2_CODES.get(code)
        if isinstance(code, int)
        else ERR_CODES.get(text)
        if text is not None
        else None
    )
    if text == "api-signature-not-valid" and "timestamp" in msg.lower():
        kind = ClockSkew  # the one code covers a stale Timestamp (valid 5 minutes) too
    return refusal(status, text, msg, kind, text in RATE_LIMIT_CODES, retry_after)
