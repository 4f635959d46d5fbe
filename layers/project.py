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

import codecs
from dataclasses import dataclass, field
from pathlib import Path

import pyproj

from .errors import InputError
from .schema import SCHEMA
from .toml import did_you_mean, line_of, read_toml_text

# What a project file may hold: section → key → type.  Anything else is an error that names the line.
SECTIONS = {"street": {"name": str, "crs": str}, "inputs": dict, "outputs": {"dir": str}}
INPUT_KEYS = {"path": str, "layer": str, "table": str, "sql": str, "crs": str, "encoding": str, "fields": dict,
              "values": dict, "x": str, "y": str}
TYPE_WORDS = {str: "text in quotes", dict: "a table", int: "a whole number", (int, float): "a number"}


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

    @property
    def files(self) -> list:
        """The project file and every input file: what no output of the run may replace."""
        return [p for p in [self.path, *(spec.path for spec in self.inputs.values() if not is_database(spec.path))]
                if p]


class Checked:
    """The project file's text, for errors that name the line and the nearest valid name."""

    def __init__(self, path: Path, text: str):
        self.path, self.text = path, text

    def fail(self, message: str, table: str = "", key: str | None = None):
        raise InputError(f"line {line_of(self.text, table, key)}: {message}", str(self.path))

    def keys(self, table: dict, allowed: dict, name: str):
        """Every key of ``table`` known, and of its type."""
        for key, value in table.items():
            if key not in allowed:
                self.fail(f"[{name}] has no key {key!r}{did_you_mean(key, allowed)}; its keys: "
                          f"{', '.join(allowed)}", name, key)
            if not isinstance(value, allowed[key]) or isinstance(value, bool):
                self.fail(f"[{name}] {key} must be {TYPE_WORDS[allowed[key]]}, not {value!r}", name, key)

    def crs(self, value: str | None, table: str):
        if value is None:
            return
        try:
            pyproj.CRS.from_user_input(value)
        except pyproj.exceptions.CRSError:
            self.fail(f"[{table}] crs {value!r} is not a coordinate reference system pyproj knows "
                      "(e.g. \"EPSG:4549\" for CGCS2000 / 3-degree Gauss-Kruger CM 120E)", table, "crs")

    def encoding(self, value: str | None, table: str):
        if value is None:
            return
        try:
            codecs.lookup(value)
        except LookupError:
            self.fail(f"[{table}] encoding {value!r} is not a text encoding Python knows "
                      "(e.g. \"utf-8\", \"gb18030\")", table, "encoding")


def input_spec(kind: str, raw, base: Path, check: Checked, schema: dict = SCHEMA) -> InputSpec:
    """One [inputs.<kind>] table, checked against ``schema`` (the street's layer kinds, or the city's)."""
    table = f"inputs.{kind}"
    if kind not in schema:
        check.fail(f"unknown layer kind [{table}]{did_you_mean(f'[{table}]', [f'[inputs.{k}]' for k in schema])}; "
                   f"known kinds: {', '.join(schema)}", table)
    if isinstance(raw, str):
        raw = {"path": raw}
    if not isinstance(raw, dict):
        check.fail(f"[inputs] {kind} must be a table with a path, not {raw!r}", "inputs", kind)
    check.keys(raw, INPUT_KEYS, table)
    if "path" not in raw:
        check.fail(f"[{table}] needs a path", table)
    check.crs(raw.get("crs"), table)
    check.encoding(raw.get("encoding"), table)
    fields = dict(raw.get("fields", {}))
    for name, column in fields.items():
        if name not in schema[kind].fields:
            check.fail(f"[{table}.fields] maps an unknown field {name!r}{did_you_mean(name, schema[kind].fields)}; "
                       f"fields of {kind}: {', '.join(schema[kind].fields)}", f"{table}.fields", name)
        if not isinstance(column, str):
            check.fail(f"[{table}.fields] {name} must name a column, in quotes", f"{table}.fields", name)
    values = dict(raw.get("values", {}))
    for name, mapping in values.items():
        if name not in schema[kind].fields or not isinstance(mapping, dict):
            check.fail(f"[{table}.values] maps {name!r}: give a table per field of {kind} "
                       f"({', '.join(schema[kind].fields)}), e.g. [{table}.values.<field>] \"县道\" = \"次干路\"",
                       f"{table}.values", name)
    path = raw["path"]
    if not is_database(path) and not Path(path).is_absolute():
        path = str((base / path).resolve())
    return InputSpec(kind, path, raw.get("layer") or raw.get("table"), raw.get("sql"),
                     raw.get("crs"), raw.get("encoding"), fields, values, raw.get("x"), raw.get("y"))


def load_project(path) -> Project:
    """Read and check a project file: every section, key, type, CRS and encoding, before any data is read."""
    path = Path(path).resolve()
    raw, text = read_toml_text(path)
    check = Checked(path, text)
    for section, value in raw.items():
        if section not in SECTIONS:
            check.fail(f"unknown section [{section}]{did_you_mean(f'[{section}]', [f'[{s}]' for s in SECTIONS])}; "
                       f"a project has [{'], ['.join(SECTIONS)}]", section)
        if not isinstance(value, dict):
            check.fail(f"{section} must be a table [{section}]", "", section)
        if isinstance(SECTIONS[section], dict):
            check.keys(value, SECTIONS[section], section)
    street = raw.get("street", {})
    check.crs(street.get("crs"), "street")
    inputs = {kind: input_spec(kind, spec, path.parent, check) for kind, spec in raw.get("inputs", {}).items()}
    if not inputs:
        raise InputError("no [inputs] given", str(path))
    out = Path(raw.get("outputs", {}).get("dir", "out"))
    return Project(street.get("name", path.stem), inputs, street.get("crs"),
                   out if out.is_absolute() else path.parent / out, path)
