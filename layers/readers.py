"""Read any supported source into a GeoDataFrame, as it is (no renaming yet).

GeoPackage, Shapefile, GeoJSON (and other OGR formats) through GDAL (vector_io); tables
(CSV, XLSX, XLS: tables.py) with coordinate columns or addresses only; PostGIS by a
connection string.  The input file is only ever opened for reading.
"""
from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
import shapely.errors

from ..resources import RESOURCES
from . import vector_io
from .address_parts import written_addresses
from .crs import likely_crs
from .encoding import detect_dbf_encoding, detect_text_encoding, detect_zipped_dbf_encoding
from .errors import InputError
from .fields import match_fields
from .project import InputSpec, is_database
from .schema import ADDRESS_PARTS, SCHEMA, name_key
from .tables import TABLE_SUFFIXES, read_table, read_text_table, tab_separated
from .toml import read_toml

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
    rebuilt: list = field(default_factory=list)   # rows whose geometry GEOS could not build as stored
    no_place: list = field(default_factory=list)  # rows whose coordinates were no place (inf, metres as degrees)
    encoding_note: str = ""                       # the stated encoding, when the bytes said otherwise
    title: str = ""                               # the title rows above a table's header, skipped
    footer: str = ""                              # the rows below a table (合计, 制表人), skipped


def read_source(spec: InputSpec) -> RawLayer:
    if is_database(spec.path):
        return _read_postgis(spec)
    path = Path(spec.path)
    if not path.exists():
        raise InputError("file not found", spec.path)
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return _read_table(spec, path)
    if suffix == ".parquet" or path.is_dir():
        return _read_parquet(spec, path)
    return _read_vector(spec, path, suffix)


def _read_parquet(spec: InputSpec, path: Path) -> RawLayer:
    """GeoParquet (a file, or a folder of parts as gridgov city and Dask write them); plain Parquet as a table
    with coordinate columns or addresses only."""
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(next(path.rglob("*.parquet")) if path.is_dir() else path)
        if b"geo" in (schema.metadata or {}):
            return RawLayer(gpd.read_parquet(path), "GeoParquet")
        table = pd.read_parquet(path).astype(str).replace({"None": None, "nan": None, "": None})
    except (OSError, StopIteration, ValueError) as error:
        raise InputError(f"cannot be read as Parquet: {error or 'no .parquet file in it'}", spec.path) from None
    frame, no_place = table_to_frame(table, spec)
    return RawLayer(frame, "Parquet", no_place=no_place)


LOCK_PROBE_S = 0.5      # how long to wait for a GeoPackage another program holds (GDAL alone waits 5 s a layer)


def _not_locked(spec: InputSpec, path: Path):
    """A GeoPackage another program is writing (QGIS editing a layer) is said at once, not after GDAL's
    busy wait for every layer read from it."""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                                timeout=LOCK_PROBE_S)) as database:
            database.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            raise InputError("is locked by another program (a layer being edited in QGIS, or a copy running): "
                             "save or close it there, or give a copy", spec.path) from None
    except sqlite3.DatabaseError:
        pass          # not SQLite after all: GDAL says what it is


def _read_vector(spec: InputSpec, path: Path, suffix: str) -> RawLayer:
    encoding, note = spec.encoding, ""
    if suffix == ".gpkg":
        _not_locked(spec, path)
    try:
        layer = _named_layer(path, spec)
        options = {}
        if suffix == ".shp":
            # GDAL recodes the .dbf itself when told its encoding; a process-wide setting
            # (QGIS sets SHAPE_ENCODING) then changes nothing
            encoding, note = detect_dbf_encoding(path, encoding)
            options["ENCODING"] = encoding.upper()
        elif suffix == ".zip":      # a zipped shapefile: the same check of its .cpg against its bytes
            encoding, note = detect_zipped_dbf_encoding(path, encoding)
            options.update({"ENCODING": encoding.upper()} if encoding else {})
        info = vector_io.read_info(path, layer=layer)
        if vector_io.BACKEND == "pyogrio":    # GDAL's own bindings read every other source as UTF-8
            options.update({"encoding": encoding} if suffix not in (".shp", ".zip") and encoding else {})
        rebuilt = []
        try:
            frame = vector_io.read_dataframe(path, layer=layer, use_arrow=_arrow_reads(info), options=options)
        except shapely.errors.GEOSException:
            frame, rebuilt = _read_rebuilding(path, layer, options)
        driver = info["driver"]
    except InputError:
        raise
    except Exception as error:  # GDAL (either backend) raises several DataSource/Field errors
        raise InputError(f"cannot be read: {error}", spec.path, spec.layer or "") from None
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([None] * len(frame), index=frame.index))
    return RawLayer(frame, driver, encoding or "", rebuilt, encoding_note=note)


