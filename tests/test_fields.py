import pandas as pd

from gridgov.layers.fields import coerce_types, match_fields, rename_fields
from gridgov.layers.report import Report
from gridgov.layers.schema import SCHEMA, name_key


def test_name_key_ignores_case_spaces_and_separators():
    assert name_key(" Grid_Code ") == name_key("grid-code") == "gridcode"


def test_chinese_and_english_aliases_are_recognised():
    mapping = match_fields(["网格编号", "Grid_Name", "巡区编号", "备注"], SCHEMA["grids"], {})
    assert mapping == {"grid_id": "网格编号", "name": "Grid_Name", "patrol_zone_id": "巡区编号"}


def test_project_mapping_wins_and_unmapped_columns_are_kept():
    frame = pd.DataFrame({"WGBH": ["a"], "grid_id": ["old"], "备注": ["x"]})
    mapping = match_fields(frame.columns, SCHEMA["grids"], {"grid_id": "WGBH"})
    renamed = rename_fields(frame.assign(geometry=None).pipe(_geo), mapping)
    assert mapping["grid_id"] == "WGBH"
    assert renamed["grid_id"].tolist() == ["a"]
    assert renamed["grid_id_source"].tolist() == ["old"] and "备注" in renamed


def _geo(frame):
    import geopandas as gpd
    return gpd.GeoDataFrame(frame, geometry="geometry")


def test_types_values_and_what_could_not_be_read():
    frame = pd.DataFrame({
        "event_id": [1, 2, 3],
        "channel": ["网格平台", "12345热线", "微信"],
        "status": ["已办结", "办理中", None],
        "reported_at": ["2026-03-01 08:00", "2026/03/02", "昨天"],
    })
    report = Report()
    typed = coerce_types(frame, SCHEMA["events"], report, "events.csv")
    assert typed["event_id"].tolist() == ["1", "2", "3"]
    assert typed["channel"].tolist() == ["grid", "12345", "微信"]
    assert typed["status"].tolist() == ["closed", "open", None]
    assert typed["reported_at"].iloc[1] == pd.Timestamp("2026-03-02")
    found = {f.code: f for f in report.findings}
    assert found["bad_value"].field == "reported_at" and found["bad_value"].examples == ["昨天"]
    assert found["unknown_value"].field == "channel" and "微信 (1)" in found["unknown_value"].detail


def test_booleans_in_chinese():
    frame = pd.DataFrame({"is_renter": ["是", "否", "1", "N", "不详"]})
    report = Report()
    typed = coerce_types(frame, SCHEMA["people"], report, "p")
    assert typed["is_renter"].tolist()[:4] == [True, False, True, False]
    assert report.findings[0].code == "bad_value" and report.findings[0].count == 1
