"""Keymap files and overrides, theme files and their fallbacks."""

import time

import msgspec
import pytest

from console.trading import views
from console.ui.keymaps import load_keymap
from console.ui.themes import SHIPPED, discover, load_theme
from tests.fakes import until


def test_default_keymap_names_every_app_action():
    keymap = load_keymap("default")
    assert (keymap["app.buy"], keymap["book.pick"], keymap["orders.cancel-all"]) == (
        "b",
        "enter",
        "X",
    )


def test_vim_keymap_overrides_the_default():
    keymap = load_keymap("vim")
    assert keymap["book.down"] == "j"
    assert keymap["app.buy"] == "b"  # inherited


def test_trader_overrides_win_over_the_keymap():
    assert load_keymap("vim", {"book.down": "n"})["book.down"] == "n"


def test_unknown_keymap_names_the_choices():
    with pytest.raises(ValueError, match="choose from default, vim"):
        load_keymap("emacs")


def test_shipped_themes_include_dark_light_and_16_colours():
    themes, problems = discover([SHIPPED])
    assert problems == []
    by_name = {t.name: t for t in themes}
    assert {"console-dark", "console-light", "console-ansi"} <= set(by_name)
    assert by_name["console-ansi"].ansi and not by_name["console-light"].dark
    assert by_name["console-dark"].variables["bid"]


def test_user_theme_beside_the_shipped_ones_is_found(tmp_path):
    (tmp_path / "mine.toml").write_text(
        'name = "mine"\nprimary = "#ff00ff"\n[variables]\nbid = "green"\nask = "red"\n'
        'up = "green"\ndown = "red"\nstale = "yellow"\n'
    )
    themes, _ = discover([SHIPPED, tmp_path])
    assert "mine" in {t.name for t in themes}


def test_bad_theme_file_is_skipped_with_a_notice(tmp_path):
    (tmp_path / "broken.toml").write_text('name = "broken"\nprimary = "#fff"\n')
    themes, problems = discover([tmp_path])
    assert themes == []
    assert problems == [
        f"theme skipped: {tmp_path / 'broken.toml'}: missing bid, ask, up, down, stale"
    ]


def test_theme_with_an_unknown_key_is_refused(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(
        'name = "t"\nprimry = "#fff"\nprimary = "#fff"\n[variables]\nbid = "g"\n'
        'ask = "r"\nup = "g"\ndown = "r"\nstale = "y"\n'
    )
    with pytest.raises(ValueError, match="unknown keys primry"):
        load_theme(path)


GOOD_VARIABLES = (
    '[variables]\nbid = "green"\nask = "red"\nup = "green"\ndown = "red"\nstale = "y"\n'
)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (b'name = "v"\nprimary = "#fff"\nvariables = 5\n', "variables must be a table"),
        (b'name = "c"\nprimary = "#ggg"\n' + GOOD_VARIABLES.encode(), "primary = '#ggg' is not"),
        (b'name = "\xff"\nprimary = "#fff"\n', "not UTF-8 text"),
    ],
)
def test_a_broken_user_theme_is_skipped_with_one_line_and_the_rest_load(tmp_path, text, why):
    (tmp_path / "broken.toml").write_bytes(text)
    themes, problems = discover([SHIPPED, tmp_path])
    assert {t.name for t in themes} == {"console-dark", "console-light", "console-ansi"}
    assert len(problems) == 1 and why in problems[0]


