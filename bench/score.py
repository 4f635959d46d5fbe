"""Benchmark: score 100,000 houses (target: at most 2 s), against a per-house Python loop; back-test them
with 1,000,000 events (target: at most 10 s), against a second join at the date.

    .venv/bin/python bench/score.py [--houses 100000] [--events 1000000]

The street is the demo generator's at that many houses, joined once (not timed);
scoring and converging signals are timed, and the same scores are computed by a
plain loop over houses on a sample, in the same run.  The back-test (recount as
of the date, score, warnings, events after) is timed against the obvious way:
joining the street again with the date as reference time, then scoring.
"""
from __future__ import annotations

import argparse
import math
import resource
import time

import pandas as pd

from gridgov.coloring.backtest import BacktestOptions
from gridgov.coloring.rules import load_rules
from gridgov.coloring.score import score_houses
from gridgov.coloring.signals import converging_signals
from gridgov.demo import build_demo
from gridgov.demo.records import EVENT_YEARS
from gridgov.grid_tools.join import join_street
from gridgov.grid_tools.options import JoinOptions
from gridgov.layers import Street
from gridgov.layers.report import Report
from gridgov.pipeline import backtest_street

BASE_HOUSES = 2357


def naive_score(house: dict, events: list, rules, reference) -> float:
    """The same model written house by house, as a script would."""
    f = rules.factors
    total = 0.0
    people, floating = house.get("people", 0), house.get("floating", 0)
    if people >= f["floating_share"].get("min_people", 1) and people and floating / people > f["floating_share"]["threshold"]:
        t = f["floating_share"]["threshold"]
        total += min(f["floating_share"]["cap"], f["floating_share"]["weight"] * (floating / people - t) / (1 - t))
    most = house.get("max_renters_in_room", 0)
    if most > f["crowded_rental"]["threshold"]:
        total += min(f["crowded_rental"]["cap"], f["crowded_rental"]["weight"] * (most - f["crowded_rental"]["threshold"]))
    for name, column in (("elderly_alone", "elderly_alone"), ("under_care", "under_care"),
                         ("open_events", "events_open"), ("fire_alarms", "alarms_recent")):
        total += min(f[name]["cap"], f[name]["weight"] * house.get(column, 0))
    decayed = 0.0
    for event in events:
        age = (reference - event["reported_at"]).total_seconds() / 86400
        weight = f["events"]["channels"].get(event["channel"], 1.0)
        if 0 <= age <= 365 and weight > 0:
            decayed += weight * math.pow(0.5, age / f["events"]["half_life_days"])
    total += min(f["events"]["cap"], f["events"]["weight"] * decayed)
    if house.get("units_prepaid", 0) > 0:
        complaints = house.get("events_12345", 0) + house.get("events_96315", 0)
        total += min(f["prepaid_complaints"]["cap"], f["prepaid_complaints"]["weight"] * complaints)
    height = house.get("height_m", 0)
    if height >= f["building_height"]["super_high_rise_m"]:
        total += f["building_height"]["super_weight"]
    elif height >= f["building_height"]["high_rise_m"]:
        total += f["building_height"]["weight"]
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--houses", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2000)
    args = parser.parse_args()
    scale = args.houses / BASE_HOUSES
    demo = build_demo("xiaohe", scale=scale, totals={"residents": 160_000, "floating": 40_000, "units": 20_000,
                                                     "events": args.events // EVENT_YEARS, "sensors": 5_000})
    layers = {k: v.to_crs(4549) for k, v in demo.layers.items()}
    joined = join_street(Street("bench", layers["houses"].crs, layers, Report()))
    events = joined.matched("events")
    rules = load_rules()
    started = time.perf_counter()
    scores = score_houses(joined.houses, events, rules, joined.reference_time)
    scored = time.perf_counter() - started
    started = time.perf_counter()
    warnings = converging_signals(events, joined.houses, rules)
    signalled = time.perf_counter() - started

    sample = joined.houses.sample(min(args.sample, len(joined.houses)), random_state=1)
    by_house = {h: g.to_dict("records") for h, g in events[events["house_id"].isin(sample["house_id"])]
                .assign(reported_at=lambda e: pd.to_datetime(e["reported_at"])).groupby("house_id")}
    started = time.perf_counter()
    naive = [naive_score(h, by_house.get(h["house_id"], []), rules, joined.reference_time)
             for h in sample.drop(columns="geometry").to_dict("records")]
    per_house = (time.perf_counter() - started) / len(sample)
    ours = scores.columns.loc[sample["house_id"], "risk_score"].to_numpy()
    agree = sum(abs(a - b) <= 0.1 * 9 for a, b in zip(ours, naive)) / len(naive)   # 9 factors rounded to 0.1

    street = Street("bench", layers["houses"].crs, layers, Report())
    options = BacktestOptions()
    started = time.perf_counter()
    tested = backtest_street(joined, rules, options, JoinOptions())
    backtested = time.perf_counter() - started
    date = options.date_for(joined.reference_time)
    started = time.perf_counter()
    again = join_street(street, JoinOptions(reference_time=date))
    then = again.matched("events")
    score_houses(again.houses, then[pd.to_datetime(then["reported_at"]) <= date], rules, date)
    rejoined = time.perf_counter() - started

    levels = scores.columns["risk_level"].value_counts(normalize=True)
    print(f"houses {len(scores.columns):,}, events {len(events):,}")
    print(f"score_houses: {scored:.2f} s (target 2 s); converging signals: {signalled:.2f} s, "
          f"{len(warnings):,} warnings")
    print(f"per-house Python loop: {per_house * 1e6:.0f} µs a house on {len(sample):,} houses "
          f"(about {per_house * len(scores.columns):.1f} s for all) -> ratio {per_house * len(scores.columns) / scored:.0f}x; "
          f"same score on {agree:.1%} of the sample")
    print(f"back-test from {date:%Y-%m-%d}: {backtested:.2f} s (target 10 s); joining again at the date and scoring: "
          f"{rejoined:.2f} s -> ratio {rejoined / backtested:.1f}x; red lift {tested.lift:.2f}x, AUC {tested.auc:.3f}")
    print("levels: " + ", ".join(f"{lv} {levels.get(lv, 0):.1%}" for lv in ("red", "yellow", "green")))
    print(f"peak memory of the whole run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")


if __name__ == "__main__":
    main()
