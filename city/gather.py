"""The street results gathered into one city result: a GeoPackage, GeoParquet partitioned by street, and the
`streets` summary (houses by level, warnings, coverage, match rate, run time, errors).

Every gathered row carries its `street`; all layers come in one CRS (the one most
streets use).  The GeoParquet is hive-partitioned (`houses/street=小河街道/…`),
so DuckDB, Sedona or geopandas read one street or the whole city.  Personal
fields stay out, as they do on every page gridgov makes.
"""
from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ..layers.geopackage import write_geopackage
from ..pipeline import RESULT_FILE
from ..results import read_results
from .run import STREET_PAGE, StreetOutcome, street_folder

CITY_FILE = "gridgov_city.gpkg"
PARQUET_FOLDER = "parquet"
GATHERED = ("houses", "warnings", "uncovered_houses", "suggested_bases", "unmatched")
GATHERED_TABLES = ("risk_by_grid", "coverage_by_defense_zone", "match_report")


def gather_city(outcomes: list, out: Path, city_unmatched: pd.DataFrame | None = None) -> dict:
    """Write the city result from the streets that finished, with the records no street took
    (``city_unmatched``, from splitting city-wide layers); returns {layer or table name: frame}."""
    out = Path(out)
    results = {o.name: read_results(street_folder(out, o.name) / RESULT_FILE, names=GATHERED + GATHERED_TABLES
                                    + ("grids",)) for o in outcomes if o.ok}
    crs = _common_crs([r.layers["houses"].crs for r in results.values()])
    gathered = {"streets": streets_layer(outcomes, results, crs)}
    for name in GATHERED + GATHERED_TABLES:
        parts = [_with_street(frame, street, crs) for street, r in results.items()
                 if (frame := {**r.layers, **r.tables}.get(name)) is not None]
        if parts:
            gathered[name] = pd.concat(parts, ignore_index=True)
    if city_unmatched is not None:
        gathered["city_unmatched"] = city_unmatched
    layers = {name: frame for name, frame in gathered.items() if isinstance(frame, gpd.GeoDataFrame)}
    tables = {name: frame for name, frame in gathered.items() if name not in layers}
    write_geopackage(out / CITY_FILE, layers, tables)
    write_parquet({name: frame for name, frame in gathered.items() if "street" in frame and name != "streets"},
                  out / PARQUET_FOLDER)
    return gathered


def streets_layer(outcomes: list, results: dict, crs) -> gpd.GeoDataFrame:
    """One row per street: its outline (the union of its grids), figures, run time, error, and its files."""
    rows, outlines = [], []
    for outcome in outcomes:
        outline = None
        if outcome.name in results:
            grids = results[outcome.name].layers["grids"].to_crs(crs)
            # closed by a metre out and back in, so slivers between grids leave no holes in the street
            outline = shapely.union_all(shapely.buffer(grids.geometry.to_numpy(), 1.0)).buffer(-1.0)
        outlines.append(outline)
        rows.append(_street_row(outcome))
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=outlines, crs=crs)


def _street_row(outcome: StreetOutcome) -> dict:
    figures = {"houses": None, "red": None, "yellow": None, "green": None, "warnings": None,
               "covered_share": None, "records": None, "matched_share": None, **outcome.figures}
    houses = figures["houses"]
    return {"street": outcome.name, "status": "ok" if outcome.ok else "failed", **figures,
            "red_share": figures["red"] / houses if houses else None, "seconds": round(outcome.seconds, 1),
            "worker": outcome.worker or None, "error": outcome.error or None,
            "result": f"streets/{outcome.name}/{RESULT_FILE}" if outcome.ok else None,
            "page": f"streets/{outcome.name}/{STREET_PAGE}" if outcome.ok else None}


def _common_crs(crss: list):
    """The CRS most streets are in (a city's streets usually share one); EPSG:4326 when there are none."""
    counted = Counter(crs.to_string() for crs in crss if crs is not None)
    return counted.most_common(1)[0][0] if counted else "EPSG:4326"


def _with_street(frame: pd.DataFrame, street: str, crs) -> pd.DataFrame:
    frame = frame.assign(street=street)
    if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None:
        frame = frame.to_crs(crs)
    return frame


def write_parquet(frames: dict, folder: Path) -> Path:
    """Each frame as a hive-partitioned dataset by street (GeoParquet for layers), replacing the folder whole:
    written beside it and swapped in, so a reader sees the old city or the new one."""
    folder = Path(folder)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for name, frame in frames.items():
            for street, part in frame.groupby("street", sort=False):
                target = staging / name / f"street={street}"
                target.mkdir(parents=True)
                part = part.drop(columns="street")
                part.to_parquet(target / "part-0.parquet", index=False)    # GeoParquet for a GeoDataFrame
        old = folder.with_name(f".{folder.name}-old")
        if folder.exists():
            folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder
