"""The matching cascade: each record to one house, or a reason why not.

exact standard address → normalised key → fuzzy road name → location (inside a
footprint, else the nearest within the tolerance) → unmatched.  First hit wins.
Houses are handled by position (0 … n-1) so that a million records stay in numpy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from rapidfuzz import fuzz

from .address import (
    ENDS_IN_COMPOUND,
    JUNCTION,
    SECOND_BUILDING,
    compound_parts,
    door_numbers,
    house_keys,
    parse_arrow,
    strip_admin_prefix,
    trimmed,
    village_of,
    village_of_hamlet,
)
from .address_grammar import COMPOUND, COMPOUND_WORDS, GRAMMAR
from .homophones import SoundsAlike
from .known_names import KnownNames, RoadResolver
from .options import JoinOptions

NONE = -1
OPTIONAL = GRAMMAR["compound"]["optional"]        # 青园小区 = 青园
# 和睦新村1期, 和睦新村3区: a phase or numbered area of 和睦新村
PHASE = re.compile(rf"(?P<base>.+?){GRAMMAR['compound']['numbered']}")
COMPOUND_WORD_AT_END = re.compile("(?:" + "|".join(sorted(COMPOUND_WORDS, key=len, reverse=True)) + ")$")   # 新村
DOOR_SPAN = re.compile(r"(\d+)-(\d+)")        # 292-294, or a sub-number 12-1


@dataclass
class HouseIndex:
    """Everything about the houses that matching looks up, built once per join.

    Each house is known by its own address and parts; a standard address library (标准地址库: rows of
    a standard address and the house it belongs to) adds more names for the same houses.  A name or key
    that two houses share decides nothing.
    """

    houses: gpd.GeoDataFrame
    options: JoinOptions
    library: pd.DataFrame | None = None      # address, house_id

    def __post_init__(self):
        houses = self.houses
        self.ids = houses["house_id"].to_numpy(dtype=object)
        self.by_id = _unique_lookup(link_text(self.ids).astype(object), np.arange(len(houses)))   # a record's link
        entries = self._entries()
        address, position = entries["address"].to_numpy(dtype=object), entries["position"].to_numpy()
        road, number = entries["road"].to_numpy(dtype=object), entries["number"].to_numpy(dtype=object)
        building, compound = entries["building"].to_numpy(dtype=object), entries["compound"].to_numpy(dtype=object)
        exact = _unique_lookup(address, position)
        self.exact_addresses = pa.array(list(exact), type=pa.string())
        self.exact_positions = np.fromiter(exact.values(), dtype=int, count=len(exact))
        self.address_houses = _shared(address, position)
        # the standard address code (标准地址编码) of a house, its own or a library entry's: a code two houses
        # share decides nothing
        self.by_code = _unique_lookup(_codes(entries["address_code"]), position)
        self.shared_addresses = pa.array(list(self.address_houses), type=pa.string())
        self.by_key = _unique_lookup(list(zip(road, number, building)), position)
        # (compound, building); (compound, "") for a name that is the house's alone (小河大厦, an alias)
        pairs = [(c, b or "") if c else None for c, b in zip(compound, building)]
        self.by_compound = _unique_lookup(pairs, position)
        self.compounds_shared = _shared(pairs, position)
        # a name a record's compound may end with: no compound word or numbered area alone (公寓, 9区 name
        # nothing on their own)
        self.compound_names = KnownNames(c for c in compound if c and not re.fullmatch(COMPOUND, c))
        self.sounds_alike = SoundsAlike(self.compound_names.names())
        # a compound by its name without the compound word, as people say it (和睦 for 和睦新村, 湖滨 for 湖滨花园;
        # not without a numbered area: 朝晖 is all of 朝晖一区 … 九区)
        self.short_names = {}
        for name in self.compound_names.names():
            if len(short := COMPOUND_WORD_AT_END.sub("", name)) >= 2 and short != name:
                self.short_names.setdefault(short, []).append(name)
        # a compound's phases or numbered areas the street names (和睦新村 → 和睦新村1期, 和睦新村2期)
        self.phases = {}
        for name in set(c for c in compound if c):
            if match := PHASE.fullmatch(name):
                self.phases.setdefault(match["base"], []).append(name)
        self.by_number, self.roads_at, self.roads_at_number = {}, {}, {}
        for at, (r, n, b) in zip(position, zip(road, number, building)):
            if at not in self.by_number.setdefault((r, n), []):
                self.by_number[(r, n)].append(at)
            self.roads_at.setdefault((n, b or ""), set()).add(r)
            self.roads_at_number.setdefault(n, set()).add(r)
        # a village's houses by (village, number, building), each with its group or hamlet: a record may leave it
        # out
        self.in_village, self.village_buildings = {}, set()
        for at, village, group, hamlet, n, b in zip(position, entries["village"], entries["group"], entries["hamlet"],
                                                    number, building):
            if village:
                self.in_village.setdefault((village, n, b or ""), {})[at] = group or hamlet
                if b:
                    self.village_buildings.add((village, n))       # a door number with buildings in the village
        self.villages = set(entries["village"].dropna())
        self.villages_alike = SoundsAlike(self.villages)
        self.resolver = RoadResolver(road, self.options.typo_chars_per_4)
        self.geometry = houses.geometry.to_numpy()
        self.area = shapely.area(self.geometry)
        self.tree = shapely.STRtree(self.geometry)

    def _entries(self) -> pd.DataFrame:
        """One row per name of a house: its own address and parts, and each library entry of it."""
        own = house_keys(self.houses).assign(address=trimmed(self.houses["address"]).to_numpy(zero_copy_only=False),
                                             address_code=_column(self.houses, "address_code"),
                                             position=np.arange(len(self.houses)))
        self.library_unknown = []
        if self.library is None or self.library.empty:
            return own
        position = pd.Index(self.ids).get_indexer(self.library["house_id"])
        self.library_unknown = list(self.library.loc[position < 0, "house_id"].astype(str))
        known = self.library[position >= 0]
        named = house_keys(pd.DataFrame({"address": known["address"].to_numpy()})).assign(
            address=trimmed(known["address"]).to_numpy(zero_copy_only=False),
            address_code=_column(known, "address_code"), position=position[position >= 0])
        return pd.concat([own, named], ignore_index=True)


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A column's values, or nothing for each row where the frame has no such column."""
    return frame[name].to_numpy(dtype=object) if name in frame else np.full(len(frame), None, dtype=object)


