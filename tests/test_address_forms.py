"""Addresses as people write them: every form onto the right house, never onto a wrong one.

Records are written from each house's true parts in the forms found in real 三实 exports, on the demo
street (road + door number + building) and on a street of real OSM footprints addressed by residential
compound only; each form must land at least 97 % right and at most 0.3 % wrong.
"""
from pathlib import Path

import numpy as np
import opencc
import pandas as pd
import pytest

from gridgov.demo.addresses import chinese_numeral
from gridgov.grid_tools.address import components, parse
from gridgov.grid_tools.explain import _address_steps
from gridgov.grid_tools.matching import HouseIndex, match_addresses
from gridgov.grid_tools.options import JoinOptions

import real_streets

ROAD_FORMS = {
    "standard": "{road}{no}号{b}幢{u}单元{r}室",
    "building_unit_room_shorthand": "{road}{no}号{b}-{u}-{r}",
    "all_numbers": "{road}{no}-{b}-{u}-{r}",
    "building_in_full_width_brackets": "{road}{no}号（{b}幢）{u}单元",
    "building_in_brackets": "{road}{no}号({b}幢)",
    "no_号_a_space": "{road}{no} {b}幢",
    "chinese_numerals_and_栋": "{road}{no}号{cb}栋{u}单元",
    "号楼": "{road}{no}号{b}号楼{r}室",
    "province_city_district_street_community": "浙江省杭州市拱墅区小河街道小河社区{road}{no}号{b}幢",
    "trailing_note": "{road}{no}号{b}幢（北门）",
    "two_door_numbers": "{road}{no}、{no2}号{b}幢",
    "a_span_of_floors": "{road}{no}号{b}幢1-3层",
    "a_floor_below_ground": "{road}{no}号{b}栋负一楼",
    "copied_from_a_web_page": "\ufeff{road}\u200b{no}号{b}\u2010{u}\u2013{r}",     # a BOM, a zero-width space, dashes
    "#_for_号": "{road}{no}#{b}#楼{u}单元{r}室",
    "traditional_characters": "{road_t}{no}號{b}棟{u}單元{r}室",
    "formal_numerals": "{road}{formal_no}号{formal_b}幢",
}
COMPOUND_FORMS = {
    "compound_building_unit_room": "{compound}{b}幢{u}单元{r}室",
    "compound_shorthand": "{compound}{b}-{u}-{r}",
    "compound_numerals_and_栋": "{compound}{cb}栋",
    "compound_with_city_and_district": "杭州市上城区{compound}{b}幢{u}单元",
    "compound_with_community": "湖滨社区{compound}{b}号楼{r}室",
    "road_before_the_compound": "平海路{compound}{b}幢{u}单元{r}室",
    "place_before_the_compound": "拱宸桥{compound}{b}幢{u}单元{r}室",
    "village_before_the_compound": "西湖街道龙井村{compound}{b}-{r}",
    "room_with_号_after_the_unit": "{compound}{b}幢{u}单元{r}号",
    "一_for_the_hyphen": "{compound}{b}一{u}一{r}",
    "hyphens_after_the_words": "{compound}{b}幢-{u}单元-{r}室",
    "county_city_after_its_city": "浙江省杭州市建德市{compound}{b}栋{u}单元{r}",
    "city_and_county_without_suffix": "杭州建德{compound}{b}幢{u}单元{r}室",
    "words_after_the_room": "{compound}{b}幢{u}单元{r}室东门电联",
    "a_phase_the_street_does_not_name": "{compound}一期{b}幢{u}单元{r}室",
    "a_phase_counted_with_第": "{compound}第一期{b}幢{u}单元{r}室",
    "a_building_counted_with_第": "{compound}第{cb}栋",
    "an_area_the_street_does_not_name": "{compound}三区{b}-{u}-{r}",
    "小区_put_on_or_taken_off": "{other_way}{b}幢{u}单元{r}室",       # 和睦新村小区, 青园 for 青园小区
    "the_compound_word_left_out": "{short}{b}幢{u}单元{r}室",        # 和睦 for 和睦新村, 湖滨 for 湖滨花园
    "the_compound_in_brackets_after": "{b}幢{u}单元{r}室（{compound}）",
    "a_shop_numbered_after_the_building": "{compound}{b}幢商铺{u}号",
    "written_twice": "{compound}{b}幢{compound}{b}幢{r}室",
    "traditional_characters": "{compound_t}{b}棟{u}單元{r}室",
    "formal_numerals": "{compound}{formal_b}幢",
}

VILLAGE_FORMS = {
    "standard": "浙江省杭州市萧山区新塘街道{village}{group}组{no}号",
    "village_group_number": "{village}{group}组{no}号",
    "without_the_group": "{village}{no}号",
    "group_in_chinese_numerals": "{village}{cg}组{no}号",
    "队_for_the_group": "{village}{group}队{no}号",
    "第_村民小组": "{village}第{cg}村民小组{no}号",
    "street_and_village": "新塘街道{village}{group}组{no}号",
    "rented_room": "{village}{group}组{no}号{r}室",
    "door_number_in_words": "{village}{group}组{cn}号",
    "trailing_note": "{village}{group}组{no}号（出租房）",
    "two_door_numbers": "萧山区{village}{group}组{no}、{no2}号",
    "村委会_for_the_village": "{village}委会{group}组{no}号",
    "村委_and_村村委": "{village}村委{group}组{no}号",
    "zeros_filling_the_fields": "{village}0{group}组00{no}号",
    "no_号_after_the_group": "{village}{group}组{no}",
    "a_hamlet_for_the_group": "{village}张家{no}号",       # a natural village (自然村) of it where the group would be
    "a_hamlet_named_so": "萧山区{village}下徐自然村{no}号",
    "traditional_characters": "{village_t}{group}組{no}號",
    "formal_numerals": "{village}{formal_group}组{formal_no}号",
}

# an old city's door numbers (real_streets.door_houses): each kind of house, and the forms its records come in
DOOR_FORMS = {
    "lane": {"city_and_district": "杭州市上城区{address}", "a_room": "{address}{r}室",
             "lane_in_numerals": "{on_road}{cl}弄{door}号",
             "a_building_the_street_does_not_name": "{address}2幢{u}单元{r}室"},      # the house has none
    "sub_lane": {"city": "杭州市{address}", "a_room": "{address}{r}室",
                 "sub_lane_in_numerals": "{on_road}{lane}弄{cs}支弄{door}号"},
    "suffix": {"city_and_district": "杭州市上城区{address}", "号_after_the_suffix_and_a_room": "{on_road}{door}号{mark_号}{r}室",
               "之_in_digits": "{on_road}{door}号{mark_digits}",
               "a_building_the_street_does_not_name": "{on_road}{door}号{mark_号}3幢"},
    "letter": {"幢_for_座_and_a_room": "{on_road}{door}号{letter}幢{r}室", "lower_case": "杭州市{on_road}{door}号{lower}座"},
    "side": {"a_room": "{address}{r}室", "city_and_a_floor": "杭州市{address}5层", "栋_for_楼": "{on_road}{door}号{letter}栋"},
}


def traditional(names: pd.Series) -> pd.Series:
    """和睦新村 → 和睦新村, 湖滨花园 → 湖濱花園: names as a traditional input method writes them."""
    return names.map(opencc.OpenCC("s2t").convert)


def formal(number) -> str:
    """356 → 叁佰伍拾陆, as contracts and certificates write numbers (大写)."""
    return chinese_numeral(int(number)).translate(str.maketrans("一二三四五六七八九十百", "壹贰叁肆伍陆柒捌玖拾佰"))


def outcome(houses, forms: dict, parts: pd.DataFrame, at=None) -> pd.DataFrame:
    """right / wrong / unmatched shares per form, each house (those at these positions, else all) written once
    in each form; every house of the street is one a record could land on."""
    index = HouseIndex(houses, JoinOptions())
    rng = np.random.default_rng(3)
    truth = np.arange(len(houses)) if at is None else at
    rows = []
    for name, form in forms.items():
        addresses = [form.format(**p, u=rng.integers(1, 6), r=rng.integers(101, 2600),
                                 cb=chinese_numeral(int(p["b"])) if "b" in p else None)
                     for p in parts.iloc[truth].to_dict("records")]
        found = match_addresses(pd.Series(addresses), index)["house"].to_numpy()
        rows.append({"form": name, "example": addresses[0], "right": float((found == truth).mean()),
                     "wrong": float(((found >= 0) & (found != truth)).mean()), "unmatched": float((found < 0).mean())})
    return pd.DataFrame(rows).set_index("form")


def test_every_road_form_on_the_demo_street(tiny_street):
    houses = tiny_street.houses.reset_index(drop=True)
    parts = pd.DataFrame({"road": houses["road"], "no": houses["road_no"], "b": houses["building"],
                          "no2": (houses["road_no"].astype(int) + 2).astype(str), "road_t": traditional(houses["road"]),
                          "formal_no": houses["road_no"].map(formal), "formal_b": houses["building"].map(formal)})
    result = outcome(houses, ROAD_FORMS, parts)
    assert (result["wrong"] <= 0.003).all(), result
    assert (result["right"] >= 0.97).all(), result


def test_every_compound_form_on_real_footprints():
    real_streets.require_shared_data()
    houses = real_streets.compound_houses().reset_index(drop=True)
    parsed = parse(houses["address"])
    parts = pd.DataFrame({"compound": parsed["compound"], "b": parsed["building"]})
    assert parts.notna().all().all()
    parts["compound_t"], parts["formal_b"] = traditional(parts["compound"]), parts["b"].map(formal)
    parts["other_way"] = [c.removesuffix("小区") if c.endswith("小区") else c + "小区" for c in parts["compound"]]
    parts["short"] = parts["compound"].str.replace(r"(新村|小区|花园|家园|公寓)$", "", regex=True)
    result = outcome(houses, COMPOUND_FORMS, parts)
    assert (result["wrong"] <= 0.003).all(), result
    assert (result["right"] >= 0.97).all(), result


def test_a_compounds_phase_written_or_left_out_on_real_footprints():
    """Each compound's buildings in two phases (和睦新村1期, 2期), numbered on through both (the usual way) or from 1
    in each: with the phase written or left out a record finds its house where one phase has its building; where
    both phases have it, it stays unmatched, never on one of them."""
    real_streets.require_shared_data()
    houses = real_streets.compound_houses().reset_index(drop=True)
    parsed = parse(houses["address"])
    compound, number = parsed["compound"], parsed["building"].astype(int)
    half = number.groupby(compound).transform("max") // 2
    phase = np.where(number <= half, 1, 2)
    parts = pd.DataFrame({"compound": compound, "phase": phase, "cp": [chinese_numeral(p) for p in phase]})
    forms = {"phase_left_out": "{compound}{b}幢{u}单元{r}室", "phase_in_numerals": "{compound}{cp}期{b}幢",
             "phase_written": "{compound}{phase}期{b}-{u}-{r}", "a_phase_it_does_not_have": "{compound}3期{b}幢"}
    for own in (number, number - np.where(phase == 2, half, 0)):       # numbered on through, or from 1 in each
        street = houses.assign(address=[f"{c}{p}期{b}幢" for c, p, b in zip(compound, phase, own)])
        result = outcome(street, forms, parts.assign(b=own))
        assert (result["wrong"] == 0).all(), result
        assert result.loc[["phase_in_numerals", "phase_written"], "right"].min() >= 0.97, result
        assert result.loc["a_phase_it_does_not_have", "unmatched"] == 1, result
        twins = pd.Series(list(zip(compound, own))).duplicated(keep=False)      # a building in both phases
        assert result.loc["phase_left_out", "right"] == pytest.approx(1 - twins.mean()), result


def test_lanes_door_number_suffixes_and_lettered_buildings_on_real_footprints():
    """Lanes and sub-lanes, 附1 and 之一 beside the plain door number (each a house of its own), A座 and 东楼:
    every form of each onto its own house, none onto the plain number's or a neighbour's."""
    real_streets.require_shared_data()
    houses = real_streets.door_houses().reset_index(drop=True)
    mark = houses["mark"]
    parts = pd.DataFrame({"address": houses["address"], "on_road": houses["on_road"], "lane": houses["lane"],
                          "door": houses["door"], "cl": houses["lane"].map(chinese_numeral),
                          "cs": houses["sub"].map(chinese_numeral), "mark_号": mark.where(mark == "", mark + "号"),
                          "mark_digits": mark.str.replace("之一", "之1"), "letter": mark.str[0],
                          "lower": mark.str[0].str.lower()})
    result = pd.concat({kind: outcome(houses, forms, parts, at=np.flatnonzero(houses["kind"] == kind))
                        for kind, forms in DOOR_FORMS.items()})
    assert (result["wrong"] <= 0.003).all(), result
    assert (result["right"] >= 0.97).all(), result
    # a building the street does not have at a door number it knows buildings at (A座, B座, C座) is no house
    unknown = outcome(houses, {"D座": "{on_road}{door}号D座"}, parts, at=np.flatnonzero(houses["kind"] == "letter"))
    assert unknown.loc["D座", "unmatched"] == 1, unknown


