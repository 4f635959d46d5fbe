"""Benchmark: five-minute coverage over the whole city's roads (issues 5 and 19).

Targets: the city network in ../shared/data (38,800 ways), 50 bases, 100,000
houses: graph build, snapping and routing in at most 5 s; snapping in at most
2x a nearest-node KD-tree search; coverage at least as fast as networkx with
nearest-node snapping and at least 20x QGIS's native:serviceareafromlayer (from
the same 50 bases with the same speeds and directions); covered verdicts agree
with networkx's times under the same snapping rule on >= 99.9 % of houses, and
no house is more than 60 s worse than the best of every road place within the
snapping limit (measured exhaustively).  All measured in the same run.

    .venv/bin/python bench/coverage.py [--roads PATH] [--houses 100000 --bases 50]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from scipy.spatial import cKDTree

from gridgov.grid_tools.coverage import CoverageOptions, Router, coverage
from gridgov.grid_tools.roadgraph import build_graph, directions, drivable, speeds_kmh
from gridgov.grid_tools.siting import suggest_bases
from gridgov.grid_tools.snapping import Snap, best_times, snap, snap_index

BENCH = Path(__file__).resolve().parent
CITY_ROADS = BENCH.parents[1] / "shared/data/hangzhou/hangzhou_city_roads_osm.gpkg"
CRS = "EPSG:4549"


def inputs(path: Path, n_houses: int, n_bases: int, seed: int = 1):
    """The city's roads; houses as 12 m squares 10–60 m beside random drivable roads; bases at junctions."""
    roads = gpd.read_file(path).rename(columns={"fclass": "road_class"}).to_crs(CRS)
    rng = np.random.default_rng(seed)
    drive = drivable(roads).explode(index_parts=False, ignore_index=True)
    lines = drive.geometry.to_numpy()
    picked = lines[rng.choice(len(lines), n_houses, p=shapely.length(lines) / shapely.length(lines).sum())]
    along = shapely.line_interpolate_point(picked, rng.random(n_houses), normalized=True)
    angle = rng.uniform(0, 2 * np.pi, n_houses)
    offset = rng.uniform(10, 60, n_houses)
    xy = shapely.get_coordinates(along) + np.c_[np.cos(angle), np.sin(angle)] * offset[:, None]
    houses = gpd.GeoDataFrame({"house_id": [f"H{i}" for i in range(n_houses)], "people": rng.integers(0, 40, n_houses)},
                              geometry=shapely.box(xy[:, 0] - 6, xy[:, 1] - 6, xy[:, 0] + 6, xy[:, 1] + 6), crs=CRS)
    graph = build_graph(roads)
    degree = np.bincount(np.r_[graph.seg_from, graph.seg_to], minlength=graph.node_count)
    junctions = np.flatnonzero(degree >= 3)
    base_nodes = rng.choice(junctions, n_bases, replace=False)
    bases = gpd.GeoDataFrame({"base_id": [f"B{i}" for i in range(n_bases)]},
                             geometry=shapely.points(graph.nodes[base_nodes]), crs=CRS)
    return roads, houses, bases


