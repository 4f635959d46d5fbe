"""Vector files in and out through the one GDAL the process has.

Outside QGIS, pyogrio (fast, Arrow) reads and writes.  Inside QGIS, the plugin's
dependencies leave pyogrio out: its wheels carry a second GDAL and PROJ, and two
copies in one process make QGIS abort when it exits.  There GDAL's own Python
bindings (`osgeo`, which every QGIS ships, on QGIS's GDAL) do the same work,
feature by feature.  The backend is chosen once: pyogrio when it can be
imported, else GDAL; GRIDGOV_VECTOR_IO=gdal (or pyogrio) forces one.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

BACKEND = os.environ.get("GRIDGOV_VECTOR_IO") or ("pyogrio" if importlib.util.find_spec("pyogrio") else "gdal")


def gdal_version() -> tuple:
    if BACKEND == "pyogrio":
        import pyogrio

        return pyogrio.__gdal_version__
    from osgeo import gdal

    number = int(gdal.VersionInfo())
    return number // 1_000_000, number // 10_000 % 100, number // 100 % 100


def list_layers(path) -> list:
    if BACKEND == "pyogrio":
        import pyogrio

        return [str(row[0]) for row in pyogrio.list_layers(path)]
    source = _open(path)
    return [source.GetLayer(i).GetName() for i in range(source.GetLayerCount())]


def read_info(path, layer=None) -> dict:
    """fields, their dtypes (as pyogrio names them) and the driver of a layer."""
    if BACKEND == "pyogrio":
        import pyogrio

        info = pyogrio.read_info(path, layer=layer)
        return {"fields": list(info["fields"]), "dtypes": list(map(str, info["dtypes"])), "driver": info["driver"]}
    source = _open(path)
    definition = _layer(source, layer).GetLayerDefn()
    fields = [definition.GetFieldDefn(i) for i in range(definition.GetFieldCount())]
    return {"fields": [f.GetName() for f in fields], "dtypes": [_gdal_dtype(f) for f in fields],
            "driver": source.GetDriver().ShortName}


def read_dataframe(path, layer=None, columns=None, read_geometry: bool = True, options: dict | None = None,
                   use_arrow: bool = False):
    """A layer as a GeoDataFrame (a DataFrame without ``read_geometry``).  ``options``: the driver's open
    options (ENCODING for a shapefile's .dbf).  GDAL's reading raises shapely's GEOSException on a geometry
    GEOS cannot build, as pyogrio's does."""
    if BACKEND == "pyogrio":
        import pyogrio

        return pyogrio.read_dataframe(path, layer=layer, columns=columns, read_geometry=read_geometry,
                                      use_arrow=use_arrow, **(options or {}))
    attributes, wkb, crs = read_wkb(path, layer, options, columns)
    if not read_geometry:
        return attributes
    return gpd.GeoDataFrame(attributes, geometry=gpd.GeoSeries(shapely.from_wkb(wkb), index=attributes.index), crs=crs)


def read_wkb(path, layer=None, options: dict | None = None, columns=None) -> tuple:
    """(attributes, geometries as WKB, CRS): for building each geometry on its own."""
    if BACKEND == "pyogrio":
        import pyogrio
        import pyogrio.raw

        attributes = pyogrio.read_dataframe(path, layer=layer, columns=columns, read_geometry=False, **(options or {}))
        meta, _, wkb, _ = pyogrio.raw.read(path, layer=layer, columns=[], **(options or {}))
        return attributes, wkb, meta["crs"]
    source = _open(path, options)
    found = _layer(source, layer)
    definition = found.GetLayerDefn()
    fields = [definition.GetFieldDefn(i) for i in range(definition.GetFieldCount())]
    chosen = [i for i, f in enumerate(fields) if columns is None or f.GetName() in columns]
    rows, wkb = [], []
    for feature in found:
        rows.append([feature.GetField(i) if feature.IsFieldSetAndNotNull(i) else None for i in chosen])
        geometry = feature.GetGeometryRef()
        wkb.append(bytes(geometry.ExportToIsoWkb()) if geometry is not None else None)
    attributes = pd.DataFrame(rows, columns=[fields[i].GetName() for i in chosen])
    for i in chosen:
        attributes[fields[i].GetName()] = _typed(attributes[fields[i].GetName()], _gdal_dtype(fields[i]))
    reference = found.GetSpatialRef()
    crs = _crs_name(reference) if reference is not None else None
    return attributes, np.array(wkb, dtype=object), crs


def with_rings_closed(wkb: np.ndarray) -> np.ndarray:
    """Geometries GEOS refuses as stored (unclosed rings, rings of two or three points) built with their rings
    closed: by shapely from 2.1 on, else by GDAL's own geometry (shapely 2.0, the plugin's pin inside QGIS, has
    no such reading; QGIS always has GDAL's bindings)."""
    try:
        return shapely.from_wkb(wkb, on_invalid="fix")
    except ValueError:          # shapely 2.0: 'fix' is not a valid option
        from osgeo import ogr

        closed = []
        for stored in wkb:
            geometry = ogr.CreateGeometryFromWkb(bytes(stored))
            geometry.CloseRings()
            closed.append(bytes(geometry.ExportToIsoWkb()))
        return shapely.from_wkb(np.array(closed, dtype=object), on_invalid="ignore")


WRITE_CHUNK = 100_000    # rows per pyogrio call: their text converted a chunk at a time, memory bounded


def write_dataframe(frame, path, layer: str, dataset_options: dict | None = None,
                    layer_options: dict | None = None) -> None:
    """One layer (a GeoDataFrame) or table (a DataFrame) into a GeoPackage, created on the first layer.

    With pyogrio, a large frame goes in chunks of plain-object text: pyogrio writes pandas' Arrow-backed
    strings a fifth slower than Python strings (1.79 million people: 19.0 s as they are, 15.1 s so), and
    converting the whole frame at once would double its memory."""
    if BACKEND != "pyogrio":
        _gdal_write(frame, Path(path), layer, dataset_options or {}, layer_options or {})
        return
    import pyogrio

    geometry_type = _geometry_name(frame)
    for start in range(0, max(len(frame), 1), WRITE_CHUNK):
        first = start == 0
        pyogrio.write_dataframe(_plain_text(frame.iloc[start:start + WRITE_CHUNK]), path, layer=layer, driver="GPKG",
                                promote_to_multi=False, geometry_type=geometry_type, append=not first,
                                dataset_options=(dataset_options or {}) if first else {},
                                layer_options=(layer_options or {}) if first else {})


def _plain_text(frame):
    text = [column for column in frame.columns if isinstance(frame[column].dtype, pd.StringDtype)]
    return frame.astype(dict.fromkeys(text, object)) if text else frame


def _geometry_name(frame) -> str | None:
    """The layer's geometry type from all its rows, as pyogrio would infer it (not from a first chunk);
    None for a table."""
    if not isinstance(frame, gpd.GeoDataFrame):
        return None
    geometry = frame.geometry
    present = geometry[geometry.notna() & ~geometry.is_empty]
    kinds = present.geom_type.unique()
    if len(kinds) != 1:
        return "Unknown"
    return f"{kinds[0]} Z" if present.has_z.any() else kinds[0]


# ---- GDAL's own bindings ------------------------------------------------------------------------------

def _open(path, options: dict | None = None, update: bool = False):
    from osgeo import gdal

    gdal.UseExceptions()
    flags = gdal.OF_VECTOR | (gdal.OF_UPDATE if update else gdal.OF_READONLY)
    return gdal.OpenEx(str(path), flags, open_options=[f"{k}={v}" for k, v in (options or {}).items()])


def _layer(source, name):
    found = source.GetLayerByName(name) if name is not None else source.GetLayer(0)
    if found is None:
        raise ValueError(f"no layer {name!r}")
    return found


def _gdal_dtype(field) -> str:
    from osgeo import ogr

    kind, subtype = field.GetType(), field.GetSubType()
    if kind == ogr.OFTInteger and subtype == ogr.OFSTBoolean:
        return "bool"
    return {ogr.OFTInteger: "int32", ogr.OFTInteger64: "int64", ogr.OFTReal: "float64", ogr.OFTDate: "datetime64[D]",
            ogr.OFTDateTime: "datetime64[ms]"}.get(kind, "object")


def _typed(values: pd.Series, dtype: str) -> pd.Series:
    """GDAL's Python values as the dtypes pyogrio gives (nullable where a value is missing)."""
    if dtype == "bool":
        return values.map(lambda v: None if v is None else bool(v)).astype("boolean" if values.isna().any() else bool)
    if dtype.startswith("int"):
        return values.astype("Int64" if values.isna().any() else dtype)
    if dtype == "float64":
        return values.astype(float)
    if dtype.startswith("datetime"):      # GDAL says 2026/01/31 10:00:00 (+00 when it stored a zone)
        parsed = pd.to_datetime(values.str.replace("/", "-").str.replace(r"\+00$", "", regex=True), errors="coerce")
        if dtype == "datetime64[D]":      # a date field: dates, as pyogrio gives them
            return pd.Series([None if pd.isna(v) else v.date() for v in parsed], index=values.index, dtype=object)
        return parsed
    return values


def _crs_name(reference) -> str:
    authority, code = reference.GetAuthorityName(None), reference.GetAuthorityCode(None)
    return f"{authority}:{code}" if authority and code else reference.ExportToWkt()


def _gdal_type(series: pd.Series):
    from osgeo import ogr

    if pd.api.types.is_bool_dtype(series):
        return ogr.OFTInteger, ogr.OFSTBoolean
    if pd.api.types.is_integer_dtype(series):
        return ogr.OFTInteger64, ogr.OFSTNone
    if pd.api.types.is_float_dtype(series):
        return ogr.OFTReal, ogr.OFSTNone
    if pd.api.types.is_datetime64_any_dtype(series):
        return ogr.OFTDateTime, ogr.OFSTNone
    return ogr.OFTString, ogr.OFSTNone


def _geometry_type(frame) -> int:
    from osgeo import ogr

    name = _geometry_name(frame)
    if name is None:
        return ogr.wkbNone
    names = {"Point": ogr.wkbPoint, "MultiPoint": ogr.wkbMultiPoint, "LineString": ogr.wkbLineString,
             "MultiLineString": ogr.wkbMultiLineString, "Polygon": ogr.wkbPolygon, "MultiPolygon": ogr.wkbMultiPolygon}
    return names.get(name.removesuffix(" Z"), ogr.wkbUnknown)


def _value(value, kind):
    from osgeo import ogr

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == ogr.OFTDateTime:
        return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, (np.bool_, bool)):
        return int(value)
    if isinstance(value, np.generic):
        return value.item()
    return value if isinstance(value, (int, float)) else str(value)


