"""Score every house, give it a level and the reasons, in Chinese and English.

A house's risk_score is exactly the sum of the points in its reasons: each
reason ends with its contribution, and nothing else counts.  Triggers can raise
the level (never the score) and say so in risk_trigger.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .factors import COMPUTE
from .rules import FACTORS, LEVELS, Rules, load_rules

LEVEL_ZH = {"green": "绿色", "yellow": "黄色", "red": "红色"}


@dataclass
class Scores:
    columns: pd.DataFrame          # by house_id: risk_score, risk_level, risk_reasons(_en), risk_trigger
    points: pd.DataFrame           # house × factor: the points (sum over columns = risk_score)
    values: pd.DataFrame           # house × factor: the factor's value
    reasons: pd.DataFrame          # long: house_id, factor, points, zh, en
    rules: Rules
    addresses: pd.Series           # by house_id, for the explanation's first line
    cutoffs: pd.DataFrame = None   # the cut-offs in force, per street or defense zone, and the shares they gave
    cut: pd.DataFrame = None       # by house_id: the yellow and red cut-offs that applied to the house

    def explain(self, house_id: str) -> str:
        """Every factor's value and points for one house, and how the level came about."""
        if house_id not in self.columns.index:
            raise KeyError(f"no house {house_id!r}")
        row = self.columns.loc[house_id]
        points, values = self.points.loc[house_id], self.values.loc[house_id]
        cut = self.cut.loc[house_id]
        lines = [f"{house_id} {self.addresses.get(house_id, '')}",
                 f"risk_score {row['risk_score']:g} → {row['risk_level']} {LEVEL_ZH[row['risk_level']]} "
                 f"(yellow ≥ {cut['yellow']:g}, red ≥ {cut['red']:g})"]
        for factor in points.index:
            lines.append(f"  {factor:<20} value {values[factor]:>8.3g}   points {points[factor]:>6.1f}")
        lines.append(f"  {'sum':<20} {'':>14}   points {points.sum():>6.1f}")
        if row.get("risk_trigger"):
            lines.append(f"  trigger: {row['risk_trigger']}")
        return "\n".join(lines)


def score_houses(houses, events=None, rules: Rules | None = None, reference=None) -> Scores:
    """Score joined houses (the join's counts), with matched events for time decay."""
    rules = rules or load_rules()
    reference = pd.Timestamp(reference) if reference is not None else _latest(events)
    ids = houses["house_id"].to_numpy()
    points, values, long_rows = {}, {}, []
    for name, params in rules.factors.items():
        computed = COMPUTE[name](houses, events, params, reference)
        rounded = computed["points"].round(1)
        points[name], values[name] = rounded.to_numpy(), computed["value"].to_numpy(dtype=float)
        scoring = rounded > 0
        if scoring.any():
            long_rows.append(_reason_rows(name, computed[scoring], rounded[scoring], ids[scoring.to_numpy()]))
    points = pd.DataFrame(points, index=ids)
    values = pd.DataFrame(values, index=ids)
    reasons = pd.concat(long_rows, ignore_index=True) if long_rows else \
        pd.DataFrame(columns=["house_id", "factor", "points", "zh", "en"])
    score = points.sum(axis=1).round(1)
    groups = _groups(houses, rules)
    cut = _cut_offs(score, groups, rules)
    level = np.select([score >= cut["red"], score >= cut["yellow"]], ["red", "yellow"], "green").astype(object)
    level, trigger = _apply_triggers(level, values, rules)
    joined = _joined_reasons(reasons, ids)
    columns = pd.DataFrame({"risk_score": score.to_numpy(), "risk_level": level,
                            "risk_reasons": joined["zh"].to_numpy(), "risk_reasons_en": joined["en"].to_numpy(),
                            "risk_trigger": trigger}, index=pd.Index(ids, name="house_id"))
    addresses = pd.Series(houses["address"].to_numpy() if "address" in houses else "", index=ids)
    return Scores(columns, points, values, reasons, rules, addresses, _cut_off_table(groups, cut, level), cut)


def _groups(houses, rules: Rules) -> np.ndarray:
    """Which calibration group each house is in: the street, or its defense zone."""
    if rules.per == "defense_zone" and "defense_zone_id" in houses:
        return houses["defense_zone_id"].fillna("—").astype(str).to_numpy()
    return np.full(len(houses), "street", dtype=object)


def _cut_offs(score: pd.Series, groups: np.ndarray, rules: Rules) -> pd.DataFrame:
    """By house: the yellow and red cut-offs that apply to it.  Fixed scores (by = "score"), or, by share,
    the scores that put the given shares of the group's houses above them (ties at a cut-off go up
    together); a house with no points is never coloured."""
    if rules.by == "score":
        return pd.DataFrame({"yellow": rules.yellow, "red": rules.red}, index=score.index)
    cut = pd.DataFrame({"yellow": np.inf, "red": np.inf}, index=score.index)
    for group in pd.unique(groups):
        mine = groups == group
        ranked = np.sort(score.to_numpy()[mine])[::-1]
        lowest_positive = ranked[ranked > 0].min() if (ranked > 0).any() else np.inf
        for level, share in (("red", rules.red), ("yellow", rules.red + rules.yellow)):
            nth = max(int(np.ceil(share * len(ranked))), 1) - 1
            cut.loc[mine, level] = max(ranked[nth], lowest_positive)
    return cut


