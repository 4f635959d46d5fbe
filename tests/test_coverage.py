"""Response times on hand-built networks: one-way streets, bridges, snapping, walking, zones, siting."""
import geopandas as gpd
import numpy as np
import pytest
import shapely
from scipy import sparse

from gridgov.grid_tools.coverage import STRAIGHT_LINE, CoverageOptions, coverage
from gridgov.grid_tools.roadgraph import build_graph
from gridgov.grid_tools.siting import max_cover, set_cover, suggest_bases

CRS = "EPSG:4549"
KMH36 = 36.0    # 36 km/h = 10 m/s: times are metres / 10


def roads(*lines, oneway=None, layer=None, bridge=None, speed=KMH36):
    n = len(lines)
    return gpd.GeoDataFrame({"road_class": ["primary"] * n, "maxspeed": [speed] * n,
                             "oneway": oneway or ["B"] * n, "layer": layer or [0] * n, "bridge": bridge or ["F"] * n},
                            geometry=[shapely.LineString(line) for line in lines], crs=CRS)


def houses_at(*points, zone="D1"):
    return gpd.GeoDataFrame({"house_id": [f"H{i}" for i in range(len(points))], "defense_zone_id": zone,
                             "people": 1}, geometry=[shapely.Point(p).buffer(1) for p in points], crs=CRS)


def bases_at(*points, zones=None):
    return gpd.GeoDataFrame({"base_id": [f"B{i}" for i in range(len(points))],
                             "defense_zone_id": zones or ["D1"] * len(points)},
                            geometry=[shapely.Point(p) for p in points], crs=CRS)


def times(road_layer, houses, bases, **options):
    result = coverage(houses, bases, road_layer, options=CoverageOptions(**options))
    return result.columns["reach_s"].to_numpy(), result


def test_time_to_a_house_snapped_mid_edge_with_the_walk():
    network = roads([(0, 0), (1000, 0)])
    reach, result = times(network, houses_at((400, 0), (400, 50)), bases_at((0, 0)))
    assert reach[0] == pytest.approx(40.0, abs=0.2)                   # 400 m at 10 m/s
    assert reach[1] == pytest.approx(40.0 + 50 / (5 / 3.6), abs=0.5)  # + 50 m on foot
    assert result.columns["covered"].all() and result.method == "road network"


def test_snapping_lists_every_stretch_in_reach_and_nothing_for_points_off_the_map():
    """Each point gets every stretch within the limit, however many cells and stretches lie around it
    (a grid of short streets): the same pairs as a GEOS STRtree finds.  A point far off the network, one
    with no geometry and an empty one get none, and do not disturb the others."""
    from gridgov.grid_tools.snapping import snap

    along = np.linspace(0, 2000, 101)      # a vertex every 20 m
    streets = [[(x, a) for a in along] for x in range(0, 2001, 70)] + [[(a, y) for a in along] for y in range(0, 2001, 90)]
    graph = build_graph(roads(*streets))
    rng = np.random.default_rng(3)
    points = np.r_[shapely.points(rng.uniform(-200, 2200, (400, 2))),
                   [shapely.Point(50_000, 50_000), None, shapely.Point()]]
    snapped = snap(points, graph, 150)
    point, hit = shapely.STRtree(graph.segments[graph.usable]).query(points[:400], predicate="dwithin", distance=150)
    expected = set(zip(point.tolist(), graph.usable[hit].tolist()))
    near_limit = np.abs(shapely.distance(graph.segments[graph.usable[hit]], points[point]) - 150) < 0.01
    found = set(zip(snapped.point.tolist(), snapped.segment.tolist()))
    assert found - expected == set() and len(expected - found) <= near_limit.sum()
    assert len(expected) > 60 * 400 and not np.isin(snapped.point, [400, 401, 402]).any()
    assert np.allclose(snapped.distance, shapely.distance(graph.segments[snapped.segment], points[snapped.point]),
                       atol=0.01)
    assert list(snapped.nearest_segment[400:]) == [-1, -1, -1]


