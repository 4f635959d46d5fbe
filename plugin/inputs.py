"""The project's open layers as the core's inputs: which is which, and a gridgov Project to run on.

A file-backed layer is named by its file (the core reads it in the worker
thread, with its own encoding detection); any other layer is converted here, on
the interface thread, because QGIS layers may not be read from another thread.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsMapLayer, QgsProject, QgsVectorLayer, QgsWkbTypes

from ..layers.detect import Candidate, propose
from ..layers.project import InputSpec, Project
from .conversion import file_source, layer_to_frame
from .settings import Mapping

GEOMETRIES = {QgsWkbTypes.PolygonGeometry: "polygon", QgsWkbTypes.PointGeometry: "point",
              QgsWkbTypes.LineGeometry: "line"}
RESULT_GROUP = "gridgov"


def vector_layers(project: QgsProject) -> list:
    """The project's vector layers, minus the ones gridgov itself added as results."""
    results = project.layerTreeRoot().findGroup(RESULT_GROUP)
    ours = set(results.findLayerIds()) if results is not None else set()
    return [layer for layer in project.mapLayers().values()
            if layer.type() == QgsMapLayer.VectorLayer and layer.id() not in ours]


def candidate(layer: QgsVectorLayer) -> Candidate:
    return Candidate(layer.id(), layer.name(), tuple(layer.fields().names()),
                     GEOMETRIES.get(layer.geometryType(), "none"))


def propose_mapping(project: QgsProject, saved: Mapping) -> Mapping:
    """The saved mapping, completed by what the open layers' names and fields suggest."""
    taken = set(saved.layers.values())
    free = [candidate(layer) for layer in vector_layers(project) if layer.id() not in taken]
    proposed = {kind: key for kind, key in propose(free).items() if kind not in saved.layers}
    return Mapping({**proposed, **saved.layers}, dict(saved.fields))


def street_project(project: QgsProject, mapping: Mapping, name: str, output_dir: Path) -> Project:
    inputs = {}
    for kind, layer_id in mapping.layers.items():
        layer = project.mapLayer(layer_id)
        fields = mapping.fields.get(kind, {})
        source = file_source(layer)
        if source is not None:
            inputs[kind] = InputSpec(kind, source[0], layer=source[1], fields=fields)
        else:
            inputs[kind] = InputSpec(kind, f"{layer.name()} ({layer.providerType()})", fields=fields,
                                     frame=layer_to_frame(layer, kind))
    return Project(name, inputs, output_dir=output_dir)


def output_dir(project: QgsProject, configured: str) -> Path:
    """Where results go: the folder the user chose, else gridgov/ beside the project file, else in home."""
    if configured:
        return Path(configured)
    home = project.homePath()
    return Path(home) / "gridgov" if home else Path.home() / "gridgov"