def test_every_village_form_on_real_footprints():
    """Half of a rural street (T street: 44 villages and communities) is addressed 村/组/号."""
    real_streets.require_shared_data()
    houses = real_streets.village_houses().reset_index(drop=True)
    number = houses["road_no"].astype(int)
    parts = pd.DataFrame({"village": houses["village"], "group": houses["group"], "no": number,
                          "cg": houses["group"].astype(int).map(chinese_numeral), "cn": number.map(chinese_numeral),
                          "no2": number + 1, "village_t": traditional(houses["village"]),
                          "formal_group": houses["group"].map(formal), "formal_no": number.map(formal)})
    result = outcome(houses, VILLAGE_FORMS, parts)
    assert (result["wrong"] <= 0.003).all(), result
    assert (result["right"] >= 0.97).all(), result


def test_a_span_of_floors_names_no_building():
    """小河路292号1-3层 is floors one to three of the door number, not building 1: where several buildings share
    the number the record stays unmatched, never on building 1; 13-3楼 is building 13, floor 3."""
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": ["A", "B", "C", "D"],
                               "address": ["小河路292号1幢", "小河路292号2幢", "小河路300号", "经纬创意园13幢"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(4)], crs=4549)
    found = match_addresses(pd.Series(["小河路292号1-3层", "小河路292号2幢1-3层", "小河路300号负1层", "经纬创意园13-3楼"]),
                            HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == [-1, 1, 2, 3]
    assert found["reason"].tolist()[0] == "building_missing"


def test_a_span_of_door_numbers_is_its_first_door_and_a_sub_number_is_not(tiny_street):
    """小河路292-294号 (a shop over two doors, one side of the road) is 292号 where the street knows no 292-294号;
    12-13号, 12-2号 and 6-8号 may be sub-numbers (附号) of 12号 and 6号, another door: never put on them. On the demo
    street, each house at a door number of 10 or more written so."""
    import geopandas as gpd
    import shapely

    addresses = ["小河路292号", "小河路12号", "小河路12-1号", "小河路290-292号", "小河路6号"]
    houses = gpd.GeoDataFrame({"house_id": list("ABCDE"), "address": addresses},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(5)], crs=4549)
    found = match_addresses(pd.Series(["小河路292-294号", "小河路12-13号", "小河路12-2号", "小河路290-292号", "小河路12-14号",
                                       "小河路6-8号", "小河路8-10号"]), HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == [0, -1, -1, 3, 1, -1, -1]
    index = HouseIndex(houses, JoinOptions())
    assert _address_steps("小河路292-294号", index)[-1].endswith("house A (normalised, the first door of 292-294)")
    assert _address_steps("小河路290-292号1室", index)[-1].endswith("house D (normalised)")
    demo = tiny_street.houses.reset_index(drop=True)
    at = np.flatnonzero(demo["road_no"].astype(int) >= 10)
    next_door = (demo["road_no"].astype(int) + 2).astype(str)
    written = demo["road"] + demo["road_no"] + "-" + next_door + "号" + demo["building"] + "幢"
    landed = match_addresses(written.iloc[at], HouseIndex(demo, JoinOptions()))["house"].to_numpy()
    assert (landed == at).mean() >= 0.97 and ((landed >= 0) & (landed != at)).mean() <= 0.003


def test_a_sub_number_written_after_the_door_numbers_word_is_that_door():
    """稠州西路1297号-8店面, 鹿城路172号-7: a shop's sub-number written after 号 is the door 1297-8 (as 1297-8号 is), not a
    room of 1297号, a house of its own: found where the street has it, beside the plain number; where it has not,
    unmatched as 12-1号 is (never on the plain number); three digits after the hyphen are a room (14号-101).
    A building at a door number the street knows as one house without buildings is that house (14号1幢), but
    where the street also has the sub-number (12号 and 12-1号), 12号-1-101 is either."""
    import geopandas as gpd
    import shapely

    addresses = ["小河路12号", "小河路12-1号", "小河路14号", "新塘村3组12号", "新塘村3组12-1号"]
    houses = gpd.GeoDataFrame({"house_id": list("ABCDE"), "address": addresses},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(5)], crs=4549)
    records = ["小河路12号-1", "小河路12号-1号", "小河路12号-1店面", "新塘村3组12号-1", "小河路14号-1", "小河路14号-101",
               "小河路12号-1-101", "小河路14号1幢"]
    found = match_addresses(pd.Series(records), HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == [1, 1, 1, 4, -1, 2, -1, 2]
    assert found["reason"][4] == "no_such_house"
    # building 1 of 12号, which has none, may be the door 12-1号 beside it: either, never a guess
    assert found["reason"][6] == "ambiguous" and found["candidates"][6] == (0, 1)


def test_a_village_door_number_with_a_hyphen_after_its_group_is_a_door_number():
    """新塘村3组12-1号 is door number 12-1 of group 3 (as 鹿来村28-2号 is), not building 12, unit 1 of a compound
    新塘村3组: found with the group left out, without 号, and as the house's own address reads it."""
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": ["A", "B", "C"], "address": ["新塘村3组12号", "新塘村3组12-1号", "新塘村4组13号"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(3)], crs=4549)
    found = match_addresses(pd.Series(["新塘村12-1号", "萧山区新塘村3组12-1", "新塘村三组12-1号", "新塘村3组12号"]),
                            HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == [1, 1, 1, 0]
    assert parse(pd.Series(["新塘村3组12-11号"]))[["number", "building"]].iloc[0].tolist() == ["12-11", None]
    # on 762 real footprints as village houses, every third numbered with a hyphen (12-1号): the group left out, 号
    # left out, each lands on its own house
    real_streets.require_shared_data()
    village = real_streets.village_houses().reset_index(drop=True)
    sub = np.arange(len(village)) % 3 == 2
    village.loc[sub, "address"] = village["address"][sub].str.replace("号$", "-1号", regex=True)
    village.loc[sub, "road_no"] = village["road_no"][sub] + "-1"
    index = HouseIndex(village.drop(columns=["village", "group", "road_no"]), JoinOptions())
    written = village["village"] + village["road_no"] + "号"
    for records in (written, village["village"] + village["group"] + "组" + village["road_no"]):
        landed = match_addresses(records, index)["house"].to_numpy()
        assert (landed == np.arange(len(village)))[sub].mean() >= 0.97, records[sub].iloc[0]
        assert ((landed >= 0) & (landed != np.arange(len(village)))).mean() <= 0.003


def test_the_optional_compound_word_put_on_or_taken_off_before_a_numbered_area():
    """朝晖小区九区 is 朝晖九区, 柏仕三区 is 柏仕小区三区 (39 of the corpora's 53,380 addresses write a 小区 before its area):
    each on its own area's building, an area the street does not have on none."""
    import geopandas as gpd
    import shapely

    addresses = ["朝晖九区3幢", "朝晖八区3幢", "柏仕小区三区1幢", "柏仕小区二区1幢"]
    houses = gpd.GeoDataFrame({"house_id": list("ABCD"), "address": addresses},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(4)], crs=4549)
    records = ["朝晖小区九区3幢", "朝晖小区8区3-2-201", "柏仕3区1幢", "柏仕二区1幢502室", "朝晖小区七区3幢"]
    found = match_addresses(pd.Series(records), HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == [0, 1, 2, 3, -1]


def test_a_hamlet_written_where_the_group_would_be():
    """Rural addresses name a natural village (自然村) of the village where the group would be (新桥村张头104号, 539 of
    the corpora's 53,380 addresses): the village's one house at that number; where two groups have one, either,
    never a guess; a village the street does not have finds none. Where the street writes its houses by hamlet,
    the hamlet is compared as a group is."""
    import geopandas as gpd
    import shapely

    addresses = ["新桥村3组104号", "新桥村3组106号", "新桥村4组106号"]
    houses = gpd.GeoDataFrame({"house_id": list("ABC"), "address": addresses},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(3)], crs=4549)
    records = ["阳明街道新桥村张头104号", "新桥村张头自然村104号302室", "新桥村张头106号", "新桥村张头108号", "新华村张头104号"]
    index = HouseIndex(houses, JoinOptions())
    found = match_addresses(pd.Series(records), index)
    assert found["house"].tolist() == [0, 0, -1, -1, -1]
    assert found["reason"].tolist()[2:] == ["ambiguous", "no_such_house", "road_unknown"]
    assert found["candidates"][2] == (1, 2)
    said = _address_steps("新桥村张头104号", index)[-1]
    assert said == "  2 village and hamlet 新桥村张头 + number 104 + building —: house A (village)"
    # a street that writes its houses by hamlet: a record that leaves the hamlet out finds the village's one house
    # at the number; one that names another hamlet finds none
    by_hamlet = gpd.GeoDataFrame({"house_id": list("DEF"), "address": ["新桥村张头104号", "新桥村李家106号", "新桥村王家106号"]},
                                 geometry=[shapely.box(i, 0, i + 1, 1) for i in range(3)], crs=4549)
    found = match_addresses(pd.Series(["新桥村104号", "新桥村张头自然村104号", "新桥村李家104号", "新桥村106号"]),
                            HouseIndex(by_hamlet, JoinOptions()))
    assert found["house"].tolist() == [0, 0, -1, -1] and found["reason"].tolist()[2:] == ["no_such_house", "ambiguous"]
    cleaned = components(pd.Series(["新桥村张头104号", "瑞阳村章底自然村1281号", "新桥村3组104号"]))
    assert cleaned[["road", "village", "group", "hamlet"]].values.tolist() == [
        [None, "新桥村", None, "张头"], [None, "瑞阳村", None, "章底"], [None, "新桥村", "3", None]]


def test_a_compound_written_without_its_compound_word():
    """和睦12幢 for 和睦新村12幢, as people say it: found where one compound of the street is so named; where two are
    (湖滨花园, 湖滨公寓) and both have the building, ambiguous with both; another compound word (和睦公寓) is
    another compound, and 朝晖 is no short name of 朝晖九区 alone."""
    import geopandas as gpd
    import shapely

    addresses = ["和睦新村12幢", "湖滨花园5幢", "湖滨公寓5幢", "湖滨公寓6幢"]
    houses = gpd.GeoDataFrame({"house_id": list("ABCD"), "address": addresses},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(4)], crs=4549)
    index = HouseIndex(houses, JoinOptions())
    found = match_addresses(pd.Series(["和睦12-3-502", "湖滨6幢", "湖滨5幢", "和睦公寓12幢", "和睦13幢"]), index)
    assert found["house"].tolist() == [0, 3, -1, -1, -1]
    assert found["match_method"].tolist()[:2] == ["short_name", "short_name"]
    assert round(found["match_score"].iloc[0]) == 67       # the share of the name written
    assert found["reason"].iloc[2] == "ambiguous" and found["candidates"].iloc[2] == (1, 2)
    assert _address_steps("和睦12-3-502", index)[-1] == \
        "  3 compound 和睦 (read as 和睦新村, which it is short for) + building 12: house A"


def test_a_door_number_after_a_compound_and_no_road_is_its_building():
    """江北区奥林花园24号: no road, the number names a building of the compound; one that is not there stays
    unmatched, and a road's door number is never read so."""
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": ["A", "B", "C"], "address": ["奥林花园24幢", "奥林花园25幢", "东湖路5号"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(3)], crs=4549)
    found = match_addresses(pd.Series(["江北区奥林花园24号", "奥林花园25号", "奥林花园26号", "南山路5号"]),
                            HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == [0, 1, -1, -1]
    assert found["match_method"].tolist()[:2] == ["compound", "compound"]
    assert found["reason"].tolist()[2:] == ["road_unknown", "road_unknown"]


def test_a_place_before_a_compound_the_street_knows_finds_it_and_one_character_does_not():
    """东关春江花园: a place written before the compound (a town, an area) is no part of its name where the street
    knows the compound; one character before it may make another compound's name (新和睦新村)."""
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": ["A", "B", "C", "D"],
                               "address": ["和睦新村24幢", "和睦新村25幢", "春江花园3幢", "公寓7幢"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(4)], crs=4549)
    index = HouseIndex(houses, JoinOptions())
    found = match_addresses(pd.Series(["拱宸桥和睦新村24幢3单元", "杭州市城东和睦新村25-2-301", "东关春江花园3幢",
                                       "新和睦新村25幢", "东关春江花园4幢", "清波公寓7幢"]), index)
    assert found["house"].tolist() == [0, 1, 2, -1, -1, -1]      # a compound word alone names no compound
    assert found["reason"].tolist()[3:] == ["no_such_house"] * 3
    steps = _address_steps("拱宸桥和睦新村24幢3单元", index)     # --explain says which name found it
    assert steps[-1] == "  3 compound 拱宸桥和睦新村 (read as 和睦新村) + building 24: house A", steps


