"""Checks of one layer on its own: fields, IDs, geometries.  Repairs what is safe to repair."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from .report import MAX_LISTED, Report
from .schema import LayerSpec

EXPECTED_TYPES = {
    "polygon": {"Polygon", "MultiPolygon"},
    "line": {"LineString", "MultiLineString"},
    "point": {"Point", "MultiPoint"},
    "point_optional": {"Point", "MultiPoint"},
}
POLYGONAL = {"Polygon", "MultiPolygon"}
EXPECTED_TYPES["polygon_or_point"] = EXPECTED_TYPES["polygon"] | EXPECTED_TYPES["point"]


def examples(frame, mask, spec: LayerSpec) -> list:
    """How to name offending records to a person: their IDs, else their row numbers (every one, up to
    MAX_LISTED: the text report shows the first few, the JSON and the result file all)."""
    rows = frame[mask]
    if spec.id_field and spec.id_field in frame.columns:
        return [v for v in rows[spec.id_field].head(MAX_LISTED)]
    return [f"row {i}" for i in rows.index[:MAX_LISTED]]


def check_layer(frame: gpd.GeoDataFrame, spec: LayerSpec, report: Report, source: str) -> gpd.GeoDataFrame:
    """Report problems of one layer; return it with invalid geometries repaired."""
    add = lambda code, **kw: report.add(code, spec.kind, source=source, **kw)  # noqa: E731
    if frame.empty:
        if spec.needed:
            add("empty_required_layer", count=0, detail=spec.label_en, detail_zh=spec.label_zh)
        else:
            add("empty_layer", count=0)
    missing = [name for name in spec.required if name not in frame.columns]
    for name in missing:
        add("missing_required_field", field=name,
            detail=", ".join(str(c) for c in frame.columns if c != frame.geometry.name))
    if spec.id_field and spec.id_field not in missing:
        ids = frame[spec.id_field]
        empty = ids.isna()
        if empty.any():
            add("missing_id", field=spec.id_field, count=int(empty.sum()),
                examples=[f"row {i}" for i in frame.index[empty][:5]])
        duplicated = ids.duplicated(keep=False) & ~empty
        if duplicated.any():
            add("duplicate_id", field=spec.id_field, count=int(duplicated.sum()),
                examples=ids[duplicated].unique()[:5])
    for name in spec.required:
        if name == spec.id_field or name in missing:
            continue
        empty = frame[name].isna() | (frame[name].astype("string").str.strip() == "").fillna(False)
        if empty.any():
            note = spec.fields[name].if_empty
            add("missing_required_value", field=name, count=int(empty.sum()), examples=examples(frame, empty, spec),
                detail=note.get("en", ""), detail_zh=note.get("zh", ""))
    return _check_geometry(frame, spec, add)


def _check_geometry(frame, spec: LayerSpec, add):
    geometry = frame.geometry
    present = geometry.notna() & ~geometry.is_empty
    if spec.geometry == "point_optional":
        # an address, its standard address code or its house link locates a record as coordinates do
        no_address = [frame[name].isna() for name in ("address", "address_code", "house_ref") if name in frame.columns]
        nowhere = ~present & (np.logical_and.reduce(no_address) if no_address else True)
        if nowhere.any():
            add("no_location", count=int(nowhere.sum()), examples=examples(frame, nowhere, spec))
    elif (~present).any():
        add("empty_geometry", count=int((~present).sum()), examples=examples(frame, ~present, spec))
    wrong = present & ~geometry.geom_type.isin(EXPECTED_TYPES[spec.geometry])
    if wrong.any():
        add("wrong_geometry_type", count=int(wrong.sum()), examples=examples(frame, wrong, spec),
            detail=" / ".join(sorted(EXPECTED_TYPES[spec.geometry])))
    invalid = present & ~wrong & ~geometry.is_valid
    if invalid.any():
        add("invalid_geometry", count=int(invalid.sum()), examples=examples(frame, invalid, spec))
        repaired = _repair(geometry[invalid], EXPECTED_TYPES[spec.geometry])
        lost = invalid.copy()
        lost[invalid] = repaired.isna().to_numpy()
        if lost.any():
            add("geometry_set_aside", count=int(lost.sum()), examples=examples(frame, lost, spec),
                detail=" / ".join(sorted(EXPECTED_TYPES[spec.geometry])))
        frame = frame.copy()
        frame.loc[invalid, frame.geometry.name] = repaired
    return frame


def _repair(geometries: gpd.GeoSeries, types: set) -> gpd.GeoSeries:
    """make_valid, keeping only the parts of the layer's own kind (a bow-tie stays a polygon, a ring of
    two points leaves nothing): None where nothing is left."""
    repaired = [_parts_of(g, types) for g in shapely.make_valid(geometries.to_numpy())]
    return gpd.GeoSeries(repaired, index=geometries.index, crs=geometries.crs)


def _parts_of(geometry, types: set):
    if geometry is None or geometry.is_empty:
        return None
    if geometry.geom_type in types:
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in types and not p.is_empty]
    parts = [p for p in parts if p.geom_type in POLYGONAL] or parts     # areas before points
    return shapely.union_all(parts) if parts else None
