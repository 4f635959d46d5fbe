"""Processing: the analyses of a street, each step on its own or all together, into a result GeoPackage and
feature sinks.

join → gathered records; score → join and risk; coverage → join and five-minute
coverage, siting and dispatch; analyse → all of them (the dock's step and
`gridgov run`).  One family: the same run with different steps.  The inputs are
layers (or a project file), the main results sinks too, so the steps chain in the
Modeler: houses coloured by `score` go on as the houses of `coverage`.
"""
from qgis.core import (
    QgsFeatureSink,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
)

from ...options import ANALYSIS
from ...results import CONTRACT
from ..conversion import frame_crs, frame_features, frame_fields, wkb_type
from ..layer_parameters import add_layer_parameters, street_kinds, street_project
from ..parameters import add_parameters, parameter_values
from .base import GridGovAlgorithm

RESULTS_HELP = (" Takes the layers open in QGIS (or a project file) and writes a result GeoPackage (houses, matched "
                "and unmatched records, reports) that QGIS opens, and the main results as layers of their own.")
# The results offered as sinks (named RESULT_<NAME>), when their step runs; the rest stay in the GeoPackage.
SINKS = ("houses", "unmatched", "warnings", "risk_by_grid", "reach_areas", "uncovered_houses", "suggested_bases",
         "coverage_by_defense_zone", "coverage_by_patrol_zone")
CONTRACT_STEPS = {"risk": ("risk",), "coverage": ("coverage", "siting")}    # an algorithm's step → the contract's


class StreetRun(GridGovAlgorithm):
    STEPS = ()

    @property
    def option_groups(self) -> tuple:
        """The join's options always; the back-test's with the risk step; coverage's and siting's with coverage."""
        return tuple(group for group in ANALYSIS if group == "join" or (group == "risk" and "risk" in self.STEPS)
                     or (group in ("coverage", "siting") and "coverage" in self.STEPS))

    @property
    def sinks(self) -> list:
        steps = {"join"}.union(*(CONTRACT_STEPS[step] for step in self.STEPS))
        return [name for name in SINKS if CONTRACT[name].step in steps]

    def initAlgorithm(self, config=None):  # noqa: N802
        add_layer_parameters(self, street_kinds(self.STEPS))
        if "risk" in self.STEPS:
            self.addParameter(QgsProcessingParameterFile("RULES", "Risk rules 风险规则 (.toml)", extension="toml",
                                                         optional=True))
        add_parameters(self, *self.option_groups)
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", "Results 结果", "GeoPackage (*.gpkg)"))
        for name in self.sinks:
            entry = CONTRACT[name]
            self.addParameter(QgsProcessingParameterFeatureSink(
                f"RESULT_{name.upper()}", f"{entry.en} {entry.zh}", optional=True, createByDefault=name == "houses"))
        self.addOutput(QgsProcessingOutputNumber("MATCHED_SHARE", "Share of records matched 匹配比例"))
        if "risk" in self.STEPS:
            self.addOutput(QgsProcessingOutputNumber("RED", "Red houses 红色房屋"))
        if "coverage" in self.STEPS:
            self.addOutput(QgsProcessingOutputNumber("COVERED_SHARE", "Share of houses covered 覆盖比例"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        from ...coloring.rules import RuleError, load_rules
        from ...layers import InputError
        from ...pipeline import run_street, settings

        rules = None
        given = settings(parameter_values(self, parameters, context, *self.option_groups))
        try:
            if "risk" in self.STEPS:
                rules = load_rules(self.parameterAsFile(parameters, "RULES", context) or None)
            project = street_project(self, parameters, context, street_kinds(self.STEPS))
            run = run_street(project, self.parameterAsFileOutput(parameters, "OUTPUT", context), rules, **given,
                             progress=self.progress(feedback), steps=self.STEPS)
        except (InputError, RuleError) as error:
            raise QgsProcessingException(str(error)) from None
        if run.analysis is None:
            feedback.reportError(run.street.report.to_text(), fatalError=True)
            raise QgsProcessingException("the inputs have errors; see the log 输入数据有错误")
        report = run.analysis.join.match_report
        unmatched = report["outcome"].str.startswith("unmatched")
        outputs = {**self.write_sinks(run.analysis, parameters, context), "OUTPUT": str(run.path),
                   "MATCHED_SHARE": float(report.loc[~unmatched, "records"].sum() / max(report["records"].sum(), 1))}
        houses = run.analysis.houses
        if "risk" in self.STEPS:
            outputs["RED"] = int((houses["risk_level"] == "red").sum())
        if "coverage" in self.STEPS:
            outputs["COVERED_SHARE"] = float(houses["covered"].mean()) if "covered" in houses else None
        return outputs

    def write_sinks(self, analysis, parameters, context) -> dict:
        """Each result asked for, into its sink (a layer of the project, a file, a model's next step)."""
        frames = {**analysis.layers, **analysis.tables}
        written = {}
        for name in self.sinks:
            key = f"RESULT_{name.upper()}"
            frame = frames.get(name)
            if frame is None:
                continue
            fields = frame_fields(frame)
            sink, destination = self.parameterAsSink(parameters, key, context, fields, wkb_type(frame), frame_crs(frame))
            if sink is None:
                continue
            sink.addFeatures(list(frame_features(frame, fields)), QgsFeatureSink.FastInsert)
            written[key] = destination
        return written


class JoinStreet(StreetRun):
    NAME = "join"
    TITLE = "Gather records onto houses 人房事关联"
    HELP = ("Reads and checks the street's inputs (a gridgov project file) and gathers people, units, events and "
            "sensors onto houses: by standard address, then by location; every record is matched or listed as "
            "unmatched with its reason. Events get their grid, patrol and defense zone." + RESULTS_HELP)


class ScoreHouses(StreetRun):
    NAME = "score"
    TITLE = "Colour houses by risk 房屋风险三色"
    STEPS = ("risk",)
    HELP = ("Gathers the records onto houses, then colours every house red, yellow or green by the rule file "
            "(default resources/rules/risk_default.toml), with the reasons and the score each adds, and grades "
            "converging signals into warnings." + RESULTS_HELP)


class CoverageCheck(StreetRun):
    NAME = "coverage"
    TITLE = "Five-minute coverage 五分钟响应圈"
    STEPS = ("coverage",)
    HELP = ("Gathers the records onto houses, then checks the response promise of each defense and patrol zone "
            "over the road network from its own bases: reach areas, uncovered houses, where new bases would close "
            "the gap, and the fastest base for every event." + RESULTS_HELP)


class AnalyseStreet(StreetRun):
    NAME = "analyse"
    TITLE = "Analyse the street 街道分析（人房事、风险、响应圈）"
    STEPS = ("risk", "coverage")
    HELP = ("Every step at once, as the dock and `gridgov run` do it: gathers people, units, events and sensors "
            "onto houses, colours every house red, yellow or green with its reasons, grades converging signals, "
            "checks five-minute response coverage per zone and suggests new bases. Writes the one result "
            "GeoPackage that the field maps and the web map read.")
