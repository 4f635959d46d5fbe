"""Each validation finding, on a crafted bad input written to a real file."""
import geopandas as gpd
import pytest
import shapely

from gridgov.layers.report import Report
from gridgov.layers.schema import SCHEMA
from gridgov.layers.validate import check_layer

from helpers import codes, square, street_from_frames

CRS = "EPSG:4549"
X0, Y0 = 513000, 3353000


def grids(*boxes, ids=None, patrol=None):
    ids = ids or [f"WG{i:03d}" for i in range(len(boxes))]
    data = {"grid_id": ids}
    if patrol:
        data["patrol_zone_id"] = patrol
    return gpd.GeoDataFrame(data, geometry=list(boxes), crs=CRS)


def test_a_clean_street_has_no_findings(tmp_path):
    street = street_from_frames(
        tmp_path,
        grids=grids(square(X0, Y0), square(X0 + 100, Y0)),
        patrol_zones=gpd.GeoDataFrame({"patrol_zone_id": ["XQ1"], "defense_zone_id": ["FQ1"]},
                                      geometry=[shapely.box(X0, Y0, X0 + 200, Y0 + 100)], crs=CRS),
        defense_zones=gpd.GeoDataFrame({"defense_zone_id": ["FQ1"]},
                                       geometry=[shapely.box(X0, Y0, X0 + 200, Y0 + 100)], crs=CRS),
        houses=gpd.GeoDataFrame({"house_id": ["H1"], "address": ["小河路1号1幢"]},
                                geometry=[square(X0 + 10, Y0 + 10, 20)], crs=CRS))
    assert street.report.findings == [] and street.report.ok
    assert street.crs.to_epsg() == 4549 and len(street.grids) == 2


def test_missing_required_field_names_the_columns_present(tmp_path):
    street = street_from_frames(tmp_path, grids=gpd.GeoDataFrame(
        {"编码": ["a"]}, geometry=[square(X0, Y0)], crs=CRS))
    error = street.report.errors[0]
    assert error.code == "missing_required_field" and error.field == "grid_id"
    assert "编码" in error.message("en") and "input.gpkg" in error.source


def test_missing_and_duplicate_ids(tmp_path):
    street = street_from_frames(tmp_path, grids=grids(
        square(X0, Y0), square(X0 + 100, Y0), square(X0 + 200, Y0), ids=["A", "A", None]))
    found = {f.code: f for f in street.report.findings}
    assert found["duplicate_id"].count == 2 and found["duplicate_id"].examples == ["A"]
    assert found["missing_id"].count == 1
    assert not street.report.ok


def test_wrong_geometry_type(tmp_path):
    street = street_from_frames(tmp_path, grids=grids(shapely.Point(X0, Y0)))
    assert "wrong_geometry_type" in codes(street.report)


def test_invalid_geometry_is_repaired_and_counted():
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    report = Report()
    frame = check_layer(grids(bowtie), SCHEMA["grids"], report, "g")
    assert [f.code for f in report.findings] == ["invalid_geometry"]
    assert frame.geometry.is_valid.all() and frame.geom_type[0] == "MultiPolygon"
    assert frame.geometry.area[0] == pytest.approx(5000)


def test_empty_geometry_and_records_with_no_location(tmp_path):
    street = street_from_frames(
        tmp_path,
        grids=grids(square(X0, Y0), None),
        people=gpd.GeoDataFrame({"person_id": ["P1", "P2", "P3"], "address": ["小河路1号1幢", None, None]},
                                geometry=[None, shapely.Point(X0, Y0), None], crs=CRS))
    found = {(f.layer, f.code): f for f in street.report.findings}
    assert found[("grids", "empty_geometry")].count == 1
    assert found[("people", "no_location")].examples == ["P3"]
    assert street.report.ok   # warnings only


def test_empty_layer_is_a_warning(tmp_path):
    street = street_from_frames(tmp_path, people=gpd.GeoDataFrame(
        {"person_id": [], "address": []}, geometry=[], crs=CRS))
    assert codes(street.report) == {"empty_layer"} and street.report.ok


