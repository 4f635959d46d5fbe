"""Do red houses really have more trouble?  Score with what was known before a date, count what came after.

The houses are scored with the events up to the date (counts, decay, open events and converging signals
see nothing later; people and units are taken as they are now, since registers carry no move-in dates);
the events from the date to the latest one are then counted per house.  Reported: events per house per
level and the lift of red and yellow over green, the precision of the red list (the share of red houses
that had an event) and of a list as long as the grid workers' weekly visits, the area under the ROC
curve of the score; per channel, per grid and per converging-signal grade as well.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from ..options import OPTIONS
from .palette import PALETTE
from .rules import GRADES

LEVELS = ("red", "yellow", "green")
NO_WARNING = "none"


@dataclass
class BacktestOptions:
    backtest_days: int = OPTIONS["backtest_days"].default     # 0: no back-test
    visits_per_grid: int = OPTIONS["visits_per_grid"].default
    date: object = None          # the date to score on; default: backtest_days before the latest event

    def date_for(self, latest: pd.Timestamp) -> pd.Timestamp | None:
        if self.date is not None:
            return pd.Timestamp(self.date)
        return latest - pd.Timedelta(days=self.backtest_days) if self.backtest_days else None


@dataclass
class Backtest:
    date: pd.Timestamp
    horizon_days: int
    levels: pd.DataFrame       # per level: houses, houses with an event after, events after, per house, lift
    channels: pd.DataFrame     # per channel: the same lift of red over green, and the AUC
    grids: pd.DataFrame        # per grid: red houses, their precision, events after
    grades: pd.DataFrame       # per converging-signal grade on the date (and none): events after, lift over none
    auc: float
    visits: int                # the weekly visits' list length (visits per grid × grids)
    visits_precision: float    # share of the visits' list (highest scores) with an event after

    @property
    def lift(self) -> float:
        return float(self.levels.set_index("level").loc["red", "lift"])

    @property
    def summary(self) -> pd.DataFrame:
        """One row: the figures a command centre quotes."""
        levels = self.levels.set_index("level")
        return pd.DataFrame([{
            "date": f"{self.date:%Y-%m-%d}", "horizon_days": self.horizon_days,
            "lift_red": levels.loc["red", "lift"], "lift_yellow": levels.loc["yellow", "lift"],
            "red_precision": levels.loc["red", "with_event_share"], "visits": self.visits,
            "visits_precision": self.visits_precision, "auc": round(self.auc, 4)}])

    @property
    def tables(self) -> dict:
        """The back-test's tables of the result file."""
        return {"backtest": self.summary, "backtest_levels": self.levels, "backtest_channels": self.channels,
                "backtest_grades": self.grades, "backtest_grids": self.grids}

    def text(self) -> str:
        red = self.levels.set_index("level").loc["red"]
        lines = [f"back-test 回测: scored with what was known on {self.date:%Y-%m-%d}, events in the "
                 f"{self.horizon_days} days after 以该日前数据评分，统计其后 {self.horizon_days} 天事件"]
        for row in self.levels.itertuples():
            lines.append(f"  {row.level:<6} {row.houses:>6,} houses 房屋  {row.events_after:>6,} events 事件  "
                         f"{row.per_house:6.2f} per house 每户  lift 提升 {row.lift:5.2f}×")
        lines.append(f"  red list precision 红色名单命中率 {red['with_event_share']:.1%} "
                     f"(red houses with an event after 红色房屋中其后发生事件的比例); "
                     f"weekly visits 每周走访 {self.visits:,} houses 户: {self.visits_precision:.1%}; "
                     f"AUC of the score 评分区分度 {self.auc:.3f}")
        for row in self.grades.itertuples():
            lines.append(f"  warning 预警 {row.grade:<8} {row.houses:>6,} houses 房屋  {row.per_house:6.2f} per house "
                         f"每户  lift over none 较无预警 {row.lift:5.2f}×")
        return "\n".join(lines)


def auc(score: np.ndarray, had_event: np.ndarray) -> float:
    """The area under the ROC curve: the chance a house that had an event scores above one that had none."""
    positives = int(had_event.sum())
    negatives = len(had_event) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[had_event].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def backtest(columns: pd.DataFrame, houses: pd.DataFrame, events: pd.DataFrame, date, warnings=None,
             visits_per_grid: int = OPTIONS["visits_per_grid"].default) -> Backtest:
    """``columns``: the scores (by house_id) made with what was known on ``date``; ``events``: every matched
    event, before and after; ``warnings``: the converging-signal warnings as they stood on ``date``."""
    date = pd.Timestamp(date)
    when = pd.to_datetime(events["reported_at"])
    latest = when.max()
    after = events[(when > date) & events["house_id"].notna()]
    codes = pd.Index(columns.index).get_indexer(after["house_id"])
    after, codes = after[codes >= 0], codes[codes >= 0]
    frame = columns[["risk_score", "risk_level"]].copy()
    frame["grid_id"] = houses.set_index("house_id")["grid_id"].reindex(frame.index).to_numpy() \
        if "grid_id" in houses else "—"
    frame["events_after"] = np.bincount(codes, minlength=len(frame))
    score, had_event = frame["risk_score"].to_numpy(), frame["events_after"].to_numpy() > 0
    visits = min(visits_per_grid * max(frame["grid_id"].nunique(), 1), len(frame))
    top = np.argsort(-score, kind="stable")[:visits]
    return Backtest(date, int((latest - date).days), _by_level(frame), _by_channel(frame, after, codes),
                    _by_grid(frame), _by_grade(frame, warnings), auc(score, had_event), visits,
                    round(float(had_event[top].mean()), 4) if visits else float("nan"))


