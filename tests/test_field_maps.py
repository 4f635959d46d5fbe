"""Field maps: one page per grid, read back from the PDF (pdfinfo, pdftotext, pdffonts, pdftoppm)."""
import re
import subprocess
import sys

import numpy as np
import pyogrio
import pytest

from gridgov.atlas.export import make_field_maps
from gridgov.atlas.layout import TEMPLATE

pytestmark = pytest.mark.qgis    # starts QGIS: runs after the core's tests (conftest.py)


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def page_text(path, page) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def atlas(tiny_results, tmp_path_factory):
    out = tmp_path_factory.mktemp("maps") / "field_maps.pdf"
    make_field_maps(tiny_results, out, qgz=out.with_suffix(".qgz"))
    return out


def test_one_page_per_grid_with_its_name_and_red_houses(atlas, tiny_results):
    grids = pyogrio.read_dataframe(tiny_results, layer="grids", read_geometry=False).sort_values("grid_id")
    houses = pyogrio.read_dataframe(tiny_results, layer="houses", read_geometry=False)
    assert pdf_pages(atlas) == len(grids) == 82
    checked = 0
    for page, grid in enumerate(grids.itertuples(), start=1):
        text = re.sub(r"\s+", "", page_text(atlas, page))
        assert grid.name in text and grid.grid_id in text, page
        red = houses[(houses["grid_id"] == grid.grid_id) & (houses["risk_level"] == "red")]
        for address in red["address"].head(5):
            short = re.sub(r"^.*?[市区县](?=[^市区县]*?[路街巷弄道])", "", address)
            assert short in text, (page, short)
            checked += 1
    assert checked > 0


def test_chinese_text_is_embedded_and_no_personal_data(atlas, tiny_results):
    fonts = subprocess.run(["pdffonts", str(atlas)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line]
    assert cjk and all(" yes " in line for line in cjk)
    text = subprocess.run(["pdftotext", str(atlas), "-"], capture_output=True, text=True, check=True).stdout
    assert "© OpenStreetMap contributors" in text and "图例" in text
    people = pyogrio.read_dataframe(tiny_results, layer="people_matched", read_geometry=False, max_features=200)
    for column in ("name", "id_number", "phone"):
        assert not any(value in text for value in people[column].dropna() if len(value) >= 3), column


def test_a_rendered_page_has_a_map(atlas, tmp_path):
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "50", "-gray", str(atlas), str(tmp_path / "p")], check=True)
    image = next(tmp_path.glob("p*.pgm")).read_bytes()
    width, height = map(int, image.split(b"\n")[1].split())
    pixels = np.frombuffer(image[-width * height:], dtype=np.uint8).reshape(height, width)
    map_area = pixels[int(height * 0.1):int(height * 0.6), int(width * 0.05):int(width * 0.95)]
    assert (map_area < 250).mean() > 0.05 and map_area.std() > 10


def test_every_word_stays_inside_the_page_margins(atlas):
    """Chinese text has no spaces for a table to wrap at: a reason or an address must still not run off."""
    html = subprocess.run(["pdftotext", "-bbox", str(atlas), "-"], capture_output=True, text=True, check=True).stdout
    outside = []
    for number, (width, body) in enumerate(re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', html,
                                                      flags=re.S), start=1):
        right_margin = float(width) - 9 * 72 / 25.4          # the page's 10 mm margin, less a millimetre
        outside += [(number, word) for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)<', body)
                    if float(x_max) > right_margin]
    assert not outside, outside[:5]


@pytest.fixture(scope="module")
def changes(tiny_results, tmp_path_factory):
    """A changes file as gridgov compare writes it: three red houses, in three grids, were yellow last run."""
    import geopandas as gpd

    houses = gpd.read_file(tiny_results, layer="houses")
    newly_red = houses[houses["risk_level"] == "red"].drop_duplicates("grid_id").head(3)
    changed = newly_red[["house_id", "address", "grid_id", "geometry"]].assign(old_level="yellow", new_level="red")
    path = tmp_path_factory.mktemp("changes") / "changes.gpkg"
    changed.to_file(path, layer="level_changes")
    return path, list(newly_red["grid_id"])


