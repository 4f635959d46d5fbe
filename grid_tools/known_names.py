"""The names a street knows (its roads, its compounds), and which of its roads an address's head means: exactly,
or within a typo allowance (小何路 for 小河路), never a guess between two that fit equally."""
from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .admin_prefix import strip_admin_prefix
from .homophones import sounds_like


class KnownNames:
    """Names a street knows (its roads, its compounds), and the longest of them a text ends with."""

    def __init__(self, names):
        self.by_length = {}
        for name in sorted(set(n for n in names if isinstance(n, str) and n), key=len, reverse=True):
            self.by_length.setdefault(len(name), set()).add(name)

    def names(self) -> list:
        return [name for names in self.by_length.values() for name in names]

    def ending(self, text: str, before: int = 0) -> str | None:
        """The longest known name the text ends with, with at least ``before`` characters before it."""
        for length, names in self.by_length.items():
            if len(text) - length >= before and text[-length:] in names:
                return text[-length:]
        return None


def _typed_elsewhere(head: str, road: str, distance: int, meant: str) -> bool:
    """Whether ``road`` is ``distance`` characters typed in place from the end of ``head``, other ones than those
    that make it ``meant`` (小何路: 小何街 changes 路, 小河路 何)."""
    def changed(name):
        return {at for at in range(1, len(name) + 1) if head[-at:][:1] != name[-at]}
    return len(head) >= len(road) and len(changed(road)) == distance and changed(road) != changed(meant)


class RoadResolver(KnownNames):
    """The street's own road names, and which road an address head means."""

    def __init__(self, roads, typo_chars_per_4: int = 1):
        super().__init__(roads)
        self.typo_chars_per_4 = typo_chars_per_4

    def exact(self, head: str) -> str | None:
        """The longest known road that the head ends with."""
        return self.ending(head)

    def fuzzy(self, head: str, candidates) -> tuple:
        """(road, score) for the closest candidate road within the typo allowance; ("", 0) when
        none fits, (None, score) when several are as near (as many characters off)."""
        head = strip_admin_prefix(head)
        scored = []
        for road in candidates:
            allowed = max(1, self.typo_chars_per_4 * len(road) // 4)
            tails = {head[-n:] for n in (len(road) - 1, len(road), len(road) + 1) if 0 < n <= len(head)}
            distance = min((Levenshtein.distance(tail, road) for tail in tails), default=allowed + 1)
            if distance <= allowed:
                scored.append((distance, -max(fuzz.ratio(t, road) for t in tails), road))
        if not scored:
            return "", 0.0
        scored.sort()
        # of roads as near, the one it sounds like is meant, a character typed for one of the same sound being the
        # commonest slip (大关苑溪路: 大关苑西路, not 大关苑路; 得苑路: 德苑路, not 苑中路; 湖墅楠路: 湖墅南路, not 湖墅北路);
        # unless another is as near by a character typed in another place (小何路: 小河路 or 小何街), either may be
        closest = [fit for fit in scored if fit[0] == scored[0][0]]
        alike = [fit for fit in closest if sounds_like(head[-len(fit[2]):], fit[2])]
        if len(alike) == 1 and not any(_typed_elsewhere(head, fit[2], fit[0], alike[0][2]) for fit in closest
                                       if fit != alike[0]):
            return alike[0][2], -alike[0][1]
        if len(closest) > 1:        # as near as each other (大关苑东路: 大关苑路 or 大关苑西路): no guess
            return None, -scored[0][1]
        return scored[0][2], -scored[0][1]
