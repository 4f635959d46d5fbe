"""People, units, events and sensors of the demo street (all synthetic).

Records point at houses the way real ones do: by an address with the usual
flaws, by coordinates (phone GPS, a few metres off; some from AMap-based apps
in GCJ-02; a few with longitude and latitude swapped), or both, and a few by
neither.  Known shares make the matching measurable.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..layers.gcj02 import wgs84_to_gcj02
from .addresses import recorded_addresses
from .identities import HOME_REGIONS, id_numbers, names, phones
from .osm import CHANNELS

RECORD_CRS = "EPSG:4490"     # CGCS2000 longitude/latitude, as the source systems deliver them
END = np.datetime64("2026-11-30T23:59:59")
YEAR_S = 365 * 24 * 3600
EVENT_YEARS = 2
SYNTHETIC = "synthetic (gridgov demo)"
# share of records located by: address only, coordinates only, both, neither
LOCATED_BY = {"address": 0.35, "coordinates": 0.05, "both": 0.598, "neither": 0.002}
SWAPPED_SHARE = 0.005
GPS_NOISE_M = 4.0
OUTSIDE_SHARE = 0.004        # records that belong to another street
OUTSIDE_ADDRESSES = ["浙江省杭州市西湖区文三路90号1幢", "杭州市上城区解放路138号2幢", "滨江区江南大道588号5幢"]


def _where(houses, rows, rng, district, units=None, rooms=None):
    """Address text, point and the address's form for records in houses.iloc[rows], per LOCATED_BY."""
    n = len(rows)
    how = rng.choice(list(LOCATED_BY), size=n, p=list(LOCATED_BY.values()))
    address, form = recorded_addresses(houses, rows, units, rooms, district, rng)
    outside = rng.random(n) < OUTSIDE_SHARE
    address[outside] = rng.choice(OUTSIDE_ADDRESSES, outside.sum())
    form[outside] = "other_street"
    address[np.isin(how, ["coordinates", "neither"])] = None
    form[np.isin(how, ["coordinates", "neither"])] = None
    inside = shapely.point_on_surface(houses.geometry.to_numpy()[rows])
    xy = shapely.get_coordinates(inside) + rng.normal(0, GPS_NOISE_M, (n, 2))
    points = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=houses.crs).to_crs(RECORD_CRS)
    lon, lat = points.x.to_numpy(copy=True), points.y.to_numpy(copy=True)
    swapped = rng.random(n) < SWAPPED_SHARE
    lon[swapped], lat[swapped] = lat[swapped], lon[swapped].copy()
    no_point = np.isin(how, ["address", "neither"]) | outside
    lon[no_point] = np.nan
    lat[no_point] = np.nan
    return address, lon, lat, form


def _frame(columns: dict, lon, lat, houses, rows, form=None) -> gpd.GeoDataFrame:
    """Records as a layer, with the house the generator put each in and the form it wrote the address in
    (the truth that matching is measured against; real data has no such columns)."""
    points = gpd.points_from_xy(lon, lat)
    points[np.isnan(lon)] = None
    frame = gpd.GeoDataFrame(columns, geometry=points, crs=RECORD_CRS)
    frame["synthetic_house_id"] = houses["house_id"].to_numpy()[rows]
    if form is not None:
        frame["synthetic_address_form"] = form
    frame["source"] = SYNTHETIC
    return frame


def _rooms(houses, rows, rng):
    floors = houses["floors"].to_numpy()[rows]
    floor = rng.integers(1, floors + 1)
    unit = rng.integers(1, 5, len(rows))
    flat = rng.integers(1, 3, len(rows))
    return unit, np.char.add(floor.astype(str), np.char.zfill(flat.astype(str), 2))


