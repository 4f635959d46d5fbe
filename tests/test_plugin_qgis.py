"""The plugin in a real QGIS (offscreen).  QGIS missing here is a failure, not a skip."""
import os
import sys

import pytest

from helpers import options_with_defaults, sha256

pytestmark = pytest.mark.qgis    # starts QGIS: runs after the core's tests (conftest.py)

LOAD_AS_QGIS_DOES = """
import sys
from pathlib import Path
from unittest.mock import MagicMock
from qgis.core import QgsApplication
from qgis.gui import QgisInterface
from qgis.PyQt.QtWidgets import QMainWindow
from qgis.testing import start_app
import qgis.utils

app = start_app()
plugins_dir = sys.argv[1]
qgis.utils.plugin_paths = [plugins_dir]
sys.path.insert(0, plugins_dir)
iface = MagicMock(spec=QgisInterface)
iface.mainWindow.return_value = QMainWindow()
qgis.utils.iface = iface
qgis.utils.updateAvailablePlugins()
assert "gridgov" in qgis.utils.available_plugins, qgis.utils.available_plugins
assert qgis.utils.pluginMetadata("gridgov", "name") == "gridgov"
assert qgis.utils.loadPlugin("gridgov")
assert qgis.utils.startPlugin("gridgov")
assert Path(sys.modules["gridgov"].__file__).parent == Path(plugins_dir) / "gridgov"
assert iface.addToolBarIcon.call_count == 1 and iface.addPluginToMenu.call_count == 1
assert QgsApplication.processingRegistry().providerById("gridgov") is not None
assert qgis.utils.unloadPlugin("gridgov")
assert iface.removeToolBarIcon.call_count == 1 and iface.removePluginMenu.call_count == 1
assert QgsApplication.processingRegistry().providerById("gridgov") is None
print("plugin loaded and unloaded")
"""


