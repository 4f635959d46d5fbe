"""One record's way through the matching cascade, step by step, in words: `gridgov join --explain RECORD_ID`.

The join's own result gives the outcome; the steps are replayed on the record alone with the same index,
so what is printed is what the cascade saw: the address as given and as read, each step and why it
stopped.
"""
from __future__ import annotations

import pandas as pd
import pyarrow as pa
import shapely

from ..layers.schema import SCHEMA
from .address import components, normalise
from .admin_prefix import strip_admin_prefix
from .join import RECORD_KINDS, JoinResult
from .matching import (
    NONE,
    HouseIndex,
    _by_compound,
    _codes,
    _first_of_span,
    _resolve_one,
    link_text,
    linked_houses,
    match_addresses,
)
from .options import reason_text


def find_record(joined: JoinResult, record_id: str) -> tuple:
    """(kind, the record's row with its match columns), or a KeyError naming where it was looked for."""
    for kind in RECORD_KINDS:
        frame = joined.records.get(kind)
        id_field = SCHEMA[kind].id_field
        if frame is not None and id_field in frame:
            rows = frame[frame[id_field].astype(str) == str(record_id)]
            if len(rows):
                return kind, rows.iloc[0]
    raise KeyError(f"no record {record_id!r} among {', '.join(k for k in RECORD_KINDS if k in joined.records)}")


def explain_record(joined: JoinResult, index: HouseIndex, record_id: str) -> str:
    kind, row = find_record(joined, record_id)
    lines = [f"{kind} {record_id}"]
    if "house_ref" in row and pd.notna(link := link_text(pd.Series([row["house_ref"]]))[0]):
        house = linked_houses(pd.Series([link]), index)[0]
        lines.append(f"  0 house link (房屋编号) {link}: "
                     + (f"house {index.ids[house]}" if house >= 0 else "names no house of the street"))
    code = row.get("address_code")
    if isinstance(code, str) and code.strip():
        house = index.by_code.get(_codes([code])[0])
        lines.append(f"  0 standard address code {code.strip()}: "
                     + (f"house {index.ids[house]}" if house is not None else "names no one house of the street"))
    address = row.get("address")
    if isinstance(address, str) and address.strip():
        lines += _address_steps(address.strip(), index)
    else:
        lines.append("  address: none")
    point = row.geometry
    lines.append(f"  location: {'none' if point is None or point.is_empty else _location(point, index)}")
    if row["house_id"] is not None and row["house_id"] == row["house_id"]:
        lines.append(f"→ house {row['house_id']} by {row['match_method']}")
    else:
        reason = row["unmatched_reason"]
        lines.append(f"→ unmatched: {reason_text(reason, 'en')} / {reason_text(reason, 'zh')} ({reason})")
    return "\n".join(lines)


def _address_steps(address: str, index: HouseIndex) -> list:
    normal = normalise(pa.array([address])).to_pylist()[0]
    parts = components(pd.Series([address])).iloc[0]
    shown = ", ".join(f"{name} {value}" for name, value in parts.items() if isinstance(value, str) and value)
    lines = [f"  address: {address}", f"  read as: {normal}", f"  parts: {shown or 'none found'}"]
    exact = address in set(index.exact_addresses.to_pylist())
    shared = index.address_houses.get(address)
    lines.append("  1 exact standard address: " + ("found" if exact else f"shared by several houses, no guess"
                                                   f"{_could_be(shared, index)}" if shared else "not found"))
    if exact or shared:
        return lines
    number, building = parts["number"], parts["building"]
    if isinstance(number, str):
        head = strip_admin_prefix(parts["road"]) if isinstance(parts["road"], str) else ""
        if isinstance(parts["village"], str):
            head = parts["village"] + (f"{parts['group']}组" if isinstance(parts["group"], str) else "") + \
                (parts["hamlet"] or "")
        house, method, _, reason, could_be = _resolve_one(head, number, building or None, index)
        kind = "village and hamlet" if parts["hamlet"] else "village" if isinstance(parts["village"], str) else "road"
        lines.append(f"  2 {kind} {head or '?'} + number "
                     f"{number} + building {building or '—'}: "
                     + (f"house {index.ids[house]} ({method}{_how_found(method, number, house, index)})"
                        if house != NONE else
                        reason_text(reason, "en") + _could_be(could_be, index)))
        if house != NONE:
            return lines + _not_put_there(address, parts, index)
    else:
        lines.append("  2 road and door number: no door number (…号) in the address")
    if not isinstance(parts["compound"], str):
        lines.append("  3 compound and building: no compound in the address")
        return lines
    house, reason, could_be, name, method = _by_compound(parts["compound"], building, index)
    how = {"homophone": ", which it sounds like", "short_name": ", which it is short for"}.get(method, "")
    read_as = f" (read as {name}{how})" \
        if name and name != parts["compound"] else ""
    lines.append(f"  3 compound {parts['compound']}{read_as} + building {building or '—'}: "
                 + (f"house {index.ids[house]}" if house != NONE else reason_text(reason, "en") + _could_be(could_be, index)))
    return lines + (_not_put_there(address, parts, index) if house != NONE else [])


def _not_put_there(address: str, parts: pd.Series, index: HouseIndex) -> list:
    """The step after the address found a house: the record is not put there when it is written beside the house
    (对面, 旁边垃圾桶) or names another building after it, as the cascade decides."""
    reason = match_addresses(pd.Series([address]), index)["reason"].iloc[0]
    if reason == "beside_house":
        return [f"  4 beside it ({parts['beside']}), not in it: not put there"]
    if reason == "two_buildings":
        return [f"  4 another building written after it ({parts['note']}): either may be meant, not put there"]
    return []


DOOR_NUMBER_NOTE = ": the one house at this door number, which has no building"


def _how_found(method: str, number: str, house: int, index: HouseIndex) -> str:
    """What a road-and-number step took to find its house: the road a near name was read as, the first door of a
    span of doors, the door number's one house."""
    address = index.houses["address"].iloc[house]
    said = DOOR_NUMBER_NOTE if method == "door_number" else f": {address}" if method == "fuzzy" else ""
    spanned = _first_of_span(number) and components(pd.Series([address]))["number"].iloc[0] != number
    return said + (f", the first door of {number}" if spanned else "")


def _could_be(positions, index: HouseIndex) -> str:
    """': could be H1, H2' for an address several houses fit."""
    return f": could be {', '.join(str(index.ids[p]) for p in positions)}" if positions else ""


def _location(point, index: HouseIndex) -> str:
    inside = index.tree.query(point, predicate="intersects")
    if len(inside):
        smallest = inside[index.area[inside].argmin()]
        return f"inside house {index.ids[smallest]}" + (f" (and {len(inside) - 1} larger)" if len(inside) > 1 else "")
    nearest = index.tree.nearest(point)
    distance = shapely.distance(point, index.geometry[nearest])
    verdict = "within" if distance <= index.options.tolerance_m else "beyond"
    return f"{distance:.0f} m from house {index.ids[nearest]}, {verdict} the {index.options.tolerance_m:g} m tolerance"
