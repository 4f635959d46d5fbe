"""TOML reading with line numbers in the error, on every supported Python."""
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11 (QGIS on older systems)
    import tomli as tomllib

from .errors import InputError


def read_toml(path) -> dict:
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InputError("file not found", str(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", str(path)) from None
