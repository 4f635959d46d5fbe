"""The example model (resources/models/gridgov_street.model3): gather → colour → coverage → field maps, chained
as a planner would chain them in the Graphical Modeler, and shipped in the toolbox.

Built here rather than drawn by hand, so it follows the algorithms' parameters;
`make models` (python -m gridgov.plugin.write_model) writes it and a test checks that the shipped file is current.
Each step takes the houses the step before it wrote and the same street layers;
the field maps read the coverage step's result GeoPackage.
"""
from __future__ import annotations

from qgis.core import (
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelOutput,
    QgsProcessingModelParameter,
    QgsProcessingParameterFeatureSource,
)
from qgis.PyQt.QtCore import QPointF

from ..layers.schema import NEEDED, SCHEMA
from ..resources import RESOURCES
from .layer_parameters import SOURCE_TYPES, street_kinds

MODEL_FILE = RESOURCES / "models" / "gridgov_street.model3"
NAME = "street_model"
TITLE = "Street model: gather → colour → coverage → field maps 街道模型"
CHAIN = (("join", "Gather records onto houses 人房事关联"), ("score", "Colour houses by risk 房屋风险三色"),
         ("coverage", "Five-minute coverage 五分钟响应圈"))
# model output → (step, the step's output), with its label
OUTPUTS = {"houses": ("coverage", "RESULT_HOUSES", "Houses by risk and reach 房屋风险与响应"),
           "uncovered": ("coverage", "RESULT_UNCOVERED_HOUSES", "Houses outside five minutes 五分钟未覆盖房屋"),
           "suggested_bases": ("coverage", "RESULT_SUGGESTED_BASES", "Suggested bases 建议新增站点"),
           "warnings": ("score", "RESULT_WARNINGS", "Converging-signal warnings 多源预警"),
           "results": ("coverage", "OUTPUT", "Result GeoPackage 结果"),
           "field_maps": ("fieldmaps", "OUTPUT", "Field maps 作战图 (PDF)")}


def build_model() -> QgsProcessingModelAlgorithm:
    model = QgsProcessingModelAlgorithm(TITLE, "")
    model.setHelpContent({"ALG_DESC": "Gathers people, units, events and sensors onto houses, colours the houses by "
                                      "risk, checks five-minute coverage and prints one field map per grid, from the "
                                      "street's layers. 人房事关联 → 风险三色 → 五分钟响应圈 → 网格作战图。"})
    kinds = street_kinds(("risk", "coverage"))
    for row, kind in enumerate(kinds):
        spec = SCHEMA[kind]
        model.addModelParameter(
            QgsProcessingParameterFeatureSource(kind, f"{spec.label_en.capitalize()} {spec.label_zh}",
                                                SOURCE_TYPES[spec.geometry], optional=kind not in NEEDED),
            _placed(QgsProcessingModelParameter(kind), 120, 60 + 60 * row))
    for column, (step, description) in enumerate(CHAIN):
        child = _child(f"gridgov:{step}", step, description, 420 + 260 * column)
        for kind in kinds if step == "coverage" else street_kinds((step,)):
            child.addParameterSources(kind.upper(), [QgsProcessingModelChildParameterSource.fromModelParameter(kind)])
        if column:
            previous = CHAIN[column - 1][0]
            child.addParameterSources("HOUSES", [
                QgsProcessingModelChildParameterSource.fromChildOutput(previous, "RESULT_HOUSES")])
        model.addChildAlgorithm(child)
    maps = _child("gridgov:fieldmaps", "fieldmaps", "Field maps per grid 网格作战图", 420 + 260 * len(CHAIN))
    maps.addParameterSources("RESULTS", [QgsProcessingModelChildParameterSource.fromChildOutput("coverage", "OUTPUT")])
    model.addChildAlgorithm(maps)
    _add_outputs(model)
    return model


def _child(algorithm: str, child_id: str, description: str, x: float) -> QgsProcessingModelChildAlgorithm:
    child = QgsProcessingModelChildAlgorithm(algorithm)
    child.setChildId(child_id)
    child.setDescription(description)
    return _placed(child, x, 300)


def _placed(component, x, y):
    component.setPosition(QPointF(x, y))
    return component


def _add_outputs(model) -> None:
    children = model.childAlgorithms()
    for name, (step, output, label) in OUTPUTS.items():
        child = children[step]
        made = QgsProcessingModelOutput(name, label)
        made.setChildId(step)
        made.setChildOutputName(output)
        made.setPosition(child.position() + QPointF(0, 120 + 40 * len(child.modelOutputs())))
        child.setModelOutputs({**child.modelOutputs(), name: made})
        model.setChildAlgorithm(child)
    model.updateDestinationParameters()


class StreetModel(QgsProcessingModelAlgorithm):
    """The shipped model as the toolbox shows it: gridgov:street_model, under its bilingual title."""

    def __init__(self):
        super().__init__()
        if not self.fromFile(str(MODEL_FILE)):
            raise RuntimeError(f"cannot read the example model {MODEL_FILE}")

    def name(self):
        return NAME

    def displayName(self):  # noqa: N802
        return TITLE

    def createInstance(self):  # noqa: N802
        return StreetModel()
