"""Tables as exports come: delimited text, Excel workbooks (.xlsx, .xls) and web pages saved as .xls, read as
what their bytes are; the header found below the title and who filled the form in, which are kept to be said.
"""
from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..resources import RESOURCES
from .encoding import detect_file_encoding
from .errors import InputError
from .project import InputSpec
from .toml import read_toml

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
TABLE_SUFFIXES = {".csv", ".txt", ".tsv"} | WORKBOOK_SUFFIXES
ZIP, OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"     # Excel 2007 and after; Excel 97-2003 (BIFF)
HTML = re.compile(r"\ufeff?\s*<(?:!doctype|html|table|meta|head|\?xml)", re.IGNORECASE)    # a web page saved as .xls
SHAPE_ROWS = 200            # a table's first rows, read to find its header
TITLE_ROWS_AT_MOST = 10     # title rows above the header, at most
FOOTER_WORDS = tuple(read_toml(RESOURCES / "tables.toml")["footer_words"])
GENERIC_NAME = re.compile(r"(?i)field_?\d+")      # OGR's and QGIS's names for the columns of a sheet with no header


class TableRead(NamedTuple):
    table: pd.DataFrame     # text cells, None where empty, under the header's names
    title: str              # the rows above the header, skipped, as one line
    format: str             # CSV, XLSX, XLS, HTML table
    encoding: str = ""      # of a text table
    note: str = ""          # the stated encoding, where the bytes said otherwise
    footer: str = ""        # the rows below the table (合计, 制表人), skipped, as one line


def read_table(spec: InputSpec, path: Path) -> TableRead:
    """A table file as what its bytes are: a workbook by its engine, else text (delimited, or an HTML page's)."""
    suffix = path.suffix.lower()
    engine = _workbook_engine(spec, path) if suffix in WORKBOOK_SUFFIXES else None
    if engine:
        return _finished(TableRead(*_read_sheet(spec, path, engine), "XLS" if engine == "xlrd" else "XLSX"))
    encoding, note = detect_file_encoding(path, spec.encoding)
    with open(path, "r", encoding=encoding, newline="") as handle:
        text = handle.read()
    if not text.strip():
        raise InputError("is empty: no header and no rows", spec.path)
    return read_text_table(spec, text, suffix)._replace(encoding=encoding, note=note)


def read_text_table(spec: InputSpec, text: str, suffix: str) -> TableRead:
    """A table written as text: delimited (tabs for .tsv, else as its first lines show), or an HTML page's."""
    return _finished(TableRead(*_table_of_text(spec, text, suffix)))


def records_of_sheet(cells: pd.DataFrame, column: str) -> TableRead:
    """The records of a table open in QGIS, where QGIS read a sheet as it was written: its fields named Field1,
    Field2 … (OGR's names where the first row of a workbook is no header) or by a CSV's title (小河街道实有人口登记表,
    field_2, field_3), and the header row among the features; the header found below the title as files are read
    (the fields' names its first row), unless the cell of the addresses' ``column`` there holds a number (a first
    record, in a sheet with no header at all); the rows below the table (合计, 制表人) skipped in any table.  Rows
    keep the features' positions (the index); the columns are named by the header."""
    cells = cells.astype(object).where(cells.notna(), None)
    table, title = cells, ""
    if any(GENERIC_NAME.fullmatch(str(name)) for name in cells.columns):    # QGIS's names: no header, or a title
        names = [None if GENERIC_NAME.fullmatch(str(name)) else name for name in cells.columns]
        sheet = pd.concat([pd.DataFrame([names]), cells.set_axis(range(cells.shape[1]), axis=1)], ignore_index=True)
        headed, above = _below_its_header(sheet)
        below_names = len(headed) < len(cells)       # the header is a feature, not the fields' own names
        if below_names and not re.search(r"\d", headed.columns[list(cells.columns).index(column)]):  # else a record
            table, title = headed.set_axis(cells.index[len(cells) - len(headed):]), above
    return _finished(TableRead(table, title, "QGIS layer"))


def skipped_rows(title: str, footer: str) -> list:
    """The rows skipped above a table's header and below its records, in words (said wherever records are read)."""
    return [line for line, rows in (
        (f"the rows above the header, a title, were skipped 已跳过表头上方的标题行: {title}", title),
        (f"the rows below the table, a total or who made the form, were skipped 已跳过表格下方的表尾行: {footer}", footer))
        if rows]


def _finished(read: TableRead) -> TableRead:
    """Column names without surrounding spaces, the rows below the table (its footer) skipped and kept to be said."""
    read.table.columns = [str(c).strip() for c in read.table.columns]
    table, footer = _without_footer(read.table)
    return read._replace(table=table, footer=footer)


def _without_footer(table: pd.DataFrame) -> tuple:
    """(the table without the rows an export puts at its end, those rows as one line): a total, who made and
    checked the form, a note (tables.toml), and empty rows."""
    end = len(table)          # from the end up, a row at a time: a million records are not made Python lists
    while end and all(cell.startswith(FOOTER_WORDS) for cell in _filled(table.iloc[end - 1].tolist())):
        end -= 1
    return table.iloc[:end], _one_line(table.iloc[end:].to_numpy(dtype=object).tolist())


def _filled(row: list) -> list:
    return [cell.strip() for cell in row if isinstance(cell, str) and cell.strip()]


