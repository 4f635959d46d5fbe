"""The closed loop: stage times, closure, overdue events, resolving levels and routing, on events written
the way a command centre's export writes them (Chinese headers, Chinese values), and on the demo street,
each figure checked against a direct recomputation."""
import numpy as np
import pandas as pd
import pytest

from gridgov.cli import main
from gridgov.grid_tools.closed_loop import closed_loop, load_loop_rules
from gridgov.layers import InputError
from gridgov.results import read_results

from helpers import street_from_frames

EXPORT = pd.DataFrame({   # 工单 as a 12345 / grid platform export has them
    "工单编号": ["E1", "E2", "E3", "E4", "E5", "E6"],
    "来源": ["12345热线", "网格上报", "110警情", "网格上报", "消防物联", "市长热线"],
    "事件类型": ["噪音扰民", "违章搭建", "盗窃", "井盖缺失", "烟感报警", "噪音扰民"],
    "上报时间": ["2026-11-01 08:00:00", "2026-11-02 09:00:00", "2026-11-03 10:00:00", "2026-11-20 10:00:00",
             "2026-11-29 10:00:00", "2026-11-30 12:00:00"],
    "派单时间": ["2026-11-01 08:20:00", "2026-11-02 10:00:00", "2026-11-03 10:05:00", "2026-11-20 10:10:00",
             "2026-11-29 10:02:00", None],
    "到场时间": ["2026-11-01 09:00:00", "2026-11-02 12:00:00", "2026-11-03 10:20:00", None, "2026-11-29 10:30:00", None],
    "办结时间": ["2026-11-03 08:00:00", "2026-11-09 09:00:00", "2026-11-03 18:00:00", None, None, None],
    "办理状态": ["已办结", "已办结", "已办结", "办理中", "处置中", "待处置"],
    "化解层级": ["社区", "街道", "区级", None, None, None],
    "事发地址": ["小河路1号1幢"] * 6,
})


@pytest.fixture
def loop(tmp_path):
    from test_join import DEFENSE, GRIDS, HOUSES, PATROL

    from gridgov.grid_tools.join import join_street

    export = tmp_path / "工单导出.csv"
    EXPORT.to_csv(export, index=False, encoding="gbk")
    street = street_from_frames(tmp_path, houses=HOUSES, grids=GRIDS, patrol_zones=PATROL, defense_zones=DEFENSE)
    from gridgov.layers.project import InputSpec, Project
    from gridgov.layers.street import load_street

    project = Project("loop", {**{k: InputSpec(k, str(tmp_path / "input.gpkg"), layer=k)
                                  for k in ("houses", "grids", "patrol_zones", "defense_zones")},
                               "events": InputSpec("events", str(export))})
    joined = join_street(load_street(project))
    assert street is not None
    return closed_loop(joined.records["events"], joined.reference_time), joined


def test_stage_times_closure_and_overdue_from_an_export(loop):
    result, joined = loop
    summary = result.tables["loop_summary"].iloc[0]
    assert int(summary["events"]) == 6 and int(summary["open"]) == 3 and summary["closure_rate"] == 0.5
    stages = result.tables["loop_stages"].set_index("stage")
    # dispatch minutes: 20, 60, 5, 10, 2 → median 10, within 30 min: 4 of 5
    assert stages.loc["dispatch", "events"] == 5 and stages.loc["dispatch", "median_min"] == 10.0
    assert stages.loc["dispatch", "within_share"] == 0.8
    # closed: 2 days, 7 days, 8 hours → within 5 days: 2 of 3
    assert stages.loc["close", "events"] == 3 and stages.loc["close", "within_share"] == pytest.approx(0.6667)
    assert stages.loc["feedback", "events"] == 0                       # the export has no reply time
    overdue = result.columns["overdue"]
    # the latest report is 11-30 12:00: E4 (a manhole, 5 days) is 10 days open; E5 (a smoke alarm, 1 day)
    # 1.1 days; E6 reported that very hour
    assert list(overdue[overdue].index.map(joined.records["events"]["event_id"])) == ["E4", "E5"]


def test_today_and_this_month_as_of_the_latest_report(loop):
    recent = loop[0].tables["loop_recent"].set_index("period")
    # the reference is the latest report, 11-30 12:00: today only E6 (open); November all six, three closed
    assert recent.loc["today", ["events", "open", "closed"]].tolist() == [1, 1, 0]
    assert recent.loc["today", "since"] == "2026-11-30" and recent.loc["today", "period_zh"] == "今日"
    assert recent.loc["this_month", "events"] == 6 and recent.loc["this_month", "closure_rate"] == 0.5
    assert recent.loc["all", "events"] == 6 and recent.loc["all", "since"] == "2026-11-01"


def test_resolving_levels_beside_one_three_six(loop):
    levels = loop[0].tables["loop_levels"].set_index("level")
    assert levels["events"].to_dict() == {"district": 1, "street": 1, "community": 1}
    assert levels.loc["community", "target"] == 0.6 and levels["share"].sum() == pytest.approx(1.0, abs=1e-3)


