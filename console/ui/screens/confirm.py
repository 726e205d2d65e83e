"""Questions over the screen, graded as the config says: one key (y or enter says yes), or
a typed word (only the word, then enter, says yes). Esc or n always backs out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from console.config import Grade

QUESTION_CSS = """
SCREEN { align: center middle; }
SCREEN > Vertical { width: WIDTH; height: auto; border: thick BORDER; padding: 1 2;
    background: $surface; }
SCREEN #question { text-style: bold; }
SCREEN #problem { color: $error; }
SCREEN #keys { color: $secondary; margin-top: 1; }
"""


def dialog_css(screen: str, border: str = "$warning", width: int = 64) -> str:
    """A dialog's look: centred, framed in `border`, its question bold, a problem with
    what was typed in the error colour, its keys quieter."""
    css = QUESTION_CSS.replace("SCREEN", screen).replace("BORDER", border)
    return css.replace("WIDTH", str(width))


class Confirm(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]
    DEFAULT_CSS = dialog_css("Confirm")

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question, self.detail = question, detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question")
            if self.detail:
                yield Static(self.detail)
            yield Static("y / enter: yes     n / esc: no", id="keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TypedConfirm(ModalScreen[bool]):
    """For what cannot be undone: the trader types `word`; a stray key does nothing."""

    BINDINGS = [Binding("escape", "answer(False)", "No", id="confirm.back")]
    DEFAULT_CSS = dialog_css("TypedConfirm")

    def __init__(self, question: str, word: str, detail: str = "") -> None:
        super().__init__()
        self.question, self.word, self.detail = question, word, detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question")
            if self.detail:
                yield Static(self.detail)
            yield Input(placeholder=f"type {self.word}", id="word")
            yield Static(f"type {self.word} then enter: yes     esc: no", id="keys")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.value.strip() == self.word:
            self.dismiss(result=True)
        else:
            event.input.value = ""
            self.query_one("#keys", Static).update(f"that is not {self.word}; esc backs out")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def ask(
    app: App[Any],
    grade: Grade,
    question: str,
    word: str,
    then: Callable[[], object],
    detail: str = "",
) -> None:
    """Run `then` once the trader has said yes as `grade` asks: at once, after one key, or
    after typing `word`."""
    if grade is Grade.NONE:
        then()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    screen = (
        Confirm(question, detail) if grade is Grade.KEY else TypedConfirm(question, word, detail)
    )
    app.push_screen(screen, answered)
