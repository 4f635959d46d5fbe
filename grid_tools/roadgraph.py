"""The road network as a directed graph of travel times, for patrol cars.

Only the classes in roads.toml's speed table are driven (an allow-list: a
platform, a waterway or a line of no class is left out and reported).  Ways
share vertices at junctions; a shared vertex joins two ways when they are on
the same level (OSM layer, bridge, tunnel) or when it ends one of them, so a
bridge crossing a road with no shared vertex, or over one at a vertex that both
merely pass through, does not connect.  Every stretch between two consecutive
vertices is an edge; one-way roads get one direction only.  Houses and bases
are attached only where a patrol car can stop: not on motorways or their ramps,
on a bridge only with no ground road near, not below ground, not on small
pieces cut off from the rest;
each house to the nearby stretch (of a few candidates) it is reached fastest
from, the walk from the road included.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ..layers.schema import name_key
from ..layers.toml import read_toml
from ..resources import RESOURCES

SETTINGS = read_toml(RESOURCES / "roads.toml")
ONEWAY = {name_key(word): direction for direction, words in SETTINGS["oneway"].items() for word in words}
TRUE_WORDS = {"t", "true", "yes", "1", "是"}
SPEEDS = SETTINGS["speeds_kmh"]
EXCLUDED = set(SETTINGS["vehicles"]["excluded"])
SNAPPING = SETTINGS["snapping"]


class NoDrivableRoads(ValueError):
    """The road layer holds no line of a class in the speed table (reported; coverage falls back)."""


@dataclass
class RoadGraph:
    graph: sparse.csr_matrix       # node → node travel time, seconds
    nodes: np.ndarray              # (n, 2) node coordinates
    seg_from: np.ndarray           # per segment: node at its start …
    seg_to: np.ndarray             # … and at its end
    seg_seconds: np.ndarray        # driving time along it
    forward: np.ndarray            # may be driven start → end
    backward: np.ndarray           # may be driven end → start
    segments: np.ndarray           # 2-point LineStrings
    node_piece: np.ndarray         # per node: its connected piece (weakly connected component)
    piece_m: np.ndarray            # per piece: road length, metres
    stoppable: np.ndarray          # per segment: a house or base may be attached to it
    elevated: np.ndarray           # per segment: a bridge a house may be attached to when no ground road is near

    def __post_init__(self):
        self.usable = np.flatnonzero(self.stoppable)
        self.stop_nodes = np.unique(np.r_[self.seg_from[self.usable], self.seg_to[self.usable]])
        self.node_tree = cKDTree(self.nodes[self.stop_nodes])
        self.sample_spacing = float(SNAPPING["sample_spacing_m"])
        attachable = np.flatnonzero(self.stoppable | self.elevated)
        self.sample_segment, samples = _samples(self.nodes[self.seg_from[attachable]], self.nodes[self.seg_to[attachable]],
                                                self.sample_spacing)
        self.sample_segment = attachable[self.sample_segment]
        self.sample_tree = cKDTree(samples)
        start, end = self.nodes[self.seg_from], self.nodes[self.seg_to]
        self.seg_x, self.seg_y = np.ascontiguousarray(start[:, 0]), np.ascontiguousarray(start[:, 1])
        self.seg_dx, self.seg_dy = end[:, 0] - start[:, 0], end[:, 1] - start[:, 1]

    @property
    def node_count(self) -> int:
        return len(self.nodes)

    def nearest_nodes(self, points: np.ndarray):
        """(node, distance in metres) of the nearest node where a car can stop, for each point."""
        distance, index = self.node_tree.query(shapely.get_coordinates(points))
        return self.stop_nodes[index], distance

    @property
    def seg_piece(self) -> np.ndarray:
        return self.node_piece[self.seg_from]

    @property
    def main_piece(self) -> int:
        return int(np.argmax(self.piece_m))


def _samples(start: np.ndarray, end: np.ndarray, spacing: float):
    """Points along each segment at most ``spacing`` apart, at the middles of its equal pieces (never at its
    ends, which junctions share: no segment crowds out its neighbours, and every segment, however short,
    has one): (segment, xy) per point.  A KD-tree of them finds a point's nearby segments as fast as a
    nearest-node search."""
    length = np.hypot(*(end - start).T)
    pieces = np.maximum(np.ceil(length / spacing).astype(np.int64), 1)
    segment = np.repeat(np.arange(len(start)), pieces)
    step = np.arange(len(segment)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    t = ((step + 0.5) / np.repeat(pieces, pieces))[:, None]
    return segment, start[segment] + t * (end - start)[segment]


def _levels(roads) -> np.ndarray:
    """OSM layer, or +1 for a bridge and -1 for a tunnel that carry no layer."""
    layer = pd.to_numeric(roads["layer"], errors="coerce").fillna(0).to_numpy() if "layer" in roads else \
        np.zeros(len(roads))
    flag = lambda column: roads[column].astype(str).str.strip().str.lower().isin(TRUE_WORDS).to_numpy() \
        if column in roads else np.zeros(len(roads), dtype=bool)  # noqa: E731
    return np.where(layer != 0, layer, np.where(flag("bridge"), 1, np.where(flag("tunnel"), -1, 0)))


def road_classes(roads) -> pd.Series:
    """Each line's class as written (stripped), "" where it has none."""
    classes = roads["road_class"] if "road_class" in roads else pd.Series(None, index=roads.index, dtype=object)
    return classes.astype("string").str.strip().fillna("")


