"""Streets our generator did not make, through every core step: real OSM footprints and roads, point
houses, houses addressed by compound only.  Assertions are on where records land, what coverage says
and what the report names, not only on exit codes."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gridgov.cli import main as gridgov
from gridgov.cockpit.page import read_cockpit_results, write_cockpit
from gridgov.grid_tools.coverage import CoverageOptions, coverage
from gridgov.layers import load_project
from gridgov.layers.street import load_street
from gridgov.pipeline import RESULT_FILE, run_street

import real_streets
from helpers import ARTIFACTS, in_chromium, sha256

FORMS = real_streets.FORMS


@pytest.fixture(scope="module", params=list(FORMS))
def street(request, tmp_path_factory):
    """A real street, written as a user's files, run once through `gridgov run`."""
    real_streets.require_shared_data()
    folder = tmp_path_factory.mktemp(request.param)
    built = real_streets.write_street(folder, FORMS[request.param](), f"湖滨 {request.param}")
    hashes = {p.name: sha256(p) for p in folder.iterdir()}
    assert gridgov(["validate", str(built.project)]) == 0
    assert gridgov(["run", str(built.project)]) == 0
    assert hashes == {p.name: sha256(p) for p in folder.iterdir() if p.name in hashes}, "an input was changed"
    built.result = folder / "out" / RESULT_FILE
    built.form = request.param
    return built


def _layer(path, name):
    return gpd.read_file(path, layer=name)


def _expected(records: pd.DataFrame, houses: gpd.GeoDataFrame) -> pd.Series:
    """The true house of each record, except where its point lies in several footprints (real OSM has
    building parts inside buildings): there the rule gives the smallest of them."""
    expected = records["truth_house"].copy()
    located = records["lon"].notna().to_numpy()
    points = gpd.GeoSeries(gpd.points_from_xy(records["lon"][located], records["lat"][located]), crs=4326) \
        .to_crs(houses.crs).to_numpy()
    point_idx, house_idx = shapely.STRtree(houses.geometry.to_numpy()).query(points, predicate="intersects")
    several = np.bincount(point_idx, minlength=len(points)) > 1
    areas = houses.geometry.area.to_numpy()
    for p in np.flatnonzero(several):
        inside = house_idx[point_idx == p]
        expected.iloc[np.flatnonzero(located)[p]] = houses["house_id"].iloc[inside[np.argmin(areas[inside])]]
    return expected


def test_every_record_lands_on_its_true_house_or_says_why(street):
    people = pd.concat([_layer(street.result, "people_matched"), _layer(street.result, "unmatched")
                        .query("source == 'people'").rename(columns={"record_id": "person_id"})])
    assert len(people) == len(street.people), "input = matched + unmatched"
    truth = pd.Series(_expected(street.people, street.houses).to_numpy(), index=street.people["person_id"])
    landed = people.set_index("person_id")["house_id"]
    matched = landed.notna()
    assert (landed[matched] == truth[landed[matched].index]).all(), "a record landed on a wrong house"
    # every person with coordinates lands (footprints inside, point houses by the nearest within 30 m)
    people_in = street.people.set_index("person_id")
    located = people_in["lon"].notna() & people_in["truth_house"].notna()
    assert matched[located[located].index].all() and not matched["P_FAR"]
    reasons = people.loc[~people["house_id"].notna().to_numpy(), "reason"]
    if street.form == "compounds":      # every compound address is unique: all land, by address
        assert set(reasons) == {"road_unknown+too_far"}
    else:                               # OSM names shared by several buildings: said so, never guessed
        assert set(reasons) == {"address_shared+no_coordinates", "road_unknown+too_far"}
    events = _layer(street.result, "events_matched")
    assert len(events) == len(street.events)
    truth = pd.Series(_expected(street.events, street.houses).to_numpy(), index=street.events["event_id"])
    assert (events.set_index("event_id")["house_id"] == truth[events["event_id"]]).all()


