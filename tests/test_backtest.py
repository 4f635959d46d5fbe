"""The back-test: scores made with what was known before a date, checked against what came after."""
import numpy as np
import pytest

from gridgov.cli import main
from gridgov.coloring.backtest import auc
from gridgov.coloring.rules import DEFAULT_RULES
from gridgov.demo import build_demo, write_demo


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
    line = next(line for line in output.splitlines() if line.strip().startswith("red "))
    return float(line.split("提升")[1].strip().rstrip("×"))


def test_red_houses_have_more_trouble_after_and_a_wrong_rule_file_shows_none(demo_project, tmp_path, capsys):
    assert main(["score", str(demo_project), "--backtest", "2026-06-01", "--out", str(tmp_path)]) == 0
    right = capsys.readouterr().out
    assert lift(right) >= 2.0 and "AUC" in right and "评分区分度" in right
    page = (tmp_path / "backtest.html").read_text(encoding="utf-8")
    assert "回测 Back-test" in page and "<svg" in page
    assert main(["score", str(demo_project), "--backtest", "2026-06-01", "--out", str(tmp_path),
                 "--rules", str(wrong_rules(tmp_path / "wrong.toml"))]) == 0
    assert 0.7 <= lift(capsys.readouterr().out) <= 1.4


def test_a_backtest_needs_a_date_with_events_after_it(demo_project, tmp_path, capsys):
    assert main(["score", str(demo_project), "--backtest", "soon", "--out", str(tmp_path)]) == 2
    assert main(["score", str(demo_project), "--backtest", "2030-01-01", "--out", str(tmp_path)]) == 2
    assert "no event after 2030-01-01" in capsys.readouterr().err
