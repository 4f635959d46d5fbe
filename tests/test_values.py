"""Values as real exports hold them: dates in many hands, codes that went through Excel, coordinates that
are no place, strays far from the street."""
import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gridgov.layers.crs import choose_projected_crs
from gridgov.layers.fields import _as_datetime, coerce_types
from gridgov.layers.report import Report
from gridgov.layers.schema import SCHEMA
from gridgov.layers.street import crs_misfit


def test_dates_as_people_and_systems_write_them():
    given = pd.Series(["2024-03-05 08:30", "2024年3月5日", "2024年3月5日 8时30分", "2024/3/5", "45356",
                       "05/03/2024", "next tuesday", None])
    read = _as_datetime(given)
    assert list(read[:5]) == [pd.Timestamp("2024-03-05 08:30"), pd.Timestamp("2024-03-05"),
                              pd.Timestamp("2024-03-05 08:30"), pd.Timestamp("2024-03-05"),
                              pd.Timestamp("2024-03-05")]            # 45356: Excel's day number
    assert read[5:].isna().all()          # 5 March or May 3? left empty (and reported), never guessed


def test_codes_that_went_through_a_number_are_reported_without_showing_them():
    people = pd.DataFrame({"person_id": ["P1", "P2", "P3"],
                           "id_number": ["330105199001011234", "3.30105199001011E+17", None],
                           "phone": ["13812345678.0", "13812345678", None]})
    report = Report()
    coerce_types(people, SCHEMA["people"], report, "people.csv")
    lost = {f.field: f for f in report.findings if f.code == "digits_lost"}
    assert lost["id_number"].count == 1 and lost["phone"].count == 1
    assert "13812345678" not in lost["phone"].detail and "3.30…E+17" in lost["id_number"].detail


def test_metres_labelled_degrees_name_the_crs_they_look_like():
    metres = gpd.GeoDataFrame(geometry=[shapely.box(512000, 3345000, 512050, 3345050)], crs="EPSG:4490")
    assert "EPSG:4549" in crs_misfit(metres) and "EPSG:4490" in crs_misfit(metres)
    with_zone = gpd.GeoDataFrame(geometry=[shapely.Point(40_512_000, 3_345_000)], crs="EPSG:4490")
    assert "zone 40" in crs_misfit(with_zone) and "EPSG:4528" in crs_misfit(with_zone)
    degrees = gpd.GeoDataFrame(geometry=[shapely.Point(120.15, 30.27)], crs="EPSG:4490")
    assert crs_misfit(degrees) == ""


@pytest.mark.parametrize("strays", [0, 20, 200])
def test_the_working_crs_follows_the_street_not_its_strays(strays):
    street = gpd.GeoDataFrame(geometry=[shapely.Point(120.15 + i / 1e4, 30.27) for i in range(300)], crs=4326)
    away = gpd.GeoDataFrame(geometry=[shapely.Point(*xy) for xy in [(0, 0), (116.4, 39.9), (-74.0, 40.7)]
                                      * (strays // 3)], crs=4326)
    assert choose_projected_crs([street, away]).to_epsg() == 4549
