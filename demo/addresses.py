"""Standard addresses and the ways real records get them wrong.

Real records mix granularities, use full-width digits (３幢), Chinese numerals
(三幢), variant words (栋 for 幢), spaces and typos.  The demo writes them so,
in known shares, so that matching can be measured.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

PROVINCE_CITY = "浙江省杭州市"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CHINESE_DIGITS = "零一二三四五六七八九"
BUILDING_WORDS = ["栋", "座", "号楼"]
# Characters people confuse when typing road names (same sound or shape).
TYPOS = {"河": "何", "路": "璐", "塘": "唐", "湖": "胡", "桥": "乔", "德": "得", "胜": "盛",
         "文": "闻", "新": "心", "西": "溪", "东": "冬", "山": "珊", "林": "琳", "家": "佳"}
# share of records given each flaw (independently)
FLAWS = {"no_prefix": 0.45, "full_width": 0.06, "chinese_numeral": 0.05, "variant_word": 0.10,
         "building_only": 0.10, "road_number_only": 0.03, "spaces": 0.05, "typo": 0.03}


def standard(district: str, road: str, number, building, unit=None, room=None) -> str:
    text = f"{PROVINCE_CITY}{district}{road}{number}号{building}幢"
    if unit is not None:
        text += f"{unit}单元"
    if room is not None:
        text += f"{room}室"
    return text


def chinese_numeral(n: int) -> str:
    """As written in words: 3 → 三, 12 → 十二, 25 → 二十五, 108 → 一百零八, 110 → 一百一十."""
    n = int(n)
    if n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    if hundreds == 0:
        if tens == 0:
            return CHINESE_DIGITS[ones]
        return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")
    text = CHINESE_DIGITS[hundreds] + "百"
    if rest == 0:
        return text
    if tens == 0:
        return text + "零" + CHINESE_DIGITS[ones]
    return text + CHINESE_DIGITS[tens] + "十" + (CHINESE_DIGITS[ones] if ones else "")


def as_recorded(district, road, number, building, unit, room, rng) -> str:
    """One record's address, with flaws drawn at the shares in FLAWS."""
    flaw = {name: rng.random() < share for name, share in FLAWS.items()}
    if flaw["typo"]:
        for i, char in enumerate(road):
            if char in TYPOS:
                road = road[:i] + TYPOS[char] + road[i + 1:]
                break
    building_text = chinese_numeral(building) if flaw["chinese_numeral"] else str(building)
    word = BUILDING_WORDS[rng.integers(len(BUILDING_WORDS))] if flaw["variant_word"] else "幢"
    parts = [] if flaw["no_prefix"] else [PROVINCE_CITY, district]
    parts += [road, f"{number}号"]
    if not flaw["road_number_only"]:
        parts.append(f"{building_text}{word}")
        if not flaw["building_only"] and unit is not None:
            parts += [f"{unit}单元", f"{room}室"]
    text = (" " if flaw["spaces"] else "").join(parts)
    return text.translate(FULL_WIDTH) if flaw["full_width"] else text


# records of houses in a named compound written by the compound, in these forms (real 三实 exports)
COMPOUND_SHARE = 0.2
COMPOUND_FORMS = {
    "compound_building_unit_room": ("{compound}{building}幢{unit}单元{room}室", "{compound}{building}幢"),
    "compound_shorthand": ("{compound}{building}-{unit}-{room}", "{compound}{building}幢"),
    "road_number_compound_shorthand": ("{road}{number}号{compound}{building}-{unit}-{room}",
                                       "{road}{number}号{compound}{building}幢"),
    "district_compound_numerals": ("{district}{compound}{numeral}栋{unit}单元", "{district}{compound}{numeral}栋"),
}


def as_compound(form: str, **parts) -> str:
    """One record's address in a compound form; the form without unit and room where it has none."""
    with_room, without = COMPOUND_FORMS[form]
    return (with_room if parts["unit"] is not None else without).format(
        **parts, numeral=chinese_numeral(int(parts["building"])))


# records of village houses (农居: 新塘村3组12号), in these forms and shares; a renter adds the room
VILLAGE_FORMS = {
    "village_standard": ("{standard}", 0.2),
    "village_group_number": ("{village}{group}组{number}号", 0.3),
    "village_without_group": ("{village}{number}号", 0.15),
    "village_group_numerals": ("{village}{group_numeral}组{number}号", 0.1),
    "village_队_for_group": ("{village}{group}队{number}号", 0.05),
    "village_with_district_and_street": ("{local}", 0.2),
}
ROOM_SHARE = 0.3


def as_village(form: str, standard: str, room, rng_value: float, **parts) -> str:
    """One record's address of a village house in a village form, its room after it for some."""
    text = VILLAGE_FORMS[form][0].format(**parts, standard=standard, local=standard.removeprefix(PROVINCE_CITY),
                                         group_numeral=chinese_numeral(int(parts["group"])))
    return f"{text}{room}室" if room is not None and rng_value < ROOM_SHARE else text


def recorded_addresses(houses, rows: np.ndarray, units, rooms, district: str, rng) -> tuple:
    """(address, form) as recorded for records living in houses.iloc[rows] (unit/room may be None): road
    forms with flaws; a share of those in a named compound by the compound; those in a village house by
    the village (drawn apart, so the other records stay as they were).  The form is the generator's own
    field, so tests measure each form."""
    road, number, building = (houses[c].to_numpy()[rows] for c in ("road", "road_no", "building"))
    units = [None] * len(rows) if units is None else units
    rooms = [None] * len(rows) if rooms is None else rooms
    village = houses["village"].to_numpy()[rows] if "village" in houses else np.full(len(rows), None)
    in_village = pd.notna(village)
    address = np.full(len(rows), None, dtype=object)
    form = np.where(in_village, None, "road").astype(object)
    address[~in_village] = [as_recorded(district, *fields, rng) for fields in
                            zip(road[~in_village], number[~in_village], building[~in_village],
                                np.asarray(units, dtype=object)[~in_village], np.asarray(rooms, dtype=object)[~in_village])]
    apart = np.random.default_rng([len(rows), 13])
    if "compound" in houses:
        compound = houses["compound"].to_numpy()[rows]
        chosen = (apart.random(len(rows)) < COMPOUND_SHARE) & pd.notna(compound)
        forms = apart.choice(list(COMPOUND_FORMS), len(rows))
        for i in np.flatnonzero(chosen):
            address[i] = as_compound(forms[i], compound=compound[i], road=road[i], number=number[i],
                                     building=building[i], unit=units[i], room=rooms[i], district=district)
            form[i] = forms[i]
    if in_village.any():
        _village_records(houses, rows, rooms, address, form, np.random.default_rng([len(rows), 31]))
    return address, form


def _village_records(houses, rows, rooms, address, form, rng):
    """Village houses' records in the village forms, written into address and form where they live."""
    at = np.flatnonzero(pd.notna(houses["village"].to_numpy()[rows]))
    shares = np.array([share for _, share in VILLAGE_FORMS.values()])
    forms = rng.choice(list(VILLAGE_FORMS), len(at), p=shares / shares.sum())
    rolls = rng.random(len(at))
    columns = {c: houses[c].to_numpy()[rows[at]] for c in ("address", "village", "group", "road_no")}
    for k, i in enumerate(at):
        address[i] = as_village(forms[k], columns["address"][k], rooms[i], rolls[k], village=columns["village"][k],
                                group=columns["group"][k], number=columns["road_no"][k])
        form[i] = forms[k]
