"""Benchmark: gather people, units and events onto houses at city-street scale.

Target (issue 3): 1,000,000 people + 100,000 events + 50,000 units onto
100,000 houses, address and spatial matching end to end, <= 20 s on 2 cores,
peak memory <= 3 GB.  Printed beside it, measured in the same run on the same
data: QGIS's own native:joinattributesbylocation for the spatial part, and a
plain per-record Python loop on a sample.

    .venv/bin/python bench/join.py [--houses 100000 --people 1000000 ...]

Data is built once by the demo generator and kept under out/bench/.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "out" / "bench"     # from any working folder
BASE_HOUSES = 2357   # houses of the xiaohe demo street at scale 1


def build(args) -> Path:
    """The benchmark street as a project file (built once per size)."""
    from gridgov.demo import build_demo, write_demo
    from gridgov.demo.records import EVENT_YEARS

    folder = OUT / f"join-{args.houses}-{args.people}-{args.events}-{args.units}"
    if (folder / "gridgov_demo.toml").exists():
        return folder / "gridgov_demo.toml"
    started = time.perf_counter()
    floating = args.people // 5
    demo = build_demo("xiaohe", scale=args.houses / BASE_HOUSES, totals={
        "residents": args.people - floating, "floating": floating, "events": args.events // EVENT_YEARS, "units": args.units,
        "sensors": args.units // 5})
    write_demo(demo, folder)
    print(f"built the benchmark street in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{k} {len(v):,}" for k, v in demo.layers.items() if k in ("houses", "people", "units", "events")))
    return folder / "gridgov_demo.toml"


def run_gridgov(project: Path) -> dict:
    """Load and join in a fresh process, so that peak memory is the join's own."""
    import resource

    import shapely

    from gridgov.grid_tools.join import join_street
    from gridgov.grid_tools.matching import HouseIndex, match_locations
    from gridgov.grid_tools.options import JoinOptions
    from gridgov.layers import load_project, load_street

    started = time.perf_counter()
    street = load_street(load_project(project))
    loaded = time.perf_counter()
    loaded_gb = _resident_gb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")       # the kernel's peak (VmHWM) from here: the join's own
    joined = join_street(street)
    done = time.perf_counter()
    join_gb = _resident_gb("VmHWM") - loaded_gb
    records = sum(len(f) for f in joined.records.values())
    matched = sum(f["house_id"].notna().sum() for f in joined.records.values())
    # the spatial part alone, on every located person: the same work QGIS is timed on
    people = street.people
    points = shapely.point_on_surface(people.geometry.to_numpy())
    points = points[~shapely.is_missing(points)]
    index = HouseIndex(street.houses, JoinOptions())
    spatial_started = time.perf_counter()
    located = match_locations(points, index)
    spatial = time.perf_counter() - spatial_started
    return {"load_s": loaded - started, "join_s": done - loaded, "records": records, "matched": int(matched),
            "houses": len(street.houses), "spatial_points": len(points), "spatial_s": spatial,
            "spatial_matched": int((located["house"] >= 0).sum()),
            "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2, "join_gb": join_gb}


def _resident_gb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak since the last reset) of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024 ** 2
    raise RuntimeError(f"no {field} in /proc/self/status")


def run_qgis(project: Path) -> dict:
    """native:joinattributesbylocation of located people onto house footprints (intersects)."""
    from qgis_reference import run_algorithm, vector_layer

    gpkg = str(project.parent / "gridgov_demo.gpkg")
    people = vector_layer(gpkg, "people", "geom IS NOT NULL")
    houses = vector_layer(gpkg, "houses")
    started = time.perf_counter()
    result = run_algorithm("native:joinattributesbylocation", {
        "INPUT": people, "JOIN": houses, "PREDICATE": [0], "JOIN_FIELDS": ["house_id"], "METHOD": 2,
        "DISCARD_NONMATCHING": False, "OUTPUT": "memory:"})
    elapsed = time.perf_counter() - started
    output = result["OUTPUT"]
    joined = sum(1 for f in output.getFeatures() if f["house_id"])
    return {"qgis_s": elapsed, "qgis_points": output.featureCount(), "qgis_matched": joined}


