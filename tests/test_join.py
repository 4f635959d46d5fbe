"""Gathering records onto houses: every step of the cascade, every bad input, nothing lost."""
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gridgov.grid_tools.join import join_street
from gridgov.grid_tools.options import JoinOptions
from gridgov.layers.gcj02 import wgs84_to_gcj02

from helpers import street_from_frames

CRS = "EPSG:4549"
X0, Y0 = 513000, 3353000


def box(x, y, w=20, h=12):
    return shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


def point(x, y):
    return shapely.Point(X0 + x, Y0 + y)


HOUSES = gpd.GeoDataFrame({
    "house_id": ["H1", "H2", "H3", "H4", "H5", "H6"],
    "address": ["浙江省杭州市拱墅区小河路1号1幢", "浙江省杭州市拱墅区小河路1号2幢", "浙江省杭州市拱墅区湖墅南路8号1幢",
                "浙江省杭州市拱墅区湖墅南路10号1幢", "浙江省杭州市拱墅区小河路3号1幢", "浙江省杭州市拱墅区小何街3号1幢"],
}, geometry=[box(0, 0), box(40, 0), box(100, 0), box(140, 0), box(0, 60), box(100, 60)], crs=CRS)
GRIDS = gpd.GeoDataFrame({"grid_id": ["G1", "G2"], "patrol_zone_id": ["P1", "P1"]},
                         geometry=[shapely.box(X0 - 50, Y0 - 50, X0 + 80, Y0 + 100),
                                   shapely.box(X0 + 80, Y0 - 50, X0 + 400, Y0 + 100)], crs=CRS)
PATROL = gpd.GeoDataFrame({"patrol_zone_id": ["P1"], "defense_zone_id": ["D1"]},
                          geometry=[shapely.box(X0 - 50, Y0 - 50, X0 + 400, Y0 + 100)], crs=CRS)
DEFENSE = gpd.GeoDataFrame({"defense_zone_id": ["D1"]}, geometry=[shapely.box(X0 - 50, Y0 - 50, X0 + 400, Y0 + 100)],
                           crs=CRS)

# person_id: (address, point, the house it should land on or the reason it cannot)
CASES = {
    "exact": ("浙江省杭州市拱墅区小河路1号1幢", None, "H1"),
    "normalised": ("小河路１号二栋３单元３０１室", None, "H2"),
    "numeral_building": ("湖墅南路8号一号楼", None, "H3"),
    "fuzzy": ("拱墅区湖墅男路10号1幢", None, "H4"),
    "single_building": ("湖墅南路8号", None, "H3"),
    "inside": (None, point(105, 5), "H3"),
    "nearest": (None, point(70, 5), "H2"),
    "too_far": (None, point(300, 80), "too_far"),
    "nowhere": (None, None, "no_location"),
    "other_street": ("杭州市西湖区文三路90号1幢", None, "road_unknown+no_coordinates"),
    "which_building": ("小河路1号", None, "building_missing+no_coordinates"),
    "tie": ("小何路3号1幢", None, "ambiguous+no_coordinates"),
    "no_number": ("小河路旁边", point(2, 2), "H1"),     # unparsable address, coordinates save it
    "conflict": ("小河路1号1幢", point(140, 5), "H1"),  # address wins, flagged
}


def people_frame(cases=CASES):
    return gpd.GeoDataFrame({
        "person_id": list(cases), "address": [c[0] for c in cases.values()],
        "id_number": [f"33010519900101{i:03d}X" for i in range(len(cases))],
    }, geometry=[c[1] for c in cases.values()], crs=CRS)


@pytest.fixture
def joined(tmp_path):
    street = street_from_frames(tmp_path, houses=HOUSES, grids=GRIDS, patrol_zones=PATROL, defense_zones=DEFENSE,
                                people=people_frame())
    return join_street(street)


