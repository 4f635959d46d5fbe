import codecs

import pytest

from gridgov.layers.encoding import detect_dbf_encoding, detect_text_encoding
from gridgov.layers.errors import InputError

TEXT = "网格编号,名称\nWG001,小河路社区第1网格\n"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("gbk", "gb18030"), ("gb18030", "gb18030")])
def test_detects_chinese_text_encodings(encoding, expected):
    assert detect_text_encoding(TEXT.encode(encoding)) == expected


def test_detects_utf8_bom():
    assert detect_text_encoding(codecs.BOM_UTF8 + TEXT.encode("utf-8")) == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_detects_utf16_by_its_bom_as_excel_saves_unicode_text(encoding):
    data = (codecs.BOM_UTF16_BE if encoding == "utf-16-be" else b"") + TEXT.encode(encoding)
    assert data.decode(detect_text_encoding(data)) == TEXT


def test_a_sample_cut_inside_a_character_still_decodes():
    data = TEXT.encode("utf-8")
    assert detect_text_encoding(data[: data.index("小".encode()) + 1]) == "utf-8"


def test_undecodable_bytes_name_the_file():
    with pytest.raises(InputError, match="people.csv.*neither UTF-8 nor GBK"):
        detect_text_encoding(b"\x81\x30\xff\xff\xfe" * 10 + b"\xff", "people.csv")


def test_dbf_encoding_from_cpg_and_from_bytes(tmp_path):
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame({"名称": ["小河路社区"]}, geometry=[shapely.Point(0, 0)], crs=4549)
    frame.to_file(tmp_path / "gbk.shp", encoding="GBK")
    (tmp_path / "gbk.cpg").unlink(missing_ok=True)
    assert detect_dbf_encoding(tmp_path / "gbk.shp") == ("gb18030", "")
    frame.to_file(tmp_path / "utf8.shp", encoding="UTF-8")
    assert detect_dbf_encoding(tmp_path / "utf8.shp") == ("utf-8", "")
