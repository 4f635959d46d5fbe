"""Converging signals: grades from signals and distinct channels within the window."""
import geopandas as gpd
import pandas as pd
import shapely

from gridgov.coloring.rules import load_rules
from gridgov.coloring.signals import converging_signals

HOUSES = gpd.GeoDataFrame({"house_id": ["A", "B", "C", "D"], "address": ["a", "b", "c", "d"],
                           "grid_id": ["G1", "G1", "G2", "G2"]},
                          geometry=[shapely.box(i * 30, 0, i * 30 + 20, 12) for i in range(4)], crs=4549)


def events(house, channels, start="2026-10-01", every_days=3):
    times = pd.Timestamp(start) + pd.to_timedelta([i * every_days for i in range(len(channels))], unit="D")
    return pd.DataFrame({"house_id": house, "channel": channels, "reported_at": times})


def test_grades_by_signals_and_channels():
    frame = pd.concat([
        events("A", ["12345", "96315", "labour", "grid", "12345", "96315", "110"]),   # 7 signals, 5 channels
        events("B", ["12345", "96315", "labour", "12345", "12345"]),                 # 5 signals, 3 channels
        events("C", ["12345", "12345", "96315"]),                                    # 3 signals, 2 channels
        events("D", ["12345", "12345", "12345", "12345"]),                           # one channel only
    ])
    warnings = converging_signals(frame, HOUSES, load_rules()).set_index("house_id")
    assert warnings["grade"].to_dict() == {"A": "major", "B": "urgent", "C": "routine"}
    assert warnings.loc["A", "channels"] == "110, 12345, 96315, grid, labour"
    assert warnings.loc["A", "route_zh"] == "报街道领导" and warnings.loc["C", "grade_zh"].startswith("一般")
    assert warnings.loc["B", "span_days"] == 12.0 and warnings.loc["C", "grid_id"] == "G2"


def test_signals_spread_beyond_the_window_do_not_converge():
    frame = events("A", ["12345", "96315", "labour", "grid", "110", "12345", "96315"], every_days=30)
    assert converging_signals(frame, HOUSES, load_rules()).empty


def test_the_best_window_wins():
    early = events("A", ["12345", "96315", "12345"], start="2026-01-01")
    late = events("A", ["12345", "96315", "labour", "grid", "110", "12345", "96315"], start="2026-09-01")
    warnings = converging_signals(pd.concat([early, late]), HOUSES, load_rules())
    assert warnings["grade"].tolist() == ["major"] and warnings["first_at"][0] == pd.Timestamp("2026-09-01")


def test_no_events_no_warnings():
    assert converging_signals(None, HOUSES, load_rules()).empty
