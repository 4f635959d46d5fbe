"""Bad inputs as hostile but realistic users bring them, one row each: what is done to the base street,
the command, the class of answer expected, and the words the answer must hold.

Classes: "stop" (exit 1 or 2 with a clear message, nothing written), "warn" (exit 0 and the problem named),
"run" (exit 0, read right).  Every case is also checked for what holds for all of them: no traceback,
every input file unchanged, input records = matched + unmatched, nothing unescaped in the web page.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

GPKG, PROJECT, PEOPLE, EVENTS = "street.gpkg", "street.toml", "people.csv", "events.csv"
WITH_RULES = ("run", "{project}", "--rules", "{folder}/rules.toml")     # the case's own copy of the rules


@dataclass
class Case:
    name: str
    cls: str                       # stop / warn / run
    mutate: object                 # (folder) -> None
    expect: tuple = ()             # words the console output must hold
    argv: tuple = ("run", "{project}")
    people: int | None = None      # input people rows, when the case changes their number
    check: object = None           # (folder, output) -> None: more to assert on the result


# ---- helpers that do to the files what users do ------------------------------------------------------

def edit(name: str, old: str, new: str, count: int = 1):
    def mutate(folder: Path):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def append(name: str, text: str):
    def mutate(folder: Path):
        with open(folder / name, "a", encoding="utf-8") as handle:
            handle.write(text)
    return mutate


def unit_changes_without_item(folder: Path):
    """A register's change export that lost its 变更事项 column."""
    pd.DataFrame({"统一社会信用代码": ["91330105MA00000001"], "变更日期": ["2026-11-01"], "变更后": ["余杭区税务局"]}).to_csv(
        folder / "changes.csv", index=False, encoding="utf-8-sig")
    append(PROJECT, '\n[inputs.unit_changes]\npath = "changes.csv"\n')(folder)


def routing_to_a_centre_nobody_declared(folder: Path):
    (folder / "routing.toml").write_text('[centres.street]\nzh = "街道"\nen = "street"\n[offices.x]\nzh = "x"\nen = "x"\n'
                                         '[fallback]\ncentre = "street"\noffice = "x"\n[[routes]]\nwords = ["盗窃"]\n'
                                         'centre = "police"\noffice = "x"\n', encoding="utf-8")


