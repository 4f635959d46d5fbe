"""PostGIS as the city's shared store: the gathered city result in one schema, a street's rows replaced whole.

One transaction per write: the streets this run finished lose their old rows and
get their new ones, or nothing changes (a reader never sees a street half
written; the streets not in this run, and those that failed in it, keep their
last good rows, while the `streets` table says how each fared this time).  Rows go in by COPY, geometries as
EWKB, so a city of a million houses loads in seconds.  Tables are made on first
write and gain the columns a later run brings.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..layers.errors import InputError

SQL_TYPES = {"b": "boolean", "i": "bigint", "u": "bigint", "f": "double precision", "M": "timestamp"}  # numpy kinds
GEOMETRY = "geom"


def _sql_type(series: pd.Series) -> str:
    return SQL_TYPES.get(series.dtype.kind, "text")


def write_postgis(url: str, schema: str, frames: dict) -> None:
    """The gathered city result (name → frame with a `street` column; `streets` the summary) into ``schema``."""
    import psycopg
    from psycopg import sql

    try:
        connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    except psycopg.OperationalError as error:
        raise InputError(f"cannot reach the PostGIS store: {str(error).strip()}", url.split("@")[-1]) from None
    summary = frames["streets"]
    finished = list(summary.loc[summary["status"] == "ok", "street"])
    with connection, connection.transaction():
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        for name, frame in frames.items():
            table = sql.Identifier(schema, name)
            columns = _columns(frame)
            connection.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(
                table, sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns)))
            for column, kind in columns:
                connection.execute(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                    table, sql.Identifier(column), sql.SQL(kind)))
            if "street" in frame:
                replaced = list(summary["street"]) if name == "streets" else finished
                connection.execute(sql.SQL("DELETE FROM {} WHERE street = ANY(%s)").format(table), [replaced])
            else:                      # the city's own table (records no street took): this run's, whole
                connection.execute(sql.SQL("DELETE FROM {}").format(table))
            names = [c for c, _ in columns]
            with connection.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
                    table, sql.SQL(", ").join(map(sql.Identifier, names)))) as copy:
                for row in _rows(frame):
                    copy.write_row(row)


def _columns(frame: pd.DataFrame) -> list:
    """(name, SQL type) of each column; a layer's geometry as `geom` in its CRS."""
    if isinstance(frame, gpd.GeoDataFrame):
        attributes = frame.drop(columns=frame.geometry.name)
        srid = frame.crs.to_epsg() if frame.crs is not None else None
        return [(c, _sql_type(attributes[c])) for c in attributes.columns] + \
            [(GEOMETRY, f"geometry(Geometry, {srid or 0})")]
    return [(c, _sql_type(frame[c])) for c in frame.columns]


def _rows(frame: pd.DataFrame):
    """Plain Python values for COPY: NULL for missing, EWKB hex for geometries."""
    attributes = frame.drop(columns=frame.geometry.name) if isinstance(frame, gpd.GeoDataFrame) else frame
    values = attributes.astype(object).where(attributes.notna(), None).to_numpy()
    if isinstance(frame, gpd.GeoDataFrame):
        srid = frame.crs.to_epsg() if frame.crs is not None else 0
        geometries = shapely.to_wkb(shapely.set_srid(frame.geometry.to_numpy(), srid or 0), hex=True,
                                    include_srid=bool(srid))
        values = np.column_stack([values, geometries]) if len(values) else values
    for row in values:
        yield [v.item() if isinstance(v, np.generic) else v for v in row]
