"""The cockpit web map: one self-contained HTML page for the command centre's screen.

A top-level folder because it is an output of its own, with its own front-end
assets (installed from npm by `make`, inlined into the page, never fetched from
a CDN), and it imports the core but the core never imports it.
"""
from .page import CockpitOptions, build_cockpit, write_cockpit

__all__ = ["CockpitOptions", "build_cockpit", "write_cockpit"]
