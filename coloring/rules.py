"""The risk rule file: read it, check it, and say which line is wrong when it is."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..layers.toml import read_toml, tomllib
from ..resources import RESOURCES

FACTORS = read_toml(RESOURCES / "factors.toml")
DEFAULT_RULES = RESOURCES / "rules" / "risk_default.toml"
LEVELS = ("green", "yellow", "red")
GRADES = ("routine", "urgent", "major")


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and line."""


@dataclass
class Trigger:
    factor: str
    at_least: float
    level: str


@dataclass
class Grade:
    grade: str
    min_signals: int
    min_channels: int


@dataclass
class Rules:
    yellow: float
    red: float
    factors: dict                       # name -> parameters
    triggers: list = field(default_factory=list)
    warning_window_days: int = 60
    warning_channels: tuple = ()
    grades: list = field(default_factory=list)   # most serious first
    path: str = ""


def _header(line: str):
    """'[factors."events"]  # c' → 'factors.events'; None for a line that is no table header."""
    match = re.match(r"^\s*\[\[?(.*?)\]\]?\s*(#.*)?$", line)
    return re.sub(r'[\s"]', "", match.group(1)) if match else None


def _line(text: str, table: str, key: str | None = None, occurrence: int = 0) -> int:
    """The line number of a table header (the nth of an array of tables) or of a key inside it."""
    seen, inside, header_line = -1, False, 0
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


def load_rules(path=None) -> Rules:
    path = Path(path or DEFAULT_RULES)
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except FileNotFoundError:
        raise RuleError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"{path}: not valid TOML: {error}") from None

    def fail(message, table, key=None, occurrence=0):
        raise RuleError(f"{path}, line {_line(text, table, key, occurrence)}: {message}")

    levels = raw.get("levels", {})
    for name in ("yellow", "red"):
        if not isinstance(levels.get(name), (int, float)) or isinstance(levels.get(name), bool):
            fail(f"[levels] {name} must be a number", "levels", name)
    if not levels["yellow"] < levels["red"]:
        fail(f"[levels] cut-offs out of order: yellow ({levels['yellow']}) must be below red ({levels['red']})",
             "levels", "red")
    factors = {}
    for name, params in raw.get("factors", {}).items():
        if name not in FACTORS:
            fail(f"unknown factor {name!r}; known factors: {', '.join(FACTORS)}", f"factors.{name}")
        factors[name] = _checked_params(name, params, fail)
    if not factors:
        fail("no [factors.…] given", "levels")
    triggers = [_trigger(i, t, factors, fail) for i, t in enumerate(raw.get("triggers", []))]
    warnings = raw.get("warnings", {})
    grades = [_grade(i, g, fail) for i, g in enumerate(warnings.get("grades", []))]
    grades.sort(key=lambda g: -GRADES.index(g.grade))
    for serious, lesser in zip(grades, grades[1:]):
        if serious.min_signals < lesser.min_signals or serious.min_channels < lesser.min_channels:
            fail(f"warning grade {serious.grade!r} asks for less than {lesser.grade!r}", "warnings.grades",
                 occurrence=0)
    return Rules(levels["yellow"], levels["red"], factors, triggers, int(warnings.get("window_days", 60)),
                 tuple(warnings.get("channels", ())), grades, str(path))


def _checked_params(name, params, fail) -> dict:
    spec = FACTORS[name]
    for key, value in params.items():
        expected = spec["params"].get(key)
        if expected is None:
            fail(f"factor {name!r} has no parameter {key!r}; it takes {', '.join(spec['params'])}",
                 f"factors.{name}", key)
        if expected == "number" and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            fail(f"factors.{name}.{key} must be a number, not {value!r}", f"factors.{name}", key)
        if expected == "table" and not isinstance(value, dict):
            fail(f"factors.{name}.{key} must be a table", f"factors.{name}", key)
    for key in spec["required"]:
        if key not in params:
            fail(f"factor {name!r} needs {key!r}", f"factors.{name}")
    return dict(params)


def _trigger(index, raw, factors, fail) -> Trigger:
    if raw.get("factor") not in factors:
        fail(f"trigger on {raw.get('factor')!r}, which is not a factor of this file", "triggers", "factor", index)
    if raw.get("level") not in ("yellow", "red"):
        fail(f"trigger level must be yellow or red, not {raw.get('level')!r}", "triggers", "level", index)
    if not isinstance(raw.get("at_least"), (int, float)) or isinstance(raw.get("at_least"), bool):
        fail("trigger at_least must be a number", "triggers", "at_least", index)
    return Trigger(raw["factor"], raw["at_least"], raw["level"])


def _grade(index, raw, fail) -> Grade:
    if raw.get("grade") not in GRADES:
        fail(f"warning grade must be one of {', '.join(GRADES)}, not {raw.get('grade')!r}",
             "warnings.grades", "grade", index)
    for key in ("min_signals", "min_channels"):
        if not isinstance(raw.get(key), int) or isinstance(raw.get(key), bool) or raw[key] < 1:
            fail(f"{key} must be a whole number of at least 1", "warnings.grades", key, index)
    return Grade(raw["grade"], raw["min_signals"], raw["min_channels"])
