"""Field maps out: the layout in a project, PDFs written whole, and the headless run behind `gridgov atlas`."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from qgis.core import QgsLayoutExporter, QgsPrintLayout, QgsProject, QgsReferencedRectangle, QgsRenderContext, QgsVectorLayer

from ..layers.errors import InputError
from ..layers.geopackage import check_output
from .layout import build_layout, save_template
from .map_layers import load_layers, overdue_events

TITLE_LAYERS = ("communities", "patrol_zones")      # read by the title's expressions


def add_field_maps(project: QgsProject, gpkg, paper: str = "A4", group=None, changes=None) -> QgsPrintLayout:
    """Load a result GeoPackage's layers into the project and add the field-map layout to it
    (editable in QGIS before printing); ``changes`` (gridgov compare's file) marks the houses turned red."""
    layers = load_layers(Path(gpkg), project, group, changes)
    overdue = overdue_events(Path(gpkg), project, group)
    for extra in TITLE_LAYERS:      # the title looks zones up in them; in the group, never hidden in the project
        layer = QgsVectorLayer(f"{gpkg}|layername={extra}", extra, "ogr")
        if layer.isValid():
            project.addMapLayer(layer, False)
            if group is not None:
                group.addLayer(layer).setItemVisibilityChecked(False)
    if not project.crs().isValid():
        project.setCrs(layers["grids"].crs())
    layout = build_layout(project, layers, paper, overdue)
    existing = project.layoutManager().layoutByName(layout.name())
    if existing is not None:
        project.layoutManager().removeLayout(existing)
    project.layoutManager().addLayout(layout)
    return layout


def export(layout: QgsPrintLayout, out: Path, per_grid: bool = False, grid_ids=None, feedback=None) -> list:
    """One multi-page PDF (or one PDF per grid) for all grids or the ones named.

    ``feedback`` (a QgsFeedback) receives the progress page by page and can cancel.
    """
    atlas = layout.atlas()
    if grid_ids:
        quoted = ", ".join("'" + g.replace("'", "''") + "'" for g in grid_ids)
        atlas.setFilterFeatures(True)
        atlas.setFilterExpression(f'"grid_id" IN ({quoted})')
        if atlas.updateFeatures() == 0:
            raise InputError(f"no grid has the ID(s) {', '.join(grid_ids)}")
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = True
    settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText   # searchable, fonts embedded
    # written under temporary names and renamed when complete: never half a PDF at the given path
    if per_grid:
        return _export_per_grid(atlas, Path(out), settings, feedback)
    out = check_output(out, (".pdf",))
    partial = out.with_name(f".{out.stem}.partial.pdf")
    try:
        _check(*QgsLayoutExporter.exportToPdf(atlas, str(partial), settings, feedback))
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return [out]


def _export_per_grid(atlas, out: Path, settings, feedback) -> list:
    """QGIS names each file by the atlas expression, in the folder of the path given: a staging folder."""
    if out.exists() and not out.is_dir():
        raise InputError("one PDF per grid goes into a folder, and this is a file", str(out))
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".field-maps-", dir=out))
    try:
        _check(*QgsLayoutExporter.exportToPdfs(atlas, str(staging / "field_map.pdf"), settings, feedback))
        written = []
        for pdf in sorted(staging.glob("*.pdf")):
            os.replace(pdf, out / pdf.name)
            written.append(out / pdf.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _check(result, error):
    if result == QgsLayoutExporter.Canceled:
        raise InputError("field maps cancelled 已取消作战图导出")
    if result != QgsLayoutExporter.Success:
        raise RuntimeError(f"QGIS could not export the field maps: {error}")


def make_field_maps(gpkg, out, paper: str = "A4", per_grid: bool = False, grid_ids=None, qgz=None,
                    changes=None) -> list:
    """Headless: a fresh project with the results, the layout, the PDF(s); optionally the .qgz beside;
    with ``changes`` (gridgov compare's file) the houses turned red since the last run are marked."""
    from .headless import start_qgis

    start_qgis()
    project = QgsProject.instance()     # get_feature() in the title looks layers up in this project
    project.clear()
    layout = add_field_maps(project, gpkg, paper, changes=changes)
    paths = export(layout, Path(out), per_grid, grid_ids)
    if qgz:          # opens on the street, not on a blank map at 1:1
        grids = layout.atlas().coverageLayer()
        project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(grids.extent(), grids.crs()))
        project.write(str(qgz))
    return paths


if __name__ == "__main__":   # `make templates`: the layout as a .qpt, built on the demo street
    import sys

    from .headless import start_qgis

    start_qgis()
    QgsProject.instance().clear()
    print(save_template(add_field_maps(QgsProject.instance(), sys.argv[1])))
