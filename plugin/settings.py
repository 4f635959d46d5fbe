"""What the dock remembers.

The user's options persist in QgsSettings; the project itself keeps which layer
is which kind and how its fields map (project custom properties), so reopening
a .qgz needs no set-up again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from qgis.core import QgsProject, QgsSettings

from ..layers.errors import InputError
from ..layers.schema import SCHEMA
from ..options import ANALYSIS, defaults, options

SETTINGS_PREFIX = "gridgov/"
PROJECT_SCOPE = "gridgov"


DOCK_GROUPS = ANALYSIS + ("atlas", "webmap")     # the declared options the dock offers


@dataclass
class Options:
    output_dir: str = ""           # empty: a gridgov folder beside the project file (or in the home folder)
    risk: bool = True              # the analysis steps after the join
    coverage: bool = True
    values: dict = field(default_factory=lambda: defaults(*DOCK_GROUPS))    # declared option → value

    @property
    def steps(self) -> tuple:
        return tuple(step for step in ("risk", "coverage") if getattr(self, step))


def load_options() -> Options:
    """The saved options; the declared default for any never saved (or saved out of bounds since)."""
    settings = QgsSettings()
    loaded = Options(output_dir=settings.value(SETTINGS_PREFIX + "output_dir", "", type=str),
                     risk=settings.value(SETTINGS_PREFIX + "risk", True, type=bool),
                     coverage=settings.value(SETTINGS_PREFIX + "coverage", True, type=bool))
    for option in options(*DOCK_GROUPS):
        try:
            loaded.values[option.name] = option.checked(settings.value(SETTINGS_PREFIX + option.name, option.default))
        except InputError:
            pass
    return loaded


def save_options(saved: Options):
    settings = QgsSettings()
    for name in ("output_dir", "risk", "coverage"):
        settings.setValue(SETTINGS_PREFIX + name, getattr(saved, name))
    for name, value in saved.values.items():
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
