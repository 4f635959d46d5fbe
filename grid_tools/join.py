"""Gather people, units, events and sensor alarms onto houses, with nothing lost.

Every input record ends up in exactly one place: matched to a house (with the
method and score), or in the unmatched table with its reason.  Events also get
their dispatch keys (grid, community, patrol zone, defense zone) from their
house or, failing that, from their own point.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from ..layers.errors import InputError
from ..layers.gcj02 import gcj02_to_wgs84
from ..layers.report import Report
from ..layers.schema import SCHEMA
from .address import trimmed
from .aggregate import house_counts
from .matching import HouseIndex, link_text, match_addresses, match_locations
from .options import JoinOptions, reason_text
from .zones import zone_ids

RECORD_KINDS = ("people", "units", "events", "sensors")
UNMATCHED_ONLY = ("unmatched_reason", "candidate_houses")   # said in the unmatched table, empty on a matched record


@dataclass
class JoinResult:
    houses: gpd.GeoDataFrame                   # with zone IDs and counts
    records: dict = field(default_factory=dict)  # kind -> every record, with match columns
    report: Report = field(default_factory=Report)
    reference_time: pd.Timestamp | None = None

    def matched(self, kind: str) -> gpd.GeoDataFrame:
        """The records of a kind that found their house (without the columns only an unmatched one fills)."""
        frame = self.records[kind]
        return frame.loc[frame["house_id"].notna(), [c for c in frame.columns if c not in UNMATCHED_ONLY]]

    @property
    def unmatched(self) -> gpd.GeoDataFrame:
        """One table of every record that matched no house, whatever its source, with the reason."""
        parts = []
        for kind, frame in self.records.items():
            rows = frame[frame["house_id"].isna()]
            id_field = SCHEMA[kind].id_field
            parts.append(gpd.GeoDataFrame({
                "source": kind, "record_id": rows[id_field].astype(str),
                "address": rows["address"] if "address" in rows else None,
                "reason": rows["unmatched_reason"],
                "reason_zh": rows["unmatched_reason"].map(lambda c: reason_text(c, "zh")),
                "reason_en": rows["unmatched_reason"].map(lambda c: reason_text(c, "en")),
                "candidate_houses": rows["candidate_houses"] if "candidate_houses" in rows else None,
            }, geometry=rows.geometry.to_numpy(), crs=frame.crs))
        if not parts:
            return gpd.GeoDataFrame({"source": [], "record_id": [], "reason": []}, geometry=[], crs=self.houses.crs)
        return pd.concat(parts, ignore_index=True)

    @property
    def match_report(self) -> pd.DataFrame:
        """Records per source and method (or unmatched reason), with shares of the source."""
        rows = []
        for kind, frame in self.records.items():
            outcome = frame["match_method"].where(frame["house_id"].notna(), "unmatched: " + frame["unmatched_reason"].fillna(""))
            for method, count in outcome.value_counts().items():
                rows.append({"source": kind, "outcome": method, "records": int(count), "share": count / len(frame)})
        return pd.DataFrame(rows, columns=["source", "outcome", "records", "share"])


def _to_lonlat(points: np.ndarray, crs) -> np.ndarray:
    return gpd.GeoSeries(points, crs=crs).to_crs(4326).to_numpy()


def _from_gcj02(points: np.ndarray, crs) -> np.ndarray:
    lonlat = _to_lonlat(points, crs)
    lon, lat = gcj02_to_wgs84(shapely.get_x(lonlat), shapely.get_y(lonlat))
    return gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=4326).to_crs(crs).to_numpy()


def _gcj02_groups(records, has_house, points, house_geom, kind, options, report) -> np.ndarray:
    """Which records' points are GCJ-02: groups (an event channel, or a whole layer) in which
    most address-matched points sit off their house but back on it once shifted from GCJ-02."""
    checked = has_house & ~shapely.is_missing(points)
    if not checked.any():
        return np.zeros(len(points), dtype=bool)
    far = np.zeros(len(points), dtype=bool)
    far[checked] = shapely.distance(points[checked], house_geom[checked]) > options.tolerance_m
    near_once_shifted = np.zeros(len(points), dtype=bool)
    if far.any():
        near_once_shifted[far] = shapely.distance(_from_gcj02(points[far], records.crs),
                                                  house_geom[far]) <= options.tolerance_m
    group = records["channel"].fillna("").to_numpy() if kind == "events" and "channel" in records else \
        np.zeros(len(points), dtype=object)
    shifted = np.zeros(len(points), dtype=bool)
    names = []
    for name in pd.unique(group):
        members = group == name
        if near_once_shifted[members].sum() >= options.gcj02_share * checked[members].sum():
            shifted |= members & ~shapely.is_missing(points)
            names.append(str(name))
    if shifted.any():
        channels = ", ".join(names)
        report.add("gcj02_coordinates", kind, count=int(shifted.sum()),
                   detail=f" (channel {channels})" if kind == "events" else "",
                   detail_zh=f"（渠道 {channels}）" if kind == "events" else "")
    return shifted


def match_layer(records: gpd.GeoDataFrame, kind: str, index: HouseIndex, options: JoinOptions,
                report: Report) -> gpd.GeoDataFrame:
    """The cascade for one source; returns every record with the match columns."""
    addresses = records["address"] if "address" in records else pd.Series(None, index=records.index, dtype=object)
    codes = records["address_code"] if "address_code" in records else None
    links = records["house_ref"] if "house_ref" in records else None
    by_address = match_addresses(addresses, index, codes, links)
    if links is not None:      # linked, yet not by its link: a house the street lacks
        unknown = link_text(links).notna().to_numpy() & (by_address["match_method"] != "house_link").to_numpy()
        if unknown.any():
            report.add("house_link_unknown", kind, count=int(unknown.sum()),
                       examples=records.loc[unknown, SCHEMA[kind].id_field])
    address_house = by_address["house"].to_numpy()
    has_house = address_house >= 0
    house_geom = np.where(has_house, index.geometry[np.maximum(address_house, 0)], None)
    points = shapely.point_on_surface(records.geometry.to_numpy())
    gcj02 = _gcj02_groups(records, has_house, points, house_geom, kind, options, report)
    if gcj02.any():
        points = points.copy()
        points[gcj02] = _from_gcj02(points[gcj02], records.crs)
    located = ~shapely.is_missing(points)
    distance = np.full(len(records), np.nan)
    both = has_house & located
    distance[both] = shapely.distance(points[both], house_geom[both])
    conflict = distance > options.tolerance_m
    if conflict.any():
        report.add("location_conflict", kind, count=int(conflict.sum()), detail=f"{options.tolerance_m:g}",
                   examples=records.loc[conflict, SCHEMA[kind].id_field])
    by_location = match_locations(np.where(has_house, None, points), index)
    location_house = by_location["house"].to_numpy()
    use_location = ~has_house & (location_house >= 0)
    house = np.where(use_location, location_house, address_house)
    out = records.copy()
    out["house_id"] = np.where(house >= 0, index.ids[np.maximum(house, 0)], None)
    out["match_method"] = np.where(use_location, by_location["method"], by_address["match_method"])
    out["match_score"] = np.where(use_location, by_location["score"], by_address["match_score"]).astype(float)
    out["match_distance_m"] = np.round(np.where(use_location, by_location["distance"], distance), 1)
    out["location_conflict"] = conflict
    out["gcj02"] = gcj02
    out["unit"], out["room"] = by_address["unit"].to_numpy(), by_address["room"].to_numpy()
    out["unmatched_reason"] = _reasons(by_address["reason"].to_numpy(), addresses, codes, links, located, house)
    out["candidate_houses"] = _candidate_text(by_address["candidates"].to_numpy(), house, index.ids)
    return out


SHOWN_CANDIDATES = 10


def _candidate_text(candidates, house, ids) -> np.ndarray:
    """For an unmatched record whose address fits several houses: '3: H1, H2, H3' (the first ten)."""
    text = np.full(len(house), None, dtype=object)
    for i in np.flatnonzero((house < 0) & pd.notna(candidates)):
        could_be = [str(ids[p]) for p in candidates[i]]
        text[i] = f"{len(could_be)}: " + ", ".join(could_be[:SHOWN_CANDIDATES]) + \
            (" …" if len(could_be) > SHOWN_CANDIDATES else "")
    return text


def _reasons(address_reason, addresses, codes, links, located, house) -> np.ndarray:
    """Why a record matched nothing: what went wrong with its address (or, where it has none, its address code
    or its house link), then with its point."""
    has_address = pc.is_valid(trimmed(addresses)).to_numpy(zero_copy_only=False)
    has_code = pc.is_valid(trimmed(codes)).to_numpy(zero_copy_only=False) if codes is not None else \
        np.zeros(len(house), dtype=bool)
    has_link = link_text(links).notna().to_numpy() if links is not None else np.zeros(len(house), dtype=bool)
    reasons = np.full(len(house), None, dtype=object)
    for i in np.flatnonzero(house < 0):
        if not has_address[i] and has_code[i]:
            reasons[i] = "code_unknown" + ("+too_far" if located[i] else "+no_coordinates")
        elif not has_address[i] and has_link[i]:
            reasons[i] = "house_link_unknown" + ("+too_far" if located[i] else "+no_coordinates")
        elif not has_address[i]:
            reasons[i] = "too_far" if located[i] else "no_location"
        else:
            reasons[i] = (address_reason[i] or "no_such_house") + ("+too_far" if located[i] else "+no_coordinates")
    return reasons


def _merge_duplicate_people(people: gpd.GeoDataFrame, report: Report) -> gpd.GeoDataFrame:
    """Mark repeated ID numbers: kept and linked to the first (matched first), counted once."""
    people = people.copy()
    people["duplicate_of"] = None
    if "id_number" not in people or people.empty:
        return people
    key = pc.utf8_upper(trimmed(people["id_number"]))
    order = np.argsort(people["house_id"].isna().to_numpy(), kind="stable")   # matched records first
    codes = pd.factorize(pd.Series(key.take(pa.array(order)), dtype=object), use_na_sentinel=True)[0]
    known = codes >= 0
    first = np.full(codes.max() + 1 if known.any() else 0, -1)
    _, first_seen = np.unique(codes[known], return_index=True)
    first[np.unique(codes[known])] = order[np.flatnonzero(known)[first_seen]]
    repeat_sorted = known & (order != first[np.maximum(codes, 0)])
    repeat = order[repeat_sorted]
    ids = people[SCHEMA["people"].id_field].to_numpy(dtype=object)
    duplicate_of = np.full(len(people), None, dtype=object)
    duplicate_of[repeat] = ids[first[codes[repeat_sorted]]]
    people["duplicate_of"] = duplicate_of
    if len(repeat):
        report.add("duplicate_people", "people", count=len(repeat), examples=ids[np.sort(repeat)][:5])
    return people


def _with_zones(frame, points, layers):
    zones = zone_ids(points, layers, index=frame.index)
    return frame.drop(columns=[c for c in zones.columns if c in frame]).join(zones)


def join_street(street, options: JoinOptions | None = None, progress=None) -> JoinResult:
    """Match every record of the street to a house and count them per house."""
    options = options or JoinOptions()
    step = progress or (lambda fraction, text: None)
    if street.houses is None or street.houses.empty:
        raise InputError("the street has no houses to gather records onto; add [inputs.houses]", layer="houses")
    report = Report(crs=street.report.crs)
    houses = street.houses
    house_points = shapely.point_on_surface(houses.geometry.to_numpy())
    houses = _with_zones(houses, house_points, street.layers)
    index = HouseIndex(houses, options, street.layers.get("address_library"))
    if index.library_unknown:
        report.add("library_house_unknown", "address_library", count=len(index.library_unknown),
                   examples=index.library_unknown)
    records = {}
    kinds = [k for k in RECORD_KINDS if street.layers.get(k) is not None]
    for number, kind in enumerate(kinds):
        step(number / (len(kinds) + 1), f"matching {kind}")
        records[kind] = match_layer(street.layers[kind], kind, index, options, report)
    if "people" in records:
        records["people"] = _merge_duplicate_people(records["people"], report)
    if "events" in records:
        records["events"] = _dispatch_keys(records["events"], houses, house_points, street.layers)
    reference = _reference_time(records.get("events"), options, report)
    step(len(kinds) / (len(kinds) + 1), "counting per house")
    counts = house_counts(houses, records, reference, options.window_days, options.recent_days)
    houses = houses.drop(columns=[c for c in counts.columns if c in houses]).join(counts)   # a re-join replaces
    for kind, frame in records.items():
        unmatched = frame["house_id"].isna()
        if unmatched.any():
            reasons = frame.loc[unmatched, "unmatched_reason"].value_counts()
            report.add("unmatched_records", kind, count=int(unmatched.sum()),
                       detail=", ".join(f"{reason_text(r, 'en')}: {n}" for r, n in reasons.head(4).items()),
                       detail_zh="，".join(f"{reason_text(r, 'zh')}：{n}" for r, n in reasons.head(4).items()),
                       examples=frame.loc[unmatched, SCHEMA[kind].id_field])
    step(1.0, "joined")
    return JoinResult(houses, records, report, reference)


def _dispatch_keys(events, houses, house_points, layers):
    """Zones from the event's house where it has one, else from its own point."""
    position = pd.Index(houses["house_id"]).get_indexer(events["house_id"])
    own = shapely.point_on_surface(events.geometry.to_numpy())
    points = np.where(position >= 0, house_points[np.maximum(position, 0)], own)
    return _with_zones(events, points, layers)


EARLIEST_PLAUSIBLE = pd.Timestamp("2000-01-01")


def _reference_time(events, options: JoinOptions, report: Report) -> pd.Timestamp:
    """The time events are counted back from: the latest event that is neither after today (a typo such as
    2204 would zero every count) nor before 2000; the ones set aside are reported."""
    now = pd.Timestamp.now().floor("s")
    if options.reference_time is not None:
        return pd.Timestamp(options.reference_time)
    if events is None or "reported_at" not in events or events["reported_at"].isna().all():
        return now
    when = pd.to_datetime(events["reported_at"])
    ids = events[SCHEMA["events"].id_field].astype(str) if SCHEMA["events"].id_field in events else events.index
    for code, wrong, shown in (("date_in_future", when > now + pd.Timedelta(days=1), when.max()),
                               ("date_implausible", when < EARLIEST_PLAUSIBLE, when.min())):
        if wrong.any():
            report.add(code, "events", field="reported_at", count=int(wrong.sum()), detail=f"{shown:%Y-%m-%d}",
                       examples=list(ids[wrong.to_numpy()]))
    plausible = when[(when <= now + pd.Timedelta(days=1)) & (when >= EARLIEST_PLAUSIBLE)]
    return plausible.max() if plausible.notna().any() else now
