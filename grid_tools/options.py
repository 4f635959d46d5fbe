"""Join settings: the planner's options (resources/options.toml) and the matcher's own (resources/join.toml)."""
from __future__ import annotations

from dataclasses import dataclass

from ..layers.toml import read_toml
from ..options import OPTIONS
from ..resources import RESOURCES

DEFAULTS = read_toml(RESOURCES / "join.toml")
REASONS = DEFAULTS["reasons"]


@dataclass
class JoinOptions:
    tolerance_m: float = OPTIONS["tolerance_m"].default
    typo_chars_per_4: int = DEFAULTS["typo_chars_per_4"]
    window_days: int = OPTIONS["window_days"].default
    recent_days: int = DEFAULTS["recent_days"]
    gcj02_share: float = DEFAULTS["gcj02_share"]
    reference_time: object = None     # events are counted back from here; default: the latest event


def reason_text(codes: str, lang: str) -> str:
    """'road_unknown+no_coordinates' → '道路或村不在本街道；无坐标可供空间匹配'."""
    separator = "；" if lang == "zh" else "; "
    return separator.join(REASONS[code][lang] for code in codes.split("+"))