def _cut_off_table(groups: np.ndarray, cut: pd.DataFrame, level: np.ndarray) -> pd.DataFrame:
    """Per calibration group: the cut-offs in force and the shares of houses they gave (triggers included)."""
    frame = pd.DataFrame({"group": groups, "yellow_cut": cut["yellow"].to_numpy(), "red_cut": cut["red"].to_numpy(),
                          "level": level})
    table = frame.groupby("group", sort=True).agg(houses=("level", "size"), yellow_cut=("yellow_cut", "first"),
                                                  red_cut=("red_cut", "first"))
    for name in ("red", "yellow", "green"):
        table[f"{name}_share"] = frame.groupby("group")["level"].apply(lambda v, n=name: round(float((v == n).mean()), 4))
    return table.reset_index()


def factor_influence(scores: Scores) -> pd.DataFrame:
    """What each factor does to the red list: the red houses (by score) that its points alone keep red, as
    a count and a share of the red houses, beside how many houses it scores at all and its mean points."""
    score = scores.points.sum(axis=1)
    red_by_score = score >= scores.cut["red"]
    rows = []
    for factor in scores.points.columns:
        points = scores.points[factor]
        relying = red_by_score & (score - points < scores.cut["red"])
        rows.append({"factor": factor, "houses_scored": int((points > 0).sum()), "mean_points": round(float(points.mean()), 2),
                     "red_relying": int(relying.sum()),
                     "red_relying_share": round(float(relying.sum() / max(red_by_score.sum(), 1)), 4)})
    return pd.DataFrame(rows).sort_values("red_relying", ascending=False, kind="stable").reset_index(drop=True)


def _latest(events) -> pd.Timestamp:
    if events is not None and "reported_at" in events and events["reported_at"].notna().any():
        return pd.to_datetime(events["reported_at"]).max()
    return pd.Timestamp.now().floor("s")


def _reason_rows(name, computed, points, ids) -> pd.DataFrame:
    """One row per scoring house: the factor's reason texts, ending with the points."""
    template = FACTORS[name]
    fields = computed.drop(columns=["value", "points"]).to_dict("records")
    zh = [template["zh"].format(**f) + f"（+{p:g}）" for f, p in zip(fields, points)]
    en = [template["en"].format(**f) + f" (+{p:g})" for f, p in zip(fields, points)]
    return pd.DataFrame({"house_id": ids, "factor": name, "points": points.to_numpy(), "zh": zh, "en": en})


def _joined_reasons(reasons: pd.DataFrame, ids) -> pd.DataFrame:
    """All of a house's reasons, biggest contribution first, in one string per language."""
    if reasons.empty:
        return pd.DataFrame({"zh": "", "en": ""}, index=ids)
    ordered = reasons.sort_values(["house_id", "points"], ascending=[True, False], kind="stable")
    house = ordered["house_id"].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, house[1:] != house[:-1]])
    bounds = zip(starts, np.r_[starts[1:], len(house)])
    zh, en = ordered["zh"].tolist(), ordered["en"].tolist()
    joined = [("；".join(zh[a:b]), "; ".join(en[a:b])) for a, b in bounds]
    return pd.DataFrame(joined, index=house[starts], columns=["zh", "en"]).reindex(ids).fillna("")


def _apply_triggers(level, values, rules: Rules):
    rank = {name: i for i, name in enumerate(LEVELS)}
    level = level.copy()
    trigger = np.full(len(level), "", dtype=object)
    for rule in rules.triggers:
        hit = (values[rule.factor] >= rule.at_least).to_numpy()
        raise_ = hit & (pd.Series(level).map(rank).to_numpy() < rank[rule.level])
        level[raise_] = rule.level
        text = f"{FACTORS[rule.factor]['value']} ≥ {rule.at_least:g} → {rule.level}"
        trigger[raise_] = np.where(trigger[raise_] == "", text, trigger[raise_] + "; " + text)
    return level, trigger


def summarise(houses, by: str) -> pd.DataFrame:
    """Red, yellow and green houses per zone, with shares."""
    counts = houses.groupby(by)["risk_level"].value_counts().unstack(fill_value=0)
    counts = counts.reindex(columns=list(reversed(LEVELS)), fill_value=0)
    total = counts.sum(axis=1)
    for level in reversed(LEVELS):
        counts[f"{level}_share"] = (counts[level] / total).round(4)
    counts.insert(0, "houses", total)
    return counts.reset_index()