def people(houses, area: dict, scale: float, rng) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The people, and per house the facts their trouble depends on (for events())."""
    residents, floating = (int(round(area[k] * scale)) for k in ("residents", "floating"))
    n = residents + floating
    homes = houses["kind"].isin(["residential", "shop"]).to_numpy()
    capacity = np.where(homes, shapely.area(houses.geometry.to_numpy()) * houses["floors"].to_numpy(), 0)
    rows = rng.choice(len(houses), size=n, p=capacity / capacity.sum())
    unit, room = _rooms(houses, rows, rng)
    kind = np.array(["resident"] * residents + ["floating"] * floating, dtype=object)
    rng.shuffle(kind)
    floating_mask = kind == "floating"
    age = np.where(floating_mask, rng.normal(32, 9, n), rng.gamma(4.0, 11.0, n))
    unlikely = (age < 0.5) | (age > 98)
    age[unlikely] = rng.uniform(1, 90, unlikely.sum())   # no pile of people on one birthday
    age_days = age * 365.25
    birth = (END.astype("datetime64[D]") - age_days.astype("timedelta64[D]"))
    male = rng.random(n) < 0.51
    regions = np.where(floating_mask, rng.choice(HOME_REGIONS, n), area["region_code"])
    renter = np.where(floating_mask, rng.random(n) < 0.85, rng.random(n) < 0.12)
    elderly_alone = (age >= 70) & (rng.random(n) < 0.18)
    under_care = rng.random(n) < 0.003
    crowded_rows = _crowd_rentals(rows, room, unit, renter, floating_mask, houses, rng)
    address, lon, lat, form = _where(houses, rows, rng, area["district"], unit, room)
    frame = _frame({
        "person_id": [f"P{i:07d}" for i in range(n)],
        "name": names(n, rng), "id_number": id_numbers(regions, birth, male, rng), "phone": phones(n, rng),
        "gender": np.where(male, "男", "女"), "birth_date": np.datetime_as_string(birth, unit="D"),
        "kind": np.where(floating_mask, "流动人口", "户籍人口"),
        "is_renter": np.where(renter, "是", "否"), "elderly_alone": np.where(elderly_alone, "是", "否"),
        "under_care": np.where(under_care, "是", "否"), "address": address,
    }, lon, lat, houses, rows, form)
    return _with_duplicates(frame, rng), _house_facts(len(houses), rows, floating_mask, under_care, crowded_rows)


def _crowd_rentals(rows, room, unit, renter, floating_mask, houses, rng):
    """Group rentals (群租): a few flats packed with renters, a risk planners look for."""
    candidates = np.flatnonzero(floating_mask)
    crowded = []
    for _ in range(max(1, len(rows) // 3000)):
        packed = rng.choice(candidates, size=min(len(candidates), rng.integers(8, 16)), replace=False)
        rows[packed], room[packed], unit[packed] = rows[packed[0]], room[packed[0]], unit[packed[0]]
        renter[packed] = True
        crowded.append(rows[packed[0]])
    return np.array(crowded, dtype=int)


def _with_duplicates(frame, rng, share=0.01):
    """The same person pushed twice (police system and community register), as in real data."""
    twins = frame.sample(frac=share, random_state=rng.integers(2**31)).copy()
    twins["person_id"] = [f"P{i:07d}" for i in range(len(frame), len(frame) + len(twins))]
    twins["phone"] = np.where(rng.random(len(twins)) < 0.5, twins["phone"], None)
    return pd.concat([frame, twins], ignore_index=True)


UNIT_KINDS = {"enterprise": 0.40, "shop": 0.45, "prepaid": 0.15}
UNIT_HOUSES = {"enterprise": ["office", "industrial", "shop"], "shop": ["shop", "residential"], "prepaid": ["shop", "office"]}
CATEGORIES = {"enterprise": ["软件和信息技术", "商务服务", "批发零售", "制造", "建筑装饰"],
              "shop": ["餐饮", "便利店", "五金", "服装", "理发"],
              "prepaid": ["健身房", "美容美发", "教育培训", "洗车", "母婴护理"]}
NAME_WORDS = list("华信达盛鑫源泰恒瑞丰祥和顺通宏远兴隆安康嘉利")
KIND_ZH = {"enterprise": "企业", "shop": "个体工商户", "prepaid": "预付式"}


def units(houses, area: dict, scale: float, rng) -> gpd.GeoDataFrame:
    n = int(round(area["units"] * scale))
    kind = rng.choice(list(UNIT_KINDS), size=n, p=list(UNIT_KINDS.values()))
    rows = np.empty(n, dtype=int)
    for k, uses in UNIT_HOUSES.items():
        pool = np.flatnonzero(houses["kind"].isin(uses).to_numpy())
        pool = pool if len(pool) else np.arange(len(houses))
        rows[kind == k] = rng.choice(pool, size=(kind == k).sum())
    category = np.array([rng.choice(CATEGORIES[k]) for k in kind], dtype=object)
    word = np.char.add(rng.choice(NAME_WORDS, n), rng.choice(NAME_WORDS, n))
    name = np.where(kind == "enterprise", np.char.add(np.char.add("杭州", word), "科技有限公司"),
                    np.char.add(word, category.astype(str)))
    address, lon, lat, form = _where(houses, rows, rng, area["district"])
    code = np.char.add(f"9133{area['region_code'][2:]}MA", np.char.zfill(_distinct(rng.integers(0, 10**8, n)).astype(str), 8))
    return _frame({"unit_id": code, "name": name, "kind": [KIND_ZH[k] for k in kind], "category": category,
                   "prepaid": np.where(kind == "prepaid", "是", "否"), "address": address}, lon, lat, houses, rows, form)


# The registers' changes the enterprise watch reads: a share of the units change something each half
# year, each item as a register writes it (变更事项 in Chinese, values as the registers have them).
CHANGE_SHARE = 0.12
OTHER_TAX_REGIONS = ["余杭区税务局", "滨江区税务局", "萧山区税务局", "上海市浦东新区税务局"]


def unit_changes(units: gpd.GeoDataFrame, area: dict, rng) -> pd.DataFrame:
    """Change records of some units over the last half year: tax region, executives, addresses, tax
    takings, status; each kind of change present, some of them the ones that send a visit."""
    picked = np.flatnonzero(rng.random(len(units)) < CHANGE_SHARE)
    items = rng.choice(["纳税地", "法定代表人", "经营地址", "注册地址", "纳税额", "经营状态"], len(picked))
    when = END - rng.integers(0, 180 * 86400, len(picked)).astype("timedelta64[s]")
    local = f"{area['district']}税务局"
    before, after = [], []
    for item, unit in zip(items, units.iloc[picked].itertuples()):
        if item == "纳税地":
            before.append(local), after.append(rng.choice(OTHER_TAX_REGIONS))
        elif item == "法定代表人":
            before.append(None), after.append(None)         # who: the register has it, the demo does not need it
        elif item in ("经营地址", "注册地址"):
            before.append(unit.address), after.append(f"杭州市{rng.choice(['余杭区', '滨江区'])}文一西路{rng.integers(1, 999)}号")
        elif item == "纳税额":
            amount = int(rng.integers(50, 2000)) * 1000
            before.append(str(amount)), after.append(str(int(amount * rng.uniform(0.3, 1.6))))
        else:
            before.append("存续"), after.append(rng.choice(["经营异常", "注销", "存续（在营）"]))
    return pd.DataFrame({"unit_id": units["unit_id"].to_numpy()[picked], "changed_at": np.datetime_as_string(when, unit="D"),
                         "item": items, "before": before, "after": after})


def _distinct(numbers: np.ndarray) -> np.ndarray:
    """Random serial numbers made unique: a repeat takes the next numbers above them all (at 3,000 units
    repeats are rare; at 60,000 some are sure), so the random draw and the street stay as they were."""
    repeated = pd.Series(numbers).duplicated().to_numpy()
    numbers = numbers.copy()
    numbers[repeated] = (numbers.max() + 1 + np.arange(repeated.sum())) % 10**8
    return numbers


SENSOR_KINDS = {"smoke": ("独立烟感", ["residential", "shop"]), "gas": ("可燃气体", ["shop"]),
                "water_pressure": ("消防水压", ["residential", "office"]),
                "electricity": ("智慧用电", ["shop", "industrial", "office"])}


def sensors(houses, area: dict, scale: float, rng) -> gpd.GeoDataFrame:
    n = int(round(area["sensors"] * scale))
    kind = rng.choice(list(SENSOR_KINDS), size=n)
    rows = np.empty(n, dtype=int)
    for k, (_, uses) in SENSOR_KINDS.items():
        pool = np.flatnonzero(houses["kind"].isin(uses).to_numpy()
                              & ((houses["floors"].to_numpy() >= 10) | (k != "water_pressure")))
        pool = pool if len(pool) else np.arange(len(houses))
        rows[kind == k] = rng.choice(pool, size=(kind == k).sum())
    # Sensors are installed by the operator at known points: exact address and location.
    xy = gpd.GeoSeries(shapely.point_on_surface(houses.geometry.to_numpy()[rows]), crs=houses.crs).to_crs(RECORD_CRS)
    installed = END - rng.integers(YEAR_S, 4 * YEAR_S, n).astype("timedelta64[s]")
    frame = _frame({"sensor_id": [f"IOT{i:06d}" for i in range(n)],
                    "kind": [SENSOR_KINDS[k][0] for k in kind],
                    "address": houses["address"].to_numpy()[rows],
                    "installed_at": np.datetime_as_string(installed, unit="s")},
                   xy.x.to_numpy(copy=True), xy.y.to_numpy(copy=True), houses, rows)
    return frame, rows


def events(houses, facts, unit_frame, unit_rows, sensor_rows, area: dict, scale: float, rng) -> gpd.GeoDataFrame:
    """Two years of events (``area["events"]`` a year), drawn from each house's hidden propensity (from
    ``facts``, what people() knew of its people), with
    alarms from sensors and bursts of complaints from distinct channels at a few prepaid businesses
    (企业"冒烟")."""
    n = int(round(area["events"] * scale * EVENT_YEARS))
    channel_names = list(CHANNELS)
    share = np.array([CHANNELS[c]["share"] for c in channel_names])
    channel = rng.choice(channel_names, size=n, p=share / share.sum())
    heat = propensity(facts, rng)
    rows = rng.choice(len(houses), size=n, p=heat / heat.sum())
    reported = END - rng.integers(0, EVENT_YEARS * YEAR_S, n).astype("timedelta64[s]")
    sensor = np.full(n, None, dtype=object)
    alarms = np.flatnonzero(channel == "fire_iot")
    if len(sensor_rows) and len(alarms):
        picked = rng.integers(0, len(sensor_rows), len(alarms))
        rows[alarms] = sensor_rows[picked]
        sensor[alarms] = [f"IOT{i:06d}" for i in picked]
    rows, channel, reported, sensor = _smoke_bursts(rows, channel, reported, sensor, unit_frame, unit_rows, rng)
    n = len(rows)
    category = np.empty(n, dtype=object)
    for name in np.unique(channel):
        mine = channel == name
        category[mine] = rng.choice(CHANNELS[name]["categories"], size=int(mine.sum()))
    age_s = (END - reported).astype(int)
    closed = rng.random(n) < np.where(age_s > 30 * 24 * 3600, 0.9993, 0.6)
    dispatched_at, arrived_at, feedback_at, closed_at = _lifecycle(reported, channel, rng)
    resolved = rng.choice(list(RESOLVED_AT), size=n, p=list(RESOLVED_AT.values()))
    address, lon, lat, form = _where(houses, rows, rng, area["district"])
    gcj = channel == "12345"   # the hotline's app locates callers on an AMap basemap
    lon[gcj & ~np.isnan(lon)], lat[gcj & ~np.isnan(lat)] = wgs84_to_gcj02(lon[gcj & ~np.isnan(lon)], lat[gcj & ~np.isnan(lat)])
    sensor_located = sensor != None  # noqa: E711 (numpy elementwise)
    address[sensor_located] = houses["address"].to_numpy()[rows[sensor_located]]
    form[sensor_located] = "house_address"
    order = np.argsort(reported)
    frame = _frame({
        "event_id": [f"E{i:07d}" for i in range(n)],
        "channel": channel[order], "category": category[order],
        "summary": [f"{c}（合成数据）" for c in category[order]],
        "reported_at": np.datetime_as_string(reported[order], unit="s"),
        "status": np.where(closed[order], "已办结", "办理中"),
        "dispatched_at": _times_until(dispatched_at[order], END), "arrived_at": _times_until(arrived_at[order], END),
        "feedback_at": _times_until(feedback_at[order], END),
        "closed_at": np.where(closed[order] & (closed_at[order] <= END), np.datetime_as_string(closed_at[order], unit="s"),
                              None),
        "resolved_level": np.where(closed[order], resolved[order], None),
        "sensor_id": sensor[order], "address": address[order],
    }, lon[order], lat[order], houses, rows[order], form[order])
    frame["channel"] = frame["channel"].map(CHANNEL_ZH)
    return frame


# How a house's hidden propensity for trouble grows with the facts the rules read (multipliers of the
# noise): a back-test on the demo then has something real to find, and rules that read other facts find
# nothing.  Past events come from the same propensity, so they predict the next ones too.
PROPENSITY = {"floating_share": 2.0,     # exp(2.0 × share): a house all floating has 7× the trouble
              "crowded_flat": 1.5,       # a group rental (8+ renters in one flat): 4.5×
              "under_care": 1.0}         # someone under special care: 2.7×


def propensity(facts: pd.DataFrame, rng) -> np.ndarray:
    """Per house: heavy-tailed noise (some houses are hot spots for no recorded reason) times the facts."""
    return (rng.pareto(1.5, len(facts)) + 0.2) * np.exp(facts[list(PROPENSITY)].to_numpy() @ np.array(list(PROPENSITY.values())))


def _house_facts(n_houses, rows, floating_mask, under_care, crowded_rows) -> pd.DataFrame:
    """What the generator knows of each house's people (the truth, before any address is written)."""
    people = np.bincount(rows, minlength=n_houses)
    return pd.DataFrame({
        "floating_share": np.bincount(rows, weights=floating_mask, minlength=n_houses) / np.maximum(people, 1),
        "crowded_flat": np.isin(np.arange(n_houses), crowded_rows).astype(float),
        "under_care": (np.bincount(rows, weights=under_care, minlength=n_houses) > 0).astype(float)})


