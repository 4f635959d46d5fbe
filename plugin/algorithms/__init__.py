"""Processing algorithms of the gridgov provider, in the order of the workflow."""
from .addresses import ParseAddresses
from .analyse import AnalyseStreet, CoverageCheck, JoinStreet, ScoreHouses
from .demo import BuildDemoStreet
from .field_maps import FieldMaps
from .validate import ValidateStreet
from .webmap import WebMap

ALGORITHMS = (ParseAddresses, ValidateStreet, JoinStreet, ScoreHouses, CoverageCheck, AnalyseStreet, FieldMaps,
              WebMap, BuildDemoStreet)
