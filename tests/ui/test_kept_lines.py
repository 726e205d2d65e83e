"""A panel hands the screen the lines it drew last time until Textual marks it for
drawing again: a refresh, a resize or a title set while it draws."""

from contextlib import asynccontextmanager

from rich.text import Text
from textual.app import App
from textual.geometry import Region

from console.ui.widgets.kept import KeptLines


class Counter(KeptLines):
    DEFAULT_CSS = "Counter { border: round white; height: 5; }"

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.renders = 0

    def render(self) -> Text:
        self.renders += 1
        return Text(f"count {self.count}")


class TitledWhileDrawn(Counter):
    def render(self) -> Text:
        self.border_title = f"title {self.count}"
        return super().render()


def text_of(lines):
    return ["".join(segment.text for segment in line) for line in lines]


@asynccontextmanager
async def mounted(panel):
    """`panel` on a screen of its own, and the crop of the whole of it."""
    app = App()
    async with app.run_test(size=(30, 10)) as pilot:
        await app.mount(panel)
        await pilot.pause()
        yield Region(0, 0, panel.outer_size.width, panel.outer_size.height)


async def test_lines_drawn_once_are_handed_back_until_the_panel_changes():
    panel = Counter()
    async with mounted(panel) as whole:
        first = panel.render_lines(whole)
        assert panel.render_lines(whole) is first
        panel.count = 1
        panel.refresh()
        again = panel.render_lines(whole)
        assert "count 1" in text_of(again)[1]
        assert panel.render_lines(whole) is again


async def test_a_title_set_while_drawing_is_drawn_on_the_next_pass():
    panel = TitledWhileDrawn()
    async with mounted(panel) as whole:
        panel.count = 7
        panel.refresh()
        panel.render_lines(whole)
        assert "title 7" in text_of(panel.render_lines(whole))[0]


async def test_another_crop_is_drawn_not_handed_back():
    panel = Counter()
    async with mounted(panel) as whole:
        drawn = panel.render_lines(whole)
        assert len(panel.render_lines(Region(0, 1, whole.width, 2))) == 2
        assert panel.render_lines(whole) == drawn
