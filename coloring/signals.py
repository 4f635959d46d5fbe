"""Converging signals (企业"冒烟"): several signals from distinct channels at one address.

For every house, the window (rules.warning_window_days long) holding the most
serious combination of signals and distinct channels gives its grade; the
grades and their thresholds come from the rule file.
"""
from __future__ import annotations

from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .palette import PALETTE
from .rules import GRADES, Rules

ZONE_COLUMNS = ["grid_id", "community_id", "patrol_zone_id", "defense_zone_id"]
COLUMNS = ["house_id", "address", "grade", "grade_zh", "signals", "channel_count", "channels", "first_at",
           "last_at", "span_days", "route_en", "route_zh", *ZONE_COLUMNS]


def _best_window(times: np.ndarray, channels: np.ndarray, window: np.timedelta64, rules: Rules):
    """(grade rank, signals, channel set, first, last) of the most serious window, or None."""
    best, left, seen = None, 0, Counter()
    for right in range(len(times)):
        seen[channels[right]] += 1
        while times[right] - times[left] > window:
            seen[channels[left]] -= 1
            if not seen[channels[left]]:
                del seen[channels[left]]
            left += 1
        signals = right - left + 1
        for grade in rules.grades:   # most serious first
            if signals >= grade.min_signals and len(seen) >= grade.min_channels:
                candidate = (GRADES.index(grade.grade), signals, frozenset(seen), times[left], times[right])
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
                break
    return best


def converging_signals(events: pd.DataFrame, houses: gpd.GeoDataFrame, rules: Rules) -> gpd.GeoDataFrame:
    """The warnings layer: one point per graded address, with its grade, channels and time span."""
    if events is None or events.empty or not rules.grades or "reported_at" not in events:
        return gpd.GeoDataFrame(columns=COLUMNS, geometry=[], crs=houses.crs)
    wanted = set(rules.warning_channels) or set(events["channel"].dropna())
    frame = events[events["house_id"].notna() & events["channel"].isin(wanted) & events["reported_at"].notna()]
    frame = frame.assign(_t=pd.to_datetime(frame["reported_at"])).sort_values(["house_id", "_t"], kind="stable")
    house = frame["house_id"].to_numpy(dtype=object)
    times = frame["_t"].to_numpy().astype("datetime64[s]")
    channels = frame["channel"].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, house[1:] != house[:-1]]) if len(house) else np.array([], dtype=int)
    ends = np.r_[starts[1:], len(house)]
    # only houses with enough signals from enough channels can reach any grade
    distinct = frame.groupby("house_id", sort=False)["channel"].nunique().reindex(house[starts]).to_numpy()
    least_signals = min(g.min_signals for g in rules.grades)
    least_channels = min(g.min_channels for g in rules.grades)
    window = np.timedelta64(int(rules.warning_window_days * 86400), "s")
    rows = []
    for a, b, n in zip(starts, ends, distinct):
        if b - a >= least_signals and n >= least_channels:
            best = _best_window(times[a:b], channels[a:b], window, rules)
            if best is not None:
                rows.append((house[a], *best))
    return _layer(rows, houses)


def _layer(rows, houses) -> gpd.GeoDataFrame:
    houses = houses.set_index("house_id")
    if not rows:
        return gpd.GeoDataFrame(columns=COLUMNS, geometry=[], crs=houses.crs)
    ids = [r[0] for r in rows]
    grade = [GRADES[r[1]] for r in rows]
    routes = {"major": ("street leadership", "报街道领导"), "urgent": ("on-site dispatch", "现场处置"),
              "routine": ("grid platform", "网格平台")}
    first = pd.to_datetime([r[4] for r in rows])
    last = pd.to_datetime([r[5] for r in rows])
    layer = pd.DataFrame({
        "house_id": ids, "address": houses.loc[ids, "address"].to_numpy() if "address" in houses else None,
        "grade": grade, "grade_zh": [PALETTE["grades"][g]["zh"] for g in grade],
        "signals": [r[2] for r in rows], "channel_count": [len(r[3]) for r in rows],
        "channels": [", ".join(sorted(r[3])) for r in rows],
        "first_at": first, "last_at": last, "span_days": ((last - first).total_seconds() / 86400).round(1),
        "route_en": [routes[g][0] for g in grade], "route_zh": [routes[g][1] for g in grade],
    })
    for column in ZONE_COLUMNS:
        layer[column] = houses.loc[ids, column].to_numpy() if column in houses else None
    points = shapely.point_on_surface(houses.loc[ids].geometry.to_numpy())
    layer = gpd.GeoDataFrame(layer, geometry=points, crs=houses.crs)
    return layer.sort_values(["grade", "signals"], key=lambda s: s.map(GRADES.index) if s.name == "grade" else s,
                             ascending=False, ignore_index=True)
