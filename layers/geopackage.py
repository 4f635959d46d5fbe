"""Writing results: one GeoPackage, written whole or not at all."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pyogrio


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
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, temporary, layer=name, driver="GPKG", append=False,
                                    promote_to_multi=False)
        for name, table in (tables or {}).items():
            pyogrio.write_dataframe(pd.DataFrame(table), temporary, layer=name, driver="GPKG")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
