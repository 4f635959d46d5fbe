"""The back-test: scores made with what was known before a date, checked against what came after."""
import numpy as np
import pandas as pd
import pyogrio
import pytest

from gridgov.cli import main
from gridgov.coloring.backtest import auc
from gridgov.coloring.rules import DEFAULT_RULES
from gridgov.demo import build_demo, write_demo
from gridgov.pipeline import known_on
from gridgov.results import read_results


def test_auc_is_the_chance_a_house_with_trouble_scores_higher():
    score = np.array([1.0, 2.0, 3.0, 4.0])
    assert auc(score, np.array([False, False, True, True])) == 1.0
    assert auc(score, np.array([True, True, False, False])) == 0.0
    assert auc(np.array([1.0, 1.0, 1.0, 1.0]), np.array([True, False, True, False])) == 0.5
    assert np.isnan(auc(score, np.array([False] * 4)))


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("backtest")
    write_demo(build_demo("xiaohe", scale=0.3), folder)
    return folder / "gridgov_demo.toml"


def wrong_rules(path):
    """Only the building's height counts: nothing the demo's trouble depends on."""
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    levels = text[text.index("\n[levels]"):text.index("# share of floating population")]
    path.write_text(levels + "\n[factors.building_height]\nhigh_rise_m = 27\nweight = 6\n"
                    + text[text.index("\n[warnings]"):], encoding="utf-8")
    return path


def lift(output: str) -> float:
    line = next(line for line in output.splitlines() if line.strip().startswith("red ") and "提升" in line)
    return float(line.split("提升")[1].strip().rstrip("×"))


def test_red_houses_have_more_trouble_after_and_a_wrong_rule_file_shows_none(demo_project, tmp_path, capsys):
    assert main(["score", str(demo_project), "--backtest", "2026-06-01", "--out", str(tmp_path)]) == 0
    right = capsys.readouterr().out
    assert lift(right) >= 2.0 and "AUC" in right and "评分区分度" in right and "weekly visits 每周走访" in right
    page = (tmp_path / "backtest.html").read_text(encoding="utf-8")
    assert "回测 Back-test" in page and "<svg" in page
    # the figures are tables of the result file, as the contract declares them
    tables = read_results(tmp_path / "gridgov_result.gpkg", names=("backtest", "backtest_levels", "backtest_grades",
                                                                   "backtest_channels", "backtest_grids")).tables
    summary = tables["backtest"].iloc[0]
    assert summary["date"] == "2026-06-01" and summary["lift_red"] == pytest.approx(lift(right), abs=0.01)
    assert summary["visits"] == 2 * len(tables["backtest_grids"]) and 0 < summary["visits_precision"] <= 1
    levels = tables["backtest_levels"].set_index("level")
    assert levels["events_after"].sum() == tables["backtest_channels"]["events_after"].sum()
    assert levels.loc["red", "with_event"] == tables["backtest_grids"]["red_with_event"].sum()
    grades = tables["backtest_grades"].set_index("grade")     # did warnings standing on the date precede trouble?
    assert list(grades.index) == ["major", "urgent", "routine", "none"] and grades.loc["none", "lift"] == 1
    assert grades.loc["major", "lift"] > 2 and grades["houses"].sum() == levels["houses"].sum()
    assert main(["score", str(demo_project), "--backtest", "2026-06-01", "--out", str(tmp_path),
                 "--rules", str(wrong_rules(tmp_path / "wrong.toml"))]) == 0
    assert 0.7 <= lift(capsys.readouterr().out) <= 1.4


def test_every_run_back_tests_its_rules_on_the_last_period_unless_told_not_to(demo_project, tmp_path, capsys):
    assert main(["score", str(demo_project), "--out", str(tmp_path / "default")]) == 0
    output = capsys.readouterr().out
    latest = pyogrio.read_dataframe(demo_project.with_name("gridgov_demo.gpkg"), layer="events",
                                    read_geometry=False)["reported_at"].max()
    on = (pd.Timestamp(latest) - pd.Timedelta(days=90)).strftime("%Y-%m-%d")
    assert f"known on {on}, events in the 90 days after" in output and lift(output) >= 2.0
    assert main(["score", str(demo_project), "--out", str(tmp_path / "none"), "--backtest-days", "0"]) == 0
    assert "back-test" not in capsys.readouterr().out
    assert "backtest" not in {name for name, _ in pyogrio.list_layers(tmp_path / "none" / "gridgov_result.gpkg")}


def test_the_register_as_it_stood_on_the_date():
    events = pd.DataFrame({"reported_at": ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"],
                           "status": ["closed", "closed", "open", "closed"],
                           "closed_at": ["2026-01-05", "2026-03-15", None, "2026-04-02"]})
    known = known_on(events, pd.Timestamp("2026-03-10"))
    assert list(known["status"]) == ["closed", "open", "open"]     # the February event closed after the date


def test_a_backtest_needs_a_date_with_events_after_it(demo_project, tmp_path, capsys):
    assert main(["score", str(demo_project), "--backtest", "soon", "--out", str(tmp_path)]) == 2
    assert main(["score", str(demo_project), "--backtest", "2030-01-01", "--out", str(tmp_path)]) == 2
    assert "events are needed on both sides of 2030-01-01" in capsys.readouterr().err