def test_one_way_streets_are_driven_one_way():
    # A one-way street east (F) and a two-way detour round a loop to the north
    network = roads([(0, 0), (1000, 0)], [(0, 0), (0, 500), (1000, 500), (1000, 0)], oneway=["F", "B"])
    east, _ = times(network, houses_at((900, 0)), bases_at((0, 0)))
    west, _ = times(network, houses_at((100, 0)), bases_at((1000, 0)))
    assert east[0] == pytest.approx(90, abs=0.5)                 # straight along the one-way street
    assert west[0] == pytest.approx((500 + 1000 + 500 + 100) / 10, abs=0.5)   # round the loop
    against, _ = times(roads([(0, 0), (1000, 0)], [(0, 0), (0, 500), (1000, 500), (1000, 0)], oneway=["T", "B"]),
                       houses_at((900, 0)), bases_at((0, 0)))
    assert against[0] == pytest.approx((500 + 1000 + 500 + 100) / 10, abs=0.5)


def test_a_bridge_crossing_a_road_does_not_connect():
    # The road runs under the bridge; they cross with no shared vertex.
    network = roads([(0, 500), (1000, 500)], [(500, 0), (500, 1000)], bridge=["F", "T"], layer=[0, 1])
    reach, result = times(network, houses_at((500, 900)), bases_at((0, 500)), threshold_s=300)
    assert np.isnan(reach[0]) and not result.columns["covered"].iloc[0]


def test_a_shared_vertex_on_two_levels_joins_only_at_an_end():
    # both ways pass through (500, 500): the bridge (layer 1) must not join the road there
    passing = roads([(0, 500), (500, 500), (1000, 500)], [(500, 0), (500, 500), (500, 1000)], layer=[0, 1])
    reach, _ = times(passing, houses_at((500, 900)), bases_at((0, 500)))
    assert np.isnan(reach[0])
    # the ramp ends at the road: connected
    ramp = roads([(0, 500), (500, 500), (1000, 500)], [(500, 500), (500, 1000)], layer=[0, 1])
    reach, _ = times(ramp, houses_at((500, 900)), bases_at((0, 500)))
    assert reach[0] == pytest.approx(90, abs=0.5)


def test_footways_are_not_driven_and_far_houses_are_not_routable():
    network = roads([(0, 0), (1000, 0)], [(1000, 0), (2000, 0)])
    network.loc[1, "road_class"] = "footway"
    reach, result = times(network, houses_at((1100, 0), (1500, 0), (500, 400)), bases_at((0, 0)))
    assert reach[0] == pytest.approx(100 + 100 / (5 / 3.6), abs=1)    # drives to the road's end, walks on
    assert np.isnan(reach[1]) and not result.columns["routable"].iloc[1]    # the footway is no road for cars
    assert np.isnan(reach[2]) and not result.columns["routable"].iloc[2]    # 400 m from any road


def test_turnout_time_and_units():
    reach, result = times(roads([(0, 0), (1000, 0)]), houses_at((400, 0)), bases_at((0, 0)), turnout_s=60)
    assert reach[0] == pytest.approx(100, abs=0.3)
    assert result.by_zone["coverage_by_defense_zone"]["slowest_s"][0] == pytest.approx(100, abs=0.3)


def test_each_zone_is_judged_by_its_own_bases():
    network = roads([(0, 0), (5000, 0)])
    houses = houses_at((100, 0), (4900, 0))
    houses["defense_zone_id"] = ["D1", "D2"]
    result = coverage(houses, bases_at((0, 0), (5000, 0), zones=["D2", "D1"]), network)
    frame = result.columns
    assert frame.loc["H0", "reach_base"] == "B1" and not frame.loc["H0", "covered"]   # own base is 4.9 km away
    assert frame.loc["H0", "covered_by_other_zone"] and frame.loc["H0", "fastest_base"] == "B0"
    table = result.by_zone["coverage_by_defense_zone"].set_index("defense_zone_id")
    assert table.loc["D1", "covered_only_by_other_zone"] == 1 and table.loc["D1", "houses_share"] == 0