def test_overlapping_real_footprints_are_named(street):
    findings = _layer(street.result, "findings").set_index("code")
    if street.form == "points":
        assert "house_overlap" not in findings.index
        return
    pairs = findings.loc["house_overlap", "records"].split(", ")
    assert findings.loc["house_overlap", "count"] == len(pairs) >= 5
    assert any(p.startswith("OSM0136 × OSM0275") for p in pairs)     # 建银中心 inside 建设银行大厦


def test_houses_get_risk_and_the_hot_ones_are_red(street):
    houses = _layer(street.result, "houses")
    assert len(houses) == 762 and houses["risk_level"].isin(["red", "yellow", "green"]).all()
    counts = _expected(street.events, street.houses).value_counts()
    hot = set(counts.index[counts >= 10])
    red = set(houses.loc[houses["risk_level"] == "red", "house_id"])
    assert len(hot) == 8 and hot <= red and 0.03 <= len(red) / len(houses) <= 0.08     # the top 5 %, hot ones first
    assert set(houses.nlargest(8, "risk_score")["house_id"]) == hot
    warnings = _layer(street.result, "warnings")
    assert set(warnings["house_id"]) <= hot and len(warnings) >= 6


def test_coverage_reports_drive_and_walk_and_what_the_network_left_out(street):
    houses = _layer(street.result, "houses")
    reached = houses["reach_s"].notna()
    assert reached.mean() > 0.99
    legs = houses.loc[reached, "reach_drive_s"] + houses.loc[reached, "reach_walk_s"]
    assert np.allclose(legs, houses.loc[reached, "reach_s"], atol=0.11)
    walk = houses.loc[reached, "reach_walk_s"]
    assert (walk >= 0).all() and (walk <= 150 / (5 / 3.6)).all()      # at most the snapping limit, on foot
    classes = _layer(street.result, "road_classes").set_index("road_class")
    assert classes.loc["footway", "status"] == "excluded" and classes.loc["primary", "status"] == "drive"
    assert classes.loc["unknown", "status"] == "unknown"
    findings = _layer(street.result, "findings")
    assert "roads_class_unknown" in set(findings["code"])
    bases = _layer(street.result, "bases_report")
    assert bases["on_main_network"].all() and (bases["snap_m"] < 50).all() and (bases["road_km_reached"] > 10).all()
    zones = _layer(street.result, "coverage_by_defense_zone")
    assert zones["slowest_s"].notna().all() and (zones["houses_share"] > 0.5).all()


def test_validation_names_houses_without_address(street):
    findings = _layer(street.result, "findings").set_index("code")
    if street.form == "compounds":
        assert "missing_required_value" not in findings.index
        return
    missing = findings.loc["missing_required_value"]
    houses = street.houses
    no_address = set(houses.loc[houses["address"].isna(), "house_id"])
    assert missing["count"] == len(no_address) == 513
    assert set(missing["records"].split(", ")) == no_address
    # … and they still take their records by location (but for those holding a smaller footprint, which
    # takes the points inside it, and is named among the overlaps)
    people = _layer(street.result, "people_matched")
    pairs = findings.loc["house_overlap", "records"] if "house_overlap" in findings.index else ""
    overlapping = set(pairs.replace(" × ", " ").replace(",", " ").split())
    assert no_address - overlapping <= set(people["house_id"])


@pytest.mark.browser
def test_web_map_draws_every_house_form(street, tmp_path):
    layers, tables = read_cockpit_results(street.result)
    page = write_cockpit(tmp_path / "cockpit.html", layers, tables)
    seen = in_chromium(page, ARTIFACTS / f"real_street_{street.form}.png")
    assert seen["errors"] == [] and seen["requests"] == []
    assert "房屋 红色（高风险） · Red (high risk)" in seen["layers"] and "房屋 绿色（正常） · Green (normal)" in seen["layers"]
    assert seen["popup"]         # a house's popup opens


# --- the features real files bring -------------------------------------------------------------------

def _wkb_polygon(ring, z=False) -> bytes:
    """A polygon's WKB as GDAL would store it, ring as given (unclosed, two points …)."""
    import struct

    body = b"".join(struct.pack("<ddd" if z else "<dd", *p) for p in ring)
    return struct.pack("<BII", 1, 1003 if z else 3, 1) + struct.pack("<I", len(ring)) + body


