"""Where new bases would close the five-minute gap: exact set covering and maximal covering.

Candidates are road junctions (or a layer the user gives), each serving the
houses of its own defense zone.  Existing bases stay; only the houses they
leave uncovered count.  Both problems are solved exactly with
scipy.optimize.milp (HiGHS); houses that the same candidates reach are folded
into one weighted row, which keeps the problem small.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from .coverage import CoverageOptions, CoverageResult
from .snapping import CandidatesByNode, snap

BATCH = 32
REACH_RADIUS_M = 2500.0   # a patrol car covers about this much road in five minutes
DEFAULT_CANDIDATES = 1000
MILP_SECONDS = 60


@dataclass
class SitingResult:
    suggested: gpd.GeoDataFrame     # one row per suggested base and solution
    coverable: int                  # uncovered houses some candidate could reach
    uncoverable: int                # uncovered houses no candidate reaches in time
    candidates: int


def junction_candidates(result: CoverageResult, limit: int = DEFAULT_CANDIDATES) -> np.ndarray:
    """Road junctions (3+ ways) near the uncovered houses, thinned on a grid to at most `limit` nodes."""
    graph = result.graph
    degree = np.bincount(np.r_[graph.seg_from, graph.seg_to], minlength=graph.node_count)
    nodes = np.flatnonzero(degree >= 3)
    uncovered = shapely.point_on_surface(result.uncovered.geometry.to_numpy())
    if len(uncovered) == 0 or len(nodes) == 0:
        return np.array([], dtype=int)
    distance, _ = cKDTree(shapely.get_coordinates(uncovered)).query(graph.nodes[nodes],
                                                                      distance_upper_bound=REACH_RADIUS_M)
    nodes = nodes[np.isfinite(distance)]
    if len(nodes) <= limit:
        return nodes
    xy = graph.nodes[nodes]
    cell = np.sqrt(np.ptp(xy[:, 0]) * np.ptp(xy[:, 1]) / limit) or 1.0
    keys = np.floor(xy / cell).astype(np.int64)
    _, first = np.unique(keys, axis=0, return_index=True)
    return nodes[np.sort(first)][:limit]


def coverage_matrix(result: CoverageResult, candidate_nodes: np.ndarray, houses: np.ndarray,
                    options: CoverageOptions, candidate_zones: np.ndarray) -> sparse.csr_matrix:
    """houses × candidates: True where the candidate, of the house's own zone, reaches it in time."""
    graph = result.graph
    frame = result.houses.iloc[houses]
    points = shapely.point_on_surface(frame.geometry.to_numpy())
    by_node = CandidatesByNode.of(snap(points, graph, options.max_snap_m), graph)
    zone = frame["defense_zone_id"].to_numpy(dtype=object) if "defense_zone_id" in frame else \
        np.full(len(frame), None, dtype=object)
    budget = options.threshold_s - options.turnout_s
    rows, cols = [], []
    for first in range(0, len(candidate_nodes), BATCH):
        batch = candidate_nodes[first:first + BATCH]
        times = np.atleast_2d(dijkstra(graph.graph, directed=True, indices=batch, limit=budget))
        for offset, node_seconds in enumerate(times):
            hit = by_node.points_within(node_seconds, options.walk_speed_kmh / 3.6, budget)
            j = first + offset
            if candidate_zones[j] is not None:
                hit = hit[zone[hit] == candidate_zones[j]]
            rows.append(hit)
            cols.append(np.full(len(hit), j))
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    return sparse.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)),
                             shape=(len(houses), len(candidate_nodes)))


def _folded(matrix: sparse.csr_matrix, weights: np.ndarray):
    """Identical rows (houses reached by the same candidates) as one row with their summed weight."""
    keys = [tuple(matrix.indices[matrix.indptr[i]:matrix.indptr[i + 1]]) for i in range(matrix.shape[0])]
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object))
    folded = sparse.csr_matrix((np.ones(sum(len(u) for u in uniques)),
                                (np.repeat(np.arange(len(uniques)), [len(u) for u in uniques]),
                                 np.concatenate([np.asarray(u, dtype=int) for u in uniques]) if len(uniques) else [])),
                               shape=(len(uniques), matrix.shape[1]))
    return folded, np.bincount(codes, weights=weights, minlength=len(uniques))


def set_cover(matrix: sparse.csr_matrix) -> np.ndarray:
    """The fewest candidates that reach every row: indices of the chosen candidates."""
    if matrix.shape[0] == 0:
        return np.array([], dtype=int)
    folded, _ = _folded(matrix, np.ones(matrix.shape[0]))
    n = folded.shape[1]
    solution = milp(np.ones(n), integrality=np.ones(n), bounds=Bounds(0, 1),
                    constraints=LinearConstraint(folded, lb=1, ub=np.inf), options={"time_limit": MILP_SECONDS})
    if solution.x is None:
        raise RuntimeError(f"set covering found no solution: {solution.message}")
    return np.flatnonzero(solution.x > 0.5)


