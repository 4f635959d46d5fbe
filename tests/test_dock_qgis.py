"""The dock in a real QGIS (offscreen): the whole workflow end to end, as a planner clicks through it."""
import re
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from helpers import sha256

pytestmark = [pytest.mark.qgis, pytest.mark.slow]    # starts QGIS: runs after the core's tests (conftest.py)

KINDS = ("grids", "patrol_zones", "defense_zones", "communities", "houses", "people", "units", "events", "sensors",
         "bases", "roads", "water")
ARTIFACTS = Path(__file__).resolve().parents[1] / "out" / "test-artifacts"


def run_until_idle(dock, timeout=300):
    """Let QGIS's event loop run the dock's tasks (and what they chain) to the end."""
    from qgis.PyQt.QtCore import QCoreApplication

    started = time.monotonic()
    while dock.busy or dock.queue:
        QCoreApplication.processEvents()
        time.sleep(0.01)
        assert time.monotonic() - started < timeout, dock.status.text()


@pytest.fixture
def street_layers(qgis_app, tiny_demo_dir):
    """The demo street's layers open in the project, as a planner has them: files, and grids as an
    unsaved memory layer whose ID column has a name no alias knows."""
    from qgis.core import QgsProject, QgsVectorLayer

    from gridgov.plugin.conversion import frame_to_layer

    gpkg = tiny_demo_dir / "gridgov_demo.gpkg"
    before = sha256(gpkg)
    project = QgsProject.instance()
    project.clear()
    for kind in KINDS:
        if kind == "grids":
            grids = pyogrio.read_dataframe(gpkg, layer="grids").rename(columns={"grid_id": "编码"})
            project.addMapLayer(frame_to_layer(grids, "小河街道网格"))
        else:
            project.addMapLayer(QgsVectorLayer(f"{gpkg}|layername={kind}", kind, "ogr"))
    yield project
    project.clear()
    assert sha256(gpkg) == before       # the user's input is never modified


@pytest.fixture
def chinese(qgis_app):
    """QGIS set to Chinese, as a planner in China runs it."""
    from qgis.core import QgsSettings

    from gridgov.plugin.i18n import install_translator, remove_translator

    settings = QgsSettings()
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "zh_CN")
    translator = install_translator()
    assert translator is not None, "resources/i18n/gridgov_zh_CN.qm is missing: `make` builds it"
    yield
    remove_translator(translator)
    settings.setValue("locale/overrideFlag", False)
    settings.remove("locale/userLocale")


@pytest.fixture
def plugin(iface, tmp_path):
    import gridgov
    from gridgov.plugin.settings import Options, save_options

    save_options(Options(output_dir=str(tmp_path / "out")))
    plugin = gridgov.classFactory(iface)
    plugin.initGui()
    plugin.actions[0].setChecked(True)        # the toolbar button opens the dock
    assert plugin.dock is not None and iface.addDockWidget.called
    yield plugin
    plugin.unload()
    save_options(Options())


def map_grid_id(dock):
    """What the planner does for the one field the names did not give: pick the row, pick the column."""
    from qgis.gui import QgsFieldComboBox

    row = list(dock.layer_boxes).index("grids")
    dock.layer_table.setCurrentCell(row, 1)
    names = [dock.fields_table.item(r, 0).text() for r in range(dock.fields_table.rowCount())]
    combo = dock.fields_table.cellWidget(names.index("grid_id *"), 1)
    assert isinstance(combo, QgsFieldComboBox) and combo.currentField() == ""
    combo.setField("编码")


