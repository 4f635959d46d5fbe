"""The demo street: a synthetic street built on real OpenStreetMap roads of Hangzhou."""
from .build import DemoStreet, build_demo, write_demo

__all__ = ["DemoStreet", "build_demo", "write_demo"]
