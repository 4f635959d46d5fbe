"""Where gridgov's own files are: the one module that knows the package's layout.

Everything the code reads from here (schema, rules, palette, styles, layouts,
translations, the demo district) is data; this module holds only its paths.
"""
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
STYLES = RESOURCES / "styles"
LAYOUTS = RESOURCES / "layouts"
I18N = RESOURCES / "i18n"
DEMO = RESOURCES / "demo"
ICON = RESOURCES / "icon.svg"
