"""The result file's declared layout (resources/results.toml): checked when written, read through one reader.

Every layer and table of the result GeoPackage is declared once, with its
fields, types, units, meanings in Chinese and English, the step that writes
it and which fields name a person.  The pipeline's writer checks every frame
against the declaration before it writes; the command line, the cockpit, the
field maps, the plugin and the tests read result files through
`check_result_file` and `read_results`, which leave personal fields out unless
asked for them.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .layers import vector_io
from .layers.errors import InputError
from .layers.schema import SCHEMA
from .layers.toml import read_toml
from .resources import RESOURCES

CONTRACT_FILE = RESOURCES / "results.toml"
GEOMETRY_TYPES = {"point": {"Point", "MultiPoint"}, "line": {"LineString", "MultiLineString"},
                  "polygon": {"Polygon", "MultiPolygon"},
                  "polygon_or_point": {"Polygon", "MultiPolygon", "Point", "MultiPoint"}}


class ResultContractError(RuntimeError):
    """gridgov wrote something its contract does not declare: a bug in gridgov, not in the data."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    zh: str = ""
    en: str = ""
    unit: str = ""
    step: str = ""
    required: bool = False
    personal: bool = False


@dataclass(frozen=True)
class Entry:
    """One declared layer or table."""
    name: str
    table: bool
    zh: str
    en: str
    step: str
    geometry: str = "none"
    inputs: str = ""                 # the input kind whose fields it carries, with the user's own columns
    key: str = ""
    fields: dict = field(default_factory=dict)      # name → Field (names with * stand for families)
    display: dict = field(default_factory=dict)

    def field(self, column: str) -> Field | None:
        if column in self.fields:
            return self.fields[column]
        return next((f for name, f in self.fields.items() if "*" in name and fnmatch.fnmatchcase(column, name)),
                    None)

    @property
    def personal(self) -> list:
        return [name for name, f in self.fields.items() if f.personal]

    def required(self, steps) -> list:
        return [name for name, f in self.fields.items() if f.required and f.step in steps]


@dataclass(frozen=True)
class Contract:
    entries: dict          # name → Entry, layers then tables, in the file's order
    steps: dict            # step → {zh, en, commands}
    shown: dict            # how much of one value a page or printout shows: max_chars, cut_note

    def __getitem__(self, name: str) -> Entry:
        return self.entries[name]

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    @property
    def displayed(self) -> list:
        """The layers the plugin shows, top to bottom."""
        return sorted((e for e in self.entries.values() if e.display), key=lambda e: e.display["order"])


def _fields(spec: dict, step: str) -> dict:
    return {name: Field(name, **{"step": step, **values}) for name, values in spec.items()}


def _input_fields(kind: str) -> dict:
    return {name: Field(name, f.type, step="inputs", personal=f.personal) for name, f in SCHEMA[kind].fields.items()}


def load_contract(path=CONTRACT_FILE) -> Contract:
    raw = read_toml(path)
    shapes = raw.get("shapes", {})
    entries = {}
    for section, table in (("layers", False), ("tables", True)):
        for name, spec in raw[section].items():
            step = spec["step"]
            fields = _input_fields(spec["inputs"]) if spec.get("inputs") else {}
            fields.update(_fields(spec.get("fields", {}), step))
            if spec.get("like"):
                shape = shapes[spec["like"]]
                fields.update(_fields(shape["fields"], shape.get("step", step)))
            unknown_steps = {f.step for f in fields.values()} - set(raw["steps"])
            if unknown_steps:
                raise ValueError(f"results.toml: {name}: unknown step(s) {sorted(unknown_steps)}")
            entries[name] = Entry(name, table, spec["zh"], spec["en"], step, spec.get("geometry", "none"),
                                  spec.get("inputs", ""), spec.get("key", ""), fields, spec.get("display", {}))
    return Contract(entries, raw["steps"], raw["shown"])


CONTRACT = load_contract()


# ---- writing: what is written is what is declared ---------------------------------------------------

def _type_fits(series: pd.Series, declared: str) -> bool:
    values = series.dropna()
    if values.empty:
        return True
    kind = series.dtype.kind
    if declared == "str":     # pandas' own text dtype holds text by construction; else each value is looked at, in C
        return isinstance(series.dtype, pd.StringDtype) or \
            (kind == "O" and pd.api.types.infer_dtype(values, skipna=True) == "string")
    if declared == "int":
        return kind in "iu" or (kind == "f" and bool((values == values.round()).all()))
    if declared == "float":
        return kind in "iuf"
    if declared == "bool":
        return kind == "b" or pd.api.types.is_bool_dtype(series) or \
            (kind == "O" and pd.api.types.infer_dtype(values, skipna=True) == "boolean")
    if declared == "datetime":
        return kind == "M"
    return False