def _codes(values) -> pd.Series:
    """Address codes as compared: text without spaces, upper case (330105… and an ``x`` in it alike)."""
    text = pd.Series(values, dtype=object).astype("string").str.replace(r"\s+", "", regex=True).str.upper()
    return text.where(text != "").astype(object).where(lambda t: t.notna(), None)


def _unique_lookup(keys, positions) -> dict:
    """key → house position for keys that name one house (a key shared by two houses decides nothing)."""
    frame = pd.DataFrame({"key": list(keys), "position": positions})
    frame = frame[frame["key"].notna()].drop_duplicates()
    return dict(frame.drop_duplicates("key", keep=False).itertuples(index=False, name=None))


def _shared(keys, positions) -> dict:
    """The keys that name more than one house, each with the positions of those houses."""
    frame = pd.DataFrame({"key": list(keys), "position": positions})
    frame = frame[frame["key"].notna()].drop_duplicates()
    shared = frame[frame["key"].duplicated(keep=False)]
    return {key: tuple(group) for key, group in shared.groupby("key", sort=False)["position"]}


def match_addresses(addresses: pd.Series, index: HouseIndex, codes: pd.Series | None = None,
                    links: pd.Series | None = None) -> pd.DataFrame:
    """house (position or -1), match_method, match_score, unit, room, reason for each address; a record whose
    standard address code (``codes``) names one house goes to it, whatever its address text says, and a record
    linked to a house of the street (``links``: its 房屋编号) to that house, before all."""
    n = len(addresses)
    house = np.full(n, NONE)
    method = np.full(n, None, dtype=object)
    score = np.full(n, np.nan)
    reason = np.full(n, None, dtype=object)
    unit = np.full(n, None, dtype=object)
    room = np.full(n, None, dtype=object)
    candidates = np.full(n, None, dtype=object)      # the houses an ambiguous address could be
    text = trimmed(addresses)
    found = pc.fill_null(pc.index_in(text, value_set=index.exact_addresses), -1).to_numpy()
    hit = found >= 0
    house[hit], method[hit], score[hit] = index.exact_positions[found[hit]], "exact", 100.0
    present = pc.is_valid(text).to_numpy(zero_copy_only=False)
    shared = pc.is_in(text, value_set=index.shared_addresses).to_numpy(zero_copy_only=False) & present
    reason[shared] = "address_shared"          # several houses carry this very address: no guess
    for row in np.flatnonzero(shared):
        candidates[row] = index.address_houses[text[row].as_py()]
    todo = np.flatnonzero(~hit & present & ~shared)
    parts = parse_arrow(text.take(pa.array(todo)))
    unit[todo] = parts["unit"].to_numpy(zero_copy_only=False)
    room[todo] = parts["room"].to_numpy(zero_copy_only=False)
    numbered = pc.is_valid(parts["number"]).to_numpy(zero_copy_only=False)
    doors = {"head": parts["head"], "number": door_numbers(parts["number"], parts["suffix"]), "building": parts["building"]}
    resolved = _resolve({name: part.filter(pa.array(numbered)) for name, part in doors.items()}, index)
    rows = todo[numbered]
    house[rows] = resolved["house"].to_numpy()
    method[rows] = resolved["method"].to_numpy()
    score[rows] = resolved["score"].to_numpy()
    reason[rows] = resolved["reason"].to_numpy()
    candidates[rows] = resolved["candidates"].to_numpy()
    # no door number, or none that found a house: the compound and building, where the address names them
    open_ = np.flatnonzero(house[todo] == NONE)
    compound, building = _compound_keys({name: parts[name].take(pa.array(open_))
                                         for name in ("compound", "building", "head", "number")}, reason[todo[open_]])
    named = np.array([name is not None for name in compound], dtype=bool)
    # neither a door number nor a compound: a road or village alone (小河路, 新塘村3组) names no house
    headed = pc.is_valid(parts["head"]).to_numpy(zero_copy_only=False)[open_]
    crossing = pc.fill_null(pc.match_substring_regex(text.take(pa.array(todo[open_])), JUNCTION), False).to_numpy(
        zero_copy_only=False)
    bare = ~named & ~numbered[open_]
    reason[todo[open_[bare]]] = np.where(crossing[bare], "junction", np.where(headed[bare], "number_missing", "unparsed"))
    open_ = open_[named]
    keys = pd.Series([key for key, has in zip(zip(compound, building), named) if has], dtype=object)
    answers = {key: _by_compound(*key, index) for key in keys.unique()}      # each distinct pair once
    for i, key in zip(open_, keys):
        found, why, could_be, known, how = answers[key]
        row = todo[i]
        if found != NONE:      # a homophone scores as a fuzzy road does: the share of the name written right
            score[row] = fuzz.ratio(key[0][-len(known):], known) if how in ("homophone", "short_name") else 100.0
            house[row], method[row], reason[row], candidates[row] = found, how, None, None
        elif not numbered[i]:
            reason[row], candidates[row] = why, could_be
    _beside_the_house(todo, parts, house, method, score, reason, candidates)
    _unplaced(todo[_two_buildings(parts)], "two_buildings", house, method, score, reason, candidates)
    if codes is not None and index.by_code:
        coded = _codes(codes).map(index.by_code).to_numpy(dtype=float)
        hit = ~np.isnan(coded)
        house[hit], method[hit], score[hit] = coded[hit].astype(int), "address_code", 100.0
        reason[hit], candidates[hit] = None, None
    if links is not None:
        linked = linked_houses(links, index)
        hit = linked >= 0
        house[hit], method[hit], score[hit], reason[hit], candidates[hit] = linked[hit], "house_link", 100.0, None, None
    return pd.DataFrame({"house": house, "match_method": method, "match_score": score, "unit": unit, "room": room,
                         "reason": reason, "candidates": candidates}, index=addresses.index)


