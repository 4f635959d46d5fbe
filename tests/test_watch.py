"""The enterprise watch (八必访): change records as a register exports them send visits, with the reason,
at the unit's house and grid; nothing else does, and a change of a unit the street lacks is reported."""
import geopandas as gpd
import pandas as pd
import pytest
from test_join import DEFENSE, GRIDS, HOUSES, PATROL

from gridgov.grid_tools.watch import enterprise_watch, load_watch_rules
from gridgov.layers import InputError
from gridgov.layers.project import InputSpec, Project
from gridgov.layers.street import load_street
from gridgov.pipeline import analyse
from gridgov.results import read_results

from helpers import street_from_frames

UNITS = pd.DataFrame({"unit_id": ["91330105MA00000001", "91330105MA00000002", "91330105MA00000003"],
                      "name": ["华信科技有限公司", "鑫源餐饮", "泰恒五金"],
                      "address": ["小河路1号1幢", "湖墅南路8号1幢", "湖墅南路10号1幢"]})
CHANGES = pd.DataFrame({   # 单位变更记录, as the registration and tax registers export them
    "统一社会信用代码": ["91330105MA00000001", "91330105MA00000001", "91330105MA00000002", "91330105MA00000002",
                 "91330105MA00000003", "91330105MA00000003", "91330105MA00000003", "91330105MA99999999"],
    "变更日期": ["2026-11-01", "2026-10-15", "2026-11-10", "2026-11-12", "2026-11-20", "2026-05-01", "2026-11-21",
             "2026-11-25"],
    "变更事项": ["纳税地", "法定代表人", "纳税额", "纳税额", "经营状态", "注册地址", "经营状态", "纳税地"],
    "变更前": ["拱墅区税务局", "张三", "100000", "100000", "存续", "小河路1号", "存续", "拱墅区税务局"],
    "变更后": ["余杭区税务局", "李四", "95000", "60000", "经营异常", "文一西路9号", "存续（在营）", "滨江区税务局"],
})


@pytest.fixture
def analysis(tmp_path):
    street_from_frames(tmp_path, houses=HOUSES, grids=GRIDS, patrol_zones=PATROL, defense_zones=DEFENSE,
                       units=gpd.GeoDataFrame(UNITS, geometry=[None] * 3, crs=HOUSES.crs))
    CHANGES.to_csv(tmp_path / "单位变更记录.csv", index=False, encoding="gbk")
    kinds = ("houses", "grids", "patrol_zones", "defense_zones", "units")
    project = Project("watch", {**{k: InputSpec(k, str(tmp_path / "input.gpkg"), layer=k) for k in kinds},
                                "unit_changes": InputSpec("unit_changes", str(tmp_path / "单位变更记录.csv"))})
    return analyse(load_street(project), steps=())


def test_each_trigger_sends_a_visit_with_its_reason_at_the_units_house(analysis):
    visits = analysis.watch.visits.set_index(["unit_id", "trigger"])
    assert set(visits.index) == {("91330105MA00000001", "taxed_elsewhere"),
                                 ("91330105MA00000001", "executives_changed"),
                                 ("91330105MA00000002", "tax_takings_changed"),     # 100,000 → 60,000, not → 95,000
                                 ("91330105MA00000003", "abnormal_operation")}      # 经营异常, not 存续（在营）
    # the address change of May is outside the 90 days before the latest record
    assert visits.loc[("91330105MA00000001", "taxed_elsewhere"), ["house_id", "grid_id"]].tolist() == ["H1", "G1"]
    assert visits.loc[("91330105MA00000003", "abnormal_operation"), "reason_zh"] == "经营异常"
    assert analysis.watch.by_grid.set_index("grid_id")["visits"].to_dict() == {"G1": 2, "G2": 2}


def test_executives_names_stay_in_the_registers(analysis):
    text = analysis.watch.visits.drop(columns="geometry").astype(str).to_string()
    assert "张三" not in text and "李四" not in text


def test_a_change_of_a_unit_the_street_lacks_is_reported(analysis):
    finding = next(f for f in analysis.join.report.findings if f.code == "unit_changes_unknown")
    assert finding.examples == ["91330105MA99999999"]


def test_a_trigger_without_a_reason_is_named(tmp_path):
    (tmp_path / "watch.toml").write_text('window_days = 90\n[[triggers]]\nname = "x"\nitem = "status"\n', encoding="utf-8")
    with pytest.raises(InputError, match="trigger 1 lacks zh, en"):
        load_watch_rules(tmp_path / "watch.toml")


def test_the_demo_street_sends_visits(tiny_results):
    results = read_results(tiny_results, names=("visits", "visits_by_grid"))
    visits = results.layers["visits"]
    assert visits["trigger"].nunique() >= 2 and visits["house_id"].notna().mean() > 0.8
    assert results.tables["visits_by_grid"]["visits"].sum() == len(visits)
    assert visits.loc[visits["trigger"] == "executives_changed", ["before", "after"]].isna().all().all()


def test_enterprise_watch_alone_on_frames():
    units = UNITS.assign(house_id=["H1", "H3", "H4"])
    changes = CHANGES.rename(columns={"统一社会信用代码": "unit_id", "变更日期": "changed_at", "变更事项": "item",
                                      "变更前": "before", "变更后": "after"})
    changes["item"] = changes["item"].map({"纳税地": "tax_region", "法定代表人": "executives", "纳税额": "tax_amount",
                                           "经营状态": "status", "注册地址": "registered_address"})
    houses = HOUSES.assign(grid_id=["G1", "G1", "G2", "G2", "G1", "G2"])
    watch = enterprise_watch(changes, units, houses)
    assert len(watch.visits) == 4 and watch.unknown_units == ["91330105MA99999999"]


def test_at_a_street_s_size_the_demo_fires_every_trigger():
    from gridgov.demo import build_demo
    from gridgov.grid_tools.join import join_street
    from gridgov.layers import Street
    from gridgov.layers.report import Report

    demo = build_demo("xiaohe", scale=0.3)
    layers = {kind: frame.to_crs(4549) for kind, frame in demo.layers.items()}
    joined = join_street(Street("demo", layers["houses"].crs, layers, Report()))
    changes = demo.tables["unit_changes"].assign(item=lambda f: f["item"].map(
        {"纳税地": "tax_region", "法定代表人": "executives", "经营地址": "operating_address", "注册地址": "registered_address",
         "纳税额": "tax_amount", "经营状态": "status"}))
    watch = enterprise_watch(changes, joined.matched("units"), joined.houses)
    assert set(watch.visits["trigger"]) == {t["name"] for t in load_watch_rules()["triggers"]}