def ours(roads, houses, bases, options):
    timings = {}
    started = time.perf_counter()
    graph = build_graph(roads)
    timings["graph_s"] = time.perf_counter() - started
    started = time.perf_counter()
    snap_index(graph, options.max_snap_m)        # built once per network, as the graph is
    timings["index_s"] = time.perf_counter() - started
    points = shapely.point_on_surface(houses.geometry.to_numpy())
    started = time.perf_counter()
    snapped = snap(points, graph, options.max_snap_m)
    timings["snap_s"] = time.perf_counter() - started
    started = time.perf_counter()
    cKDTree(graph.nodes).query(shapely.get_coordinates(points), workers=-1)     # on every core, as ours
    timings["kdtree_nearest_node_s"] = time.perf_counter() - started
    started = time.perf_counter()
    router = Router.__new__(Router)
    router.options, router.graph, router.method, router.roads = options, graph, "road network", roads
    reach = router.reach(bases.geometry.to_numpy(), points, snapped)
    timings["route_s"] = time.perf_counter() - started
    timings["covered"] = float((reach.seconds <= options.threshold_s).mean())
    timings.update(networkx_reference(graph, router, bases, points, snapped, reach, options))
    timings.update(worst_against_every_place(graph, reach, router, bases, points, options))
    started = time.perf_counter()
    result = coverage(houses, bases, options=options, router=router)
    timings["coverage_with_reach_areas_s"] = time.perf_counter() - started
    started = time.perf_counter()
    siting = suggest_bases(result, options, k=5, max_candidates=1000)
    timings["siting_s"] = time.perf_counter() - started
    timings["candidates"] = siting.candidates
    timings["uncovered"] = int((~result.covered).sum())
    timings["set_cover_bases"] = int((siting.suggested["solution"] == "set_cover").sum())
    timings["nodes"] = graph.node_count
    return timings


def networkx_reference(graph, router, bases, points, snapped, reach, options) -> dict:
    """networkx on the same graph: its times with our snapping rule (the verdicts must agree), and its
    whole coverage step with nearest-node snapping (the speed to beat)."""
    coo = graph.graph.tocoo()
    digraph = nx.DiGraph()
    digraph.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()))
    sources = router.base_nodes(bases.geometry.to_numpy()).tolist()
    started = time.perf_counter()
    lengths = nx.multi_source_dijkstra_path_length(digraph, sources, cutoff=options.drive_limit_s)
    node_seconds = np.full(graph.node_count, np.inf)
    node_seconds[list(lengths)] = list(lengths.values())
    _, nearest = cKDTree(graph.nodes).query(shapely.get_coordinates(points), workers=-1)
    nearest_node_times = node_seconds[nearest]
    networkx_s = time.perf_counter() - started
    drive, walk, _, _ = best_times(snapped, node_seconds, graph, options.walk_speed_kmh / 3.6)
    theirs = drive + walk + options.turnout_s <= options.threshold_s
    ours = reach.seconds <= options.threshold_s
    return {"networkx_nearest_node_s": networkx_s, "networkx_agreement": float((theirs == ours).mean()),
            "networkx_nearest_node_covered": float((nearest_node_times <= options.threshold_s).mean())}


def worst_against_every_place(graph, reach, router, bases, points, options) -> dict:
    """Every usable road place within the snapping limit (an STRtree query of all segments in reach, not
    the few candidates): how much worse than the best of them is the candidate we chose?"""
    usable = graph.usable
    house, hit = shapely.STRtree(graph.segments[usable]).query(points, predicate="dwithin", distance=options.max_snap_m)
    segment = usable[hit]
    fraction = shapely.line_locate_point(graph.segments[segment], points[house], normalized=True)
    distance = shapely.distance(graph.segments[segment], points[house])
    every = Snap(house, segment, fraction, distance, len(points))
    drive, walk, _, _ = best_times(every, reach.node_seconds, graph, options.walk_speed_kmh / 3.6)
    best = drive + walk + options.turnout_s
    ground = np.isfinite(best)         # the others have only a bridge in reach (or nothing reaches them)
    worse = reach.seconds[ground] - best[ground]
    return {"every_place_pairs": len(house), "worst_s": float(worse.max(initial=0)), "over_60_s": int((worse > 60).sum()),
            "verdicts_differ": int(((reach.seconds <= options.threshold_s) != (best <= options.threshold_s))[ground].sum())}


