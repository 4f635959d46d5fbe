"""The Street: all of a street's layers, read, mapped, checked and in one projected CRS."""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pyproj
import shapely

from .crs import choose_projected_crs
from .errors import InputError
from .fields import apply_value_map, coerce_types, match_fields, rename_fields
from .project import InputSpec, Project
from .readers import LONLAT_CRS, RawLayer, read_source, unswap_lonlat
from .report import LayerSummary, Report
from .schema import SCHEMA
from .topology import check_topology
from .validate import check_layer, examples


@dataclass
class Street:
    name: str
    crs: pyproj.CRS
    layers: dict = field(default_factory=dict)    # kind -> GeoDataFrame
    report: Report = field(default_factory=Report)

    def __getattr__(self, kind):
        """street.houses, street.grids, …: the layer, or None when the street has none."""
        if kind in SCHEMA:
            return self.__dict__.get("layers", {}).get(kind)
        raise AttributeError(kind)


def read_layer(spec: InputSpec, report: Report) -> gpd.GeoDataFrame | None:
    """One input, read and mapped to the canonical schema; None if it cannot be used."""
    layer_spec = SCHEMA[spec.kind]
    try:
        raw = RawLayer(spec.frame, "QGIS layer") if spec.frame is not None else read_source(spec)
    except InputError as error:
        report.add("unreadable", spec.kind, source=spec.label, detail=str(error))
        return None
    mapping = match_fields(list(raw.frame.columns), layer_spec, spec.fields)
    for canonical, column in spec.fields.items():
        if column not in raw.frame.columns:
            report.add("missing_required_field", spec.kind, source=spec.label, field=f"{canonical} ← {column}",
                       detail=", ".join(map(str, raw.frame.columns)))
    frame = apply_value_map(coerce_types(rename_fields(raw.frame, mapping), layer_spec, report, spec.label),
                            spec.values)
    frame = _attributed(frame, raw.frame.columns)
    if raw.rebuilt:
        report.add("unbuildable_geometry", spec.kind, source=spec.label, count=len(raw.rebuilt),
                   examples=examples(frame, frame.index.isin(raw.rebuilt), layer_spec))
    frame = _flattened(frame, spec, report)
    frame, swapped = unswap_lonlat(frame)
    if swapped:
        report.add("swapped_coordinates", spec.kind, source=spec.label, count=len(swapped),
                   examples=examples(frame, frame.index.isin(swapped), layer_spec))
    report.layers.append(LayerSummary(spec.kind, spec.label, raw.format, len(frame),
                                      frame.crs.to_string() if frame.crs else "", raw.encoding, mapping))
    if frame.crs is None:
        # records with addresses only (a table without geometry) have no CRS to know
        crs = spec.crs or (LONLAT_CRS if frame.geometry.isna().all() else None)
        if crs is None:
            report.add("no_crs", spec.kind, source=spec.label)
            return None
        frame = frame.set_crs(crs)
    return frame


OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"


def _attributed(frame: gpd.GeoDataFrame, columns) -> gpd.GeoDataFrame:
    """OpenStreetMap data (an osm_id column) that states no source carries OSM's attribution from here on,
    so the maps and pages made from it credit it (the ODbL asks for that)."""
    if "osm_id" in columns and "source" not in frame.columns:
        return frame.assign(source=OSM_ATTRIBUTION)
    return frame


def _flattened(frame: gpd.GeoDataFrame, spec: InputSpec, report: Report) -> gpd.GeoDataFrame:
    """Z and M dropped: heights come from fields (floors, height_m); a Z drawn as x/y goes astray."""
    geometry = frame.geometry.to_numpy()
    extra = shapely.has_z(geometry)     # M is dropped on reading by GEOS < 3.12 (Debian 12); Z is not
    if not extra.any():
        return frame
    report.add("z_dropped", spec.kind, source=spec.label, count=int(extra.sum()),
               examples=examples(frame, extra, SCHEMA[spec.kind]))
    return frame.set_geometry(gpd.GeoSeries(shapely.force_2d(geometry), index=frame.index, crs=frame.crs))


def load_street(project: Project, progress=None) -> Street:
    """Read every input of a project, harmonise it and check it.

    Never raises on bad data: everything found is in ``street.report``;
    callers stop on ``not street.report.ok``.  ``progress(fraction, text)``
    is called as layers are done.
    """
    report = Report()
    frames = {}
    inputs = list(project.inputs.values())
    for number, spec in enumerate(inputs):
        if progress:
            progress(number / (len(inputs) + 1), f"reading {spec.kind}")
        frame = read_layer(spec, report)
        if frame is not None:
            frames[spec.kind] = frame
    crs = pyproj.CRS.from_user_input(project.crs) if project.crs else choose_projected_crs(frames.values())
    report.crs = crs.to_string()
    layers = {}
    for kind, frame in frames.items():
        label = project.inputs[kind].label
        layers[kind] = check_layer(frame.to_crs(crs), SCHEMA[kind], report, label)
    if progress:
        progress(len(inputs) / (len(inputs) + 1), "checking topology")
    check_topology(layers, report)
    if progress:
        progress(1.0, "done")
    return Street(project.name, crs, layers, report)
