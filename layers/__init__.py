"""Reading, validating and harmonising a street's inputs (no QGIS here)."""
from .schema import SCHEMA, LayerSpec, FieldSpec
from .errors import InputError
from .project import Project, InputSpec, load_project
from .street import Street, load_street

__all__ = [
    "SCHEMA", "LayerSpec", "FieldSpec", "InputError",
    "Project", "InputSpec", "load_project", "Street", "load_street",
]