def test_a_phase_left_out_or_not_named_by_the_street_and_explain_says_which_name_found_the_house():
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": ["A", "B", "C", "D"],
                               "address": ["春江花园3幢", "和睦新村1期5幢", "和睦新村2期5幢", "和睦新村2期6幢"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(4)], crs=4549)
    index = HouseIndex(houses, JoinOptions())
    found = match_addresses(pd.Series(["春江花园一期3幢", "和睦新村6幢", "和睦新村5幢", "和睦新村3期6幢", "春江花园二区3幢"]),
                            index)
    assert found["house"].tolist() == [0, 3, -1, -1, 0]
    assert found["reason"].tolist()[2:4] == ["ambiguous", "no_such_house"]
    assert found["candidates"][2] == (1, 2)
    assert _address_steps("和睦新村6幢", index)[-1] == "  3 compound 和睦新村 (read as 和睦新村2期) + building 6: house D"
    assert _address_steps("春江花园一期3幢", index)[-1] == "  3 compound 春江花园1期 (read as 春江花园) + building 3: house A"


def test_a_house_tables_own_road_door_number_and_building_fields_are_read_as_records_are():
    """A 房屋 export's 街路巷, 门牌号 and 幢号 columns come written as people write them (拱墅区小河路; 14号, ２０,
    十二号, 16号附1; 2幢, 3号楼, 五栋, A座, b, 东楼, 中间栋): records find those houses as they find houses whose fields say
    小河路, 12 and 1."""
    import geopandas as gpd
    import shapely

    doors = ["12", "14号", "16号附1", "18附1", "２０", "十二号", "12号之一", 24, "26", "26"]
    buildings = ["1", "2幢", "3号楼", "４", "五栋", "A座", "b", None, "东楼", "中间栋"]
    roads = ["小河路", "拱墅区小河路", "浙江省杭州市拱墅区小河路", "小河路 "] + ["小河路"] * 6
    houses = gpd.GeoDataFrame({"house_id": list("ABCDEFGHIJ"), "road": roads, "road_no": doors,
                               "building": buildings, "address": [None] * 10},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(10)], crs=4549)
    records = ["小河路12号1幢", "小河路14号2幢", "小河路16号附1号3幢", "小河路18号附1 4幢", "小河路20号5幢", "小河路12号A座",
               "小河路12号之1 B幢", "小河路24号", "小河路26号东栋", "小河路26号中栋3层"]
    found = match_addresses(pd.Series(records), HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == list(range(10)), found


def test_a_community_that_was_a_village_keeps_its_groups_and_zeros_fill_no_number():
    """村改居: 新塘社区3组12号 is addressed as the village was; its house table's fields may come zero-filled
    (门牌号 012, 幢号 04) as records may (012号, 04幢)."""
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": ["A", "B", "C", "D"],
                               "address": ["新塘社区3组12号", "新塘社区4组12号", None, None],
                               "road": [None, None, "小河路", "小河路"], "road_no": [None, None, "012", "14"],
                               "building": [None, None, "04", "02幢"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(4)], crs=4549)
    records = ["萧山区新塘街道新塘社区3组12号", "新塘社区四队十二号", "新塘社区03组012号", "新塘社区12号",
               "小河路12号4幢", "小河路012号04幢", "小河路14号2幢", "湖滨社区小河路14号2幢"]
    found = match_addresses(pd.Series(records), HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == [0, 1, 0, -1, 2, 2, 3, 3], found
    assert found["reason"][3] == "ambiguous"


def test_a_building_at_a_door_number_the_street_knows_as_one_house_without_buildings_is_that_house():
    """OSM and many house tables know 小河路12号 as one house with no 幢; records name 3幢 anyway.  Where the door
    number has several houses, or a building, the record names a house the street does not have."""
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": list("ABCDE"),
                               "address": ["小河路12号", "小河路14号1幢", "小河路14号", "新塘村3组5号", "新塘村3组7号1幢"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(5)], crs=4549)
    index = HouseIndex(houses, JoinOptions())
    found = match_addresses(pd.Series(["小河路12号3幢2单元", "小河路12号A座", "小河路14号2幢", "新塘村3组5号2幢",
                                       "新塘村5号2幢", "新塘村3组7号2幢"]), index)
    assert found["house"].tolist() == [0, 0, -1, 3, 3, -1], found
    assert found["match_method"].tolist()[:2] == ["door_number"] * 2
    assert found["reason"].tolist()[-1] == "no_such_house"
    assert _address_steps("小河路12号3幢", index)[-1] == \
        "  2 road 小河路 + number 12 + building 3: house A (door_number: the one house at this door number, which has " \
        "no building)"


def test_a_village_address_that_several_houses_fit_stays_unmatched_with_them():
    """Numbers that run per group: without its group the address fits two houses, and says which."""
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": ["A", "B", "C"], "address": ["新塘村1组5号", "新塘村2组5号", "傅楼村1组5号"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(3)], crs=4549)
    index = HouseIndex(houses, JoinOptions())
    found = match_addresses(pd.Series(["新塘村5号", "新塘村二组5号", "东湖村1组5号", "新塘村3组5号"]), index)
    assert found["house"].tolist() == [-1, 1, -1, -1]
    assert found["reason"].fillna("").tolist() == ["ambiguous", "", "road_unknown", "no_such_house"]
    assert found["candidates"][0] == (0, 1)


