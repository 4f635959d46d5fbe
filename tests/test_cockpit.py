"""The cockpit page in Debian's headless Chromium: offline, escaped, private, fitted, with its legend and layers."""
import json
import re

import numpy as np
import pytest

from gridgov.cockpit.page import CockpitOptions, build_cockpit, mask_id, mask_phone, read_cockpit_results, write_cockpit
from gridgov.cockpit.wall import build_wall, write_wall
from gridgov.layers import InputError
from gridgov.layers.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02

from helpers import ARTIFACTS, in_chromium

EVIL = '<img src=x onerror="window.__alerted=1">"</script><script>window.__alerted=2</script>'


def contains(page: str, value: str) -> bool:
    """As text, or as JSON writes it (non-ASCII as \\uXXXX)."""
    return value in page or json.dumps(value)[1:-1] in page


@pytest.fixture(scope="module")
def results(tiny_results):
    layers, tables = read_cockpit_results(tiny_results)
    assert "people_matched" not in layers       # people only when asked for
    return layers, tables


@pytest.fixture(scope="module")
def evil_page(results, tmp_path_factory):
    layers, tables = results
    houses = layers["houses"].copy()
    red = houses.index[houses["risk_level"] == "red"][0]
    houses.loc[red, "address"] = EVIL
    houses.loc[red, "risk_reasons"] = EVIL
    return write_cockpit(tmp_path_factory.mktemp("web") / "cockpit.html", {**layers, "houses": houses}, tables)


@pytest.mark.browser
def test_offline_page_loads_with_no_error_and_no_request(evil_page):
    seen = in_chromium(evil_page, ARTIFACTS / "cockpit.png")
    assert seen["errors"] == [] and seen["requests"] == []
    assert "图例 Legend" in seen["legend"] and "Red (high risk)" in seen["legend"]
    for layer in ("防区 defense zones", "网格 grids", "房屋 红色（高风险） · Red (high risk)", "五分钟响应圈 5-minute reach",
                  "未覆盖房屋 uncovered houses", "驻点 bases", "事件热力 events heat map"):
        assert layer in seen["layers"], layer
    assert seen["canvases"] >= 1 and (ARTIFACTS / "cockpit.png").stat().st_size > 50_000


@pytest.mark.browser
def test_every_attribute_is_escaped(evil_page):
    text = evil_page.read_text(encoding="utf-8")
    assert "<img src=x" not in text and "</script><script>window.__alerted" not in text
    seen = in_chromium(evil_page, ARTIFACTS / "cockpit-evil.png")
    assert seen["alerts"] == 0
    assert "&lt;img src=x" in seen["popup"] and "<img" not in seen["popup"]


def test_scripts_and_styles_are_inlined_not_fetched(results):
    page = build_cockpit(*results)
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+stylesheet", page)
    assert "Leaflet" in page and "simpleheat" in page


def test_no_personal_data_unless_asked_and_then_masked(tiny_results, results):
    layers, tables = read_cockpit_results(tiny_results, with_people=True)
    people = layers["people_matched"]
    default = build_cockpit(*results)
    sample = people.dropna(subset=["id_number", "phone"]).head(50)
    for value in list(sample["id_number"]) + list(sample["phone"]) + [n for n in sample["name"] if len(n) >= 3]:
        assert not contains(default, value)
    opted = build_cockpit(layers, tables, CockpitOptions(with_people=True))
    located = sample[sample.geometry.notna()].iloc[0]
    assert contains(opted, located["name"]) and contains(opted, mask_id(located["id_number"]))
    assert not any(contains(opted, i) for i in sample["id_number"])
    assert not any(contains(opted, p) for p in sample["phone"])
    assert mask_id("33010519900101123X") == "330105********123X" and mask_phone("13812345678") == "138****5678"


def test_gcj02_basemap_shifts_a_display_copy_only(results):
    layers, tables = results
    before = layers["houses"].geometry.copy()
    page = build_cockpit(layers, tables, CockpitOptions(basemap="amap"))
    assert "autonavi" in page and layers["houses"].geometry.equals(before)   # master data untouched
    shifted = {int(v) for v in re.findall(r'"rings": \[\[(\d+)', page)}
    plain = {int(v) for v in re.findall(r'"rings": \[\[(\d+)', build_cockpit(layers, tables))}
    assert shifted and plain and shifted.isdisjoint(plain)


def test_basemaps_need_what_they_need(results):
    with pytest.raises(InputError, match="Tianditu basemap needs your key"):
        build_cockpit(*results, CockpitOptions(basemap="tianditu"))
    assert "tk=KEY123" in build_cockpit(*results, CockpitOptions(basemap="tianditu", tianditu_key="KEY123"))
    assert "tile.openstreetmap.org" in build_cockpit(*results, CockpitOptions(basemap="osm"))


def test_gcj02_round_trip_under_a_centimetre():
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(73.5, 135, 1000), rng.uniform(18, 53.5, 1000)
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    from pyproj import Geod
    _, _, error = Geod(ellps="WGS84").inv(lon, lat, back_lon, back_lat)
    assert error.max() < 0.01
    shift = Geod(ellps="WGS84").inv(120.14, 30.30, *wgs84_to_gcj02(120.14, 30.30))[2]
    assert 300 < shift < 700


