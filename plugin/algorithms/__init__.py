"""Processing algorithms of the gridgov provider."""
from .demo import BuildDemoStreet
from .validate import ValidateStreet

ALGORITHMS = (ValidateStreet, BuildDemoStreet)