@pytest.mark.parametrize("address, parts", [
    ("七号桥市场路南区37号", {"head": "七号桥市场路南区", "number": "37"}),    # the last 号 is the door number
    ("小河路488号附1号", {"head": "小河路", "number": "488", "suffix": "附1"}),
    ("小河路488号附1号3幢2单元301室", {"number": "488", "suffix": "附1", "building": "3", "room": "301"}),
    ("湖墅南路100-1", {"head": "湖墅南路", "number": "100-1"}),
    ("新塘村3组15号", {"head": "新塘村3组", "number": "15"}),
    ("南直路296号盟科视界小区7号楼A单元2263室", {"number": "296", "compound": "盟科视界小区", "building": "7",
                                         "unit": "A", "room": "2263"}),
    ("朝晖九区3幢", {"compound": "朝晖9区", "building": "3"}),
    ("小河路488号3幢(北门)", {"building": "3", "note": "北门"}),
    ("方家花苑135栋7-1121", {"compound": "方家花苑", "building": "135", "unit": "7", "room": "1121"}),
    ("兴中小区122幢7号1157", {"building": "122", "unit": "7", "room": "1157"}),
    ("雄鹰模具城7幢4号", {"building": "7", "unit": "4", "room": None}),      # the entrance, as people label it
    ("香园83幢1227号", {"building": "83", "unit": None, "room": "1227"}),
    ("国际商贸城四区六楼7街41050", {"compound": "国际商贸城4区", "unit": "7", "floor": "6", "room": "41050"}),
    ("萧绍东路49号萧绍东十四区1-1-201", {"number": "49", "compound": "萧绍东14区", "building": "1", "room": "201"}),
    ("新塘村第三村民小组12号", {"head": "新塘村3组", "number": "12"}),
    # the first N号 right after a road is the door number; a later one is a room, a gate or a hall
    ("莫干山路318号丰潭大厦16号", {"head": "莫干山路", "number": "318", "compound": "丰潭大厦"}),
    ("文二路77号科创园3号门5楼", {"number": "77", "compound": "科创园", "floor": "5"}),
    ("文三路90号东部软件园12号6楼", {"number": "90", "building": "12", "floor": "6"}),
    ("湖墅南路208天水大厦1208室", {"head": "湖墅南路", "number": "208", "compound": "天水大厦", "room": "1208"}),
    ("长乐路20新村1幢2单元202室", {"number": None, "compound": "长乐路20新村", "building": "1"}),   # a name
    ("天水大厦1208室", {"compound": "天水大厦", "room": "1208"}),
    ("环城北路和平小区816", {"head": "环城北路", "compound": "和平小区", "room": "816"}),
    ("四季青服装市场2316号", {"number": None, "compound": "四季青服装市场", "room": "2316"}),       # a stall
    ("绿城桂花园8幢2梯301室", {"building": "8", "unit": "2", "room": "301"}),
    ("祥园路88号数字产业园2期6号楼1252", {"number": "88", "compound": "数字产业园2期", "building": "6", "room": "1252"}),
    # door numbers written without 号, with two hyphens, with 之一; a market hall's aisle is no road
    ("长池路902", {"head": "长池路", "number": "902"}),
    ("永华街57-1慈养医院", {"number": "57-1", "compound": "慈养医院"}),
    ("惠风西路584城南商务大厦A座1842", {"number": "584", "compound": "城南商务大厦", "building": "A", "room": "1842"}),
    ("仓前路123--125号", {"number": "123-125"}),
    ("小河路12号之一", {"number": "12", "suffix": "之一", "compound": None}),
    ("鹿来村28-2号", {"head": "鹿来村", "number": "28-2", "building": None}),
    ("景阳花园192-11号", {"compound": "景阳花园", "building": "192", "room": "11"}),
    ("国际商贸城八楼九街48275", {"number": None, "floor": "8", "room": "48275", "note": "九街"}),
    ("浙江省金华市永康市金都华城一街105号", {"number": "105", "unit": None, "room": None}),    # 一街: a street
    ("温州浙南鞋料市场C区569号", {"number": None, "compound": "浙南鞋料市场C区", "room": "569"}),   # a stall
    ("浙江-杭州-江干区浙江汽配城1550号", {"number": None, "compound": "浙江汽配城", "room": "1550"}),
    ("武林广场143号杭州大厦购物城B座10楼", {"number": "143", "building": "B", "floor": "10"}),  # a square's door number
    ("湖滨北路锦绣广场1307号792室", {"number": "1307", "room": "792"}),
    ("海宁皮革城北区4楼广州路163号", {"number": None, "floor": "4", "room": "163", "note": "北区 广州路"}),   # an aisle
    ("新村路343号9栋最东面6楼", {"building": "9", "floor": "6", "note": "最东面"}),
    ("财富大厦a座负三楼114号", {"building": "A", "floor": "B3", "room": "114", "note": None}),  # 负: below ground
    ("浙江杭州拱墅区都市水乡水映苑", {"compound": "都市水乡水映苑"}),       # 都市, 水乡: no city, no township
    ("杭州市萧山区市心北路东方一品7号楼", {"compound": "市心北路东方一品", "building": "7"}),
    # what follows a compound's name is a note; a letter glued to it is its building; 附近 is no part of it
    ("金沙大道2243号银沙商贸城南数控刀具", {"number": "2243", "compound": "银沙商贸城", "note": "南数控刀具"}),
    ("鄞州区研发园A3幢1106室", {"compound": "研发园", "building": "A3", "room": "1106"}),
    ("富春路1775号万象城L1043", {"compound": "万象城", "building": None, "room": "L1043"}),   # a shop: letter and number
    ("雪窦山路803号B5幢", {"number": "803", "compound": None, "building": "B5"}),
    ("新蒲路13号附近聚景园", {"number": "13", "compound": "聚景园"}),
    ("南长区扬名街道扬名花园12-1815", {"compound": "扬名花园", "building": "12", "room": "1815"}),
    ("荆竹东路1611号东林城市花园", {"compound": "东林城市花园"}),        # 东林城市 is no city
    ("江北区奥林花园24号", {"compound": "奥林花园", "number": "24"}),    # a number within the compound
    ("滨江区彩虹城邻家超市", {"compound": "彩虹城", "note": "邻家超市"}),
    ("金华义乌通汇新村149幢12单元1020", {"compound": "通汇新村", "building": "149"}),     # city, county bare
    ("温岭市万昌中路2520号温岭鞋业大厦1390", {"compound": "温岭鞋业大厦", "room": "1390"}),   # a name after 号
    ("宁波慈溪杭州湾世纪城梦想公寓9栋", {"compound": "杭州湾世纪城梦想公寓", "building": "9"}),
    ("宁波路88号", {"head": "宁波路", "number": "88"}),
    ("中和中路936号平海国际大厦14F", {"number": "936", "compound": "平海国际大厦", "floor": "14"}),
    ("孔村一区179-4-3楼", {"building": "179", "unit": "4", "floor": "3"}),
    ("沧海路新天地西区192栋919号1289", {"building": "192", "unit": "919", "room": "1289"}),
    ("登云路793号8A1071", {"number": "793", "building": "8A", "room": "1071"}),
    ("月湖小区3A1234", {"compound": "月湖小区", "building": "3A", "room": "1234"}),
    ("浙江省-金华市-义乌市后宅汽车城", {"compound": "后宅汽车城"}),
    ("浙江省桐乡市乌镇镇银杏小区158幢508", {"compound": "银杏小区", "building": "158"}),       # 乌镇镇: a town
    ("柳市镇长虹大厦A座1899", {"compound": "长虹大厦", "building": "A"}),          # 柳市镇: a town, no 柳市
    ("国际商贸城三区129号门五楼H25711", {"number": None, "compound": "国际商贸城3区", "floor": "5"}),
    ("余杭塘路1412号紫金文苑紫金文苑", {"compound": "紫金文苑"}),
    ("浙江省长兴长安小区11-9-470", {"compound": "长安小区", "building": "11"}),
    ("安徽省阜阳市颍州区上海大花园117栋", {"compound": "上海大花园"}),
    ("义乌市副食品市场13街1648号", {"compound": "副食品市场", "unit": "13", "room": "1648"}),   # an aisle
    ("塘岸小区129栋9", {"compound": "塘岸小区", "building": "129", "unit": "9"}),
    ("登云路和睦院82-B-1405", {"building": "82", "unit": "B", "room": "1405"}),
    ("文汇路553弄8号门472", {"number": "8"}),
    ("九堡家苑3区12排59号", {"compound": "九堡家苑3区", "building": "12", "unit": "59"}),     # a row of houses
    ("犀牛角村南街23号H楼", {"number": "23", "building": "H"}),
    ("东洲路1598号B栋地下室", {"number": "1598", "building": "B", "note": "地下室"}),
    ("东方花园149楼11单元1264室", {"compound": "东方花园", "building": "149", "unit": "11", "floor": None}),
    ("浙江省温州市null浙江温州市瑞安市商城大厦2721", {"compound": "商城大厦", "room": "2721"}),
    ("大同巷大同商城北楼1618", {"compound": "大同商城", "note": "北楼", "room": "1618"}),   # a hall: the number a room
    # a span of rooms or stalls is one room; a door number's span is not, nor a building and its room
    ("钱湖北路2031号奥丽赛大厦16楼807-811", {"number": "2031", "floor": "16", "room": "807-811"}),
    ("经纬创意园142幢104-105号", {"building": "142", "unit": None, "room": "104-105"}),
    ("珠宝城a1009-1015", {"compound": "珠宝城", "building": None, "room": "A1009-1015"}),
    ("仓前路123-125号", {"number": "123-125", "room": None}),
    ("桃源街道时代大道479号71-85", {"building": "71", "room": "85"}),
    ("永红家园10-14", {"building": "10", "room": "14"}),
    ("卧龙新村3-4", {"building": "3", "unit": "4", "room": None}),        # one digit: the entrance
    ("中河路650号12号仓库", {"number": "650", "building": "12"}),          # a second N号 right after: a building
    ("会展路346号4号馆15B26", {"number": "346", "building": "15B"}),        # a hall is no building
    ("武林路1409-2-1071", {"head": "武林路", "number": "1409", "building": "2", "room": "1071"}),
    ("临半路216号14号楼南7楼", {"building": "14", "floor": "7", "note": "南"}),      # a side before the floor
    ("春华路1059号11栋A座15楼", {"building": "11", "unit": "A", "floor": "15"}),    # a block: the unit
    ("润园小区7栋第一单元501室", {"building": "7", "unit": "1", "room": "501"}),     # an ordinal unit
    ("梧岗路9号第4栋3层", {"number": "9", "building": "4", "floor": "3", "note": None}),     # an ordinal building
    ("湖北省黄石市黄石港区统一街201", {"number": "201"}),         # 一街 in a road's name, no 号: a door number
    ("四川省成都市金堂县顺安街16附22号", {"number": "16", "suffix": "附22"}),      # 附 with no 号 before it
    ("重庆市永川区桂山路136-法院小区1栋63", {"number": "136", "compound": "法院小区", "building": "1"}),  # a dash, no sub-number
    ("新河中路68-号工商银行8楼", {"number": "68", "compound": "工商银行", "floor": "8"}),
    ("上海市普陀区延川路71弄-9号楼101", {"head": "上海市普陀区延川路71弄", "number": "9", "building": None}),  # a lane's door
    ("福建省厦门市思明区仙岳路452之六402室", {"number": "452", "suffix": "之六", "room": "402"}),   # 之 with no 号 before it
    ("山东省烟台市莱阳市五楼南路17号", {"number": "17", "floor": None}),      # 五楼南路 is a road's name
    ("吉林省长春市宽城区留影家园二期6栋一门602", {"building": "6", "unit": "1", "room": "602"}),     # 一门: the unit
    ("上海市杨浦区三门路4号", {"head": "上海市杨浦区三门路", "number": "4", "unit": None}),          # a road's name
    ("义乌国际商贸城八楼九街48275", {"number": None, "room": "48275"}),     # a hall's aisle: a stall
    ("天津市河东区二号桥陶然庭苑11号楼1门201", {"number": None, "compound": "二号桥陶然庭苑", "building": "11",
                                               "unit": "1", "room": "201"}),    # a bridge's name: no door number 2
    ("天津市东丽区东八道9号桥馨苑2号楼", {"head": "天津市东丽区东八道", "number": "9", "compound": "桥馨苑"}),  # after a road
    ("小河路356号13号楼2号单元1102", {"building": "13", "unit": "2", "room": "1102", "note": None}),
    ("中建凤栖第11号楼2单元2101", {"building": "11", "unit": "2"}),
    # a building by its place on the plot after the door number (as 24号东楼)
    ("钱库镇新华北路368号后幢", {"number": "368", "building": "后", "compound": None}),
    ("织里镇栋梁路1163号中间栋二楼", {"number": "1163", "building": "中", "floor": "2", "compound": None}),
    ("丽水市开发北路98号南栋六单元四楼", {"number": "98", "building": "南", "unit": "6", "floor": "4"}),
    ("前成小区16--7--426", {"building": "16", "unit": "7", "room": "426"}),
    ("孙塘北路2509号a7-10楼", {"building": "A7", "floor": "10", "room": None}),
    ("凌创路168号高盛家园141号847", {"number": "168", "compound": "高盛家园", "building": "141", "room": "847"}),
    # a zone, a junction, a side or a distance before a compound is the place it is in
    ("浙江省杭州下沙经济开发区北银公寓15-1494室", {"head": "下沙经济开发区", "compound": "北银公寓", "building": "15"}),
    ("蜀山路与亚太路交汇处碧桂园天麓府", {"head": "蜀山路与亚太路交汇处", "compound": "碧桂园天麓府"}),
    ("文一西路荆长路以东200米八方城12幢", {"compound": "八方城", "building": "12"}),
    ("繁荣大街北段东鑫小区", {"head": "繁荣大街北段", "compound": "东鑫小区"}),
    ("嘉善世纪大道东方润园87-2221", {"head": "世纪大道", "compound": "东方润园"}),           # 东方 is a name
    ("台州路桥区金鹊小区122幢343室", {"compound": "金鹊小区", "building": "122"}),           # 路桥区: a district
    ("台州路88号", {"head": "台州路", "number": "88"}),
    ("台州市椒江景和名苑12栋7单元1816室", {"compound": "景和名苑", "building": "12"}),      # a district, bare
    ("余杭塘路2318号", {"head": "余杭塘路", "number": "2318"}),
    # a phase (期) is part of the compound's name, as its numbered areas are; numerals before it are digits
    ("浙江省嘉兴市南湖区万达华府二期九栋", {"compound": "万达华府2期", "building": "9"}),
    ("环城东路270号振东物流园区二期电子商务中心五楼1358", {"compound": "振东物流园区2期", "floor": "5", "room": "1358"}),
    ("龙华区清泉路幸福城一期润园6C2288室", {"head": "清泉路", "compound": "幸福城1期润园", "building": "6C"}),
    ("艮园小区2-2幢7单元1188", {"compound": "艮园小区", "building": "2-2", "unit": "7"}),     # a building 2-2
    ("临海市白塔小区5-12栋", {"compound": "白塔小区", "building": "5-12", "room": None}),
    ("汤坑镇千江花园B-3栋972", {"compound": "千江花园", "building": "B-3", "room": "972"}),
    ("杭州桐庐县石马小区4-11单元-1242", {"compound": "石马小区", "building": "4", "unit": "11", "room": "1242"}),
    ("塘河新村5弄47幢4单元", {"compound": "塘河新村", "building": "47", "note": "5弄"}),     # a lane inside it
    # an area of a floor between the floor and the stall is a note; an aisle (街) is the unit
    ("联合市场三楼C区378号", {"compound": "联合市场", "floor": "3", "room": "378", "note": "C区"}),
    ("绍兴柯桥轻纺市场东区九楼中54号", {"floor": "9", "room": "54", "note": "中", "number": None}),
    ("国际商贸城一期四楼C区105街6165", {"room": "6165", "unit": "105", "floor": "4"}),
    # a compound before the road and door number, only a shop's name after it: the compound is the one before
    ("南苑街道高地工业园东湖南路1072号奥玛尔", {"head": "东湖南路", "compound": "高地工业园", "note": "奥玛尔"}),
    ("余杭区江桥路景南新村122号电联", {"head": "江桥路", "compound": "景南新村", "note": "电联"}),
    ("康桥工业园康园路35号B座13楼", {"compound": "康桥工业园", "building": "B", "floor": "13"}),
    ("浙江省温州市鹿城区绣山路158号", {"head": "浙江省温州市鹿城区绣山路", "compound": None}),    # 鹿城区: a district
    ("海滨街道江一村城北新街71号", {"compound": None, "number": "71"}),                       # 城北新街: one road
    ("杭海路常青服饰市场D2995", {"head": "杭海路", "compound": "常青服饰市场", "room": "D2995"}),  # a market's stall
    # northern and southern forms of the entrance: a door (门) or stair (梯) is the unit, as are the east, west
    # and middle entrances; a second building after a building is a block of it, the room stays a room
    ("天津市津南区御和新苑10号楼1门102号", {"compound": "御和新苑", "building": "10", "unit": "1", "room": "102",
                                    "number": None}),
    ("大连市甘井子区东海街33号楼2门-32号", {"building": "33", "unit": "2", "room": "32", "number": None}),
    ("临纺小区7号楼中单元3层303", {"building": "7", "unit": "中", "floor": "3", "room": "303"}),
    ("万博城市花园a座西单元5楼", {"building": "A", "unit": "西", "floor": "5"}),
    ("阳光华庭8号楼2单位1002", {"building": "8", "unit": "2", "room": "1002"}),                 # 单位: a slip
    ("和风雅致小区18栋1号楼1504", {"building": "18", "unit": "1", "room": "1504"}),
    ("金蓬街751号青蓝科创园C座10号楼13楼", {"building": "10", "floor": "13"}),                           # a lettered block
    # fields an export joined with commas; where a compound lies (a junction, a corner, a distance): a note
    ("浙江省宁波市北仑区梅山街道,,,海毓路与港城路交界口,美的蝴蝶海苑4期,69幢1701室",
     {"compound": "美的蝴蝶海苑4期", "building": "69", "room": "1701"}),
    ("河南省许昌市禹州市府东路,贵府花园4号楼2单元", {"head": "府东路", "compound": "贵府花园", "building": "4"}),
    ("内蒙古鄂尔多斯市普惠街5号附1号正北方向160米和谐雅苑21号楼3单元601",
     {"number": "5", "compound": "和谐雅苑", "building": "21", "room": "601", "note": "正北方向160米"}),
    ("沙口路与兴南街交汇兴隆臻园", {"compound": "兴隆臻园"}),
    ("德隆大街与合通路交叉口东北嘉旺金碧园一期二栋", {"compound": "嘉旺金碧园1期", "building": "2"}),
    ("清溪路与祥生路交叉口南约140米宛陵湖新城1期", {"compound": "宛陵湖新城1期", "note": "南约140米"}),
    ("石坝路紫霞花园三期(石坝路东170米)", {"compound": "紫霞花园3期", "note": "石坝路东170米"}),
    ("凤起路东方花园3幢", {"head": "凤起路", "compound": "东方花园"}),                       # 东方: a name
    # autonomous prefectures and counties, named by their peoples; words an export puts after the district
    ("吉林省延边朝鲜族自治州延吉市城区延江小区2号楼1单元102", {"compound": "延江小区", "building": "2"}),
    ("云南省普洱市孟连傣族拉祜族佤族自治县娜允镇金山水岸小区21幢", {"compound": "金山水岸小区"}),
    ("柯桥区中国轻纺城北四区三楼899", {"compound": "中国轻纺城北4区", "floor": "3"}),     # 中国: in the name
    # northern forms: a road ending in 道 (not 街道), a junction written 交口, a courtyard (院) by its number
    ("河北省廊坊市广阳区曙光道金玉源小区2号楼4单元803", {"head": "曙光道", "compound": "金玉源小区", "unit": "4"}),
    ("下沙白杨街道六号大街1326号", {"number": "1326"}),
    ("兴华大街与康平路交口金盾花园15号楼2单元1702室", {"compound": "金盾花园", "building": "15"}),
    ("哈尔滨市南岗区护军街78号院内西桥小区1号楼2单元201室", {"number": "78", "compound": "西桥小区", "room": "201"}),
    ("北京市西城区月坛街道三里河三区46楼2门11号", {"compound": "三里河3区", "building": "46", "unit": "2", "room": "11"}),
    ("长沙市岳麓区白鹤社区2栋2楼1门", {"building": "2", "floor": "2", "room": "1"}),        # floor 2, door 1
    ("肇庆市广宁县旭日名都2幢c梯601", {"building": "2", "unit": "C", "room": "601"}),
    ("新疆昌吉回族自治州奇台县县城内假日花园小区2号楼", {"compound": "假日花园小区", "building": "2"}),
    ("山东省青岛市黄岛区灵海街道办事处山海花园e2号楼5单元", {"compound": "山海花园", "building": "E2"}),
    # a compound named with a number; after a road, N号 stays its door number
    ("河南省洛阳市洛龙区李村镇8号小区19号楼2单元1203", {"number": None, "compound": "8号小区", "building": "19"}),
    ("湖北省仙桃市公园一号小区4号楼1单元1401", {"compound": "公园1号小区", "building": "4"}),
    ("库尔勒市南环路108号小区", {"head": "库尔勒市南环路", "number": "108"}),
    ("金地国际城a区20#楼二单元1604", {"compound": "金地国际城", "building": "20", "unit": "2", "room": "1604"}),   # 20#楼
    # N号楼 in a road's lane is the lane's door number (Shanghai); a compound's lane keeps its building
    ("上海市宝山区恒高路128弄12号楼202", {"head": "上海市宝山区恒高路128弄", "number": "12", "room": "202"}),
    ("白云街道南雅新村38弄62号楼1543", {"compound": "南雅新村", "building": "62", "room": "1543"}),
    # numbers no form reads after a compound: the compound is still read, the numbers kept as a note
    ("河北省石家庄市长安区龙西城小区1812602", {"compound": "龙西城小区", "room": None, "note": "1812602"}),
    ("重庆市江北区观音桥街道观府国际12118", {"compound": None, "room": None, "note": "观府国际12118"}),  # no name
    # a compound, a lane or lettered area inside it, then the door number (south China's 新村N巷)
    ("广东省深圳市宝安区西乡街道麻布新村6巷18号1202", {"head": "6巷", "number": "18", "compound": "麻布新村"}),
    ("河南省新乡市原阳县靳堂乡同德苑d区18号二单元402", {"number": "18", "compound": "同德苑", "unit": "2"}),
    ("日照市东港区天成时尚b座1号楼902", {"compound": "天成时尚", "building": "1", "room": "902", "note": "B座"}),
    ("绍兴市越城区恒润嘉苑16栋11楼二单元1104", {"building": "16", "unit": "2", "floor": "11", "room": "1104"}),
    # a phase right after the door number, the compound before it; a door numbered after a door number
    ("吉林省吉林市昌邑区公园道一号三期11号楼一单元202", {"number": "1", "compound": "3期", "building": "11", "room": "202"}),
    ("辽宁省沈阳市于洪区沈大路和泰馨城166号1期4号楼", {"head": "沈大路", "compound": "和泰馨城1期", "building": "4"}),
    ("天津市和平区香榭里小区4号3门205", {"number": "4", "unit": "3", "room": "205"}),
    # a bare number after the building: one digit its unit, two digits at the end a room (as both corpora say)
    ("塘岸小区129栋9", {"building": "129", "unit": "9", "room": None}),
    ("重庆市渝北区锦绣华城11号楼17", {"building": "11", "unit": None, "room": "17"}),
    # a numeral unit or floor written right after a number: two numbers, not one (55五单元 is no 555单元)
    ("诸暨市浣东街道东方俊园55五单元1213室", {"compound": "东方俊园", "building": "55", "unit": "5", "room": "1213"}),
    ("鄞州区石源路920-14八楼", {"number": "920", "building": "14", "floor": "8"}),
    ("杭州富春路1775号万象城L1043Dior男装", {"number": "1775", "room": "L1043", "note": "DIOR 男装"}),  # a shop's name
    ("湖南省长沙市开福区湘江北路3段1388号恒大御景半岛11栋1402房", {"number": "1388", "building": "11", "room": "1402"}),
    ("湖北省武汉市汉阳区开发区宁康园46号楼3单元402", {"compound": "宁康园", "building": "46"}),    # a zone, bare
    # a road named by its number (Hangzhou's 下沙N号大街, 沈阳's N号街) is no door number; N号路口 is one
    ("江干区下沙12号大街东芝公寓2栋422", {"head": "下沙十二号大街", "number": None, "compound": "东芝公寓", "building": "2"}),
    ("辽宁省沈阳市铁西区4号街金贵家园12号楼211", {"number": None, "compound": "金贵家园", "building": "12"}),
    ("下沙4号大街632号海达大厦", {"head": "下沙四号大街", "number": "632", "compound": "海达大厦"}),
    ("江苏省苏州市苏州工业园区斜塘街道榭雨街66号路劲锦溪苑32号楼2706", {"number": "66", "compound": "路劲锦溪苑"}),
    ("杭州下沙4号大街9号路口必胜客", {"head": "杭州下沙四号大街", "number": "9"}),
    # ring roads; where a compound lies from the road (a distance, the road's side) is no part of its name
    ("河北省石家庄市裕华区东二环和创大厦10楼1018", {"compound": "和创大厦", "floor": "10", "room": "1018"}),
    ("郑州高新区碧桃路与药厂街向南200米路东祝福红城9号楼", {"compound": "祝福红城", "building": "9"}),
    ("山东省滨州市滨城区渤海十二路东100米路北春晖都市花园7号楼", {"compound": "春晖都市花园", "building": "7"}),
    ("广东省茂名市茂南区羊角镇西粤南路99号大院星翠南苑", {"number": "99", "compound": "星翠南苑"}),
    # an export joined building, unit and room with commas; two rooms or a floor after a comma stay apart
    ("福建省龙岩市新罗区禹州城上城13,2806", {"compound": "禹州城上城", "building": "13", "room": "2806"}),
    ("山东省临沂市兰山区金水湾16,2,402", {"building": "16", "unit": "2", "room": "402"}),
    ("湖北省武汉市武昌区南湖街道华锦花园619栋,4,101室", {"building": "619", "unit": "4", "room": "101"}),
    ("湖北省孝感市汉川市汉云路雍豪府4,21楼", {"building": None, "floor": "21"}),
    # a stair (梯) or door (门) is the unit: after a building, with a hyphen, alone after a compound (the south)
    ("天津天津市南开区芥园西道怡园里小区4号楼2号门702", {"building": "4", "unit": "2", "room": "702"}),
    ("福建省三明市永安市城区绿洲家园7-2梯903", {"building": "7", "unit": "2", "room": "903"}),
    ("福建省厦门市思明区莲前街道云顶至尊22梯2602", {"compound": "云顶至尊", "unit": "22", "room": "2602"}),
    ("山东省青岛市黄岛区隐珠街道东冯社区8号楼1单", {"building": "8", "unit": "1", "room": None}),
    ("浙江省绍兴市辕门北区146栋1301号门卫", {"building": "146", "unit": None, "room": "1301"}),
    ("温州市永嘉县瓯北镇王家坞村135", {"number": "135"}),      # a village's door number needs no 号 either
    ("山东省青岛市黄岛区新华路108号欧美家园5-东单元501", {"building": "5", "unit": "东", "room": "501"}),
    ("河南省平顶山市新华区焦店镇十里画廊小区10东1306", {"building": "10", "unit": "东", "room": "1306"}),
    ("江苏省南京市鼓楼区草场门大街168号宁工新寓一村502", {"number": "168", "room": "502"}),
    # units named 甲乙丙 (Changzhou) or by a side and a number (the north), 单员 a slip; the building part in
    # brackets at the end
    ("江苏省常州市天宁区郑陆镇北环新村41栋甲单元102室", {"building": "41", "unit": "甲", "room": "102"}),
    ("江苏省常州市新北区三井街道泰山一村15幢丙单员501室", {"building": "15", "unit": "丙", "room": "501"}),
    ("山东省潍坊市青州市城区旗城路135号金鹰小区五号楼东二单元2楼东户", {"building": "5", "unit": "东2", "floor": "2"}),
    ("吉林省白城市大安市嘉堃名城(8号楼1单元502)", {"compound": "嘉堃名城", "building": "8", "unit": "1", "room": "502"}),
    ("广西壮族自治区桂林市七星区城区建干路51号（桂容苑4栋3单元）", {"number": "51", "compound": "桂容苑", "building": "4",
                                                            "unit": "3"}),
    # one character after a door number names no compound (a courtyard, a gate); a mark left over is no note
    ("北京北京市朝阳区姚家园路105号院2号楼16层厨房", {"number": "105", "compound": None, "building": "2", "floor": "16"}),
    ("四川省成都市郫都区红光街道同森锦熙3号门", {"number": "3", "compound": None, "note": "门"}),
    ("山东省青岛市市南区成武路533,601户", {"number": "533", "compound": None, "room": "601", "note": None}),
    ("湖北省襄阳市樊城区中国幸福小区红高路8-9-", {"number": "8-9", "note": None}),       # an empty field after it
    ("江西省抚州市临川区青云街道背山路(白金翰宫十六幢一单元1002", {"building": "16", "unit": "1", "room": "1002", "note": None}),
    # where in Beijing: between two ring roads, inside or outside one, is no part of the compound's name
    ("北京北京市大兴区五环至六环之间康顺园小区9号楼3单元201室", {"compound": "康顺园小区", "building": "9", "unit": "3"}),
    ("北京北京市昌平区六环以内青年创业公寓3号楼1单元701", {"compound": "青年创业公寓", "note": "六环以内"}),
    ("南宁市西乡塘区罗文农场罗文大道与相思湖西路交叉处滨江华府2a栋2301", {"compound": "滨江华府", "building": "2A"}),
    ("陕西省西安市雁塔区科技路与高新六路十字米罗蓝山小区北门", {"compound": "米罗蓝山小区"}),
    ("文三路华远大厦西单元1041", {"compound": "华远大厦", "unit": "西", "room": "1041"}),       # a unit by its side
    ("井岭路佳乐苑二栋一单749", {"building": "2", "unit": "1", "room": "749"}),                 # 一单: unit 1
    ("光华北四路新发园二座二梯1483", {"building": "2", "unit": "2", "room": "1483"}),           # 二梯: stair 2
    ("浙江省金华市义乌市新光国际9750", {"compound": "新光国际", "room": "9750"}),   # a building's own name, a room
    ("王家坞村135", {"number": "135", "room": None}),                                # a village's door number
    # a shop or stall numbered after the building is its room, the word a note; a room after it stays the room
    ("杭州下城区东新园新湖苑9栋商铺8号", {"building": "9", "room": "8", "note": "商铺", "number": None}),
    ("浙江省杭州市江干区九堡阳光景台6栋底商一号496室", {"building": "6", "room": "496", "note": "底商1号", "number": None}),
    ("海宁皮革城辅料市场4幢B58号", {"building": "4", "room": "B58", "number": None}),
    ("小河路12号3幢商铺5号", {"number": "12", "building": "3", "room": "5", "note": "商铺"}),
    # what no form reads is kept in the note, never dropped
    ("和睦新村12幢3单元502室电联", {"room": "502", "note": "电联"}),
    ("浙江省杭州市下城区东新路江南巷5号浙报人才公寓7楼仓库", {"floor": "7", "note": "仓库"}),
    ("小河路12号(东门)(电联)", {"number": "12", "note": "东门 电联"}),          # every bracket kept
    ("高地工业园东湖南路1072号奥玛尔(电联)", {"compound": "高地工业园", "note": "奥玛尔 电联"}),
    # the same compound and building written twice, once
    ("山东省济南市历城区东风街道辛甸南路辛甸花园辛甸花园38号楼辛甸花园38号楼3单元501",
     {"compound": "辛甸花园", "building": "38", "unit": "3", "room": "501", "note": None}),
    ("湖北省武汉市汉阳区晴川街道知音大道258号中海琴台华府2栋中海琴台华府2栋903",
     {"number": "258", "compound": "中海琴台华府", "building": "2", "room": "903"}),
    ("江苏省南京市建邺区南苑街道兴宏园14幢兴隆新寓兴宏园14号楼409室",
     {"compound": "兴宏园", "building": "14", "room": "409", "note": "兴隆新寓"}),
    # a range of door numbers a compound spans: the first, as with several (356、358号)
    ("山东省青岛市李沧区金水路1号至1000号金秋小区一期16号楼3单元101",
     {"number": "1", "compound": "金秋小区1期", "building": "16", "unit": "3", "room": "101"}),
    # Tianjin's numbered door of a lane (里) is its unit; a stair by its side; Changzhou's 甲 unit; 坐 for 座
    ("天津天津市红桥区丁字沽一号路风采里7门204", {"compound": "风采里", "unit": "7", "room": "204"}),
    ("广东省揭阳市普宁市流沙北街道怡薰路华泰雅苑6栋西梯1301", {"building": "6", "unit": "西", "room": "1301"}),
    ("江苏省常州市武进区前黄镇文雅苑9甲203", {"compound": "文雅苑", "building": "9", "unit": "甲", "room": "203"}),
    ("辽宁省大连市金州区西河街道金碧华府b坐2703", {"compound": "金碧华府", "building": "B", "room": "2703"}),
    # a stall after a floor and the word for its part of the hall
    ("国际商贸城四区七楼连接体46650店铺", {"floor": "7", "room": "46650", "note": "连接体 店铺"}),
    # a door number within a compound after a word for a part of it (its shops, its north area): the compound's
    ("浙江省宁波市鄞州区泰安西路同心苑商铺91号", {"compound": "同心苑", "number": "91", "note": "商铺"}),
    ("嘉兴市平湖市钟埭镇五一小区北区847号", {"compound": "五一小区", "number": "847", "note": "北区"}),
    ("金华城北12号", {"compound": None, "number": "12"}),                 # the north of a town, no compound's
    ("洲心街道半环北路嘉馨商务名苑A梯721号", {"compound": "嘉馨商务名苑", "unit": "A", "room": "721"}),
    # a compound named only in brackets or after the room; a road with 大道 names no city (徽州大道市政小区)
    ("广东省广州市天河区林和街道林和东路147号904室(紫荆小区)", {"number": "147", "room": "904", "compound": "紫荆小区",
                                                        "note": None}),
    ("上海上海市杨浦区包头路1150弄30号604城市名园", {"number": "30", "room": "604", "compound": "城市名园"}),
    ("小河路12号(电联)", {"compound": None, "note": "电联"}),
    ("安徽省合肥市包河区徽州大道市政小区三区8号楼305", {"compound": "市政小区3区", "building": "8", "room": "305"}),
    # a room with its hyphen after the floor; a unit or floor written before the building
    # a number inside a compound's name after the door number, a building after it; a room after a name stays one
    ("河南省洛阳市涧西区瀛洲街道河洛路156号瀛海19城2号楼1单元1804",
     {"number": "156", "compound": "瀛海19城", "building": "2", "unit": "1", "room": "1804"}),
    ("福建省莆田市涵江区国欢镇涵华东路2988号华友第1城3号楼", {"number": "2988", "compound": "华友第1城", "building": "3"}),
    ("江东区江东北路1350号运鑫公寓531电联", {"number": "1350", "compound": "运鑫公寓", "room": "531", "note": "电联"}),
    ("浙江省杭州市下沙福雷德广场11楼207-1", {"floor": "11", "room": "207-1", "building": None}),
    ("浙江省杭州市西湖区紫荆花路10号联合大厦A座7单元905-2", {"building": "A", "unit": "7", "room": "905-2"}),
    ("长河路777号拓森科技园4号楼6楼A座3535室", {"building": "4", "floor": "6", "room": "3535", "note": "A座"}),
    ("四川省资阳市皇龙新城A座14号楼9-639", {"building": "14", "unit": "9", "room": "639", "note": "A座"}),
    ("重庆重庆市九龙坡区金凤镇金凤公租房a栋17号楼12", {"building": "17", "room": "12", "note": "A座"}),
    ("浙江省杭州市下城区东新街道沈家路574星火公寓三栋楼811室", {"building": "3", "room": "811", "note": None}),
    ("广东省惠州市惠城区三栋镇中洲天御2期16栋2单元2504室", {"compound": "中洲天御2期", "building": "16", "unit": "2"}),
    ("绍兴越城区森海豪庭9单元9栋1256", {"compound": "森海豪庭", "building": "9", "unit": "9", "room": "1256"}),
    ("浙江省嘉兴市南湖区赛格电子市场五楼115-1288", {"compound": "赛格电子市场", "building": "115", "floor": "5",
                                             "room": "1288"}),
])
def test_the_parts_of_hard_forms(address, parts):
    got = parse(pd.Series([address])).iloc[0]
    assert {k: got[k] for k in parts} == parts