def test_qgis_loads_starts_and_unloads_the_plugin_from_its_folder(tmp_path):
    """As QGIS does it: find the folder, read metadata.txt, import, classFactory, initGui, unload."""
    import subprocess

    import gridgov

    (tmp_path / "gridgov").symlink_to(gridgov.PACKAGE_DIR, target_is_directory=True)
    result = subprocess.run([sys.executable, "-c", LOAD_AS_QGIS_DOES, str(tmp_path)], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "plugin loaded and unloaded" in result.stdout
    assert "Traceback" not in result.stderr


def test_class_factory_init_gui_unload_twice(iface):
    import gridgov

    plugin = gridgov.classFactory(iface)
    for _ in range(2):
        plugin.initGui()
        assert len(plugin.actions) == 1 and plugin.actions[0].isEnabled()
        plugin.unload()
        assert plugin.actions == [] and plugin.provider is None


def test_processing_algorithms_run(iface, tiny_demo_dir, tiny_results, tmp_path):
    import processing
    from qgis.core import QgsApplication

    import gridgov

    plugin = gridgov.classFactory(iface)
    plugin.initProcessing()
    try:
        provider = QgsApplication.processingRegistry().providerById("gridgov")
        algorithms = {a.id() for a in provider.algorithms()}
        assert {a.group() for a in provider.algorithms()} == {""}          # one gridgov level in the toolbox
        assert {"gridgov:validate", "gridgov:join", "gridgov:score", "gridgov:coverage", "gridgov:analyse",
                "gridgov:demo", "gridgov:fieldmaps", "gridgov:webmap"} <= algorithms
        result = processing.run("gridgov:validate", {"PROJECT": str(tiny_demo_dir / "gridgov_demo.toml"),
                                                     "REPORT": str(tmp_path / "report.json")})
        assert result["ERRORS"] == 0 and (tmp_path / "report.json").exists()
        result = processing.run("gridgov:analyse", {"PROJECT": str(tiny_demo_dir / "gridgov_demo.toml"),
                                                    "OUTPUT": str(tmp_path / "results.gpkg")})
        from gridgov.cli import main as cli
        assert cli(["run", str(tiny_demo_dir / "gridgov_demo.toml"), "--out", str(tmp_path / "cli")]) == 0
        import pyogrio
        ours = pyogrio.read_dataframe(result["OUTPUT"], layer="houses", read_geometry=False)
        theirs = pyogrio.read_dataframe(tmp_path / "cli" / "gridgov_result.gpkg", layer="houses", read_geometry=False)
        assert ours[["house_id", "risk_score", "risk_level", "reach_s"]].equals(
            theirs[["house_id", "risk_score", "risk_level", "reach_s"]])     # Processing = command line
        result = processing.run("gridgov:demo", {"AREA": 2, "SCALE": 0.02, "SEED": 1, "OUTPUT": str(tmp_path / "d")})
        assert os.path.exists(result["GEOPACKAGE"])
        result = processing.run("gridgov:webmap", {"RESULTS": str(tiny_results), "BASEMAP": 0,
                                                   "WITH_PEOPLE": False, "OUTPUT": str(tmp_path / "cockpit.html")})
        assert os.path.getsize(result["OUTPUT"]) > 100_000
    finally:
        plugin.unload()


def test_each_step_is_an_algorithm_of_its_own(iface, tiny_demo_dir, tiny_results, tmp_path):
    """join, score and coverage each write their own part; together they are what analyse writes."""
    import processing
    import pyogrio
    from qgis.core import QgsProcessingException

    import gridgov

    plugin = gridgov.classFactory(iface)
    plugin.initProcessing()
    project = str(tiny_demo_dir / "gridgov_demo.toml")
    try:
        results = {step: processing.run(f"gridgov:{step}", {"PROJECT": project, "OUTPUT": str(tmp_path / f"{step}.gpkg")})
                   for step in ("join", "score", "coverage")}
        assert 0.9 < results["join"]["MATCHED_SHARE"] < 1 and "RED" not in results["join"]
        assert results["score"]["RED"] > 0 and "COVERED_SHARE" not in results["score"]
        assert 0.5 < results["coverage"]["COVERED_SHARE"] <= 1 and "RED" not in results["coverage"]
        layers = {step: {name for name, _ in pyogrio.list_layers(r["OUTPUT"])} for step, r in results.items()}
        assert "people_matched" in layers["join"] and "unmatched" in layers["join"]
        assert not layers["join"] & {"warnings", "reach_areas", "risk_by_grid"}
        assert {"warnings", "risk_by_grid"} <= layers["score"] and "reach_areas" not in layers["score"]
        assert {"reach_areas", "uncovered_houses", "suggested_bases"} <= layers["coverage"]
        assert "warnings" not in layers["coverage"]
        every = pyogrio.read_dataframe(tiny_results, layer="houses", read_geometry=False).set_index("house_id")
        for step, columns in (("score", ["risk_score", "risk_level"]), ("coverage", ["reach_s", "covered"])):
            houses = pyogrio.read_dataframe(results[step]["OUTPUT"], layer="houses", read_geometry=False)
            assert houses.set_index("house_id")[columns].equals(every.loc[houses["house_id"], columns])
        with pytest.raises(QgsProcessingException, match="carry no risk colouring"):    # maps need the risk step
            processing.run("gridgov:webmap", {"RESULTS": results["join"]["OUTPUT"],
                                              "OUTPUT": str(tmp_path / "c.html")})
    finally:
        plugin.unload()


def test_palette_styles_load_in_qgis(qgis_app):
    from qgis.core import QgsVectorLayer

    from gridgov.coloring.palette import PALETTE, STYLES

    layer = QgsVectorLayer("Polygon?crs=EPSG:4549&field=risk_level:string&field=building:string"
                           "&field=risk_score:double", "houses", "memory")
    message, ok = layer.loadNamedStyle(str(STYLES / "houses_risk.qml"))
    assert ok, message
    renderer = layer.renderer()
    assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "risk_level"
    assert [c.value() for c in renderer.categories()] == ["red", "yellow", "green"]
    assert [c.symbol().color().name() for c in renderer.categories()] == \
        [PALETTE["levels"][level]["color"] for level in ("red", "yellow", "green")]
    assert not layer.labelsEnabled()
    message, ok = layer.loadNamedStyle(str(STYLES / "houses_risk_labelled.qml"))
    assert ok and layer.labelsEnabled()
    assert "risk_score" in layer.labeling().settings().fieldName
    points = QgsVectorLayer("Point?crs=EPSG:4549&field=grade:string", "warnings", "memory")
    message, ok = points.loadNamedStyle(str(STYLES / "warnings_grade.qml"))
    assert ok and [c.value() for c in points.renderer().categories()] == ["major", "urgent", "routine"]


def test_reach_times_agree_node_by_node_with_qgis_service_area(qgis_app, tiny_street, tmp_path):
    """native:serviceareafromlayer with the same speeds and one-way directions reaches exactly the
    nodes our Dijkstra reaches within the time (nodes within a second of the limit aside)."""
    import geopandas as gpd
    import numpy as np
    import processing
    import shapely
    from scipy.sparse.csgraph import dijkstra

    from gridgov.grid_tools.roadgraph import build_graph, directions, drivable, speeds_kmh

    roads = drivable(tiny_street.roads).explode(index_parts=False, ignore_index=True)
    graph = build_graph(roads)
    forward, backward = directions(roads)
    network = gpd.GeoDataFrame({"speed_kmh": speeds_kmh(roads),
                                "dir": np.where(forward & backward, "B", np.where(forward, "F", "T"))},
                               geometry=roads.geometry.to_numpy(), crs=roads.crs)
    network.to_file(tmp_path / "net.gpkg", layer="net")
    limit = 120.0
    for start in ([513500, 3353800], [512300, 3352900]):
        node = graph.node_tree.query(start)[1]
        gpd.GeoDataFrame({"id": [1]}, geometry=[shapely.Point(graph.nodes[node])], crs=roads.crs).to_file(
            tmp_path / "net.gpkg", layer="start")
        result = processing.run("native:serviceareafromlayer", {
            "INPUT": f"{tmp_path / 'net.gpkg'}|layername=net", "STRATEGY": 1, "DIRECTION_FIELD": "dir",
            "VALUE_FORWARD": "F", "VALUE_BACKWARD": "T", "VALUE_BOTH": "B", "DEFAULT_DIRECTION": 2,
            "SPEED_FIELD": "speed_kmh", "DEFAULT_SPEED": 20, "TOLERANCE": 0,
            "START_POINTS": f"{tmp_path / 'net.gpkg'}|layername=start",
            "TRAVEL_COST2": limit / 3600,            # QGIS 3.22 takes hours for "fastest"
            "INCLUDE_BOUNDS": False, "OUTPUT_LINES": str(tmp_path / "area.gpkg")})
        reached_lines = shapely.union_all(gpd.read_file(result["OUTPUT_LINES"]).geometry.to_numpy())
        on_lines = shapely.dwithin(reached_lines, shapely.points(graph.nodes), 0.01)
        seconds = dijkstra(graph.graph, indices=node)
        _, where, count = np.unique(np.round(graph.nodes * 100), axis=0, return_inverse=True, return_counts=True)
        alone = count[where.ravel()] == 1          # nodes that share no coordinates with another level
        inside, outside = alone & (seconds < limit - 1), alone & (seconds > limit + 1)
        assert inside.sum() > 50 and outside.sum() > 1000
        assert on_lines[inside].all() and not on_lines[outside].any()


def test_field_maps_algorithm_puts_the_layout_in_the_project(iface, tiny_results, tmp_path):
    import processing
    from qgis.core import QgsProject

    import gridgov

    plugin = gridgov.classFactory(iface)
    plugin.initProcessing()
    try:
        result = processing.run("gridgov:fieldmaps", {"RESULTS": str(tiny_results), "PAPER": 0, "GRIDS": "WG001,WG002",
                                                      "PER_GRID": False, "OUTPUT": str(tmp_path / "maps.pdf")})
        assert result["OUTPUT"] == str(tmp_path / "maps.pdf") and (tmp_path / "maps.pdf").stat().st_size > 10000
        assert QgsProject.instance().layoutManager().layoutByName("gridgov field maps A4") is not None
    finally:
        plugin.unload()


def test_gbk_shapefile_reads_right_even_after_qgis_opened_it(qgis_app, tmp_path):
    """QGIS opens shapefiles without recoding (a process-wide GDAL setting); the reader names the
    encoding itself, so inside QGIS it still decodes a GBK .dbf with no .cpg."""
    import subprocess

    from qgis.core import QgsVectorLayer

    from gridgov.layers.project import InputSpec
    from gridgov.layers.readers import read_source

    path = tmp_path / "grids.shp"
    subprocess.run([sys.executable, "-c",        # written where QGIS has not touched GDAL's settings
                    "import geopandas as gpd, shapely, os, sys; "
                    "gpd.GeoDataFrame({'网格编号': ['WG1'], '网格名称': ['小河网格']}, geometry=[shapely.Point(0, 0)], "
                    "crs=4549).to_file(sys.argv[1], encoding='GBK'); os.remove(sys.argv[1][:-4] + '.cpg')",
                    str(path)], check=True)
    assert QgsVectorLayer(str(path), "grids", "ogr").isValid()
    raw = read_source(InputSpec("grids", str(path)))
    assert raw.frame["网格编号"].tolist() == ["WG1"] and raw.frame["网格名称"].tolist() == ["小河网格"]
    assert raw.encoding == "gb18030"


def test_layers_become_frames_and_back_keeping_crs_types_and_chinese(qgis_app, tiny_demo_dir, tmp_path):
    import geopandas as gpd
    import pandas as pd
    import shapely
    from qgis.core import QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    from gridgov.plugin.conversion import file_source, frame_to_layer, layer_to_frame

    frame = gpd.GeoDataFrame({
        "house_id": ["H1", "H2"], "address": ["浙江省杭州市拱墅区小河路488号3幢", None],
        "floors": pd.array([6, 18], dtype="Int64"), "height_m": [18.0, 54.5], "covered": [True, False],
        "reported_at": pd.to_datetime(["2026-11-01 08:30", "2026-11-02 00:00"])},
        geometry=[shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)], crs="EPSG:4549")
    layer = frame_to_layer(frame, "房屋")
    assert layer.isValid() and layer.featureCount() == 2 and layer.crs().authid() == "EPSG:4549"
    types = {f.name(): f.type() for f in layer.fields()}
    assert types["floors"] == QVariant.LongLong and types["height_m"] == QVariant.Double
    assert types["covered"] == QVariant.Bool and types["reported_at"] == QVariant.DateTime
    back = layer_to_frame(layer)
    assert back.crs.to_epsg() == 4549 and back["address"][0] == "浙江省杭州市拱墅区小河路488号3幢"
    assert pd.isna(back["address"][1]) and back["floors"].tolist() == [6, 18]
    assert back.geometry.area.tolist() == [100.0, 100.0]
    assert pd.Timestamp(back["reported_at"][0]) == pd.Timestamp("2026-11-01 08:30")
    gpkg = tiny_demo_dir / "gridgov_demo.gpkg"
    grids = QgsVectorLayer(f"{gpkg}|layername=grids", "grids", "ogr")
    assert file_source(grids) == (str(gpkg), "grids")      # read from the file, not feature by feature
    from_file = layer_to_frame(grids, "grids")
    assert len(from_file) == 82 and from_file["name"].str.contains("网格").all()
    grids.setSubsetString("\"grid_id\" = 'WG001'")
    assert file_source(grids) is None and len(layer_to_frame(grids)) == 1


