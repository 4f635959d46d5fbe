"""Every reader on real files, in every format and encoding a street's data comes in."""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gridgov.grid_tools.matching import HouseIndex, match_addresses
from gridgov.grid_tools.options import JoinOptions
from gridgov.layers import Project, load_street
from gridgov.layers.errors import InputError
from gridgov.layers.project import InputSpec
from gridgov.layers.readers import read_source

from helpers import codes, sha256

GRIDS = gpd.GeoDataFrame(
    {"网格编号": ["WG001", "WG002"], "网格名称": ["小河路社区第1网格", "湖墅南路社区第2网格"]},
    geometry=[shapely.box(513000, 3353000, 513100, 3353100), shapely.box(513100, 3353000, 513200, 3353100)],
    crs="EPSG:4549")
PEOPLE = pd.DataFrame({
    "人员编号": ["P1", "P2", "P3"],
    "姓名": ["张三", "李四", "王五"],
    "经度": ["120.141", "", "30.301"],      # P3 has lon and lat swapped
    "纬度": ["30.302", "", "120.142"],
    "居住地址": ["浙江省杭州市拱墅区小河路488号3幢2单元301室", "小河路４８８号三栋", None],
})


def load(spec) -> tuple:
    street = load_street(Project(name="t", inputs={spec.kind: spec}))
    return street.layers.get(spec.kind), street.report


def test_geopackage(tmp_path):
    GRIDS.to_file(tmp_path / "g.gpkg", layer="grids")
    frame, report = load(InputSpec("grids", str(tmp_path / "g.gpkg")))
    assert list(frame["grid_id"]) == ["WG001", "WG002"]
    assert frame["name"][0] == "小河路社区第1网格"
    assert report.ok and report.layers[0].fields == {"grid_id": "网格编号", "name": "网格名称"}


def test_geopackage_with_several_layers_needs_a_layer_name(tmp_path):
    GRIDS.to_file(tmp_path / "g.gpkg", layer="wangge")
    GRIDS.to_file(tmp_path / "g.gpkg", layer="other")
    _, report = load(InputSpec("grids", str(tmp_path / "g.gpkg")))
    assert "unreadable" in codes(report)
    assert "name one with layer" in report.errors[0].detail


@pytest.mark.parametrize("encoding, keep_cpg", [("GBK", False), ("GBK", True), ("UTF-8", False)])
def test_shapefile_encodings(tmp_path, encoding, keep_cpg):
    path = tmp_path / "grids.shp"
    # A .dbf field name holds 10 bytes: 4 Chinese characters in GBK, 3 in UTF-8.
    grids = GRIDS if encoding == "GBK" else GRIDS.rename(columns={"网格编号": "WGBH", "网格名称": "WGMC"})
    grids.to_file(path, encoding=encoding)
    if not keep_cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    frame, report = load(InputSpec("grids", str(path)))
    assert frame["name"].tolist() == GRIDS["网格名称"].tolist()
    assert report.ok


def test_geojson(tmp_path):
    GRIDS.to_crs(4326).to_file(tmp_path / "g.geojson", driver="GeoJSON")
    frame, report = load(InputSpec("grids", str(tmp_path / "g.geojson")))
    assert frame.crs.to_epsg() == 4549 and report.crs == "EPSG:4549"
    assert frame.geometry.area.round().tolist() == [10000, 10000]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_encodings_with_lonlat_and_address_only_rows(tmp_path, encoding):
    path = tmp_path / "people.csv"
    PEOPLE.to_csv(path, index=False, encoding=encoding)
    raw = read_source(InputSpec("people", str(path)))
    assert raw.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030"}[encoding]
    frame, report = load(InputSpec("people", str(path)))
    assert frame["name"].tolist() == ["张三", "李四", "王五"]
    assert frame.geometry.isna().tolist() == [False, True, False]
    assert frame["address"][1] == "小河路４８８号三栋"
    swapped = next(f for f in report.findings if f.code == "swapped_coordinates")
    assert swapped.count == 1 and swapped.examples == ["P3"]
    assert frame.geometry[0].distance(frame.geometry[2]) < 200   # P3 lands next to P1 once swapped


def test_csv_xy_needs_a_crs_unless_degrees(tmp_path):
    table = pd.DataFrame({"人员编号": ["P1"], "X坐标": [513050.0], "Y坐标": [3353050.0], "地址": ["x"]})
    table.to_csv(tmp_path / "p.csv", index=False)
    _, report = load(InputSpec("people", str(tmp_path / "p.csv")))
    assert "no_crs" in codes(report) and "p.csv" in report.errors[0].source
    frame, report = load(InputSpec("people", str(tmp_path / "p.csv"), crs="EPSG:4549"))
    assert report.ok and frame.geometry[0].x == pytest.approx(513050.0)


