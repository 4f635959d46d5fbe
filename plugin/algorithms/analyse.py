"""Processing: the whole analysis of a street (join, risk, coverage) into the result GeoPackage."""
from qgis.core import (QgsProcessingException, QgsProcessingOutputNumber, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterNumber)

from .base import GridGovAlgorithm


class AnalyseStreet(GridGovAlgorithm):
    NAME = "analyse"
    TITLE = "Analyse the street 街道分析（人房事、风险、响应圈）"
    HELP = ("Reads and checks the street's inputs (a gridgov project file), gathers people, units, events and "
            "sensors onto houses, colours every house red, yellow or green with its reasons, grades converging "
            "signals, checks five-minute response coverage per zone and suggests new bases. Writes the one result "
            "GeoPackage that the field maps and the web map read. Same as `gridgov run`.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("PROJECT", "Project file 项目文件 (.toml)", extension="toml"))
        self.addParameter(QgsProcessingParameterFile("RULES", "Risk rules 风险规则 (.toml)", extension="toml",
                                                     optional=True))
        self.addParameter(QgsProcessingParameterNumber("THRESHOLD_S", "Response promise, seconds 响应时限（秒）",
                                                       QgsProcessingParameterNumber.Double, 300, minValue=1))
        self.addParameter(QgsProcessingParameterNumber("TURNOUT_S", "Turnout time, seconds 出警准备（秒）",
                                                       QgsProcessingParameterNumber.Double, 0, minValue=0))
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", "Results 结果", "GeoPackage (*.gpkg)"))
        self.addOutput(QgsProcessingOutputNumber("RED", "Red houses 红色房屋"))
        self.addOutput(QgsProcessingOutputNumber("COVERED_SHARE", "Share of houses covered 覆盖比例"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...coloring.rules import RuleError, load_rules
        from ...grid_tools.coverage import CoverageOptions
        from ...layers import InputError, load_project
        from ...pipeline import run_street

        options = CoverageOptions(threshold_s=self.parameterAsDouble(parameters, "THRESHOLD_S", context),
                                  turnout_s=self.parameterAsDouble(parameters, "TURNOUT_S", context))
        try:
            rules = load_rules(self.parameterAsFile(parameters, "RULES", context) or None)
            run = run_street(load_project(self.parameterAsFile(parameters, "PROJECT", context)),
                             self.parameterAsFileOutput(parameters, "OUTPUT", context), rules,
                             coverage_options=options, progress=self.progress(feedback))
        except (InputError, RuleError) as error:
            raise QgsProcessingException(str(error)) from None
        if run.analysis is None:
            feedback.reportError(run.street.report.to_text(), fatalError=True)
            raise QgsProcessingException("the inputs have errors; see the log 输入数据有错误")
        houses = run.analysis.houses
        return {"OUTPUT": str(run.path), "RED": int((houses["risk_level"] == "red").sum()),
                "COVERED_SHARE": float(houses["covered"].mean()) if "covered" in houses else None}