def test_processing_and_the_dock_offer_the_declared_options_with_their_defaults(iface, monkeypatch, tmp_path):
    """A default changed in resources/options.toml changes the toolbox's parameters and the dock's widgets
    (the command line's: tests/test_options.py)."""
    from qgis.core import QgsApplication, QgsSettings

    from gridgov.plugin.dock import GridGovDock
    from gridgov.plugin.settings import DOCK_GROUPS, SETTINGS_PREFIX

    declared = options_with_defaults(monkeypatch, tmp_path, threshold_s=240.0, new_bases=5, paper="A3",
                                     basemap="osm", walk_speed_kmh=4.0)
    settings = QgsSettings()
    for name in declared:                         # never saved: the dock shows the declared defaults
        settings.remove(SETTINGS_PREFIX + name)
    import gridgov

    plugin = gridgov.classFactory(iface)
    plugin.initProcessing()
    try:
        offered = {}
        for algorithm in QgsApplication.processingRegistry().providerById("gridgov").algorithms():
            for definition in algorithm.parameterDefinitions():
                offered[definition.name()] = definition
        assert {o.name.upper() for o in declared.values()} <= set(offered)      # every option, somewhere
        assert offered["THRESHOLD_S"].defaultValue() == 240 and offered["THRESHOLD_S"].minimum() == 30
        assert offered["NEW_BASES"].defaultValue() == 5 and offered["WALK_SPEED_KMH"].defaultValue() == 4
        assert offered["PAPER"].options()[offered["PAPER"].defaultValue()] == "A3"
        assert offered["BASEMAP"].options()[offered["BASEMAP"].defaultValue()] == "osm"
        dock = GridGovDock(iface)
        try:
            widgets = dock.option_widgets
            assert set(widgets) == {o.name for o in declared.values() if o.group in DOCK_GROUPS}
            assert widgets["threshold_s"].value() == 240 and widgets["threshold_s"].maximum() == 3600
            assert widgets["new_bases"].value() == 5 and widgets["walk_speed_kmh"].value() == 4
            assert widgets["paper"].currentText() == "A3" and widgets["basemap"].currentText() == "osm"
        finally:
            dock.shutdown()
            dock.deleteLater()
    finally:
        plugin.unload()
        for name in declared:
            settings.remove(SETTINGS_PREFIX + name)


