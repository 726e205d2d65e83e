"""WEEX's error codes into the console's taxonomy, judged by what the documents say each one
means (the seed's common and spot tables, the FAQ, VENUES.md §1.5, and for the generic codes
the Binance-shaped v3 keeps, Binance's error document), not by the adapter's own
table: a key or signature problem is an authentication error, a timestamp refused a clock
to measure again, a refused order a
definite no, "does not exist" OrderNotFound, a system error something that may have acted."""

import pytest

from console.errors import (
    AuthError,
    ClockSkew,
    InvalidOrder,
    NetworkError,
    OrderNotFound,
    PermissionDenied,
    RateLimited,
    UnknownStatus,
    VenueError,
    for_order,
)
from console.venues.weex.errors import CODES, map_error

# (code, the document's message, the class its meaning implies)
DOCUMENTED = [
    ("40001", 'The request header "ACCESS_KEY" cannot be empty', AuthError),
    ("40002", 'The request header "ACCESS_SIGN" cannot be empty', AuthError),
    ("40003", 'The request header "ACCESS_TIMESTAMP" cannot be empty', AuthError),
    ("40005", "Invalid ACCESS_TIMESTAMP", ClockSkew),
    ("40006", "Invalid ACCESS_KEY", AuthError),
    ("40007", 'Invalid Content-Type, please use "application/json" format', InvalidOrder),
    ("40008", "The requested timestamp expired", ClockSkew),
    ("40009", "API verification failed", AuthError),
    ("40011", 'The request header "ACCESS_PASSPHRASE" cannot be empty', AuthError),
    ("40012", "apikey/passphrase is incorrect", AuthError),
    ("40013", "The user has been frozen", PermissionDenied),
    ("40014", "Incorrect permissions", PermissionDenied),
    ("40015", "System error", NetworkError),
    ("40016", "The user must bind a mobile phone or Google Authenticator", PermissionDenied),
    ("40017", "Parameter verification failed", InvalidOrder),
    ("40018", "Illegal IP request", PermissionDenied),
    ("40912", "Batch processing orders can only process up to 50", InvalidOrder),
    ("40913", "OrderId or clientId must be passed in one", InvalidOrder),
    ("40102", "The contract configuration does not exist", InvalidOrder),
    ("40200", "Server upgrade, please try again later", NetworkError),
    (
        "40305",
        "Client_oid length is not greater than 40, and cannot be a Martian character",
        InvalidOrder,
    ),
    ("40409", "Wrong format", InvalidOrder),
    ("40704", "Only check the data of the last three months", InvalidOrder),
    ("40707", "Start time is greater than end time", InvalidOrder),
    ("40724", "The parameter is empty", InvalidOrder),
    ("40725", "Spot service returns an error", NetworkError),
    ("-1043", "Invalid ACCESS_TIMESTAMP", ClockSkew),
    ("-1046", "ACCESS_TIMESTAMP expired", ClockSkew),
    ("-1049", "apikey or passphrase incorrect", AuthError),
    ("-1052", "Insufficient permissions", PermissionDenied),
    ("-1054", "Order does not exist", OrderNotFound),
    ("-1056", "Illegal IP", PermissionDenied),
    ("-1160", "Decimal precision error", InvalidOrder),
    ("-1180", "client_oid longer than 40 or with special characters", InvalidOrder),
    ("-2200", "Spot order does not exist", OrderNotFound),
    ("-1000", "An unknown error occurred while processing the request", NetworkError),
    ("-1007", "Timeout waiting for response from backend server", NetworkError),
    ("-1100", "Illegal characters found in a parameter", InvalidOrder),
    ("-2010", "NEW_ORDER_REJECTED", InvalidOrder),
]


@pytest.mark.parametrize(("code", "meaning", "kind"), DOCUMENTED, ids=[r[0] for r in DOCUMENTED])
def test_each_documented_code_means_what_the_document_says(code, meaning, kind):
    error = map_error(400, code, meaning)
    assert type(error) is kind
    assert (error.code, error.msg) == (code, meaning)


def test_the_table_holds_exactly_the_documented_codes():
    assert set(CODES) == {code for code, _, _ in DOCUMENTED}


def test_a_v3_code_arrives_as_a_number_and_means_the_same():
    assert type(map_error(400, -1054, "Order does not exist")) is OrderNotFound


def test_too_frequent_requests_wait_for_the_retry_after():
    error = map_error(429, "429", "The request is too frequent", retry_after=2.0)
    assert isinstance(error, RateLimited) and error.retry_after == 2.0


def test_a_spot_service_error_on_an_order_leaves_it_unknown():
    assert isinstance(
        for_order(map_error(400, "40725", "Spot service returns an error")), UnknownStatus
    )


def test_an_undocumented_code_is_a_plain_venue_error_and_a_5xx_a_network_error():
    assert type(map_error(400, "49999", "new")) is VenueError
    assert type(map_error(502, None, "")) is NetworkError
