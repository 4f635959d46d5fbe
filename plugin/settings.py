"""What the dock remembers.

The user's options persist in QgsSettings; the project itself keeps which layer
is which kind and how its fields map (project custom properties), so reopening
a .qgz needs no set-up again.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

from qgis.core import QgsProject, QgsSettings

from ..layers.schema import SCHEMA

SETTINGS_PREFIX = "gridgov/"
PROJECT_SCOPE = "gridgov"


@dataclass
class Options:
    output_dir: str = ""           # empty: a gridgov folder beside the project file (or in the home folder)
    threshold_s: float = 300.0     # the response promise
    turnout_s: float = 0.0
    new_bases: int = 3
    paper: str = "A4"
    basemap: str = "none"
    risk: bool = True              # the analysis steps after the join
    coverage: bool = True

    @property
    def steps(self) -> tuple:
        return tuple(step for step in ("risk", "coverage") if getattr(self, step))


def load_options() -> Options:
    settings, defaults = QgsSettings(), Options()
    values = {}
    for option in fields(Options):
        default = getattr(defaults, option.name)
        try:
            values[option.name] = settings.value(SETTINGS_PREFIX + option.name, default, type=type(default))
        except (TypeError, ValueError):
            values[option.name] = default
    return Options(**values)


def save_options(options: Options):
    settings = QgsSettings()
    for name, value in asdict(options).items():
        settings.setValue(SETTINGS_PREFIX + name, value)


@dataclass
class Mapping:
    """kind → QGIS layer id, and kind → {canonical field: the layer's column} where the names did not tell."""
    layers: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)


def read_mapping(project: QgsProject) -> Mapping:
    """The mapping saved in the project, keeping only kinds whose layer is still there."""
    text, found = project.readEntry(PROJECT_SCOPE, "inputs", "")
    if not found or not text:
        return Mapping()
    try:
        saved = json.loads(text)
    except ValueError:
        return Mapping()
    mapping = Mapping()
    for kind, entry in saved.items():
        if kind in SCHEMA and isinstance(entry, dict) and project.mapLayer(entry.get("layer", "")) is not None:
            mapping.layers[kind] = entry["layer"]
            if entry.get("fields"):
                mapping.fields[kind] = dict(entry["fields"])
    return mapping


def write_mapping(project: QgsProject, mapping: Mapping):
    saved = {kind: {"layer": layer_id, "fields": mapping.fields.get(kind, {})}
             for kind, layer_id in mapping.layers.items()}
    project.writeEntry(PROJECT_SCOPE, "inputs", json.dumps(saved, ensure_ascii=False))
