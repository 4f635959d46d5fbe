"""Processing parameters for a street's layers: one feature source per layer kind, as resources/schema.toml
declares them, so an algorithm takes the layers open in QGIS, runs in batch and chains in the Modeler.

Each kind is a source named in capitals (HOUSES, EVENTS); each required field a field
parameter beside it (HOUSES_ADDRESS) for the layers whose names gridgov does not
recognise.  The project file stays the alternative: a layer given here replaces the
project's input of that kind.
"""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from ..layers.project import InputSpec, Project, load_project
from ..layers.schema import NEEDED, SCHEMA
from .conversion import file_source, source_to_frame

SOURCE_TYPES = {"polygon": [QgsProcessing.TypeVectorPolygon], "line": [QgsProcessing.TypeVectorLine],
                "point": [QgsProcessing.TypeVectorPoint],
                "polygon_or_point": [QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorPoint],
                "point_optional": [QgsProcessing.TypeVector]}       # records may be tables without geometry
COVERAGE_KINDS = ("bases", "roads", "water")                       # what only the coverage step reads


def street_kinds(steps) -> list:
    """The layer kinds an algorithm with these steps offers, in the schema's order."""
    return [kind for kind in SCHEMA if "coverage" in steps or kind not in COVERAGE_KINDS]


def _advanced(parameter):
    parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
    return parameter


def add_layer_parameters(algorithm, kinds) -> None:
    """The project file (optional), the street's name, and a source plus field parameters per kind."""
    algorithm.addParameter(QgsProcessingParameterFile("PROJECT", "Project file 项目文件 (.toml), or the layers below",
                                                      extension="toml", optional=True))
    algorithm.addParameter(_advanced(QgsProcessingParameterString("STREET", "Street name 街道名称", optional=True)))
    for kind in kinds:
        spec = SCHEMA[kind]
        algorithm.addParameter(QgsProcessingParameterFeatureSource(
            kind.upper(), f"{spec.label_en.capitalize()} {spec.label_zh}", SOURCE_TYPES[spec.geometry], optional=True))
        for name in spec.required:
            algorithm.addParameter(_advanced(QgsProcessingParameterField(
                f"{kind}_{name}".upper(), f"{spec.label_en}: field for {name} 字段", parentLayerParameterName=kind.upper(),
                optional=True)))


def street_project(algorithm, parameters, context, kinds) -> Project:
    """The project file's inputs, with every layer given as a parameter in place of its kind's."""
    path = algorithm.parameterAsFile(parameters, "PROJECT", context)
    project = load_project(path) if path else Project()      # the OUTPUT parameter says where results go
    for kind in kinds:
        spec = _layer_input(algorithm, parameters, context, kind)
        if spec is not None:
            project.inputs[kind] = spec
    project.name = algorithm.parameterAsString(parameters, "STREET", context) or project.name
    missing = [kind for kind in NEEDED if kind not in project.inputs]
    if missing:
        raise QgsProcessingException(
            "give a project file or the layers " + ", ".join(f"{SCHEMA[k].label_en} {SCHEMA[k].label_zh} ({k.upper()})"
                                                             for k in missing) + " 请提供项目文件或以上图层")
    return project


def _layer_input(algorithm, parameters, context, kind) -> InputSpec | None:
    """A kind's layer as the core's input: a whole file by its path (read by the core, with its encoding
    detection), any other source (a selection, a memory or database layer, a model's output) as a frame."""
    if parameters.get(kind.upper()) in (None, ""):
        return None
    fields = {name: column for name in SCHEMA[kind].required
              if (column := algorithm.parameterAsString(parameters, f"{kind}_{name}".upper(), context))}
    layer = algorithm.parameterAsVectorLayer(parameters, kind.upper(), context)
    whole_file = file_source(layer) if layer is not None and not _selected_only(parameters[kind.upper()]) else None
    if whole_file is not None:
        return InputSpec(kind, whole_file[0], layer=whole_file[1], fields=fields)
    source = algorithm.parameterAsSource(parameters, kind.upper(), context)
    if source is None:
        raise QgsProcessingException(algorithm.invalidSourceError(parameters, kind.upper()))
    label = f"{layer.name()} ({layer.providerType()})" if layer is not None else kind
    return InputSpec(kind, label, fields=fields, frame=source_to_frame(source))


def _selected_only(value) -> bool:
    return bool(getattr(value, "selectedFeaturesOnly", False))
