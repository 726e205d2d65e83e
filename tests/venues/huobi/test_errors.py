"""Huobi's err-codes into the console's taxonomy, judged by what the document says each
one means (the trading, market data, wallet tables of `shared/seeds/huobi-sg-spot-api.txt`),
not by the adapter's own table: a refusal of the order is a definite no, "not found" or
an order no longer open is OrderNotFound, a key or signature problem an authentication
error, a system error something to try again."""

import pytest

from console.errors import (
    AuthError,
    InsufficientFunds,
    InvalidOrder,
    NetworkError,
    OrderNotFound,
    PermissionDenied,
    RateLimited,
    UnknownStatus,
    VenueError,
    for_order,
)
from console.venues.huobi.errors import ERR_CODES, map_error

# (err-code, the document's description, the class its meaning implies)
DOCUMENTED = [
    ("base-argument-unsupported", "The specified parameter is not supported", InvalidOrder),
    ("base-system-error", "System internel error. ... please try again later.", NetworkError),
    ("login-required", "Signature is missing, or user not find", AuthError),
    ("base-record-invalid", "Failed to get data (getClientOrder: record invalid)", OrderNotFound),
    ("order-amount-over-limit", "The amount of order exceeds the limitation", InvalidOrder),
    ("base-symbol-trade-disabled", "The symbol is disabled for trading", InvalidOrder),
    ("base-operation-forbidden", "The operation is forbidden for current user", PermissionDenied),
    ("account-get-accounts-inexistent-error", "The account doesn't exist", AuthError),
    ("account-account-id-inexistent", "The account id doesn't exist", AuthError),
    ("order-disabled", "The symbol is pending and not allowed to place order", InvalidOrder),
    ("cancel-disabled", "The symbol is pending and not allowed to cancel order", InvalidOrder),
    ("order-invalid-price", "The order price is invalid", InvalidOrder),
    ("order-accountbalance-error", "The account balance is insufficient", InsufficientFunds),
    ("order-limitorder-price-min-error", "Sell price cannot be lower than ...", InvalidOrder),
    ("order-limitorder-price-max-error", "Buy price cannot be higher than ...", InvalidOrder),
    ("order-limitorder-amount-min-error", "Limit order amount can not be less", InvalidOrder),
    ("order-limitorder-amount-max-error", "Limit order amount can not be more", InvalidOrder),
    ("order-etp-nav-price-min-error", "Order price cannot be lower than ...", InvalidOrder),
    ("order-etp-nav-price-max-error", "Order price cannot be higher than ...", InvalidOrder),
    ("order-orderprice-precision-error", "Order price precision error", InvalidOrder),
    ("order-orderamount-precision-error", "Order amount precision error", InvalidOrder),
    ("order-value-min-error", "Order value cannot be lower than specific value", InvalidOrder),
    ("order-marketorder-amount-min-error", "Market order sell amount cannot be less", InvalidOrder),
    ("order-marketorder-amount-buy-max-error", "Market order buy amount(value) ...", InvalidOrder),
    (
        "order-marketorder-amount-sell-max-error",
        "Market order sell amount cannot be more",
        InvalidOrder,
    ),
    ("order-holding-limit-failed", "Exceed the holding limit of the currency", InvalidOrder),
    ("order-type-invalid", "Order type is invalid", InvalidOrder),
    ("order-orderstate-error", "Order state is invalid", OrderNotFound),
    ("order-date-limit-error", "Order query date exceed the limit", InvalidOrder),
    ("order-source-invalid", "Order source is invalid", InvalidOrder),
    ("order-update-error", "Order update error", NetworkError),
    ("order-user-cancel-forbidden", "IOC or FOK order is not allowed to cancel", InvalidOrder),
    (
        "order-price-greater-than-limit",
        "higher than the limitation before market opens",
        InvalidOrder,
    ),
    ("order-price-less-than-limit", "lower than the limitation before market opens", InvalidOrder),
    (
        "market-orders-not-support-during-limit-price-trading",
        "Market orders not supported",
        InvalidOrder,
    ),
    (
        "price-exceeds-the-protective-price-during-limit-price-trading",
        "protective price",
        InvalidOrder,
    ),
    ("invalid-client-order-id", "The parameter client order id is duplicated", InvalidOrder),
    ("invalid-interval", "Query window is zero, negative or greater than limitation", InvalidOrder),
    ("invalid-start-date", "The start date is invalid", InvalidOrder),
    ("invalid-end-date", "The end date is invalid", InvalidOrder),
    ("invalid-start-time", "The start time is invalid", InvalidOrder),
    ("invalid-end-time", "The end time is invalid", InvalidOrder),
    ("validation-constraints-required", "The specified parameters is missing", InvalidOrder),
    ("symbol-not-support", "The symbol is not support for cross margin or C2C", InvalidOrder),
    ("not-found", "The order id is not found", OrderNotFound),
    ("base-not-found", "The record is not found", OrderNotFound),
    ("invalid-parameter", "invalid symbol / period / depth / type / size", InvalidOrder),
    (
        "invalid_interval",
        "the date between start date and end date is greater than 2 days",
        InvalidOrder,
    ),
    ("invalid_start_date", "Start date is a future date", InvalidOrder),
    ("invalid_end_date", "end date is a future date", InvalidOrder),
    ("api-signature-not-valid", "Signature not valid: Incorrect Access key", AuthError),
    ("bad-request", "The request is invalid", InvalidOrder),
]
# (v2 code, the document's message, class)
DOCUMENTED_V2 = [
    (500, "error: Server internal error", NetworkError),
    (1002, "unauthorized: User is unautherized", AuthError),
    (1003, "invalid signature: API signature is wrong", AuthError),
    (2002, 'invalid field value in "field name": Parameter is invalid', InvalidOrder),
    (2003, 'missing mandatory field "field name": Parameter is missing', InvalidOrder),
]


@pytest.mark.parametrize(
    ("code", "meaning", "kind"), DOCUMENTED, ids=[row[0] for row in DOCUMENTED]
)
def test_each_documented_err_code_means_what_the_document_says(code, meaning, kind):
    error = map_error(200, code, meaning)
    assert type(error) is kind
    assert (error.code, error.msg) == (code, meaning)


@pytest.mark.parametrize(
    ("code", "meaning", "kind"), DOCUMENTED_V2, ids=[str(row[0]) for row in DOCUMENTED_V2]
)
def test_each_documented_v2_code_means_what_the_document_says(code, meaning, kind):
    assert type(map_error(200, code, meaning)) is kind


def test_the_table_holds_exactly_the_documented_codes():
    assert set(ERR_CODES) == {code for code, _, _ in DOCUMENTED}


def test_too_frequent_requests_wait_for_the_retry_after():
    error = map_error(429, "api-request-too-frequent", "Request too frequent.", retry_after=2.0)
    assert isinstance(error, RateLimited) and error.retry_after == 2.0


def test_a_system_error_on_an_order_leaves_it_unknown():
    assert (
        type(for_order(map_error(200, "base-system-error", "System internal error")))
        is UnknownStatus
    )


def test_an_unknown_err_code_is_a_venue_error_with_its_words():
    error = map_error(200, "something-new", "a message")
    assert type(error) is VenueError and error.msg == "a message"
