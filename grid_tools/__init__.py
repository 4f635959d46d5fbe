"""The analyses: gathering records onto houses, coverage and routing, siting, dispatch."""
