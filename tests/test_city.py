"""gridgov city: a demo street, a real OpenStreetMap street and a broken one, run at once on Dask, gathered into
one city GeoPackage, GeoParquet by street, a city page, and PostGIS as the shared store."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyarrow.dataset as ds
import pyogrio
import pytest
import sqlalchemy

from gridgov.city.gather import CITY_FILE, PARQUET_FOLDER
from gridgov.cli import main as cli
from gridgov.demo.city import write_demo_city

import real_streets

REAL = "湖滨街道"
BROKEN = "坏街道"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The city file of the demo city (one street), plus a street of real OSM footprints and one whose houses
    file is not a geodata file; run with `gridgov city` on two local workers."""
    real_streets.require_shared_data()
    folder = tmp_path_factory.mktemp("city")
    city_file = write_demo_city(1, folder, scale=0.02, seed=3)
    real = real_streets.write_street(folder / "real", real_streets.footprint_houses(), REAL)
    broken = folder / "broken"
    broken.mkdir()
    (broken / "houses.gpkg").write_text("not a GeoPackage", encoding="utf-8")
    (broken / "grids.geojson").write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    (broken / "street.toml").write_text('[street]\nname = "坏"\n[inputs.houses]\npath = "houses.gpkg"\n'
                                        '[inputs.grids]\npath = "grids.geojson"\n', encoding="utf-8")
    with city_file.open("a", encoding="utf-8") as text:
        text.write(f'[[streets]]\nname = "{REAL}"\nproject = "{real.project}"\n\n'
                   f'[[streets]]\nname = "{BROKEN}"\nproject = "broken/street.toml"\n')
    out = folder / "out"
    code = cli(["city", str(city_file), "--out", str(out), "--workers", "2", "--memory-limit", "2GiB"])
    return code, out, real


def test_every_street_runs_and_the_broken_one_is_reported_with_its_error(city):
    code, out, real = city
    assert code == 1                                          # one street failed: said in the exit code
    streets = pyogrio.read_dataframe(out / CITY_FILE, layer="streets")
    by_name = streets.set_index("street")
    assert list(streets["street"]) == ["小河街道", REAL, BROKEN]          # the city file's order
    assert by_name.loc[BROKEN, "status"] == "failed" and "houses" in by_name.loc[BROKEN, "error"]
    assert by_name.loc[REAL, "status"] == "ok" and by_name.loc[REAL, "houses"] == len(real.houses) == 762
    assert 0.04 <= by_name.loc[REAL, "red_share"] <= 0.06 and by_name.loc[REAL, "covered_share"] > 0.5
    assert by_name.loc[REAL, "matched_share"] > 0.95
    assert streets.loc[streets["status"] == "ok"].geometry.area.min() > 100_000      # outlines from the grids


def test_the_city_result_is_the_streets_results_gathered(city):
    code, out, real = city
    houses = pyogrio.read_dataframe(out / CITY_FILE, layer="houses")
    streets = pyogrio.read_dataframe(out / CITY_FILE, layer="streets", read_geometry=False).set_index("street")
    for street in ("小河街道", REAL):
        own = pyogrio.read_dataframe(out / "streets" / street / "gridgov_result.gpkg", layer="houses",
                                     read_geometry=False)
        mine = houses[houses["street"] == street]
        assert sorted(mine["house_id"]) == sorted(own["house_id"])
        assert (mine["risk_level"] == "red").sum() == (own["risk_level"] == "red").sum() == streets.loc[street, "red"]
    assert houses.crs.to_epsg() == 4549
    assert "name" not in pyogrio.read_info(out / CITY_FILE, layer="unmatched")["fields"]     # no person's name


def test_the_geoparquet_is_partitioned_by_street_and_reads_back(city):
    code, out, real = city
    folder = out / PARQUET_FOLDER / "houses"
    dataset = ds.dataset(folder, format="parquet", partitioning="hive")
    one = dataset.to_table(filter=ds.field("street") == REAL)
    assert one.num_rows == 762
    whole = gpd.read_parquet(folder)
    assert len(whole) == len(pyogrio.read_dataframe(out / CITY_FILE, layer="houses", read_geometry=False))
    assert whole.crs.to_epsg() == 4549 and whole.geometry.notna().all()


