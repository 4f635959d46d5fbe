import geopandas as gpd
import pytest
import shapely

from gridgov.layers.crs import choose_projected_crs, gauss_kruger_epsg


@pytest.mark.parametrize("lon, epsg", [(120.14, 4549), (118.4, 4548), (114.6, 4547), (75.0, 4534), (135.0, 4554)])
def test_cgcs2000_gauss_kruger_zone(lon, epsg):
    assert gauss_kruger_epsg(lon) == epsg


def test_zone_chosen_from_the_data_whatever_its_crs():
    hangzhou = gpd.GeoDataFrame(geometry=[shapely.Point(120.14, 30.30)], crs=4490)
    projected = hangzhou.to_crs(3857)
    assert choose_projected_crs([projected, None]).to_epsg() == 4549


def test_outside_china_falls_back_to_utm():
    paris = gpd.GeoDataFrame(geometry=[shapely.Point(2.35, 48.85)], crs=4326)
    assert choose_projected_crs([paris]).to_epsg() == 32631