def test_csv_with_named_coordinate_columns(tmp_path):
    table = pd.DataFrame({"rybh": ["P1"], "GPS_E": ["120.141"], "GPS_N": ["30.302"]})
    table.to_csv(tmp_path / "p.csv", index=False)
    frame, report = load(InputSpec("people", str(tmp_path / "p.csv"), x="GPS_E", y="GPS_N",
                                   fields={"person_id": "rybh"}))
    assert frame.geometry[0] is not None and report.ok
    with pytest.raises(InputError, match="GPS_X"):
        read_source(InputSpec("people", str(tmp_path / "p.csv"), x="GPS_X", y="GPS_N"))



def test_coordinates_typed_full_width_or_too_large_for_a_number(tmp_path):
    """Full-width digits (an export typed on a Chinese input method) are a place; 1e999 is no place, said so,
    on pandas 2 as on 3 (pandas 2 reads 1e999 as no number: the record would be one with no coordinates)."""
    table = pd.DataFrame({"人员编号": ["P1", "P2", "P3"], "经度": ["１２０.１４１", "1e999", "120.142"],
                          "纬度": ["３０.３０２", "30.302", "30.301"]})
    table.to_csv(tmp_path / "p.csv", index=False)
    frame, report = load(InputSpec("people", str(tmp_path / "p.csv")))
    assert frame.geometry.isna().tolist() == [False, True, False]
    assert frame.geometry[0].distance(frame.geometry[2]) < 200
    no_place = next(f for f in report.findings if f.code == "bad_coordinates")
    assert no_place.count == 1 and no_place.examples == ["P2"]

def test_xlsx(tmp_path):
    path = tmp_path / "people.xlsx"
    PEOPLE.to_excel(path, index=False, sheet_name="实有人口")
    frame, report = load(InputSpec("people", str(path)))
    assert frame["person_id"].tolist() == ["P1", "P2", "P3"]
    assert frame["address"][0].startswith("浙江省杭州市拱墅区")
    assert report.layers[0].format == "XLSX"


def test_xlsx_a_header_only_template_sheet_beside_the_data_and_an_empty_workbook(tmp_path):
    """A workbook whose first sheet is the export's empty template (a header, no rows) reads its data sheet; one
    with no cells at all is an error saying so."""
    path = tmp_path / "people.xlsx"
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"姓名": [], "居住地址": []}).to_excel(book, sheet_name="模板", index=False)
        pd.DataFrame({"姓名": ["张三", "李四"], "居住地址": ["和睦新村12幢", "小河路1号"]}).to_excel(
            book, sheet_name="名单", index=False)
    raw = read_source(InputSpec("people", str(path)))
    assert raw.frame["居住地址"].tolist() == ["和睦新村12幢", "小河路1号"] and raw.title == ""
    pd.DataFrame().to_excel(tmp_path / "blank.xlsx", index=False)
    with pytest.raises(InputError, match="is empty"):
        read_source(InputSpec("people", str(tmp_path / "blank.xlsx")))


REGISTER_XLS = Path(__file__).parent / "data" / "exports" / "people_register.xls"


def test_an_excel_97_workbook_as_older_registers_export_it():
    """tests/data/exports/people_register.xls, an Excel 97-2003 (BIFF8) workbook made with xlwt 1.3.0 as older
    registers export it: a notes sheet before the data sheet, a merged title and who filled it in above the header,
    phone numbers stored as numbers. Read as it is (was: "text is neither UTF-8 nor GBK"), every row, the title
    said, numbers as their digits, and each address onto its house."""
    raw = read_source(InputSpec("people", str(REGISTER_XLS)))
    assert raw.format == "XLS" and len(raw.frame) == 6
    assert raw.title == "小河街道实有人口登记表 / 填报单位：小河街道 填报日期：2026-11-30"
    assert raw.frame["联系电话"].tolist()[:2] == ["13800000001", "13800000002"]
    assert raw.frame["公民身份号码"][0] == "330105199001010011"
    houses = gpd.GeoDataFrame({"house_id": list("ABCDE"), "address": [
        "小河路356号13幢", "小河路356号12幢", "和睦新村12幢", "新塘村3组12号", "新塘村4组12号"]},
        geometry=[shapely.box(i, 0, i + 1, 1) for i in range(5)], crs=4549)
    found = match_addresses(raw.frame["居住地址"], HouseIndex(houses, JoinOptions()))["house"].tolist()
    assert found == [0, 2, 3, 0, 2, 1]