def linked_houses(links: pd.Series, index: HouseIndex) -> np.ndarray:
    """The position of the house each record's link (房屋编号) names; -1 where it has none, or names no house of
    the street or two (an ID two houses share decides nothing)."""
    return link_text(links).astype(object).map(index.by_id).fillna(NONE).to_numpy(dtype=int)


def link_text(links) -> pd.Series:
    """House IDs as compared: text without surrounding spaces, an ID a spreadsheet kept as a number as its digits
    (1004.0 → 1004), NA where blank."""
    text = pd.Series(links, dtype=object).astype("string").str.strip().str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    return text.where(text != "")


def _beside_the_house(todo, parts: dict, house, method, score, reason, candidates):
    """A record written as beside the house its address finds (小河路12号对面, 和睦新村12幢东侧50米) is not in it:
    unmatched (``beside_house``) with that house as its candidate, so its point decides; beside a floor or room
    (502室隔壁, 5楼西侧) it is still in the house."""
    beside = pc.and_(pc.is_valid(parts["beside"]), pc.and_(pc.is_null(parts["floor"]), pc.is_null(parts["room"])))
    _unplaced(todo[beside.to_numpy(zero_copy_only=False)], "beside_house", house, method, score, reason, candidates)


def _two_buildings(parts: dict) -> np.ndarray:
    """Where another building is written after the one read, either may be meant (华东汽配水暖城36幢华东汽配水暖城-49幢
    2018, 泉林村51栋或34栋); the same one written again is the same (我家山水瑞雪苑6幢彩云路我家山水瑞雪苑6栋403)."""
    other = pc.struct_field(pc.extract_regex(parts["rest"], SECOND_BUILDING), "building")
    return pc.fill_null(pc.not_equal(other, parts["building"]), False).to_numpy(zero_copy_only=False)


