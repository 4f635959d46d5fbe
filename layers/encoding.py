"""Text encodings of Chinese data files: UTF-8 (with or without BOM) or GBK/GB18030, and UTF-16 with its BOM
(Excel's "Unicode text", tab-separated).

Shapefiles from Chinese desktop GIS often carry a GBK .dbf with no .cpg, and
spreadsheets saved by Excel come as GBK CSV.  A strict UTF-8 decode almost
never succeeds on GBK text with Chinese in it, so trying UTF-8 first and
falling back to GB18030 (a superset of GBK and GB2312) is reliable.
"""
from __future__ import annotations

import codecs
import struct
import zipfile
from pathlib import Path

from .errors import InputError

# .cpg contents and dBASE language-driver IDs that mean a Chinese code page.
_CPG_NAMES = {"936": "gb18030", "cp936": "gb18030", "gbk": "gb18030", "gb2312": "gb18030",
              "gb18030": "gb18030", "utf-8": "utf-8", "utf8": "utf-8", "65001": "utf-8"}
_SAMPLE_BYTES = 4 * 1024 * 1024


def detect_text_encoding(data: bytes, source: str = "") -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"         # the codec reads the BOM and the byte order from it
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError as error:
            # A sample may cut a multi-byte character at its end.
            if error.start >= len(data) - 4:
                return encoding
    raise InputError("text is neither UTF-8 nor GBK/GB18030; state its encoding in the project file", source)


def _canonical(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return {"utf-8-sig": "utf-8", "gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030"}.get(name, name)


def checked_encoding(stated: str | None, sample: bytes, source: str = "") -> tuple:
    """(the encoding to read with, a note when the stated one was wrong).

    A .cpg or a project's `encoding` that the bytes contradict (UTF-8 stated, GBK bytes that are not
    UTF-8; GBK stated, bytes that are valid UTF-8 with Chinese in them, which GBK would turn into
    mojibake) loses to the bytes, and the note says so."""
    actual = detect_text_encoding(sample, source)
    if not stated:
        return actual, ""
    if sample.isascii() or _canonical(stated) == _canonical(actual):
        return stated, ""
    return actual, f"stated {stated.upper()}, the bytes are {_canonical(actual).upper()}"


def _sample(path, offset: int = 0) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(_SAMPLE_BYTES)


def detect_file_encoding(path, stated: str | None = None) -> tuple:
    """(encoding, note) of a text file: the stated one unless its bytes say otherwise."""
    return checked_encoding(stated, _sample(path), str(path))


def detect_zipped_dbf_encoding(zip_path, stated: str | None = None) -> tuple:
    """(encoding, note) of the shapefile inside a .zip, as for one on disk; ("", "") when there is none."""
    with zipfile.ZipFile(zip_path) as archive:
        names = {Path(n).suffix.lower(): n for n in archive.namelist()}
        if ".dbf" not in names:
            return "", ""
        if stated is None and ".cpg" in names:
            stated = _CPG_NAMES.get(archive.read(names[".cpg"]).decode("ascii", "ignore").strip().lower())
        with archive.open(names[".dbf"]) as dbf:
            header_length = struct.unpack("<H", dbf.read(32)[8:10])[0]
            dbf.read(header_length - 32)
            sample = dbf.read(_SAMPLE_BYTES)
    encoding, note = checked_encoding(stated, sample, str(zip_path))
    return ("utf-8" if encoding == "utf-8-sig" else encoding), note


def detect_dbf_encoding(shp_path, stated: str | None = None) -> tuple:
    """(encoding, note) of a shapefile's attributes: the stated encoding or its .cpg, checked against the
    bytes of its records; the bytes alone when neither says."""
    shp_path = Path(shp_path)
    for cpg in (shp_path.with_suffix(".cpg"), shp_path.with_suffix(".CPG")):
        if stated is None and cpg.exists():
            name = cpg.read_text(encoding="ascii", errors="ignore").strip().lower()
            stated = _CPG_NAMES.get(name)
    dbf = next((p for p in (shp_path.with_suffix(".dbf"), shp_path.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        raise InputError("the shapefile has no .dbf attribute file", str(shp_path))
    with open(dbf, "rb") as handle:
        header_length = struct.unpack("<H", handle.read(32)[8:10])[0]
    encoding, note = checked_encoding(stated, _sample(dbf, header_length), str(dbf))
    return ("utf-8" if encoding == "utf-8-sig" else encoding), note
