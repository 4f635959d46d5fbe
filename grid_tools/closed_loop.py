"""The closed loop: how fast and how completely events are handled, and who should handle them.

Every event gets its route (command centre and office, by the words of its category: routing.toml)
and its stage times from the report (dispatched, on site, first reply, closed); an open event past its
category's deadline is overdue (closed_loop.toml).  Per grid, community, patrol and defense zone, per
channel, category and month: events a day, closure rate, open and overdue events, median and 90th
percentile of each stage; per stage, the share within its target; the shares by resolving level beside
the 1:3:6 target.  All grouped in pandas at once: a million events in a second or two.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..layers.errors import InputError
from ..layers.toml import read_toml
from ..resources import RESOURCES

ROUTING_FILE = RESOURCES / "routing.toml"
LOOP_FILE = RESOURCES / "closed_loop.toml"
ZONES = {"loop_by_grid": "grid_id", "loop_by_community": "community_id", "loop_by_patrol_zone": "patrol_zone_id",
         "loop_by_defense_zone": "defense_zone_id", "loop_by_channel": "channel", "loop_by_category": "category",
         "loop_by_month": "month"}


@dataclass
class LoopRules:
    stages: dict           # name → {field, target_minutes, zh, en}
    deadlines: dict        # default_days, by_category [{words, days}]
    levels: dict           # district / street / community → {target, zh, en}
    routes: list           # [{words, centre, office}], first match wins
    fallback: dict         # {centre, office}
    centres: dict = field(default_factory=dict)
    offices: dict = field(default_factory=dict)


def load_loop_rules(routing=None, rules=None) -> LoopRules:
    """The routing and closed-loop rules: gridgov's defaults, or the files given (checked: a wrong file
    is named with what is wrong, before any work)."""
    routing, rules = Path(routing or ROUTING_FILE), Path(rules or LOOP_FILE)
    route, loop = read_toml(routing), read_toml(rules)
    centres, offices = route.get("centres", {}), route.get("offices", {})
    for number, rule in enumerate(route.get("routes", []) + [dict(route.get("fallback", {}), words=["—"])], 1):
        problem = ("has no words" if not rule.get("words") else
                   f"names centre {rule.get('centre')!r}, not one of {', '.join(centres)}" if rule.get("centre") not in centres
                   else f"names office {rule.get('office')!r}, not one of {', '.join(offices)}"
                   if rule.get("office") not in offices else None)
        if problem:
            raise InputError(f"routing rule {number} (or [fallback]) {problem}", str(routing))
    for section in ("stages", "deadlines", "levels"):
        if section not in loop:
            raise InputError(f"no [{section}] section", str(rules))
    for name, stage in loop["stages"].items():
        if not isinstance(stage.get("target_minutes"), (int, float)) or not stage.get("field"):
            raise InputError(f"[stages.{name}] needs field and target_minutes (a number)", str(rules))
    return LoopRules(loop["stages"], loop["deadlines"], loop["levels"], route.get("routes", []), route["fallback"],
                     centres, offices)


@dataclass
class ClosedLoop:
    columns: pd.DataFrame       # by the events' index: route_centre, route_office, stage minutes, overdue
    tables: dict                # table name → DataFrame
    unrouted: list              # categories no rule covers (they took the fallback route)

    @property
    def closure_rate(self) -> float:
        return float(self.tables["loop_summary"]["closure_rate"].iloc[0])

    def text(self) -> str:
        """The loop in a few lines, Chinese and English."""
        summary = self.tables["loop_summary"].iloc[0]
        lines = [f"closed loop 闭环: {int(summary['events']):,} events 事件, {summary['per_day']:.1f} a day 每日, closed "
                 f"办结率 {summary['closure_rate']:.2%}, open 未办结 {int(summary['open']):,}, overdue 超期 "
                 f"{int(summary['overdue']):,}"]
        for row in self.tables["loop_stages"].itertuples():
            if row.events:
                lines.append(f"  {row.stage_zh} {row.stage:<9} median 中位 {row.median_min:8.1f} min, 90 % {row.p90_min:8.1f} "
                             f"min; within 达标 {row.target_min:g} min: {row.within_share:.1%}")
        levels = self.tables["loop_levels"]
        if levels["events"].sum():
            lines.append("  resolved at 化解层级: " + ", ".join(
                f"{r.level_zh} {r.share:.0%} (target 目标 {r.target:.0%})" for r in levels.itertuples()))
        if self.unrouted:
            lines.append(f"  categories no route covers 未配置分拨的类别: {', '.join(self.unrouted[:8])}")
        return "\n".join(lines)


def closed_loop(events: pd.DataFrame, reference, rules: LoopRules | None = None) -> ClosedLoop | None:
    """The loop of all events (matched to a house or not: handling needs no house); None without report
    times."""
    if events is None or events.empty or "reported_at" not in events or events["reported_at"].isna().all():
        return None
    rules = rules or load_loop_rules()
    reference = pd.Timestamp(reference)
    reported = pd.to_datetime(events["reported_at"])
    category = events["category"].astype("string").fillna("") if "category" in events else \
        pd.Series("", index=events.index, dtype="string")
    # routes and deadlines are decided once per distinct category (a street has dozens, not millions)
    codes, kinds = pd.factorize(category)
    kinds = pd.Series(kinds, dtype="string")
    centre, office, routed = (np.asarray(part)[codes] for part in _routes(kinds, rules))
    columns = pd.DataFrame({"route_centre": centre, "route_office": office}, index=events.index)
    for name, stage in rules.stages.items():
        if stage["field"] in events:
            columns[f"{name}_min"] = ((pd.to_datetime(events[stage["field"]]) - reported).dt.total_seconds() / 60).round(1)
    is_open = _open(events)
    deadline = _deadline_days(kinds, rules)[codes]
    columns["overdue"] = is_open & ((reference - reported).dt.total_seconds() / 86400 > deadline)
    frame = columns.assign(reported=reported, open=is_open, channel=events.get("channel"), category=category,
                           month=_months(reported),
                           **{key: events[key] for key in ("grid_id", "community_id", "patrol_zone_id", "defense_zone_id")
                              if key in events})
    days = max((reference - reported.min()).total_seconds() / 86400, 1.0)
    ranked = _ranked(frame, rules)
    tables = {"loop_summary": _group_stats(frame.assign(all="street"), "all", rules, days, ranked).drop(columns="all")}
    for name, key in ZONES.items():
        if key in frame and frame[key].notna().any():
            span = _spans(frame, key) if key == "month" else days
            tables[name] = _group_stats(frame, key, rules, span, ranked)
    tables["loop_recent"] = _recent(frame, reference, rules)
    tables["loop_stages"] = _stages(columns, rules)
    tables["loop_levels"] = _levels(events, rules)
    tables["routing"] = _routing_table(frame, routed, rules)
    unrouted = sorted(set(category[~routed & (category != "")]))
    return ClosedLoop(columns, tables, unrouted)


RECENT = (("today", "今日"), ("this_month", "本月"), ("all", "累计"))


def _recent(frame: pd.DataFrame, reference: pd.Timestamp, rules: LoopRules) -> pd.DataFrame:
    """The loop of the events reported on the reference day, in its month, and of all: the command centre's
    "today" and "this month" tiles."""
    day = reference.normalize()
    starts = {"today": day, "this_month": day.replace(day=1), "all": frame["reported"].min().normalize()}
    rows = []
    for period, period_zh in RECENT:
        part = frame[frame["reported"] >= starts[period]].assign(period=period)
        days = max((reference - starts[period]).total_seconds() / 86400, 1.0)
        if part.empty:
            stats = pd.DataFrame({"period": [period], "events": [0], "open": [0], "overdue": [0], "closed": [0]})
        else:
            stats = _group_stats(part, "period", rules, days, _ranked(part, rules))
        rows.append(stats.assign(period_zh=period_zh, since=starts[period].strftime("%Y-%m-%d")))
    return pd.concat(rows, ignore_index=True)


def _months(reported: pd.Series) -> pd.Series:
    """'2026-11' for each time, formatted once per distinct month."""
    number = (reported.dt.year * 100 + reported.dt.month).to_numpy()
    codes, months = pd.factorize(number)
    names = np.array([f"{m // 100:04d}-{m % 100:02d}" for m in months], dtype=object)
    return pd.Series(names[codes], index=reported.index)


def _spans(frame, key) -> pd.Series:
    """Days each group's reports span (at least one)."""
    bounds = frame.groupby(key)["reported"].agg(["min", "max"])
    return ((bounds["max"] - bounds["min"]).dt.total_seconds() / 86400).clip(lower=1.0)