def problems(name: str, frame, steps, given: dict | None = None) -> list:
    """What in this frame breaks the contract, as sentences (empty: it keeps it).

    ``given``: input kind → the columns the user's layer had; a layer carrying an input's fields may carry
    those of the user's own columns and no other undeclared one (None: any, for files read back)."""
    if name not in CONTRACT:
        return [f"{name}: not declared in results.toml"]
    entry = CONTRACT[name]
    found = []
    geometry = frame.geometry if isinstance(frame, gpd.GeoDataFrame) and \
        frame.active_geometry_name in frame.columns else None
    if entry.table and geometry is not None:
        found.append(f"{name}: declared a table, written with geometry")
    if not entry.table and geometry is None:
        found.append(f"{name}: declared a layer, written without geometry")
    if geometry is not None and entry.geometry in GEOMETRY_TYPES:
        kinds = set(geometry.dropna().geom_type) - GEOMETRY_TYPES[entry.geometry] - {"GeometryCollection"}
        if kinds:
            found.append(f"{name}: declared {entry.geometry}, has {', '.join(sorted(kinds))}")
    columns = [c for c in frame.columns if geometry is None or c != frame.geometry.name]
    for column in columns:
        declared = entry.field(str(column))
        if declared is None:
            own = entry.inputs and (given is None or column in given.get(entry.inputs, ()))
            if not own:
                found.append(f"{name}.{column}: not declared in results.toml")
        elif declared.step != "inputs" and not _type_fits(frame[column], declared.type):   # inputs: as given
            found.append(f"{name}.{column}: declared {declared.type}, written as {frame[column].dtype}")
    missing = [f for f in entry.required(steps) if f not in frame.columns]
    if missing:
        found.append(f"{name}: lacks required {', '.join(missing)}")
    return found


def check_results(frames: dict, steps, given: dict | None = None) -> None:
    """Every frame about to be written, against the contract; one error listing everything that breaks it."""
    found = [problem for name, frame in frames.items() for problem in problems(name, frame, set(steps), given)]
    if found:
        raise ResultContractError("the result breaks its contract (resources/results.toml):\n  "
                                  + "\n  ".join(found))


# ---- reading: one reader for every consumer -----------------------------------------------------------

def _step_missing(path, layer: str, step: str, present_fields) -> InputError:
    entry, declared = CONTRACT[layer], CONTRACT.steps[step]
    lacking = [f for f in entry.required({step}) if f not in present_fields]
    return InputError(f"its {layer} carry no {declared['en']} ({', '.join(lacking)}; {declared['zh']}): give the "
                      f"result of {declared['commands']}", str(path))


def check_result_file(path, need=("houses",), steps=()) -> set:
    """The layers and tables a result file has; a clear InputError when it is not one, lacks a layer in
    ``need``, or its houses lack what ``steps`` (risk, coverage) add."""

    path = Path(path)
    if not path.exists():
        raise InputError("file not found", str(path))
    try:
        present = set(vector_io.list_layers(path))
    except Exception as error:   # either backend's "cannot open"
        raise InputError(f"cannot be read as a GeoPackage: {error}", str(path)) from None
    for name in need:
        if name not in present:
            raise InputError(f"has no layer {name!r}: give the GeoPackage that `gridgov run` or `gridgov demo` "
                             f"wrote (it has {', '.join(sorted(present)) or 'no layers'})", str(path))
    if steps:
        houses_fields = set(vector_io.read_info(path, layer="houses")["fields"])
        for step in steps:
            if not set(CONTRACT["houses"].required({step})) <= houses_fields:
                raise _step_missing(path, "houses", step, houses_fields)
    return present


@dataclass
class Results:
    layers: dict        # name → GeoDataFrame
    tables: dict        # name → DataFrame


def read_results(path, need=("houses",), names=None, steps=(), with_people: bool = False) -> Results:
    """The declared layers and tables of a result file (``names``, or all), checked as `check_result_file`
    does.  Fields that name a person (schema.toml's `personal`) are left out unless ``with_people``."""

    present = check_result_file(path, need, steps)
    chosen = [name for name in (names or CONTRACT.entries) if name in present and name in CONTRACT]
    results = Results({}, {})
    for name in chosen:
        entry = CONTRACT[name]
        columns = None
        if entry.personal and not with_people:
            columns = [c for c in vector_io.read_info(path, layer=name)["fields"] if c not in entry.personal]
        frame = vector_io.read_dataframe(path, layer=name, columns=columns, read_geometry=not entry.table)
        (results.tables if entry.table else results.layers)[name] = frame
    return results


def shortened(values: pd.Series) -> pd.Series:
    """Text longer than a page shows, cut there with a note (a 10 MB address stays in the result file)."""
    limit, note = CONTRACT.shown["max_chars"], CONTRACT.shown["cut_note"]
    long = values.map(lambda v: isinstance(v, str) and len(v) > limit).astype(bool)
    if not long.any():
        return values
    return values.astype(object).where(~long, values[long].str[:limit] + note)


# ---- the README's table of results ----------------------------------------------------------------------

def markdown() -> str:
    """The result file's layers and tables as the README shows them (a test keeps the README current)."""
    rows = ["| layer / table | what | fields, by the step that adds them |", "|---|---|---|"]
    for entry in CONTRACT.entries.values():
        if entry.step == "inputs":
            continue
        by_step = {}
        for name, declared in entry.fields.items():
            if declared.step != "inputs":
                by_step.setdefault(declared.step, []).append(f"`{name}`")
        groups = [("" if list(by_step) == [entry.step] else f"{step}: ") + ", ".join(names)
                  for step, names in by_step.items()]
        kind = "table" if entry.table else entry.geometry.replace("_", " ")
        carries = f"the {entry.inputs} as given; " if entry.inputs else ""
        rows.append(f"| `{entry.name}` ({kind}) | {entry.en} · {entry.zh} | {carries}{'; '.join(groups)} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