def _unplaced(rows, why: str, house, method, score, reason, candidates):
    """The records at ``rows`` whose address found a house are not put there: unmatched (``why``) with that house
    as their candidate, so that their point decides."""
    for row in rows:
        if house[row] != NONE:
            candidates[row], reason[row] = (house[row],), why
            house[row], method[row], score[row] = NONE, None, np.nan


def _compound_keys(parts: dict, reasons: np.ndarray) -> tuple:
    """(compound, building) of each parsed address for the compound step: as parsed, or, where a door number
    follows a compound and no road (奥林花园24号: road_unknown), that compound with the number as its
    building, as such addresses are meant."""
    compound = parts["compound"].to_pylist()
    building = parts["building"].to_pylist()
    heads, numbers = parts["head"].to_pylist(), parts["number"].to_pylist()
    for i in np.flatnonzero(reasons == "road_unknown"):
        if compound[i] is None and heads[i] and ENDS_IN_COMPOUND.search(heads[i]):
            compound[i], building[i] = heads[i], building[i] or numbers[i]
    return compound, building


def _resolve(parts: dict, index: HouseIndex) -> pd.DataFrame:
    """Per distinct (head, number, building): the house by known road, else by fuzzy road.

    Distinct triples are found in Arrow (a street repeats them a lot); only those go through Python.
    """
    key = pc.binary_join_element_wise(pc.fill_null(parts["head"], ""), parts["number"],
                                      pc.fill_null(parts["building"], ""), "\x1f")
    distinct = pc.unique(key)
    codes = pc.index_in(key, value_set=distinct).to_numpy()
    answers = pd.DataFrame([_resolve_one(head, number, building or None, index)
                            for head, number, building in (k.split("\x1f") for k in distinct.to_pylist())],
                           columns=["house", "method", "score", "reason", "candidates"])
    return answers.iloc[codes].reset_index(drop=True)


def _resolve_one(head: str, number: str, building, index: HouseIndex) -> tuple:
    """(house, method, score, reason, candidates): candidates are the houses an ambiguous address could be.  A
    span of door numbers the street does not know as one (小河路292-294号: a shop over two doors) is its first
    door, as 292、294号 is."""
    answer = _resolve_door(head, number, building, index)
    if answer[0] == NONE and (first := _first_of_span(number)):
        spanned = _resolve_door(head, first, building, index)
        return answer if spanned[3] in ("no_such_house", "road_unknown") else spanned     # the first door found
    return answer


