"""Writing results: one GeoPackage (and text reports), each written whole or not at all."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pyogrio

# GeoPackage 1.2: what QGIS 3.22's GDAL reads without a warning (newer GDAL writes 1.4).
GPKG_OPTIONS = {"VERSION": "1.2"}


def write_text(path, text: str) -> Path:
    """A text file (report, web page) written whole or not at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=path.suffix, prefix=f".{path.stem}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_geopackage(path, layers: dict, tables: dict | None = None) -> Path:
    """Write layers (GeoDataFrames) and plain tables into a new GeoPackage atomically.

    The file is built under a temporary name beside the target and renamed
    over it only when complete, so a crash never leaves half a result and a
    reader never sees one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".gpkg", prefix=f".{path.stem}-", dir=path.parent)
    os.close(handle)
    os.unlink(temporary)
    try:
        everything = {**layers, **{name: pd.DataFrame(table) for name, table in (tables or {}).items()}}
        for name, frame in everything.items():
            pyogrio.write_dataframe(frame, temporary, layer=name, driver="GPKG", promote_to_multi=False,
                                    dataset_options=GPKG_OPTIONS)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
