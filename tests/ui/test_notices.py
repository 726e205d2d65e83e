"""How a fill is told: the desktop notice's escape sequence, and news told once."""

from console.config import Notify
from console.trading.account import News
from console.ui.notices import Notices, desktop_notice


def test_a_desktop_notice_cannot_end_its_sequence_early_or_split_its_fields():
    assert desktop_notice("osc9", "t", "a\x07b\x1b]c") == "\x1b]9;a b ]c\x07"
    assert desktop_notice("osc777", "trading;console", "x;y") == (
        "\x1b]777;notify;trading,console;x,y\x07"
    )


def test_news_already_told_is_not_told_again():
    told = []
    notices = Notices(Notify(bell=False, desktop="off"), told.append, list, told.append)
    notices.show(News(2, ("FILL BUY 1 BTCUSDT @ 1.00",)))
    notices.show(News(2, ()))
    assert told == ["FILL BUY 1 BTCUSDT @ 1.00"]
    assert notices.room() == (2,)