def _first_of_span(number: str) -> str | None:
    """292 of 292-294 and 98 of 98-100: two door numbers on one side of the road (odd or even), the second the
    higher by a few; none for a sub-number (12-1, 100-101, and 6-8 or 1-3: sub-numbers run from 1, so a span's
    last door must be 10 or more to be told from them)."""
    if (span := DOOR_SPAN.fullmatch(number)) is None:
        return None
    first, last = (int(n) for n in span.groups())
    return span[1] if 0 < last - first <= GRAMMAR["span"]["max_gap"] and (last - first) % 2 == 0 and last >= 10 else None


def _resolve_door(head: str, number: str, building, index: HouseIndex) -> tuple:
    road = index.resolver.exact(head)
    method, score = "normalised", 100.0
    village = village_of(head) if road is None else None
    if village and village[0] in index.villages:
        return _in_village(*village, number, building, index)
    if road is None and (hamlet := village_of_hamlet(head)) and hamlet[0] in index.villages:
        # 新桥村张头104号: the hamlet written where the group would be (the village's one house there, of that hamlet
        # where the street writes hamlets)
        return _in_village(*hamlet, number, building, index)
    if village:         # a village the street does not know as written: one it sounds like
        return _in_village(*village, number, building, index)
    if road is None:
        roads = index.roads_at.get((number, building), set()) if building else \
            index.roads_at_number.get(number, set())
        road, score = index.resolver.fuzzy(head, roads)
        if road is None:
            could_be = [h for r in sorted(roads) for h in index.by_number.get((r, number), [])
                        if building is None or index.by_key.get((r, number, building)) == h]
            return NONE, None, np.nan, "ambiguous", tuple(sorted(could_be)) or None
        if not road:
            return NONE, None, np.nan, "road_unknown", None
        method = "fuzzy"
    if building is None:
        houses = index.by_number.get((road, number), [])
        if len(houses) == 1:
            return houses[0], method, score, None, None
        return (NONE, None, np.nan, "building_missing", tuple(houses)) if houses else \
            (NONE, None, np.nan, "no_such_house", None)
    house = index.by_key.get((road, number, building))
    if house is None:
        house, method = _the_door_numbers_one_house(index.by_number.get((road, number), []), road, number, index), \
            "door_number"
        sub_door = index.by_number.get((road, f"{number}-{building}"), [])      # 12号1幢 may be 12-1号
        if house is not None and sub_door:
            return NONE, None, np.nan, "ambiguous", tuple(sorted({house, *sub_door}))
    return (house, method, score, None, None) if house is not None else (NONE, None, np.nan, "no_such_house", None)


def _the_door_numbers_one_house(houses: list, road: str, number: str, index: HouseIndex):
    """A record's building at a door number the street knows as one house without buildings (小河路12号3幢, where
    the street has 小河路12号 alone, as OSM and many house tables do): that house; none where the street knows
    several houses or a building there."""
    if len(houses) == 1 and index.by_key.get((road, number, None)) == houses[0]:
        return houses[0]
    return None


def _in_village(village, group, number: str, building, index: HouseIndex) -> tuple:
    """新塘村3组12号, or 新塘村12号 without its group: the one house of that village at that number (and
    building), in that group (or hamlet) where the record names one and the house knows its own."""
    if village not in index.villages:
        return _in_village_sounding_alike(village, group, number, building, index)
    method = "village"
    houses = index.in_village.get((village, number, building or ""), {})
    if building and (village, number) not in index.village_buildings:     # the door number's house has none
        houses, method = index.in_village.get((village, number, ""), {}), "door_number"
    fits = sorted(at for at, own in houses.items() if _same_group(own, group))
    if len(fits) == 1:
        return fits[0], method, 100.0, None, None
    return (NONE, None, np.nan, "ambiguous", tuple(fits)) if fits else (NONE, None, np.nan, "no_such_house", None)