def naive_address(address: str, lookup: dict):
    """What a script written record by record does with an address: clean the text with a few rules, look
    it up."""
    text = unicodedata.normalize("NFKC", address).replace(" ", "")
    text = re.sub(r"(\d+)(栋|座|号楼)", r"\1幢", text)
    text = re.sub(r"^(浙江省)?(杭州市)?(拱墅区)?", "", text)
    text = re.sub(r"(幢).*$", r"\1", text)
    return lookup.get(text)


def address_lookup(houses) -> dict:
    """The script's table: each house's address without the province, city and district."""
    return {re.sub(r"^浙江省杭州市拱墅区", "", a): h for a, h in zip(houses["address"], houses["house_id"])}


def naive_record(address, point, houses, addresses_to_id):
    """The address as above, else test every house for the point."""
    if address:
        found = naive_address(address, addresses_to_id)
        if found is not None:
            return found
    if point is not None:
        for house_id, footprint in houses:
            if footprint.contains(point):
                return house_id
    return None


def run_naive(project: Path, sample: int) -> dict:
    from gridgov.layers import load_project, load_street

    street = load_street(load_project(project))
    houses = list(zip(street.houses["house_id"], street.houses.geometry))
    lookup = address_lookup(street.houses)
    people = street.people.sample(sample, random_state=1)
    started = time.perf_counter()
    for address, point in zip(people["address"], people.geometry):
        naive_record(address if isinstance(address, str) else None, point, houses, lookup)
    per_record = (time.perf_counter() - started) / sample
    return {"naive_per_record_s": per_record, "naive_sample": sample}


def child(function: str, project: Path, *extra) -> dict:
    arguments = "".join(", " + repr(e) for e in extra)
    code = f"import json, pathlib; import join as b; " \
           f"print(json.dumps(b.{function}(pathlib.Path({str(project)!r}){arguments})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)})
    return json.loads(result.stdout.strip().splitlines()[-1])


def street_arguments(description: str) -> argparse.ArgumentParser:
    """The bench street's size, as this bench and bench/addresses.py take it."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--houses", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=50_000)
    return parser


def main():
    parser = street_arguments(__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=300, help="records for the per-record loop")
    args = parser.parse_args()
    project = build(args)
    ours = child("run_gridgov", project)
    qgis = child("run_qgis", project)
    naive = child("run_naive", project, args.sample)
    records_per_s = ours["records"] / ours["join_s"]
    print(f"houses {ours['houses']:,}, records {ours['records']:,} (people, units, events, sensors)")
    print(f"gridgov join (address + spatial, end to end): {ours['join_s']:.1f} s "
          f"(target 20 s), {ours['matched'] / ours['records']:.1%} matched; loading the inputs {ours['load_s']:.1f} s")
    print(f"peak memory of load + join: {ours['peak_rss_gb']:.2f} GB (target 3 GB); the join's own, over the loaded "
          f"inputs: {ours['join_gb']:.2f} GB, {ours['join_gb'] / (ours['records'] / 1e6):.2f} GB per million records "
          f"(target 1.2)")
    print(f"spatial part, {ours['spatial_points']:,} located people onto footprints: gridgov {ours['spatial_s']:.2f} s, "
          f"QGIS native:joinattributesbylocation {qgis['qgis_s']:.2f} s on {qgis['qgis_points']:,} points "
          f"({ours['spatial_matched']:,} vs {qgis['qgis_matched']:,} inside or near a house) "
          f"-> ratio {qgis['qgis_s'] / ours['spatial_s']:.1f}x (goal >= 20x)")
    naive_total = naive["naive_per_record_s"] * ours["records"]
    print(f"per-record Python loop: {naive['naive_per_record_s'] * 1000:.2f} ms a record on a sample of "
          f"{naive['naive_sample']} (about {naive_total / 60:.0f} min for all) -> ratio "
          f"{naive_total / ours['join_s']:.0f}x; gridgov {1e6 / records_per_s:.1f} µs a record")


if __name__ == "__main__":
    main()