# The loop's stage times after the report, minutes (lognormal: median, spread), and where matters are
# resolved: near the 1:3:6 of the reference street.
STAGES_MIN = {"dispatch": (12, 0.8), "arrive": (20, 0.6), "feedback": (480, 1.0), "close": (2 * 1440, 0.9)}
RESOLVED_AT = {"区级": 0.08, "街道": 0.29, "社区": 0.63}


def _lifecycle(reported, channel, rng):
    """Dispatched, on site, first reply and closed times: each stage after the one before; alarms and 110
    calls are dispatched at once."""
    n = len(reported)
    urgent = np.isin(channel, ["110", "fire_iot"])
    times, at = [], reported
    for stage, (median, spread) in STAGES_MIN.items():
        minutes = rng.lognormal(np.log(median), spread, n)
        if stage == "dispatch":
            minutes = np.where(urgent, minutes / 6, minutes)
        at = at + (minutes * 60).astype("timedelta64[s]")
        times.append(at)
    return times


def _times_until(times, end):
    """The times as text, none after the end of the data (a stage not reached yet)."""
    return np.where(times <= end, np.datetime_as_string(times, unit="s"), None)


CHANNEL_ZH = {"grid": "网格平台", "110": "110", "12345": "12345", "96315": "96315",
              "labour": "劳动监察", "fire_iot": "消防物联"}
SMOKE_CHANNELS = np.array(["12345", "96315", "labour", "grid"])


def _smoke_bursts(rows, channel, reported, sensor, unit_frame, unit_rows, rng):
    prepaid = np.flatnonzero(unit_frame["kind"].to_numpy() == "预付式")
    if not len(prepaid):
        return rows, channel, reported, sensor
    bursts = rng.choice(prepaid, size=min(len(prepaid), max(3, len(rows) // 400)), replace=False)
    extra_rows, extra_channel, extra_time = [], [], []
    for unit in bursts:
        count = rng.integers(3, 9)
        start = END - rng.integers(0, YEAR_S - 60 * 86400).astype("timedelta64[s]")
        extra_rows += [unit_rows[unit]] * count
        extra_channel += list(rng.choice(SMOKE_CHANNELS, count))
        extra_time += list(start - rng.integers(0, 45 * 86400, count).astype("timedelta64[s]"))
    m = len(extra_rows)
    return (np.concatenate([rows, extra_rows]), np.concatenate([channel, extra_channel]),
            np.concatenate([reported, np.array(extra_time, dtype="datetime64[s]")]),
            np.concatenate([sensor, np.full(m, None, dtype=object)]))
