"""Scores, levels, reasons and summaries."""
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gridgov.coloring.rules import load_rules
from gridgov.coloring.score import factor_influence, score_houses, summarise
from gridgov.grid_tools.join import join_street

REFERENCE = pd.Timestamp("2026-11-30")


def houses(**columns):
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({"house_id": [f"H{i}" for i in range(n)], "address": [f"小河路{i}号1幢" for i in range(n)],
                          "grid_id": ["G1"] * n, **columns})
    return gpd.GeoDataFrame(frame, geometry=[shapely.box(i * 30, 0, i * 30 + 20, 12) for i in range(n)], crs=4549)


def test_each_factor_and_its_reason():
    frame = houses(people=[10, 0, 0, 0, 0, 0], floating=[8, 0, 0, 0, 0, 0], renters=[0, 14, 0, 0, 0, 0],
                   renter_rooms=[0, 2, 0, 0, 0, 0], max_renters_in_room=[0, 12, 0, 0, 0, 0],
                   elderly_alone=[0, 0, 2, 0, 0, 0], under_care=[0, 0, 1, 0, 0, 0], alarms_recent=[0, 0, 0, 1, 0, 0],
                   units_prepaid=[0, 0, 0, 0, 1, 0], events_12345=[0, 0, 0, 0, 3, 0], events_96315=[0, 0, 0, 0, 1, 0],
                   height_m=[0, 0, 0, 0, 0, 120.0])
    scores = score_houses(frame, reference=REFERENCE).columns
    assert scores.loc["H0", "risk_reasons"] == "流动人口占80%（8/10人）（+20）"
    assert scores.loc["H0", "risk_reasons_en"] == "floating population 80% (8 of 10) (+20)"
    assert scores.loc["H1", "risk_reasons"].startswith("疑似群租：14名租户住2间，单间最多12人（+18）")
    assert scores.loc["H1", "risk_level"] == "red" and "most renters in one flat ≥ 12" in scores.loc["H1", "risk_trigger"]
    assert scores.loc["H2", "risk_reasons"] == "独居老人2人（+8）；重点人员1人（+8）"   # ties: rule-file order
    assert scores.loc["H3", "risk_level"] == "yellow" and scores.loc["H3", "risk_score"] == 10   # alarm trigger
    assert "预付式经营场所，投诉4起（+12）" in scores.loc["H4", "risk_reasons"]
    assert scores.loc["H5", "risk_reasons"] == "高层建筑120米（+12）"


def test_events_fade_with_age():
    events = pd.DataFrame({"house_id": ["H0", "H1"], "channel": ["grid", "grid"],
                           "reported_at": [REFERENCE, REFERENCE - pd.Timedelta(days=90)]})
    scores = score_houses(houses(people=[0, 0]), events, reference=REFERENCE)
    assert scores.points.loc["H0", "events"] == 2.0 and scores.points.loc["H1", "events"] == 1.0
    assert scores.columns["risk_reasons"].iloc[0] == "近期事件1起（grid×1）（+2）"


def test_score_is_exactly_the_sum_of_its_reasons(tiny_street):
    joined = join_street(tiny_street)
    scores = score_houses(joined.houses, joined.matched("events"), reference=joined.reference_time)
    houses = scores.columns
    from_reasons = houses["risk_reasons"].map(lambda text: sum(float(p) for p in re.findall(r"（\+([\d.]+)）", text)))
    assert (from_reasons.round(1) == houses["risk_score"]).all()
    assert (scores.points.sum(axis=1).round(1).to_numpy() == houses["risk_score"].to_numpy()).all()
    shares = houses["risk_level"].value_counts(normalize=True)
    assert set(shares.index) == {"red", "yellow", "green"}
    assert 0.005 < shares["red"] < 0.10 and 0.05 < shares["yellow"] < 0.35 and shares["green"] > 0.6


