"""Real streets in QGIS: field maps read back, every Processing algorithm, and coverage against
QGIS's own service area on the real roads around the real OSM footprints."""
from __future__ import annotations

import os
import subprocess

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gridgov.layers import load_project, load_street
from gridgov.pipeline import RESULT_FILE

import real_streets

pytestmark = [pytest.mark.qgis, pytest.mark.slow]    # starts QGIS: runs after the core's tests (conftest.py)

SHOWN_NO_RAW_EXPRESSION = "[%"


FORMS = real_streets.FORMS


def _street(form, tmp_path_factory):
    real_streets.require_shared_data()
    return real_streets.write_street(tmp_path_factory.mktemp(form), FORMS[form](), f"湖滨 {form}")


@pytest.fixture(scope="module")
def footprints(tmp_path_factory):
    return _street("footprints", tmp_path_factory)


@pytest.fixture(scope="module", params=list(FORMS))
def any_form(request, tmp_path_factory):
    return _street(request.param, tmp_path_factory)


def _pdf_text(path, page=None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_every_algorithm_runs_on_a_real_street_and_the_field_maps_tell_the_truth(iface, any_form, tmp_path):
    import processing

    import gridgov

    plugin = gridgov.classFactory(iface)
    plugin.initProcessing()
    project = str(any_form.project)
    try:
        assert processing.run("gridgov:validate", {"PROJECT": project, "REPORT": str(tmp_path / "r.json")})[
            "ERRORS"] == 0
        for step in ("join", "score", "coverage"):
            out = processing.run(f"gridgov:{step}", {"PROJECT": project, "OUTPUT": str(tmp_path / f"{step}.gpkg")})
            assert len(pyogrio.read_dataframe(out["OUTPUT"], layer="houses", read_geometry=False)) == 762
        result = processing.run("gridgov:analyse", {"PROJECT": project, "OUTPUT": str(tmp_path / RESULT_FILE)})
        houses = pyogrio.read_dataframe(result["OUTPUT"], layer="houses", read_geometry=False)
        assert 0.04 <= (houses["risk_level"] == "red").mean() <= 0.06                 # the top 5 %, by share
        assert houses["reach_drive_s"].notna().mean() > 0.99
        page = processing.run("gridgov:webmap", {"RESULTS": result["OUTPUT"], "BASEMAP": 0, "WITH_PEOPLE": False,
                                                 "OUTPUT": str(tmp_path / "cockpit.html")})
        assert os.path.getsize(page["OUTPUT"]) > 100_000
        maps = processing.run("gridgov:fieldmaps", {"RESULTS": result["OUTPUT"], "PAPER": 0, "GRIDS": "",
                                                    "PER_GRID": False, "OUTPUT": str(tmp_path / "maps.pdf")})
    finally:
        plugin.unload()
    text = _pdf_text(maps["OUTPUT"])
    assert text.count("\f") == 16                       # one page per grid
    assert SHOWN_NO_RAW_EXPRESSION not in text          # no communities layer: the title says what it knows
    first = _pdf_text(maps["OUTPUT"], 1)
    assert "湖滨第1网格（WG001）" in first and "巡区 XQ01 · 防区 FQ1" in first
    assert "OpenStreetMap" in first and "合成" not in first and "synthetic" not in first
    reds = [i for i in range(1, 17) if "红" in _pdf_text(maps["OUTPUT"], i).split("Houses to visit")[-1]]
    assert reds, "the red houses are listed to visit"


def _levels_apart(roads) -> np.ndarray:
    """The lines with QGIS's junctions made ours: QGIS joins every pair of coincident vertices, gridgov
    joins ways on different levels (a bridge over a road) only where one of them ends, so such mid-way
    vertices of the upper way are moved 5 cm apart."""
    from gridgov.grid_tools.roadgraph import _levels

    coords, line = shapely.get_coordinates(roads.geometry.to_numpy(), return_index=True)
    is_end = np.r_[True, line[1:] != line[:-1]] | np.r_[line[:-1] != line[1:], True]
    level = _levels(roads)[line]
    key = pd.Series(list(map(tuple, np.round(coords * 100).astype(np.int64))))
    grouped = pd.DataFrame({"key": key, "level": level, "end": is_end}).groupby("key")
    crossing = (~grouped["end"].transform("any")) & (grouped["level"].transform("nunique") > 1)
    upper = crossing.to_numpy() & (level > grouped["level"].transform("min").to_numpy())
    coords[upper, 0] += 0.05
    return shapely.linestrings(coords, indices=line)


def test_coverage_agrees_with_qgis_service_area_on_the_real_street(qgis_app, footprints, tmp_path):
    """From the street's bases, QGIS's native:serviceareafromlayer (same speeds, same one-way) reaches the
    road point of a house exactly when our drive time is within the limit: the walk leg apart."""
    import processing

    from gridgov.grid_tools.coverage import CoverageOptions, Router
    from gridgov.grid_tools.roadgraph import directions, drivable, speeds_kmh
    from gridgov.grid_tools.snapping import snap

    street = load_street(load_project(footprints.project))
    options = CoverageOptions()
    router = Router(street.roads, options)
    graph = router.graph
    points = shapely.point_on_surface(street.houses.geometry.to_numpy())
    snapped = snap(points, graph, options.max_snap_m)
    limit = 180.0
    reach = router.reach(street.bases.geometry.to_numpy(), points, snapped)
    roads = drivable(street.roads).explode(index_parts=False, ignore_index=True)
    forward, backward = directions(roads)
    network = gpd.GeoDataFrame({"speed_kmh": speeds_kmh(roads),
                                "dir": np.where(forward & backward, "B", np.where(forward, "F", "T"))},
                               geometry=_levels_apart(roads), crs=roads.crs)
    net = tmp_path / "net.gpkg"
    network.to_file(net, layer="net")
    starts = graph.nodes[router.base_nodes(street.bases.geometry.to_numpy())]
    gpd.GeoDataFrame({"id": range(len(starts))}, geometry=shapely.points(starts), crs=roads.crs).to_file(
        net, layer="start")
    result = processing.run("native:serviceareafromlayer", {
        "INPUT": f"{net}|layername=net", "STRATEGY": 1, "DIRECTION_FIELD": "dir", "VALUE_FORWARD": "F",
        "VALUE_BACKWARD": "T", "VALUE_BOTH": "B", "DEFAULT_DIRECTION": 2, "SPEED_FIELD": "speed_kmh",
        "DEFAULT_SPEED": 20, "TOLERANCE": 0, "START_POINTS": f"{net}|layername=start",
        "TRAVEL_COST2": limit / 3600, "INCLUDE_BOUNDS": False, "OUTPUT_LINES": str(tmp_path / "area.gpkg")})
    reached = shapely.union_all(gpd.read_file(result["OUTPUT_LINES"]).geometry.to_numpy())
    chosen = np.where(reach.candidate >= 0, reach.candidate, snapped.first)     # the road place it is reached from
    road_points = snapped.road_points(graph, chosen)
    theirs = np.array([p is not None and shapely.dwithin(reached, p, 0.5) for p in road_points])
    ours = reach.drive <= limit
    # a house within 2 s of the limit is a tie; one with no road in reach (reported apart) has no road point
    clear = (np.abs(reach.drive - limit) > 2) & (chosen >= 0)
    agree = (theirs == ours)[clear].mean()
    assert clear.sum() > 700 and ours[clear].sum() > 200 and (~ours[clear]).sum() > 50
    assert agree >= 0.995, f"agreement {agree:.2%}"


def _layers(street) -> dict:
    """The real street as a planner has it open: houses edited in memory (no file behind them), the rest
    read from their files."""
    from qgis.core import QgsProject, QgsVectorLayer

    from gridgov.plugin.conversion import frame_to_layer

    folder = street.project.parent
    layers = {kind: QgsVectorLayer(f"{folder / 'street.gpkg'}|layername={kind}", kind, "ogr")
              for kind in ("grids", "patrol_zones", "defense_zones", "bases", "roads")}
    layers["houses"] = frame_to_layer(gpd.read_file(folder / "street.gpkg", layer="houses"), "房屋 (edited)")
    for kind in ("people", "events"):
        layers[kind] = QgsVectorLayer(str(folder / f"{kind}.csv"), kind, "ogr")
    assert all(layer.isValid() for layer in layers.values())
    QgsProject.instance().addMapLayers(list(layers.values()))
    return layers


def test_the_steps_take_open_layers_and_a_selection_and_chain_through_their_sinks(iface, footprints, tmp_path):
    """join → score → coverage on layers (no project file), each step's houses the next step's houses, give the
    houses `analyse` gives from the project file; a selection of houses runs on the selected houses only."""
    import processing
    from qgis.core import QgsProcessingFeatureSourceDefinition

    import gridgov

    plugin = gridgov.classFactory(iface)
    plugin.initProcessing()
    layers = _layers(footprints)
    given = {kind.upper(): layer for kind, layer in layers.items()}
    try:
        houses = layers["houses"]
        for step in ("join", "score", "coverage"):
            out = processing.run(f"gridgov:{step}", {**given, "HOUSES": houses, "OUTPUT": str(tmp_path / f"{step}.gpkg"),
                                                     "RESULT_HOUSES": "TEMPORARY_OUTPUT",
                                                     "RESULT_UNMATCHED": "TEMPORARY_OUTPUT"})
            houses = out["RESULT_HOUSES"]
            assert houses.featureCount() == 762 and out["RESULT_UNMATCHED"].featureCount() >= 1   # P_FAR, in Shanghai
        whole = processing.run("gridgov:analyse", {"PROJECT": str(footprints.project), "OUTPUT": str(tmp_path / "a.gpkg")})
        layers["houses"].selectByExpression("\"house_id\" < 'OSM0100'")
        some = processing.run("gridgov:score", {
            **given, "HOUSES": QgsProcessingFeatureSourceDefinition(layers["houses"].id(), selectedFeaturesOnly=True),
            "OUTPUT": str(tmp_path / "some.gpkg"), "RESULT_HOUSES": "TEMPORARY_OUTPUT"})
    finally:
        plugin.unload()
    from gridgov.plugin.conversion import source_to_frame

    chained = source_to_frame(houses)
    expected = pyogrio.read_dataframe(whole["OUTPUT"], layer="houses", read_geometry=False).set_index("house_id")
    columns = ["people", "events_recent", "risk_score", "risk_level", "reach_s", "covered"]
    chained = chained.set_index("house_id")[columns].sort_index()
    assert (chained["risk_level"] == "red").sum() > 20
    pd.testing.assert_frame_equal(chained, expected.loc[chained.index, columns], check_dtype=False)
    assert some["RESULT_HOUSES"].featureCount() == 100


def _without_comments(value):
    """A model as data, without its empty comment boxes (read back from a file, their text is '' not NULL)."""
    if isinstance(value, dict):
        return {key: _without_comments(item) for key, item in value.items() if key != "comment"}
    return value


def test_the_example_model_runs_on_the_real_street_and_is_current(iface, footprints, tmp_path):
    """gridgov:street_model (resources/models/gridgov_street.model3, built by `make models`) chains the steps
    on the open layers into the coloured, timed houses and one field map per grid."""
    import processing
    from qgis.core import QgsApplication

    import gridgov
    from gridgov.plugin.model import build_model

    plugin = gridgov.classFactory(iface)
    plugin.initProcessing()
    try:
        shipped = QgsApplication.processingRegistry().algorithmById("gridgov:street_model")
        built = build_model()
        assert _without_comments(shipped.toVariant()["children"]) == _without_comments(built.toVariant()["children"]) \
            and shipped.parameterComponents().keys() == built.parameterComponents().keys(), \
            "the shipped model is not the one the algorithms make: run `make models`"
        out = processing.run("gridgov:street_model", {
            **_layers(footprints), "coverage:houses": "TEMPORARY_OUTPUT", "coverage:uncovered": "TEMPORARY_OUTPUT",
            "coverage:results": str(tmp_path / "model.gpkg"), "fieldmaps:field_maps": str(tmp_path / "maps.pdf")})
    finally:
        plugin.unload()
    from gridgov.plugin.conversion import source_to_frame

    houses = source_to_frame(out["coverage:houses"])
    assert len(houses) == 762 and 0.04 <= (houses["risk_level"] == "red").mean() <= 0.06
    assert out["coverage:uncovered"].featureCount() == (~houses["covered"].astype(bool)).sum() > 0
    text = _pdf_text(out["fieldmaps:field_maps"])
    assert text.count("\f") == 16 and "WG001" in _pdf_text(out["fieldmaps:field_maps"], 1)


def test_validate_takes_layers_and_a_field_its_names_do_not_say(iface, footprints, tmp_path):
    """Houses whose ID column gridgov cannot recognise (楼栋标识) fail validation until the HOUSES_HOUSE_ID
    field parameter names it; nothing else is needed."""
    import processing

    import gridgov
    from gridgov.plugin.conversion import frame_to_layer

    plugin = gridgov.classFactory(iface)
    plugin.initProcessing()
    layers = {kind.upper(): layer for kind, layer in _layers(footprints).items()}
    houses = gpd.read_file(footprints.project.parent / "street.gpkg", layer="houses").rename(
        columns={"house_id": "楼栋标识"})
    layers["HOUSES"] = frame_to_layer(houses, "houses")
    try:
        unnamed = processing.run("gridgov:validate", {**layers, "REPORT": str(tmp_path / "a.json")})
        named = processing.run("gridgov:validate", {**layers, "HOUSES_HOUSE_ID": "楼栋标识",
                                                    "REPORT": str(tmp_path / "b.json")})
    finally:
        plugin.unload()
    assert unnamed["ERRORS"] > 0 and "house_id" in (tmp_path / "a.json").read_text(encoding="utf-8")
    assert named["ERRORS"] == 0