def _workbook_engine(spec: InputSpec, path: Path) -> str | None:
    """The reader of a workbook by what its bytes are, not by its name: openpyxl for an Excel 2007 and later
    workbook (a zip), xlrd for an Excel 97-2003 one (BIFF, .xls); None for text saved under a workbook's name, as
    web systems export it (an HTML table, or tab-separated text, named .xls)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(ZIP):
        return "openpyxl"
    if head.startswith(OLE2):
        return "xlrd"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):      # binary, and no UTF-16 text
        raise InputError("cannot be read as a workbook: it is neither an Excel workbook (.xlsx, .xls) nor a table "
                         "saved as text; open it in Excel or WPS and save it as .xlsx", spec.path)
    return None


def _table_of_text(spec: InputSpec, text: str, suffix: str) -> tuple:
    """(table, title rows skipped, format) of a table written as text: delimited, or an HTML page's."""
    if HTML.match(text):
        return (*_below_its_header(_html_table(spec, text)), "HTML table")
    sep = "\t" if suffix == ".tsv" else _delimiter(text[:8192])
    rows = list(itertools.islice(csv.reader(io.StringIO(text), delimiter=sep), SHAPE_ROWS))
    at = _header_row(rows)
    table = pd.read_csv(io.StringIO(text), dtype=str, sep=sep, keep_default_na=False, skiprows=at)
    return table.replace("", None), _one_line(rows[:at]), "CSV"


def _html_table(spec: InputSpec, text: str) -> pd.DataFrame:
    """The cells of the largest table of an HTML page, as text, a row a row (a title's one cell spanning the
    columns stays one cell, so it is found as a title above the header)."""
    from lxml import html

    try:
        tables = html.fromstring(text).xpath("//table")
    except Exception as error:     # lxml's parser errors
        raise InputError(f"cannot be read as an HTML table: {error}", spec.path) from None
    rows = [[[cell.text_content().strip() or None for cell in row.xpath("./td|./th")]
             for row in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")] for table in tables]
    if not any(rows):
        raise InputError("is a web page (HTML) with no table in it", spec.path)
    return pd.DataFrame(max(rows, key=len), dtype=object)


def _read_sheet(spec: InputSpec, path: Path, engine: str) -> tuple:
    """(table, the title rows above its header) of the sheet named by `layer`; else of the only sheet with data in
    it; else an error listing the sheets."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, header=None, engine=engine)
    except Exception as error:   # openpyxl's, xlrd's and zipfile's own errors
        # an Office file with no workbook in it: Excel keeps a password-protected workbook so, Word its documents
        hint = "; a workbook with a password, or another Office document? Open it in Excel or WPS and save it as " \
            ".xlsx without a password" if engine == "xlrd" and "find workbook" in str(error) else ""
        raise InputError(f"cannot be read as a workbook: {error}{hint}", spec.path) from None
    listed = ", ".join(f"{name!r}" for name in sheets)
    if spec.layer is not None and spec.layer not in sheets:
        raise InputError(f"has no sheet {spec.layer!r}; its sheets: {listed}", spec.path)
    headed = {name: _below_its_header(raw) for name, raw in sheets.items()}
    filled = [name for name, (table, _) in headed.items() if not table.dropna(how="all").empty]     # rows under a header
    if spec.layer is None and len(filled) > 1 and len(sheets) > 1:
        raise InputError(f"holds several sheets with data ({listed}); name one with layer = \"…\"", spec.path)
    name = spec.layer if spec.layer is not None else (filled or list(sheets))[0]
    if sheets[name].dropna(how="all").empty:
        raise InputError(f"is empty: sheet {name!r} has no header and no rows", spec.path)
    return headed[name]


def _below_its_header(raw: pd.DataFrame) -> tuple:
    """(table, the title rows above its header) of a sheet read without a header."""
    rows = raw.head(SHAPE_ROWS).to_numpy(dtype=object).tolist()
    at = _header_row(rows)
    table = raw.iloc[at + 1:].reset_index(drop=True)
    table.columns = _column_names(rows[at] if rows else [None] * raw.shape[1])
    return table, _one_line(rows[:at])


def _column_names(header: list) -> list:
    """A header row's cells as pandas names columns: an empty one Unnamed: 2, one written twice 地址.1."""
    names, seen = [], {}
    for at, cell in enumerate(header):
        name = str(cell).strip() if isinstance(cell, str) and cell.strip() else f"Unnamed: {at}"
        names.append(name if name not in seen else f"{name}.{seen[name]}")
        seen[name] = seen.get(name, 0) + 1
    return names


def _header_row(rows: list) -> int:
    """The row a table's header is in: exports put a title (小河街道实有人口登记表) and who filled the form in
    (填报单位：… 填报日期：…) above it; the header is the first row filling more than half the columns the
    table's rows fill, two or more (a one-column table's first row)."""
    filled = [len(_filled(row)) for row in rows]
    widest = max(filled, default=0)
    return next((at for at, count in enumerate(filled[:TITLE_ROWS_AT_MOST]) if count > widest / 2 and count >= 2),
                0) if widest > 1 else 0


def _one_line(rows: list) -> str:
    """Rows skipped above a header or below the table, as one line (reported, so nothing is dropped unsaid)."""
    return " / ".join(line for line in (" ".join(_filled(row)) for row in rows) if line)


def tab_separated(text: str) -> bool:
    """A text file of columns, not of one address a line: its lines cut by tabs (no address has one), as many
    in most lines as in the first."""
    lines = [line for line in text.splitlines()[:SHAPE_ROWS] if line.strip()]
    tabs = [line.count("\t") for line in lines]
    return bool(tabs) and tabs[0] > 0 and tabs.count(tabs[0]) >= 0.8 * len(tabs)


def _delimiter(sample: str) -> str:
    """, ; | or tab, as the first lines show (Excel in a Chinese locale writes commas; some systems tabs)."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;|\t").delimiter
    except csv.Error:
        return ","
