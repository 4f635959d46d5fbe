"""The risk rule file: read it, check it, and say which line is wrong when it is."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from ..layers.errors import InputError
from ..layers.toml import did_you_mean, line_of, read_toml, read_toml_text
from ..resources import RESOURCES

_DECLARED = read_toml(RESOURCES / "factors.toml")
KINDS = _DECLARED.pop("kinds")          # what a parameter of each kind may be
FACTORS = _DECLARED                     # factor name → its parameters, value and reason texts
DEFAULT_RULES = RESOURCES / "rules" / "risk_default.toml"
LEVELS = ("green", "yellow", "red")
LEVELS_BY = ("score", "share")
LEVELS_PER = ("street", "defense_zone")
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
    yellow: float                       # a score (by = "score"), or the share of houses after the red ones
    red: float                          # a score, or the share of houses at the top
    factors: dict                       # name -> parameters
    triggers: list = field(default_factory=list)
    warning_window_days: int = 60
    warning_channels: tuple = ()
    grades: list = field(default_factory=list)   # most serious first
    path: str = ""
    by: str = "score"                   # "score": fixed cut-offs; "share": cut-offs that give these shares
    per: str = "street"                 # with by = "share": the shares hold in the street, or in each defense_zone


# What a rule file may hold besides its factors: section → key → what its value must be.
SHAPE = {"levels": {"by": "word", "per": "word", "yellow": "cut-off", "red": "cut-off"}, "factors": None, "triggers": None,
         "warnings": {"window_days": "whole", "channels": "list", "grades": "list"}}
TRIGGER_KEYS = ("factor", "at_least", "level")
GRADE_KEYS = ("grade", "min_signals", "min_channels")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load_rules(path=None) -> Rules:
    """Read a rule file and check all of it (names, types, ranges, order) before anything is scored."""
    path = Path(path or DEFAULT_RULES)
    try:
        raw, text = read_toml_text(path)
    except InputError as error:
        raise RuleError(str(error)) from None

    def fail(message, table, key=None, occurrence=0):
        raise RuleError(f"{path}, line {line_of(text, table, key, occurrence)}: {message}")

    for section, value in raw.items():
        if section not in SHAPE:
            fail(f"unknown section [{section}]{did_you_mean(f'[{section}]', [f'[{s}]' for s in SHAPE])}; "
                 f"a rule file has {', '.join(f'[{s}]' for s in SHAPE)}", section)
        for key in (value if isinstance(SHAPE[section], dict) and isinstance(value, dict) else ()):
            if key not in SHAPE[section]:
                fail(f"[{section}] has no key {key!r}{did_you_mean(key, SHAPE[section])}; "
                     f"its keys: {', '.join(SHAPE[section])}", section, key)
    levels = raw.get("levels", {})
    by, per = levels.get("by", "score"), levels.get("per", "street")
    if by not in LEVELS_BY:
        fail(f"[levels] by must be one of {', '.join(LEVELS_BY)}, not {by!r}", "levels", "by")
    if per not in LEVELS_PER:
        fail(f"[levels] per must be one of {', '.join(LEVELS_PER)}, not {per!r}", "levels", "per")
    for name in ("yellow", "red"):
        if not _is_number(levels.get(name)) or not math.isfinite(levels[name]):
            fail(f"[levels] {name} must be a finite number", "levels", name)
    if by == "score" and not levels["yellow"] < levels["red"]:
        fail(f"[levels] cut-offs out of order: yellow ({levels['yellow']}) must be below red ({levels['red']})",
             "levels", "red")
    if by == "share":
        for name in ("yellow", "red"):
            if not 0 < levels[name] < 1:
                fail(f"[levels] {name} is a share of the houses with by = \"share\": above 0 and below 1, "
                     f"not {levels[name]}", "levels", name)
        if levels["yellow"] + levels["red"] >= 1:
            fail("[levels] red and yellow shares leave no house green", "levels", "red")
    factors = {}
    for name, params in raw.get("factors", {}).items():
        if name not in FACTORS:
            fail(f"unknown factor {name!r}{did_you_mean(name, FACTORS)}; known factors: {', '.join(FACTORS)}",
                 f"factors.{name}")
        factors[name] = _checked_params(name, params, fail)
    if not factors:
        fail("no [factors.…] given", "levels")
    triggers = [_trigger(i, t, factors, fail) for i, t in enumerate(raw.get("triggers", []))]
    warnings = raw.get("warnings", {})
    window = warnings.get("window_days", 60)
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        fail(f"[warnings] window_days must be a whole number of days, at least 1, not {window!r}",
             "warnings", "window_days")
    channels = warnings.get("channels", [])
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        fail("[warnings] channels must be a list of channel names in quotes", "warnings", "channels")
    grades = [_grade(i, g, fail) for i, g in enumerate(warnings.get("grades", []))]
    grades.sort(key=lambda g: -GRADES.index(g.grade))
    for serious, lesser in zip(grades, grades[1:]):
        if serious.min_signals < lesser.min_signals or serious.min_channels < lesser.min_channels:
            fail(f"warning grade {serious.grade!r} asks for less than {lesser.grade!r}", "warnings.grades",
                 occurrence=0)
    return Rules(levels["yellow"], levels["red"], factors, triggers, window, tuple(channels), grades, str(path),
                 by, per)


def _number_of_kind(value, kind: str) -> str | None:
    """Why ``value`` is not a parameter of this kind (factors.toml [kinds]), or None when it is."""
    bounds = KINDS[kind]
    if not _is_number(value) or not math.isfinite(value):
        return f"must be a finite number, not {value!r}"
    if "min" in bounds and value < bounds["min"]:
        return f"must be at least {bounds['min']:g}, not {value:g}"
    if "max" in bounds and value > bounds["max"]:
        return f"must be at most {bounds['max']:g}, not {value:g}"
    if "above" in bounds and value <= bounds["above"]:
        return f"must be above {bounds['above']:g}, not {value:g}"
    return None


def _checked_params(name, params, fail) -> dict:
    spec = FACTORS[name]
    table = f"factors.{name}"
    for key, value in params.items():
        kind = spec["params"].get(key)
        if kind is None:
            fail(f"factor {name!r} has no parameter {key!r}{did_you_mean(key, spec['params'])}; it takes "
                 f"{', '.join(spec['params'])}", table, key)
        if "table" in KINDS[kind]:
            if not isinstance(value, dict):
                fail(f"{table}.{key} must be a table", table, key)
            for inner, number in value.items():
                problem = _number_of_kind(number, KINDS[kind]["table"])
                if problem:
                    fail(f"{table}.{key}.{inner} {problem}", f"{table}.{key}", inner)
            continue
        problem = _number_of_kind(value, kind)
        if problem:
            fail(f"{table}.{key} {problem}", table, key)
    for key in spec["required"]:
        if key not in params:
            fail(f"factor {name!r} needs {key!r}", table)
    return dict(params)


def _trigger(index, raw, factors, fail) -> Trigger:
    for key in raw:
        if key not in TRIGGER_KEYS:
            fail(f"a trigger has no key {key!r}{did_you_mean(key, TRIGGER_KEYS)}", "triggers", key, index)
    if raw.get("factor") not in factors:
        fail(f"trigger on {raw.get('factor')!r}, which is not a factor of this file", "triggers", "factor", index)
    if raw.get("level") not in ("yellow", "red"):
        fail(f"trigger level must be yellow or red, not {raw.get('level')!r}", "triggers", "level", index)
    if not _is_number(raw.get("at_least")) or not math.isfinite(raw["at_least"]):
        fail("trigger at_least must be a finite number", "triggers", "at_least", index)
    return Trigger(raw["factor"], raw["at_least"], raw["level"])


def _grade(index, raw, fail) -> Grade:
    for key in raw:
        if key not in GRADE_KEYS:
            fail(f"a warning grade has no key {key!r}{did_you_mean(key, GRADE_KEYS)}", "warnings.grades", key,
                 index)
    if raw.get("grade") not in GRADES:
        fail(f"warning grade must be one of {', '.join(GRADES)}, not {raw.get('grade')!r}",
             "warnings.grades", "grade", index)
    for key in ("min_signals", "min_channels"):
        if not isinstance(raw.get(key), int) or isinstance(raw.get(key), bool) or raw[key] < 1:
            fail(f"{key} must be a whole number of at least 1", "warnings.grades", key, index)
    return Grade(raw["grade"], raw["min_signals"], raw["min_channels"])