def test_levels_follow_the_cut_offs(tmp_path):
    text = load_rules().path
    rules_text = open(text, encoding="utf-8").read().replace('by = "share"', 'by = "score"').replace(
        "yellow = 0.15", "yellow = 1").replace("red = 0.05", "red = 2")
    (tmp_path / "strict.toml").write_text(rules_text, encoding="utf-8")
    frame = houses(elderly_alone=[0, 0, 1], under_care=[0, 0, 0], height_m=[0.0, 0.0, 0.0])
    frame.loc[1, "elderly_alone"] = 0
    strict = score_houses(frame, rules=load_rules(tmp_path / "strict.toml"), reference=REFERENCE).columns
    assert strict["risk_level"].tolist() == ["green", "green", "red"]


def test_explain_prints_every_contribution(tiny_street):
    joined = join_street(tiny_street)
    scores = score_houses(joined.houses, joined.matched("events"), reference=joined.reference_time)
    top = scores.columns.sort_values("risk_score").iloc[-1]
    text = scores.explain(top.name)
    assert scores.addresses[top.name] in text and f"risk_score {top['risk_score']:g}" in text
    assert all(factor in text for factor in scores.rules.factors)
    with pytest.raises(KeyError):
        scores.explain("nope")


def test_summaries_per_zone():
    frame = houses(people=[0, 0, 0]).assign(risk_level=["red", "green", "green"], grid_id=["G1", "G1", "G2"])
    summary = summarise(frame, "grid_id").set_index("grid_id")
    assert summary.loc["G1", ["houses", "red", "green", "yellow"]].tolist() == [2, 1, 1, 0]
    assert summary.loc["G1", "red_share"] == 0.5 and summary.loc["G2", "green_share"] == 1.0


def test_levels_by_share_give_the_same_short_list_on_every_street(tiny_street, tmp_path):
    """The default: the top 5 % red, the next 15 % yellow, per street or per defense zone; no house
    without points coloured; the cut-offs and what each factor does reported."""
    joined = join_street(tiny_street)
    scores = score_houses(joined.houses, joined.matched("events"), reference=joined.reference_time)
    table = scores.cutoffs.set_index("group")
    assert list(table.index) == ["street"]
    assert 0.03 <= table.loc["street", "red_share"] <= 0.08 and 0.10 <= table.loc["street", "yellow_share"] <= 0.25
    levels = scores.columns["risk_level"]
    assert (scores.columns.loc[levels != "green", "risk_score"] > 0).all()
    assert scores.columns.loc[levels == "red", "risk_score"].min() >= table.loc["street", "red_cut"]
    text = open(load_rules().path, encoding="utf-8").read().replace('per = "street"', 'per = "defense_zone"')
    (tmp_path / "zones.toml").write_text(text, encoding="utf-8")
    by_zone = score_houses(joined.houses, joined.matched("events"), load_rules(tmp_path / "zones.toml"),
                           joined.reference_time).cutoffs
    assert set(by_zone["group"]) == set(joined.houses["defense_zone_id"].dropna()) and (by_zone["red_share"] <= 0.15).all()
    influence = factor_influence(scores).set_index("factor")
    assert set(influence.index) == set(scores.rules.factors)
    assert (influence["red_relying"] <= (levels == "red").sum()).all() and influence["red_relying"].max() > 0


@pytest.mark.parametrize("area", ["xiaohe", "qianjiang", "xintang"])
def test_the_default_rules_give_a_focused_red_list_on_every_demo_area(area):
    """Old town, high-rises, 58 % floating: red between 2 and 8 %, yellow between 10 and 25 % on each."""
    from gridgov.demo import build_demo
    from gridgov.layers import Street
    from gridgov.layers.report import Report

    demo = build_demo(area, scale=0.3)
    layers = {kind: frame.to_crs(4549) for kind, frame in demo.layers.items()}
    joined = join_street(Street(area, layers["houses"].crs, layers, Report()))
    levels = score_houses(joined.houses, joined.matched("events"), reference=joined.reference_time).columns["risk_level"]
    shares = levels.value_counts(normalize=True)
    assert 0.02 <= shares["red"] <= 0.08 and 0.10 <= shares["yellow"] <= 0.25, shares.to_dict()