def processing_log():
    """A Processing feedback that keeps the lines an algorithm logs."""
    from qgis.core import QgsProcessingFeedback

    class Log(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, info):  # noqa: N802
            self.lines.append(info)

        def pushWarning(self, warning):  # noqa: N802
            self.lines.append(warning)

    return Log()


def parse_addresses(iface, layer, field: str) -> tuple:
    """(the parsed layer, the log) of the toolbox's 地址拆分 on ``layer``'s ``field``."""
    import processing

    import gridgov

    plugin = gridgov.classFactory(iface)
    plugin.initProcessing()
    try:
        log = processing_log()
        out = processing.run("gridgov:parseaddresses", {"INPUT": layer, "FIELD": field, "OUTPUT": "memory:"},
                             feedback=log)["OUTPUT"]
    finally:
        plugin.unload()
    return out, log


def test_parse_addresses_on_a_layer_open_in_qgis(iface):
    """The address cleaner as the toolbox runs it: a table layer in, the same rows with a field per part out,
    and the log says how many written addresses can find no house."""
    from qgis.core import QgsFeature, QgsVectorLayer

    table = QgsVectorLayer("None?field=编号:string&field=住址:string", "三实导出", "memory")
    rows = [("P1", "浙江省杭州市拱墅区小河路４８８号三栋2单元301室"), ("P2", "和睦新村12-3-502"), ("P3", None), ("P4", "见附件")]
    for values in rows:
        feature = QgsFeature(table.fields())
        feature.setAttributes(list(values))
        table.dataProvider().addFeature(feature)
    out, log = parse_addresses(iface, table, "住址")
    got = {f["编号"]: f for f in out.getFeatures()}
    assert [got["P1"][n] for n in ("parsed_road", "parsed_number", "parsed_building", "parsed_unit", "parsed_room")] \
        == ["小河路", "488", "3", "2", "301"]
    assert (got["P2"]["parsed_compound"], got["P2"]["parsed_building"], got["P2"]["parsed_room"]) == ("和睦新村", "12", "502")
    assert got["P3"]["parsed_road"] in (None, "") and table.featureCount() == 4 and "parsed_road" not in \
        table.fields().names()
    assert any(line.startswith("1 of 3 written addresses name neither") for line in log.lines), log.lines