def classify(roads) -> pd.Series:
    """drive (a class in the speed table), excluded (known, not for cars), unknown, or none."""
    classes = road_classes(roads)
    return pd.Series(np.select([classes.isin(SPEEDS), classes.isin(EXCLUDED), classes == ""],
                               ["drive", "excluded", "none"], "unknown"), index=roads.index)


def speeds_kmh(roads) -> np.ndarray:
    by_class = road_classes(roads).map(SPEEDS).to_numpy(dtype=float)
    own = pd.to_numeric(roads["maxspeed"], errors="coerce").fillna(0).to_numpy() if "maxspeed" in roads else 0
    return np.where(np.asarray(own) > 0, own, by_class)


def directions(roads):
    values = roads["oneway"] if "oneway" in roads else pd.Series("", index=roads.index)
    direction = values.fillna("").astype(str).map(lambda v: ONEWAY.get(name_key(v), "both")).to_numpy()
    return direction != "backward", direction != "forward"


def drivable(roads):
    """The lines of classes patrol cars drive (the allow-list), with a geometry."""
    keep = (classify(roads) == "drive") & roads.geometry.notna() & ~roads.geometry.is_empty
    return roads[keep.to_numpy()]


def build_graph(roads) -> RoadGraph:
    """The directed graph of the drivable roads (projected CRS, metres)."""
    roads = drivable(roads).explode(index_parts=False, ignore_index=True)
    roads = roads[roads.geometry.geom_type == "LineString"].reset_index(drop=True)
    if roads.empty:
        raise NoDrivableRoads("no line of a class patrol cars drive")
    coords, line = shapely.get_coordinates(roads.geometry.to_numpy(), return_index=True)
    is_end = np.r_[True, line[1:] != line[:-1]] | np.r_[line[:-1] != line[1:], True]
    cm = np.round(coords * 100).astype(np.int64)
    cm -= cm.min(axis=0)
    coord_id = pd.factorize(cm[:, 0] * (int(cm[:, 1].max()) + 1) + cm[:, 1])[0]   # one integer per point
    level = _levels(roads)[line].astype(np.int64)
    any_end = np.zeros(coord_id.max() + 1, dtype=bool)
    np.logical_or.at(any_end, coord_id, is_end)
    # ways meet at a point they share if it ends one of them, else only on the same level
    key_level = np.where(any_end[coord_id], 1 << 20, level + (1 << 10))
    node, uniques = pd.factorize(coord_id.astype(np.int64) * (1 << 21) + key_level)
    nodes = np.zeros((len(uniques), 2))
    nodes[node] = coords
    same_line = line[1:] == line[:-1]
    start, end = np.flatnonzero(same_line), np.flatnonzero(same_line) + 1
    keep = node[start] != node[end]
    start, end = start[keep], end[keep]
    owner = line[start]
    length = np.hypot(*(coords[end] - coords[start]).T)
    seconds = np.maximum(length / (speeds_kmh(roads)[owner] / 3.6), 1e-6)
    forward, backward = (d[owner] for d in directions(roads))
    seg_from, seg_to = node[start], node[end]
    level = _levels(roads)[owner]
    no_stop = road_classes(roads).isin(SNAPPING["no_stopping"]).to_numpy()[owner] | (level != 0)
    rows = np.r_[seg_from[forward], seg_to[backward]]
    cols = np.r_[seg_to[forward], seg_from[backward]]
    cost = np.r_[seconds[forward], seconds[backward]]
    # parallel ways between the same two nodes: keep the faster
    order = np.lexsort((cost, cols, rows))
    rows, cols, cost = rows[order], cols[order], cost[order]
    first = np.r_[True, (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])]
    n = len(nodes)
    graph = sparse.csr_matrix((cost[first], (rows[first], cols[first])), shape=(n, n))
    segments = shapely.linestrings(np.stack([coords[start], coords[end]], axis=1))
    _, node_piece = connected_components(graph, directed=True, connection="weak")
    seg_piece = node_piece[seg_from]
    piece_m = np.bincount(seg_piece, weights=length, minlength=node_piece.max() + 1)
    big_enough = piece_m[seg_piece] >= min(SNAPPING["min_piece_m"], piece_m.max())
    stoppable = ~no_stop & big_enough
    if not stoppable.any():      # a tiny network of nothing but no-stopping roads: stop anywhere on its main piece
        stoppable = seg_piece == np.argmax(piece_m)
    elevated = ~stoppable & big_enough & (level > 0) & ~road_classes(roads).isin(SNAPPING["no_stopping"]).to_numpy()[owner]
    return RoadGraph(graph, nodes, seg_from, seg_to, seconds, forward, backward, segments, node_piece, piece_m,
                     stoppable, elevated)


