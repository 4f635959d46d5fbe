"""The project file (TOML): which inputs a street has, how to read them, where results go.

    [street]
    name = "小河街道"
    crs = "EPSG:4549"            # optional; chosen from the data when absent

    [inputs.grids]
    path = "data/网格.shp"        # relative to the project file
    [inputs.grids.fields]
    grid_id = "WGBH"             # canonical name = column in the file

    [inputs.people]
    path = "data/people.csv"
    x = "GPS经度"                 # coordinate columns, when not recognised
    y = "GPS纬度"

    [inputs.roads]
    path = "postgresql://gis@localhost/street"
    table = "public.roads"
    [inputs.roads.values.road_class]
    "县道" = "次干路"             # the layer's own words → words gridgov knows ("" = no value)

    [outputs]
    dir = "out"
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .schema import SCHEMA
from .toml import read_toml

INPUT_KEYS = {"path", "layer", "table", "sql", "crs", "encoding", "fields", "values", "x", "y"}


def is_database(path: str) -> bool:
    return str(path).startswith(("postgresql://", "postgres://"))


@dataclass
class InputSpec:
    kind: str
    path: str
    layer: str | None = None       # layer in a GeoPackage, sheet in a workbook, table in PostGIS
    sql: str | None = None         # PostGIS query instead of a table
    crs: str | None = None         # the CRS of a file that does not say its own
    encoding: str | None = None    # forces an encoding instead of detecting it
    fields: dict = field(default_factory=dict)   # canonical name -> column name
    values: dict = field(default_factory=dict)   # canonical name -> {the layer's own word: the word gridgov knows}
    x: str | None = None
    y: str | None = None
    frame: object = None           # a layer already in memory (from QGIS), used instead of reading path

    @property
    def label(self) -> str:
        if is_database(self.path):
            return f"{self.path.split('@')[-1]} {self.layer or 'sql'}"
        return f"{self.path}" + (f" [{self.layer}]" if self.layer else "")


@dataclass
class Project:
    name: str = "street"
    inputs: dict = field(default_factory=dict)   # kind -> InputSpec
    crs: str | None = None
    output_dir: Path = Path("out")
    path: Path | None = None


def _input_spec(kind: str, raw, base: Path, where: str) -> InputSpec:
    if kind not in SCHEMA:
        raise InputError(f"unknown layer kind [{'inputs.' + kind}]; known kinds: {', '.join(SCHEMA)}", where)
    if isinstance(raw, str):
        raw = {"path": raw}
    unknown = set(raw) - INPUT_KEYS
    if unknown:
        raise InputError(f"[inputs.{kind}] has unknown keys {sorted(unknown)}; allowed: {sorted(INPUT_KEYS)}", where)
    if "path" not in raw:
        raise InputError(f"[inputs.{kind}] needs a path", where)
    fields = dict(raw.get("fields", {}))
    unknown_fields = set(fields) - set(SCHEMA[kind].fields)
    if unknown_fields:
        raise InputError(f"[inputs.{kind}.fields] maps unknown fields {sorted(unknown_fields)}; "
                         f"fields of {kind}: {', '.join(SCHEMA[kind].fields)}", where)
    values = dict(raw.get("values", {}))
    bad_values = {name for name, mapping in values.items() if name not in SCHEMA[kind].fields
                  or not isinstance(mapping, dict)}
    if bad_values:
        raise InputError(f"[inputs.{kind}.values] maps {sorted(bad_values)}: give a table per field of {kind} "
                         f"({', '.join(SCHEMA[kind].fields)}), e.g. [inputs.{kind}.values.<field>] \"县道\" = \"次干路\"",
                         where)
    path = raw["path"]
    if not is_database(path) and not Path(path).is_absolute():
        path = str((base / path).resolve())
    return InputSpec(kind, path, raw.get("layer") or raw.get("table"), raw.get("sql"),
                     raw.get("crs"), raw.get("encoding"), fields, values, raw.get("x"), raw.get("y"))


def load_project(path) -> Project:
    path = Path(path).resolve()
    raw = read_toml(path)
    base = path.parent
    street = raw.get("street", {})
    inputs = {kind: _input_spec(kind, spec, base, str(path)) for kind, spec in raw.get("inputs", {}).items()}
    if not inputs:
        raise InputError("no [inputs] given", str(path))
    out = Path(raw.get("outputs", {}).get("dir", "out"))
    return Project(street.get("name", path.stem), inputs, street.get("crs"),
                   out if out.is_absolute() else base / out, path)
