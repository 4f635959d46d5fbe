"""Text encodings of Chinese data files: UTF-8 (with or without BOM) or GBK/GB18030.

Shapefiles from Chinese desktop GIS often carry a GBK .dbf with no .cpg, and
spreadsheets saved by Excel come as GBK CSV.  A strict UTF-8 decode almost
never succeeds on GBK text with Chinese in it, so trying UTF-8 first and
falling back to GB18030 (a superset of GBK and GB2312) is reliable.
"""
from __future__ import annotations

import codecs
import struct
from pathlib import Path

from .errors import InputError

# .cpg contents and dBASE language-driver IDs that mean a Chinese code page.
_CPG_NAMES = {"936": "gb18030", "cp936": "gb18030", "gbk": "gb18030", "gb2312": "gb18030",
              "gb18030": "gb18030", "utf-8": "utf-8", "utf8": "utf-8", "65001": "utf-8"}
_SAMPLE_BYTES = 4 * 1024 * 1024


def detect_text_encoding(data: bytes, source: str = "") -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError as error:
            # A sample may cut a multi-byte character at its end.
            if error.start >= len(data) - 4:
                return encoding
    raise InputError("text is neither UTF-8 nor GBK/GB18030; state its encoding in the project file", source)


def detect_file_encoding(path) -> str:
    with open(path, "rb") as handle:
        return detect_text_encoding(handle.read(_SAMPLE_BYTES), str(path))


def detect_dbf_encoding(shp_path) -> str:
    """The encoding of a shapefile's attributes: its .cpg if any, else its bytes."""
    shp_path = Path(shp_path)
    for cpg in (shp_path.with_suffix(".cpg"), shp_path.with_suffix(".CPG")):
        if cpg.exists():
            name = cpg.read_text(encoding="ascii", errors="ignore").strip().lower()
            if name in _CPG_NAMES:
                return _CPG_NAMES[name]
    dbf = next((p for p in (shp_path.with_suffix(".dbf"), shp_path.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        raise InputError("the shapefile has no .dbf attribute file", str(shp_path))
    with open(dbf, "rb") as handle:
        header = handle.read(32)
        header_length = struct.unpack("<H", header[8:10])[0]
        handle.seek(header_length)
        records = handle.read(_SAMPLE_BYTES)
    encoding = detect_text_encoding(records, str(dbf))
    return "utf-8" if encoding == "utf-8-sig" else encoding
