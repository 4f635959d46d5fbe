"""The Street: all of a street's layers, read, mapped, checked and in one projected CRS."""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from .address_parts import address_from_parts
from .crs import choose_projected_crs, likely_crs
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
    frame = address_from_parts(frame, layer_spec, report, spec.label)
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
    if raw.encoding_note:
        report.add("encoding_mismatch", spec.kind, source=spec.label, detail=raw.encoding_note)
    if raw.title:
        report.add("title_rows_skipped", spec.kind, source=spec.label, detail=raw.title)
    if raw.footer:
        report.add("footer_rows_skipped", spec.kind, source=spec.label, detail=raw.footer)
    if raw.no_place:
        report.add("bad_coordinates", spec.kind, source=spec.label, count=len(raw.no_place),
                   detail="infinite, or beyond ±180° / ±90°",
                   examples=examples(frame, frame.index.isin(raw.no_place), layer_spec))
    if frame.crs is None:
        # records with addresses only (a table without geometry) have no CRS to know
        crs = spec.crs or (LONLAT_CRS if frame.geometry.isna().all() else None)
        if crs is None:
            report.add("no_crs", spec.kind, source=spec.label)
            return None
        frame = frame.set_crs(crs)
    misfit = crs_misfit(frame)
    if misfit:
        report.add("coordinates_do_not_fit_crs", spec.kind, source=spec.label, detail=misfit)
        return None
    return frame


def crs_misfit(frame: gpd.GeoDataFrame) -> str:
    """Why the coordinates cannot be in the layer's CRS (degrees that run to hundreds of thousands), with
    the CRS they look like; '' when they fit."""
    if not frame.crs.is_geographic:
        return ""
    xy = shapely.get_coordinates(frame.geometry.dropna().to_numpy())
    if not len(xy) or ((np.abs(xy[:, 0]) <= 180) & (np.abs(xy[:, 1]) <= 90)).mean() >= 0.5:
        return ""
    x, y = np.median(xy[:, 0]), np.median(xy[:, 1])
    return f"{frame.crs.to_string()} is in degrees, yet x is about {x:,.0f} and y about {y:,.0f}; " + likely_crs(x, y)


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


STREET_KINDS = ("houses", "grids", "patrol_zones", "defense_zones", "communities")
RECORD_KINDS = ("people", "units", "events", "sensors")
STRAY_KM = 20


def _report_strays(layers: dict, project: Project, report: Report):
    """Records far outside the street (a point at 0,0, in Beijing, in New York): named, never followed."""
    houses = layers.get("houses")
    if houses is None or houses.empty:
        return
    box = shapely.box(*houses.total_bounds)
    for kind in RECORD_KINDS:
        frame = layers.get(kind)
        if frame is None or frame.geometry.isna().all():
            continue
        far = (frame.geometry.distance(box) > STRAY_KM * 1000).to_numpy()
        if far.any():
            report.add("far_from_street", kind, source=project.inputs[kind].label, count=int(far.sum()),
                       detail=str(STRAY_KM), examples=examples(frame, far, SCHEMA[kind]))


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
    own = [frames[kind] for kind in STREET_KINDS if kind in frames]      # the street's own layers place it
    crs = pyproj.CRS.from_user_input(project.crs) if project.crs else choose_projected_crs(own or frames.values())
    report.crs = crs.to_string()
    layers = {}
    for kind, frame in frames.items():
        label = project.inputs[kind].label
        layers[kind] = check_layer(frame.to_crs(crs), SCHEMA[kind], report, label)
    _report_strays(layers, project, report)
    if progress:
        progress(len(inputs) / (len(inputs) + 1), "checking topology")
    check_topology(layers, report)
    if progress:
        progress(1.0, "done")
    return Street(project.name, crs, layers, report)