def _same_group(own, written) -> bool:
    """A house's group (3) or hamlet (张头) and a record's may be the same: equal, or either unsaid, or one a group's
    number and the other a hamlet's name, which do not compare."""
    return not own or not written or own == written or own.isdigit() != written.isdigit()


def _in_village_sounding_alike(village, group, number: str, building, index: HouseIndex) -> tuple:
    """新堂村3组12号 for 新塘村3组12号: the village of the street the record's village sounds like (``homophones``),
    as ``_in_village``; where the record's fits several villages' houses, ambiguous."""
    fits = _houses_by_name((known, *_in_village(known, group, number, building, index)[::4])
                           for known in index.villages_alike.of(village))
    if len(fits) == 1:
        house, known = fits.popitem()
        return house, "homophone", fuzz.ratio(village, known), None, None
    return (NONE, None, np.nan, "ambiguous", tuple(sorted(fits))) if fits else (NONE, None, np.nan, "road_unknown", None)


def _by_compound(compound, building, index: HouseIndex) -> tuple:
    """(house, reason, candidates, name read, method) for an address by its compound and building (和睦新村12幢): the compound as
    written, else without the road or village before it and a letter building glued on (万塘路古荡湾新村,
    泰嘉园K幢), else also without a city or county written bare before it (金华义乌通汇新村), each also with 小区
    taken off or put on (青园 for 青园小区), else the compound of the street each ends with, where a place of two
    characters or more is written before it (拱宸桥和睦新村, 东关春江花园; 新和睦新村 may be another compound), else
    in another phase (``_in_another_phase``), else a compound it sounds like (``_sounding_alike``); an ambiguous
    answer is final."""
    if not compound:
        return NONE, "unparsed", None, None, None
    parts = [compound_parts(compound, front) for front in (False, True)]
    tries = list(dict.fromkeys([(strip_admin_prefix(compound, bare=False), building),
                                *((p.compound, p.building(building)) for p in parts if p.compound)]))
    tries += dict.fromkeys((other, part) for name, part in tries if (other := _other_way(name)))
    tries += dict.fromkeys((known, part) for name, part in tries
                           if (known := index.compound_names.ending(name, before=2)))
    first = None
    for name, part in tries:
        answer = (*_in_compound(name, part, index), name)
        if answer[0] != NONE or answer[1] == "ambiguous":
            return (*answer, "compound")
        first = first or answer
    for name, part in tries:
        answer = _in_another_phase(name, part, index)
        if answer[0] != NONE or answer[1] == "ambiguous":
            return (*answer, "compound")
    if answer := _among(lambda name: [] if ENDS_IN_COMPOUND.search(name) else index.short_names.get(name, []),
                        tries, index):
        return (*answer, "short_name")
    answer = _sounding_alike(tries, index)
    return (*answer, "homophone") if answer else (*first, None)


def _sounding_alike(tries, index: HouseIndex) -> tuple | None:
    """The house of a compound the street knows that the record's compound sounds like, one character typed
    for another of the same sound (和穆新村12幢 for 和睦新村12幢; ``homophones``): as ``_by_compound``; where
    several houses fit, ambiguous; None where no compound sounds like it, or where the street knows the compound
    as written (金华苑4幢 where 金华苑 has no building 4 is not 锦华苑4幢)."""
    if any(index.compound_names.ending(name) == name for name, _ in tries):
        return None
    return _among(index.sounds_alike.of, tries, index)


def _among(names_meant, tries, index: HouseIndex) -> tuple | None:
    """(house, reason, candidates, name) from the compounds the street knows that a record's compound may mean
    (``names_meant``: name → the known names): the one house they find for its building; where several fit,
    ambiguous; None where none does.  A short name (和睦12幢 for 和睦新村12幢: only where the record writes no
    compound word) and a homophone are found so."""
    fits = _houses_by_name((known, *_in_compound(known, part, index)[::2])
                           for name, part in tries for known in names_meant(name))
    if len(fits) == 1:
        house, known = fits.popitem()
        return house, None, None, known
    return (NONE, "ambiguous", tuple(sorted(fits)), tries[0][0]) if fits else None