def test_the_city_page_links_every_finished_street_to_its_own_page(city):
    code, out, real = city
    page = (out / "city.html").read_text(encoding="utf-8")
    for street in ("小河街道", REAL):
        assert f'href="streets/{street}/cockpit.html"' in page and (out / "streets" / street / "cockpit.html").exists()
    assert 'class="failed"' in page and BROKEN in page
    assert "OpenStreetMap" in page and "<script src=\"http" not in page          # offline, attributed


@pytest.mark.postgis
def test_postgis_store_replaces_a_streets_rows_whole(city, postgis_server):
    from gridgov.city.store import write_postgis

    code, out, real = city
    layers = {name: pyogrio.read_dataframe(out / CITY_FILE, layer=name) for name, _ in pyogrio.list_layers(out / CITY_FILE)}
    engine = sqlalchemy.create_engine(postgis_server)

    def counts():
        with engine.connect() as connection:
            return dict(connection.execute(sqlalchemy.text(
                "SELECT street, count(*) FROM gridgov_city.houses GROUP BY street")).all())

    write_postgis(postgis_server, "gridgov_city", layers)
    first = counts()
    assert first == {"小河街道": (layers["houses"]["street"] == "小河街道").sum(), REAL: 762}
    write_postgis(postgis_server, "gridgov_city", layers)                   # a re-run: replaced, not doubled
    assert counts() == first
    failed = layers["streets"].assign(status=lambda f: f["status"].where(f["street"] != REAL, "failed"))
    write_postgis(postgis_server, "gridgov_city", {**layers, "streets": failed,
                                                  "houses": layers["houses"][layers["houses"]["street"] != REAL]})
    assert counts() == first                                                # a failed street keeps its last rows
    with engine.connect() as connection:
        srid, = connection.execute(sqlalchemy.text("SELECT DISTINCT ST_SRID(geom) FROM gridgov_city.houses")).one()
        status = connection.execute(sqlalchemy.text(
            "SELECT status FROM gridgov_city.streets WHERE street = :s"), {"s": REAL}).scalar_one()
    engine.dispose()
    assert srid == 4549 and status == "failed"


def test_each_street_of_the_city_is_exactly_its_own_single_street_run(city, tmp_path):
    """House by house, every column: the city's street = `gridgov run` on the same project, for the demo
    street and the real one."""
    code, out, real = city
    houses = pyogrio.read_dataframe(out / CITY_FILE, layer="houses", read_geometry=False)
    projects = {"小河街道": out.parent / "streets_in" / "xiaohe" / "gridgov_demo.toml", REAL: real.project}
    for street, project in projects.items():
        alone = tmp_path / street
        assert cli(["run", str(project), "--out", str(alone)]) == 0
        theirs = pyogrio.read_dataframe(alone / "gridgov_result.gpkg", layer="houses", read_geometry=False)
        mine = houses[houses["street"] == street].drop(columns="street").dropna(axis=1, how="all")
        theirs = theirs[[c for c in mine.columns]].set_index("house_id").sort_index()
        pd.testing.assert_frame_equal(mine.set_index("house_id").sort_index(), theirs, check_dtype=False)


def test_a_city_runs_on_a_scheduler_and_two_workers_started_apart_over_tcp(tmp_path):
    """The way a real cluster runs it: `dask scheduler` and two `dask worker` processes over TCP, and
    `gridgov city --scheduler tcp://…`; both workers take streets."""
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    from distributed import Client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).with_name("dask"))
    started = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        time.sleep(1)
        started += [subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-dashboard",
                                      "--memory-limit", "2GiB"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    for _ in range(2)]
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        city_file = write_demo_city(3, tmp_path, scale=0.02, seed=11)
        assert cli(["city", str(city_file), "--scheduler", address, "--out", str(tmp_path / "out")]) == 0
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=30)
    streets = pyogrio.read_dataframe(tmp_path / "out" / CITY_FILE, layer="streets", read_geometry=False)
    assert (streets["status"] == "ok").all() and len(streets) == 3
    assert streets["worker"].nunique() == 2 and streets["worker"].str.startswith("tcp://127.0.0.1:").all()
