"""Houses and bases onto the road: every place a patrol car can stop within the snapping limit.

A house is reached from the fastest of the places near it, not from the
nearest (the nearest can be a one-way road that is a long way round, or an
expressway).  So snapping finds, for each point, every stretch where a car may
stop within the limit, each at the point's projection on it, and the drive
times pick the fastest.  Exhaustive, and as fast as a nearest-node search: a
grid of square cells lists for each cell the stretches that come within the
limit of some point of it, so a point's candidates are its cell's stretches,
measured exactly in one pass of array arithmetic over (point, stretch) pairs.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely

MAX_CELLS = 4_000_000    # a network wider than this many cells of 2/3 the limit gets larger cells
INDEX_BLOCK = 20_000     # stretches listed at a time: small arrays, reused rather than re-mapped


@dataclass
class Snap:
    """Each point's candidate places on the road: the nearby stretches where a car can stop, each at the
    point's projection on it.  Candidates come in one run per point (runs in no particular order)."""
    point: np.ndarray      # per candidate: its point
    segment: np.ndarray    # … the segment
    fraction: np.ndarray   # … where along it, 0 at its start
    distance: np.ndarray   # … metres from the point to the road
    count: int             # points

    @cached_property
    def starts(self) -> np.ndarray:
        """Where each point's run of candidates starts (points with candidates only)."""
        return run_starts(self.point)

    @property
    def first(self) -> np.ndarray:
        """Per point: its nearest candidate (-1: none within reach)."""
        first = np.full(self.count, -1)
        if len(self.point):
            first[self.point[self.starts]] = run_argmin(self.distance, self.starts)
        return first

    @property
    def nearest_segment(self) -> np.ndarray:
        """Per point: the nearest usable segment (-1: none within reach)."""
        first = self.first
        segment = np.full(self.count, -1)
        segment[first >= 0] = self.segment[first[first >= 0]]
        return segment

    def subset(self, mask: np.ndarray) -> "Snap":
        """The candidates of the points where mask is true, renumbered."""
        renumber = np.cumsum(mask) - 1
        keep = mask[self.point]
        return Snap(renumber[self.point[keep]], self.segment[keep], self.fraction[keep], self.distance[keep],
                    int(mask.sum()))

    def road_points(self, graph, candidate: np.ndarray) -> np.ndarray:
        """The places on the road of the given candidates (None for -1)."""
        points = np.full(len(candidate), None, dtype=object)
        chosen = candidate >= 0
        points[chosen] = shapely.line_interpolate_point(graph.segments[self.segment[candidate[chosen]]],
                                                        self.fraction[candidate[chosen]], normalized=True)
        return points


def ranges(first: np.ndarray, count: np.ndarray) -> np.ndarray:
    """first[0], first[0] + 1, … (count[0] of them), then first[1], …: many aranges at once."""
    return np.arange(int(count.sum())) + np.repeat(first - (np.cumsum(count) - count), count)


