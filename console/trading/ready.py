"""What enter on the ticket means, decided on the trading core: the order the draft is, and
whether it goes at once, is refused (and why), or waits for the trader's yes. The screen's
enter and the one sent from the keyboard's thread ask the same question here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from console.config import Grade
from console.model import Order
from console.trading.session import Ticket, TradingSession
from console.trading.views import Draft, as_ticket


@dataclass(frozen=True)
class Readiness:
    ticket: Ticket
    refusal: str | None
    """Why nothing may be sent (the session paused, a check failed), or None."""
    grade: Grade
    """How the trader must say yes first (`Grade.NONE`: not at all)."""
    reasons: list[str]


def readiness(session: TradingSession, draft: Draft) -> Readiness | None:
    """None where there is no order to speak of yet (no market, no size)."""
    ticket = as_ticket(session, draft)
    if ticket is None or session.market is None:
        return None
    return _ready(session, ticket)


def move_readiness(
    session: TradingSession, client_order_id: str, price: Decimal, qty: Decimal
) -> Readiness:
    """Whether a resting order may move to `price` and `qty`, and how the trader says yes:
    the order it places is checked and confirmed as any other. Raises `InvalidOrder` for
    an order the screen cannot move."""
    return _ready(session, session.move_ticket(client_order_id, price, qty))


def _ready(session: TradingSession, ticket: Ticket) -> Readiness:
    if session.paused is not None:
        return Readiness(ticket, session.paused, Grade.NONE, [])
    verdict = session.check(ticket)
    if not verdict.ok:
        return Readiness(ticket, "not sent: " + "; ".join(verdict.problems), Grade.NONE, [])
    grade, reasons = session.confirmations(ticket, verdict)
    return Readiness(ticket, None, grade, reasons)


async def send_if_ready(session: TradingSession, draft: Draft) -> Order | None:
    """Send the draft if it passes the checks and needs no yes, as the book and the account
    stand now; None (nothing sent) leaves it to the screen, which says why or asks first,
    exactly as for an enter it handles itself."""
    ready = readiness(session, draft)
    if ready is None or ready.refusal is not None or ready.grade is not Grade.NONE:
        return None
    return await session.submit(ready.ticket)