def _routes(category: pd.Series, rules: LoopRules):
    """The command centre and office of each event: the first rule with one of its words in the category."""
    centre = pd.Series(rules.fallback["centre"], index=category.index, dtype=object)
    office = pd.Series(rules.fallback["office"], index=category.index, dtype=object)
    routed = pd.Series(False, index=category.index)
    for rule in rules.routes:
        hit = ~routed & category.str.contains("|".join(map(re.escape, rule["words"])), regex=True).fillna(False)
        centre[hit], office[hit], routed = rule["centre"], rule["office"], routed | hit
    return centre, office, routed.to_numpy(dtype=bool)


def _deadline_days(category: pd.Series, rules: LoopRules) -> np.ndarray:
    days = np.full(len(category), float(rules.deadlines["default_days"]))
    decided = np.zeros(len(category), dtype=bool)
    for rule in rules.deadlines.get("by_category", []):
        hit = ~decided & category.str.contains("|".join(map(re.escape, rule["words"])), regex=True).fillna(False).to_numpy()
        days[hit], decided = rule["days"], decided | hit
    return days


def _open(events) -> pd.Series:
    """Open: the status says so, or (without a status) no closing time."""
    if "status" in events:
        return events["status"].eq("open").fillna(False).astype(bool)
    if "closed_at" in events:
        return events["closed_at"].isna()
    return pd.Series(False, index=events.index)


