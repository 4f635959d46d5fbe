"""Benchmark: QGIS layers to GeoDataFrames and back (plugin/conversion.py), on the demo people.

    .venv/bin/python bench/conversion.py [--gpkg out/demo/gridgov_demo.gpkg] [--layer people]

Prints, for one layer: the file-backed path (the core reads the file), the
memory-layer path (one pass of attributes and WKB), and as the reference in the
same run the naive way (a dict per feature, shapely per geometry, then a frame);
then frame → memory layer; and peak memory.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import time
from pathlib import Path

import geopandas as gpd
import shapely

from gridgov.atlas.headless import start_qgis
from gridgov.plugin.conversion import _python, frame_to_layer, layer_to_frame

from qgis_reference import vector_layer


def naive(layer) -> gpd.GeoDataFrame:
    rows, geometries = [], []
    for feature in layer.getFeatures():
        rows.append({name: _python(feature[name]) for name in layer.fields().names()})
        geometry = feature.geometry()
        geometries.append(None if geometry.isNull() else shapely.from_wkt(geometry.asWkt()))
    return gpd.GeoDataFrame(rows, geometry=geometries, crs=layer.crs().authid())


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpkg", type=Path, default=Path("out/demo/gridgov_demo.gpkg"))
    parser.add_argument("--layer", default="people")
    args = parser.parse_args()
    if not args.gpkg.exists():
        subprocess.run([".venv/bin/gridgov", "demo", "--out", str(args.gpkg.parent), "--no-maps"], check=True)
    start_qgis()
    on_file = vector_layer(str(args.gpkg), args.layer)
    from_file, file_s = timed(layer_to_frame, on_file, args.layer)
    memory, to_layer_s = timed(frame_to_layer, from_file, args.layer)
    from_memory, memory_s = timed(layer_to_frame, memory, args.layer)
    reference, naive_s = timed(naive, memory)
    assert len(from_file) == len(from_memory) == len(reference) == on_file.featureCount()
    print(f"{args.layer}: {len(from_file):,} features, {len(on_file.fields())} fields")
    print(f"file-backed layer -> frame (core reader): {file_s:.2f} s")
    print(f"memory layer -> frame (attributes + WKB): {memory_s:.2f} s")
    print(f"reference, naive per-feature dicts + WKT: {naive_s:.2f} s -> ratio {naive_s / memory_s:.1f}x "
          f"(file-backed: {naive_s / file_s:.1f}x)")
    print(f"frame -> memory layer: {to_layer_s:.2f} s")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2:.2f} GB")


if __name__ == "__main__":
    main()
