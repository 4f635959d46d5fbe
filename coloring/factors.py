"""How each risk factor turns a house's joined counts into a value and points.

Every function takes the houses (with the join's counts), the matched events
and the factor's parameters, and returns a frame indexed like the houses with
`value` (what triggers compare), `points` (already capped) and the fields its
reason text needs (see resources/factors.toml).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

STOREY_M = 3.0   # height from floors when a house has no height


def _column(houses, name) -> pd.Series:
    if name in houses:
        return pd.to_numeric(houses[name], errors="coerce").fillna(0)
    return pd.Series(0.0, index=houses.index)


def _capped(points, params) -> pd.Series:
    points = points.clip(lower=0)
    return points.clip(upper=params["cap"]) if "cap" in params else points


def _per_item(houses, column, params) -> pd.DataFrame:
    count = _column(houses, column)
    return pd.DataFrame({"value": count, "points": _capped(count * params["weight"], params), "count": count.astype(int)})


def floating_share(houses, events, params, reference):
    people, floating = _column(houses, "people"), _column(houses, "floating")
    share = (floating / people.where(people > 0)).fillna(0)
    judged = people >= params.get("min_people", 1)
    threshold = params.get("threshold", 0.0)
    points = np.where(judged & (share > threshold), params["weight"] * (share - threshold) / (1 - threshold), 0)
    return pd.DataFrame({"value": share.where(judged, 0), "points": _capped(pd.Series(points, index=houses.index), params),
                         "share": share, "floating": floating.astype(int), "people": people.astype(int)})


def crowded_rental(houses, events, params, reference):
    most = _column(houses, "max_renters_in_room")
    points = params["weight"] * (most - params["threshold"])
    return pd.DataFrame({"value": most, "points": _capped(points, params), "most": most.astype(int),
                         "renters": _column(houses, "renters").astype(int),
                         "rooms": _column(houses, "renter_rooms").astype(int)})


def elderly_alone(houses, events, params, reference):
    return _per_item(houses, "elderly_alone", params)


def under_care(houses, events, params, reference):
    return _per_item(houses, "under_care", params)


def open_events(houses, events, params, reference):
    return _per_item(houses, "events_open", params)


def fire_alarms(houses, events, params, reference):
    return _per_item(houses, "alarms_recent", params)


def prepaid_complaints(houses, events, params, reference):
    complaints = _column(houses, "events_12345") + _column(houses, "events_96315")
    complaints = complaints.where(_column(houses, "units_prepaid") > 0, 0)
    return pd.DataFrame({"value": complaints, "points": _capped(complaints * params["weight"], params),
                         "count": complaints.astype(int)})


def building_height(houses, events, params, reference):
    height = _column(houses, "height_m")
    height = height.where(height > 0, _column(houses, "floors") * STOREY_M)
    points = np.where(height >= params.get("super_high_rise_m", np.inf), params.get("super_weight", params["weight"]),
                      np.where(height >= params["high_rise_m"], params["weight"], 0))
    return pd.DataFrame({"value": height, "points": pd.Series(points, index=houses.index, dtype=float),
                         "height": height})


def events(houses, matched_events, params, reference):
    """Events in the window, weighted by channel, halving every half_life_days."""
    weights = params.get("channels", {})
    if matched_events is None or "reported_at" not in matched_events or matched_events.empty:
        return _events_from_counts(houses, weights, params)
    frame = matched_events[matched_events["house_id"].notna()]
    age_days = (reference - pd.to_datetime(frame["reported_at"])).dt.total_seconds() / 86400
    weight = frame["channel"].map(lambda c: weights.get(c, 1.0)).astype(float)
    counted = (age_days >= 0) & (age_days <= 365) & (weight > 0)
    frame, age_days, weight = frame[counted], age_days[counted], weight[counted]
    decayed = (weight * 0.5 ** (age_days / params["half_life_days"])).groupby(frame["house_id"]).sum()
    by_channel = frame.groupby(["house_id", "channel"]).size().unstack(fill_value=0)
    ids = houses["house_id"]
    points = pd.Series(decayed.reindex(ids).fillna(0).to_numpy() * params["weight"], index=houses.index)
    count = pd.Series(by_channel.sum(axis=1).reindex(ids).fillna(0).astype(int).to_numpy(), index=houses.index)
    return pd.DataFrame({"value": count, "points": _capped(points, params), "count": count,
                         "channels": _channel_text(by_channel, ids, houses.index)})


def _events_from_counts(houses, weights, params):
    """Without event records: the join's counts per channel, undecayed."""
    columns = {c: f"events_{c}" for c in weights if weights[c] > 0 and f"events_{c}" in houses}
    by_channel = pd.DataFrame({c: _column(houses, col).astype(int) for c, col in columns.items()}, index=houses.index)
    count = by_channel.sum(axis=1) if columns else pd.Series(0, index=houses.index)
    points = sum((by_channel[c] * weights[c] for c in columns), pd.Series(0.0, index=houses.index)) * params["weight"]
    text = _channel_text(by_channel.set_index(houses["house_id"]), houses["house_id"], houses.index)
    return pd.DataFrame({"value": count, "points": _capped(points, params), "count": count, "channels": text})


def _channel_text(by_channel: pd.DataFrame, ids, index) -> pd.Series:
    """'12345×3, grid×1' for each house, most frequent channel first ('' for houses with none)."""
    by_channel = by_channel[by_channel.sum(axis=1) > 0]
    texts = pd.Series([", ".join(f"{c}×{n}" for c, n in sorted(row.items(), key=lambda kv: -kv[1]) if n)
                       for row in by_channel.to_dict("records")], index=by_channel.index, dtype=object)
    return pd.Series(texts.reindex(ids).fillna("").to_numpy(), index=index, dtype=object)


COMPUTE = {f.__name__: f for f in (floating_share, crowded_rental, elderly_alone, under_care, events, open_events,
                                   fire_alarms, prepaid_complaints, building_height)}
