"""QGIS layers to GeoDataFrames and back, keeping CRS, field types and Chinese text.

A layer backed by a file is read from the file by the core's own reader (fast,
and with its encoding detection); any other layer goes through WKB.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant

from ..layers.project import InputSpec
from ..layers.readers import read_source


def file_source(layer: QgsVectorLayer):
    """(path, layer name) when the layer reads a whole file through OGR, else None."""
    if layer.providerType() != "ogr" or layer.subsetString():
        return None
    path, _, options = layer.source().partition("|")
    if not Path(path).is_file():
        return None
    parts = dict(option.split("=", 1) for option in options.split("|") if "=" in option)
    return path, parts.get("layername")


def python_value(value):
    """A QGIS attribute as Python: NULL as None, dates as datetime."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        return value.toPyDateTime()
    if isinstance(value, QDate):
        return value.toPyDate()
    return value


def layer_to_frame(layer: QgsVectorLayer, kind: str = "houses") -> gpd.GeoDataFrame:
    """The layer as a GeoDataFrame in the layer's CRS."""
    source = file_source(layer)
    if source is not None:
        return read_source(InputSpec(kind, source[0], layer=source[1])).frame
    return source_to_frame(layer)


def source_to_frame(source) -> gpd.GeoDataFrame:
    """Any feature source (a layer, or Processing's source with its selection) as a GeoDataFrame, through WKB."""
    names = source.fields().names()
    rows, wkb = [], []
    for feature in source.getFeatures():
        rows.append([python_value(v) for v in feature.attributes()])
        geometry = feature.geometry()
        wkb.append(bytes(geometry.asWkb()) if not geometry.isNull() else None)
    frame = pd.DataFrame(rows, columns=names)
    geometry = shapely.from_wkb(np.array(wkb, dtype=object))
    crs = source.sourceCrs()
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=(crs.authid() or crs.toWkt() or None) if crs.isValid() else None)


def _field_type(series: pd.Series):
    if pd.api.types.is_bool_dtype(series):
        return QVariant.Bool
    if pd.api.types.is_integer_dtype(series):
        return QVariant.LongLong
    if pd.api.types.is_float_dtype(series):
        return QVariant.Double
    if pd.api.types.is_datetime64_any_dtype(series):
        return QVariant.DateTime
    return QVariant.String


def _qgis_value(value, qtype):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if qtype == QVariant.DateTime:
        return QDateTime(pd.Timestamp(value).to_pydatetime())
    if qtype == QVariant.Bool:
        return bool(value)
    if qtype == QVariant.LongLong:
        return int(value)
    if qtype == QVariant.Double:
        return float(value)
    return str(value)


def _wkb_type(frame) -> str:
    """The layer's geometry type: the frame's one type, or its multi form (Polygon + MultiPolygon)."""
    kinds = sorted(set(frame.geometry.dropna().geom_type))
    if not kinds:
        return "NoGeometry"
    return kinds[0] if len(kinds) == 1 else "Multi" + kinds[0].removeprefix("Multi")


def frame_fields(frame: pd.DataFrame) -> QgsFields:
    """The frame's columns (not its geometry) as typed QGIS fields."""
    fields = QgsFields()
    for column in _columns(frame):
        fields.append(QgsField(str(column), _field_type(frame[column])))
    return fields


def frame_features(frame: pd.DataFrame, fields: QgsFields):
    """The frame's rows as QGIS features with these fields (frame_fields'), geometry from WKB."""
    types = [field.type() for field in fields]
    geometries = frame.geometry.to_numpy() if isinstance(frame, gpd.GeoDataFrame) else np.full(len(frame), None)
    for values, wkb in zip(frame[_columns(frame)].itertuples(index=False, name=None), shapely.to_wkb(geometries)):
        feature = QgsFeature(fields)
        feature.setAttributes([_qgis_value(v, t) for v, t in zip(values, types)])
        if wkb is not None:
            geometry = QgsGeometry()
            geometry.fromWkb(wkb)
            feature.setGeometry(geometry)
        yield feature


def _columns(frame: pd.DataFrame) -> list:
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    return [c for c in frame.columns if c != geometry]


def wkb_type(frame: pd.DataFrame) -> int:
    """The QGIS geometry type of a frame (NoGeometry for a table)."""
    return QgsWkbTypes.parseType(_wkb_type(frame)) if isinstance(frame, gpd.GeoDataFrame) else QgsWkbTypes.NoGeometry


def frame_crs(frame: pd.DataFrame) -> QgsCoordinateReferenceSystem:
    crs = getattr(frame, "crs", None)
    return QgsCoordinateReferenceSystem(crs.to_wkt()) if crs is not None else QgsCoordinateReferenceSystem()


def frame_to_layer(frame: gpd.GeoDataFrame, name: str) -> QgsVectorLayer:
    """A memory layer with the frame's fields (typed), features and CRS."""
    kind = _wkb_type(frame)
    crs = frame.crs.to_string() if frame.crs is not None else ""
    layer = QgsVectorLayer(f"{kind}?crs={crs}" if crs else kind, name, "memory")
    fields = frame_fields(frame)
    provider = layer.dataProvider()
    provider.addAttributes(fields.toList())
    layer.updateFields()
    provider.addFeatures(list(frame_features(frame, layer.fields())))
    layer.updateExtents()
    return layer