def max_cover(matrix: sparse.csr_matrix, weights: np.ndarray, k: int) -> np.ndarray:
    """The k candidates that reach the most weight (houses or people)."""
    if matrix.shape[0] == 0 or k <= 0:
        return np.array([], dtype=int)
    folded, w = _folded(matrix, weights)
    rows, n = folded.shape
    k = min(k, n)
    # variables: x (candidates, binary) then y (folded rows, 0..1); maximise Σ w·y
    cost = np.r_[np.zeros(n), -w]
    link = sparse.hstack([-folded, sparse.identity(rows)])            # y_r - Σ a_rj x_j <= 0
    count = sparse.hstack([sparse.csr_matrix(np.ones((1, n))), sparse.csr_matrix((1, rows))])   # Σ x = k
    solution = milp(cost, integrality=np.r_[np.ones(n), np.zeros(rows)], bounds=Bounds(0, 1),
                    constraints=[LinearConstraint(link, ub=0), LinearConstraint(count, lb=k, ub=k)],
                    options={"time_limit": MILP_SECONDS})
    if solution.x is None:
        raise RuntimeError(f"maximal covering found no solution: {solution.message}")
    return np.flatnonzero(solution.x[:n] > 0.5)


def _greedy_order(matrix, chosen, weights):
    """The chosen candidates, biggest marginal gain first, with each one's gain (houses, weight)."""
    columns = matrix[:, chosen].tocsc().astype(float)
    left = weights.astype(float).copy()
    remaining = np.ones(len(chosen), dtype=bool)
    order, gains = [], []
    for _ in range(len(chosen)):
        gain = np.where(remaining, columns.T @ left, -1.0)
        best = int(np.argmax(gain))
        rows = columns.indices[columns.indptr[best]:columns.indptr[best + 1]]
        newly = rows[left[rows] > 0]
        order.append(chosen[best])
        gains.append((len(newly), float(left[newly].sum())))
        left[newly] = 0
        remaining[best] = False
    return order, gains


def suggest_bases(result: CoverageResult, options: CoverageOptions | None = None, k: int = 3,
                  candidates: gpd.GeoDataFrame | None = None, max_candidates: int = DEFAULT_CANDIDATES,
                  defense_zones=None) -> SitingResult:
    """Set covering (all coverable uncovered houses) and maximal covering (best k), existing bases kept."""
    options = options or CoverageOptions()
    if result.graph is None:
        raise ValueError("siting needs a road network")
    houses = result.houses
    uncovered = np.flatnonzero(~result.covered & result.columns["routable"].to_numpy())
    if candidates is not None:
        nodes = result.graph.nearest_nodes(candidates.geometry.to_numpy())[0]
    else:
        nodes = junction_candidates(result, max_candidates)
    points = gpd.GeoSeries(shapely.points(result.graph.nodes[nodes]), crs=houses.crs)
    zones = _zones_of(points, defense_zones, houses)
    empty = gpd.GeoDataFrame(columns=["solution", "rank", "defense_zone_id", "gain_houses", "gain_people"],
                             geometry=[], crs=houses.crs)
    if len(uncovered) == 0 or len(nodes) == 0:
        return SitingResult(empty, 0, len(uncovered), len(nodes))
    matrix = coverage_matrix(result, nodes, uncovered, options, zones)
    reachable = np.asarray(matrix.sum(axis=1)).ravel() > 0
    matrix = matrix[reachable]
    people = houses["people"].to_numpy()[uncovered][reachable] if "people" in houses else np.ones(reachable.sum())
    rows = []
    for name, chosen in (("set_cover", set_cover(matrix)), (f"max_cover_{k}", max_cover(matrix, np.ones(matrix.shape[0]), k))):
        order, gains = _greedy_order(matrix, chosen, np.ones(matrix.shape[0]))
        for rank, (j, (gain_houses, _)) in enumerate(zip(order, gains), start=1):
            reached = matrix[:, j].toarray().ravel()
            rows.append({"solution": name, "rank": rank, "defense_zone_id": zones[j], "gain_houses": gain_houses,
                         "gain_people": int(people[reached].sum()), "node": int(nodes[j]),
                         "geometry": points.iloc[j]})
    suggested = gpd.GeoDataFrame(rows, geometry="geometry", crs=houses.crs) if rows else empty
    return SitingResult(suggested, int(reachable.sum()), int((~reachable).sum()), len(nodes))


def _zones_of(points, defense_zones, houses) -> np.ndarray:
    if defense_zones is None or defense_zones.empty:
        return np.full(len(points), None, dtype=object)
    zone = np.full(len(points), None, dtype=object)
    idx_p, idx_z = shapely.STRtree(defense_zones.geometry.to_numpy()).query(points.to_numpy(), predicate="within")
    zone[idx_p] = defense_zones["defense_zone_id"].to_numpy()[idx_z]
    return zone
