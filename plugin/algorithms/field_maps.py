"""Processing: field maps, one page per grid, into the project and out as PDF."""
from pathlib import Path

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProject,
)

from ...atlas.export import add_field_maps, export
from ...layers.errors import InputError
from ..parameters import add_parameters, parameter_values
from .base import GridGovAlgorithm


class FieldMaps(GridGovAlgorithm):
    NAME = "fieldmaps"
    TITLE = "Field maps per grid 网格作战图"
    HELP = ("Adds a print layout with an atlas over the grids to the project (editable before printing) and "
            "exports it: the grid's houses coloured by risk, neighbouring grids dimmed, bases, legend, scale bar, "
            "north arrow, the red then yellow houses to visit with their reasons, the grid's overdue events, an "
            "overview map, the date and the OpenStreetMap attribution; with gridgov compare's changes file, the "
            "houses turned red since the last run are outlined and marked. No names, ID-card or phone numbers are printed.")

    def flags(self):
        # the layout and its layers go into the project: main thread only
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("RESULTS", "Result GeoPackage 结果 GeoPackage", extension="gpkg"))
        add_parameters(self, "atlas")
        self.addParameter(QgsProcessingParameterString("GRIDS", "Only these grid IDs (comma-separated) 指定网格",
                                                       optional=True))
        self.addParameter(QgsProcessingParameterFile("CHANGES", "Changes since the last run 变化 (gridgov compare)",
                                                     extension="gpkg", optional=True))
        self.addParameter(QgsProcessingParameterBoolean("PER_GRID", "One PDF per grid 每个网格一个文件", False))
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", "Field maps 作战图 (PDF)", "PDF (*.pdf)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        paper = parameter_values(self, parameters, context, "atlas")["paper"]
        grids = [g.strip() for g in self.parameterAsString(parameters, "GRIDS", context).split(",") if g.strip()]
        # qgis_process runs without a project in the context: the global one (which the titles read) then
        project = context.project() or QgsProject.instance()
        out = Path(self.parameterAsFileOutput(parameters, "OUTPUT", context))
        per_grid = self.parameterAsBool(parameters, "PER_GRID", context)
        try:
            layout = add_field_maps(project, self.parameterAsFile(parameters, "RESULTS", context), paper,
                                    changes=self.parameterAsFile(parameters, "CHANGES", context) or None)
            feedback.pushInfo(f"layout '{layout.name()}' added to the project")
            paths = export(layout, out.with_suffix("") if per_grid else out, per_grid, grids or None, feedback)
        except InputError as error:
            raise QgsProcessingException(str(error)) from None
        feedback.pushInfo(f"{len(paths)} PDF file(s) written")
        return {"OUTPUT": str(paths[0]) if len(paths) == 1 else str(out.with_suffix(""))}