@dataclass
class Snap:
    """Each point's candidate places on the road: the nearby stretches where a car can stop, each at the
    point's projection on it.  Candidates are grouped by point, nearest first."""
    point: np.ndarray      # per candidate: its point
    segment: np.ndarray    # … the segment
    fraction: np.ndarray   # … where along it, 0 at its start
    distance: np.ndarray   # … metres from the point to the road
    count: int             # points

    @cached_property
    def starts(self) -> np.ndarray:
        """Where each point's run of candidates starts (points with candidates only)."""
        return np.flatnonzero(np.r_[True, self.point[1:] != self.point[:-1]]) if len(self.point) else \
            np.array([], dtype=int)

    @property
    def first(self) -> np.ndarray:
        """Per point: its nearest candidate (-1: none within reach)."""
        first = np.full(self.count, -1)
        first[self.point[self.starts]] = self.starts
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

    def road_points(self, graph: "RoadGraph", candidate: np.ndarray) -> np.ndarray:
        """The places on the road of the given candidates (None for -1)."""
        points = np.full(len(candidate), None, dtype=object)
        chosen = candidate >= 0
        points[chosen] = shapely.line_interpolate_point(graph.segments[self.segment[candidate[chosen]]],
                                                        self.fraction[candidate[chosen]], normalized=True)
        return points


SNAP_BLOCK = 16_384      # points per block: the block's arrays stay small enough to be reused, not re-mapped


