"""One projected, metric CRS for the whole street.

Distances and areas are only right in a projected CRS.  Chinese master data
uses CGCS2000; its 3-degree Gauss-Krüger zones (EPSG:4534 for 75°E to
EPSG:4554 for 135°E, Hangzhou in EPSG:4549 at 120°E) are what surveyors
there use, so gridgov picks the zone whose central meridian is nearest.
"""
from __future__ import annotations

import pyproj
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info

GK3_FIRST_EPSG, GK3_FIRST_MERIDIAN, GK3_LAST_MERIDIAN = 4534, 75, 135


def gauss_kruger_epsg(longitude: float) -> int | None:
    """The CGCS2000 3-degree GK zone (central meridian in the EPSG code's CRS) for a longitude."""
    meridian = 3 * round(longitude / 3)
    if not GK3_FIRST_MERIDIAN <= meridian <= GK3_LAST_MERIDIAN:
        return None
    return GK3_FIRST_EPSG + (meridian - GK3_FIRST_MERIDIAN) // 3


def lonlat_bounds(frames) -> tuple | None:
    """Bounds of all frames that have a CRS and features, in degrees."""
    boxes = []
    for frame in frames:
        if frame is None or frame.crs is None or frame.geometry.isna().all() or frame.empty:
            continue
        boxes.append(frame.geometry.dropna().to_crs(4326).total_bounds)
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def choose_projected_crs(frames) -> pyproj.CRS:
    bounds = lonlat_bounds(frames)
    if bounds is None:
        return pyproj.CRS.from_epsg(4549)   # nothing located: Hangzhou's zone
    lon = (bounds[0] + bounds[2]) / 2
    lat = (bounds[1] + bounds[3]) / 2
    epsg = gauss_kruger_epsg(lon) if 0 <= lat <= 60 else None
    if epsg is not None:
        return pyproj.CRS.from_epsg(epsg)
    utm = query_utm_crs_info("WGS 84", area_of_interest=AreaOfInterest(*bounds))
    return pyproj.CRS.from_epsg(utm[0].code)
