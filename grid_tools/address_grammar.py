"""The address grammar (resources/addresses.toml), read once, and the word patterns its readers share:
the address parser (address.py) and the administrative prefix (admin_prefix.py)."""
from __future__ import annotations

from ..layers.toml import read_toml
from ..resources import RESOURCES

GRAMMAR = read_toml(RESOURCES / "addresses.toml")
COMPOUND_WORDS = frozenset(GRAMMAR["compound"]["suffixes"])
# a compound word, longest first, or a numbered compound (朝晖九区 → 朝晖9区)
COMPOUND = "(?:" + "|".join(sorted(GRAMMAR["compound"]["suffixes"], key=len, reverse=True)) + "|" \
    + GRAMMAR["compound"]["numbered"] + ")"
ROAD = "|".join(GRAMMAR["road"]["suffixes"])