def _read_rebuilding(path: Path, layer, options: dict):
    """The layer with each geometry built from its WKB on its own.

    GDAL hands over features that GEOS refuses to build (unclosed rings, rings of
    two or three points), and one of them would otherwise sink the whole layer.
    Those are rebuilt with their rings closed (validation then repairs or sets
    them aside, by ID); every other feature is exactly as read.
    """
    attributes, wkb, crs = vector_io.read_wkb(path, layer, options)
    geometry = shapely.from_wkb(wkb, on_invalid="ignore")
    failed = np.flatnonzero(pd.isna(geometry) & pd.notna(wkb))
    geometry[failed] = vector_io.with_rings_closed(wkb[failed])
    frame = gpd.GeoDataFrame(attributes, geometry=gpd.GeoSeries(geometry, index=attributes.index), crs=crs)
    return frame, list(attributes.index[failed])


def _arrow_reads(info: dict) -> bool:
    """Arrow is the fast path; GDAL before 3.8.3 reads boolean fields wrongly through it (pyogrio refuses)."""
    return vector_io.BACKEND == "pyogrio" and (vector_io.gdal_version() >= (3, 8, 3) or "bool" not in info["dtypes"])


def _named_layer(path: Path, spec: InputSpec):
    """The layer named in the project, the only one, or the one named like the kind; an error listing the
    layers there are when none of these is there."""
    names = vector_io.list_layers(path)
    if spec.layer is not None:
        if spec.layer not in names:
            raise InputError(f"has no layer {spec.layer!r}; its layers: {', '.join(map(repr, names))}", spec.path)
        return spec.layer
    if len(names) <= 1:
        return None
    if spec.kind not in names:
        raise InputError(f"holds several layers {names}; name one with layer = \"…\"", spec.path)
    return spec.kind


def _read_table(spec: InputSpec, path: Path) -> RawLayer:
    read = read_table(spec, path)
    frame, no_place = table_to_frame(read.table, spec)
    return RawLayer(frame, read.format, read.encoding, no_place=no_place, encoding_note=read.note, title=read.title,
                    footer=read.footer)


class AddressTable(NamedTuple):
    table: pd.DataFrame
    column: str             # the column holding the addresses
    title: str = ""         # the title rows above the table's header, skipped
    footer: str = ""        # the rows below the table (合计, 制表人), skipped


def read_address_table(spec: InputSpec, column: str | None = None) -> AddressTable:
    """An export for cleaning: CSV, XLSX, or a text file of one address a line; the column given, else the one
    named like an address (schema aliases), else the only one, else an ``address`` written from the columns an
    address comes split into."""
    path = Path(spec.path)
    if not path.exists():
        raise InputError("file not found", spec.path)
    if path.suffix.lower() in (".txt", ""):
        data = path.read_bytes()        # once: a pipe (<(…), /dev/stdin) can be read only once
        text = data.decode(detect_text_encoding(data, spec.path))
        if not tab_separated(text):
            lines = [line.strip() for line in text.splitlines()]
            return AddressTable(pd.DataFrame({"address": [line or None for line in lines]}), "address")
        read = read_text_table(spec, text, ".tsv")      # a table saved as text (Excel's "Unicode text")
    else:
        read = read_table(spec, path)
    table, skipped = read.table, {"title": read.title, "footer": read.footer}
    if column is not None:
        if column not in table.columns:
            raise InputError(f"has no column {column!r}; its columns: {', '.join(map(str, table.columns))}", spec.path)
        return AddressTable(table, column, **skipped)
    names = {name_key(n) for spec in SCHEMA.values() if "address" in spec.fields
             for n in ("address", *spec.fields["address"].aliases)}
    named = [c for c in table.columns if name_key(c) in names]
    if named or len(table.columns) == 1:
        return AddressTable(table, (named or list(table.columns))[0], **skipped)
    parts = {column: name for name, column in match_fields(table.columns, SCHEMA[spec.kind], {}).items()
             if name in {part.name for part in ADDRESS_PARTS}}
    if parts:       # an address in columns (街路巷, 门牌号, 楼栋号, …): written whole
        table["address"] = written_addresses(table[list(parts)].rename(columns=parts)).replace("", None)
        return AddressTable(table, "address", **skipped)
    raise InputError(f"which column holds the addresses? give --column; its columns: "
                     f"{', '.join(map(str, table.columns))}", spec.path)


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