def _houses_by_name(answers) -> dict:
    """house → the name that found it, from (name, house, candidates) answers of several names a record may mean:
    a name's one house, or each house it could be (one house in all: the record's; several: ambiguous)."""
    fits = {}
    for name, house, could_be in answers:
        fits.update(dict.fromkeys({house} if house != NONE else could_be or (), name))
    return fits


def _other_way(name: str) -> str | None:
    """The compound's name with its optional word (小区) taken off or put on: 青园小区 ↔ 青园, 和睦新村 → 和睦新村小区,
    before a numbered area or phase too (朝晖小区9区 ↔ 朝晖9区); none where one character would be left (新小区)."""
    if phase := PHASE.fullmatch(name):
        base = _other_way(phase["base"])
        return base + name[len(phase["base"]):] if base else None
    if not name.endswith(OPTIONAL):
        return name + OPTIONAL
    return name[:-len(OPTIONAL)] if len(name) - len(OPTIONAL) >= 2 else None


def _in_another_phase(compound, building, index: HouseIndex) -> tuple:
    """Where the record and the street write a compound's phase or numbered area differently: 和睦新村1期12幢 or
    和睦新村3区12幢 where the street names none of 和睦新村 (the phase is read off); 和睦新村12幢 where the street names
    only its phases (the one phase with a building 12; where several have one, ambiguous, never a guess).  As
    ``_by_compound``."""
    if not building:
        return NONE, "building_missing", None, compound
    if (match := PHASE.fullmatch(compound)) and match["base"] not in index.phases:
        answer = (*_in_compound(match["base"], building, index), match["base"])
        if answer[0] != NONE or answer[1] == "ambiguous":
            return answer
    fits = _houses_by_name((phased, *_in_compound(phased, building, index)[::2])
                           for phased in index.phases.get(compound, ()))
    if len(fits) == 1:
        house, phased = fits.popitem()
        return house, None, None, phased
    return (NONE, "ambiguous", tuple(sorted(fits)), compound) if fits else (NONE, "no_such_house", None, compound)


def _in_compound(compound, building, index: HouseIndex) -> tuple:
    if not building and (compound, "") not in index.by_compound:
        return NONE, "building_missing", None
    building = building or ""
    if (compound, building) in index.compounds_shared:
        return NONE, "ambiguous", index.compounds_shared[(compound, building)]
    house = index.by_compound.get((compound, building))
    return (house, None, None) if house is not None else (NONE, "no_such_house", None)


def match_locations(points: np.ndarray, index: HouseIndex) -> pd.DataFrame:
    """house position, method and distance for points: inside a footprint, else nearest within tolerance."""
    n = len(points)
    house = np.full(n, NONE)
    distance = np.full(n, np.nan)
    located = ~shapely.is_missing(points) & ~shapely.is_empty(points)
    where = np.flatnonzero(located)
    point_idx, house_idx = index.tree.query(points[where], predicate="intersects")
    # a point in several footprints (a building part drawn inside its building, a shared wall) goes to the
    # smallest: the most specific house; one house per point
    order = np.lexsort((house_idx, index.area[house_idx], point_idx))
    point_idx, house_idx = point_idx[order], house_idx[order]
    first = np.unique(point_idx, return_index=True)[1]
    house[where[point_idx[first]]] = house_idx[first]
    distance[where[point_idx[first]]] = 0.0
    rest = np.flatnonzero(located & (house < 0))
    if len(rest):
        near_point, near_house = index.tree.query_nearest(points[rest], max_distance=index.options.tolerance_m,
                                                          all_matches=False)
        house[rest[near_point]] = near_house
        distance[rest[near_point]] = shapely.distance(points[rest[near_point]], index.geometry[near_house])
    method = np.where(distance == 0, "location_inside", np.where(house >= 0, "location_nearest", None))
    score = np.where(house >= 0, 100.0 * (1 - np.nan_to_num(distance) / index.options.tolerance_m), np.nan)
    return pd.DataFrame({"house": house, "method": method, "score": score, "distance": distance})
