"""An address that comes split into columns (街路巷, 门牌号, 小区, 楼栋号, 单元号, 户室号) written back into one, so
that records exported so are matched as any other address."""
from __future__ import annotations

import pandas as pd

from .report import Report
from .schema import ADDRESS_PARTS, LayerSpec
from .validate import examples

BARE = r"[0-9A-Za-z一二三四五六七八九十〇零两]$"      # a value that needs its word: 12, A, 十二 (not 12号, 3号楼)


def address_from_parts(frame, spec: LayerSpec, report: Report, source: str):
    """The frame with each empty address written from the record's address columns, where it has any; the
    user's other columns are left as they are, and the report says how many were written so."""
    present = [part for part in ADDRESS_PARTS if part.name in frame.columns]
    if not present:
        return frame
    composed = written_addresses(frame)
    address = frame["address"].astype("string").str.strip() if "address" in frame.columns else \
        pd.Series(pd.NA, index=frame.index, dtype="string")
    written = (address.isna() | (address == "")) & (composed != "")
    if not written.any():
        return frame
    frame = frame.copy()
    frame["address"] = address.astype(object).where(~written, composed).where(lambda a: a.notna(), None)
    report.add("address_from_parts", spec.kind, source=source, count=int(written.sum()),
               detail=", ".join(part.name for part in present), examples=examples(frame, written, spec))
    return frame


def written_addresses(frame: pd.DataFrame) -> pd.Series:
    """Each row's address written from the address columns it has (by their canonical names), in their order;
    '' where a row has none of them filled."""
    pieces = [_written(frame[part.name], part.word) for part in ADDRESS_PARTS if part.name in frame.columns]
    return pd.concat(pieces, axis=1).fillna("").agg("".join, axis=1) if pieces else \
        pd.Series("", index=frame.index, dtype=object)


def _written(values: pd.Series, word: str) -> pd.Series:
    """One column as it is written in an address: stripped, a number a float field made (12.0) whole again, a
    bare number or letter followed by its word."""
    text = values.astype("string").str.strip().str.replace(r"^(\d+)\.0+$", r"\1", regex=True).replace("", pd.NA)
    bare = text.str.contains(BARE, na=False)
    return text.where(~bare, text + word)