def table_to_frame(table: pd.DataFrame, spec: InputSpec):
    """Points from coordinate columns where a row has them; no geometry where it has not.  Coordinates
    that are no place (inf, 1e999, metres in longitude/latitude columns) are set aside row by row:
    returns the frame and the labels of those rows."""
    lon, lat, crs = _coordinate_columns(list(table.columns), spec)
    if not (lon and lat):
        geometry = gpd.GeoSeries([None] * len(table), index=table.index, crs=spec.crs or LONLAT_CRS)
        return gpd.GeoDataFrame(table, geometry=geometry), []
    x, y = _coordinates(table[lon]), _coordinates(table[lat])
    given = ~(np.isnan(x) | np.isnan(y))
    if crs is None and _all_degrees_in_china(x[given], y[given]):
        crs = LONLAT_CRS   # x/y that are plainly degrees; otherwise the CRS stays unknown
    no_place = given & ~(np.isfinite(x) & np.isfinite(y))
    if crs is not None and pyproj.CRS.from_user_input(crs).is_geographic:
        swapped = china_degrees(y, x)           # latitude and longitude the wrong way round: put right later
        beyond = given & ((np.abs(x) > 180) | (np.abs(y) > 90)) & ~swapped
        if beyond.sum() > 0.5 * given.sum():    # not a few typos: the columns are not degrees at all
            raise InputError(f"columns {lon} / {lat} hold values like {np.nanmedian(x[beyond]):,.0f} / "
                             f"{np.nanmedian(y[beyond]):,.0f}, not degrees; "
                             + likely_crs(np.nanmedian(x[beyond]), np.nanmedian(y[beyond]))
                             + "; name the columns x = \"…\", y = \"…\" with that crs in the project file", spec.path)
        no_place |= beyond
    points = gpd.points_from_xy(x, y)
    points[~given | no_place] = None
    frame = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(points, index=table.index), crs=crs)
    return frame, list(table.index[no_place])


def _coordinates(column: pd.Series) -> np.ndarray:
    """A coordinate column as floats; what pandas reads as no number is tried as Python reads it, so that a
    number too large for a float (1e999: pandas 2 gives no number, pandas 3 infinity) is infinite, no place,
    on any pandas, and full-width digits (１２０.１５) are read."""
    numbers = pd.to_numeric(column, errors="coerce").to_numpy(float, copy=True)
    unread = np.isnan(numbers) & column.notna().to_numpy()
    numbers[unread] = [_number(value) for value in column[unread]]
    return numbers


def _number(value) -> float:
    try:
        return float(str(value).strip())
    except ValueError:
        return np.nan


def _all_degrees_in_china(x, y) -> bool:
    """Most located rows are degrees in China (strays and typos aside): the columns are degrees."""
    return len(x) > 0 and float(np.mean(china_degrees(x, y, either_way=True))) >= 0.9


def china_degrees(x, y, either_way=False):
    """Which (x, y) are a longitude/latitude in China (or, either_way, its swap)."""
    def inside(lon, lat):
        return (lon >= CHINA_LON[0]) & (lon <= CHINA_LON[1]) & (lat >= CHINA_LAT[0]) & (lat <= CHINA_LAT[1])
    return inside(x, y) | inside(y, x) if either_way else inside(x, y)


def unswap_lonlat(frame: gpd.GeoDataFrame):
    """Swap back points whose latitude and longitude were entered the wrong way round.

    Only for longitude/latitude layers: a point is taken as swapped when its
    (y, x) lies in China and its (x, y) does not.  Returns the frame and the
    labels of the rows that were swapped.
    """
    if frame.crs is None or not frame.crs.is_geographic or frame.empty:
        return frame, []
    geometry = frame.geometry.to_numpy()
    points = (frame.geometry.geom_type == "Point").to_numpy()
    x, y = np.full(len(frame), np.nan), np.full(len(frame), np.nan)
    x[points], y[points] = shapely.get_x(geometry[points]), shapely.get_y(geometry[points])
    flip = china_degrees(y, x) & ~china_degrees(x, y)
    if not flip.any():
        return frame, []
    frame = frame.copy()
    frame.loc[flip, frame.geometry.name] = gpd.points_from_xy(y[flip], x[flip])
    return frame, list(frame.index[flip])


def _read_postgis(spec: InputSpec) -> RawLayer:
    try:
        import sqlalchemy
    except ImportError:
        raise InputError("reading PostGIS needs sqlalchemy and psycopg: pip install 'gridgov[postgis]'",
                         spec.label) from None
    if not (spec.sql or spec.layer):
        raise InputError("a PostGIS input needs table = \"schema.table\" or sql = \"SELECT …\"", spec.label)
    engine = sqlalchemy.create_engine(spec.path)
    try:
        with engine.connect() as connection:
            # the table name is a quoted identifier; the SQL is the user's own, from their project file
            query = spec.sql or f"SELECT * FROM {_quoted_table(spec.layer)}"  # nosec B608
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

    probe = connection.execute(sqlalchemy.text(f"SELECT * FROM ({query}) AS q LIMIT 0"))  # nosec B608 (see above)
    types = connection.execute(sqlalchemy.text(
        "SELECT oid FROM pg_type WHERE typname = 'geometry'")).scalar()
    for column in probe.cursor.description:
        if column.type_code == types:
            return column.name
    raise InputError("the query returns no geometry column", query)