def test_every_step_of_the_cascade(joined):
    people = joined.records["people"].set_index("person_id")
    for name, (_, _, expected) in CASES.items():
        got = people.loc[name, "house_id"] if expected.startswith("H") else people.loc[name, "unmatched_reason"]
        assert got == expected, name
    methods = people["match_method"]
    assert methods["exact"] == "exact" and methods["normalised"] == "normalised"
    assert methods["fuzzy"] == "fuzzy" and 0 < people.loc["fuzzy", "match_score"] < 100
    assert methods["inside"] == "location_inside" and methods["nearest"] == "location_nearest"
    assert 0 < people.loc["nearest", "match_distance_m"] <= 30
    assert people.loc["normalised", ["unit", "room"]].tolist() == ["3", "301"]


def test_an_ambiguous_address_names_the_houses_it_could_be(joined, tmp_path):
    people = joined.records["people"].set_index("person_id")
    assert people.loc["which_building", "candidate_houses"] == "2: H1, H2"      # 小河路1号: building 1 or 2
    assert people.loc["tie", "candidate_houses"] == "2: H5, H6"                 # 小何路: 小河路 or 小何街
    assert people["candidate_houses"].notna().sum() == 2                        # nobody else is ambiguous
    # in the result file they are said in the unmatched table; a matched record has no such columns
    unmatched = joined.unmatched.set_index("record_id")
    assert unmatched.loc["which_building", "candidate_houses"] == "2: H1, H2"
    assert "candidate_houses" not in joined.matched("people") and "unmatched_reason" not in joined.matched("people")
    twins = HOUSES.assign(address=HOUSES["address"].where(HOUSES["house_id"] != "H4", HOUSES["address"][2]))
    street = street_from_frames(tmp_path, houses=twins, grids=GRIDS, patrol_zones=PATROL, defense_zones=DEFENSE,
                                people=people_frame({"same": (HOUSES["address"][2], None, "")}))
    same = join_street(street).records["people"].iloc[0]
    assert same["unmatched_reason"] == "address_shared+no_coordinates" and same["candidate_houses"] == "2: H3, H4"


def test_address_and_coordinates_that_disagree_are_flagged(joined):
    people = joined.records["people"].set_index("person_id")
    assert people["location_conflict"].sum() == 1 and people.loc["conflict", "location_conflict"]
    assert "location_conflict" in {f.code for f in joined.report.findings}


def test_nothing_is_lost(joined):
    unmatched = joined.unmatched
    assert len(joined.matched("people")) + len(unmatched) == len(CASES)
    assert set(unmatched["reason"]) == {"too_far", "no_location", "road_unknown+no_coordinates",
                                        "building_missing+no_coordinates", "ambiguous+no_coordinates"}
    row = unmatched.set_index("record_id").loc["other_street"]
    assert row["reason_zh"] == "道路或村不在本街道；无坐标可供空间匹配"
    report = joined.match_report
    assert report["records"].sum() == len(CASES) and report["share"].sum() == pytest.approx(1)


def test_houses_get_zones_and_counts(joined):
    houses = joined.houses.set_index("house_id")
    assert houses.loc["H1", "grid_id"] == "G1" and houses.loc["H3", "grid_id"] == "G2"
    assert houses.loc["H3", "defense_zone_id"] == "D1"
    assert houses["people"].to_dict() == {"H1": 3, "H2": 2, "H3": 3, "H4": 1, "H5": 0, "H6": 0}


def test_duplicate_people_are_linked_and_counted_once(tmp_path):
    people = people_frame({"a": ("小河路1号1幢", None, ""), "b": ("小河路1号1幢3单元", None, ""),
                           "c": ("小河路1号2幢", None, "")})
    people["id_number"] = ["330105199001010011", "330105199001010011", "330105199001010038"]
    joined = join_street(street_from_frames(tmp_path, houses=HOUSES, people=people))
    frame = joined.records["people"].set_index("person_id")
    assert frame["duplicate_of"].fillna("").tolist() == ["", "a", ""]
    assert joined.houses.set_index("house_id")["people"]["H1"] == 1
    assert len(joined.matched("people")) == 3          # kept, not dropped
    assert any(f.code == "duplicate_people" and f.count == 1 for f in joined.report.findings)


