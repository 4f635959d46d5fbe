"""Field maps for grid supervisors: one printed page per grid (a QGIS atlas), in QGIS or headless.

Besides plugin/, the one package that imports QGIS.  The command line reaches
it only when maps are asked for; the plugin's dock and Processing algorithm
use the same builders inside QGIS.

- map_layers: the result file's layers styled for paper
- layout: the page, one small function per item
- export: PDFs written whole, the layout added to a project, the headless run
- headless: QGIS started without a screen
"""
