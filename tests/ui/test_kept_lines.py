"""A panel hands the screen the lines it drew last time until Textual marks it for
drawing again: a refresh, a resize or a title set while it draws."""

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


async def test_lines_drawn_once_are_handed_back_until_the_panel_changes():
    app = App()
    async with app.run_test(size=(30, 10)) as pilot:
        panel = Counter()
        await app.mount(panel)
        await pilot.pause()
        crop = Region(0, 0, panel.outer_size.width, panel.outer_size.height)
        first = panel.render_lines(crop)
        assert panel.render_lines(crop) is first
        panel.count = 1
        panel.refresh()
        again = panel.render_lines(crop)
        assert "count 1" in text_of(again)[1]
        assert panel.render_lines(crop) is again


async def test_a_title_set_while_drawing_is_drawn_on_the_next_pass():
    app = App()
    async with app.run_test(size=(30, 10)) as pilot:
        panel = TitledWhileDrawn()
        await app.mount(panel)
        await pilot.pause()
        crop = Region(0, 0, panel.outer_size.width, panel.outer_size.height)
        panel.count = 7
        panel.refresh()
        panel.render_lines(crop)
        assert "title 7" in text_of(panel.render_lines(crop))[0]


async def test_another_crop_is_drawn_not_handed_back():
    app = App()
    async with app.run_test(size=(30, 10)) as pilot:
        panel = Counter()
        await app.mount(panel)
        await pilot.pause()
        width = panel.outer_size.width
        whole = panel.render_lines(Region(0, 0, width, 5))
        assert len(panel.render_lines(Region(0, 1, width, 2))) == 2
        assert panel.render_lines(Region(0, 0, width, 5)) == whole