REGISTER = (["小河街道实有人口登记表"], ["人员编号", "姓名", "居住地址"], ["P1", "张三", "小河路356号13幢2单元1102室"],
            ["P2", "李四", "和睦新村12幢3单元502室"], ["合计：2人"])


def _register(folder, suffix: str):
    """REGISTER as an export writes it: a workbook with a merged title, or a CSV (Excel's CSV UTF-8)."""
    import openpyxl

    path = folder / f"实有人口{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(row + [""] * (3 - len(row))) for row in REGISTER) + "\n", encoding="utf-8-sig")
        return path
    book = openpyxl.Workbook()
    for row in REGISTER:
        book.active.append(row)
    book.active.merge_cells("A1:C1")
    book.save(path)
    return path


@pytest.mark.parametrize("suffix, names", [(".xlsx", ["Field1", "Field2", "Field3"]),
                                           (".csv", ["小河街道实有人口登记表", "field_2", "field_3"])])
def test_parse_addresses_on_a_spreadsheet_qgis_opened_as_written(iface, tmp_path, suffix, names):
    """A register with a title above its header and a total below, as QGIS opens it (a workbook's fields Field1 …,
    a CSV's named by its title; the header and total rows features like the records): the records come out named
    by the header, and the log says what was skipped."""
    from qgis.core import QgsVectorLayer

    path = _register(tmp_path, suffix)
    before = sha256(path)
    layer = QgsVectorLayer(str(path), "实有人口", "ogr")
    assert layer.fields().names() == names
    out, log = parse_addresses(iface, layer, names[2])
    assert out.fields().names()[:3] == ["人员编号", "姓名", "居住地址"]
    got = {f["人员编号"]: f for f in out.getFeatures()}
    assert set(got) == {"P1", "P2"}
    assert (got["P1"]["parsed_road"], got["P1"]["parsed_number"], got["P1"]["parsed_building"]) == ("小河路", "356", "13")
    assert (got["P2"]["parsed_compound"], got["P2"]["parsed_room"]) == ("和睦新村", "502")
    assert any("小河街道实有人口登记表" in line for line in log.lines) and any("合计：2人" in line for line in log.lines)
    assert sha256(path) == before
