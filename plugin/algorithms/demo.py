"""Processing: build the demo street on real Hangzhou roads."""
from qgis.core import QgsProcessingOutputFile, QgsProcessingParameterFolderDestination

from ..parameters import add_parameters, parameter_values
from .base import GridGovAlgorithm


class BuildDemoStreet(GridGovAlgorithm):
    NAME = "demo"
    TITLE = "Build the demo street 生成示例街道"
    HELP = ("Builds a synthetic street on the real OpenStreetMap roads of Xiaohe, Qianjiang New City or Xintang "
            "(Hangzhou): 3 defense zones, 12 patrol zones, 82 grids, houses, people, units, events and sensors. "
            "Roads and water © OpenStreetMap contributors (ODbL); everything else is synthetic.")

    def initAlgorithm(self, config=None):  # noqa: N802
        add_parameters(self, "demo")
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT", "Output folder 输出目录"))
        self.addOutput(QgsProcessingOutputFile("GEOPACKAGE", "Demo GeoPackage"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...demo import build_demo, write_demo

        demo = build_demo(**parameter_values(self, parameters, context, "demo"), progress=self.progress(feedback))
        folder = self.parameterAsString(parameters, "OUTPUT", context)
        gpkg = write_demo(demo, folder)
        return {"OUTPUT": folder, "GEOPACKAGE": str(gpkg)}
