"""Processing algorithms of the gridgov provider."""
from .analyse import AnalyseStreet
from .demo import BuildDemoStreet
from .field_maps import FieldMaps
from .validate import ValidateStreet
from .webmap import WebMap

ALGORITHMS = (ValidateStreet, AnalyseStreet, FieldMaps, WebMap, BuildDemoStreet)