def test_features_geos_cannot_build_are_read_repaired_or_set_aside_by_id(tmp_path):
    """Two-point and unclosed rings, a bow-tie, a sliver, Z coordinates and an empty geometry in one houses
    layer: the layer is read, each is named, and the run, the web map and the counts go on."""
    import pyogrio.raw

    x, y = 500000.0, 3350000.0
    good = shapely.box(x, y, x + 20, y + 20)
    geometries = np.array([
        shapely.to_wkb(good),
        _wkb_polygon([(x + 30, y), (x + 40, y)]),                                   # two points
        _wkb_polygon([(x + 50, y), (x + 70, y), (x + 70, y + 20), (x + 50, y + 20)]),  # not closed
        shapely.to_wkb(shapely.Polygon([(x + 80, y), (x + 100, y + 20), (x + 100, y), (x + 80, y + 20)])),
        shapely.to_wkb(shapely.box(x + 110, y, x + 110.001, y + 0.001)),            # 1 cm²
        _wkb_polygon([(x + 130, y, 12.0), (x + 150, y, 12.0), (x + 150, y + 20, 12.0), (x + 130, y + 20, 12.0),
                      (x + 130, y, 12.0)], z=True),
        None,
    ], dtype=object)
    ids = np.array([f"H{i}" for i in range(len(geometries))], dtype=object)
    addresses = np.array(["小河路1号", None, "小河路3号", "", "小河路5号", "小河路6号", "小河路7号"], dtype=object)
    path = tmp_path / "houses.gpkg"
    pyogrio.raw.write(path, geometries, [ids, addresses], ["house_id", "address"], geometry_type="Unknown",
                      crs="EPSG:4549", driver="GPKG", layer="houses")
    grids = gpd.GeoDataFrame({"grid_id": ["WG1"]}, geometry=[shapely.box(x - 50, y - 50, x + 200, y + 100)],
                             crs=4549)
    grids.to_file(tmp_path / "grids.gpkg")
    pd.DataFrame({"person_id": ["P1", "P2", "P3"], "x": [x + 60, x + 140, x + 10], "y": [y + 10, y + 10, y + 10]}) \
        .to_csv(tmp_path / "people.csv", index=False)
    (tmp_path / "street.toml").write_text(
        '[inputs.houses]\npath = "houses.gpkg"\n[inputs.grids]\npath = "grids.gpkg"\n'
        '[inputs.people]\npath = "people.csv"\ncrs = "EPSG:4549"\n', encoding="utf-8")
    before = sha256(path)
    run = run_street(load_project(tmp_path / "street.toml"), tmp_path / "out" / RESULT_FILE)
    assert sha256(path) == before
    named = {f.code: f.examples for f in run.street.report.findings}
    assert named["unbuildable_geometry"] == ["H1", "H2"]
    assert named["geometry_set_aside"] == ["H1"]
    assert set(named["invalid_geometry"]) == {"H1", "H3"}
    assert named["z_dropped"] == ["H5"]
    assert named["empty_geometry"] == ["H6"]
    assert named["missing_required_value"] == ["H1", "H3"]
    houses = _layer(run.path, "houses").set_index("house_id")
    assert len(houses) == 7 and houses.geometry.has_z.sum() == 0
    assert houses.loc["H2"].geometry.area == pytest.approx(400)        # closed and kept
    assert houses.loc["H3"].geometry.geom_type == "MultiPolygon"        # the bow-tie stays an area
    people = _layer(run.path, "people_matched").set_index("person_id")["house_id"].to_dict()
    assert people == {"P1": "H2", "P2": "H5", "P3": "H0"}
    layers, tables = read_cockpit_results(run.path)
    page = write_cockpit(tmp_path / "page.html", {**layers, "grids": grids}, tables).read_text(encoding="utf-8")
    assert page.count('"rings"') == 1          # one polygon layer (green); the 1 cm² sliver drawn as a point


# --- road networks as they come ---------------------------------------------------------------------

def _line(*points):
    return shapely.LineString(points)


