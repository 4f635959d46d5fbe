"""The city project file (city.toml): which street projects make the city, and where the city result goes.

    [city]
    name = "拱墅区"

    [[streets]]
    name = "小河街道"                 # optional: the street project's own name otherwise
    project = "xiaohe/street.toml"   # relative to this file

    [outputs]
    dir = "city_out"
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..layers.errors import InputError
from ..layers.project import Checked
from ..layers.toml import did_you_mean, read_toml_text

SECTIONS = {"city": {"name": str}, "streets": list, "outputs": {"dir": str}}
STREET_KEYS = {"name": str, "project": str}


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
    if not streets:
        raise InputError("no [[streets]] given: list each street's project file", str(path))
    names = [street.name for street in streets]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InputError(f"streets share a name ({', '.join(twice)}): give each [[streets]] its own name", str(path))
    out = Path(raw.get("outputs", {}).get("dir", "city_out"))
    return CityProject(raw.get("city", {}).get("name", path.stem), streets,
                       out if out.is_absolute() else path.parent / out, path)


def _street(entry, number: int, base: Path, check: Checked) -> StreetEntry:
    if not isinstance(entry, dict):
        check.fail(f"[[streets]] number {number + 1} must be a table with a project", "streets")
    check.keys(entry, STREET_KEYS, "streets")
    if "project" not in entry:
        check.fail(f"[[streets]] number {number + 1} needs a project (the street's .toml)", "streets")
    project = Path(entry["project"])
    project = project if project.is_absolute() else (base / project).resolve()
    return StreetEntry(entry.get("name") or project.parent.name or project.stem, project)