def qgis(roads, bases, options) -> dict:
    """The same network and bases through QGIS, in a fresh process."""
    folder = Path(tempfile.mkdtemp())
    drive = drivable(roads).explode(index_parts=False, ignore_index=True)
    forward, backward = directions(drive)
    network = gpd.GeoDataFrame({"speed_kmh": speeds_kmh(drive),
                                "dir": np.where(forward & backward, "B", np.where(forward, "F", "T"))},
                               geometry=drive.geometry.to_numpy(), crs=CRS)
    network.to_file(folder / "net.gpkg", layer="net")
    bases.to_file(folder / "net.gpkg", layer="bases")
    code = f"""
import json, time
from qgis_reference import run_algorithm, vector_layer
net, bases = vector_layer({str(folder / 'net.gpkg')!r}, 'net'), vector_layer({str(folder / 'net.gpkg')!r}, 'bases')
started = time.perf_counter()
run_algorithm('native:serviceareafromlayer', {{'INPUT': net, 'STRATEGY': 1, 'DIRECTION_FIELD': 'dir',
    'VALUE_FORWARD': 'F', 'VALUE_BACKWARD': 'T', 'VALUE_BOTH': 'B', 'DEFAULT_DIRECTION': 2,
    'SPEED_FIELD': 'speed_kmh', 'DEFAULT_SPEED': 20, 'TOLERANCE': 0, 'START_POINTS': bases,
    'TRAVEL_COST2': {options.threshold_s} / 3600, 'INCLUDE_BOUNDS': False, 'OUTPUT_LINES': 'memory:'}})
print(json.dumps({{'qgis_s': time.perf_counter() - started}}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(BENCH)})
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roads", type=Path, default=CITY_ROADS)
    parser.add_argument("--houses", type=int, default=100_000)
    parser.add_argument("--bases", type=int, default=50)
    args = parser.parse_args()
    options = CoverageOptions()
    roads, houses, bases = inputs(args.roads, args.houses, args.bases)
    mine = ours(roads, houses, bases, options)
    theirs = qgis(roads, bases, options)
    core = mine["graph_s"] + mine["index_s"] + mine["snap_s"] + mine["route_s"]
    step = mine["snap_s"] + mine["route_s"]
    print(f"city network: {len(roads):,} ways -> {mine['nodes']:,} nodes; {len(houses):,} houses; {len(bases)} bases")
    print(f"graph {mine['graph_s']:.2f} s + snapping index {mine['index_s']:.2f} s + snapping {mine['snap_s']:.2f} s "
          f"+ routing {mine['route_s']:.2f} s "
          f"= {core:.2f} s (target 5 s); {mine['covered']:.1%} of houses within {options.threshold_s:g} s")
    print(f"snapping {mine['snap_s']:.3f} s vs nearest-node KD-tree search {mine['kdtree_nearest_node_s']:.3f} s "
          f"-> {mine['snap_s'] / mine['kdtree_nearest_node_s']:.1f}x (target <= 2x)")
    print(f"coverage step (snapping + routing) {step:.2f} s; networkx with nearest-node snapping "
          f"{mine['networkx_nearest_node_s']:.2f} s -> ratio {mine['networkx_nearest_node_s'] / step:.1f}x (target >= 1x)")
    print(f"QGIS native:serviceareafromlayer, same network and bases: {theirs['qgis_s']:.2f} s "
          f"-> ratio {theirs['qgis_s'] / step:.1f}x over the coverage step (goal >= 20x), {theirs['qgis_s'] / core:.1f}x "
          f"with the graph build (QGIS gives lines only, no per-house times)")
    print(f"covered verdicts agree with networkx's times under the same snapping: {mine['networkx_agreement']:.3%} "
          f"(target >= 99.9 %); nearest-node snapping would cover {mine['networkx_nearest_node_covered']:.1%}")
    print(f"against every road place within {options.max_snap_m:g} m ({mine['every_place_pairs']:,} house-place pairs): "
          f"worst {mine['worst_s']:.1f} s slower than the best, {mine['over_60_s']} houses over 60 s (target 0), "
          f"{mine['verdicts_differ']} with the other covered verdict (houses reached from a ground road)")
    print(f"with reach areas and per-zone tables: {mine['coverage_with_reach_areas_s']:.2f} s")
    print(f"siting: {mine['candidates']} candidates, {mine['uncovered']:,} uncovered houses -> "
          f"{mine['siting_s']:.2f} s (target 30 s); set covering needs {mine['set_cover_bases']} new bases")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")


if __name__ == "__main__":
    main()
