"""Outputs: never over an input or a file of another kind, written whole, with the user's permissions."""
import os
import stat

import geopandas as gpd
import pytest
import shapely

from gridgov.layers import InputError
from gridgov.layers.geopackage import check_output, write_geopackage, write_text


@pytest.fixture
def umask_022():
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_get_the_users_permissions_not_owner_only(tmp_path, umask_022):
    page = write_text(tmp_path / "cockpit.html", "<p>ok</p>", suffixes=(".html",))
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(0, 0)], crs=4549)
    result = write_geopackage(tmp_path / "r.gpkg", {"houses": frame})
    assert mode(page) == 0o644 and mode(result) == 0o644      # a web server can serve the page
    os.umask(0o077)
    assert mode(write_text(tmp_path / "private.json", "{}")) == 0o600


def test_an_output_never_replaces_an_input_or_a_file_of_another_kind(tmp_path):
    (tmp_path / "street.gpkg").write_bytes(b"input")
    with pytest.raises(InputError, match="would overwrite an input of this run"):
        check_output(tmp_path / "." / "street.gpkg", (".gpkg",), inputs=[str(tmp_path / "street.gpkg")])
    with pytest.raises(InputError, match="would overwrite a .gpkg file with a .html"):
        write_text(tmp_path / "street.gpkg", "<html>", suffixes=(".html",))
    assert (tmp_path / "street.gpkg").read_bytes() == b"input"
    assert check_output(tmp_path / "new" / "page.html", (".html",)) == tmp_path / "new" / "page.html"


def test_unwritable_places_are_said_in_words(tmp_path):
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        write_text(tmp_path / "a_file" / "report.json", "{}")
    with pytest.raises(InputError, match="cannot write here"):
        write_text("/proc/gridgov-test/report.json", "{}")
    with pytest.raises(InputError, match="is a folder"):
        check_output(tmp_path, (".gpkg",))


def test_huge_record_layers_are_written_without_an_r_tree_small_ones_with(tmp_path, monkeypatch):
    import sqlite3

    from gridgov.layers import geopackage

    monkeypatch.setattr(geopackage, "UNINDEXED_FROM", 50)
    points = shapely.points(range(60), range(60))
    layers = {"people_matched": gpd.GeoDataFrame({"n": range(60)}, geometry=points, crs=4549),
              "houses": gpd.GeoDataFrame({"n": range(10)}, geometry=points[:10], crs=4549)}
    path = geopackage.write_geopackage(tmp_path / "r.gpkg", layers)
    with sqlite3.connect(path) as db:
        trees = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'rtree_%' AND type = 'table'")}
    assert any(t.startswith("rtree_houses") for t in trees) and not any(t.startswith("rtree_people") for t in trees)
    assert len(gpd.read_file(path, layer="people_matched")) == 60
