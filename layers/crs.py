"""One projected, metric CRS for the whole street.

Distances and areas are only right in a projected CRS.  Chinese master data
uses CGCS2000; its 3-degree Gauss-Krüger zones (EPSG:4534 for 75°E to
EPSG:4554 for 135°E, Hangzhou in EPSG:4549 at 120°E) are what surveyors
there use, so gridgov picks the zone whose central meridian is nearest.
"""
from __future__ import annotations

import numpy as np
import pyproj
import shapely
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info

GK3_FIRST_EPSG, GK3_FIRST_MERIDIAN, GK3_LAST_MERIDIAN = 4534, 75, 135


def gauss_kruger_epsg(longitude: float) -> int | None:
    """The CGCS2000 3-degree GK zone (central meridian in the EPSG code's CRS) for a longitude."""
    meridian = 3 * round(longitude / 3)
    if not GK3_FIRST_MERIDIAN <= meridian <= GK3_LAST_MERIDIAN:
        return None
    return GK3_FIRST_EPSG + (meridian - GK3_FIRST_MERIDIAN) // 3


def lonlat_centre(frames) -> tuple | None:
    """The median longitude and latitude of the features of all frames that have a CRS: a stray point
    (0,0; another city) cannot move it, as it would move the middle of the bounds."""
    points = []
    for frame in frames:
        if frame is None or frame.crs is None or frame.empty or frame.geometry.isna().all():
            continue
        located = frame.geometry.dropna()
        located = located[~located.is_empty]
        sample = located.iloc[:: max(1, len(located) // 5000)]      # a few thousand points say where it is
        points.append(shapely.get_coordinates(shapely.point_on_surface(sample.to_crs(4326).to_numpy())))
    if not points:
        return None
    xy = np.concatenate(points)
    return float(np.median(xy[:, 0])), float(np.median(xy[:, 1]))


def choose_projected_crs(frames) -> pyproj.CRS:
    centre = lonlat_centre(frames)
    if centre is None:
        return pyproj.CRS.from_epsg(4549)   # nothing located: Hangzhou's zone
    lon, lat = centre
    epsg = gauss_kruger_epsg(lon) if 0 <= lat <= 60 else None
    if epsg is not None:
        return pyproj.CRS.from_epsg(epsg)
    utm = query_utm_crs_info("WGS 84", area_of_interest=AreaOfInterest(lon, lat, lon, lat))
    return pyproj.CRS.from_epsg(utm[0].code)


def likely_crs(x: float, y: float) -> str:
    """What metre coordinates in China most likely are: a CGCS2000 3-degree Gauss-Krüger zone."""
    if 1e7 <= x < 4.6e7 and 1e6 < y < 7e6:       # with the zone number in front (40 500 000 → zone 40)
        zone = int(x // 1e6)
        return f"they look like CGCS2000 3-degree Gauss-Krüger zone {zone} with the zone number (EPSG:{4513 + zone - 25})"
    if 1e5 < x < 9e5 and 1e6 < y < 7e6:
        return ("they look like metres of a CGCS2000 3-degree Gauss-Krüger zone without the zone number "
                "(EPSG:4549 for Hangzhou, central meridian 120°E; EPSG:4534–4554 by meridian)")
    return "they look like metres of a projected CRS"
