"""Five-minute response coverage: which houses each zone's own bases reach in time.

Multi-source Dijkstra (scipy.sparse.csgraph, min_only) from the bases over the
road graph gives every node its first-arriving base; a house's time is that of
the fastest of its few candidate road places (each entered from either end of
its segment as one-way allows) plus the walk from there, plus the turnout time.
Each defense zone is judged by its own bases; houses that only another zone's
base reaches in time are reported apart.  With no road network,
straight-line times stand in, and every output says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse.csgraph import dijkstra

from ..layers.report import Report
from ..options import OPTIONS
from .network import check_network
from .roadgraph import SETTINGS, NoDrivableRoads, RoadGraph, build_graph
from .snapping import best_times, snap

RESPONSE = SETTINGS["response"]
ROAD_NETWORK, STRAIGHT_LINE = "road network", "straight line (no road network)"


@dataclass
class CoverageOptions:
    threshold_s: float = OPTIONS["threshold_s"].default
    turnout_s: float = OPTIONS["turnout_s"].default
    walk_speed_kmh: float = OPTIONS["walk_speed_kmh"].default
    max_snap_m: float = RESPONSE["max_snap_m"]
    straight_line_kmh: float = RESPONSE["straight_line_kmh"]
    reach_buffer_m: float = RESPONSE["reach_buffer_m"]

    @property
    def drive_limit_s(self) -> float:
        """How far the search runs: twice the promise, so near misses get a time too."""
        return 2 * self.threshold_s


@dataclass
class Reach:
    """Times from a set of bases to the houses (and to the graph's nodes)."""
    seconds: np.ndarray        # per house, turnout + drive + walk (inf: not reached)
    base: np.ndarray           # per house, index into the bases (-1: none)
    node_seconds: np.ndarray | None = None
    node_base: np.ndarray | None = None
    drive: np.ndarray | None = None     # per house, the legs: on the road …
    walk: np.ndarray | None = None      # … and on foot from the road to the house
    candidate: np.ndarray | None = None     # per house, the road place it is reached from (index into the Snap)


@dataclass
class CoverageResult:
    houses: gpd.GeoDataFrame          # the houses judged: the caller's frame, not a copy
    columns: pd.DataFrame             # by house_id, in the houses' order: reach_s (and legs), reach_base,
    reach_areas: gpd.GeoDataFrame     # covered, routable, covered_by_other_zone, fastest_base, reach_method
    by_zone: dict = field(default_factory=dict)    # table name -> DataFrame
    method: str = ROAD_NETWORK
    graph: RoadGraph | None = None
    bases: gpd.GeoDataFrame | None = None
    report: Report = field(default_factory=Report)     # what the network check found

    @property
    def covered(self) -> np.ndarray:
        return self.columns["covered"].to_numpy()

    @property
    def uncovered(self) -> gpd.GeoDataFrame:
        return self.houses[~self.covered]


class Router:
    """Reach times from bases to points, over roads or, lacking them, in straight lines."""

    def __init__(self, roads, options: CoverageOptions):
        self.options = options
        self.roads = roads
        try:
            self.graph = build_graph(roads) if roads is not None and not roads.empty else None
        except NoDrivableRoads:      # reported by the network check; straight lines stand in
            self.graph = None
        self.method = ROAD_NETWORK if self.graph is not None else STRAIGHT_LINE

    def base_nodes(self, bases: np.ndarray) -> np.ndarray:
        """Bases start from the nearest node where a car can stop."""
        return self.graph.nearest_nodes(bases)[0]

    def reach(self, bases: np.ndarray, points: np.ndarray, snapped=None) -> Reach:
        options = self.options
        if len(bases) == 0:
            never = np.full(len(points), np.inf)
            return Reach(never, np.full(len(points), -1), drive=never, walk=never)
        if self.graph is None:
            distance = shapely.distance(points[:, None], bases[None, :])
            base = np.argmin(distance, axis=1)
            drive = distance[np.arange(len(points)), base] / (options.straight_line_kmh / 3.6)
            return Reach(drive + options.turnout_s, base, drive=drive, walk=np.zeros(len(points)))
        nodes = self.base_nodes(bases)
        node_seconds, _, sources = dijkstra(self.graph.graph, directed=True, indices=nodes, min_only=True,
                                            limit=options.drive_limit_s, return_predecessors=True)
        node_base = np.full(self.graph.node_count, -1)
        reached = sources >= 0
        node_base[reached] = pd.Index(nodes).get_indexer(sources[reached])
        snapped = snapped if snapped is not None else snap(points, self.graph, options.max_snap_m)
        drive, walk, candidate, base = best_times(snapped, node_seconds, self.graph, options.walk_speed_kmh / 3.6,
                                                  node_base)
        return Reach(drive + walk + options.turnout_s, base, node_seconds, node_base, drive, walk, candidate)


def _zone_of_bases(bases, zones, id_field):
    if id_field in bases and bases[id_field].notna().all():
        return bases[id_field].to_numpy(dtype=object)
    if zones is None:
        return np.full(len(bases), None, dtype=object)
    idx_b, idx_z = shapely.STRtree(zones.geometry.to_numpy()).query(bases.geometry.to_numpy(), predicate="within")
    out = np.full(len(bases), None, dtype=object)
    out[idx_b] = zones[id_field].to_numpy()[idx_z]
    return out


def coverage(houses: gpd.GeoDataFrame, bases: gpd.GeoDataFrame, roads=None, defense_zones=None,
             options: CoverageOptions | None = None, router: Router | None = None) -> CoverageResult:
    """Judge every house by its own defense zone's bases (houses need defense_zone_id, as the join gives)."""
    options = options or CoverageOptions()
    router = router or Router(roads, options)
    points = shapely.point_on_surface(houses.geometry.to_numpy())
    base_points = bases.geometry.to_numpy()
    snapped = snap(points, router.graph, options.max_snap_m) if router.graph is not None else None
    everyone = router.reach(base_points, points, snapped)
    seconds, base = np.full(len(houses), np.inf), np.full(len(houses), -1)
    drive, walk = np.full(len(houses), np.inf), np.full(len(houses), np.inf)
    house_zone = houses["defense_zone_id"].to_numpy(dtype=object) if "defense_zone_id" in houses else \
        np.full(len(houses), None, dtype=object)
    base_zone = _zone_of_bases(bases, defense_zones, "defense_zone_id")
    own_reaches = {}
    for zone in pd.unique(house_zone):
        mine = house_zone == zone
        own = np.flatnonzero(base_zone == zone) if zone is not None else np.arange(len(bases))
        reach = router.reach(base_points[own], points[mine], snapped.subset(mine) if snapped is not None else None)
        seconds[mine], drive[mine], walk[mine] = reach.seconds, reach.drive, reach.walk
        if len(own):        # a zone with no base of its own keeps -1 (and is reported as unreached)
            base[mine] = np.where(reach.base >= 0, own[np.maximum(reach.base, 0)], -1)
        own_reaches[zone] = (own, reach)
    base_ids = bases["base_id"].to_numpy(dtype=object) if "base_id" in bases else np.arange(len(bases)).astype(str)
    routable = snapped.nearest_segment >= 0 if snapped is not None else np.ones(len(houses), dtype=bool)
    covered = seconds <= options.threshold_s
    columns = pd.DataFrame({
        "reach_s": _seconds(seconds), "reach_drive_s": _seconds(drive), "reach_walk_s": _seconds(walk),
        "reach_base": np.where(base >= 0, base_ids[np.maximum(base, 0)], None),
        "covered": covered, "routable": routable,
        "covered_by_other_zone": ~covered & (everyone.seconds <= options.threshold_s),
        "fastest_base": np.where(everyone.base >= 0, base_ids[np.maximum(everyone.base, 0)], None),
        "reach_method": router.method}, index=pd.Index(houses["house_id"].to_numpy(), name="house_id"))
    areas = _reach_areas(router, own_reaches, bases, base_ids, options) if router.graph is not None else \
        _straight_reach_areas(bases, base_ids, options)
    result = CoverageResult(houses, columns, areas, method=router.method, graph=router.graph, bases=bases)
    result.by_zone = coverage_tables(houses, columns, router.method)
    result.by_zone.update(check_network(result, router, snapped, result.report))
    return result


def _seconds(values: np.ndarray) -> np.ndarray:
    """Rounded seconds, empty (not infinite) where nothing reaches."""
    return np.round(np.where(np.isfinite(values), values, np.nan), 1)


def _reach_areas(router: Router, own_reaches: dict, bases, base_ids, options) -> gpd.GeoDataFrame:
    """Per base, the parts of road segments it reaches first within the threshold (from its own zone's run),
    widened by reach_buffer_m for display."""
    graph = router.graph
    limit = options.threshold_s - options.turnout_s
    parts, owners = [], []
    seen = set()
    for own, reach in own_reaches.values():
        if reach.node_seconds is None or tuple(own) in seen:
            continue
        seen.add(tuple(own))
        t, who = reach.node_seconds, reach.node_base
        for start, end, usable in ((graph.seg_from, graph.seg_to, graph.forward),
                                   (graph.seg_to, graph.seg_from, graph.backward)):
            go = usable & (t[start] < limit)
            share = np.clip((limit - t[start][go]) / graph.seg_seconds[go], 0, 1)
            a, b = graph.nodes[start[go]], graph.nodes[end[go]]
            parts.append(shapely.linestrings(np.stack([a, a + (b - a) * share[:, None]], axis=1)))
            owners.append(own[who[start[go]]])
    if not parts:
        return gpd.GeoDataFrame({"base_id": [], "road_km": [], "method": []}, geometry=[], crs=bases.crs)
    parts, owners = np.concatenate(parts), np.concatenate(owners)
    rows = []
    for owner in np.unique(owners):
        lines = parts[owners == owner]
        rows.append((base_ids[owner], round(float(shapely.length(lines).sum()) / 1000, 2),
                     shapely.union_all(shapely.buffer(lines, options.reach_buffer_m, quad_segs=1))))
    ids, km, geoms = zip(*rows)
    return gpd.GeoDataFrame({"base_id": ids, "road_km": km, "threshold_s": options.threshold_s,
                             "method": ROAD_NETWORK}, geometry=list(geoms), crs=bases.crs)


def _straight_reach_areas(bases, base_ids, options) -> gpd.GeoDataFrame:
    radius = max(options.threshold_s - options.turnout_s, 0) * options.straight_line_kmh / 3.6
    return gpd.GeoDataFrame({"base_id": base_ids, "road_km": np.nan, "threshold_s": options.threshold_s,
                             "method": STRAIGHT_LINE}, geometry=bases.geometry.buffer(radius).to_numpy(), crs=bases.crs)


def coverage_tables(houses, columns: pd.DataFrame, method) -> dict:
    """Coverage per defense zone and per patrol zone: by houses, by people (area is added by
    add_area_coverage); ``columns`` are the coverage's own, in the houses' order."""
    tables = {}
    people = houses["people"].to_numpy() if "people" in houses else np.zeros(len(houses), dtype=int)
    frame = pd.DataFrame({"covered": columns["covered"].to_numpy(), "routable": columns["routable"].to_numpy(),
                          "covered_by_other_zone": columns["covered_by_other_zone"].to_numpy(),
                          "reach_s": columns["reach_s"].to_numpy(), "_people": people,
                          "_covered_people": np.where(columns["covered"].to_numpy(), people, 0)})
    for column in ("defense_zone_id", "patrol_zone_id"):
        if column in houses:
            frame[column] = houses[column].to_numpy()
    for name, column in (("coverage_by_defense_zone", "defense_zone_id"), ("coverage_by_patrol_zone", "patrol_zone_id")):
        if column not in frame:
            continue
        grouped = frame.groupby(column)
        table = pd.DataFrame({
            "houses": grouped.size(), "houses_covered": grouped["covered"].sum(),
            "not_routable": grouped["routable"].apply(lambda r: int((~r).sum())),
            "covered_only_by_other_zone": grouped["covered_by_other_zone"].sum(),
            "people": grouped["_people"].sum(), "people_covered": grouped["_covered_people"].sum(),
            "slowest_s": grouped["reach_s"].max(),
        })
        table["houses_share"] = (table["houses_covered"] / table["houses"]).round(4)
        table["people_share"] = (table["people_covered"] / table["people"].where(table["people"] > 0)).round(4)
        table["method"] = method
        tables[name] = table.reset_index()
    return tables


def add_area_coverage(table: pd.DataFrame, zones: gpd.GeoDataFrame, id_field: str, areas) -> pd.DataFrame:
    """Share of each zone's area inside the reach areas."""
    reached = shapely.union_all(areas.geometry.to_numpy()) if len(areas) else shapely.Polygon()
    share = {z: round(float(shapely.intersection(g, reached).area / g.area), 4) if g.area else np.nan
             for z, g in zip(zones[id_field], zones.geometry)}
    return table.assign(area_share=table[id_field].map(share))


def dispatch(events: gpd.GeoDataFrame, points: np.ndarray, bases, router: Router) -> pd.DataFrame:
    """For every event: the fastest base (any zone) and its time, seconds."""
    reach = router.reach(bases.geometry.to_numpy(), points)
    base_ids = bases["base_id"].to_numpy(dtype=object)
    return pd.DataFrame({"dispatch_base": np.where(reach.base >= 0, base_ids[np.maximum(reach.base, 0)], None),
                         "dispatch_s": np.round(np.where(np.isfinite(reach.seconds), reach.seconds, np.nan), 1)},
                        index=events.index)