def test_a_road_or_village_alone_is_read_and_says_why_it_names_no_house(tiny_street):
    """An export row that stops at the road or village is cleaned into its road, and its record is unmatched
    for the real reason: no door number (not "unparsed")."""
    from gridgov.grid_tools.address import components

    got = components(pd.Series(["杭州市拱墅区小河路", "新塘街道新塘村3组", "杭州市下沙20号大街", "杭州市"]))
    assert got["road"].tolist()[:3] == ["小河路", None, "下沙二十号大街"]
    assert got[["village", "group"]].iloc[1].tolist() == ["新塘村", "3"]
    assert got.iloc[3].isna().all()
    houses = tiny_street.houses
    road = houses["road"].dropna().iloc[0]
    matched = match_addresses(pd.Series([road, "杭州市", f"{road}{houses['road_no'].dropna().iloc[0]}号"]),
                              HouseIndex(houses, JoinOptions()))
    assert matched["reason"].tolist()[:2] == ["number_missing", "unparsed"]


def test_a_phone_number_in_an_address_reaches_no_part():
    """Couriers' exports write the phone into the address; it is no part of it and is not passed on."""
    got = parse(pd.Series(["蓬苑小区42栋701房,13528300189欧阳", "福临大街(13504499449送货联系)嘉鹏城2号楼912",
                           "蓬苑小区42栋701房 135 2830 0189", "福临大街(135-0449-9449送货联系)嘉鹏城2号楼912"]))
    assert not got.astype(str).apply(lambda column: column.str.contains("1352830|1350449|2830|0449")).any().any()
    for row, note in ((0, "电话 欧阳"), (2, "电话")):        # written together or in groups of 3-4-4; what follows
        assert got.loc[row, ["compound", "building", "room", "note"]].tolist() == ["蓬苑小区", "42", "701", note]
    for row in (1, 3):
        assert got.loc[row, ["compound", "building", "room"]].tolist() == ["嘉鹏城", "2", "912"]