def _network_case(classes: dict):
    """A 2 km main road with a base at its west end; extra lines of the given classes; houses beside."""
    x, y = 500000.0, 3350000.0
    roads = gpd.GeoDataFrame({"road_class": ["primary"] + list(classes.values())},
                             geometry=[_line((x, y), (x + 2000, y))] + list(classes), crs=4549)
    houses = gpd.GeoDataFrame({"house_id": ["H1", "H2"], "address": ["甲路1号", "甲路2号"],
                               "defense_zone_id": ["FQ1", "FQ2"]},
                              geometry=[shapely.box(x + 500, y + 20, x + 520, y + 40),
                                        shapely.box(x + 1500, y + 20, x + 1520, y + 40)], crs=4549)
    bases = gpd.GeoDataFrame({"base_id": ["JZ1", "JZ2"], "defense_zone_id": ["FQ1", "FQ3"]},
                             geometry=[shapely.Point(x, y + 5), shapely.Point(x + 5000, y + 3000)], crs=4549)
    return roads, houses, bases


def test_road_classes_are_an_allow_list_and_pieces_cut_off_are_not_snapped_to():
    x, y = 500000.0, 3350000.0
    roads, houses, bases = _network_case({_line((x + 500, y + 35), (x + 520, y + 35)): "platform",
                                          _line((x + 1500, y + 30), (x + 1500, y + 60)): None,
                                          _line((x, y + 10), (x + 100, y + 10)): "footway"})
    result = coverage(houses, bases, roads, options=CoverageOptions())
    table = result.by_zone["road_classes"].set_index("road_class")
    assert table.loc["platform", "status"] == "unknown" and table.loc["footway", "status"] == "excluded"
    assert table.loc["", "status"] == "none"
    found = {f.code: f for f in result.report.findings}
    assert found["roads_class_unknown"].detail == "platform (1)" and found["roads_without_class"].count == 1
    # house H1 sits on the platform line: not driven, so it is reached from the primary road, walking 30 m
    reach = result.columns
    assert reach.loc["H1", "reach_walk_s"] == pytest.approx(30 / (5 / 3.6), abs=1)
    assert reach.loc["H1", "covered"]
    # JZ2 stands 3 km from any road: named with its distance; zone FQ2 has no base: said in words
    assert "JZ2" in found["base_far_from_road"].examples[0]
    unreached = found["zone_unreached"]
    assert unreached.field == "FQ2" and "no base of its own" in unreached.message("en")
    assert "无房屋" not in unreached.message("zh") and "没有驻点" in unreached.message("zh")
    assert "nan" not in unreached.message("en")


def test_a_project_maps_its_own_road_words_back_in(tmp_path):
    x, y = 500000.0, 3350000.0
    roads = gpd.GeoDataFrame({"等级": ["县道", None]}, geometry=[_line((x, y), (x + 2000, y)),
                                                              _line((x + 2000, y), (x + 2000, y + 300))], crs=4549)
    roads.to_file(tmp_path / "roads.gpkg")
    houses = gpd.GeoDataFrame({"house_id": ["H1"], "address": ["甲路1号"]},
                              geometry=[shapely.box(x + 1990, y + 240, x + 2010, y + 260)], crs=4549)
    houses.to_file(tmp_path / "houses.gpkg")
    grids = gpd.GeoDataFrame({"grid_id": ["WG1"]}, geometry=[shapely.box(x - 100, y - 100, x + 2100, y + 900)],
                             crs=4549)
    grids.to_file(tmp_path / "grids.gpkg")
    gpd.GeoDataFrame({"base_id": ["JZ1"]}, geometry=[shapely.Point(x, y)], crs=4549).to_file(tmp_path / "bases.gpkg")
    common = "".join(f'[inputs.{k}]\npath = "{k}.gpkg"\n' for k in ("houses", "grids", "bases"))
    for mapping, covered in (("", False), ('[inputs.roads.values.road_class]\n"县道" = "次干路"\n"" = "支路"\n', True)):
        (tmp_path / "street.toml").write_text(common + '[inputs.roads]\npath = "roads.gpkg"\n' + mapping,
                                              encoding="utf-8")
        run = run_street(load_project(tmp_path / "street.toml"), steps=("coverage",))
        codes_found = {f.code for f in run.analysis.findings}
        house = run.analysis.coverage.columns.iloc[0]
        assert bool(house["covered"]) == covered
        assert ("roads_class_unknown" in codes_found) == (not covered)
        assert ("no_drivable_roads" in codes_found) == (not covered)


