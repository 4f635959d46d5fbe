"""Writing results: one GeoPackage (and text reports, web pages), each written whole or not at all.

Outputs never replace an input of the run, nor a file of another kind (a result
GeoPackage is not overwritten by a web page); they get the user's usual
permissions (the umask, not mkstemp's owner-only 0600); a folder that cannot
be written is said in words, before the long work where the caller checks
first.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import vector_io
from .errors import InputError

# GeoPackage 1.2: what QGIS 3.22's GDAL reads without a warning (newer GDAL writes 1.4).
GPKG_OPTIONS = {"VERSION": "1.2"}


def check_output(path, suffixes=(), inputs=(), make_folder: bool = True) -> Path:
    """``path`` as an output: not one of ``inputs``, not an existing file of another kind than ``suffixes``,
    in a folder that exists or is made (``make_folder``; else one that could be: checked, nothing made).
    Returns the path; raises InputError saying why not."""
    path = Path(path)
    target = path.resolve()
    for given in inputs:
        if given and not str(given).startswith(("postgresql://", "postgres://")) and Path(given).resolve() == target:
            raise InputError(f"would overwrite an input of this run ({Path(given).name}); choose another output",
                             str(path))
    if target.is_dir():
        raise InputError("is a folder; give a file name", str(path))
    if target.exists() and suffixes and target.suffix.lower() not in suffixes:
        raise InputError(f"would overwrite a {target.suffix or 'suffix-less'} file with a "
                         f"{'/'.join(suffixes)} file; choose a path ending {suffixes[0]}", str(path))
    if make_folder:
        _folder(target.parent)
    else:
        _could_be_folder(target.parent)
    return path


def _could_be_folder(folder: Path):
    """The nearest part of the path that exists is a folder you may write in."""
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir():
        raise InputError("cannot write here: a file of that name is in the way, it is not a folder",
                         str(existing))
    if not os.access(existing, os.W_OK):
        raise InputError("cannot write here: the folder is read-only for you", str(existing))


def _folder(folder: Path):
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError("cannot write here: a file of that name is in the way, it is not a folder",
                         str(folder)) from None
    except OSError as error:
        raise InputError(f"cannot write here: {error.strerror}", str(folder)) from None
    if not os.access(folder, os.W_OK):
        raise InputError("cannot write here: the folder is read-only for you", str(folder))


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _publish(temporary: str, path: Path):
    """The finished file under its name, with the permissions a file made by the user would have."""
    os.chmod(temporary, 0o666 & ~_umask())
    os.replace(temporary, path)


def write_text(path, text: str, suffixes=()) -> Path:
    """A text file (report, web page) written whole or not at all."""
    path = check_output(path, suffixes)
    handle, temporary = tempfile.mkstemp(suffix=path.suffix, prefix=f".{path.stem}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        _publish(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_workbook(path, table, sheet: str) -> Path:
    """An XLSX workbook of one sheet, every value as text (12-1, 1-3 stay what they are: a CSV opened in Excel
    turns them into dates), written whole or not at all."""
    path = check_output(path, (".xlsx",))
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", prefix=f".{path.stem}-", dir=path.parent)
    os.close(handle)
    try:
        table.astype(object).where(table.notna(), None).astype("string").to_excel(temporary, sheet_name=sheet,
                                                                                    index=False)
        _publish(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


UNINDEXED_FROM = 200_000    # features: from here a layer is written without its R-tree


def _layer_options(frame) -> dict:
    """Huge record layers (a city street's million people) without a spatial index: the R-tree is close to
    half of their writing time, and QGIS builds one on demand (Layer Properties ▸ Source ▸ Create spatial
    index) when the layer is ever drawn; the houses and zones, which the maps draw, keep theirs."""
    return {"SPATIAL_INDEX": "NO"} if isinstance(frame, gpd.GeoDataFrame) and len(frame) >= UNINDEXED_FROM else {}


def write_geopackage(path, layers: dict, tables: dict | None = None, inputs=()) -> Path:
    """Write layers (GeoDataFrames) and plain tables into a new GeoPackage atomically.

    The file is built under a temporary name beside the target and renamed
    over it only when complete, so a crash never leaves half a result and a
    reader never sees one.
    """
    path = check_output(path, (".gpkg",), inputs)
    handle, temporary = tempfile.mkstemp(suffix=".gpkg", prefix=f".{path.stem}-", dir=path.parent)
    os.close(handle)
    os.unlink(temporary)
    try:
        everything = {**layers, **{name: pd.DataFrame(table) for name, table in (tables or {}).items()}}
        for name, frame in everything.items():
            vector_io.write_dataframe(frame, temporary, name, GPKG_OPTIONS, _layer_options(frame))
        _publish(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
