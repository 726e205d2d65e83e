"""The ticket sent on one key with nothing left to ask: what the screen's enter would have
sent without a question, decided on the trading core at the moment the key is heard."""

from __future__ import annotations

from console.config import Grade
from console.model import Order
from console.trading.session import TradingSession
from console.trading.views import Draft, as_ticket


async def send_if_ready(session: TradingSession, draft: Draft) -> Order | None:
    """Send the draft if it passes the checks and needs no confirmation, as the book and
    the account stand now; None (nothing sent) leaves it to the screen, which says why or
    asks first, exactly as for an enter it handles itself."""
    ticket = as_ticket(session, draft)
    if ticket is None or session.market is None or session.paused is not None:
        return None
    verdict = session.check(ticket)
    if not verdict.ok:
        return None
    grade, _ = session.confirmations(ticket, verdict)
    if grade is not Grade.NONE:
        return None
    return await session.submit(ticket)
