"""GDAL's own bindings as the vector backend (what the core uses inside QGIS, where pyogrio is left out):
the same inputs read and the same result file written as through pyogrio."""
from __future__ import annotations

import os
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from gridgov.layers import vector_io
from gridgov.layers.project import InputSpec
from gridgov.layers.readers import read_source

import real_streets


def _same(ours: pd.DataFrame, theirs: pd.DataFrame):
    pd.testing.assert_frame_equal(pd.DataFrame(ours.drop(columns="geometry", errors="ignore")),
                                  pd.DataFrame(theirs.drop(columns="geometry", errors="ignore")), check_dtype=False)
    if isinstance(theirs, gpd.GeoDataFrame):
        located = theirs.geometry.notna()
        assert (ours.geometry.notna() == located).all()
        assert shapely.equals_exact(ours.geometry[located].to_numpy(), theirs.geometry[located].to_numpy(), 1e-9).all()


@pytest.fixture
def gdal_backend(monkeypatch):
    monkeypatch.setattr(vector_io, "BACKEND", "gdal")


def test_gdal_reads_real_osm_footprints_and_a_gbk_shapefile_as_pyogrio_does(tmp_path, monkeypatch):
    real_streets.require_shared_data()
    buildings = real_streets.BUILDINGS
    frame = gpd.GeoDataFrame({"名称": ["湖滨银泰", "断桥"], "层数": [5, None], "有电梯": [True, False],
                              "登记时间": pd.to_datetime(["2026-01-31 10:00", None])},
                             geometry=[shapely.box(0, 0, 1, 1), shapely.Point(2, 2).buffer(1)], crs=4549)
    frame.to_file(tmp_path / "gbk.shp", encoding="GBK")
    (tmp_path / "gbk.cpg").unlink(missing_ok=True)          # the .dbf says nothing of its encoding
    specs = [InputSpec("houses", str(buildings)), InputSpec("houses", str(tmp_path / "gbk.shp"))]
    expected = [read_source(spec) for spec in specs]
    monkeypatch.setattr(vector_io, "BACKEND", "gdal")
    for spec, theirs in zip(specs, expected):
        ours = read_source(spec)
        assert ours.encoding == theirs.encoding and ours.frame.crs == theirs.frame.crs and len(ours.frame) > 1
        _same(ours.frame, theirs.frame)
    assert read_source(specs[1]).frame["名称"].tolist() == ["湖滨银泰", "断桥"]


def test_gdal_writes_a_result_file_pyogrio_reads_back_whole(tmp_path, gdal_backend, tiny_results):
    from gridgov.layers.geopackage import write_geopackage

    names = [name for name, _ in pyogrio.list_layers(tiny_results)]
    frames = {name: pyogrio.read_dataframe(tiny_results, layer=name) for name in names}
    layers = {n: f for n, f in frames.items() if isinstance(f, gpd.GeoDataFrame) and f.geometry.notna().any()}
    tables = {n: pd.DataFrame(f.drop(columns="geometry", errors="ignore")) for n, f in frames.items() if n not in layers}
    written = write_geopackage(tmp_path / "out.gpkg", layers, tables)
    for name in names:
        _same(pyogrio.read_dataframe(written, layer=name), frames[name] if name in layers else frames[name]
              .drop(columns="geometry", errors="ignore"))
    assert pyogrio.read_info(written, layer="houses")["crs"] == pyogrio.read_info(tiny_results, layer="houses")["crs"]


def test_the_whole_run_on_gdals_bindings_gives_the_same_result_file(tiny_demo_dir, tmp_path):
    """`gridgov run` with GRIDGOV_VECTOR_IO=gdal (pyogrio never imported): every layer and table equal to the
    run through pyogrio."""
    outputs = {}
    for backend in ("gdal", "pyogrio"):
        code = "import sys; from gridgov.cli import main; code = main(sys.argv[1:]); " + \
               ("assert 'pyogrio' not in sys.modules, 'pyogrio was imported'; " if backend == "gdal" else "") + \
               "sys.exit(code)"
        result = subprocess.run([sys.executable, "-c", code, "run", str(tiny_demo_dir / "gridgov_demo.toml"),
                                 "--out", str(tmp_path / backend)], capture_output=True, text=True, timeout=600,
                                env={**os.environ, "GRIDGOV_VECTOR_IO": backend})
        assert result.returncode == 0, result.stderr[-3000:]
        outputs[backend] = tmp_path / backend / "gridgov_result.gpkg"
    names = pyogrio.list_layers(outputs["pyogrio"]).tolist()
    assert pyogrio.list_layers(outputs["gdal"]).tolist() == names
    for name, _ in names:
        _same(pyogrio.read_dataframe(outputs["gdal"], layer=name), pyogrio.read_dataframe(outputs["pyogrio"], layer=name))


def test_a_large_layer_is_written_in_chunks_whole_and_typed_by_all_its_rows(tmp_path, monkeypatch):
    """pyogrio gets a big layer a chunk at a time: every row arrives, in order, with its empty texts and
    missing geometries, and the layer's type comes from all rows (the first chunk here has no geometry)."""
    monkeypatch.setattr(vector_io, "WRITE_CHUNK", 3)
    frame = gpd.GeoDataFrame({"person_id": [f"P{i}" for i in range(8)],
                              "name": pd.array(["甲", None, "乙", "丙", None, "丁", "戊", "己"], dtype="str"),
                              "score": [0.5, None, 1, 2, 3, 4, 5, 6]},
                             geometry=[None] * 3 + [shapely.Point(500000 + i, 3350000) for i in range(5)],
                             crs="EPSG:4549")
    path = tmp_path / "chunks.gpkg"
    vector_io.write_dataframe(frame, path, "people", {"VERSION": "1.2"}, {"SPATIAL_INDEX": "NO"})
    back = pyogrio.read_dataframe(path, layer="people")
    assert pyogrio.read_info(path, layer="people")["geometry_type"] == "Point"
    _same(back, frame)