def frame_of(name: str):
    def read(folder):
        return pd.read_csv(folder / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return read


def change_csv(name: str, change, **write):
    """Read the CSV as text, change the frame, write it back (utf-8 unless told)."""
    def mutate(folder: Path):
        frame = frame_of(name)(folder)
        frame = change(frame)
        frame.to_csv(folder / name, index=False, **{"encoding": "utf-8", **write})
    return mutate


def set_column(name: str, column: str, rows, value):
    def change(frame):
        frame = frame.copy()
        frame.loc[frame.index[rows], column] = value
        return frame
    return change_csv(name, change)


def change_layer(layer: str, change, crs=None):
    """Rewrite one layer of the GeoPackage (the case's own copy)."""
    def mutate(folder: Path):
        frame = gpd.read_file(folder / GPKG, layer=layer)
        frame = change(frame)
        if crs is not None:
            frame = frame.set_crs(crs, allow_override=True)
        pyogrio.write_dataframe(frame, folder / GPKG, layer=layer, driver="GPKG")
    return mutate


def both(*mutations):
    def mutate(folder: Path):
        for one in mutations:
            one(folder)
    return mutate


def layer_to_shapefile(layer: str, kind: str, encoding: str, cpg: str | None):
    """A layer as a shapefile in ``encoding`` with a .cpg saying ``cpg`` (or none), read by the project."""
    def mutate(folder: Path):
        frame = gpd.read_file(folder / GPKG, layer=layer)
        frame = frame.assign(address=frame["address"].fillna("湖滨路1号"))
        path = folder / f"{layer}.shp"
        pyogrio.write_dataframe(frame, path, encoding=encoding)
        folder.joinpath(f"{layer}.cpg").unlink(missing_ok=True)
        if cpg is not None:
            folder.joinpath(f"{layer}.cpg").write_text(cpg, encoding="ascii")
        edit(PROJECT, f'path = "street.gpkg"\nlayer = "{kind}"', f'path = "{layer}.shp"')(folder)
    return mutate


def move_input_into_outputs(folder: Path):
    (folder / "out").mkdir(exist_ok=True)
    (folder / GPKG).rename(folder / "out" / "gridgov_result.gpkg")
    edit(PROJECT, 'path = "street.gpkg"', 'path = "out/gridgov_result.gpkg"', count=99)(folder)


def people_to_xlsx(sheet: str, first_sheet_blank: bool):
    def mutate(folder: Path):
        people = frame_of(PEOPLE)(folder)
        with pd.ExcelWriter(folder / "people.xlsx") as book:
            if first_sheet_blank:
                pd.DataFrame({"说明": ["人口名单见下一页"]}).to_excel(book, sheet_name="说明", index=False)
            people.to_excel(book, sheet_name=sheet, index=False)
        edit(PROJECT, 'path = "people.csv"', 'path = "people.xlsx"\nlayer = "名单"')(folder)
    return mutate


def people_with_a_title(workbook: bool):
    """The people table as registers export it: a title and who filled the form in above the header (a copy:
    people.csv stays, the count of its rows)."""
    def mutate(folder: Path):
        people = frame_of(PEOPLE)(folder)
        title = [["小河街道实有人口登记表"], ["填报单位：小河街道", "", "填报日期：2026-11-30"]]
        if not workbook:
            lines = "\n".join(",".join(row) for row in title)
            (folder / "people_titled.csv").write_text(lines + "\n" + people.to_csv(index=False), encoding="utf-8")
            edit(PROJECT, 'path = "people.csv"', 'path = "people_titled.csv"')(folder)
            return
        import openpyxl
        book = openpyxl.Workbook()
        sheet = book.active
        for row in (*title, list(people.columns), *people.astype(object).where(people.notna(), None).values.tolist()):
            sheet.append(row)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(people.columns))
        book.save(folder / "people.xlsx")
        edit(PROJECT, 'path = "people.csv"', 'path = "people.xlsx"')(folder)
    return mutate


def people_as_an_excel_97_export(folder: Path):
    """The people as an older register exports them: an Excel 97-2003 workbook (tests/data/exports), six rows
    written by address only, a title above the header."""
    shutil.copy(Path(__file__).parents[1] / "data" / "exports" / "people_register.xls", folder / "people.xls")
    edit(PROJECT, 'path = "people.csv"', 'path = "people.xls"')(folder)


def people_as_a_web_page_named_xls(folder: Path):
    """The people as a web system exports them: an HTML table in GBK named .xls, a title cell over the columns."""
    people = frame_of(PEOPLE)(folder)
    cells = lambda row, tag: "".join(f"<{tag}>{'' if pd.isna(v) else v}</{tag}>" for v in row)    # noqa: E731
    page = (f'<html><body><table><tr><td colspan="{len(people.columns)}">小河街道实有人口登记表</td></tr>'
            f"<tr>{cells(people.columns, 'th')}</tr>" + "".join(f"<tr>{cells(row, 'td')}</tr>" for row in people.values)
            + "</table></body></html>")
    (folder / "people.xls").write_bytes(page.encode("gb18030"))
    edit(PROJECT, 'path = "people.csv"', 'path = "people.xls"')(folder)


def people_with_a_footer(folder: Path):
    """The people table as registers end it: a total and who made and checked the form below the rows (a copy:
    people.csv stays, the count of its rows)."""
    footer = "\n合计：共计{n}人\n制表人：张三,,审核人：李四\n"
    people = (folder / PEOPLE).read_text(encoding="utf-8-sig").rstrip("\n")
    (folder / "people_footed.csv").write_text(people + footer.format(n=people.count("\n")), encoding="utf-8")
    edit(PROJECT, 'path = "people.csv"', 'path = "people_footed.csv"')(folder)


