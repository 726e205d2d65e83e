"""What the ticket writes into its fields is what a trader would type, and what it takes."""

from decimal import Decimal

from console.trading.risk import step, typing_problem
from console.ui.widgets.ticket import field_text

EIGHT_PLACES = Decimal("1e-8")


def test_a_step_on_a_tick_of_1e_8_is_written_without_an_exponent():
    assert field_text(step(Decimal("0.00000004"), EIGHT_PLACES, 1)) == "0.00000005"


def test_what_the_ticket_writes_the_field_takes():
    text = field_text(step(Decimal("0.00000004"), EIGHT_PLACES, 1))
    assert typing_problem(text, EIGHT_PLACES, Decimal(0), "price") is None


def test_a_price_keeps_the_ticks_places():
    assert field_text(step(Decimal("65000.1"), Decimal("0.01"), 1)) == "65000.11"
