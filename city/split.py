"""City-wide layers split onto streets: a street project per street, ready for the street run.

- zones and houses go to the street their inside point is in;
- bases, roads and water to every street they come within `buffer_m` of, so a
  patrol route that leaves the street and comes back counts, and the bases of
  neighbouring streets are there (reported apart by coverage, as other zones'
  bases are today);
- records (people, units, events, sensors, …), as a city's data office exports
  them, are split on Dask with dask-geopandas, partition by partition, never as
  one frame: by location where they have a point, else by the address's road or
  compound (the words of each street's own house addresses) or the street's name;
  a record no street takes goes to the city's unmatched table with the reason.
Records are written as GeoParquet per street (hive-partitioned), which the street
run reads like any other input.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..grid_tools.address import components
from ..layers.crs import choose_projected_crs
from ..layers.errors import InputError
from ..layers.fields import match_fields
from ..layers.geopackage import write_geopackage
from ..layers.project import InputSpec
from ..layers.readers import read_source, table_to_frame
from ..layers.schema import SCHEMA
from ..layers.tables import TABLE_SUFFIXES, WORKBOOK_SUFFIXES
from .project import STREETS_SPEC, StreetEntry

AREA_KINDS = ("grids", "patrol_zones", "defense_zones", "communities", "houses")
REACH_KINDS = ("bases", "roads", "water")
STREET_COLUMN = "__street"
REASONS = {"outside": ("outside every street", "不在任何街道范围内"),
           "no_place": ("no point, and no road, compound or street name of the city in the address",
                        "无坐标，地址中也没有本市的道路、小区或街道名称"),
           "several": ("the address's road runs through several streets, and the record has no point",
                       "无坐标，地址中的道路跨多个街道")}


@dataclass
class Split:
    streets: list               # StreetEntry per street, its project written under the split folder
    unmatched: pd.DataFrame     # records and features no street took, with the reason
    counts: pd.DataFrame        # per kind and street: how many went where


def read_streets(spec: InputSpec) -> gpd.GeoDataFrame:
    """The streets layer (街道): a name per polygon, in a projected CRS for the whole city."""
    raw = read_source(spec).frame
    mapping = match_fields(list(raw.columns), STREETS_SPEC, spec.fields)
    if "name" not in mapping:
        raise InputError("the streets layer needs a name column (街道名称, 街道, name); map it with "
                         "[inputs.streets.fields] name = \"…\"", spec.label)
    names = raw[mapping["name"]].astype(str).str.strip()
    if names.duplicated().any():
        raise InputError(f"streets share a name: {', '.join(sorted(set(names[names.duplicated()])))}", spec.label)
    if raw.crs is None:
        raise InputError("the streets layer has no CRS", spec.label)
    streets = gpd.GeoDataFrame({"street": names.to_numpy()}, geometry=raw.geometry.to_numpy(), crs=raw.crs)
    return streets.to_crs(choose_projected_crs([streets]))


def split_city(inputs: dict, out: Path, buffer_m: float, progress=None) -> Split:
    """Each street's inputs under ``out``/<street>/, and its project file; ``inputs`` the city's InputSpecs."""
    say = progress or (lambda text: None)
    streets = read_streets(inputs["streets"])
    out = Path(out)
    layers = {name: {} for name in streets["street"]}
    unmatched, counts = [], []
    for kind in AREA_KINDS + REACH_KINDS:
        if kind not in inputs:
            continue
        say(f"splitting {kind}")
        frame = _projected(read_source(inputs[kind]).frame, streets.crs, inputs[kind])
        parts = _by_reach(frame, streets, buffer_m) if kind in REACH_KINDS else _by_inside(frame, streets)
        for name, part in parts.items():
            layers[name][kind] = part
        if kind in AREA_KINDS:
            taken = pd.concat([p.index.to_series() for p in parts.values()]) if parts else pd.Series(dtype=int)
            left = frame.drop(index=taken.unique())
            unmatched.append(_unmatched(left, kind, inputs[kind], "outside"))
        counts += [{"kind": kind, "street": name, "records": len(part)} for name, part in parts.items()]
    houses = {name: found["houses"] for name, found in layers.items() if "houses" in found}
    words = address_words(houses)
    record_paths = {}
    for kind in (k for k in inputs if k in SCHEMA and k not in AREA_KINDS + REACH_KINDS):
        say(f"splitting {kind} on Dask")
        result = split_records(inputs[kind], streets, words, out / "records" / kind)
        record_paths[kind] = result.folder
        unmatched.append(result.unmatched)
        counts += [{"kind": kind, "street": name, "records": n} for name, n in result.counts.items()]
    entries = [_write_street(out / name, name, found, record_paths, inputs) for name, found in layers.items()]
    return Split(entries, pd.concat([u for u in unmatched if len(u)] or [_unmatched(pd.DataFrame(), "", None, "")],
                                    ignore_index=True), pd.DataFrame(counts))


def _projected(frame: gpd.GeoDataFrame, crs, spec: InputSpec) -> gpd.GeoDataFrame:
    if frame.crs is None:
        if spec.crs is None:
            raise InputError("has no CRS; give crs = \"EPSG:…\" in the city file", spec.label)
        frame = frame.set_crs(spec.crs)
    return frame[frame.geometry.notna()].to_crs(crs)


def _by_inside(frame: gpd.GeoDataFrame, streets: gpd.GeoDataFrame) -> dict:
    """Each feature to the street its inside point is in (a zone on a border goes where most of it is)."""
    points = shapely.point_on_surface(frame.geometry.to_numpy())
    feature, street = streets.sindex.query(points, predicate="within")
    first = pd.Series(street, index=feature).groupby(level=0).first()
    chosen = frame.iloc[first.index]
    return {streets["street"].iloc[s]: part for s, part in chosen.groupby(first.to_numpy())}


def _by_reach(frame: gpd.GeoDataFrame, streets: gpd.GeoDataFrame, buffer_m: float) -> dict:
    """Each feature to every street it comes within ``buffer_m`` of."""
    areas = shapely.buffer(streets.geometry.to_numpy(), buffer_m)
    street, feature = frame.sindex.query(areas, predicate="intersects")
    return {streets["street"].iloc[s]: frame.iloc[np.sort(feature[street == s])] for s in np.unique(street)}


def address_words(houses: dict) -> dict:
    """road, compound or whole address → street, from the streets' own house addresses and compound names
    (words in one street only; a word in several maps to None)."""
    rows = []
    for name, frame in houses.items():
        fields = match_fields(list(frame.columns), SCHEMA["houses"], {})
        if "compound" in fields:        # a record may name only its compound (和睦新村1幢)
            rows.append(pd.DataFrame({"word": frame[fields["compound"]].to_numpy(), "street": name}).dropna())
        if "address" not in fields:
            continue
        addresses = frame[fields["address"]].astype("string").str.strip().reset_index(drop=True)
        parts = components(addresses)
        for words in (parts["road"], parts["compound"], addresses):
            rows.append(pd.DataFrame({"word": words, "street": name}).dropna())
    if not rows:
        return {}
    words = pd.concat(rows).drop_duplicates()
    streets_per_word = words.groupby("word")["street"].nunique()
    words = words[words["word"].map(streets_per_word) == 1]
    several = {word: None for word in streets_per_word[streets_per_word > 1].index}
    return {**several, **dict(zip(words["word"], words["street"]))}


def assign_streets(frame: gpd.GeoDataFrame, streets: gpd.GeoDataFrame, words: dict, address: str | None) -> pd.Series:
    """Per record: its street's name, or '?reason' when none takes it (a partition's worth at a time)."""
    result = pd.Series("?no_place", index=frame.index, dtype=object)
    located = frame.geometry.notna().to_numpy()
    if located.any():
        points = frame.geometry[located].to_crs(streets.crs).to_numpy()
        record, street = streets.sindex.query(points, predicate="within")
        inside = pd.Series(streets["street"].to_numpy()[street], index=record).groupby(level=0).first()
        placed = np.full(located.sum(), "?outside", dtype=object)
        placed[inside.index] = inside.to_numpy()
        result[located] = placed
    if address and (~located).any():
        text = frame.loc[~located, address].astype("string").str.strip().reset_index(drop=True)
        parts = components(text)
        found = pd.Series([None] * len(text), dtype=object)
        for candidates in (text, parts["road"], parts["compound"]):      # a house's own address first
            matched = candidates.map(lambda word: (words[word] or "?several") if word in words else None)
            found = found.where(found.notna(), matched)
        for name in streets["street"]:
            named = text.str.contains(name, regex=False).fillna(False).to_numpy()
            found[named & found.isna().to_numpy()] = name
        result[~located] = found.fillna("?no_place").to_numpy()
    return result


@dataclass
class RecordSplit:
    folder: Path
    counts: dict
    unmatched: pd.DataFrame


def split_records(spec: InputSpec, streets: gpd.GeoDataFrame, words: dict, folder: Path) -> RecordSplit:
    """A city-wide record file onto streets with dask-geopandas, one partition at a time: GeoParquet per
    street under ``folder`` (hive-partitioned by street)."""
    import dask

    frame = _partitions(spec)
    mapping = match_fields(list(frame.columns), SCHEMA[spec.kind], spec.fields)
    address = mapping.get("address")
    assigned = frame.map_partitions(
        lambda part: part.assign(**{STREET_COLUMN: assign_streets(part, streets, words, address).astype("string")}),
        meta=frame._meta.assign(**{STREET_COLUMN: pd.Series(dtype="string")}))      # Arrow needs a string type
    taken = assigned[~assigned[STREET_COLUMN].str.startswith("?")]
    written = taken.to_parquet(folder, partition_on=[STREET_COLUMN], write_index=False, compute=False)
    # one pass over the file: the parquet, the counts and the records no street took, computed together
    _, counts, left = dask.compute(written, taken[STREET_COLUMN].value_counts(),
                                   assigned[assigned[STREET_COLUMN].str.startswith("?")])
    counts = counts.to_dict()
    reasons = left[STREET_COLUMN].str[1:] if len(left) else pd.Series(dtype=object)
    unmatched = pd.concat([_unmatched(part, spec.kind, spec, reason) for reason, part in left.groupby(reasons)]
                          or [_unmatched(pd.DataFrame(), spec.kind, spec, "")], ignore_index=True)
    return RecordSplit(Path(folder), counts, unmatched)


def _partitions(spec: InputSpec, rows_per_partition: int = 250_000):
    """The record file as a dask-geopandas frame: vector files read in chunks, tables in blocks."""
    import dask.dataframe as dd
    import dask_geopandas

    path = Path(spec.path)
    if path.suffix.lower() in TABLE_SUFFIXES - WORKBOOK_SUFFIXES:
        from ..layers.encoding import detect_file_encoding

        encoding, _ = detect_file_encoding(path, spec.encoding)
        table = dd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, blocksize="64MB",
                            sep="\t" if path.suffix.lower() == ".tsv" else ",")
        sample = table_to_frame(table._meta.replace("", None), spec)[0]
        return dask_geopandas.from_dask_dataframe(
            table.map_partitions(lambda part: table_to_frame(part.replace("", None), spec)[0], meta=sample))
    if path.suffix.lower() in WORKBOOK_SUFFIXES:       # workbooks are small: read whole, split in partitions
        frame = read_source(spec).frame
        return dask_geopandas.from_geopandas(frame, chunksize=rows_per_partition)
    return dask_geopandas.read_file(path, layer=spec.layer, chunksize=rows_per_partition)


def _unmatched(frame: pd.DataFrame, kind: str, spec: InputSpec | None, reason: str) -> pd.DataFrame:
    """The city's unmatched rows: source, record ID, address, reason (en, zh); nothing else of the record."""
    columns = ["source", "record_id", "address", "reason", "reason_en", "reason_zh"]
    if not len(frame):
        return pd.DataFrame(columns=columns)
    mapping = match_fields(list(frame.columns), SCHEMA[kind], spec.fields if spec else {})
    id_column = mapping.get(SCHEMA[kind].id_field or "")
    en, zh = REASONS[reason]
    return pd.DataFrame({
        "source": kind, "record_id": frame[id_column].astype(str).to_numpy() if id_column else frame.index.astype(str),
        "address": frame[mapping["address"]].to_numpy() if "address" in mapping else None,
        "reason": reason, "reason_en": en, "reason_zh": zh})