def test_the_dock_runs_the_whole_workflow_and_gives_what_processing_gives(chinese, street_layers, plugin,
                                                                           tiny_demo_dir, tmp_path):
    import processing

    dock = plugin.dock
    assert dock.windowTitle() == "gridgov 街道网格化治理"
    assert [dock.tabs.tabText(i) for i in range(3)] == ["图层", "运行", "报告"]
    layer_of = {kind: street_layers.mapLayer(layer_id).name() for kind, layer_id in dock.mapping.layers.items()}
    assert layer_of == {kind: "小河街道网格" if kind == "grids" else kind for kind in KINDS}
    status = {dock._kind_at(r): dock.layer_table.item(r, 2).text() for r in range(dock.layer_table.rowCount())}
    assert status["grids"] == "需对应：grid_id" and status["houses"] == "✓"

    dock.buttons["run_all"].click()             # refused: a required field is not mapped yet
    assert not dock.busy and "grid_id" in dock.status.text() and dock.tabs.currentIndex() == 0
    map_grid_id(dock)
    assert dock.layer_table.item(list(KINDS).index("grids"), 2).text() == "✓"

    dock.buttons["run_all"].click()
    assert dock.busy and not dock.buttons["analyse"].isEnabled() and dock.cancel_button.isEnabled()
    run_until_idle(dock)
    assert dock.progress.value() == 100 and set(dock.outputs) == {"analyse", "field_maps", "web_map", "wall"}, \
        dock.status.text()

    # results as styled layers in the gridgov group, in Chinese
    group = street_layers.layerTreeRoot().findGroup("gridgov")
    names = [child.name() for child in group.children()]
    assert names[:7] == ["多源预警", "建议新增驻点", "驻点", "五分钟未覆盖房屋", "房屋风险", "五分钟响应圈", "网格"]
    people_node = street_layers.layerTreeRoot().findLayer(dock.mapping.layers["people"])   # inputs quiet
    assert not people_node.isVisible() and people_node.layer().hasScaleBasedVisibility()
    houses_layer = group.findLayers()[names.index("房屋风险")].layer()
    assert houses_layer.renderer().type() == "categorizedSymbol"
    assert {c.value() for c in houses_layer.renderer().categories()} >= {"red", "yellow", "green"}
    assert street_layers.layoutManager().layoutByName("gridgov field maps A4") is not None

    # the reports: sortable tables and charts
    tabs = [dock.reports.tabText(i) for i in range(dock.reports.count())]
    assert tabs == ["校验", "匹配", "各网格风险", "回测", "事件闭环", "各防区覆盖", "各巡区覆盖"]
    risk = dock.reports.widget(2).layout().itemAt(1).widget()
    red_column = [risk.model().headerData(c, 1) for c in range(risk.model().columnCount())].index("红色")
    risk.sortByColumn(red_column, 1)            # descending
    reds = [risk.model().index(r, red_column).data(0x0100) for r in range(risk.model().rowCount())]
    assert reds == sorted(reds, reverse=True) and reds[0] > 0
    loop = dock.reports.widget(4).layout()          # the closed loop: closure today / month, the months as bars
    assert loop.itemAt(0).widget().text().startswith("今日办结率")
    months = loop.itemAt(1).widget()
    assert len(months.rows) >= 12 and [text for text, _ in months.legend] == ["已办结", "未办结"]

    # the files: the result GeoPackage, 82 field-map pages, the web map without personal data
    out = tmp_path / "out"
    pages = subprocess.run(["pdfinfo", str(out / "field_maps.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+82\b", pages)
    people = pyogrio.read_dataframe(tiny_demo_dir / "gridgov_demo.gpkg", layer="people", read_geometry=False)
    for name in ("cockpit.html", "wall.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert not any(str(value) in page for value in people["id_number"].head(50)), name

    # the same street through Processing gives the same houses, levels and reach
    expected = processing.run("gridgov:analyse", {"PROJECT": str(tiny_demo_dir / "gridgov_demo.toml"),
                                                  "OUTPUT": str(tmp_path / "processing.gpkg")})["OUTPUT"]
    columns = ["house_id", "grid_id", "risk_score", "risk_level", "risk_reasons", "people", "events", "covered",
               "reach_s", "reach_base"]
    ours = pyogrio.read_dataframe(out / "gridgov_result.gpkg", layer="houses", read_geometry=False, columns=columns)
    theirs = pyogrio.read_dataframe(expected, layer="houses", read_geometry=False, columns=columns)
    pd.testing.assert_frame_equal(ours.sort_values("house_id").reset_index(drop=True),
                                  theirs.sort_values("house_id").reset_index(drop=True))
    for table in ("match_report", "coverage_by_defense_zone"):
        pd.testing.assert_frame_equal(pyogrio.read_dataframe(out / "gridgov_result.gpkg", layer=table),
                                      pyogrio.read_dataframe(expected, layer=table))

    screenshot(plugin.iface.mainWindow(), dock, street_layers, group)


def screenshot(window, dock, project, group):
    """The dock beside the coloured street, as the README shows it (kept in out/test-artifacts/dock.png)."""
    from qgis.core import QgsFillSymbol, QgsLineSymbol
    from qgis.gui import QgsMapCanvas
    from qgis.PyQt.QtCore import QCoreApplication, Qt

    roads, water = (project.mapLayersByName(name)[0] for name in ("roads", "water"))
    roads.renderer().setSymbol(QgsLineSymbol.createSimple({"color": "#c8c8c8", "width": "0.4"}))
    water.renderer().setSymbol(QgsFillSymbol.createSimple({"color": "#c6dbef", "outline_style": "no"}))
    canvas = QgsMapCanvas()
    visible = [node.layer() for node in group.findLayers() if node.isVisible()]
    canvas.setDestinationCrs(visible[0].crs())
    canvas.setLayers(visible + [roads, water])
    grids = next(layer for layer in visible if layer.name() == "网格")
    extent = grids.extent()
    extent.scale(0.45)
    canvas.setExtent(extent)
    window.setCentralWidget(canvas)
    window.addDockWidget(Qt.RightDockWidgetArea, dock)
    dock.tabs.setCurrentIndex(2)
    dock.reports.setCurrentIndex(2)
    window.resize(1500, 900)
    window.resizeDocks([dock], [560], Qt.Horizontal)
    window.show()
    canvas.refresh()
    QCoreApplication.processEvents()
    canvas.waitWhileRendering()
    QCoreApplication.processEvents()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "dock.png"))


def test_the_project_remembers_its_mapping_and_settings_the_options(street_layers, plugin, tmp_path):
    from qgis.core import QgsProject

    from gridgov.plugin.dock import GridGovDock
    from gridgov.plugin.settings import load_options

    dock = plugin.dock
    map_grid_id(dock)
    dock.option_widgets["threshold_s"].setValue(240)
    mapping = (dict(dock.mapping.layers), dict(dock.mapping.fields))
    assert mapping[1] == {"grids": {"grid_id": "编码"}}
    street_layers.write(str(tmp_path / "street.qgz"))
    memory_grids = mapping[0]["grids"]

    street_layers.clear()
    assert QgsProject.instance().read(str(tmp_path / "street.qgz"))
    # QGIS keeps the memory layer's features in the .qgz only with a plugin for it; the files come back
    assert {k: v for k, v in dock.mapping.layers.items() if v != memory_grids} == \
        {k: v for k, v in mapping[0].items() if k != "grids"}
    assert load_options().values["threshold_s"] == 240
    fresh = GridGovDock(plugin.iface)
    try:
        assert fresh.option_widgets["threshold_s"].value() == 240 and fresh.mapping.layers == dock.mapping.layers
    finally:
        fresh.shutdown()
        fresh.deleteLater()


def test_cancel_stops_the_analysis_and_leaves_no_result(street_layers, plugin, tmp_path):
    dock = plugin.dock
    map_grid_id(dock)
    dock.buttons["analyse"].click()
    dock.cancel_button.click()
    run_until_idle(dock)
    assert dock.status.text() == "Cancelled." and dock.buttons["analyse"].isEnabled()
    assert not (tmp_path / "out" / "gridgov_result.gpkg").exists()
    assert street_layers.layerTreeRoot().findGroup("gridgov") is None


def test_the_interface_is_english_by_default_and_every_text_is_translated(plugin, tmp_path):
    dock = plugin.dock
    assert [dock.tabs.tabText(i) for i in range(3)] == ["Layers", "Run", "Reports"]
    assert dock.layer_table.item(0, 0).text() == "grids"
    ts = Path(__file__).resolve().parents[1] / "resources" / "i18n" / "gridgov_zh_CN.ts"
    assert 'type="unfinished"' not in ts.read_text(encoding="utf-8")
    if shutil.which("pylupdate5"):       # the .ts holds every text the code has (make translations)
        current = tmp_path / "current.ts"
        shutil.copy(ts, current)
        plugin_dir = ts.parents[2] / "plugin"
        subprocess.run(["pylupdate5", "-noobsolete", *map(str, plugin_dir.glob("*.py")),
                        *map(str, (plugin_dir / "algorithms").glob("*.py")), "-ts", str(current)], check=True,
                       capture_output=True)
        assert 'type="unfinished"' not in current.read_text(encoding="utf-8"), "run `make translations`"


def test_missing_dependencies_bring_the_install_dialog_and_only_gridgov_waits(iface, monkeypatch):
    import gridgov
    from gridgov.plugin import dependencies, main

    monkeypatch.setattr(main, "missing_packages", lambda: ["rapidfuzz", "folium"])
    monkeypatch.setattr(dependencies, "problems", lambda: ["rapidfuzz: missing", "folium: 0.12 is too old (needs 0.15)"])
    plugin = gridgov.classFactory(iface)
    plugin.initGui()
    try:
        dialog = plugin.install_dialog
        assert dialog.isVisible() and plugin.provider is None and plugin.actions[0].isEnabled()
        text = dialog.message.text()
        assert "rapidfuzz: missing" in text and "wheelhouse" in text and str(dialog.folder) in text
        assert dialog.folder.parts[-3:] == ("python", "dependencies", "gridgov")      # in the profile
        dialog.hide()
        plugin.actions[0].trigger()                    # the button says it again, instead of a dead grey icon
        assert dialog.isVisible() and plugin.dock is None and not plugin.actions[0].isChecked()
        command = dependencies.pip_command(dialog.folder, dialog.folder / "wheels")
        assert "--no-deps" in command and "--no-index" in command and "pyogrio" not in " ".join(command)
    finally:
        plugin.unload()


def test_steps_left_unticked_are_not_run_and_the_maps_wait_for_risk(street_layers, plugin, tmp_path):
    dock = plugin.dock
    map_grid_id(dock)
    dock.step_boxes["risk"].setChecked(False)
    dock.buttons["analyse"].click()
    run_until_idle(dock)
    houses = pyogrio.read_info(tmp_path / "out" / "gridgov_result.gpkg", layer="houses")["fields"]
    assert "reach_s" in houses and "risk_level" not in houses
    assert [dock.reports.tabText(i) for i in range(dock.reports.count())] == [
        "Validation", "Matching", "Closed loop", "Coverage by defense zone", "Coverage by patrol zone"]
    dock.buttons["field_maps"].click()
    assert "risk colouring ticked" in dock.status.text() and not (tmp_path / "out" / "field_maps.pdf").exists()


def test_a_layer_without_crs_is_named_before_anything_runs(street_layers, plugin):
    from qgis.core import QgsCoordinateReferenceSystem

    dock = plugin.dock
    map_grid_id(dock)
    dock.layer_boxes["grids"].currentLayer().setCrs(QgsCoordinateReferenceSystem())
    dock.buttons["analyse"].click()
    assert not dock.busy and "小河街道网格 has no CRS" in dock.status.text()