async def test_a_selected_theme_with_a_bad_colour_falls_back_with_a_notice(tmp_path):
    from console.config import Config, Locations
    from console.launch import build
    from console.ui.app import TradingApp

    (tmp_path / "mine.toml").write_text(
        'name = "mine"\nprimary = "#fff"\n' + GOOD_VARIABLES.replace('"red"', '"not-a-colour"')
    )
    launch = build(Config(), None, True, Locations(tmp_path, tmp_path))

    async def nothing():
        return None

    app = TradingApp(
        launch.session,
        nothing,
        nothing,
        load_keymap("default"),
        theme="mine",
        theme_folders=[SHIPPED, tmp_path],
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "console-dark"
        notices = [n.message for n in app._notifications]
        assert any("ask = 'not-a-colour' is not a colour" in n for n in notices)
        assert any("no theme 'mine'" in n for n in notices)


def _code_bindings():
    from console.ui.app import PANELS_WITH_KEYS, TradingApp

    return [b for cls in (TradingApp, *PANELS_WITH_KEYS) for b in cls.BINDINGS]


def test_default_keymap_matches_the_bindings_in_the_code():
    keymap = load_keymap("default")
    assert {b.id: b.key for b in _code_bindings()} == keymap


SWALLOWED = ("shift+up", "shift+down", "shift+left", "shift+right", "alt+", "ctrl+s", "ctrl+q")


def _reaches_the_console(key):
    return not (key.startswith(SWALLOWED) or (key.startswith("f") and key[1:].isdigit()))


@pytest.mark.parametrize("name", ["default", "vim"])
def test_every_trading_action_has_a_key_terminals_pass_through(name):
    trading = (
        "app.buy",
        "app.sell",
        "book.pick",
        "orders.cancel",
        "orders.cancel-all",
        "ticket.type",
        "ticket.step-up",
        "ticket.step-down",
    )
    keymap = load_keymap(name)
    for binding_id in trading:
        assert any(_reaches_the_console(k) for k in keymap[binding_id].split(",")), binding_id


@pytest.mark.parametrize("theme", ["console-dark", "console-light", "console-ansi"])
async def test_every_shipped_theme_styles_the_whole_screen(tmp_path, theme):
    from console.config import Config, Locations
    from console.launch import build
    from console.ui.app import TradingApp

    launch = build(Config(), None, True, Locations(tmp_path, tmp_path))

    async def nothing():
        return None

    app = TradingApp(launch.session, nothing, nothing, load_keymap("default"), theme=theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == theme
        assert app.get_css_variables()["bid"]


@pytest.mark.parametrize(
    "environment",
    [
        "SIM",
        "LIVE",
        *(pytest.param(name, marks=pytest.mark.slow) for name in ("TESTNET", "PAPER", "CUSTOM")),
    ],
)  # the fast tier looks at the default and at real money
async def test_where_orders_go_looks_the_same_under_every_theme(tmp_path, environment):
    from console.config import Config, Locations
    from console.launch import build
    from console.ui.app import TradingApp
    from console.ui.widgets.status import CUSTOM_STYLE, ENVIRONMENT_STYLES, Banner

    launch = build(Config(), None, True, Locations(tmp_path, tmp_path))
    launch.session.environment = environment

    async def nothing():
        return None

    seen = set()
    for theme in ("console-dark", "console-light", "console-ansi"):
        app = TradingApp(launch.session, nothing, nothing, load_keymap("default"), theme=theme)
        async with app.run_test(size=(120, 40)):
            banner = app.query_one(Banner)
            await until(lambda b=banner: f" {environment} " in b.render().plain)  # drawn once
            text = banner.render()
            (span,) = [s for s in text.spans if text.plain[s.start : s.end].strip() == environment]
            seen.add(str(span.style))
    assert seen == {str(ENVIRONMENT_STYLES.get(environment, CUSTOM_STYLE))}
    colours = [s.bgcolor for s in [*ENVIRONMENT_STYLES.values(), CUSTOM_STYLE]]
    assert len(set(colours)) == len(colours)


def environment_label_codes(color_system, environment):
    """The escape codes a terminal of `color_system` gets for `environment`'s label."""
    import io

    from rich.console import Console

    from console.ui.widgets.status import CUSTOM_STYLE, ENVIRONMENT_STYLES

    out = io.StringIO()
    console = Console(file=out, color_system=color_system, force_terminal=True, no_color=False)
    console.print(f" {environment} ", style=ENVIRONMENT_STYLES.get(environment, CUSTOM_STYLE))
    return out.getvalue().split(environment)[0]


@pytest.mark.parametrize("color_system", ["standard", "256", "truecolor"])
def test_every_environment_has_its_own_colours_in_16_256_and_true_colour(color_system):
    environments = ["SIM", "TESTNET", "PAPER", "LIVE", "CUSTOM"]
    codes = {environment_label_codes(color_system, e) for e in environments}
    assert len(codes) == len(environments)


def test_environment_colours_are_exact_so_no_theme_or_palette_can_merge_them():
    from rich.color import ColorType

    from console.ui.widgets.status import CUSTOM_STYLE, ENVIRONMENT_STYLES, READ_ONLY_STYLE

    for style in [*ENVIRONMENT_STYLES.values(), CUSTOM_STYLE, READ_ONLY_STYLE]:
        assert {style.color.type, style.bgcolor.type} == {ColorType.TRUECOLOR}


def test_under_no_color_live_and_custom_still_stand_out_from_the_rest():
    import io

    from rich.console import Console

    from console.ui.widgets.status import CUSTOM_STYLE, ENVIRONMENT_STYLES

    def drawn(style):
        out = io.StringIO()
        Console(file=out, force_terminal=True, no_color=True).print("X", style=style)
        return out.getvalue()

    plain = {drawn(ENVIRONMENT_STYLES[e]) for e in ("SIM", "TESTNET", "PAPER")}
    assert len({*plain, drawn(ENVIRONMENT_STYLES["LIVE"]), drawn(CUSTOM_STYLE)}) == 3


def test_a_keys_override_for_an_action_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match=r"\[keys\] app\.flatten: no such action"):
        load_keymap("default", {"app.flatten": "f"})


async def test_an_orphan_and_the_sides_are_drawn_in_the_themes_colours(tmp_path):
    from decimal import Decimal

    from rich.style import Style

    from console.model import Order, OrderStatus, OrderType, Side
    from console.ui.widgets.orders import OpenOrders
    from tests.ui.conftest import make_app

    app, _ = make_app(tmp_path)
    theirs = Order(
        "BTCUSDT",
        "other-1",
        Side.SELL,
        OrderType.LIMIT,
        Decimal(1),
        Decimal(70_000),
        status=OrderStatus.NEW,
    )
    async with app.run_test(size=(120, 40)):
        app.session.orders.orphans.add("other-1")
        view = views.orders(app.session, history=False, now=0.0)
        _, side, *_, status, _, _ = app.query_one(OpenOrders)._row(theirs, view, 0.0)
        variables = app.get_css_variables()
        assert status.plain == " ORPHAN"
        assert isinstance(status.style, Style) and status.style.bold
        assert status.style.color.triplet.hex == variables["warning"].lower()
        assert side.style.color.triplet.hex == variables["ask"].lower()


async def test_the_orders_table_changes_row_by_row_newest_first_and_rests_while_hidden(tmp_path):
    from decimal import Decimal

    from textual.widgets import DataTable

    from console.model import Order, OrderStatus, OrderType, Side
    from console.ui.widgets.orders import OpenOrders
    from tests.ui.conftest import make_app

    began = int(time.time() * 1000)

    def resting(cid, placed):
        """Placed `placed` ms after the test began: young enough that reconciliation keeps
        looking it up instead of taking it as gone from the venue."""
        return Order(
            "BTCUSDT",
            cid,
            Side.BUY,
            OrderType.LIMIT,
            Decimal(1),
            Decimal(60_000),
            status=OrderStatus.NEW,
            created_ms=began + placed,
        )

    app, _ = make_app(tmp_path)
    async with app.run_test(size=(120, 40)):
        panel = app.query_one(OpenOrders)
        table = panel.query_one(DataTable)
        orders = app.session.orders
        orders.on_order(resting("a", 1_000), None)
        orders.on_order(resting("b", 2_000), None)
        await until(lambda: table.row_count == 2)
        assert [table.get_row_at(i)[-1].strip() for i in range(2)] == ["b", "a"]  # newest first
        table.move_cursor(row=1)  # "a" selected
        orders.on_order(resting("c", 3_000), None)
        await until(lambda: table.row_count == 3)
        assert [table.get_row_at(i)[-1].strip() for i in range(3)] == ["c", "b", "a"]
        assert panel.selected_id() == "a"  # the selection stays on its order
        cancelled = msgspec.structs.replace(orders.orders["b"], status=OrderStatus.CANCELED)
        orders.on_order(cancelled, None)
        await until(lambda: table.row_count == 2)
        assert [table.get_row_at(i)[-1].strip() for i in range(2)] == ["c", "a"]
        panel.display = False  # another panel takes its place on a narrow terminal
        orders.on_order(resting("d", 4_000), None)
        await app.clock.tick()
        assert table.row_count == 2  # hidden: no view built, nothing drawn
        panel.display = True
        await until(lambda: table.row_count == 3)


def test_the_themes_listed_are_the_ones_the_palette_offers():
    from textual.theme import BUILTIN_THEMES

    from console.ui.themes import names

    listed = names([SHIPPED])
    assert {"console-dark", "console-light", "console-ansi"} <= set(listed)
    assert set(BUILTIN_THEMES) <= set(listed)


def test_what_the_screen_remembers_is_read_back_and_an_unreadable_memory_is_empty(tmp_path):
    from console.kept import Kept

    state = tmp_path / "data" / "screen.json"
    assert Kept(state).get("theme") is None
    Kept(state).keep("theme", "nord")
    assert Kept(state).get("theme") == "nord"
    state.write_text("[not a memory]")
    assert Kept(state).get("theme") is None


async def test_textuals_own_theme_opens_and_a_theme_picked_is_remembered(tmp_path):
    from console.config import Config, Locations
    from console.kept import Kept
    from console.launch import build
    from console.ui.app import TradingApp

    launch = build(Config(), None, True, Locations(tmp_path, tmp_path))
    memory = Kept(tmp_path / "screen.json")

    async def nothing():
        return None

    app = TradingApp(
        launch.session, nothing, nothing, load_keymap("default"), theme="dracula", memory=memory
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "dracula"
        assert not [n for n in app._notifications if "no theme" in n.message]
        assert memory.get("theme") is None  # the theme it opened on is not a pick
        app.theme = "nord"  # as the palette's theme picker sets it
        await until(lambda: Kept(tmp_path / "screen.json").get("theme") == "nord")
