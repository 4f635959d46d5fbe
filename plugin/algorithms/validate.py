"""Processing: read and check a street's project file."""
from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
)

from .base import GridGovAlgorithm


class ValidateStreet(GridGovAlgorithm):
    NAME = "validate"
    TITLE = "Validate street inputs 校验街道数据"
    HELP = ("Reads every input a gridgov project file names, maps field names, brings all layers into "
            "one projected CRS and checks them: fields, IDs, geometries, grids that overlap or leave gaps, "
            "nesting of grids in patrol zones and of patrol zones in defense zones, houses in no grid or in two. "
            "读取项目文件中的全部图层并进行校验。")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("PROJECT", "Project file 项目文件 (.toml)",
                                                     extension="toml"))
        self.addParameter(QgsProcessingParameterFileDestination("REPORT", "Report 校验报告 (JSON)",
                                                                "JSON (*.json)", optional=True))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", "Errors"))
        self.addOutput(QgsProcessingOutputNumber("WARNINGS", "Warnings"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...layers import InputError, load_project, load_street
        from ...layers.geopackage import write_text

        try:
            street = load_street(load_project(self.parameterAsFile(parameters, "PROJECT", context)),
                                 progress=self.progress(feedback))
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