def test_an_id_card_number_in_an_address_reaches_no_part():
    """A register's columns run together write the ID card number after the address; it is no part of it and is
    not passed on (the note says 身份证号)."""
    got = parse(pd.Series(["和睦新村12幢3单元502室 张三 330105199001011234", "和睦新村12幢3单元502室33010519900101123x"]))
    assert not got.astype(str).apply(lambda column: column.str.contains("3301051990")).any().any()
    assert got[["compound", "building", "unit", "room"]].values.tolist() == [["和睦新村", "12", "3", "502"]] * 2
    assert got["note"].tolist() == ["身份证号 张三", "身份证号"]


@pytest.mark.parametrize("address, parts", [
    ("林之语疏桐苑3 6 2101", {"compound": "林之语疏桐苑", "building": "3", "unit": "6", "room": "2101"}),
    ("圣泉小区c3 902", {"building": "C3", "unit": None, "room": "902"}),
    ("和睦新村 12 3 502", {"compound": "和睦新村", "building": "12", "unit": "3", "room": "502"}),
    ("小河路356 13 2 1102", {"number": "356", "building": "13", "unit": "2", "room": "1102"}),
    ("小河路356 13幢", {"number": "356", "building": "13"}),
    ("万润名称西区6栋7单元1363 321200", {"building": "6", "unit": "7", "room": "1363"}),      # a postal code
    ("永茂镇 416700 416700", {"building": None, "room": None}),
])
def test_a_space_between_numbers_separates_parts(address, parts):
    """Li & Lu's corpus writes parts apart with spaces (疏桐苑3 6 2101): run together they were one number; a postal
    code written apart at the end is none of them."""
    got = parse(pd.Series([address])).iloc[0]
    assert {name: (None if pd.isna(got[name]) else got[name]) for name in parts} == parts


def test_address_parse_cleans_an_export_into_columns(tmp_path, capsys):
    """`gridgov address parse`: a text file or a table in, the same rows out with one column per part, and
    how many of the written addresses can find no house."""
    from gridgov.cli import main

    rows = ["编号,住址", "P1,浙江省杭州市拱墅区小河路４８８号三栋2单元301室", "P2,和睦新村12幢3单元502室",
            "P3,新塘村3组15号", "P4,", "P5,小河路", "P6,见附件"]
    (tmp_path / "export.csv").write_text("\n".join(rows) + "\n", encoding="gbk")
    assert main(["address", "parse", str(tmp_path / "export.csv")]) == 0
    out = pd.read_csv(tmp_path / "export_parsed.csv", dtype=str, encoding="utf-8-sig").set_index("编号")
    assert out.loc["P1", ["parsed_road", "parsed_number", "parsed_building", "parsed_unit", "parsed_room"]].tolist() \
        == ["小河路", "488", "3", "2", "301"]
    assert out.loc["P2", ["parsed_compound", "parsed_building"]].tolist() == ["和睦新村", "12"]
    assert out.loc["P3", ["parsed_village", "parsed_group", "parsed_number"]].tolist() == ["新塘村", "3", "15"]
    assert out.loc["P4"].drop("住址").isna().all()
    assert "2 of 5 written addresses name neither a door number nor a compound" in capsys.readouterr().out
    assert main(["address", "parse", str(tmp_path / "export.csv"), "--out", str(tmp_path / "export.csv")]) == 2


def test_address_parse_writes_an_address_split_into_columns_whole(tmp_path):
    """An XLSX export with the address in columns (街路巷, 门(楼)牌号, 楼栋号, 单元号, 户室号; numbers as numbers):
    the cleaned table gains the address written whole, and its parts."""
    from gridgov.cli import main

    pd.DataFrame({"姓名": ["甲", "乙", "丙"], "街路巷": ["拱墅区小河路", None, "新塘村3组"], "门(楼)牌号": [1, None, 12],
                  "楼栋号": [2, None, None], "单元号": [3, None, None], "户室号": [301, None, None]}
                 ).to_excel(tmp_path / "人口.xlsx", index=False)
    assert main(["address", "parse", str(tmp_path / "人口.xlsx")]) == 0
    out = pd.read_excel(tmp_path / "人口_parsed.xlsx", dtype=str).set_index("姓名")
    assert out["address"].fillna("").tolist() == ["拱墅区小河路1号2幢3单元301室", "", "新塘村3组12号"]
    assert out.loc["甲", ["parsed_road", "parsed_number", "parsed_building", "parsed_unit", "parsed_room"]].tolist() \
        == ["小河路", "1", "2", "3", "301"]
    assert out.loc["丙", ["parsed_village", "parsed_group", "parsed_number"]].tolist() == ["新塘村", "3", "12"]