def run_starts(keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys starts."""
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.array([], dtype=int)


def run_argmin(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per run (runs start at ``starts`` and end where the next begins): the index of its smallest value,
    the first of equals.  Linear, no sort."""
    lowest = np.minimum.reduceat(values, starts)
    sizes = np.diff(np.r_[starts, len(values)])
    at_lowest = np.where(values == np.repeat(lowest, sizes), np.arange(len(values)), len(values))
    return np.minimum.reduceat(at_lowest, starts)


@dataclass
class SnapIndex:
    """The stretches a point of each cell may snap to.  Geometry in float32 coordinates from the grid's
    corner: centimetres across a city, half the memory traffic of float64."""
    origin: np.ndarray     # (2,) the grid's lower-left corner
    cell: float            # side of a cell, metres
    shape: np.ndarray      # cells along x and along y
    start: np.ndarray      # per cell (x-major) where its stretches start in `segment`, and the end
    segment: np.ndarray    # stretches, cell after cell
    geometry: np.ndarray   # per stretch of the network (float32): start x, start y, dx, dy, 1 / length²


def snap_index(graph, max_m: float) -> SnapIndex:
    """The graph's index for this limit, built on first use and kept with the graph."""
    if max_m not in graph.snap_indexes:
        graph.snap_indexes[max_m] = _build_index(graph, float(max_m))
    return graph.snap_indexes[max_m]


def _build_index(graph, max_m: float) -> SnapIndex:
    attachable = np.flatnonzero(graph.stoppable | graph.elevated)      # never empty (build_graph sees to it)
    a, b = graph.nodes[graph.seg_from], graph.nodes[graph.seg_to]
    low, high = np.minimum(a, b)[attachable], np.maximum(a, b)[attachable]
    extent = high.max(axis=0) - low.min(axis=0) + 2 * max_m
    cell = max(max_m * 2 / 3, float(np.sqrt(np.prod(extent) / MAX_CELLS)), 1.0)
    origin = low.min(axis=0) - max_m - cell
    length2 = ((b - a) ** 2).sum(axis=1)
    geometry = np.c_[a - origin, b - a, np.where(length2 > 0, 1 / np.where(length2 > 0, length2, 1), 0)]
    geometry = geometry.astype(np.float32)
    first = np.floor((low - max_m - origin) / cell).astype(np.int64)
    last = np.floor((high + max_m - origin) / cell).astype(np.int64)
    shape = last.max(axis=0) + 2
    listed = [_cells_near(part, first[part], last[part], attachable, geometry, cell, max_m, shape)
              for part in np.array_split(np.arange(len(attachable)), max(1, len(attachable) // INDEX_BLOCK))]
    key, segment = (np.concatenate(column) for column in zip(*listed))
    order = np.argsort(key)
    start = np.r_[0, np.cumsum(np.bincount(key, minlength=int(np.prod(shape))))]
    return SnapIndex(origin, cell, shape, start, segment[order], geometry)


def _cells_near(part, first, last, attachable, geometry, cell, max_m, shape):
    """(cell, stretch) of a block of stretches: the cells whose centre is within the limit plus half a
    cell's diagonal of the stretch (so every point of the cell within the limit of it is covered)."""
    across = last - first + 1
    count = across[:, 0] * across[:, 1]
    owner = np.repeat(np.arange(len(part)), count)
    step = ranges(np.zeros_like(count), count)
    cx = first[owner, 0] + step // across[owner, 1]
    cy = first[owner, 1] + step % across[owner, 1]
    segment = attachable[part][owner]
    _, distance2 = _project((cx + 0.5) * cell, (cy + 0.5) * cell, geometry[segment])
    near = distance2 <= (max_m + cell * np.sqrt(0.5)) ** 2
    return (cx[near] * shape[1] + cy[near]).astype(np.int32), segment[near].astype(np.int32)


def _project(x: np.ndarray, y: np.ndarray, geometry: np.ndarray):
    """(fraction along the stretch from its start, squared distance) of each point's nearest place on its
    stretch, for points in the index's coordinates and one geometry row per point."""
    ex, ey = x - geometry[:, 0], y - geometry[:, 1]
    dx, dy = geometry[:, 2], geometry[:, 3]
    fraction = ex * dx
    fraction += ey * dy
    fraction *= geometry[:, 4]
    np.clip(fraction, 0, 1, out=fraction)
    ex -= fraction * dx
    ey -= fraction * dy
    ex *= ex
    ey *= ey
    ex += ey
    return fraction, ex


def snap(points: np.ndarray, graph, max_m: float) -> Snap:
    """Each point's candidate road places: every stretch where a car may stop within ``max_m`` of it, at
    the point's projection (a bridge only for a point with no ground road in reach, such as a house on
    one).  Points are taken cell by cell, so the stretches they are measured against are read in order."""
    index = snap_index(graph, max_m)
    located = ~shapely.is_missing(points) & ~shapely.is_empty(points)
    where = np.flatnonzero(located)
    xy = shapely.get_coordinates(points[located]) - index.origin
    cells = np.floor(xy / index.cell).astype(np.int64)
    inside = np.all((cells >= 0) & (cells < index.shape), axis=1)
    where, xy, cells = where[inside], xy[inside], cells[inside]
    key = cells[:, 0] * index.shape[1] + cells[:, 1]
    order = np.argsort(key, kind="stable")
    where, xy, key = where[order], xy[order].astype(np.float32), key[order]
    first = index.start[key]
    count = index.start[key + 1] - first
    row = np.repeat(np.arange(len(where)), count)
    segment = index.segment[ranges(first, count)]
    fraction, distance2 = _project(xy[row, 0], xy[row, 1], index.geometry[segment])
    near = distance2 <= np.float32(max_m) ** 2
    row, segment, fraction, distance2 = row[near], segment[near].astype(np.int64), fraction[near], distance2[near]
    ground = graph.stoppable[segment]
    if not ground.all():      # a bridge only where no ground road is near (ground is not all: rows exist)
        starts = run_starts(row)
        any_ground = np.logical_or.reduceat(ground, starts)
        keep = ground | ~np.repeat(any_ground, np.diff(np.r_[starts, len(row)]))
        row, segment, fraction, distance2 = row[keep], segment[keep], fraction[keep], distance2[keep]
    return Snap(where[row], segment, fraction.astype(np.float64), np.sqrt(distance2, dtype=np.float64), len(points))


def _entry_times(snapped: Snap, candidates, node_seconds: np.ndarray, graph):
    """Drive seconds to the given candidates' places: (entering the stretch at its start, at its end),
    inf where one-way forbids it."""
    seg, fraction = snapped.segment[candidates], snapped.fraction[candidates]
    via_start = np.where(graph.forward[seg], node_seconds[graph.seg_from[seg]] + fraction * graph.seg_seconds[seg],
                         np.inf)
    via_end = np.where(graph.backward[seg], node_seconds[graph.seg_to[seg]] + (1 - fraction) * graph.seg_seconds[seg],
                       np.inf)
    return via_start, via_end


def best_times(snapped: Snap, node_seconds: np.ndarray, graph, walk_mps: float, node_source=None):
    """Per point, its fastest candidate: drive to the road place (entering the segment from either end as
    one-way allows) plus the walk from it.  Returns (drive, walk, candidate, source); inf / -1 where
    nothing reaches the point.  Linear in the candidates (one reduction per point run, no sort)."""
    seg = snapped.segment
    via_start, via_end = _entry_times(snapped, slice(None), node_seconds, graph)
    drive = np.minimum(via_start, via_end)
    total = drive + snapped.distance / walk_mps
    point_drive, point_walk = np.full(snapped.count, np.inf), np.full(snapped.count, np.inf)
    best = np.full(snapped.count, -1)
    source = np.full(snapped.count, -1) if node_source is not None else None
    if not len(seg):
        return point_drive, point_walk, best, source
    starts = snapped.starts
    first = run_argmin(total, starts)
    reached = np.isfinite(total[first])
    owner, chosen = snapped.point[starts[reached]], first[reached]
    best[owner] = chosen
    point_drive[owner] = drive[chosen]
    point_walk[owner] = total[chosen] - drive[chosen]
    if node_source is not None:
        source[owner] = np.where(via_start[chosen] <= via_end[chosen], node_source[graph.seg_from[seg[chosen]]],
                                 node_source[graph.seg_to[seg[chosen]]])
    return point_drive, point_walk, best, source


@dataclass
class CandidatesByNode:
    """A Snap's candidates listed under the nodes at the ends of their stretches: a search limited in
    time reaches few nodes, and only their candidates need a look (siting runs hundreds of such)."""
    snapped: Snap
    graph: object
    start: np.ndarray       # per node: where its candidates start in `candidate`, and the end
    candidate: np.ndarray

    @classmethod
    def of(cls, snapped: Snap, graph) -> "CandidatesByNode":
        seg = snapped.segment
        node = np.r_[graph.seg_from[seg], graph.seg_to[seg]]
        order = np.argsort(node, kind="stable")
        start = np.r_[0, np.cumsum(np.bincount(node, minlength=graph.node_count))]
        return cls(snapped, graph, start, np.r_[np.arange(len(seg)), np.arange(len(seg))][order])

    def points_within(self, node_seconds: np.ndarray, walk_mps: float, budget: float) -> np.ndarray:
        """The points (sorted) some candidate of which is reached, drive and walk, within ``budget``."""
        reached = np.flatnonzero(np.isfinite(node_seconds))
        first = self.start[reached]
        candidates = self.candidate[ranges(first, self.start[reached + 1] - first)]
        via_start, via_end = _entry_times(self.snapped, candidates, node_seconds, self.graph)
        total = np.minimum(via_start, via_end) + self.snapped.distance[candidates] / walk_mps
        return np.unique(self.snapped.point[candidates[total <= budget]])