def test_straight_lines_without_roads_say_so():
    reach, result = times(None, houses_at((1000, 0)), bases_at((0, 0)), straight_line_kmh=36)
    assert reach[0] == pytest.approx(99.9, abs=0.2) and result.method == STRAIGHT_LINE
    assert (result.columns["reach_method"] == STRAIGHT_LINE).all()
    assert (result.by_zone["coverage_by_defense_zone"]["method"] == STRAIGHT_LINE).all()
    assert (result.reach_areas["method"] == STRAIGHT_LINE).all()


def test_reach_areas_are_built_from_reached_road_parts():
    _, result = times(roads([(0, 0), (10000, 0)]), houses_at((100, 0)), bases_at((0, 0)))
    area = result.reach_areas.iloc[0]
    assert area["road_km"] == pytest.approx(3.0, abs=0.01)          # 300 s at 10 m/s
    assert area.geometry.bounds[2] == pytest.approx(3000 + 30, abs=1)


def test_set_cover_and_max_cover_are_exact():
    # rows: houses; columns: candidates.  Greedy would take c0 (3 houses) then need 2 more;
    # the optimum is c1 + c2.
    a = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1], [0, 0, 1]], dtype=bool))
    assert sorted(set_cover(a)) == [1, 2]
    assert sorted(max_cover(a, np.ones(6), 1)) in ([0], [1], [2])
    assert len(max_cover(a, np.ones(6), 2)) == 2
    weights = np.array([1, 1, 1, 10, 1, 1])
    assert list(max_cover(a, weights, 1)) == [1]


def test_new_bases_close_the_gap_on_a_long_road():
    network = roads([(0, 0), (3000, 0)], [(3000, 0), (6000, 0)], [(3000, 0), (3000, 100)])
    houses = houses_at(*[(x, 0) for x in range(200, 6000, 400)])
    result = coverage(houses, bases_at((0, 0)), network)
    assert not result.columns["covered"].all()
    siting = suggest_bases(result, k=1)
    cover = siting.suggested[siting.suggested["solution"] == "set_cover"]
    assert len(cover) == 1 and cover.geometry.iloc[0].equals(shapely.Point(3000, 0))
    assert cover["gain_houses"].iloc[0] == (~result.columns["covered"]).sum()


def test_graph_of_the_demo_network(tiny_street):
    graph = build_graph(tiny_street.roads)
    assert graph.node_count > 3000 and graph.graph.nnz > graph.node_count
    assert (graph.seg_seconds > 0).all()


def test_a_house_by_a_one_way_road_is_reached_from_the_street_behind_when_that_is_faster():
    # The one-way road (F, east) runs 10 m south of the house; the base is east of the house, so on it a
    # car would go round a 4 km loop.  The two-way street 40 m north is a straight drive: it wins.
    network = roads([(0, 0), (2000, 0)], [(2000, 0), (2000, -1000), (0, -1000), (0, 0)], [(0, 50), (2000, 50)],
                    [(2000, 50), (2000, 0)], oneway=["F", "B", "B", "B"])
    reach, result = times(network, houses_at((1000, 10)), bases_at((2000, 50)))
    house = result.columns.iloc[0]
    assert house["reach_walk_s"] == pytest.approx(40 / (5 / 3.6), abs=1)     # walked from the street behind
    assert reach[0] == pytest.approx(100 + 40 / (5 / 3.6), abs=1)             # 1000 m at 10 m/s, then 40 m


def test_a_house_beside_a_bridge_is_reached_from_the_ground_road_unless_there_is_none():
    # an elevated road (bridge) 8 m from the house, the ground road 45 m away: the car stops on the ground
    x = 1000
    network = roads([(0, 0), (2000, 0)], [(0, 53), (2000, 53)], layer=[0, 1], bridge=["F", "T"])
    _, result = times(network, houses_at((x, 45)), bases_at((0, 0)))
    assert result.columns.iloc[0]["reach_walk_s"] == pytest.approx(44 / (5 / 3.6), abs=1)
    # no ground road within the snapping limit: the house is on the bridge's ramp, it is reached from it
    alone = roads([(0, 0), (500, 0)], [(500, 0), (500, 1000)], layer=[0, 1])
    reach, _ = times(alone, houses_at((510, 600)), bases_at((0, 0)))
    assert reach[0] == pytest.approx((500 + 600) / 10 + 10 / (5 / 3.6), abs=1)