def test_every_event_gets_its_route_and_categories_no_rule_covers_are_named(loop):
    result, joined = loop
    events = joined.records["events"].join(result.columns)
    route = events.set_index("event_id")[["route_centre", "route_office"]]
    assert route.loc["E3"].tolist() == ["police", "public_safety"]          # 盗窃: the police's
    assert route.loc["E1"].tolist() == ["street", "public_management"]      # 噪音扰民: the street's
    assert route.loc["E5"].tolist() == ["street", "public_safety"]          # 烟感报警
    assert result.unrouted == ["井盖缺失"] and route.loc["E4"].tolist() == ["street", "public_management"]


def test_a_wrong_routing_file_is_named_before_any_work(tmp_path):
    wrong = tmp_path / "routing.toml"
    wrong.write_text('[centres.street]\nzh = "街道"\nen = "street"\n[offices.x]\nzh = "x"\nen = "x"\n'
                     '[fallback]\ncentre = "street"\noffice = "x"\n[[routes]]\nwords = ["盗窃"]\n'
                     'centre = "police"\noffice = "x"\n', encoding="utf-8")
    with pytest.raises(InputError, match="names centre 'police'"):
        load_loop_rules(wrong)


def test_the_demo_result_carries_the_loop_and_it_matches_the_events(tiny_results):
    results = read_results(tiny_results, names=("events_matched", "loop_summary", "loop_by_grid", "loop_by_month",
                                                "loop_stages", "loop_levels", "routing"))
    tables, events = results.tables, results.layers["events_matched"]
    by_grid = tables["loop_by_grid"].set_index("grid_id")
    matched_grid = events.groupby("grid_id").size()
    assert (by_grid["events"].reindex(matched_grid.index) >= matched_grid).all()     # all events, matched or not
    assert tables["loop_by_month"]["events"].sum() == tables["loop_summary"]["events"].iloc[0]
    # a median recomputed from the matched events' own stage minutes
    close = events["close_min"].dropna()
    assert 0.5 * close.median() < tables["loop_stages"].set_index("stage").loc["close", "median_min"] < 2 * close.median()
    shares = tables["loop_levels"]["share"]
    assert np.allclose(shares, [0.1, 0.3, 0.6], atol=0.08)                    # the demo resolves near 1:3:6
    assert tables["routing"]["events"].sum() == tables["loop_summary"]["events"].iloc[0]


def test_the_command_line_prints_the_loop(tiny_demo_dir, tmp_path, capsys):
    assert main(["join", str(tiny_demo_dir / "gridgov_demo.toml"), "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "closed loop 闭环" in text and "派遣 dispatch" in text and "化解层级" in text


def test_two_monthly_snapshots_compared_house_by_house(tiny_demo_dir, tmp_path, capsys):
    """Last month's result (as the street stood on 31 October, from the same export) against this month's:
    the houses whose level changed, each with the reasons that came or went."""
    import pyogrio

    project = str(tiny_demo_dir / "gridgov_demo.toml")
    assert main(["score", project, "--as-of", "2026-10-31", "--out", str(tmp_path / "october")]) == 0
    assert main(["score", project, "--out", str(tmp_path / "november")]) == 0
    october, november = (tmp_path / m / "gridgov_result.gpkg" for m in ("october", "november"))
    events = pyogrio.read_dataframe(october, layer="events_matched", read_geometry=False)
    assert pd.to_datetime(events["reported_at"]).max() <= pd.Timestamp("2026-10-31")
    capsys.readouterr()
    assert main(["compare", str(october), str(november), "--out", str(tmp_path / "changes.gpkg")]) == 0
    text = capsys.readouterr().out
    changed = pyogrio.read_dataframe(tmp_path / "changes.gpkg", layer="level_changes")
    before = pyogrio.read_dataframe(october, layer="houses", read_geometry=False).set_index("house_id")
    after = pyogrio.read_dataframe(november, layer="houses", read_geometry=False).set_index("house_id")
    really = set(after.index[after["risk_level"] != before["risk_level"].reindex(after.index)])
    assert set(changed["house_id"]) == really and len(really) > 0
    explained = changed[(changed["reasons_in"] != "") | (changed["reasons_out"] != "") |
                        (changed["old_score"] != changed["new_score"])]
    assert len(explained) == len(changed)                    # every change has a reason or a score behind it
    transitions = pyogrio.read_dataframe(tmp_path / "changes.gpkg", layer="level_transitions")
    assert transitions["houses"].sum() == len(after)
    assert "houses whose level changed 等级变化房屋" in text and "warnings 预警" in text
    assert main(["compare", str(october), str(november), "--out", str(october)]) == 2     # never over an input
    assert main(["webmap", str(november), "--changes", str(tmp_path / "changes.gpkg"), "--out", str(tmp_path / "c.html")]) == 0
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    turned_red = changed[changed["new_level"] == "red"]
    assert ("turned red since the last run" in page) == (len(turned_red) > 0)
    assert main(["webmap", str(november), "--changes", str(november), "--out", str(tmp_path / "c.html")]) == 2
