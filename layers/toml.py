"""TOML reading for the files people write by hand (project, rules): errors name the file, the line and,
for a misspelt name, the nearest valid one."""
from __future__ import annotations

import difflib
import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11 (QGIS on older systems)
    import tomli as tomllib

from .errors import InputError


def read_toml(path) -> dict:
    return read_toml_text(path)[0]


def read_toml_text(path) -> tuple:
    """(the parsed file, its text), or an InputError naming the file and what is wrong with it."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
        return tomllib.loads(text), text
    except FileNotFoundError:
        raise InputError("file not found", str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a TOML file", str(path)) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text: TOML files are UTF-8 (save it as UTF-8 in your editor)",
                         str(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", str(path)) from None


def did_you_mean(name: str, choices) -> str:
    """' (did you mean outputs?)' for a near miss, '' when nothing is near."""
    near = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {near[0]}?)" if near else ""


def _header(line: str):
    """'[factors."events"]  # c' → 'factors.events'; None for a line that is no table header."""
    match = re.match(r"^\s*\[\[?(.*?)\]\]?\s*(#.*)?$", line)
    return re.sub(r'[\s"]', "", match.group(1)) if match else None


def line_of(text: str, table: str, key: str | None = None, occurrence: int = 0) -> int:
    """The line number of a table header (the nth of an array of tables) or of a key inside it
    (a key of the top level when ``table`` is empty)."""
    seen, inside, header_line = (0, True, 0) if not table else (-1, False, 0)
    for number, line in enumerate(text.splitlines(), start=1):
        header = _header(line)
        if header is not None:
            inside = header == table
            seen += inside
            if inside and seen == occurrence:
                header_line = number
            continue
        if inside and seen == occurrence and key and re.match(r'^\s*"?' + re.escape(key) + r'"?\s*=', line):
            return number
    return header_line or 1