def _by_level(frame: pd.DataFrame, key: str = "risk_level", order=LEVELS, base: str = "green") -> pd.DataFrame:
    """Per level (or grade): houses, houses with an event after, events after, per house, lift over ``base``."""
    grouped = frame.groupby(key)["events_after"]
    table = pd.DataFrame({"houses": grouped.size(), "with_event": grouped.apply(lambda e: int((e > 0).sum())),
                          "events_after": grouped.sum()}).reindex(list(order), fill_value=0).astype(int)
    houses = table["houses"].where(table["houses"] > 0)
    table["per_house"] = (table["events_after"] / houses).round(4)
    table["with_event_share"] = (table["with_event"] / houses).round(4)
    reference = table.loc[base, "per_house"]
    table["lift"] = (table["per_house"] / reference).round(3) if reference and reference == reference else np.nan
    return table.rename_axis("level" if key == "risk_level" else "grade").reset_index()


def _by_channel(frame, after, codes) -> pd.DataFrame:
    rows = []
    for channel in sorted(after["channel"].dropna().unique()):
        mine = (after["channel"] == channel).to_numpy()
        counted = frame.assign(events_after=np.bincount(codes[mine], minlength=len(frame)))
        by_level = _by_level(counted).set_index("level")
        rows.append({"channel": channel, "events_after": int(mine.sum()),
                     "lift_red": by_level.loc["red", "lift"], "lift_yellow": by_level.loc["yellow", "lift"],
                     "auc": round(auc(counted["risk_score"].to_numpy(), counted["events_after"].to_numpy() > 0), 4)})
    return pd.DataFrame(rows, columns=["channel", "events_after", "lift_red", "lift_yellow", "auc"])


def _by_grid(frame) -> pd.DataFrame:
    red = frame["risk_level"].eq("red")
    table = pd.DataFrame({"houses": frame.groupby("grid_id").size(), "red": red.groupby(frame["grid_id"]).sum(),
                          "red_with_event": (red & (frame["events_after"] > 0)).groupby(frame["grid_id"]).sum(),
                          "events_after": frame.groupby("grid_id")["events_after"].sum()}).astype(int)
    table["red_precision"] = (table["red_with_event"] / table["red"].where(table["red"] > 0)).round(4)
    return table.rename_axis("grid_id").reset_index()


def _by_grade(frame, warnings) -> pd.DataFrame:
    """Did the warnings standing on the date precede more events?  Per grade, against houses with none."""
    grade = pd.Series(NO_WARNING, index=frame.index, dtype=object)
    if warnings is not None and len(warnings):
        graded = warnings.set_index("house_id")["grade"]
        grade.loc[graded.index.intersection(frame.index)] = graded
    return _by_level(frame.assign(grade=grade), "grade", (*reversed(GRADES), NO_WARNING), NO_WARNING)


def level_bars(levels: pd.DataFrame, width: int = 300) -> str:
    """Events per house after the date, one bar per level in its colour, with the lift (the page and the
    cockpit draw the same bars from the ``backtest_levels`` table)."""
    top = max(float(levels["per_house"].max() or 0), 1e-9)
    return "".join(
        f'<div><span style="display:inline-block;width:70px">{escape(PALETTE["levels"][r.level]["zh"])} '
        f'{escape(r.level)}</span><svg width="{width + 20}" height="16"><rect width="{width * r.per_house / top:.0f}" '
        f'height="14" fill="{PALETTE["levels"][r.level]["color"]}"/></svg> {r.per_house:.2f} · {r.lift:.2f}×</div>'
        for r in levels.itertuples())


def page(result: Backtest) -> str:
    """The back-test as a small page for the command centre."""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>gridgov back-test 回测</title></head>"
            f"<body style='font-family: \"WenQuanYi Micro Hei\", sans-serif'><h2>回测 Back-test</h2>"
            f"<p>{escape(result.text()).replace(chr(10), '<br>')}</p>"
            f"<h3>每户其后事件 Events per house after {result.date:%Y-%m-%d}</h3>{level_bars(result.levels)}</body></html>")
