"""Building footprints in the real blocks, and their standard addresses on the real roads."""
from __future__ import annotations

import re

import numpy as np
import shapely

# length range, depth range, gap along, gap across (metres): slabs facing south,
# towers, street-front shops, sheds.
FOOTPRINTS = {
    "residential": ((30, 60), (11, 14), 8, 18),
    "office": ((30, 45), (25, 35), 20, 20),
    "shop": ((15, 30), (10, 14), 4, 12),
    "industrial": ((40, 80), (25, 40), 15, 15),
}
STOREY_M = {"residential": 3.0, "office": 4.0, "shop": 4.5, "industrial": 6.0}
OSM_USE = {"residential": "residential", "commercial": "office", "retail": "shop", "industrial": "industrial"}
ADDRESS_SUFFIXES = ("路", "街", "巷", "弄", "道", "河下", "大道")


def choose_uses(pieces, landuse, uses: dict, rng) -> np.ndarray:
    """The use of each piece of land: OSM's land use where it has one, else drawn by share."""
    names, shares = list(uses), np.array(list(uses.values()), float)
    chosen = rng.choice(names, size=len(pieces), p=shares / shares.sum())
    known = landuse[landuse["fclass"].isin(OSM_USE)]
    if len(known):
        piece_idx, use_idx = shapely.STRtree(known.geometry.to_numpy()).query(
            shapely.point_on_surface(pieces), predicate="within")
        chosen[piece_idx] = known["fclass"].map(OSM_USE).to_numpy()[use_idx]
    return chosen


def _rotation(angle_deg):
    a = np.radians(angle_deg)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


def _main_angle(polygon) -> float:
    """Orientation of a piece of land: the long side of its minimum rotated rectangle."""
    ring = np.asarray(shapely.minimum_rotated_rectangle(polygon).exterior.coords)
    sides = np.diff(ring[:3], axis=0)
    longest = sides[np.argmax(np.hypot(sides[:, 0], sides[:, 1]))]
    return float(np.degrees(np.arctan2(longest[1], longest[0])))


def place_footprints(land, use: str, rng, split: int = 1) -> np.ndarray:
    """Rectangles of the use's size on a lattice, kept where they fit wholly in the land.

    Homes face south (angle near 0), other buildings follow the block.  With
    ``split`` > 1 each building is cut into that many strips (for --scale).
    """
    (lmin, lmax), (dmin, dmax), gap_x, gap_y = FOOTPRINTS[use]
    length, depth = rng.uniform(lmin, lmax), rng.uniform(dmin, dmax)
    angle = rng.uniform(-8, 8) if use == "residential" else _main_angle(land)
    centre = np.asarray(land.centroid.coords[0])
    rotate_in, rotate_out = _rotation(-angle), _rotation(angle)
    local = shapely.transform(land, lambda xy: (xy - centre) @ rotate_in.T)
    xmin, ymin, xmax, ymax = local.bounds
    xs = np.arange(xmin + rng.uniform(0, gap_x), xmax - length, length + gap_x)
    ys = np.arange(ymin + rng.uniform(0, gap_y), ymax - depth, depth + gap_y)
    if len(xs) == 0 or len(ys) == 0:
        return np.empty(0, dtype=object)
    x0, y0 = (a.ravel() for a in np.meshgrid(xs, ys))
    shapely.prepare(local)
    fits = shapely.contains_properly(local, shapely.box(x0, y0, x0 + length, y0 + depth))
    x0, y0 = x0[fits], y0[fits]
    strip = length / split
    starts = (x0[:, None] + strip * np.arange(split)).ravel()
    rows = np.repeat(y0, split)
    boxes = shapely.box(starts, rows, starts + strip, rows + depth)
    return shapely.transform(boxes, lambda xy: xy @ rotate_out.T + centre)


def clean_road_name(name) -> str | None:
    """'教工路 Jiaogong Road' → '教工路'; names of bridges, tunnels and flyovers → None."""
    if not isinstance(name, str):
        return None
    name = re.sub(r"[（(].*?[)）]", "", name).split(" ")[0].strip()
    return name if name.endswith(ADDRESS_SUFFIXES) else None


class RoadNumbering:
    """Door numbers along real named roads: odd on one side, even on the other."""

    def __init__(self, roads):
        names = roads["name"].map(clean_road_name)
        named = roads[names.notna()].assign(road=names[names.notna()])
        self.lines = named.geometry.to_numpy()
        self.names = named["road"].to_numpy()
        self.whole = {name: shapely.line_merge(shapely.union_all(group.geometry.to_numpy()))
                      for name, group in named.groupby("road")}
        self.tree = shapely.STRtree(self.lines)
        self.taken = set()

    def number(self, point) -> tuple:
        """(road, number) for a compound at point: the nearest named road, numbered by
        distance along it, 2 per 20 m, and never the same number twice."""
        nearest = self.tree.nearest(point)
        road, line = self.names[nearest], self.lines[nearest]
        along = self.whole[road].project(point)
        here = line.interpolate(line.project(point))
        ahead = line.interpolate(min(line.project(point) + 1.0, line.length))
        side = (ahead.x - here.x) * (point.y - here.y) - (ahead.y - here.y) * (point.x - here.x)
        number = 2 * int(along // 20) + (1 if side > 0 else 2)
        while (road, number) in self.taken:
            number += 2
        self.taken.add((road, number))
        return road, number
