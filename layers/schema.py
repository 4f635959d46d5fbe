"""The declared schema of every kind of layer, read from resources/schema.toml."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..resources import RESOURCES
from .toml import read_toml

FIELD_TYPES = ("str", "int", "float", "bool", "datetime")
GEOMETRIES = ("polygon", "point", "line", "polygon_or_point", "point_optional")


def name_key(name: str) -> str:
    """How field names are compared: case, spaces, '-' and '_' do not matter."""
    return re.sub(r"[\s_\-]+", "", str(name)).casefold()


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str = "str"
    required: bool = False
    personal: bool = False
    code: bool = False        # digits that are text (ID card, phone, credit code): never read as a number
    aliases: tuple = ()
    if_empty: dict = field(default_factory=dict)    # required but empty: what happens then (en, zh)


@dataclass(frozen=True)
class LayerSpec:
    kind: str
    label_zh: str
    label_en: str
    geometry: str
    id_field: str | None
    fields: dict = field(default_factory=dict)        # name -> FieldSpec
    value_aliases: dict = field(default_factory=dict)  # field -> {alias key: canonical}
    names: tuple = ()                                  # words a layer's own name may contain
    needed: bool = False                               # every street must have it, with features

    @property
    def required(self) -> list:
        return [f.name for f in self.fields.values() if f.required]



def _layer_spec(kind: str, table: dict) -> LayerSpec:
    fields = {}
    for name, spec in table.get("fields", {}).items():
        if spec.get("type", "str") not in FIELD_TYPES:
            raise ValueError(f"schema.toml: {kind}.{name}: unknown type {spec['type']!r}")
        fields[name] = FieldSpec(name, spec.get("type", "str"), spec.get("required", False),
                                 spec.get("personal", False), spec.get("code", False),
                                 tuple(spec.get("aliases", ())), spec.get("if_empty", {}))
    if table["geometry"] not in GEOMETRIES:
        raise ValueError(f"schema.toml: {kind}: unknown geometry {table['geometry']!r}")
    values = {
        fname: {name_key(alias): canonical
                for canonical, aliases in mapping.items()
                for alias in (canonical, *aliases)}
        for fname, mapping in table.get("values", {}).items()
    }
    return LayerSpec(kind, table["label"]["zh"], table["label"]["en"], table["geometry"],
                     table.get("id"), fields, values, tuple(table.get("names", ())), table.get("needed", False))


@dataclass(frozen=True)
class AddressPart:
    """One column of an address written in columns (门牌号), and the word written after a bare value (号)."""
    name: str
    word: str
    aliases: tuple


def load_schema(path=None) -> dict:
    return _load(path)[0]


def _load(path=None) -> tuple:
    """(kind → LayerSpec, the columns an address may come split into in the order they are written back together),
    from one reading of the file: the shared address fields (its code and its columns) go to every layer with an
    address (houses have their own columns), the house link to every record layer with one."""
    raw = read_toml(path or RESOURCES / "schema.toml")
    parts = raw.pop("address_parts", {})
    code = {"address_code": {"code": True, "aliases": raw.pop("address_code")["aliases"]}} if "address_code" in raw else {}
    link = {"house_ref": {"code": True, "aliases": raw.pop("house_link")["aliases"]}} if "house_link" in raw else {}
    schema = {}
    for kind, table in raw.items():
        fields = table.get("fields", {})
        if "address" in fields:
            shared = code if set(parts) & set(fields) else \
                {**code, **{name: {"aliases": part["aliases"]} for name, part in parts.items()}}
            linked = {} if "house_id" in fields else link        # a house's own ID is no link
            table = {**table, "fields": {**fields, **shared, **linked}}
        schema[kind] = _layer_spec(kind, table)
    return schema, tuple(AddressPart(name, part["word"], tuple(part["aliases"])) for name, part in parts.items())


SCHEMA, ADDRESS_PARTS = _load()
NEEDED = tuple(kind for kind, spec in SCHEMA.items() if spec.needed)     # the least a street has for any step