def test_on_real_roads_each_house_is_reached_from_the_best_road_place_in_reach(street):
    """Against every usable road place within the snapping limit (all segments a GEOS STRtree finds,
    measured by GEOS): on real Hangzhou roads each house's time is the best of them, to the centimetre
    of its walk, so no house is slower than it need be (the nearest-sample candidates before left 12 of
    762 a minute slower, by up to 186 s)."""
    from gridgov.grid_tools.coverage import Router
    from gridgov.grid_tools.snapping import CandidatesByNode, Snap, best_times, snap

    built = load_street(load_project(street.project))
    options = CoverageOptions()
    router = Router(built.roads, options)
    graph = router.graph
    points = shapely.point_on_surface(built.houses.geometry.to_numpy())
    snapped = snap(points, graph, options.max_snap_m)
    reach = router.reach(built.bases.geometry.to_numpy(), points, snapped)
    house, hit = shapely.STRtree(graph.segments[graph.usable]).query(points, predicate="dwithin",
                                                                     distance=options.max_snap_m)
    segment = graph.usable[hit]
    every = Snap(house, segment, shapely.line_locate_point(graph.segments[segment], points[house], normalized=True),
                 shapely.distance(graph.segments[segment], points[house]), len(points))
    drive, walk, _, _ = best_times(every, reach.node_seconds, graph, options.walk_speed_kmh / 3.6)
    best = drive + walk + options.turnout_s
    assert np.isfinite(best).sum() > 600 and len(house) > 20 * len(points)    # many places in reach of each
    assert np.array_equal(np.isfinite(reach.seconds), np.isfinite(best))
    reached = np.isfinite(best)
    assert np.abs(reach.seconds[reached] - best[reached]).max() < 0.05
    assert np.array_equal(reach.seconds <= options.threshold_s, best <= options.threshold_s)
    # siting's shortcut (only the candidates beside reached nodes) finds the same houses in time
    budget = options.threshold_s - options.turnout_s
    within = CandidatesByNode.of(snapped, graph).points_within(reach.node_seconds, options.walk_speed_kmh / 3.6, budget)
    assert 100 < len(within) < len(points) and np.array_equal(within, np.flatnonzero(reach.seconds <= options.threshold_s))


def test_houses_are_not_attached_to_tunnels_or_motorways():
    x, y = 500000.0, 3350000.0
    roads = gpd.GeoDataFrame({"road_class": ["residential", "primary", "motorway"], "layer": [0, -4, 0],
                              "tunnel": ["F", "T", "F"]},
                             geometry=[_line((x, y), (x + 1000, y)), _line((x, y + 60), (x + 1000, y + 60)),
                                       _line((x, y + 40), (x + 1000, y + 40))], crs=4549)
    houses = gpd.GeoDataFrame({"house_id": ["H1"]}, geometry=[shapely.box(x + 500, y + 45, x + 510, y + 55)],
                              crs=4549)
    bases = gpd.GeoDataFrame({"base_id": ["JZ1"]}, geometry=[shapely.Point(x, y + 60)], crs=4549)
    result = coverage(houses, bases, roads)
    house = result.columns.iloc[0]
    assert house["reach_walk_s"] == pytest.approx(50 / (5 / 3.6), abs=1)     # to the residential road, 50 m
    assert result.by_zone["bases_report"]["snap_m"][0] == pytest.approx(60)  # the base too, not the tunnel


def test_the_result_file_layers_all_read_back(street):
    names = {name for name, _ in pyogrio.list_layers(street.result)}
    assert {"findings", "road_classes", "bases_report", "houses", "unmatched"} <= names