def lock_geopackage(folder: Path):
    """Another program holds a write lock on the GeoPackage (left open for the run)."""
    connection = sqlite3.connect(folder / GPKG, timeout=0, check_same_thread=False)
    connection.execute("BEGIN EXCLUSIVE")
    folder.joinpath(".lock").write_text("held")
    LOCKS.append(connection)


LOCKS: list = []


def zip_shapefile(encoding: str, cpg: str | None):
    """The houses as a zipped shapefile, as they are mailed around."""
    def mutate(folder: Path):
        layer_to_shapefile("houses", "houses", encoding, cpg)(folder)
        with zipfile.ZipFile(folder / "houses.zip", "w") as archive:
            for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                if (folder / f"houses{suffix}").exists():
                    archive.write(folder / f"houses{suffix}", f"houses{suffix}")
                    (folder / f"houses{suffix}").unlink()
        edit(PROJECT, 'path = "houses.shp"', 'path = "houses.zip"')(folder)
    return mutate


def stray_points(frame):
    stray = pd.DataFrame({"person_id": [f"STRAY{i}" for i in range(20)], "kind": "户籍",
                          "lon": ["0", "116.40", "-74.0"] * 6 + ["0", "116.40"],
                          "lat": ["0", "39.90", "40.7"] * 6 + ["0", "39.90"]})
    return pd.concat([frame, stray], ignore_index=True)


def events_in_metres(frame):
    """The events' coordinates projected to EPSG:4549 metres, the columns still called lon and lat."""
    points = gpd.GeoSeries(gpd.points_from_xy(frame["lon"].astype(float), frame["lat"].astype(float)), crs=4326)
    metres = points.to_crs(4549)
    return frame.assign(lon=metres.x.round(1).astype(str), lat=metres.y.round(1).astype(str))


def houses_in_metres_labelled_degrees(folder: Path):
    change_layer("houses", lambda f: f, crs="EPSG:4490")(folder)


def roads_cut_at_crossings_removed(frame):
    """Every road as one long unbroken line per name: crossings no longer share a vertex."""
    lines = frame.explode(index_parts=False)
    merged = lines.dissolve("fclass").reset_index()
    merged["geometry"] = [shapely.LineString(shapely.get_coordinates(g)[[0, -1]]) for g in merged.geometry]
    return merged


def base_far_away(frame):
    frame = frame.copy()
    frame.loc[0, "geometry"] = shapely.Point(frame.geometry[0].x + 8000, frame.geometry[0].y)
    return frame


