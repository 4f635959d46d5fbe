"""The PostGIS reader against a real PostgreSQL/PostGIS server started for these tests."""
import glob
import os
import shutil
import socket
import subprocess
import tempfile

import pytest
import shapely
import sqlalchemy

from gridgov.layers import Project, load_street
from gridgov.layers.project import InputSpec

pytestmark = pytest.mark.postgis


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def postgis_url():
    """A throwaway cluster on a Unix socket, owned by 'postgres' when we are root."""
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))[-1]
    folder = tempfile.mkdtemp(prefix="gridgov-pg-")
    os.chmod(folder, 0o755)
    as_user = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(folder, "data"), _free_port()
    run = lambda *args: subprocess.run([*as_user, *args], check=True, capture_output=True, text=True)  # noqa: E731
    run(f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "gridgov", "-E", "UTF8", "--no-locale")
    run(f"{bindir}/pg_ctl", "-D", data, "-w", "-l", os.path.join(folder, "log"), "-o",
        f"-k {folder} -p {port} -c listen_addresses=''", "start")
    url = f"postgresql://gridgov@/postgres?host={folder}&port={port}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("CREATE EXTENSION postgis"))
        connection.execute(sqlalchemy.text(
            'CREATE TABLE public."网格" (wgbh text, 网格名称 text, geom geometry(Polygon, 4549))'))
        for code, name, x in (("WG001", "小河路社区第1网格", 513000), ("WG002", "湖墅南路社区第2网格", 513100)):
            connection.execute(sqlalchemy.text(
                'INSERT INTO public."网格" VALUES (:c, :n, ST_GeomFromText(:w, 4549))'),
                {"c": code, "n": name, "w": shapely.box(x, 3353000, x + 100, 3353100).wkt})
    engine.dispose()
    yield url
    run(f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "stop")
    shutil.rmtree(folder, ignore_errors=True)


def load(spec):
    street = load_street(Project(name="t", inputs={spec.kind: spec}))
    return street.layers.get(spec.kind), street.report


def test_table_by_name(postgis_url):
    frame, report = load(InputSpec("grids", postgis_url, layer="public.网格"))
    assert report.ok, report.to_text()
    assert frame["grid_id"].tolist() == ["WG001", "WG002"]
    assert frame["name"].tolist() == ["小河路社区第1网格", "湖墅南路社区第2网格"]
    assert frame.crs.to_epsg() == 4549 and frame.area.round().tolist() == [10000, 10000]
    assert report.layers[0].format == "PostGIS"


def test_query(postgis_url):
    frame, report = load(InputSpec("grids", postgis_url, sql="SELECT wgbh, geom FROM public.\"网格\" WHERE wgbh = 'WG002'"))
    assert frame["grid_id"].tolist() == ["WG002"] and report.ok


def test_missing_table_is_a_clear_error(postgis_url):
    _, report = load(InputSpec("grids", postgis_url, layer="public.absent"))
    assert report.errors[0].code == "unreadable" and "absent" in report.errors[0].detail


def test_unreachable_server_is_a_clear_error():
    _, report = load(InputSpec("grids", "postgresql://nobody@/none?host=/nonexistent&port=1", layer="t"))
    assert report.errors[0].code == "unreadable" and "PostGIS" in report.errors[0].detail