def test_gcj02_coordinates_are_detected_and_shifted_back(tmp_path):
    truth = gpd.GeoSeries([box(x, 5, 2, 2).centroid for x in (5, 45, 105, 145)] * 3, crs=CRS).to_crs(4326)
    lon, lat = wgs84_to_gcj02(truth.x.to_numpy(), truth.y.to_numpy())
    addresses = ["小河路1号1幢", "小河路1号2幢", "湖墅南路8号1幢", "湖墅南路10号1幢"] * 2 + [None] * 4
    events = gpd.GeoDataFrame({"event_id": [f"E{i}" for i in range(12)], "channel": ["12345"] * 12,
                               "address": addresses}, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    joined = join_street(street_from_frames(tmp_path, houses=HOUSES, events=events))
    frame = joined.records["events"]
    assert frame["gcj02"].all()
    assert frame["house_id"].tolist() == ["H1", "H2", "H3", "H4"] * 3   # location-only ones too
    assert not frame["location_conflict"].any()
    warning = next(f for f in joined.report.findings if f.code == "gcj02_coordinates")
    assert warning.count == 12 and "12345" in warning.message("en") and "GCJ-02" in warning.message("zh")


def test_swapped_coordinates_from_a_gbk_csv_still_land(tmp_path):
    from gridgov.layers import Project, load_street
    from gridgov.layers.project import InputSpec

    HOUSES.to_file(tmp_path / "h.gpkg", layer="houses")
    where = gpd.GeoSeries([box(100, 0).centroid], crs=CRS).to_crs(4326)
    pd.DataFrame({"人员编号": ["P1", "P2"], "姓名": ["张三", "李四"],
                  "经度": [where.y[0], None], "纬度": [where.x[0], None], "居住地址": [None, "小河路1号2幢"]}
                 ).to_csv(tmp_path / "people.csv", index=False, encoding="gbk")
    street = load_street(Project(name="t", inputs={
        "houses": InputSpec("houses", str(tmp_path / "h.gpkg")),
        "people": InputSpec("people", str(tmp_path / "people.csv"))}))
    assert "swapped_coordinates" in {f.code for f in street.report.findings}
    joined = join_street(street)
    assert joined.records["people"]["house_id"].tolist() == ["H3", "H2"]


def test_an_empty_people_file(tmp_path):
    empty = gpd.GeoDataFrame({"person_id": [], "address": []}, geometry=[], crs=CRS)
    joined = join_street(street_from_frames(tmp_path, houses=HOUSES, people=empty))
    assert len(joined.records["people"]) == 0 and len(joined.unmatched) == 0
    assert (joined.houses["people"] == 0).all()


def test_events_get_dispatch_keys_even_without_a_house(tmp_path):
    events = gpd.GeoDataFrame({
        "event_id": ["on_house", "in_g2_no_house", "nowhere"], "channel": ["grid", "110", "12345"],
        "reported_at": ["2026-11-01", "2026-11-02", "2025-01-01"], "status": ["已办结", "办理中", "办理中"],
        "address": ["小河路1号1幢", None, None]},
        geometry=[point(300, 300), point(300, 80), None], crs=CRS)
    joined = join_street(street_from_frames(tmp_path, houses=HOUSES, grids=GRIDS, patrol_zones=PATROL,
                                            defense_zones=DEFENSE, events=events))
    frame = joined.records["events"].set_index("event_id")
    assert frame.loc["on_house", "grid_id"] == "G1"              # from its house, not its (wrong) point
    assert frame.loc["in_g2_no_house", ["grid_id", "patrol_zone_id", "defense_zone_id"]].tolist() == ["G2", "P1", "D1"]
    assert pd.isna(frame.loc["in_g2_no_house", "house_id"])
    assert pd.isna(frame.loc["nowhere", "grid_id"])
    h1 = joined.houses.set_index("house_id").loc["H1"]
    assert h1["events"] == 1 and h1["events_grid"] == 1 and h1["events_open"] == 0


def test_event_counts_follow_the_window(tmp_path):
    events = gpd.GeoDataFrame({
        "event_id": ["new", "month", "old"], "channel": ["fire_iot", "96315", "96315"],
        "reported_at": ["2026-11-30", "2026-11-05", "2025-06-01"], "address": ["小河路1号1幢"] * 3},
        geometry=[None] * 3, crs=CRS)
    street = street_from_frames(tmp_path, houses=HOUSES, events=events)
    h1 = join_street(street).houses.set_index("house_id").loc["H1"]
    assert (h1["events"], h1["events_fire_iot"], h1["events_96315"], h1["alarms_recent"]) == (2, 1, 1, 1)
    h1 = join_street(street, JoinOptions(window_days=1000)).houses.set_index("house_id").loc["H1"]
    assert h1["events"] == 3 and h1["events_recent"] == 2


def test_the_demo_street_every_record_accounted_and_matched_right(tiny_street):
    joined = join_street(tiny_street)
    unmatched = joined.unmatched
    for kind in ("people", "units", "events", "sensors"):
        records = joined.records[kind]
        assert len(records) == len(tiny_street.layers[kind])
        assert len(joined.matched(kind)) + (unmatched["source"] == kind).sum() == len(records), kind
        matched = joined.matched(kind)
        right = (matched["house_id"] == matched["synthetic_house_id"]).mean()
        assert right > 0.97, (kind, right)
        assert len(matched) / len(records) > 0.95, kind
    methods = set(joined.records["people"]["match_method"].dropna())
    assert methods == {"exact", "normalised", "fuzzy", "compound", "location_inside", "location_nearest"}
    events = joined.records["events"]
    assert events.loc[events["channel"] == "12345", "gcj02"].mean() > 0.5
    placed = events["house_id"].notna() | events.geometry.within(tiny_street.grids.union_all())
    assert events.loc[placed, "grid_id"].notna().all() and placed.mean() > 0.97
    assert joined.houses["grid_id"].notna().all()
    assert np.isin(["people", "renters", "events_12345", "sensors", "units_prepaid"], joined.houses.columns).all()


def by_form(joined) -> pd.DataFrame:
    """right / wrong shares of address-written records per form the generator wrote them in (its own field)."""
    frames = []
    for kind in ("people", "units", "events"):
        records = joined.records[kind]
        records = records[records["address"].notna() & (records["synthetic_address_form"] != "other_street")]
        right = records["house_id"].to_numpy() == records["synthetic_house_id"].to_numpy()
        frames.append(pd.DataFrame({"form": records["synthetic_address_form"].to_numpy(), "right": right,
                                    "wrong": records["house_id"].notna().to_numpy() & ~right}))
    return pd.concat(frames).groupby("form").agg(n=("right", "size"), right=("right", "mean"), wrong=("wrong", "mean"))


def test_the_demo_writes_records_by_their_compound_and_they_land_right(tiny_street):
    """The demo's houses are in named compounds (小河新村) and a share of records name the compound, not the
    road, in the forms of real exports; each form on the house the generator put the record in."""
    from gridgov.demo.addresses import COMPOUND_FORMS

    result = by_form(join_street(tiny_street))
    assert set(COMPOUND_FORMS) | {"road"} <= set(result.index), result
    assert (result["right"] >= 0.97).all() and (result["wrong"] <= 0.003).all(), result
    assert result.loc[list(COMPOUND_FORMS), "n"].sum() >= 50


def test_a_village_street_writes_village_addresses_and_they_land_right():
    """On a street of villages (新塘) half the homes are villagers' houses, 新塘村3组12号, and their records
    come in the village forms (no group, 三组, 3队, with the street, a room); numbered compounds (新城十九区) too."""
    from gridgov.demo import build_demo
    from gridgov.demo.addresses import VILLAGE_FORMS
    from gridgov.layers import Street
    from gridgov.layers.report import Report

    demo = build_demo("xintang", scale=0.1)
    layers = {kind: frame.to_crs(4549) for kind, frame in demo.layers.items()}
    houses = layers["houses"]
    village = houses[houses["village"].notna()]
    assert 0.2 <= len(village) / len(houses) <= 0.6
    assert village["address"].str.match(r"^浙江省杭州市萧山区新塘街道\D+村\d+组\d+号$").all()
    assert not village.duplicated(["village", "road_no"]).any()      # door numbers run through the village
    assert set(village["village"]) <= set(layers["communities"]["name"])
    result = by_form(join_street(Street("xintang", houses.crs, layers, Report())))
    assert set(VILLAGE_FORMS) <= set(result.index), result
    assert (result["right"] >= 0.97).all() and (result["wrong"] <= 0.003).all(), result
    assert result.loc[list(VILLAGE_FORMS), "n"].min() >= 30


def test_an_alias_table_gives_a_house_its_other_door_numbers_and_names(tmp_path):
    """地址别名: a building on a corner with two door numbers, one known by its name; the table is a CSV as
    exported, read through the project file like any input."""
    from gridgov.layers import load_project
    from gridgov.layers.street import load_street

    pd.DataFrame({"别名": ["小河路5号", "小河大厦", "小河路7号"], "房屋编号": ["H5", "H5", "H4"]}).to_csv(
        tmp_path / "地址别名.csv", index=False, encoding="utf-8-sig")
    cases = {"door": ("小河路5号3单元201室", None, "H5"), "name": ("拱墅区小河大厦", None, "H5"),
             "own": ("小河路3号1幢", None, "H5"), "other": ("小河路7号", None, "H4")}
    street = street_from_frames(tmp_path, houses=HOUSES, grids=GRIDS, patrol_zones=PATROL, defense_zones=DEFENSE,
                                people=people_frame(cases))
    project = load_project(_project_with_aliases(tmp_path, street))
    people = join_street(load_street(project)).records["people"].set_index("person_id")["house_id"]
    assert people.to_dict() == {name: case[2] for name, case in cases.items()}


def _project_with_aliases(folder, street):
    """A project file naming the street's layers and the alias table by its file name alone."""
    lines = ["[street]", 'name = "aliases"', "[inputs.address_library]", 'path = "地址别名.csv"']
    for kind in ("houses", "grids", "patrol_zones", "defense_zones", "people"):
        lines += [f"[inputs.{kind}]", 'path = "input.gpkg"', f'layer = "{kind}"']
    (folder / "street.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "street.toml"


def test_an_address_split_into_columns_is_written_back_and_matched(tmp_path):
    """三实 exports often carry the address in columns (街路巷, 门(楼)牌号, 小区名称, 楼栋号, 单元号, 户室号, 所属村,
    村民小组), numbers as numbers: an XLSX written so is matched as the one-column address would be; a record
    that has its address in one column keeps it; the user's file is not touched."""
    from gridgov.layers import load_street
    from gridgov.layers.project import InputSpec, Project

    houses = pd.concat([HOUSES, gpd.GeoDataFrame({"house_id": ["V1", "C1"], "address": ["新塘村3组12号", "和睦新村12幢"]},
                                                 geometry=[box(0, 30), box(40, 30)], crs=CRS)], ignore_index=True)
    rows = pd.DataFrame({
        "人员编号": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "居住地址": [None, None, None, None, "湖墅南路8号1幢", None],
        "街路巷": ["拱墅区小河路", "小河路", None, None, "小河路", None],
        "门(楼)牌号": [1, "1号", None, 12, 1, None],
        "小区名称": [None, None, "和睦新村", None, None, None],
        "楼栋号": [2, "二幢", 12, None, 1, None],
        "单元号": [3, None, "3单元", None, None, None],
        "户室号": [301, None, 502, None, None, None],
        "所属村": [None, None, None, "新塘村", None, None],
        "村民小组": [None, None, None, "3", None, None],
    })
    path = tmp_path / "实有人口.xlsx"
    rows.to_excel(path, index=False)
    before = path.read_bytes()
    frames = {"houses": houses, "grids": GRIDS, "patrol_zones": PATROL, "defense_zones": DEFENSE}
    for kind, frame in frames.items():
        frame.to_file(tmp_path / "input.gpkg", layer=kind, driver="GPKG")
    inputs = {kind: InputSpec(kind, str(tmp_path / "input.gpkg"), layer=kind) for kind in frames}
    inputs["people"] = InputSpec("people", str(path))
    street = load_street(Project(name="test", inputs=inputs))
    written = [f for f in street.report.findings if f.code == "address_from_parts"]
    assert len(written) == 1 and written[0].count == 4, written
    people = join_street(street).records["people"].set_index("person_id")
    assert people.loc["P1", "address"] == "拱墅区小河路1号2幢3单元301室"
    assert people["house_id"].tolist()[:5] == ["H2", "H2", "C1", "V1", "H3"]
    assert people.loc[["P1", "P3"], "room"].tolist() == ["301", "502"]
    assert people.loc["P6", "unmatched_reason"] == "no_location"
    assert path.read_bytes() == before


def test_a_standard_address_code_takes_the_record_to_its_house_before_any_text(tmp_path):
    """一标三实 records carry the standard address code (标准地址编码) of their address; a house's own code or a
    library entry's names the house, whatever the record's text says; an unknown or shared code decides
    nothing and the text goes on as before."""
    from gridgov.grid_tools.explain import explain_record

    houses = HOUSES.assign(地址编码=["3301050010010001", None, "3301050010010003", "X1", "X1", None])
    library = pd.DataFrame({"标准地址": ["小河路1号2幢3单元301室"], "房屋编号": ["H2"], "标准地址编码": ["3301050010010002 "]})
    people = pd.DataFrame({"person_id": ["A", "B", "C", "D", "E"],
                           "address": ["小河路1号2幢", None, "随便写的", "小河路3号1幢", None],
                           "地址编码": ["3301050010010001", "3301050010010002", "3301050010010003", "X1", "NOPE"]})
    street = street_from_frames(tmp_path, houses=houses, grids=GRIDS, patrol_zones=PATROL, defense_zones=DEFENSE,
                                people=gpd.GeoDataFrame(people, geometry=[None] * 5, crs=CRS),
                                address_library=gpd.GeoDataFrame(library, geometry=[None], crs=CRS))
    joined = join_street(street)
    got = joined.records["people"].set_index("person_id")
    assert got["house_id"].tolist()[:4] == ["H1", "H2", "H3", "H5"]
    assert got["match_method"].tolist()[:3] == ["address_code"] * 3
    assert got.loc["D", "match_method"] == "normalised"          # X1 is two houses' code: the text decides
    assert got.loc["E", "unmatched_reason"] == "code_unknown+no_coordinates"
    assert not [f for f in street.report.findings if f.code == "no_location"]      # a code locates a record
    from gridgov.grid_tools.matching import HouseIndex
    index = HouseIndex(street.houses, JoinOptions(), street.layers.get("address_library"))
    text = explain_record(joined, index, "A")
    assert "0 standard address code 3301050010010001: house H1" in text and "→ house H1 by address_code" in text


def test_address_columns_from_number_fields_are_written_as_numbers():
    """A GeoPackage or shapefile field of floats gives 12.0 for 门牌号 12: written 12号, not 12.0号."""
    from gridgov.layers.address_parts import written_addresses

    frame = pd.DataFrame({"road": ["小河路", "小河路"], "road_no": [12.0, None], "building": [3.0, 2.0],
                          "room_no": ["0502", None]})
    assert written_addresses(frame).tolist() == ["小河路12号3幢0502室", "小河路2幢"]
