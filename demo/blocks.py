"""City blocks: the faces between real roads, and the land in them that can be built on."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

# Roads that bound blocks (service roads and paths run inside compounds).
BLOCK_ROADS = {"motorway", "trunk", "trunk_link", "primary", "primary_link", "secondary",
               "secondary_link", "tertiary", "tertiary_link", "residential", "living_street",
               "unclassified"}
# Half the width of the road corridor kept free of buildings, metres.
ROAD_HALF_WIDTH = {"motorway": 20, "trunk": 18, "trunk_link": 8, "primary": 16, "primary_link": 8,
                   "secondary": 12, "secondary_link": 6, "tertiary": 9, "residential": 6,
                   "living_street": 4, "unclassified": 5}
GREEN = {"forest", "grass", "park", "scrub", "heath", "meadow", "cemetery", "recreation_ground"}
SETBACK_M = 3.0
MIN_PIECE_M2 = 400.0


def block_faces(roads: gpd.GeoDataFrame, boundary) -> np.ndarray:
    """Polygons that tile the boundary, cut along every block-bounding road."""
    lines = roads.geometry[roads["fclass"].isin(BLOCK_ROADS)].to_numpy()
    lines = shapely.intersection(lines, boundary)
    noded = shapely.union_all(np.append(lines, boundary.exterior))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    return faces[shapely.area(faces) > 1.0]


def lattice_pieces(faces: np.ndarray, cell_m: float) -> np.ndarray:
    """Faces cut further by a square lattice, so that sparse road networks still give
    enough pieces to build grids from; the pieces still tile the street."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(faces)
    xs = np.arange(xmin, xmax, cell_m)
    ys = np.arange(ymin, ymax, cell_m)
    cells = shapely.box(*[a.ravel() for a in np.meshgrid(xs, ys)],
                        *[a.ravel() + cell_m for a in np.meshgrid(xs, ys)])
    face_idx, cell_idx = shapely.STRtree(cells).query(faces, predicate="intersects")
    pieces = shapely.get_parts(shapely.intersection(faces[face_idx], cells[cell_idx]))
    pieces = pieces[shapely.get_type_id(pieces) == 3]
    return pieces[shapely.area(pieces) > 1.0]


def unbuildable(roads, water, landuse):
    """Road corridors, water and green land: where no house may stand."""
    widths = roads["fclass"].map(ROAD_HALF_WIDTH).fillna(0).to_numpy()
    corridors = shapely.buffer(roads.geometry.to_numpy()[widths > 0], widths[widths > 0])
    green = landuse.geometry[landuse["fclass"].isin(GREEN)].to_numpy()
    wet = shapely.buffer(water.geometry.to_numpy(), 5.0)
    return shapely.union_all(np.concatenate([corridors, green, wet]), grid_size=0.5)


def buildable_land(faces: np.ndarray, blocked) -> np.ndarray:
    """Per face, the land left after roads, water and green, less a setback."""
    land = shapely.buffer(shapely.difference(faces, blocked), -SETBACK_M, join_style="mitre")
    return land