def _gdal_write(frame, path: Path, name: str, dataset_options: dict, layer_options: dict) -> None:
    from osgeo import gdal, ogr, osr

    gdal.UseExceptions()
    if path.exists():
        target = _open(path, update=True)
    else:
        target = gdal.GetDriverByName("GPKG").Create(str(path), 0, 0, 0, gdal.GDT_Unknown,
                                                      options=[f"{k}={v}" for k, v in dataset_options.items()])
    reference = None
    if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None:
        reference = osr.SpatialReference()
        reference.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        reference.ImportFromWkt(frame.crs.to_wkt())
    created = target.CreateLayer(name, reference, _geometry_type(frame),
                                 options=[f"{k}={v}" for k, v in layer_options.items()])
    geometry_name = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    columns = [c for c in frame.columns if c != geometry_name]
    kinds = []
    for column in columns:
        kind, subtype = _gdal_type(frame[column])
        field = ogr.FieldDefn(str(column), kind)
        field.SetSubType(subtype)
        created.CreateField(field)
        kinds.append(kind)
    definition = created.GetLayerDefn()
    wkb = shapely.to_wkb(frame.geometry.to_numpy()) if geometry_name else [None] * len(frame)
    created.StartTransaction()
    for values, shape in zip(frame[columns].itertuples(index=False, name=None), wkb):
        feature = ogr.Feature(definition)
        for i, (value, kind) in enumerate(zip(values, kinds)):
            value = _value(value, kind)
            if value is None:
                feature.SetFieldNull(i)
            else:
                feature.SetField(i, value)
        if shape is not None:
            feature.SetGeometryDirectly(ogr.CreateGeometryFromWkb(shape))
        created.CreateFeature(feature)
    created.CommitTransaction()
    target.FlushCache()
    target = None     # noqa: F841 — closes the file
