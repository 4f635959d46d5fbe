"""Read any supported source into a GeoDataFrame, as it is (no renaming yet).

GeoPackage, Shapefile, GeoJSON (and other OGR formats) through GDAL (vector_io); CSV
and XLSX tables with coordinate columns or addresses only; PostGIS by a
connection string.  The input file is only ever opened for reading.
"""
from __future__ import annotations

import contextlib
import csv
import io
import itertools
import re
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
from .encoding import detect_dbf_encoding, detect_file_encoding, detect_text_encoding, detect_zipped_dbf_encoding
from .errors import InputError
from .fields import match_fields
from .project import InputSpec, is_database
from .schema import ADDRESS_PARTS, SCHEMA, name_key
from .toml import read_toml

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
TABLE_SUFFIXES = {".csv", ".txt", ".tsv"} | WORKBOOK_SUFFIXES
ZIP, OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"     # Excel 2007 and after; Excel 97-2003 (BIFF)
HTML = re.compile(r"\ufeff?\s*<(?:!doctype|html|table|meta|head|\?xml)", re.IGNORECASE)    # a web page saved as .xls
SHAPE_ROWS = 200            # a table's first rows, read to find its header
TITLE_ROWS_AT_MOST = 10     # title rows above the header, at most
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


def read_source(spec: InputSpec) -> RawLayer:
    if is_database(spec.path):
        return _read_postgis(spec)
    path = Path(spec.path)
    if not path.exists():
        raise InputError("file not found", spec.path)
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return _read_table(spec, path, suffix)
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
    geometry[failed] = shapely.from_wkb(wkb[failed], on_invalid="fix")
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


def _read_table(spec: InputSpec, path: Path, suffix: str) -> RawLayer:
    engine = workbook_engine(spec, path) if suffix in WORKBOOK_SUFFIXES else None
    if engine:
        table, title = _read_sheet(spec, path, engine)
        fmt, encoding, note = ("XLS" if engine == "xlrd" else "XLSX"), "", ""
    else:
        table, title, fmt, encoding, note = _read_text_table(spec, path, suffix)
    table.columns = [str(c).strip() for c in table.columns]
    frame, no_place = table_to_frame(table, spec)
    return RawLayer(frame, fmt, encoding, no_place=no_place, encoding_note=note, title=title)


def workbook_engine(spec: InputSpec, path: Path) -> str | None:
    """The reader of a workbook by what its bytes are, not by its name: openpyxl for an Excel 2007 and later
    workbook (a zip), xlrd for an Excel 97-2003 one (BIFF, .xls); None for text saved under a workbook's name, as
    web systems export it (an HTML table, or tab-separated text, named .xls)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(ZIP):
        return "openpyxl"
    if head.startswith(OLE2):
        return "xlrd"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):      # binary, and no UTF-16 text
        raise InputError("cannot be read as a workbook: it is neither an Excel workbook (.xlsx, .xls) nor a table "
                         "saved as text; open it in Excel or WPS and save it as .xlsx", spec.path)
    return None


def _read_text_table(spec: InputSpec, path: Path, suffix: str) -> tuple:
    """(table, title rows skipped, format, encoding, encoding note) of a delimited text table, or of an HTML
    table saved as a workbook."""
    encoding, note = detect_file_encoding(path, spec.encoding)
    with open(path, "r", encoding=encoding, newline="") as handle:
        text = handle.read()
    if not text.strip():
        raise InputError("is empty: no header and no rows", spec.path)
    return (*_table_of_text(spec, text, suffix), encoding, note)


def _table_of_text(spec: InputSpec, text: str, suffix: str) -> tuple:
    """(table, title rows skipped, format) of a table written as text: delimited, or an HTML page's."""
    if HTML.match(text):
        return (*_below_its_header(_html_table(spec, text)), "HTML table")
    sep = "\t" if suffix == ".tsv" else _delimiter(text[:8192])
    rows = list(itertools.islice(csv.reader(io.StringIO(text), delimiter=sep), SHAPE_ROWS))
    at = _header_row(rows)
    table = pd.read_csv(io.StringIO(text), dtype=str, sep=sep, keep_default_na=False, skiprows=at)
    return table.replace("", None), _title(rows[:at]), "CSV"


