"""Benchmark: five-minute coverage over the whole city's roads (issue 5).

Targets: the city network in ../shared/data (38,800 ways), 50 bases, 100,000
houses: graph build, snapping and routing in at most 5 s; siting over 1,000
candidates and 100,000 houses in at most 30 s.  Printed beside it, measured in
the same run: QGIS's native:serviceareafromlayer from the same 50 bases with
the same speeds and directions.

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
import numpy as np
import shapely

from gridgov.grid_tools.coverage import CoverageOptions, Router, coverage
from gridgov.grid_tools.roadgraph import build_graph, directions, drivable, snap, speeds_kmh
from gridgov.grid_tools.siting import suggest_bases

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
    points = shapely.point_on_surface(houses.geometry.to_numpy())
    started = time.perf_counter()
    snapped = snap(points, graph, options.max_snap_m)
    timings["snap_s"] = time.perf_counter() - started
    started = time.perf_counter()
    router = Router.__new__(Router)
    router.options, router.graph, router.method, router.roads = options, graph, "road network", roads
    reach = router.reach(bases.geometry.to_numpy(), points, snapped)
    timings["route_s"] = time.perf_counter() - started
    timings["covered"] = float((reach.seconds <= options.threshold_s).mean())
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
    core = mine["graph_s"] + mine["snap_s"] + mine["route_s"]
    print(f"city network: {len(roads):,} ways -> {mine['nodes']:,} nodes; {len(houses):,} houses; {len(bases)} bases")
    print(f"graph {mine['graph_s']:.2f} s + snapping {mine['snap_s']:.2f} s + routing {mine['route_s']:.2f} s "
          f"= {core:.2f} s (target 5 s); {mine['covered']:.1%} of houses within {options.threshold_s:g} s")
    print(f"QGIS native:serviceareafromlayer, same network and bases: {theirs['qgis_s']:.2f} s "
          f"-> ratio {theirs['qgis_s'] / core:.1f}x (goal >= 20x; QGIS gives lines only, no per-house times)")
    print(f"with reach areas and per-zone tables: {mine['coverage_with_reach_areas_s']:.2f} s")
    print(f"siting: {mine['candidates']} candidates, {mine['uncovered']:,} uncovered houses -> "
          f"{mine['siting_s']:.2f} s (target 30 s); set covering needs {mine['set_cover_bases']} new bases")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")


if __name__ == "__main__":
    main()
