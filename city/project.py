"""The city project file (city.toml): which streets make the city, and where the city result goes.

Either a list of street projects:

    [city]
    name = "拱墅区"

    [[streets]]
    name = "小河街道"                 # optional: the project's folder name otherwise
    project = "xiaohe/street.toml"   # relative to this file

or the city's own layers, as a street project names them, with a `streets` layer
(街道 polygons) that partitions them:

    [city]
    name = "杭州市"
    buffer_m = 1500                  # roads and bases this far around each street

    [inputs.streets]
    path = "city.gpkg"
    layer = "街道"
    [inputs.houses]
    path = "city.gpkg"
    layer = "houses"
    [inputs.people]
    path = "exports/people.csv"      # city-wide records: split onto streets on Dask

    [outputs]
    dir = "city_out"
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..layers.errors import InputError
from ..layers.project import Checked, input_spec
from ..layers.schema import SCHEMA, load_schema
from ..layers.toml import did_you_mean, read_toml_text
from ..resources import RESOURCES

SECTIONS = {"city": {"name": str, "buffer_m": (int, float)}, "streets": list, "inputs": dict, "outputs": {"dir": str}}
BUFFER_M = 1500.0
STREET_KEYS = {"name": str, "project": str}
STREETS_SPEC = load_schema(RESOURCES / "city_schema.toml")["streets"]


@dataclass(frozen=True)
class StreetEntry:
    name: str
    project: Path


@dataclass
class CityProject:
    name: str
    streets: list = field(default_factory=list)     # StreetEntry, in the file's order
    output_dir: Path = Path("city_out")
    path: Path | None = None
    inputs: dict = field(default_factory=dict)      # kind → InputSpec: city-wide layers, split onto streets
    buffer_m: float = BUFFER_M

    @property
    def split(self) -> bool:
        """Whether the streets come from city-wide layers (else from street projects)."""
        return bool(self.inputs)


def load_city(path) -> CityProject:
    """Read and check a city file; each street's own project is read when that street runs."""
    path = Path(path).resolve()
    raw, text = read_toml_text(path)
    check = Checked(path, text)
    for section, value in raw.items():
        if section not in SECTIONS:
            check.fail(f"unknown section [{section}]{did_you_mean(section, SECTIONS)}; a city file has "
                       "[city], [[streets]] and [outputs]", section)
        if isinstance(SECTIONS[section], dict):
            check.keys(value, SECTIONS[section], section)
    streets = [_street(entry, number, path.parent, check) for number, entry in enumerate(raw.get("streets", []))]
    inputs = {kind: input_spec(kind, spec, path.parent, check, {**SCHEMA, "streets": STREETS_SPEC})
              for kind, spec in raw.get("inputs", {}).items()}
    if streets and inputs:
        raise InputError("give either [[streets]] (street projects) or [inputs] (city-wide layers), not both", str(path))
    if inputs and "streets" not in inputs:
        raise InputError("city-wide [inputs] need [inputs.streets]: the streets (街道) that partition them", str(path))
    if not streets and not inputs:
        raise InputError("no streets: list each street's project file in [[streets]], or give city-wide [inputs] "
                         "with [inputs.streets]", str(path))
    names = [street.name for street in streets]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InputError(f"streets share a name ({', '.join(twice)}): give each [[streets]] its own name", str(path))
    out = Path(raw.get("outputs", {}).get("dir", "city_out"))
    city = raw.get("city", {})
    return CityProject(city.get("name", path.stem), streets, out if out.is_absolute() else path.parent / out, path,
                       inputs, float(city.get("buffer_m", BUFFER_M)))


def _street(entry, number: int, base: Path, check: Checked) -> StreetEntry:
    if not isinstance(entry, dict):
        check.fail(f"[[streets]] number {number + 1} must be a table with a project", "streets")
    check.keys(entry, STREET_KEYS, "streets")
    if "project" not in entry:
        check.fail(f"[[streets]] number {number + 1} needs a project (the street's .toml)", "streets")
    project = Path(entry["project"])
    project = project if project.is_absolute() else (base / project).resolve()
    return StreetEntry(entry.get("name") or project.parent.name or project.stem, project)
