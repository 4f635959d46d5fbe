"""Everything that touches QGIS: GUI, Processing provider, layer conversion, layouts."""
