"""Map a layer's own field names to the canonical ones and give values their types."""
from __future__ import annotations

import pandas as pd

from .report import Report
from .schema import LayerSpec, name_key

TRUE_WORDS = {"1", "true", "t", "yes", "y", "是", "有", "√", "✓"}
FALSE_WORDS = {"0", "false", "f", "no", "n", "否", "无", "×", "✗"}


def match_fields(columns, spec: LayerSpec, user_map: dict) -> dict:
    """canonical name -> column, from the project file first, then by name and alias."""
    mapping = {canonical: column for canonical, column in user_map.items() if column in columns}
    taken = set(mapping.values())
    keys = {name_key(c): c for c in reversed(list(columns))}   # first column wins on a tie
    for name, fspec in spec.fields.items():
        if name in mapping:
            continue
        for candidate in (name, *fspec.aliases):
            column = keys.get(name_key(candidate))
            if column is not None and column not in taken:
                mapping[name] = column
                taken.add(column)
                break
    return mapping


def rename_fields(frame, mapping: dict):
    """Canonical names for mapped columns; other columns keep theirs (nothing is dropped)."""
    canonical = set(mapping)
    renames = {column: name for name, column in mapping.items()}
    for column in frame.columns:
        if column not in renames and column in canonical and column != frame.geometry.name:
            renames[column] = f"{column}_source"   # an unmapped column that would collide
    return frame.rename(columns=renames)


def _as_bool(values: pd.Series) -> pd.Series:
    words = values.astype("string").str.strip().str.casefold()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[words.isin(TRUE_WORDS)] = True
    result[words.isin(FALSE_WORDS)] = False
    return result


# 2024年3月5日 8时30分 → 2024-3-5 8:30
CHINESE_DATE = [(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?", r"\1-\2-\3"),
                (r"(\d{1,2})\s*[时点]\s*(\d{1,2})\s*分?", r"\1:\2"), (r"[时点]$", ":00")]
DAY_OR_MONTH_FIRST = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"       # 05/03/2024: 5 March or May 3? not guessed
EXCEL_SERIAL = (20000, 80000)       # Excel day numbers of 1954 to 2119, when a date column was saved as numbers


def _as_datetime(values: pd.Series) -> pd.Series:
    """Dates as people and systems write them: ISO, 2024/3/5, 2024年3月5日, Excel day numbers.  A date
    whose day and month could be either way round is left empty (and reported), never guessed."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    text = values.astype("string").str.strip()
    for pattern, replacement in CHINESE_DATE:
        text = text.str.replace(pattern, replacement, regex=True)
    ambiguous = text.str.match(DAY_OR_MONTH_FIRST).fillna(False)
    serial = pd.to_numeric(text.where(text.str.fullmatch(r"\d{5}(\.\d+)?").fillna(False)), errors="coerce")
    serial = serial.where(serial.between(*EXCEL_SERIAL))
    parsed = pd.to_datetime(text.where(~ambiguous & serial.isna()), errors="coerce", format="mixed")
    from_serial = pd.Timestamp("1899-12-30") + pd.to_timedelta(serial, unit="D")
    return parsed.where(serial.isna(), from_serial)


def _as_str(values: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(values.dtype) and not pd.api.types.is_object_dtype(values.dtype):
        return values.str.strip()   # already text: a vectorised strip (Arrow's, with pyarrow)
    return values.astype(object).map(lambda v: None if v is None or v != v else str(v).strip()).astype(object)


CONVERTERS = {
    "str": _as_str,
    "int": lambda v: pd.to_numeric(v, errors="coerce").round().astype("Int64"),
    "float": lambda v: pd.to_numeric(v, errors="coerce").astype(float),
    "bool": _as_bool,
    "datetime": _as_datetime,
}


def coerce_types(frame, spec: LayerSpec, report: Report, source: str):
    """Give each canonical column its declared type; report what could not be read."""
    frame = frame.copy()
    for name, fspec in spec.fields.items():
        if name not in frame.columns:
            continue
        raw = frame[name]
        converted = CONVERTERS[fspec.type](raw)
        lost = raw.notna() & (raw.astype("string").str.strip() != "") & converted.isna()
        if lost.any():
            report.add("bad_value", spec.kind, source=source, field=name, count=int(lost.sum()),
                       detail=fspec.type, examples=raw[lost].astype(str).unique())
        frame[name] = converted
        if fspec.code:
            _report_lost_digits(converted, spec, name, report, source)
        if name in spec.value_aliases:
            frame[name] = _canonical_values(frame[name], spec, name, report, source)
    return frame


NUMBER_FORMS = r"^\d+(\.\d*)?[eE][+]?\d+$|^\d+\.0+$"     # 3.30105199001011E+17, 13812345678.0


def _report_lost_digits(values: pd.Series, spec: LayerSpec, name: str, report: Report, source: str):
    """Codes (ID-card, phone numbers) that went through a number on their way here: 3.30105199001011E+17
    has lost its last digits for good; 13812345678.0 has kept them, but says the column was numeric."""
    text = values.astype("string")
    numeric = text.str.match(NUMBER_FORMS).fillna(False)
    if numeric.any():
        report.add("digits_lost", spec.kind, source=source, field=name, count=int(numeric.sum()),
                   detail="like " + ", ".join(f"{v[:4]}…{v[-4:]}" for v in text[numeric].head(2)))


def _canonical_values(values: pd.Series, spec: LayerSpec, name: str, report: Report, source: str):
    aliases = spec.value_aliases[name]
    distinct = values.dropna().unique()      # a few distinct words however many records
    canonical = values.map({v: aliases.get(name_key(v)) for v in distinct})
    unknown = values.notna() & canonical.isna()
    if unknown.any():
        names = values[unknown].value_counts()
        report.add("unknown_value", spec.kind, source=source, field=name, count=int(unknown.sum()),
                   detail=", ".join(f"{v} ({n})" for v, n in names.head(5).items()))
    return canonical.where(~unknown, values).astype(object).where(values.notna(), None)


def apply_value_map(frame, value_map: dict):
    """The project's own words for a field's values (``""`` stands for an empty value), as given."""
    if not value_map:
        return frame
    frame = frame.copy()
    for name, mapping in value_map.items():
        if name not in frame.columns:
            continue
        text = frame[name].astype("string").str.strip().fillna("")
        mapped = text.map({str(k).strip(): v for k, v in mapping.items()})
        frame[name] = mapped.where(mapped.notna(), frame[name]).astype(object)
    return frame
