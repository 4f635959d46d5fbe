"""Reading, validating and harmonising a street's inputs (no QGIS here)."""
from .errors import InputError
from .project import InputSpec, Project, load_project
from .schema import SCHEMA, FieldSpec, LayerSpec
from .street import Street, load_street

__all__ = [
    "SCHEMA", "LayerSpec", "FieldSpec", "InputError",
    "Project", "InputSpec", "load_project", "Street", "load_street",
]