def snap(points: np.ndarray, graph: RoadGraph, max_m: float) -> Snap:
    """Each point's candidate road places: the usable segments near it within ``max_m`` (those of its
    ``samples_queried`` nearest sample points, at most ``candidates`` of them; bridges only for points with
    no ground road in reach, such as a house on one), each at the point's projection on it.  Found through a
    KD-tree of points spaced along the usable segments, then measured exactly; every step works on a
    (points × samples) block at once, row by row, without a Python loop."""
    xy = np.full((len(points), 2), np.nan)
    located = ~shapely.is_missing(points) & ~shapely.is_empty(points)
    xy[located] = shapely.get_coordinates(points[located])
    where = np.flatnonzero(located)
    blocks = [_snap_block(xy[part], part, graph, max_m) for part in np.array_split(where, max(1, -(-len(where) // SNAP_BLOCK)))]
    return Snap(*(np.concatenate([b[i] for b in blocks]) for i in range(4)), len(points)) if blocks else \
        Snap(np.array([], dtype=int), np.array([], dtype=int), np.array([]), np.array([]), len(points))


def _snap_block(xy: np.ndarray, where: np.ndarray, graph: RoadGraph, max_m: float) -> tuple:
    """(point, segment, fraction, distance) of the candidates of one block of located points."""
    samples = len(graph.sample_segment)
    k = min(SNAPPING["samples_queried"], samples)
    _, index = graph.sample_tree.query(xy, k=k, distance_upper_bound=max_m + graph.sample_spacing / 2, workers=-1)
    index = index.reshape(len(where), k)
    found = index < samples
    segment = graph.sample_segment[np.minimum(index, samples - 1)]
    fraction, distance = _project(xy[:, :1], xy[:, 1:], graph, segment)
    in_reach = found & (distance <= max_m)
    ground = in_reach & graph.stoppable[segment]
    allowed = in_reach & (ground | ~ground.any(axis=1, keepdims=True))   # a bridge only where no ground road is near
    distance = np.where(allowed, distance, np.inf)
    # each segment once (a long one has several samples), then the nearest
    order = np.lexsort((distance, segment), axis=-1)
    ranked_segment, ranked = np.take_along_axis(segment, order, 1), np.take_along_axis(distance, order, 1)
    ranked[:, 1:][ranked_segment[:, 1:] == ranked_segment[:, :-1]] = np.inf
    nearest = np.argsort(ranked, axis=1, kind="stable")[:, :SNAPPING["candidates"]]
    keep = np.isfinite(np.take_along_axis(ranked, nearest, 1))
    column = np.take_along_axis(order, nearest, 1)[keep]
    row = np.broadcast_to(np.arange(len(where))[:, None], nearest.shape)[keep]
    return where[row], segment[row, column], fraction[row, column], distance[row, column]


def _project(x: np.ndarray, y: np.ndarray, graph: RoadGraph, segment: np.ndarray):
    """(fraction along the segment from its start, distance) of each point's nearest place on its segment:
    plain arithmetic on x and y arrays of any shape (numpy is slow at reducing a last axis of 2)."""
    sx, sy, dx, dy = graph.seg_x[segment], graph.seg_y[segment], graph.seg_dx[segment], graph.seg_dy[segment]
    length2 = dx * dx + dy * dy
    fraction = np.clip(((x - sx) * dx + (y - sy) * dy) / np.where(length2 > 0, length2, 1), 0, 1)
    return fraction, np.hypot(x - (sx + fraction * dx), y - (sy + fraction * dy))


def best_times(snapped: Snap, node_seconds: np.ndarray, graph: RoadGraph, walk_mps: float, node_source=None):
    """Per point, its fastest candidate: drive to the road place (entering the segment from either end as
    one-way allows) plus the walk from it.  Returns (drive, walk, candidate, source); inf / -1 where
    nothing reaches the point.  Linear in the candidates (one reduction per point run, no sort): siting
    calls it once per candidate base."""
    seg = snapped.segment
    via_start = np.where(graph.forward[seg], node_seconds[graph.seg_from[seg]] + snapped.fraction * graph.seg_seconds[seg],
                         np.inf)
    via_end = np.where(graph.backward[seg], node_seconds[graph.seg_to[seg]]
                       + (1 - snapped.fraction) * graph.seg_seconds[seg], np.inf)
    drive = np.minimum(via_start, via_end)
    total = drive + snapped.distance / walk_mps
    point_drive, point_walk = np.full(snapped.count, np.inf), np.full(snapped.count, np.inf)
    best = np.full(snapped.count, -1)
    source = np.full(snapped.count, -1) if node_source is not None else None
    if not len(seg):
        return point_drive, point_walk, best, source
    starts = snapped.starts
    fastest = np.minimum.reduceat(total, starts)
    sizes = np.diff(np.r_[starts, len(total)])
    at_fastest = np.where(total == np.repeat(fastest, sizes), np.arange(len(total)), len(total))
    first = np.minimum.reduceat(at_fastest, starts)
    reached = np.isfinite(fastest)
    owner, chosen = snapped.point[starts[reached]], first[reached]
    best[owner] = chosen
    point_drive[owner] = drive[chosen]
    point_walk[owner] = total[chosen] - drive[chosen]
    if node_source is not None:
        source[owner] = np.where(via_start[chosen] <= via_end[chosen], node_source[graph.seg_from[seg[chosen]]],
                                 node_source[graph.seg_to[seg[chosen]]])
    return point_drive, point_walk, best, source
