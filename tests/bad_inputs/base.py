"""The street every bad input starts from: 150 real OSM footprints east of West Lake, their real roads,
zones, bases and records derived as in tests/real_streets.py, written as files a user would have."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

import real_streets

HOUSES = 150


def write_base(folder: Path) -> Path:
    """The base street's files in ``folder``; returns its project file."""
    houses = real_streets.footprint_houses()
    centres = shapely.centroid(houses.geometry.to_numpy())
    middle = shapely.Point(np.median(shapely.get_x(centres)), np.median(shapely.get_y(centres)))
    nearest = np.argsort(shapely.distance(centres, middle))[:HOUSES]
    street = real_streets.write_street(folder, houses.iloc[np.sort(nearest)].reset_index(drop=True), "湖滨测试街道")
    return street.project
