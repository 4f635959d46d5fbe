"""Processing: the cockpit web map."""
from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ..parameters import add_parameters, parameter_values
from .base import GridGovAlgorithm


class WebMap(GridGovAlgorithm):
    NAME = "webmap"
    TITLE = "Cockpit web map 驾驶舱网页"
    HELP = ("One self-contained HTML page for the command centre: houses by risk, zones, bases and their "
            "five-minute reach, uncovered houses, converging-signal warnings, an events heat map and a summary. "
            "Offline by default (no basemap, nothing loaded from the internet). AMap shows a GCJ-02 display copy; "
            "Tianditu needs your key. People only on request, with ID-card and phone numbers masked.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("RESULTS", "Result GeoPackage 结果 GeoPackage", extension="gpkg"))
        add_parameters(self, "webmap")
        self.addParameter(QgsProcessingParameterString("TIANDITU_KEY", "Tianditu key 天地图密钥", optional=True))
        self.addParameter(QgsProcessingParameterBoolean("WITH_PEOPLE", "Show people (masked) 显示人口（脱敏）", False))
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", "Web map 网页", "HTML (*.html)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...cockpit.page import CockpitOptions, read_cockpit_results, write_cockpit
        from ...layers import InputError

        with_people = self.parameterAsBool(parameters, "WITH_PEOPLE", context)
        options = CockpitOptions(parameter_values(self, parameters, context, "webmap")["basemap"],
                                 self.parameterAsString(parameters, "TIANDITU_KEY", context), with_people)
        try:
            layers, tables = read_cockpit_results(self.parameterAsFile(parameters, "RESULTS", context), with_people)
            path = write_cockpit(self.parameterAsFileOutput(parameters, "OUTPUT", context), layers, tables, options)
        except InputError as error:
            raise QgsProcessingException(str(error)) from None
        return {"OUTPUT": str(path)}