def test_a_web_page_or_text_saved_as_a_workbook_is_read_as_what_it_is(tmp_path):
    """Web systems export an HTML table, or tab-separated text, named .xls (Excel opens both with a warning):
    read as what the bytes are, in GBK too, the title's one cell spanning the columns skipped as a title, a
    phone number's leading zero kept."""
    rows = "".join(f"<tr><td>{i}</td><td>{a}</td><td>0571{i:07d}</td></tr>"
                   for i, a in enumerate(["小河路356号13幢", "和睦新村12-3-502"], start=1))
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>'
            '<table border="1"><tr><td colspan="3">小河街道实有人口登记表</td></tr>'
            f"<tr><th>人员编号</th><th>居住地址</th><th>联系电话</th></tr>{rows}</table></body></html>")
    (tmp_path / "web.xls").write_bytes(page.encode("gbk"))
    raw = read_source(InputSpec("people", str(tmp_path / "web.xls")))
    assert raw.format == "HTML table" and raw.encoding == "gb18030" and raw.title == "小河街道实有人口登记表"
    assert raw.frame["居住地址"].tolist() == ["小河路356号13幢", "和睦新村12-3-502"]
    assert raw.frame["联系电话"].tolist() == ["05710000001", "05710000002"]
    (tmp_path / "tabs.xls").write_bytes("人员编号\t居住地址\nP1\t小河路356号13幢\n".encode("gbk"))
    assert read_source(InputSpec("people", str(tmp_path / "tabs.xls"))).frame["居住地址"].tolist() == ["小河路356号13幢"]
    (tmp_path / "junk.xlsx").write_bytes(b"\x00\x01binary\x00" * 100)
    with pytest.raises(InputError, match="neither an Excel workbook"):
        read_source(InputSpec("people", str(tmp_path / "junk.xlsx")))
    # an Office file holding no workbook, as a password-protected one is (the fixture's Workbook stream renamed)
    locked = REGISTER_XLS.read_bytes().replace("Workbook".encode("utf-16-le"), "Xorkbook".encode("utf-16-le"))
    (tmp_path / "locked.xlsx").write_bytes(locked)
    with pytest.raises(InputError, match="a workbook with a password, or another Office document"):
        read_source(InputSpec("people", str(tmp_path / "locked.xlsx")))
    (tmp_path / "no_table.xls").write_text("<html><body>登录已过期</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="no table"):
        read_source(InputSpec("people", str(tmp_path / "no_table.xls")))


def test_rows_below_a_table_a_total_and_who_made_it_are_no_records(tmp_path):
    """Registers end with a total and who made and checked the form (合计, 制表人, 审核人), and empty rows: skipped
    and said, in CSV and XLSX; a record whose note begins so (备注 column: 注：新搬入) is still a record."""
    rows = [["人员编号", "居住地址", "备注"], ["P1", "小河路356号13幢", "注：新搬入"], ["P2", "和睦新村12-3-502", ""],
            ["", "", ""], ["合计：2人", "", ""], ["制表人：张三", "审核人：李四", "制表日期：2026-11-30"]]
    (tmp_path / "p.csv").write_text("\n".join(",".join(row) for row in rows), encoding="gbk")
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(tmp_path / "p.xlsx", index=False)
    for name in ("p.csv", "p.xlsx"):
        raw = read_source(InputSpec("people", str(tmp_path / name)))
        assert raw.frame["人员编号"].tolist() == ["P1", "P2"], name
        assert raw.footer == "合计：2人 / 制表人：张三 审核人：李四 制表日期：2026-11-30", name
    _, report = load(InputSpec("people", str(tmp_path / "p.csv")))
    assert [f.code for f in report.findings if f.code.endswith("skipped")] == ["footer_rows_skipped"]


def test_layer_without_crs_is_an_error_naming_the_file(tmp_path):
    GRIDS.set_crs(None, allow_override=True).to_file(tmp_path / "nocrs.shp", encoding="GBK")
    (tmp_path / "nocrs.prj").unlink(missing_ok=True)
    _, report = load(InputSpec("grids", str(tmp_path / "nocrs.shp")))
    assert [f.code for f in report.errors] == ["no_crs"]
    assert "nocrs.shp" in report.errors[0].source
    frame, report = load(InputSpec("grids", str(tmp_path / "nocrs.shp"), crs="EPSG:4549"))
    assert report.ok and len(frame) == 2


def test_missing_file_and_garbage_file(tmp_path):
    _, report = load(InputSpec("grids", str(tmp_path / "absent.gpkg")))
    assert "file not found" in report.errors[0].detail
    (tmp_path / "broken.gpkg").write_bytes(b"not a geopackage")
    _, report = load(InputSpec("grids", str(tmp_path / "broken.gpkg")))
    assert report.errors[0].code == "unreadable"


def test_reading_never_modifies_inputs(tmp_path):
    GRIDS.to_file(tmp_path / "g.shp", encoding="GBK")
    (tmp_path / "g.cpg").unlink()
    PEOPLE.to_csv(tmp_path / "p.csv", index=False, encoding="gbk")
    PEOPLE.to_excel(tmp_path / "p.xlsx", index=False)
    files = sorted(p for p in tmp_path.iterdir())
    before = {p: sha256(p) for p in files}
    load_street(Project(name="t", inputs={
        "grids": InputSpec("grids", str(tmp_path / "g.shp")),
        "people": InputSpec("people", str(tmp_path / "p.csv")),
        "units": InputSpec("units", str(tmp_path / "p.xlsx"), fields={"unit_id": "人员编号"}),
    }))
    assert sorted(tmp_path.iterdir()) == files
    assert {p: sha256(p) for p in files} == before


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_csv_delimiters_are_recognised(tmp_path, sep):
    (tmp_path / "p.csv").write_text(sep.join(["人员编号", "姓名", "居住地址"]) + "\n"
                                    + sep.join(["P1", "张三", "小河路488号3幢"]) + "\n", encoding="utf-8")
    frame, report = load(InputSpec("people", str(tmp_path / "p.csv")))
    assert frame["name"].tolist() == ["张三"] and frame["address"].tolist() == ["小河路488号3幢"]


def test_geopackage_with_boolean_fields(tmp_path):
    """GDAL before 3.8.3 misreads booleans through Arrow: such layers (a result file fed back in) still read."""
    path = tmp_path / "flags.gpkg"
    gpd.GeoDataFrame({"house_id": ["H1", "H2"], "covered": [True, False]},
                     geometry=[shapely.Point(0, 0), shapely.Point(1, 1)], crs="EPSG:4549").to_file(path)
    frame = read_source(InputSpec("houses", str(path))).frame
    assert frame["covered"].tolist() == [True, False]


def test_a_layer_already_in_memory_without_geometry_needs_no_crs():
    """A table of addresses handed over by QGIS (no geometry, so no CRS) is read like an address-only CSV."""
    people = gpd.GeoDataFrame({"人员编号": ["P1"], "姓名": ["张三"], "地址": ["小河路1号1幢"]}, geometry=[None])
    frame, report = load(InputSpec("people", "QGIS layer 人口", frame=people))
    assert report.ok and frame["address"].tolist() == ["小河路1号1幢"] and frame.crs is not None


def test_a_sheet_open_as_written_is_read_as_its_records():
    """A spreadsheet QGIS opened with its title and header among the rows (fields Field1 …): the records under
    the header's names, at their own rows; a sheet whose first row is a record keeps it (its address has a number)."""
    from gridgov.layers.tables import records_of_sheet

    cells = pd.DataFrame([["小河街道实有人口登记表", None], ["人员编号", "居住地址"], ["P1", "小河路356号13幢"],
                          ["P2", "和睦新村12幢"], ["合计：2人", None]], columns=["Field1", "Field2"])
    read = records_of_sheet(cells, "Field2")
    assert read.table.to_dict("index") == {2: {"人员编号": "P1", "居住地址": "小河路356号13幢"},
                                           3: {"人员编号": "P2", "居住地址": "和睦新村12幢"}}
    assert (read.title, read.footer) == ("小河街道实有人口登记表", "合计：2人")
    headless = records_of_sheet(cells.iloc[2:4], "Field2")
    assert list(headless.table.index) == [2, 3] and list(headless.table.columns) == ["Field1", "Field2"]
    named = records_of_sheet(cells.iloc[1:].set_axis(["编号", "地址"], axis=1), "地址")
    assert list(named.table.index) == [1, 2, 3] and named.footer == "合计：2人"
    titled_csv = records_of_sheet(cells.iloc[1:].set_axis(["小河街道实有人口登记表", "field_2"], axis=1), "field_2")
    assert list(titled_csv.table.index) == [2, 3] and titled_csv.title == "小河街道实有人口登记表"
    assert list(titled_csv.table.columns) == ["人员编号", "居住地址"]
    one_unnamed = records_of_sheet(cells.iloc[2:4].set_axis(["人员编号", "field_2"], axis=1), "field_2")
    assert list(one_unnamed.table.columns) == ["人员编号", "field_2"] and list(one_unnamed.table.index) == [2, 3]