def test_address_parse_skips_a_title_above_the_header_and_writes_a_workbook_of_text(tmp_path, capsys):
    """A register's export: a title and who filled it in above the header (the header found, the title said); a
    workbook in, a workbook out, each part a text cell (12-1 and 1-3, which Excel reads from a CSV as dates)."""
    import openpyxl

    from gridgov.cli import main

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["小河街道实有人口登记表（2026年11月）"], ["填报单位：小河街道", None, "填报日期：2026-11-30"],
                ["序号", "姓名", "居住地址", None], [1, "张三", "新塘村3组12-1号", None],
                [2, "李四", "小河路292号1-3层", "群租"], [], ["合计：2人"], ["制表人：王五", None, "审核人：赵六"]):
        sheet.append(row)
    sheet.merge_cells("A1:D1")
    book.save(tmp_path / "登记表.xlsx")
    assert main(["address", "parse", str(tmp_path / "登记表.xlsx")]) == 0
    said = capsys.readouterr().out
    assert "were skipped 已跳过表头上方的标题行: 小河街道实有人口登记表（2026年11月） / 填报单位：小河街道 填报日期：" \
        "2026-11-30" in said
    assert "were skipped 已跳过表格下方的表尾行: 合计：2人 / 制表人：王五 审核人：赵六" in said
    written = openpyxl.load_workbook(tmp_path / "登记表_parsed.xlsx").active
    rows = list(written.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "姓名", "居住地址", "Unnamed: 3") and len(rows) == 3
    cells = {name: (rows[1][at], rows[2][at]) for at, name in enumerate(rows[0])}
    assert cells["parsed_number"] == ("12-1", "292") and cells["parsed_floor"] == (None, "1-3")
    assert {c.data_type for c in written["F"][1:]} == {"s"}           # text, never a date or a number
    assert main(["address", "parse", str(tmp_path / "登记表.xlsx"), "--out", str(tmp_path / "p.csv")]) == 0
    assert pd.read_csv(tmp_path / "p.csv", dtype=str, encoding="utf-8-sig")["parsed_group"].fillna("").tolist() == ["3", ""]
    assert main(["address", "parse", str(tmp_path / "登记表.xlsx"), "--out", str(tmp_path / "p.txt")]) == 2


def test_address_parse_cleans_an_excel_97_export_into_a_workbook(tmp_path, capsys):
    """An older register's Excel 97-2003 export (tests/data/exports/people_register.xls): read, cleaned into an
    .xlsx beside it (gridgov writes no .xls), traditional characters, formal numerals and # for 号 read."""
    import shutil

    import openpyxl

    from gridgov.cli import main

    shutil.copy(Path(__file__).parent / "data" / "exports" / "people_register.xls", tmp_path / "register.xls")
    assert main(["address", "parse", str(tmp_path / "register.xls")]) == 0
    assert "parsed 6 addresses from register.xls [居住地址]" in capsys.readouterr().out
    rows = list(openpyxl.load_workbook(tmp_path / "register_parsed.xlsx").active.iter_rows(values_only=True))
    parts = pd.DataFrame(rows[1:], columns=rows[0]).fillna("")
    assert parts["parsed_building"].tolist() == ["13", "12", "", "13", "12", "12"]
    assert parts["parsed_number"].tolist() == ["356", "", "12", "356", "", "356"]
    assert parts["联系电话"][0] == "13800000001"


def test_address_parse_reads_a_table_saved_as_unicode_text(tmp_path, capsys):
    """Excel's "Unicode text" (.txt: UTF-16 with its BOM, tab-separated) is a table, its address column found;
    a text file of one address a line stays one."""
    from gridgov.cli import main

    (tmp_path / "导出.txt").write_bytes("人员编号\t居住地址\r\nP1\t小河路356号13幢\r\nP2\t和睦新村12-3-502\r\n".encode("utf-16"))
    assert main(["address", "parse", str(tmp_path / "导出.txt"), "--out", str(tmp_path / "p.csv")]) == 0
    assert "parsed 2 addresses from 导出.txt [居住地址]" in capsys.readouterr().out
    parsed = pd.read_csv(tmp_path / "p.csv", dtype=str, encoding="utf-8-sig")
    assert parsed["parsed_building"].tolist() == ["13", "12"] and parsed["人员编号"].tolist() == ["P1", "P2"]
    (tmp_path / "lines.txt").write_text("小河路356号13幢\n和睦新村12-3-502\n", encoding="utf-8")
    assert main(["address", "parse", str(tmp_path / "lines.txt"), "--out", str(tmp_path / "q.csv")]) == 0
    assert pd.read_csv(tmp_path / "q.csv", dtype=str, encoding="utf-8-sig")["parsed_building"].tolist() == ["13", "12"]


def test_address_parse_reads_a_pipe_and_says_where_it_cannot_write(tmp_path, capsys):
    """`gridgov address parse <(export) --out parsed.csv`: a pipe is read once; without --out there is
    nowhere beside it to write, and a folder that cannot be written is named, not a traceback."""
    import os

    from gridgov.cli import main

    def pipe(text: str) -> str:
        read, write = os.pipe()
        os.write(write, text.encode("gbk"))
        os.close(write)
        return f"/dev/fd/{read}"

    assert main(["address", "parse", pipe("新塘村第三村民小组12号\n"), "--out", str(tmp_path / "p.csv")]) == 0
    out = pd.read_csv(tmp_path / "p.csv", dtype=str, encoding="utf-8-sig")
    assert out.loc[0, ["parsed_village", "parsed_group", "parsed_number"]].tolist() == ["新塘村", "3", "12"]
    assert main(["address", "parse", pipe("新塘村3组12号\n")]) == 2
    assert "give --out" in capsys.readouterr().err
    (tmp_path / "a_file").write_text("x")
    assert main(["address", "parse", str(tmp_path / "p.csv"), "--out", str(tmp_path / "a_file" / "o.csv")]) == 2
    assert "a_file" in capsys.readouterr().err


def test_a_standard_address_library_names_houses_that_carry_no_address(tmp_path):
    """Real footprints with no address at all, and a 标准地址库 export naming them down to the room:
    records in every road form find their house through it; entries for unknown houses are reported."""
    real_streets.require_shared_data()
    from gridgov.grid_tools.join import join_street

    from helpers import street_from_frames

    houses = real_streets.footprint_houses().head(200).assign(address=None)
    library = pd.DataFrame({"标准地址": [f"浙江省杭州市上城区湖滨路{i + 1}号1幢{u}单元{u}01室" for i in range(200)
                                         for u in (1, 2)] + ["湖滨路999号1幢"],
                            "房屋编号": [h for h in houses["house_id"] for _ in (1, 2)] + ["NOT_A_HOUSE"]})
    people = pd.DataFrame({"person_id": [f"P{i}" for i in range(400)],
                           "address": [form.format(road="湖滨路", no=i % 200 + 1, b=1, u=2, r=201, cb="一",
                                                   no2=i % 200 + 3, road_t="湖濱路", formal_no=formal(i % 200 + 1),
                                                   formal_b="壹")
                                       for i, form in zip(range(400), list(ROAD_FORMS.values()) * 40)]})
    import geopandas as gpd

    as_layer = lambda frame: gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs=houses.crs)  # noqa: E731
    street = street_from_frames(tmp_path, houses=houses, address_library=as_layer(library), people=as_layer(people))
    joined = join_street(street)
    matched = joined.records["people"]
    truth = houses["house_id"].to_numpy()[np.arange(400) % 200]
    assert (matched["house_id"].to_numpy() == truth).mean() >= 0.97
    assert ((matched["house_id"].notna()) & (matched["house_id"].to_numpy() != truth)).sum() == 0
    unknown = next(f for f in joined.report.findings if f.code == "library_house_unknown")
    assert unknown.examples == ["NOT_A_HOUSE"]


def test_join_explains_one_record_step_by_step(tiny_demo_dir, capsys):
    from gridgov.cli import main

    project = str(tiny_demo_dir / "gridgov_demo.toml")
    assert main(["join", project, "--explain", "P0000003"]) == 0
    text = capsys.readouterr().out
    steps = text[text.index("people P0000003"):]
    assert "read as:" in steps and "1 exact standard address" in steps and "location:" in steps
    assert "→ house H" in steps or "→ unmatched:" in steps
    assert main(["join", project, "--explain", "NOBODY"]) == 2
    assert "no record 'NOBODY'" in capsys.readouterr().err


# a place beside a house, as events and alarms are written (小河路12号对面): the record is not in that house
BESIDE_FORMS = {"opposite": "{address}对面", "across_at_a_slant": "{address}斜对面", "next_door": "{address}隔壁",
                "what_is_beside_it": "{address}旁边的空地", "what_is_beside_it_without_的": "{address}旁边垃圾桶",
                "a_shop_opposite": "{address}对面小卖部", "a_side_and_a_distance": "{address}东侧50米",
                "a_direction_and_a_distance": "{address}往南约100米处", "a_corner": "{address}西北角",
                "near_with_the_city": "杭州市上城区{address}附近"}
# still in the house: at its door (门前三包), downstairs, its side door, beside a flat or floor of it
IN_THE_HOUSE_FORMS = {"at_the_door": "{address}门口", "its_side_door": "{address}旁门",
                      "the_next_flat": "{address}1单元302室隔壁", "a_side_of_a_floor": "{address}5楼西侧"}


def test_a_place_beside_a_house_finds_no_house_by_its_address_and_names_the_house_it_is_beside():
    """Events are written where they happened: 小河路12号对面 is across the road from 12号, not in it. On 762 real
    footprints addressed by lanes, suffixed door numbers, lettered and sided buildings, compounds and villages:
    no record lands on the house it names, each says beside_house with that house as its candidate; written
    at the house's door or beside a flat of it, the record is the house's."""
    real_streets.require_shared_data()
    for houses in (real_streets.door_houses(), real_streets.compound_houses(), real_streets.village_houses()):
        houses = houses.reset_index(drop=True)
        index = HouseIndex(houses, JoinOptions())
        truth = np.arange(len(houses))
        for name, form in BESIDE_FORMS.items():
            found = match_addresses(pd.Series([form.format(address=a) for a in houses["address"]]), index)
            assert (found["house"] == -1).all(), (name, found[found["house"] >= 0].head())
            assert (found["reason"] == "beside_house").all(), (name, found["reason"].value_counts())
            assert [c[0] for c in found["candidates"]] == truth.tolist(), name
        # 12号附1 before a unit takes its 号 (12号附1号1单元), as people write it: 附11单元 says nothing
        suffixed = houses["address"].str.contains("附|之", regex=True) & ~houses["address"].str.endswith("号")
        written = houses["address"].where(~suffixed, houses["address"] + "号")
        for name, form in IN_THE_HOUSE_FORMS.items():
            found = match_addresses(pd.Series([form.format(address=a) for a in written]), index)
            assert (found["house"].to_numpy() == truth).all(), (name, found[found["house"].to_numpy() != truth].head())


def test_an_address_naming_two_buildings_lands_on_neither_and_one_written_twice_on_it():
    """On 762 real footprints of compounds: 和睦新村1幢和睦新村2幢301 names two buildings and lands on neither
    (two_buildings, the first as its candidate: the record's point decides); the same building written twice,
    once with its room (和睦新村1幢和睦新村1幢301), lands on it; so does one with a shop or garage word after it."""
    real_streets.require_shared_data()
    houses = real_streets.compound_houses().reset_index(drop=True)
    index = HouseIndex(houses, JoinOptions())
    compound = houses["address"].str.extract(r"^(.*?)\d+幢$")[0]
    second = compound + "999幢"         # another building of the same compound
    two = match_addresses(houses["address"] + second + "301", index)
    assert (two["house"] == -1).all() and (two["reason"] == "two_buildings").all(), two["reason"].value_counts()
    assert [c[0] for c in two["candidates"]] == list(range(len(houses)))
    twice = match_addresses(houses["address"] + houses["address"] + "301", index)
    assert (twice["house"].to_numpy() == np.arange(len(houses))).all() and (twice["room"] == "301").all()
    shop = match_addresses(houses["address"] + "商铺8号", index)
    assert (shop["house"].to_numpy() == np.arange(len(houses))).all() and (shop["room"] == "8").all()
    number = houses["address"].str.extract(r"(\d+)幢$")[0]
    for listed in (compound + number + "、999幢", houses["address"] + "-999栋", compound + number + "和999号楼"):
        assert (match_addresses(listed, index)["reason"] == "two_buildings").all(), listed[0]


@pytest.mark.parametrize("address, parts", [
    ("小河路12号对面", {"number": "12", "compound": None, "beside": "对面"}),
    ("小河路12号东侧50米", {"number": "12", "note": None, "beside": "东侧50米"}),
    ("和睦新村12幢旁边的空地", {"compound": "和睦新村", "building": "12", "beside": "旁边的空地"}),
    ("小河路12号江东面粉厂", {"number": "12", "beside": None}),                     # a name with 东面 in it
    ("新蒲路13号附近聚景园3幢", {"compound": "聚景园", "building": "3", "beside": None}),   # the compound is the place
    ("华阳路与望海路交叉口附近荣安广场b区a座", {"building": "A", "beside": None}),
    ("瑞祥路1-27店铺(宝宝乐园隔壁)", {"note": "宝宝乐园隔壁", "beside": None}),      # a landmark in the note
    ("小河路12号东", {"beside": None}),                                              # no side word: no side
    ("小河路12号旁边垃圾桶", {"number": "12", "beside": "旁边垃圾桶"}),               # what is there, no 的
    ("小河路12号附近荣安广场", {"compound": "荣安广场", "beside": None}),             # a hall named: the place
    ("小河路12号旁门", {"number": "12", "beside": None, "note": "旁门"}),              # its side door: the house's
])
def test_what_is_read_as_beside_a_house_and_what_is_not(address, parts):
    got = parse(pd.Series([address])).iloc[0]
    assert {name: (None if pd.isna(got[name]) else got[name]) for name in parts} == parts


