"""Processing: read and check a street's layers (or its project file)."""
from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFileDestination,
)

from ..layer_parameters import add_layer_parameters, street_kinds, street_project
from .base import GridGovAlgorithm

KINDS = street_kinds(("coverage",))       # every kind a street may have


class ValidateStreet(GridGovAlgorithm):
    NAME = "validate"
    TITLE = "Validate street inputs 校验街道数据"
    HELP = ("Reads every input layer given (or that a gridgov project file names), maps field names, brings all layers into "
            "one projected CRS and checks them: fields, IDs, geometries, grids that overlap or leave gaps, "
            "nesting of grids in patrol zones and of patrol zones in defense zones, houses in no grid or in two. "
            "读取项目文件中的全部图层并进行校验。")

    def initAlgorithm(self, config=None):  # noqa: N802
        add_layer_parameters(self, KINDS)
        self.addParameter(QgsProcessingParameterFileDestination("REPORT", "Report 校验报告 (JSON)",
                                                                "JSON (*.json)", optional=True))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", "Errors"))
        self.addOutput(QgsProcessingOutputNumber("WARNINGS", "Warnings"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...layers import InputError, load_street
        from ...layers.geopackage import write_text

        try:
            street = load_street(street_project(self, parameters, context, KINDS), progress=self.progress(feedback))
        except InputError as error:
            raise QgsProcessingException(str(error)) from None
        report = street.report
        feedback.pushInfo(report.to_text())
        outputs = {"ERRORS": len(report.errors), "WARNINGS": len(report.warnings)}
        destination = self.parameterAsFileOutput(parameters, "REPORT", context)
        if destination:
            write_text(destination, report.to_json(), suffixes=(".json",))
            outputs["REPORT"] = destination
        return outputs