def _write_street(folder: Path, name: str, layers: dict, records: dict, inputs: dict) -> StreetEntry:
    """The street's own GeoPackage of zones, houses, bases and roads, and a project that reads it and its
    records; the city file's field maps and values carried over."""
    folder.mkdir(parents=True, exist_ok=True)
    write_geopackage(folder / "street.gpkg", layers)
    lines = [f"# {name}: split from the city's layers by gridgov city", "", "[street]", f'name = "{name}"', ""]
    for kind in layers:
        lines += _input_lines(kind, "street.gpkg", inputs[kind], layer=kind)
    for kind, path in records.items():
        part = Path(path) / f"{STREET_COLUMN}={name}"
        if part.exists():
            lines += _input_lines(kind, str(part), inputs[kind])
    project = folder / "street.toml"
    project.write_text("\n".join(lines), encoding="utf-8")
    return StreetEntry(name, project)


def _input_lines(kind: str, path: str, spec: InputSpec, layer: str | None = None) -> list:
    lines = [f"[inputs.{kind}]", f"path = {_quoted(path)}"] + ([f'layer = "{layer}"'] if layer else [])
    if spec.fields:
        lines += [f"[inputs.{kind}.fields]"] + [f"{k} = {_quoted(v)}" for k, v in spec.fields.items()]
    for field_name, mapping in spec.values.items():
        lines += [f"[inputs.{kind}.values.{field_name}]"] + [f"{_quoted(k)} = {_quoted(v)}" for k, v in mapping.items()]
    return lines + [""]


def _quoted(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'