def test_overlapping_grids_stop_the_run(tmp_path):
    street = street_from_frames(tmp_path, grids=grids(square(X0, Y0), square(X0 + 50, Y0)))
    overlap = next(f for f in street.report.findings if f.code == "grid_overlap")
    assert overlap.count == 1 and "5000 m²" in overlap.examples[0]
    assert not street.report.ok


def test_slivers_under_a_square_metre_are_not_overlaps(tmp_path):
    street = street_from_frames(tmp_path, grids=grids(square(X0, Y0), square(X0 + 99.995, Y0)))
    assert "grid_overlap" not in codes(street.report)


def test_gaps_inside_the_street(tmp_path):
    defense = gpd.GeoDataFrame({"defense_zone_id": ["FQ1"]}, geometry=[shapely.box(X0, Y0, X0 + 300, Y0 + 100)],
                               crs=CRS)
    street = street_from_frames(tmp_path, grids=grids(square(X0, Y0), square(X0 + 200, Y0)),
                                defense_zones=defense)
    gap = next(f for f in street.report.findings if f.code == "grid_gap")
    assert gap.count == 1 and "10,000 m²" in gap.detail


def test_a_hole_between_grids_is_a_gap_without_zones(tmp_path):
    ring = shapely.box(X0, Y0, X0 + 300, Y0 + 300).difference(shapely.box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200))
    street = street_from_frames(tmp_path, grids=grids(ring))
    assert "grid_gap" in codes(street.report)


def test_nesting_of_grids_and_patrol_zones(tmp_path):
    patrol = gpd.GeoDataFrame({"patrol_zone_id": ["XQ1", "XQ2"], "defense_zone_id": ["FQ1", "FQ1"]},
                              geometry=[shapely.box(X0, Y0, X0 + 150, Y0 + 100),
                                        shapely.box(X0 + 150, Y0, X0 + 300, Y0 + 100)], crs=CRS)
    defense = gpd.GeoDataFrame({"defense_zone_id": ["FQ1"]}, geometry=[shapely.box(X0, Y0, X0 + 250, Y0 + 100)],
                               crs=CRS)
    street = street_from_frames(tmp_path, grids=grids(square(X0, Y0), square(X0 + 100, Y0), square(X0 + 200, Y0)),
                                patrol_zones=patrol, defense_zones=defense)
    nesting = {f.layer: f for f in street.report.findings if f.code == "not_in_one_parent"}
    assert nesting["grids"].count == 1 and nesting["grids"].examples == ["WG001 (XQ1 50%, XQ2 50%)"]
    assert nesting["patrol_zones"].examples == ["XQ2 (FQ1 67%)"]


def test_houses_in_no_grid_or_in_two(tmp_path):
    houses = gpd.GeoDataFrame(
        {"house_id": ["in", "across", "outside", "point"], "address": ["a", "b", "c", "d"]},
        geometry=[square(X0 + 10, Y0 + 10, 20), shapely.box(X0 + 90, Y0 + 10, X0 + 110, Y0 + 30),
                  square(X0 + 500, Y0, 20), shapely.Point(X0 + 150, Y0 + 50)], crs=CRS)
    street = street_from_frames(tmp_path, grids=grids(square(X0, Y0), square(X0 + 100, Y0)), houses=houses)
    found = {f.code: f for f in street.report.findings}
    assert found["house_in_no_grid"].examples == ["outside"]
    assert found["house_in_two_grids"].examples == ["across"]


def test_report_reads_for_a_program_and_for_a_person(tmp_path):
    import json

    street = street_from_frames(tmp_path, grids=grids(square(X0, Y0), square(X0 + 50, Y0)))
    data = json.loads(street.report.to_json())
    assert data["ok"] is False and data["findings"][0]["message_zh"].startswith("1 对网格相互重叠")
    text = street.report.to_text()
    assert "ERROR" in text and "网格相互重叠" in text and "FAILED" in text
