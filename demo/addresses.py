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


def recorded_addresses(houses, rows: np.ndarray, units, rooms, district: str, rng) -> np.ndarray:
    """Addresses as recorded for records living in houses.iloc[rows] (unit/room may be None); a share of
    those in a named compound by the compound (drawn apart, so the other records stay as they were)."""
    road, number, building = (houses[c].to_numpy()[rows] for c in ("road", "road_no", "building"))
    units = [None] * len(rows) if units is None else units
    rooms = [None] * len(rows) if rooms is None else rooms
    address = np.array([as_recorded(district, *fields, rng)
                        for fields in zip(road, number, building, units, rooms)], dtype=object)
    if "compound" not in houses:
        return address
    compound = houses["compound"].to_numpy()[rows]
    apart = np.random.default_rng([len(rows), 13])
    chosen = (apart.random(len(rows)) < COMPOUND_SHARE) & pd.notna(compound)
    forms = apart.choice(list(COMPOUND_FORMS), len(rows))
    for i in np.flatnonzero(chosen):
        address[i] = as_compound(forms[i], compound=compound[i], road=road[i], number=number[i],
                                 building=building[i], unit=units[i], room=rooms[i], district=district)
    return address