def test_pages_mark_the_houses_turned_red_and_list_the_overdue_events(tiny_results, changes, tmp_path):
    path, changed_grids = changes
    events = pyogrio.read_dataframe(tiny_results, layer="events_matched", read_geometry=False)
    overdue = events[events["overdue"].astype(bool)]
    busiest = overdue["grid_id"].value_counts().index[0]
    quiet = sorted(set(events["grid_id"].dropna()) - set(overdue["grid_id"]) - set(changed_grids))[0]
    grids = sorted({*changed_grids, busiest, quiet})
    out = make_field_maps(tiny_results, tmp_path / "maps.pdf", grid_ids=grids, changes=path)[0]
    for page, grid in enumerate(grids, start=1):
        text = re.sub(r"\s+", "", page_text(out, page))
        assert "较上次新增红色" in text
        assert ("红↑" in text) == (grid in changed_grids), grid
        mine = overdue[overdue["grid_id"] == grid].sort_values("reported_at")
        assert f"超期未办结事件{len(mine)}件" in text, grid
        for reported in mine["reported_at"].head(4):
            assert reported.strftime("%y-%m-%d") in text, (grid, reported)
        if mine.empty:
            assert "本网格无超期未办结事件" in text


def test_a_changes_file_that_is_not_one_gets_a_clear_message(tiny_results, tmp_path):
    result = subprocess.run([sys.executable, "-m", "gridgov", "atlas", str(tiny_results), "--out",
                             str(tmp_path / "maps.pdf"), "--changes", str(tiny_results)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 2 and "not a file of gridgov compare" in result.stderr, result.stderr
    assert not (tmp_path / "maps.pdf").exists()


def test_the_project_holds_the_layout(atlas):
    assert atlas.with_suffix(".qgz").stat().st_size > 1000


def test_chosen_grids_one_file_each_and_a3(tiny_results, tmp_path):
    paths = make_field_maps(tiny_results, tmp_path / "each", per_grid=True, grid_ids=["WG001", "WG002"])
    assert [p.name for p in paths] == ["field_map_WG001.pdf", "field_map_WG002.pdf"]
    a3 = make_field_maps(tiny_results, tmp_path / "a3.pdf", paper="A3", grid_ids=["WG003"])[0]
    info = subprocess.run(["pdfinfo", str(a3)], capture_output=True, text=True, check=True).stdout
    assert "A3" in info and pdf_pages(a3) == 1


def test_unknown_grid_ids_get_a_clear_message(tiny_results, tmp_path):
    result = subprocess.run([sys.executable, "-m", "gridgov", "atlas", str(tiny_results), "--out",
                             str(tmp_path / "maps.pdf"), "--grids", "NOPE"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "no grid has the ID(s) NOPE" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "maps.pdf").exists()


def test_the_command_line(tiny_results, tmp_path):
    result = subprocess.run([sys.executable, "-m", "gridgov", "atlas", str(tiny_results), "--out",
                             str(tmp_path / "maps.pdf"), "--grids", "WG010"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert pdf_pages(tmp_path / "maps.pdf") == 1 and "wrote 1 PDF" in result.stdout


def test_the_template_in_resources_loads_in_qgis():
    from qgis.core import QgsPrintLayout, QgsProject, QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    from gridgov.atlas.headless import start_qgis

    start_qgis()
    document = QDomDocument()
    assert document.setContent(TEMPLATE.read_text(encoding="utf-8"))
    layout = QgsPrintLayout(QgsProject.instance())
    layout.loadFromTemplate(document, QgsReadWriteContext())
    ids = {item.id() for item in layout.items() if hasattr(item, "id")}
    assert {"main_map", "overview", "legend", "scale_bar", "north_arrow", "title", "sources"} <= ids


def page_items(qpt) -> dict:
    """Each item of a layout template: its type, position and (where the data does not set it) size."""
    import xml.etree.ElementTree as ET

    items = {}
    for item in ET.parse(qpt).getroot().iter("LayoutItem"):
        data_sized = item.get("id") in ("legend", "scale_bar")      # they fit what the map shows
        items[item.get("id")] = (item.get("type"), item.get("position"), None if data_sized else item.get("size"))
    return items


def test_the_template_in_resources_is_what_the_builder_makes(tiny_results, tmp_path):
    """`make templates` was run after the last change to the page (else: run it)."""
    from qgis.core import QgsProject

    from gridgov.atlas.export import add_field_maps
    from gridgov.atlas.headless import start_qgis
    from gridgov.atlas.layout import save_template

    start_qgis()
    project = QgsProject()
    fresh = save_template(add_field_maps(project, tiny_results), tmp_path / "fresh.qpt")
    assert page_items(fresh) == page_items(TEMPLATE), "run `make templates`"
    assert len(page_items(fresh)) >= 10
