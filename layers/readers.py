"""Read any supported source into a GeoDataFrame, as it is (no renaming yet).

GeoPackage, Shapefile, GeoJSON (and other OGR formats) through pyogrio; CSV
and XLSX tables with coordinate columns or addresses only; PostGIS by a
connection string.  The input file is only ever opened for reading.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from .. import RESOURCES
from .encoding import detect_dbf_encoding, detect_file_encoding
from .errors import InputError
from .project import InputSpec, is_database
from .schema import name_key
from .toml import read_toml

TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}
COORDINATE_NAMES = {axis: {name_key(n) for n in names}
                    for axis, names in read_toml(RESOURCES / "coordinates.toml").items()}
LONLAT_CRS = "EPSG:4326"
# Longitudes and latitudes of China (with a margin): x/y in these ranges are degrees.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)


@dataclass
class RawLayer:
    frame: gpd.GeoDataFrame
    format: str
    encoding: str = ""
    swapped: list = field(default_factory=list)   # row labels whose lon/lat were swapped


def read_source(spec: InputSpec) -> RawLayer:
    if is_database(spec.path):
        return _read_postgis(spec)
    path = Path(spec.path)
    if not path.exists():
        raise InputError("file not found", spec.path)
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return _read_table(spec, path, suffix)
    return _read_vector(spec, path, suffix)


def _read_vector(spec: InputSpec, path: Path, suffix: str) -> RawLayer:
    layer = spec.layer
    if layer is None:
        names = [row[0] for row in pyogrio.list_layers(path)]
        if len(names) > 1:
            if spec.kind not in names:
                raise InputError(f"holds several layers {names}; name one with layer = \"…\"", spec.path)
            layer = spec.kind
    encoding = spec.encoding
    if encoding is None and suffix == ".shp":
        encoding = detect_dbf_encoding(path)
    try:
        frame = pyogrio.read_dataframe(path, layer=layer, encoding=encoding)
    except Exception as error:  # pyogrio raises several DataSource/Field errors
        raise InputError(f"cannot be read: {error}", spec.path, layer or "") from None
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([None] * len(frame), index=frame.index))
    return RawLayer(frame, pyogrio.read_info(path, layer=layer)["driver"], encoding or "")


def _read_table(spec: InputSpec, path: Path, suffix: str) -> RawLayer:
    encoding = ""
    if suffix in {".xlsx", ".xlsm"}:
        try:
            table = pd.read_excel(path, sheet_name=spec.layer or 0, dtype=str)
        except Exception as error:
            raise InputError(f"cannot be read as a workbook: {error}", spec.path) from None
        fmt = "XLSX"
    else:
        encoding = spec.encoding or detect_file_encoding(path)
        with open(path, "r", encoding=encoding, newline="") as handle:
            text = handle.read()
        sep = "\t" if suffix == ".tsv" else None   # None: sniff , ; | or tab
        table = pd.read_csv(io.StringIO(text), dtype=str, sep=sep, engine="python", keep_default_na=False)
        table = table.replace("", None)
        fmt = "CSV"
    table.columns = [str(c).strip() for c in table.columns]
    frame, swapped = _table_to_frame(table, spec)
    return RawLayer(frame, fmt, encoding, swapped)


def _coordinate_columns(columns, spec: InputSpec):
    """(x column, y column, CRS or None) from the project file, else from known names."""
    if spec.x or spec.y:
        missing = [c for c in (spec.x, spec.y) if c not in columns]
        if missing:
            raise InputError(f"coordinate columns {missing} not found; columns: {list(columns)}", spec.path)
        return spec.x, spec.y, spec.crs
    found = {axis: next((c for c in columns if name_key(c) in names), None)
             for axis, names in COORDINATE_NAMES.items()}
    if found["lon"] and found["lat"]:
        return found["lon"], found["lat"], spec.crs or LONLAT_CRS
    return found["x"], found["y"], spec.crs


def _table_to_frame(table: pd.DataFrame, spec: InputSpec):
    """Points from coordinate columns where a row has them; no geometry where it has not."""
    lon, lat, crs = _coordinate_columns(list(table.columns), spec)
    if not (lon and lat):
        geometry = gpd.GeoSeries([None] * len(table), index=table.index, crs=spec.crs or LONLAT_CRS)
        return gpd.GeoDataFrame(table, geometry=geometry), []
    x = pd.to_numeric(table[lon], errors="coerce").to_numpy(float)
    y = pd.to_numeric(table[lat], errors="coerce").to_numpy(float)
    if crs is None and _all_degrees_in_china(x, y):
        crs = LONLAT_CRS   # x/y that are plainly degrees; otherwise the CRS stays unknown
    swapped = []
    if crs in (LONLAT_CRS, "EPSG:4490"):
        flip = _in(y, CHINA_LON) & _in(x, CHINA_LAT)
        x[flip], y[flip] = y[flip], x[flip].copy()
        swapped = list(table.index[flip])
    points = gpd.points_from_xy(x, y)
    points[np.isnan(x) | np.isnan(y)] = None
    frame = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(points, index=table.index), crs=crs)
    return frame, swapped


def _in(values, bounds):
    return (values >= bounds[0]) & (values <= bounds[1])


def _all_degrees_in_china(x, y) -> bool:
    known = ~(np.isnan(x) | np.isnan(y))
    if not known.any():
        return False
    x, y = x[known], y[known]
    return bool(((_in(x, CHINA_LON) & _in(y, CHINA_LAT)) | (_in(y, CHINA_LON) & _in(x, CHINA_LAT))).all())


def _read_postgis(spec: InputSpec) -> RawLayer:
    try:
        import sqlalchemy
    except ImportError:
        raise InputError("reading PostGIS needs sqlalchemy and psycopg2: pip install 'gridgov[postgis]'",
                         spec.label) from None
    if not (spec.sql or spec.layer):
        raise InputError("a PostGIS input needs table = \"schema.table\" or sql = \"SELECT …\"", spec.label)
    engine = sqlalchemy.create_engine(spec.path)
    try:
        with engine.connect() as connection:
            query = spec.sql or f"SELECT * FROM {_quoted_table(spec.layer)}"
            geometry_column = _geometry_column(connection, query)
            frame = gpd.read_postgis(sqlalchemy.text(query), connection, geom_col=geometry_column)
    except sqlalchemy.exc.SQLAlchemyError as error:
        raise InputError(f"PostGIS query failed: {error.__class__.__name__}: {error.orig or error}",
                         spec.label) from None
    finally:
        engine.dispose()
    return RawLayer(frame, "PostGIS")


def _quoted_table(name: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in name.split("."))


def _geometry_column(connection, query: str) -> str:
    """The first geometry column of a query's result, found by asking PostGIS."""
    import sqlalchemy

    probe = connection.execute(sqlalchemy.text(f"SELECT * FROM ({query}) AS q LIMIT 0"))
    types = connection.execute(sqlalchemy.text(
        "SELECT oid FROM pg_type WHERE typname = 'geometry'")).scalar()
    for column in probe.cursor.description:
        if column.type_code == types:
            return column.name
    raise InputError("the query returns no geometry column", query)
