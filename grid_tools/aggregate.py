"""Per house, the counts the risk model needs (人、房、事 gathered on one address)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..layers.schema import SCHEMA

CHANNELS = sorted(set(SCHEMA["events"].value_aliases["channel"].values()))

# column → which people count (a boolean Series over unique persons)
PEOPLE_COUNTS = {
    "people": lambda p: pd.Series(True, index=p.index),
    "residents": lambda p: p["kind"].eq("resident") if "kind" in p else None,
    "floating": lambda p: p["kind"].eq("floating") if "kind" in p else None,
    "renters": lambda p: p["is_renter"].eq(True) if "is_renter" in p else None,
    "elderly_alone": lambda p: p["elderly_alone"].eq(True) if "elderly_alone" in p else None,
    "under_care": lambda p: p["under_care"].eq(True) if "under_care" in p else None,
}
UNIT_COUNTS = {
    "units": lambda u: pd.Series(True, index=u.index),
    "units_enterprise": lambda u: u["kind"].eq("enterprise") if "kind" in u else None,
    "units_shop": lambda u: u["kind"].eq("shop") if "kind" in u else None,
    "units_prepaid": lambda u: None if "kind" not in u and "prepaid" not in u else
                               (u["kind"].eq("prepaid") if "kind" in u else False) |
                               (u["prepaid"].eq(True) if "prepaid" in u else False),   # a units file with neither
}


def _counts(frame, rules: dict) -> pd.DataFrame:
    """Per house ID, how many matched records each rule selects (counted on integer codes)."""
    matched = frame[frame["house_id"].notna()]
    codes, ids = pd.factorize(matched["house_id"])
    columns = {}
    for name, rule in rules.items():
        mask = rule(matched)
        if mask is not None:
            columns[name] = np.bincount(codes[mask.fillna(False).to_numpy(dtype=bool)], minlength=len(ids))
    return pd.DataFrame(columns, index=pd.Index(ids, name="house_id"))


def people_counts(people) -> pd.DataFrame:
    unique = people[people["duplicate_of"].isna()] if "duplicate_of" in people else people
    counts = _counts(unique, PEOPLE_COUNTS)
    rented = unique[unique["house_id"].notna() & unique["room"].notna()]
    if "is_renter" in rented:
        rented = rented[rented["is_renter"].eq(True).fillna(False).astype(bool)]
        per_room = rented.groupby(["house_id", "unit", "room"], dropna=False).size()
        counts["renter_rooms"] = per_room.groupby(level="house_id").size()
        counts["max_renters_in_room"] = per_room.groupby(level="house_id").max()
    return counts


def event_counts(events, reference, window_days: int, recent_days: int) -> pd.DataFrame:
    """Events in the window before reference, by channel; open ones; recent ones; fire alarms."""
    if "reported_at" in events:
        when = pd.to_datetime(events["reported_at"])
        in_window = (when > reference - pd.Timedelta(days=window_days)) & (when <= reference)
        recent = (when > reference - pd.Timedelta(days=recent_days)) & (when <= reference)
    else:   # undated events all count, none as recent
        in_window = pd.Series(True, index=events.index)
        recent = pd.Series(False, index=events.index)
    channel = events["channel"] if "channel" in events else pd.Series(None, index=events.index)
    rules = {"events": lambda e: in_window[e.index]}
    for name in CHANNELS:
        rules[f"events_{name}"] = lambda e, name=name: in_window[e.index] & channel[e.index].eq(name)
    rules["events_open"] = lambda e: in_window[e.index] & e["status"].eq("open") if "status" in e else None
    rules["events_recent"] = lambda e: recent[e.index]
    rules["alarms_recent"] = lambda e: recent[e.index] & channel[e.index].eq("fire_iot")
    return _counts(events, rules)


def house_counts(houses, records: dict, reference, window_days: int, recent_days: int) -> pd.DataFrame:
    """All counts for every house (0 where nothing points at it), in the houses' order."""
    parts = []
    if "people" in records:
        parts.append(people_counts(records["people"]))
    if "units" in records:
        parts.append(_counts(records["units"], UNIT_COUNTS))
    if "events" in records:
        parts.append(event_counts(records["events"], reference, window_days, recent_days))
    if "sensors" in records:
        parts.append(_counts(records["sensors"], {"sensors": lambda s: pd.Series(True, index=s.index)}))
    counts = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=pd.Index([], name="house_id"))
    return counts.reindex(houses["house_id"]).fillna(0).astype(int).set_index(houses.index)
