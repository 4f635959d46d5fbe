"""The street's organisation: pieces of land grouped into grids, grids into patrol
zones, patrol zones into defense zones (and grids into communities).

Grouping whole pieces (cut along the real roads) makes every level follow the
roads and nest exactly in the level above.
"""
from __future__ import annotations

import numpy as np
import shapely

KMEANS_ROUNDS = 40
CONTIGUITY_ROUNDS = 8


def weighted_kmeans(xy: np.ndarray, weights: np.ndarray, k: int, rng) -> np.ndarray:
    """Labels 0..k-1 grouping points into k clusters of similar weight."""
    centres = xy[rng.choice(len(xy), size=k, replace=False, p=weights / weights.sum())]
    labels = np.zeros(len(xy), dtype=int)
    for _ in range(KMEANS_ROUNDS):
        distance = np.linalg.norm(xy[:, None, :] - centres[None, :, :], axis=2)
        load = np.bincount(labels, weights=weights, minlength=k)
        # Penalise heavy clusters a little, so that grids come out of similar load.
        labels = np.argmin(distance * (1 + 0.5 * load / load.mean())[None, :], axis=1)
        for c in range(k):
            members = labels == c
            if members.any():
                centres[c] = np.average(xy[members], axis=0, weights=weights[members])
            else:   # an empty cluster restarts at the heaviest point of the heaviest cluster
                heavy = labels == np.argmax(np.bincount(labels, weights=weights, minlength=k))
                centres[c] = xy[heavy][np.argmax(weights[heavy])]
                labels[np.flatnonzero(heavy)[np.argmax(weights[heavy])]] = c
    return labels


def make_contiguous(pieces: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Give every detached part of a region to the neighbour it shares most border with."""
    labels = labels.copy()
    tree = shapely.STRtree(pieces)
    left, right = tree.query(pieces, predicate="intersects")
    border = shapely.length(shapely.intersection(shapely.boundary(pieces[left]), shapely.boundary(pieces[right])))
    keep = (left != right) & (border > 0.5)
    left, right, border = left[keep], right[keep], border[keep]
    for _ in range(CONTIGUITY_ROUNDS):
        moved = False
        for region in np.unique(labels):
            members = np.flatnonzero(labels == region)
            parts = _components(members, left, right)
            if len(parts) < 2:
                continue
            main = max(parts, key=lambda part: shapely.area(pieces[part]).sum())
            for part in parts:
                if part is main:
                    continue
                touching = np.isin(left, part) & (labels[right] != region)
                if touching.any():
                    totals = np.bincount(labels[right[touching]], weights=border[touching])
                    labels[part] = int(np.argmax(totals))
                    moved = True
        if not moved:
            break
    return labels


def _components(members, left, right) -> list:
    """Connected groups of pieces within one region (by shared border)."""
    inside = np.isin(left, members) & np.isin(right, members)
    neighbours = {m: set() for m in members}
    for a, b in zip(left[inside], right[inside]):
        neighbours[a].add(b)
    seen, parts = set(), []
    for start in members:
        if start in seen:
            continue
        stack, part = [start], []
        seen.add(start)
        while stack:
            node = stack.pop()
            part.append(node)
            for other in neighbours[node] - seen:
                seen.add(other)
                stack.append(other)
        parts.append(np.array(part))
    return parts


def regions(pieces: np.ndarray, weights: np.ndarray, k: int, rng) -> np.ndarray:
    """Labels 0..k-1 grouping pieces into k contiguous regions of similar weight,
    numbered from north-west to south-east."""
    xy = shapely.get_coordinates(shapely.point_on_surface(pieces))
    labels = make_contiguous(pieces, weighted_kmeans(xy, weights, k, rng))
    present = np.unique(labels)
    centres = np.array([np.average(xy[labels == c], axis=0) for c in present])
    order = present[np.lexsort((centres[:, 0], -np.round(centres[:, 1] / 500)))]
    renumber = np.zeros(labels.max() + 1, dtype=int)
    renumber[order] = np.arange(len(order))
    return renumber[labels]


def dissolve(pieces: np.ndarray, labels: np.ndarray) -> list:
    return [shapely.union_all(pieces[labels == c], grid_size=0.01) for c in range(labels.max() + 1)]