def bow_tie_first(frame):
    """The first footprint redrawn as a bow-tie over its own box (a self-intersecting ring)."""
    x0, y0, x1, y1 = frame.geometry[0].bounds
    frame = frame.copy()
    frame.loc[0, "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    return frame


EVIL = '<img src=x onerror="window.__alerted=1"><script>alert(1)</script>'


def web_page_is_escaped(folder: Path, output: str):
    page = (folder / "out" / "cockpit.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script>alert(1)" not in page


def long_first_address(frame):
    frame = frame.copy()
    frame.loc[0, "address"] = "湖滨路" * 1_000_000 + "1号"
    return frame


def web_page_cuts_long_text(folder: Path, output: str):
    page = (folder / "out" / "cockpit.html").read_text(encoding="utf-8")
    for text in ("湖滨路" * 200, "已截断"):          # as text, or as JSON writes it (\\uXXXX)
        assert (text in page or json.dumps(text)[1:-1] in page) == (text == "已截断")
    assert len(page) < 3_000_000


def reference_time_is_not_the_stray(folder: Path, output: str):
    assert "red 8 " in output            # as on the base street: the 2204 event changes nothing


# ---- the cases --------------------------------------------------------------------------------------

CASES = [
    # files destroyed
    Case("input_gpkg_where_the_result_goes", "stop", move_input_into_outputs, ("would overwrite", "gridgov_result.gpkg")),
    Case("webmap_over_its_own_result", "stop", lambda f: None, ("would overwrite",),
         argv=("webmap", "{result}", "--out", "{result}")),
    Case("atlas_over_its_own_result", "stop", lambda f: None, ("would overwrite",),
         argv=("atlas", "{result}", "--out", "{result}")),
    Case("webmap_over_the_project_file", "stop", lambda f: None, ("would overwrite",),
         argv=("webmap", "{result}", "--out", "{project}")),
    Case("output_dir_is_a_file", "stop", edit(PROJECT, 'dir = "out"', 'dir = "people.csv"'), ("not a folder",)),
    Case("output_dir_cannot_be_made", "stop", edit(PROJECT, 'dir = "out"', 'dir = "/proc/gridgov-out"'),
         ("cannot write",)),
    # the project file
    Case("misspelt_section_output", "stop", edit(PROJECT, "[outputs]", "[output]"), ("did you mean [outputs]",)),
    Case("misspelt_key_crss", "stop", edit(PROJECT, '[street]\n', '[street]\ncrss = "EPSG:4549"\n'),
         ("did you mean crs",)),
    Case("misspelt_kind_house", "stop", edit(PROJECT, "[inputs.houses]", "[inputs.house]"),
         ("did you mean [inputs.houses]",)),
    Case("misspelt_key_pth", "stop", edit(PROJECT, 'path = "people.csv"', 'pth = "people.csv"'), ("did you mean path",)),
    Case("unknown_encoding", "stop", edit(PROJECT, 'path = "people.csv"', 'path = "people.csv"\nencoding = "klingon"'),
         ("klingon", "encoding")),
    Case("unknown_crs", "stop", edit(PROJECT, '[street]\n', '[street]\ncrs = "EPSG:999999"\n'), ("EPSG:999999",)),
    Case("project_not_toml", "stop", append(PROJECT, "\nthis is = = not toml\n"), ("not valid TOML",)),
    Case("project_in_gbk", "stop", lambda f: (f / PROJECT).write_bytes((f / PROJECT).read_text("utf-8").encode("gb18030")),
         ("UTF-8",)),
    Case("project_missing", "stop", lambda f: (f / PROJECT).unlink(), ("file not found",)),
    Case("input_file_missing", "stop", lambda f: (f / PEOPLE).unlink(), ("file not found",)),
    Case("street_name_not_text", "stop", edit(PROJECT, 'name = "湖滨测试街道"', "name = 5"), ("name", "text")),
    Case("outputs_dir_not_text", "stop", edit(PROJECT, 'dir = "out"', "dir = 5"), ("dir", "text")),
    Case("field_mapped_to_a_missing_column", "stop",
         edit(PROJECT, 'path = "people.csv"', 'path = "people.csv"\n[inputs.people.fields]\nperson_id = "编号"'),
         ("编号",)),
    Case("input_kind_given_twice_as_table_and_string", "stop",
         append(PROJECT, '\n[inputs.sensors]\npath = 5\n'), ("path",)),
    # the rule file
    Case("rules_negative_weight", "stop", edit("rules.toml", "weight = 40", "weight = -40"),
         ("weight", "line"), argv=WITH_RULES),
    Case("rules_nan_weight", "stop", edit("rules.toml", "weight = 40", "weight = nan"),
         ("weight", "finite"), argv=WITH_RULES),
    Case("rules_negative_cap", "stop", edit("rules.toml", "cap = 20", "cap = -1"),
         ("cap",), argv=WITH_RULES),
    Case("rules_zero_half_life", "stop", edit("rules.toml", "half_life_days = 90", "half_life_days = 0"),
         ("half_life_days",), argv=WITH_RULES),
    Case("rules_channel_weight_text", "stop", edit("rules.toml", "grid = 1.0", 'grid = "high"'),
         ("grid", "number"), argv=WITH_RULES),
    Case("rules_window_days_text", "stop", edit("rules.toml", "window_days = 45", 'window_days = "sixty"'),
         ("window_days",), argv=WITH_RULES),
    Case("rules_misspelt_section", "stop", edit("rules.toml", "\n[levels]\n", "\n[level]\n"),
         ("did you mean [levels]",), argv=WITH_RULES),
    Case("rules_misspelt_factor", "stop", edit("rules.toml", "[factors.under_care]", "[factors.under_cares]"),
         ("did you mean under_care",), argv=WITH_RULES),
    Case("rules_share_above_one", "stop", edit("rules.toml", "threshold = 0.3", "threshold = 1.5"),
         ("threshold",), argv=WITH_RULES),
    Case("rules_cut_offs_reversed", "stop", both(edit("rules.toml", 'by = "share"', 'by = "score"'),
                                                  edit("rules.toml", "yellow = 0.15", "yellow = 14"),
                                                  edit("rules.toml", "red = 0.05", "red = 10")),
         ("out of order",), argv=WITH_RULES),
    Case("rules_missing", "stop", lambda f: None, ("file not found",),
         argv=("run", "{project}", "--rules", "{folder}/nope.toml")),
    Case("rules_trigger_level_purple", "stop", edit("rules.toml", 'level = "yellow"', 'level = "purple"'),
         ("purple",), argv=WITH_RULES),
    Case("rules_unknown_key_in_levels", "stop", edit("rules.toml", "red = 28", "red = 28\norange = 20"),
         ("orange",), argv=WITH_RULES),
    # values
    Case("one_event_dated_2204", "warn", set_column(EVENTS, "reported_at", [0], "2204-01-01 08:00"),
         ("date_in_future", "2204"), check=reference_time_is_not_the_stray),
    Case("one_event_dated_1900", "warn", set_column(EVENTS, "reported_at", [0], "1900-01-01 08:00"),
         ("date_implausible", "1900")),
    Case("dates_written_in_chinese", "run", change_csv(EVENTS, lambda f: f.assign(
        reported_at=pd.to_datetime(f["reported_at"]).dt.strftime("%Y年%-m月%-d日"))), ("red 8 ",)),
    Case("dates_with_slashes", "run", change_csv(EVENTS, lambda f: f.assign(
        reported_at=pd.to_datetime(f["reported_at"]).dt.strftime("%Y/%-m/%-d %H:%M"))), ("red 8 ",)),
    Case("dates_as_excel_serials", "run", change_csv(EVENTS, lambda f: f.assign(
        reported_at=((pd.to_datetime(f["reported_at"]) - pd.Timestamp("1899-12-30")).dt.days).astype(str))),
         ("red 8 ",)),
    Case("dates_day_first", "warn", change_csv(EVENTS, lambda f: f.assign(
        reported_at=pd.to_datetime(f["reported_at"]).dt.strftime("%d/%m/%Y"))), ("bad_value", "reported_at")),
    Case("id_numbers_as_excel_numbers", "warn", change_csv(PEOPLE, lambda f: f.assign(
        id_number=["3.30105199001011E+17"] * len(f))), ("digits_lost", "id_number")),
    Case("infinite_coordinates", "warn", set_column(PEOPLE, "lon", [150, 151, 152], "inf"), ("bad_coordinates",)),
    Case("overflowing_coordinates", "warn", set_column(PEOPLE, "lon", [150, 151], "1e999"), ("bad_coordinates",)),
    Case("metres_in_lonlat_columns", "warn", both(set_column(PEOPLE, "lon", [150, 151], "512345.6"),
                                                  set_column(PEOPLE, "lat", [150, 151], "3345678.9")),
         ("bad_coordinates",)),
    Case("all_events_in_metres_under_lonlat_names", "stop", change_csv(EVENTS, events_in_metres),
         ("columns lon / lat", "not degrees", "EPSG:4549")),
    Case("houses_in_metres_labelled_cgcs2000_degrees", "stop", houses_in_metres_labelled_degrees,
         ("EPSG:4490", "EPSG:4549")),
    Case("twenty_stray_points", "warn", change_csv(PEOPLE, stray_points), ("far_from_street", "EPSG:4549"),
         people=None),
    Case("blank_ids", "stop", set_column(PEOPLE, "person_id", [0, 1], ""), ("missing_id", "row 0, row 1")),
    Case("empty_houses_layer", "stop", change_layer("houses", lambda f: f.iloc[:0]), ("houses", "no features")),
    Case("duplicate_house_ids", "stop", change_layer("houses", lambda f: f.assign(
        house_id=["OSM_DUP"] * 2 + list(f["house_id"][2:]))), ("duplicate",)),
    Case("html_in_an_address", "run", set_column(PEOPLE, "address", [0], EVIL), (),
         check=web_page_is_escaped),
    Case("ten_megabyte_house_address", "run", change_layer("houses", long_first_address), (),
         check=web_page_cuts_long_text),
    Case("empty_people_table", "run", change_csv(PEOPLE, lambda f: f.iloc[:0]), (), people=0),
    Case("people_table_with_semicolons", "run", change_csv(PEOPLE, lambda f: f, sep=";"), ("exact",)),
    Case("people_table_in_gbk", "run", change_csv(PEOPLE, lambda f: f, encoding="gb18030"), ("exact",)),
    Case("people_table_garbage_bytes", "stop", lambda f: (f / PEOPLE).write_bytes(bytes(range(256)) * 50),
         ("people.csv",)),
    Case("geopackage_that_is_text", "stop", lambda f: (f / GPKG).write_text("hello"), ("street.gpkg",)),
    Case("geopackage_layer_name_wrong", "stop", edit(PROJECT, 'layer = "bases"', 'layer = "base"'),
         ("has no layer 'base'; its layers:", "'bases'")),
    Case("xlsx_on_its_second_sheet", "run", people_to_xlsx("名单", first_sheet_blank=True), ("exact",)),
    Case("xlsx_sheet_name_wrong", "stop", both(people_to_xlsx("人口", first_sheet_blank=True)),
         ("has no sheet '名单'; its sheets: '说明', '人口'",)),
    Case("geopackage_locked", "stop", lock_geopackage, ("locked",)),
    # encodings
    Case("utf8_shapefile_whose_cpg_says_936", "warn", layer_to_shapefile("houses", "houses", "utf-8", "936"),
         ("encoding_mismatch", "UTF-8")),
    Case("gbk_shapefile_whose_cpg_says_utf8", "warn", layer_to_shapefile("houses", "houses", "gb18030", "UTF-8"),
         ("encoding_mismatch",)),
    Case("gbk_shapefile_without_cpg", "run", layer_to_shapefile("houses", "houses", "gb18030", None), ("exact",)),
    Case("zipped_shapefile", "run", zip_shapefile("utf-8", "UTF-8"), ("exact",)),
    Case("zipped_gbk_shapefile_without_cpg", "run", zip_shapefile("gb18030", None), ("exact", "encoding gb18030")),
    Case("zipped_utf8_shapefile_whose_cpg_says_936", "warn", zip_shapefile("utf-8", "936"), ("encoding_mismatch",)),
    # networks and bases
    Case("roads_not_noded_at_crossings", "warn", change_layer("roads", roads_cut_at_crossings_removed),
         ("network_fragmented",)),
    Case("base_eight_km_away", "warn", change_layer("bases", base_far_away), ("base_far_from_road",)),
    Case("no_roads_at_all", "warn", edit(PROJECT, '[inputs.roads]\npath = "street.gpkg"\nlayer = "roads"\n', ""),
         ("straight line",)),
    Case("roads_of_unknown_classes_only", "warn", change_layer("roads", lambda f: f.assign(fclass="path_x")),
         ("roads_class_unknown",)),
    Case("z_coordinates_on_houses", "warn", change_layer("houses", lambda f: f.set_geometry(
        shapely.force_3d(f.geometry.to_numpy(), 12.5))), ("z_dropped",)),
    Case("bow_tie_house", "warn", change_layer("houses", bow_tie_first), ("invalid_geometry",)),
    # more shapes of the same troubles
    Case("houses_drawn_as_lines", "stop", change_layer("houses", lambda f: f.set_geometry(f.geometry.boundary)),
         ("wrong_geometry_type",)),
    Case("roads_drawn_as_polygons", "stop", change_layer("roads", lambda f: f.set_geometry(f.geometry.buffer(0.0001))),
         ("wrong_geometry_type",)),
    Case("people_table_tab_separated", "run", change_csv(PEOPLE, lambda f: f, sep="\t"), ("exact",)),
    Case("people_table_an_empty_file", "stop", lambda f: (f / PEOPLE).write_bytes(b""), ("is empty: no header and no rows",)),
    Case("people_table_with_a_title_above_its_header", "run", people_with_a_title(workbook=False),
         ("rows above the table's header, a title, were skipped: 小河街道实有人口登记表 / 填报单位：小河街道 "
          "填报日期：2026-11-30",)),
    Case("people_workbook_with_a_title_above_its_header", "run", people_with_a_title(workbook=True),
         ("rows above the table's header, a title, were skipped: 小河街道实有人口登记表",)),
    Case("people_as_an_excel_97_workbook", "run", people_as_an_excel_97_export,
         ("rows above the table's header, a title, were skipped: 小河街道实有人口登记表",), people=6),
    Case("people_as_a_web_page_named_xls", "run", people_as_a_web_page_named_xls,
         ("rows above the table's header, a title, were skipped: 小河街道实有人口登记表", "exact")),
    Case("people_workbook_that_is_no_workbook", "stop", both(
        lambda f: (f / "people.xlsx").write_bytes(b"\x00\x01\x02binary" * 500),
        edit(PROJECT, 'path = "people.csv"', 'path = "people.xlsx"')), ("neither an Excel workbook",)),
    Case("people_saved_as_excel_unicode_text", "run", lambda f: (
        (f / "people.txt").write_bytes(frame_of(PEOPLE)(f).to_csv(sep="\t", index=False).encode("utf-16")),
        edit(PROJECT, 'path = "people.csv"', 'path = "people.txt"')(f)), ("exact",)),
    Case("people_table_with_a_total_and_who_made_it_below", "run", people_with_a_footer,
         ("rows below the table, a total or who made and checked the form, were skipped: 合计：共计",)),
    Case("people_columns_named_twice", "run", change_csv(PEOPLE, lambda f: f.assign(extra=f["address"]).rename(
        columns={"extra": "address"})), ("exact",)),
    Case("rules_not_utf8", "stop", lambda f: (f / "rules.toml").write_bytes(
        (f / "rules.toml").read_text("utf-8").replace("# gridgov", "# 网格 gridgov").encode("gb18030")),
         ("UTF-8",), argv=WITH_RULES),
    Case("input_path_is_a_folder", "stop", edit(PROJECT, 'path = "events.csv"', 'path = "."'), ("events",)),
    Case("event_status_in_unknown_words", "warn", set_column(EVENTS, "status", [0, 1, 2], "搁置中"),
         ("unknown_value", "搁置中")),
    Case("event_channel_column_missing", "stop", change_csv(EVENTS, lambda f: f.drop(columns=["channel"])),
         ("missing_required_field", "channel")),
    Case("people_table_of_unknown_columns", "stop", change_csv(PEOPLE, lambda f: f.rename(
        columns={"person_id": "编码X"})), ("missing_required_field", "person_id")),
    Case("all_coordinates_swapped", "warn", change_csv(PEOPLE, lambda f: f.rename(columns={"lon": "lat", "lat": "lon"})),
         ("swapped_coordinates",)),
    # the closed loop's and the watch's own files
    Case("unit_changes_without_item", "stop", unit_changes_without_item, ("item",)),
    Case("routing_to_an_undeclared_centre", "stop", routing_to_a_centre_nobody_declared, ("names centre 'police'",),
         argv=("run", "{project}", "--routing", "{folder}/routing.toml")),
]
