"""Checks across layers: grids tile the street, and each level nests in the one above.

The hierarchy is defense zone ⊃ patrol zone ⊃ grid ⊃ house.  Shares of area,
not bare intersections, decide membership so that digitising noise along a
shared boundary does not count as straddling.
"""
from __future__ import annotations

import numpy as np
import shapely

from .report import Report

OVERLAP_TOLERANCE_M2 = 1.0   # overlaps and gaps smaller than this are digitising noise
INSIDE_SHARE = 0.99          # a child is inside a parent holding at least this share of it
TOUCH_SHARE = 0.01           # a house is in every grid holding more than this share of it


def overlap_shares(children, parents):
    """(child index, parent index, share of the child's area in the parent) for touching pairs.

    Points (no area) count wholly in each parent they fall in.
    """
    children = np.asarray(children)
    parents = np.asarray(parents)
    tree = shapely.STRtree(parents)
    child_idx, parent_idx = tree.query(children, predicate="intersects")
    child_area = shapely.area(children[child_idx])
    shared = shapely.area(shapely.intersection(children[child_idx], parents[parent_idx]))
    share = np.where(child_area > 0, shared / np.where(child_area > 0, child_area, 1), 1.0)
    return child_idx, parent_idx, share


def _ids(frame, id_field):
    return frame[id_field].astype(str).to_numpy() if id_field in frame.columns else frame.index.astype(str).to_numpy()


def overlapping_pairs(frame, id_field: str) -> list:
    """"A × B (n m²)" for each pair of areas sharing more than the tolerance (one inside the other counts)."""
    areas = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()]
    geoms = areas.geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    area = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    big = area > OVERLAP_TOLERANCE_M2
    ids = _ids(areas, id_field)
    return [f"{ids[a]} × {ids[b]} ({s:.0f} m²)" for a, b, s in zip(left[big], right[big], area[big])]


def check_grid_overlaps(grids, report: Report):
    pairs = overlapping_pairs(grids, "grid_id")
    if pairs:
        report.add("grid_overlap", "grids", count=len(pairs), detail=f"{OVERLAP_TOLERANCE_M2:g}", examples=pairs)


def check_house_overlaps(houses, report: Report):
    """Real footprints overlap (a building part drawn inside its building): a point in both goes to the
    smaller, and the pairs are named so that someone can clean them."""
    pairs = overlapping_pairs(houses, "house_id")
    if pairs:
        report.add("house_overlap", "houses", count=len(pairs), detail=f"{OVERLAP_TOLERANCE_M2:g}", examples=pairs)


def street_area(grids, *parents):
    """The street's extent: the first parent layer given, else the grids with holes filled."""
    for layer in parents:
        if layer is not None and not layer.empty:
            return shapely.union_all(layer.geometry.to_numpy())
    union = shapely.union_all(grids.geometry.to_numpy())
    return shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(union)])


def check_grid_gaps(grids, area, report: Report):
    gaps = shapely.get_parts(shapely.difference(area, shapely.union_all(grids.geometry.to_numpy())))
    gap_area = shapely.area(gaps)
    big = gap_area > OVERLAP_TOLERANCE_M2
    if big.any():
        centres = shapely.get_coordinates(shapely.point_on_surface(gaps[big]))
        report.add("grid_gap", "grids", count=int(big.sum()), detail=f"{gap_area[big].sum():,.0f} m²",
                   examples=[f"({x:.0f}, {y:.0f}) {a:.0f} m²" for (x, y), a in zip(centres, gap_area[big])])


def check_nesting(children, child_kind, child_id, parents, parent_label, parent_id, report: Report):
    """Each child must lie (by INSIDE_SHARE of its area) in exactly one parent."""
    child_idx, parent_idx, share = overlap_shares(children.geometry.to_numpy(), parents.geometry.to_numpy())
    best = np.zeros(len(children))
    np.maximum.at(best, child_idx, share)
    outside = best < INSIDE_SHARE
    if outside.any():
        ids, pids = _ids(children, child_id), _ids(parents, parent_id)
        found = []
        for child in np.flatnonzero(outside)[:5]:
            touching = [(pids[p], s) for c, p, s in zip(child_idx, parent_idx, share) if c == child and s > 0]
            found.append(f"{ids[child]} (" + (", ".join(f"{p} {s:.0%}" for p, s in touching) or "none") + ")")
        report.add("not_in_one_parent", child_kind, field=parent_label, count=int(outside.sum()), examples=found)


def check_houses_in_grids(houses, grids, report: Report):
    child_idx, _, share = overlap_shares(houses.geometry.to_numpy(), grids.geometry.to_numpy())
    grids_per_house = np.bincount(child_idx[share > TOUCH_SHARE], minlength=len(houses))
    located = (houses.geometry.notna() & ~houses.geometry.is_empty).to_numpy()
    ids = _ids(houses, "house_id")
    for code, mask in (("house_in_no_grid", (grids_per_house == 0) & located),
                       ("house_in_two_grids", grids_per_house > 1)):
        if mask.any():
            report.add(code, "houses", count=int(mask.sum()), examples=ids[mask][:5])


def _areas(frame):
    """The rows of a zone layer that are polygons (other rows were reported already)."""
    if frame is None:
        return None
    return frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]


def check_topology(layers: dict, report: Report):
    if layers.get("houses") is not None and not layers["houses"].empty:
        check_house_overlaps(layers["houses"], report)
    grids, patrol, defense = (_areas(layers.get(kind)) for kind in ("grids", "patrol_zones", "defense_zones"))
    if grids is not None and not grids.empty:
        check_grid_overlaps(grids, report)
        check_grid_gaps(grids, street_area(grids, defense, patrol, _areas(layers.get("communities"))), report)
        if patrol is not None and not patrol.empty:
            check_nesting(grids, "grids", "grid_id", patrol, "patrol zone 巡区", "patrol_zone_id", report)
        houses = layers.get("houses")
        if houses is not None and not houses.empty:
            check_houses_in_grids(houses, grids, report)
    if patrol is not None and defense is not None and not patrol.empty and not defense.empty:
        check_nesting(patrol, "patrol_zones", "patrol_zone_id", defense, "defense zone 防区", "defense_zone_id", report)
