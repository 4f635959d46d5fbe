"""The gridgov command, run as a user runs it (a real subprocess)."""
import json
import re
import subprocess
import sys
import zipfile

import geopandas as gpd
import pyogrio

from helpers import sha256, square

INPUT_LAYERS = {"grids", "patrol_zones", "defense_zones", "communities", "houses", "people", "units",
                "events", "sensors", "bases", "roads", "water"}
JOIN_LAYERS = {"houses", "people_matched", "units_matched", "events_matched", "sensors_matched", "unmatched",
               "match_report", "findings", "loop_summary", "loop_by_grid", "loop_by_community", "loop_by_patrol_zone",
               "loop_by_defense_zone", "loop_by_channel", "loop_by_category", "loop_by_month", "loop_recent", "loop_stages",
               "loop_levels", "routing", "visits", "visits_by_grid"}
RISK_LAYERS = {"warnings", "risk_by_grid", "risk_by_community", "risk_by_patrol_zone", "risk_by_defense_zone",
               "risk_cutoffs", "risk_factors", "backtest", "backtest_levels", "backtest_grades", "backtest_channels",
               "backtest_grids"}
COVERAGE_LAYERS = {"reach_areas", "uncovered_houses", "suggested_bases", "coverage_by_defense_zone",
                   "coverage_by_patrol_zone", "road_classes", "bases_report"}