def _group_stats(frame: pd.DataFrame, key: str, rules: LoopRules, days, ranked: dict) -> pd.DataFrame:
    """Per group: events, a day, closed, closure rate, open, overdue, and each stage's median and 90 %."""
    codes, groups = pd.factorize(frame[key], sort=True)
    present = codes >= 0
    count = np.bincount(codes[present], minlength=len(groups))
    table = pd.DataFrame({"events": count,
                          "open": np.bincount(codes[present], weights=frame["open"].to_numpy()[present], minlength=len(groups)),
                          "overdue": np.bincount(codes[present], weights=frame["overdue"].to_numpy()[present],
                                                 minlength=len(groups))}, index=pd.Index(groups, name=key))
    table["closed"] = table["events"] - table["open"]
    table["closure_rate"] = (table["closed"] / table["events"]).round(4)
    span = days.reindex(table.index).to_numpy() if isinstance(days, pd.Series) else days
    table["per_day"] = (table["events"] / span).round(2)
    for column, (order, values) in ranked.items():
        median, p90 = _group_quantiles(codes[order], values, len(groups), (0.5, 0.9))
        table[f"{column[:-4]}_median_min"], table[f"{column[:-4]}_p90_min"] = median.round(1), p90.round(1)
    table = table.astype({"events": int, "open": int, "overdue": int, "closed": int})
    return table.reset_index()


def _ranked(frame: pd.DataFrame, rules: LoopRules) -> dict:
    """Each stage column sorted once (its order and sorted values, gaps left out), for every grouping."""
    ranked = {}
    for name in rules.stages:
        column = f"{name}_min"
        if column in frame:
            values = frame[column].to_numpy(dtype=float)
            order = np.flatnonzero(~np.isnan(values))
            order = order[np.argsort(values[order], kind="stable")]
            ranked[column] = (order, values[order])
    return ranked


def _group_quantiles(codes: np.ndarray, values: np.ndarray, groups: int, quantiles) -> list:
    """Quantiles per group of values already sorted: a stable sort by group code keeps each group's values
    in order (a radix sort on small integers), then each quantile is read by position, interpolated as
    pandas does."""
    keep = codes >= 0
    codes, values = codes[keep], values[keep]
    by_group = np.argsort(codes.astype(np.int32 if groups > 65535 else np.uint16), kind="stable")
    values = values[by_group]
    count = np.bincount(codes, minlength=groups)
    start = np.r_[0, np.cumsum(count)[:-1]]
    results = []
    for q in quantiles:
        position = q * np.maximum(count - 1, 0)
        low = np.floor(position).astype(int)
        high = np.minimum(low + 1, np.maximum(count - 1, 0))
        fraction = position - low
        at = lambda offset: values[np.minimum(start + offset, len(values) - 1)] if len(values) else np.zeros(groups)  # noqa: E731
        result = at(low) + (at(high) - at(low)) * fraction
        results.append(np.where(count > 0, result, np.nan))
    return results


def _stages(columns: pd.DataFrame, rules: LoopRules) -> pd.DataFrame:
    rows = []
    for name, stage in rules.stages.items():
        minutes = columns[f"{name}_min"].dropna() if f"{name}_min" in columns else pd.Series(dtype=float)
        minutes = minutes[minutes >= 0]
        rows.append({"stage": name, "stage_zh": stage["zh"], "target_min": float(stage["target_minutes"]),
                     "events": int(len(minutes)),
                     "within_share": round(float((minutes <= stage["target_minutes"]).mean()), 4) if len(minutes) else None,
                     "median_min": round(float(minutes.median()), 1) if len(minutes) else None,
                     "p90_min": round(float(minutes.quantile(0.9)), 1) if len(minutes) else None})
    return pd.DataFrame(rows)


def _levels(events, rules: LoopRules) -> pd.DataFrame:
    """Events by the level that resolved them, beside the 1:3:6 target."""
    given = events["resolved_level"] if "resolved_level" in events else pd.Series(dtype=object)
    counts = given.value_counts()
    total = int(counts.reindex(list(rules.levels)).fillna(0).sum())
    return pd.DataFrame([{"level": name, "level_zh": level["zh"], "events": int(counts.get(name, 0)),
                          "share": round(counts.get(name, 0) / total, 4) if total else 0.0, "target": level["target"]}
                         for name, level in rules.levels.items()])


def _routing_table(frame, routed, rules: LoopRules) -> pd.DataFrame:
    table = frame.assign(routed=routed).groupby(["category", "route_centre", "route_office", "routed"]).size()
    table = table.rename("events").reset_index().sort_values("events", ascending=False, kind="stable")
    table["centre_zh"] = table["route_centre"].map(lambda c: rules.centres.get(c, {}).get("zh", c))
    table["office_zh"] = table["route_office"].map(lambda o: rules.offices.get(o, {}).get("zh", o))
    return table.reset_index(drop=True)
