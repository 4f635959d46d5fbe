"""Checks of one layer on its own: fields, IDs, geometries.  Repairs what is safe to repair."""
from __future__ import annotations

import geopandas as gpd
import shapely

from .report import Report
from .schema import LayerSpec

EXPECTED_TYPES = {
    "polygon": {"Polygon", "MultiPolygon"},
    "line": {"LineString", "MultiLineString"},
    "point": {"Point", "MultiPoint"},
    "point_optional": {"Point", "MultiPoint"},
}
EXPECTED_TYPES["polygon_or_point"] = EXPECTED_TYPES["polygon"] | EXPECTED_TYPES["point"]


def examples(frame, mask, spec: LayerSpec) -> list:
    """How to name offending records to a person: their IDs, else their row numbers."""
    rows = frame[mask]
    if spec.id_field and spec.id_field in frame.columns:
        return [v for v in rows[spec.id_field].head(5)]
    return [f"row {i}" for i in rows.index[:5]]


def check_layer(frame: gpd.GeoDataFrame, spec: LayerSpec, report: Report, source: str) -> gpd.GeoDataFrame:
    """Report problems of one layer; return it with invalid geometries repaired."""
    add = lambda code, **kw: report.add(code, spec.kind, source=source, **kw)  # noqa: E731
    if frame.empty:
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
    return _check_geometry(frame, spec, add)


def _check_geometry(frame, spec: LayerSpec, add):
    geometry = frame.geometry
    present = geometry.notna() & ~geometry.is_empty
    if spec.geometry == "point_optional":
        no_address = frame["address"].isna() if "address" in frame.columns else True
        nowhere = ~present & no_address
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
        frame = frame.copy()
        frame.loc[invalid, frame.geometry.name] = _repair(geometry[invalid], spec.geometry)
    return frame


def _repair(geometries: gpd.GeoSeries, kind: str) -> gpd.GeoSeries:
    """make_valid, keeping only the parts of the layer's own dimension (a bow-tie stays a polygon)."""
    repaired = shapely.make_valid(geometries.to_numpy())
    if kind in ("polygon", "polygon_or_point"):
        repaired = [_polygonal(g) for g in repaired]
    return gpd.GeoSeries(repaired, index=geometries.index, crs=geometries.crs)


def _polygonal(geometry):
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geometry
