"""The PostGIS reader against a real PostgreSQL/PostGIS server started for these tests."""

import pytest
import shapely
import sqlalchemy

from gridgov.layers import Project, load_street
from gridgov.layers.project import InputSpec

pytestmark = pytest.mark.postgis


@pytest.fixture(scope="module")
def postgis_url(postgis_server):
    """The server, with a table of grids named and fielded in Chinese."""
    engine = sqlalchemy.create_engine(postgis_server)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(
            'CREATE TABLE IF NOT EXISTS public."网格" (wgbh text, 网格名称 text, geom geometry(Polygon, 4549))'))
        connection.execute(sqlalchemy.text('DELETE FROM public."网格"'))
        for code, name, x in (("WG001", "小河路社区第1网格", 513000), ("WG002", "湖墅南路社区第2网格", 513100)):
            connection.execute(sqlalchemy.text(
                'INSERT INTO public."网格" VALUES (:c, :n, ST_GeomFromText(:w, 4549))'),
                {"c": code, "n": name, "w": shapely.box(x, 3353000, x + 100, 3353100).wkt})
    engine.dispose()
    return postgis_server


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