def gridgov(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gridgov", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def test_version():
    result = gridgov("--version")
    assert result.returncode == 0 and result.stdout.startswith("gridgov ")


def test_demo_writes_the_geopackage_and_says_where(tmp_path):
    result = gridgov("demo", "--out", tmp_path / "demo", "--scale", "0.02", "--seed", "3")
    assert result.returncode == 0, result.stderr
    gpkg = tmp_path / "demo" / "gridgov_demo.gpkg"
    assert (tmp_path / "demo" / "field_maps.pdf").stat().st_size > 100_000
    assert (tmp_path / "demo" / "gridgov_demo.qgz").exists() and "field maps" in result.stdout
    with zipfile.ZipFile(tmp_path / "demo" / "gridgov_demo.qgz") as saved:     # it opens on the street
        qgs = saved.read(next(n for n in saved.namelist() if n.endswith(".qgs"))).decode("utf-8")
    view = dict(re.findall(r'(\w+)="([-\d.e+]+)"', re.search(r"<DefaultViewExtent [^>]*>", qgs)[0]))
    assert 100 < float(view["xmax"]) - float(view["xmin"]) < 50_000, view
    assert (tmp_path / "demo" / "backtest.html").exists() and "back-test 回测" in result.stdout
    assert (tmp_path / "demo" / "cockpit.html").stat().st_size > 100_000 and "cockpit web map" in result.stdout
    assert (tmp_path / "demo" / "wall.html").stat().st_size > 100_000 and "command-centre screen" in result.stdout
    assert str(gpkg) in result.stdout and "0 errors" in result.stdout and "joined people" in result.stdout
    assert {name for name, _ in pyogrio.list_layers(gpkg)} == (INPUT_LAYERS | JOIN_LAYERS | RISK_LAYERS | COVERAGE_LAYERS
                                                              | {"about", "unit_changes"})
    houses = gpd.read_file(gpkg, layer="houses")
    assert {"people", "renters", "events", "grid_id", "defense_zone_id", "risk_score", "risk_level",
            "risk_reasons", "risk_reasons_en"} <= set(houses.columns)
    assert set(houses["risk_level"]) == {"red", "yellow", "green"}
    assert "houses 房屋: red" in result.stdout
    assert {"reach_s", "reach_base", "covered"} <= set(houses.columns) and houses["covered"].mean() > 0.8
    coverage = pyogrio.read_dataframe(gpkg, layer="coverage_by_defense_zone")
    assert len(coverage) == 3 and coverage["houses_share"].between(0, 1).all()
    events = pyogrio.read_dataframe(gpkg, layer="events_matched")
    assert events["dispatch_s"].notna().mean() > 0.9 and "five-minute coverage" in result.stdout
    assert (tmp_path / "demo" / "gridgov_demo.toml").exists()
    assert [p.name for p in (tmp_path / "demo").iterdir() if p.name.startswith(".")] == []


def test_validate_and_run_on_the_demo(tiny_demo_dir, tmp_path):
    project = tiny_demo_dir / "gridgov_demo.toml"
    before = sha256(tiny_demo_dir / "gridgov_demo.gpkg")
    result = gridgov("validate", project, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["crs"] == "EPSG:4549" and len(report["layers"]) == 13
    result = gridgov("join", project, "--out", tmp_path / "results", "--tolerance-m", "20")
    assert result.returncode == 0, result.stderr
    gpkg = tmp_path / "results" / "gridgov_result.gpkg"
    context = {"grids", "patrol_zones", "defense_zones", "communities", "bases", "roads", "water"}
    assert {name for name, _ in pyogrio.list_layers(gpkg)} == JOIN_LAYERS | context    # the join step only
    houses = gpd.read_file(gpkg, layer="houses")
    assert houses.crs.to_epsg() == 4549 and houses["people"].sum() > 0
    assert "risk_level" not in houses and "reach_s" not in houses
    unmatched = pyogrio.read_dataframe(gpkg, layer="unmatched")
    for kind in ("people", "units", "events", "sensors"):   # input = matched + unmatched, in the file
        matched = pyogrio.read_info(gpkg, layer=f"{kind}_matched")["features"]
        inputs = pyogrio.read_info(tiny_demo_dir / "gridgov_demo.gpkg", layer=kind)["features"]
        assert matched + (unmatched["source"] == kind).sum() == inputs, kind
    assert "location_inside" in result.stdout
    assert json.loads((tmp_path / "results" / "validation.json").read_text(encoding="utf-8"))["ok"]
    assert sha256(tiny_demo_dir / "gridgov_demo.gpkg") == before
    for step, layers in (("score", RISK_LAYERS), ("coverage", COVERAGE_LAYERS), ("run", RISK_LAYERS | COVERAGE_LAYERS)):
        result = gridgov(step, project, "--out", tmp_path / step)
        assert result.returncode == 0, result.stderr
        written = {name for name, _ in pyogrio.list_layers(tmp_path / step / "gridgov_result.gpkg")}
        assert written == JOIN_LAYERS | context | layers, step


def test_errors_stop_the_run_and_exit_non_zero(tmp_path):
    grids = gpd.GeoDataFrame({"grid_id": ["A", "B"]}, geometry=[square(0, 0), square(50, 0)], crs="EPSG:4549")
    grids.to_file(tmp_path / "grids.gpkg")
    (tmp_path / "p.toml").write_text('[inputs.grids]\npath = "grids.gpkg"\n', encoding="utf-8")
    result = gridgov("run", tmp_path / "p.toml")
    assert result.returncode == 1
    assert "grids overlap" in result.stdout and "stopped" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_bad_project_file_gets_a_clear_message(tmp_path):
    result = gridgov("validate", tmp_path / "absent.toml")
    assert result.returncode == 2
    assert "absent.toml: file not found" in result.stderr and "Traceback" not in result.stderr


def test_results_are_geopackage_1_2_for_qgis_3_22(tiny_demo_dir):
    import struct

    header = (tiny_demo_dir / "gridgov_demo.gpkg").read_bytes()[:100]
    assert header[68:72] == b"GPKG" and struct.unpack(">i", header[60:64])[0] == 10200


def test_score_explain_and_a_bad_rule_file(tiny_demo_dir, tmp_path):
    project = tiny_demo_dir / "gridgov_demo.toml"
    house = gpd.read_file(tiny_demo_dir / "gridgov_demo.gpkg", layer="houses", rows=1)["house_id"][0]
    result = gridgov("score", project, "--explain", house)
    assert result.returncode == 0, result.stderr
    assert f"{house} " in result.stdout and "floating_share" in result.stdout and "sum" in result.stdout
    (tmp_path / "rules.toml").write_text("[levels]\nyellow = 5\nred = 1\n", encoding="utf-8")
    result = gridgov("score", project, "--rules", tmp_path / "rules.toml")
    assert result.returncode == 2 and "line 3" in result.stderr and "out of order" in result.stderr
    result = gridgov("score", project, "--explain", "NO_SUCH_HOUSE")
    assert result.returncode == 2 and "NO_SUCH_HOUSE" in result.stderr


def test_joining_a_street_without_houses_says_so(tmp_path):
    grids = gpd.GeoDataFrame({"grid_id": ["A"]}, geometry=[square(0, 0)], crs="EPSG:4549")
    grids.to_file(tmp_path / "grids.gpkg")
    (tmp_path / "p.toml").write_text('[inputs.grids]\npath = "grids.gpkg"\n', encoding="utf-8")
    result = gridgov("join", tmp_path / "p.toml")
    assert result.returncode == 2 and "no houses" in result.stderr and "Traceback" not in result.stderr


def test_webmap_command(tiny_results, tmp_path):
    result = gridgov("webmap", tiny_results, "--out", tmp_path / "c.html")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "c.html").exists() and "basemap none" in result.stdout
    result = gridgov("webmap", tiny_results, "--out", tmp_path / "t.html", "--basemap", "tianditu")
    assert result.returncode == 2 and "needs your key" in result.stderr


def test_maps_from_a_file_that_is_not_a_result(tmp_path):
    for command in ("webmap", "atlas"):
        result = gridgov(command, tmp_path / "absent.gpkg")
        assert result.returncode == 2 and "file not found" in result.stderr and "Traceback" not in result.stderr
    grids = gpd.GeoDataFrame({"grid_id": ["A"]}, geometry=[square(0, 0)], crs="EPSG:4549")
    grids.to_file(tmp_path / "inputs.gpkg", layer="grids")
    result = gridgov("webmap", tmp_path / "inputs.gpkg")
    assert result.returncode == 2 and "no layer 'houses'" in result.stderr
