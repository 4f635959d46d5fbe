"""Which open layer is which kind of street layer, proposed from its name, fields and geometry.

The plugin shows the proposal and the user changes what is wrong, so a proposal
only needs to be right in the common cases: a layer called 网格 or grids, or one
whose fields are the kind's own (网格编号, 标准地址 …).  Each layer goes to at most
one kind and each kind to at most one layer, best fits first.
"""
from __future__ import annotations

from dataclasses import dataclass

from .fields import match_fields
from .schema import SCHEMA, LayerSpec, name_key

# the geometry a layer has ("polygon", "point", "line" or "none") → the schema geometries it can serve
FITS = {
    "polygon": {"polygon", "polygon_or_point"},
    "point": {"point", "polygon_or_point", "point_optional"},
    "line": {"line"},
    "none": {"point_optional"},
}
NAME_EQUAL, NAME_CONTAINS = 3.0, 2.0


@dataclass(frozen=True)
class Candidate:
    key: str            # the caller's handle for the layer (a QGIS layer id)
    name: str
    fields: tuple
    geometry: str       # polygon, point, line or none


def name_score(name: str, spec: LayerSpec) -> float:
    key = name_key(name)
    words = [name_key(word) for word in (spec.kind, spec.label_zh, spec.label_en, *spec.names)]
    if key in words:
        return NAME_EQUAL
    return NAME_CONTAINS if any(word and word in key for word in words) else 0.0


def fit(candidate: Candidate, spec: LayerSpec) -> float:
    """0 when the layer cannot be of this kind or nothing points to it; higher is a better fit."""
    if spec.geometry not in FITS.get(candidate.geometry, ()):
        return 0.0
    mapping = match_fields(list(candidate.fields), spec, {})
    has_required = bool(spec.required) and all(name in mapping for name in spec.required)
    by_name = name_score(candidate.name, spec)
    if not by_name and not has_required:
        return 0.0
    return by_name + has_required + len(mapping) / max(len(spec.fields), 1)


def propose(candidates, schema: dict = SCHEMA) -> dict:
    """kind → candidate key, for the kinds some layer fits."""
    scored = sorted(((fit(candidate, spec), kind, candidate.key)
                     for candidate in candidates for kind, spec in schema.items()), reverse=True)
    chosen, used = {}, set()
    for score, kind, key in scored:
        if score > 0 and kind not in chosen and key not in used:
            chosen[kind] = key
            used.add(key)
    return chosen


def missing_required(columns, kind: str, user_map: dict) -> list:
    """The required fields of a kind that neither the names nor the user's mapping provide."""
    mapping = match_fields(list(columns), SCHEMA[kind], user_map)
    return [name for name in SCHEMA[kind].required if name not in mapping]