def test_the_summary_shows_the_back_test_in_both_languages(results):
    layers, tables = results
    summary = tables["backtest"].iloc[0]
    page = build_cockpit(layers, tables)
    panel = page[page.index('id="gg-backtest"'):]
    assert "回测 Back-test" in panel and f"red lift {summary['lift_red']:.1f}×" in panel and "红色提升" in panel
    assert panel.count("<svg") == 3                 # a bar per level
    assert 'id="gg-backtest"' not in build_cockpit(layers, {k: v for k, v in tables.items() if not k.startswith("backtest")})


def test_the_summary_shows_the_closed_loop(results):
    layers, tables = results
    panel = build_cockpit(layers, tables)
    panel = panel[panel.index('id="gg-loop"'):]
    closure = tables["loop_summary"]["closure_rate"].iloc[0]
    assert f"办结率 closed {closure:.1%}" in panel and "派遣 dispatch: 中位 median" in panel
    last = tables["loop_by_month"].iloc[-1]                                  # the month series, as bars
    assert "Events by month" in panel and f"{last['month']}: {int(last['events'])} 事件" in panel


def test_the_enterprise_visits_are_a_layer(results):
    layers, tables = results
    assert len(layers["visits"]) > 0
    page = build_cockpit(layers, tables)
    assert contains(page, "八必访 enterprise visits") and contains(page, layers["visits"]["reason_zh"].iloc[0])


def _inside(box, width, height) -> bool:
    return box["left"] >= 0 and box["top"] >= 0 and box["right"] <= width + 0.5 and box["bottom"] <= height + 0.5


def _overlap(a, b) -> bool:
    return a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 and a["top"] < b["bottom"] - 0.5 \
        and b["top"] < a["bottom"] - 0.5


@pytest.fixture(scope="module")
def wall(results, tmp_path_factory):
    return write_wall(tmp_path_factory.mktemp("wall") / "wall.html", *results)


@pytest.mark.browser
@pytest.mark.parametrize("width, height, lang", [(1920, 1080, "zh"), (3840, 1080, "en")])
def test_the_wall_fits_a_screen_and_a_video_wall_in_either_language(results, wall, width, height, lang):
    seen = in_chromium(wall, ARTIFACTS / f"wall_{width}x{height}_{lang}.png", "check_wall.mjs", width, height, lang)
    assert seen["errors"] == [] and seen["requests"] == []
    assert seen["scroll"] == [width, height] and seen["houses"] == len(results[0]["houses"])
    tiles = {tile["id"]: tile for tile in seen["tiles"]}
    assert len(tiles) == 10
    for tile in tiles.values():       # every tile on the screen, clear of the map and of the others, nothing cut
        assert _inside(tile["box"], width, height) and not tile["cut"], tile
        assert not _overlap(tile["box"], seen["map"]), tile["id"]
        assert not any(_overlap(tile["box"], other["box"]) for other in tiles.values() if other is not tile), tile["id"]
    assert seen["map"]["right"] - seen["map"]["left"] > 0.3 * width and seen["map"]["bottom"] - seen["map"]["top"] > 0.6 * height
    assert tiles["tile-levels"]["box"]["right"] <= seen["map"]["left"] <= tiles["tile-stages"]["box"]["left"]
    if width / height > 3:            # the wall: the charts beside the map, not under it
        assert tiles["tile-months"]["box"]["left"] >= seen["map"]["right"]
    else:
        assert tiles["tile-months"]["box"]["top"] >= seen["map"]["bottom"]
    # the figures are the result's, in the language asked for; the button switches it
    layers, tables = results
    recent = tables["loop_recent"].set_index("period")
    closure = tiles["tile-closure"]["text"]
    assert f"{recent.loc['this_month', 'closure_rate']:.1%}" in closure
    red = int((layers["houses"]["risk_level"] == "red").sum())
    assert str(red) in tiles["tile-levels"]["text"]
    overdue = int(tables["loop_summary"]["overdue"].iloc[0])
    assert f"{overdue:,}" in tiles["tile-events"]["text"]
    words = {"zh": ("办结率", "本月", "环节用时"), "en": ("Closure rate", "this month", "Stages")}
    text = "\n".join(tile["text"] for tile in tiles.values())
    assert all(word in text for word in words[lang])
    assert not any(word in text for word in words["en" if lang == "zh" else "zh"])
    assert seen["lang"] == lang and seen["switched"] == ("en" if lang == "zh" else "zh")


def test_the_wall_says_what_a_result_lacks(results):
    layers, tables = results
    page = build_wall(layers, {k: v for k, v in tables.items() if not k.startswith("loop")})
    closure = page[page.index('id="tile-closure"'):page.index('id="tile-warnings"')]
    assert "本次结果无此项" in closure and "not in this result" in closure
    assert 'id="tile-levels"' in page and "Red (high risk)" in page