def unplaced_and_explained(joined, record_id: str, reason: str, candidate: str, words_zh: str) -> str:
    """An event with no point its address found a house for, not put there: unmatched with ``reason`` and that house
    as candidate, the unmatched table saying why in Chinese; what --explain says of it."""
    from gridgov.grid_tools.explain import explain_record

    got = joined.records["events"].set_index("event_id")
    assert pd.isna(got.loc[record_id, "house_id"])
    assert got.loc[record_id, ["unmatched_reason", "candidate_houses"]].tolist() == \
        [f"{reason}+no_coordinates", f"1: {candidate}"]
    unmatched = joined.unmatched
    assert unmatched.loc[unmatched["record_id"] == record_id, "reason_zh"].str.contains(words_zh).all()
    return explain_record(joined, HouseIndex(joined.houses, JoinOptions()), record_id)


def test_an_event_beside_a_house_goes_by_its_point_and_the_unmatched_table_names_the_house(tmp_path):
    """The join: an event written 对面 with a point is matched by its point (in the house across the road);
    without one it is unmatched as beside_house, naming the house, and --explain says so."""
    real_streets.require_shared_data()
    import geopandas as gpd
    import shapely

    from gridgov.grid_tools.join import join_street

    from helpers import street_from_frames

    houses = real_streets.door_houses().head(40).reset_index(drop=True)[["house_id", "address", "geometry"]]
    across = shapely.point_on_surface(houses.geometry[5])
    events = gpd.GeoDataFrame({"event_id": ["E1", "E2", "E3"], "channel": ["12345"] * 3,
                               "address": [f"{houses['address'][0]}对面", f"{houses['address'][1]}东侧50米",
                                           houses["address"][2]]},
                              geometry=[across, None, None], crs=houses.crs)
    joined = join_street(street_from_frames(tmp_path, houses=houses, events=events))
    got = joined.records["events"].set_index("event_id")
    assert got.loc["E1", ["house_id", "match_method"]].tolist() == [houses["house_id"][5], "location_inside"]
    assert got.loc["E3", ["house_id", "match_method"]].tolist() == [houses["house_id"][2], "exact"]
    text = unplaced_and_explained(joined, "E2", "beside_house", houses["house_id"][1], "旁边、对面")
    assert "beside 东侧50米" in text and "→ unmatched: address names a place beside the house it finds" in text, text
    assert "4 beside it (东侧50米), not in it: not put there" in text, text


def test_an_event_naming_two_buildings_is_unmatched_and_explain_says_why(tmp_path):
    """The join on real compound footprints: 和睦新村1幢和睦新村2幢301 lands on neither building; the unmatched table
    says why in Chinese and English with the first as candidate, and --explain shows the step that kept it off."""
    real_streets.require_shared_data()
    import geopandas as gpd

    from gridgov.grid_tools.join import join_street

    from helpers import street_from_frames

    houses = real_streets.compound_houses().head(40).reset_index(drop=True)[["house_id", "address", "geometry"]]
    first, other = houses["address"][0], houses["address"][6]          # 和睦新村1幢, 和睦新村2幢
    events = gpd.GeoDataFrame({"event_id": ["E1", "E2"], "channel": ["12345"] * 2,
                               "address": [first + other + "301", first + first + "301"]},
                              geometry=[None, None], crs=houses.crs)
    joined = join_street(street_from_frames(tmp_path, houses=houses, events=events))
    got = joined.records["events"].set_index("event_id")
    assert got.loc["E2", ["house_id", "match_method"]].tolist() == [houses["house_id"][0], "compound"]
    text = unplaced_and_explained(joined, "E1", "two_buildings", houses["house_id"][0], "两幢楼")
    assert f"4 another building written after it ({other}301): either may be meant" in text, text


def test_a_road_junction_names_no_house_and_says_so():
    """Events at a crossing (小河路与长征桥路交叉口, 长征桥路口, its corner) name no house: unmatched as junction, not as
    "unparsed"; a door number by a crossing (小河路12号路口) is still read."""
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": ["A", "B"], "address": ["小河路12号", "长征桥路5号"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(2)], crs=4549)
    found = match_addresses(pd.Series(["小河路与长征桥路交叉口", "杭州市小河路长征桥路口", "小河路与长征桥路交叉口东北角",
                                       "小河路与长征桥路交叉处往东50米", "小河路12号路口", "见附件"]),
                            HouseIndex(houses, JoinOptions()))
    assert found["reason"].tolist()[:4] == ["junction"] * 4
    assert found["house"].tolist()[4:] == [0, -1]
    assert found["reason"][5] == "unparsed"


# one character typed for another: of the same sound (a pinyin input method's slip), and not (another compound)
SOUNDING_ALIKE = {"和睦新村": "和穆新村", "朝晖9区": "朝辉九区", "青园小区": "清园小区", "湖滨花园": "湖宾花园",
                  "吴山家园": "吾山家园", "清波公寓": "青波公寓"}
ONE_CHARACTER_OFF = {"和睦新村": "和平新村", "朝晖9区": "朝阳九区", "青园小区": "青山小区", "湖滨花园": "湖畔花园",
                     "吴山家园": "吴江家园", "清波公寓": "清河公寓"}


def test_a_compound_typed_with_a_homophone_finds_its_house_and_another_compound_does_not():
    """On 762 real footprints addressed by compound: 和穆新村12幢 is 和睦新村12幢 (method homophone), with a place
    before it too; 和平新村12幢, one character off but another sound, is another compound and finds nothing."""
    real_streets.require_shared_data()
    houses = real_streets.compound_houses().reset_index(drop=True)
    parsed = parse(houses["address"])
    index = HouseIndex(houses, JoinOptions())
    truth = np.arange(len(houses))
    for table, right in ((SOUNDING_ALIKE, 1.0), (ONE_CHARACTER_OFF, 0.0)):
        for form in ("{c}{b}幢{u}单元", "拱宸桥{c}{b}-{u}-502"):
            records = [form.format(c=table[c], b=b, u=2) for c, b in zip(parsed["compound"], parsed["building"])]
            found = match_addresses(pd.Series(records), index)
            assert (found["house"].to_numpy() == truth).mean() == right, (form, records[:3])
            assert ((found["house"] >= 0) & (found["house"].to_numpy() != truth)).sum() == 0
            if right:
                assert (found["match_method"] == "homophone").all() and found["match_score"].between(70, 99).all()
    assert _address_steps("和穆新村1幢", index)[-1] == \
        "  3 compound 和穆新村 (read as 和睦新村, which it sounds like) + building 1: house OSM0000"


def test_a_homophone_two_compounds_share_finds_neither_and_a_known_name_is_not_read_as_another():
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": list("ABC"), "address": ["金华苑3幢", "锦华苑3幢", "锦华苑4幢"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(3)], crs=4549)
    found = match_addresses(pd.Series(["晋华苑3幢", "晋华苑4幢", "金华苑4幢", "金华苑3幢"]), HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == [-1, 2, -1, 0]
    assert found["reason"][0] == "ambiguous" and found["candidates"][0] == (0, 1)
    assert found["reason"][2] == "no_such_house"      # the street knows 金华苑: its building 4 is missing


def test_a_village_typed_with_a_homophone_finds_its_house_and_another_village_does_not():
    """762 real footprints addressed 村/组/号: 新堂村3组12号 is 新塘村3组12号 (method homophone); 新坊村, another sound,
    is another village."""
    real_streets.require_shared_data()
    houses = real_streets.village_houses().reset_index(drop=True)
    index = HouseIndex(houses, JoinOptions())
    truth = np.arange(len(houses))
    alike = {"新塘村": "新堂村", "傅楼村": "付楼村", "董家埭村": "董家代村", "东湖村": "冬湖村"}
    other = {"新塘村": "新坊村", "傅楼村": "傅山村", "董家埭村": "董家桥村", "东湖村": "东山村"}
    for table, right in ((alike, 1.0), (other, 0.0)):
        records = [f"萧山区{table[v]}{g}组{n}号" for v, g, n in zip(houses["village"], houses["group"], houses["road_no"])]
        found = match_addresses(pd.Series(records), index)
        assert (found["house"].to_numpy() == truth).mean() == right, records[:2]
        assert ((found["house"] >= 0) & (found["house"].to_numpy() != truth)).sum() == 0
        if right:
            assert (found["match_method"] == "homophone").all()


def test_a_record_linked_to_its_house_goes_to_it_before_its_address(tmp_path):
    """一标三实 exports link people to their house (房屋编号): on real footprints, a record linked to a house of the
    street goes to it whatever its address says (an address gone stale, none at all; IDs written as numbers);
    a link to a house the street lacks falls back to the address and is reported, and without an address says
    so; --explain shows the link."""
    real_streets.require_shared_data()
    import geopandas as gpd

    from gridgov.grid_tools.explain import explain_record
    from gridgov.grid_tools.join import join_street

    from helpers import street_from_frames

    houses = real_streets.door_houses().head(30).reset_index(drop=True)[["house_id", "address", "geometry"]]
    houses["house_id"] = [str(1001 + i) for i in range(len(houses))]         # IDs a spreadsheet reads as numbers
    people = gpd.GeoDataFrame({
        "person_id": ["P1", "P2", "P3", "P4", "P5"],
        "房屋编号": [1004, 1005, 99999, 99998, None],
        "住址": [houses["address"][9], None, houses["address"][6], None, houses["address"][7]]},
        geometry=[None] * 5, crs=houses.crs)
    joined = join_street(street_from_frames(tmp_path, houses=houses, people=people))
    got = joined.records["people"].set_index("person_id")
    assert got["house_id"].tolist()[:3] == ["1004", "1005", "1007"]
    assert got["match_method"].tolist()[:3] == ["house_link", "house_link", "exact"]
    assert got.loc["P4", "unmatched_reason"] == "house_link_unknown+no_coordinates"
    assert got.loc["P5", ["house_id", "match_method"]].tolist() == ["1008", "exact"]
    unknown = next(f for f in joined.report.findings if f.code == "house_link_unknown")
    assert unknown.count == 2 and unknown.examples == ["P3", "P4"]
    text = explain_record(joined, HouseIndex(joined.houses, JoinOptions()), "P1")
    assert "0 house link (房屋编号) 1004: house 1004" in text and "→ house 1004 by house_link" in text, text


def test_a_place_named_by_a_number_is_one_name_however_its_number_is_written():
    """二号桥 and 七号桥 (a bridge's name, as 下沙四号大街 is a road's): 7号桥市场路37号 finds the house the street
    writes 七号桥市场路37号, and 二号桥陶然庭苑11号楼 finds building 11 of the compound, not a door number 2."""
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": ["A", "B"], "address": ["七号桥市场路37号", "二号桥陶然庭苑11幢"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(2)], crs=4549)
    found = match_addresses(pd.Series(["7号桥市场路37号", "七号桥市场路37号", "天津市河东区二号桥陶然庭苑11号楼1门201",
                                       "2号桥陶然庭苑11幢"]), HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == [0, 0, 1, 1]


def test_an_old_address_written_after_the_one_lived_at_finds_never_the_old_house():
    """A register keeps the old address beside the one lived at (…1703旧地址惠水路518号, 原地址：… 现地址：…): the
    record is on the house it lives in, and where the street has only the old house, on none (it was on the old)."""
    import geopandas as gpd
    import shapely

    houses = gpd.GeoDataFrame({"house_id": ["A", "B"], "address": ["小河路1号", "和睦新村12幢"]},
                              geometry=[shapely.box(i, 0, i + 1, 1) for i in range(2)], crs=4549)
    records = pd.Series(["和睦新村12幢3单元502室旧地址小河路1号", "原地址：小河路1号 现地址：和睦新村12幢3单元502室",
                         "悠然苑5号楼1单元1703旧地址小河路1号", "现住址：小河路1号"])
    found = match_addresses(records, HouseIndex(houses, JoinOptions()))
    assert found["house"].tolist() == [1, 1, -1, 0]
    assert parse(records).loc[0, "note"] == "旧地址小河路1号"
