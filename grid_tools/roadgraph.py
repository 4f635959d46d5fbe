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
pieces cut off from the rest (snapping.py finds each house the place it is
reached fastest from, the walk from the road included).
"""
from __future__ import annotations

from dataclasses import dataclass

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
        self.snap_indexes = {}     # snapping limit → its SnapIndex (snapping.snap_index builds them)

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
