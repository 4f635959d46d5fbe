"""Benchmark: the closed loop's statistics for 1,000,000 events (target: at most 3 s), against a per-group
pandas loop in the same run, with peak memory.

    .venv/bin/python bench/closed_loop.py [--events 1000000]

The events are drawn as an export has them (channels, categories, zones, stage times, open ones), two
years long; the reference computes the same per-zone figures group by group, as a script would.
"""
from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from gridgov.grid_tools.closed_loop import closed_loop, load_loop_rules

CATEGORIES = ["噪音扰民", "违章搭建", "盗窃", "烟感报警", "矛盾纠纷", "预付卡退费", "拖欠工资", "井盖缺失"]


def events(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    end = np.datetime64("2026-11-30T23:59:59")
    reported = end - rng.integers(0, 2 * 365 * 86400, n).astype("timedelta64[s]")
    minutes = lambda median, spread: (rng.lognormal(np.log(median), spread, n) * 60).astype("timedelta64[s]")  # noqa: E731
    dispatched = reported + minutes(12, 0.8)
    arrived = dispatched + minutes(20, 0.6)
    closed = arrived + minutes(2880, 0.9)
    is_open = rng.random(n) < 0.01
    return pd.DataFrame({
        "event_id": np.arange(n).astype(str), "channel": rng.choice(["grid", "12345", "110", "96315"], n),
        "category": rng.choice(CATEGORIES, n), "reported_at": reported, "dispatched_at": dispatched,
        "arrived_at": arrived, "closed_at": np.where(is_open, np.datetime64("NaT"), closed),
        "status": np.where(is_open, "open", "closed"),
        "resolved_level": np.where(is_open, None, rng.choice(["district", "street", "community"], n, p=[.1, .3, .6])),
        "grid_id": rng.choice([f"WG{i:03d}" for i in range(82)], n),
        "community_id": rng.choice([f"SQ{i:02d}" for i in range(11)], n),
        "patrol_zone_id": rng.choice([f"XQ{i:02d}" for i in range(12)], n),
        "defense_zone_id": rng.choice(["FQ1", "FQ2", "FQ3"], n)})


def per_group_loop(frame: pd.DataFrame, reference, rules) -> dict:
    """The same figures (every grouping, every stage), group by group, as a script would."""
    frame = frame.assign(month=frame["reported_at"].dt.strftime("%Y-%m"), all="street")
    stages = {name: stage["field"] for name, stage in rules.stages.items() if stage["field"] in frame}
    out = {}
    for key in ("all", "grid_id", "community_id", "patrol_zone_id", "defense_zone_id", "channel", "category", "month"):
        rows = []
        for value, group in frame.groupby(key):
            is_open = group["status"] == "open"
            age = (reference - group["reported_at"]).dt.total_seconds() / 86400
            row = {key: value, "events": len(group), "open": int(is_open.sum()),
                   "overdue": int((is_open & (age > rules.deadlines["default_days"])).sum())}
            for name, column in stages.items():
                minutes = ((group[column] - group["reported_at"]).dt.total_seconds() / 60).dropna()
                row[f"{name}_median_min"], row[f"{name}_p90_min"] = minutes.median(), minutes.quantile(0.9)
            rows.append(row)
        out[key] = pd.DataFrame(rows)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    frame = events(args.events)
    reference = frame["reported_at"].max()
    rules = load_loop_rules()
    started = time.perf_counter()
    loop = closed_loop(frame, reference, rules)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    theirs = per_group_loop(frame, reference, rules)
    naive = time.perf_counter() - started
    grid = loop.tables["loop_by_grid"].set_index("grid_id")
    check = theirs["grid_id"].set_index("grid_id")
    same = all(np.allclose(grid[column], check[column].round(1), atol=0.1)
               for column in check.columns if column.endswith("_min"))
    print(f"events {len(frame):,}: closed loop in {ours:.2f} s (target 3 s); {len(loop.tables)} tables")
    print(f"per-group pandas loop, the same groupings and stages: {naive:.2f} s -> ratio {naive / ours:.1f}x; "
          f"same per-grid medians and 90th percentiles: {same}")
    print(f"closure {loop.closure_rate:.2%}, overdue {int(loop.columns['overdue'].sum()):,}")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")


if __name__ == "__main__":
    main()
