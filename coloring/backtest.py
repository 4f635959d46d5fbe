"""Do red houses really have more trouble?  Score with what was known before a date, count what came after.

The houses are scored with the events up to the date (the join's reference time is set to it, so counts
and decay see nothing later); the events in the following horizon are then counted per house.  Reported:
events per house per level and the lift of red and yellow over green, the precision of the red list (the
share of red houses that had an event), and the area under the ROC curve of the score; per channel and
per grid as well.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import rankdata

LEVELS = ("red", "yellow", "green")


@dataclass
class Backtest:
    date: pd.Timestamp
    horizon_days: int
    levels: pd.DataFrame       # per level: houses, houses with an event after, events after, per house, lift
    channels: pd.DataFrame     # per channel: the same lift of red over green, and the AUC
    grids: pd.DataFrame        # per grid: red houses, their precision, events after
    auc: float

    @property
    def lift(self) -> float:
        return float(self.levels.set_index("level").loc["red", "lift"])

    def text(self) -> str:
        red = self.levels.set_index("level").loc["red"]
        lines = [f"back-test 回测: scored with what was known on {self.date:%Y-%m-%d}, events in the "
                 f"{self.horizon_days} days after 以该日前数据评分，统计其后 {self.horizon_days} 天事件"]
        for row in self.levels.itertuples():
            lines.append(f"  {row.level:<6} {row.houses:>6,} houses 房屋  {row.events_after:>6,} events 事件  "
                         f"{row.per_house:6.2f} per house 每户  lift 提升 {row.lift:5.2f}×")
        lines.append(f"  red list precision 红色名单命中率 {red['with_event_share']:.1%} "
                     f"(red houses with an event after 红色房屋中其后发生事件的比例); "
                     f"AUC of the score 评分区分度 {self.auc:.3f}")
        return "\n".join(lines)


def auc(score: np.ndarray, had_event: np.ndarray) -> float:
    """The area under the ROC curve: the chance a house that had an event scores above one that had none."""
    positives = int(had_event.sum())
    negatives = len(had_event) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[had_event].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def backtest(columns: pd.DataFrame, houses: pd.DataFrame, events: pd.DataFrame, date, horizon_days: int) -> Backtest:
    """``columns``: the scores (by house_id) made with what was known on ``date``; ``events``: every matched
    event, before and after."""
    date = pd.Timestamp(date)
    when = pd.to_datetime(events["reported_at"])
    after = events[(when > date) & (when <= date + pd.Timedelta(days=horizon_days)) & events["house_id"].notna()]
    frame = columns[["risk_score", "risk_level"]].copy()
    frame["grid_id"] = houses.set_index("house_id")["grid_id"].reindex(frame.index).to_numpy() \
        if "grid_id" in houses else None
    frame["events_after"] = after.groupby("house_id").size().reindex(frame.index, fill_value=0)
    levels = _by_level(frame)
    channels = []
    for channel, rows in after.groupby("channel"):
        counted = frame.assign(events_after=rows.groupby("house_id").size().reindex(frame.index, fill_value=0))
        by_level = _by_level(counted).set_index("level")
        channels.append({"channel": channel, "events_after": int(counted["events_after"].sum()),
                         "lift_red": by_level.loc["red", "lift"], "lift_yellow": by_level.loc["yellow", "lift"],
                         "auc": auc(counted["risk_score"].to_numpy(), counted["events_after"].to_numpy() > 0)})
    grids = frame.groupby("grid_id").apply(lambda g: pd.Series({
        "houses": len(g), "red": int((g["risk_level"] == "red").sum()),
        "red_with_event": int(((g["risk_level"] == "red") & (g["events_after"] > 0)).sum()),
        "events_after": int(g["events_after"].sum())}), include_groups=False).reset_index()
    return Backtest(date, horizon_days, levels, pd.DataFrame(channels), grids,
                    auc(frame["risk_score"].to_numpy(), frame["events_after"].to_numpy() > 0))


def _by_level(frame: pd.DataFrame) -> pd.DataFrame:
    grouped = frame.groupby("risk_level")["events_after"]
    table = pd.DataFrame({"houses": grouped.size(), "with_event": grouped.apply(lambda e: int((e > 0).sum())),
                          "events_after": grouped.sum()}).reindex(list(LEVELS), fill_value=0)
    table["per_house"] = (table["events_after"] / table["houses"].where(table["houses"] > 0)).round(4)
    table["with_event_share"] = (table["with_event"] / table["houses"].where(table["houses"] > 0)).round(4)
    green = table.loc["green", "per_house"]
    table["lift"] = (table["per_house"] / green).round(3) if green and green == green else np.nan
    return table.rename_axis("level").reset_index()


def page(result: Backtest) -> str:
    """The back-test as a small page for the command centre: bars of events per house per level."""
    from html import escape

    from .palette import PALETTE

    top = max(float(result.levels["per_house"].max() or 0), 1e-9)
    bars = "".join(
        f'<div><span style="display:inline-block;width:70px">{escape(PALETTE["levels"][r.level]["zh"])}</span>'
        f'<svg width="320" height="16"><rect width="{300 * r.per_house / top:.0f}" height="14" '
        f'fill="{PALETTE["levels"][r.level]["color"]}"/></svg> {r.per_house:.2f} · {r.lift:.2f}×</div>'
        for r in result.levels.itertuples())
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>gridgov back-test 回测</title></head>"
            f"<body style='font-family: \"WenQuanYi Micro Hei\", sans-serif'><h2>回测 Back-test</h2>"
            f"<p>{escape(result.text()).replace(chr(10), '<br>')}</p>"
            f"<h3>每户其后事件 Events per house after {result.date:%Y-%m-%d}</h3>{bars}</body></html>")
