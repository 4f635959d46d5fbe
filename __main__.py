"""``python -m gridgov``: the same command as ``gridgov``."""
import sys

from .cli import main

sys.exit(main())