def _html_table(spec: InputSpec, text: str) -> pd.DataFrame:
    """The cells of the largest table of an HTML page, as text, a row a row (a title's one cell spanning the
    columns stays one cell, so it is found as a title above the header)."""
    from lxml import html

    try:
        tables = html.fromstring(text).xpath("//table")
    except Exception as error:     # lxml's parser errors
        raise InputError(f"cannot be read as an HTML table: {error}", spec.path) from None
    rows = [[[cell.text_content().strip() or None for cell in row.xpath("./td|./th")]
             for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")] for table in tables]
    if not any(rows):
        raise InputError("is a web page (HTML) with no table in it", spec.path)
    return pd.DataFrame(max(rows, key=len), dtype=object)


def _read_sheet(spec: InputSpec, path: Path, engine: str) -> tuple:
    """(table, the title rows above its header) of the sheet named by `layer`; else of the only sheet with data in
    it; else an error listing the sheets."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, header=None, engine=engine)
    except Exception as error:   # openpyxl's and zipfile's own errors
        raise InputError(f"cannot be read as a workbook: {error}", spec.path) from None
    listed = ", ".join(f"{name!r}" for name in sheets)
    if spec.layer is not None and spec.layer not in sheets:
        raise InputError(f"has no sheet {spec.layer!r}; its sheets: {listed}", spec.path)
    headed = {name: _below_its_header(raw) for name, raw in sheets.items()}
    filled = [name for name, (table, _) in headed.items() if not table.dropna(how="all").empty]     # rows under a header
    if spec.layer is None and len(filled) > 1 and len(sheets) > 1:
        raise InputError(f"holds several sheets with data ({listed}); name one with layer = \"…\"", spec.path)
    name = spec.layer if spec.layer is not None else (filled or list(sheets))[0]
    if sheets[name].dropna(how="all").empty:
        raise InputError(f"is empty: sheet {name!r} has no header and no rows", spec.path)
    return headed[name]


def _below_its_header(raw: pd.DataFrame) -> tuple:
    """(table, the title rows above its header) of a sheet read without a header."""
    rows = raw.head(SHAPE_ROWS).to_numpy(dtype=object).tolist()
    at = _header_row(rows)
    table = raw.iloc[at + 1:].reset_index(drop=True)
    table.columns = _column_names(rows[at] if rows else [None] * raw.shape[1])
    return table, _title(rows[:at])


def _column_names(header: list) -> list:
    """A header row's cells as pandas names columns: an empty one Unnamed: 2, one written twice 地址.1."""
    names, seen = [], {}
    for at, cell in enumerate(header):
        name = str(cell).strip() if isinstance(cell, str) and cell.strip() else f"Unnamed: {at}"
        names.append(name if name not in seen else f"{name}.{seen[name]}")
        seen[name] = seen.get(name, 0) + 1
    return names


def _header_row(rows: list) -> int:
    """The row a table's header is in: exports put a title (小河街道实有人口登记表) and who filled the form in
    (填报单位：… 填报日期：…) above it; the header is the first row filling more than half the columns the
    table's rows fill, two or more (a one-column table's first row)."""
    filled = [sum(1 for cell in row if isinstance(cell, str) and cell.strip()) for row in rows]
    widest = max(filled, default=0)
    return next((at for at, count in enumerate(filled[:TITLE_ROWS_AT_MOST]) if count > widest / 2 and count >= 2),
                0) if widest > 1 else 0


def _title(rows: list) -> str:
    """The title rows skipped above a header, as one line (reported, so nothing is dropped unsaid)."""
    lines = (" ".join(str(cell).strip() for cell in row if isinstance(cell, str) and cell.strip()) for row in rows)
    return " / ".join(line for line in lines if line)


class AddressTable(NamedTuple):
    table: pd.DataFrame
    column: str             # the column holding the addresses
    title: str = ""         # the title rows above the table's header, skipped


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
        if not _tab_separated(text):
            lines = [line.strip() for line in text.splitlines()]
            return AddressTable(pd.DataFrame({"address": [line or None for line in lines]}), "address")
        table, title, _ = _table_of_text(spec, text, ".tsv")     # a table saved as text (Excel's "Unicode text")
    elif path.suffix.lower() in WORKBOOK_SUFFIXES and (engine := workbook_engine(spec, path)):
        table, title = _read_sheet(spec, path, engine)
    else:
        read = _read_table(spec, path, path.suffix.lower())
        table, title = pd.DataFrame(read.frame.drop(columns="geometry")), read.title
    if column is not None:
        if column not in table.columns:
            raise InputError(f"has no column {column!r}; its columns: {', '.join(map(str, table.columns))}", spec.path)
        return AddressTable(table, column, title)
    names = {name_key(n) for spec in SCHEMA.values() if "address" in spec.fields
             for n in ("address", *spec.fields["address"].aliases)}
    named = [c for c in table.columns if name_key(c) in names]
    if named or len(table.columns) == 1:
        return AddressTable(table, (named or list(table.columns))[0], title)
    parts = {column: name for name, column in match_fields(table.columns, SCHEMA[spec.kind], {}).items()
             if name in {part.name for part in ADDRESS_PARTS}}
    if parts:       # an address in columns (街路巷, 门牌号, 楼栋号, …): written whole
        table["address"] = written_addresses(table[list(parts)].rename(columns=parts)).replace("", None)
        return AddressTable(table, "address", title)
    raise InputError(f"which column holds the addresses? give --column; its columns: "
                     f"{', '.join(map(str, table.columns))}", spec.path)


def _tab_separated(text: str) -> bool:
    """A text file of columns, not of one address a line: its lines cut by tabs (no address has one), as many
    in most lines as in the first."""
    lines = [line for line in text.splitlines()[:SHAPE_ROWS] if line.strip()]
    tabs = [line.count("\t") for line in lines]
    return bool(tabs) and tabs[0] > 0 and tabs.count(tabs[0]) >= 0.8 * len(tabs)


def _delimiter(sample: str) -> str:
    """, ; | or tab, as the first lines show (Excel in a Chinese locale writes commas; some systems tabs)."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;|\t").delimiter
    except csv.Error:
        return ","


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
    x = pd.to_numeric(table[lon], errors="coerce").to_numpy(float)
    y = pd.to_numeric(table[lat], errors="coerce").to_numpy(float)
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
