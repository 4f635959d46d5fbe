"""Every option a planner can set, read from its one home, resources/options.toml.

The command line, the Processing algorithms and the dock all build their
parameters from these declarations (`arguments`, plugin/parameters.py, the
dock's option rows), so the three offer the same options, defaults and bounds.
Lookups go through the module's registry each time, so a front end built after
the declarations change sees the change.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field, replace

from .layers.errors import InputError
from .layers.toml import read_toml
from .resources import RESOURCES

OPTIONS_FILE = RESOURCES / "options.toml"
TYPES = {"float": float, "int": int, "choice": str}
ANALYSIS = ("join", "risk", "coverage", "siting")     # the groups an analysis run reads


@dataclass(frozen=True)
class Option:
    name: str
    group: str
    type: str
    default: object
    en: str
    zh: str
    help: str = ""
    unit: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple = field(default_factory=tuple)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def label(self, chinese: bool = False) -> str:
        text = self.zh if chinese else self.en
        return f"{text} ({self.unit})" if self.unit else text

    def checked(self, value):
        """The value as this option's type, or an InputError saying what is allowed."""
        try:
            value = TYPES[self.type](value)
        except (TypeError, ValueError):
            raise InputError(f"{self.name} must be {self.type}, not {value!r}") from None
        if self.choices and value not in self.choices:
            raise InputError(f"{self.name} must be one of {', '.join(self.choices)}, not {value!r}")
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            raise InputError(f"{self.name} must be between {self.min:g} and {self.max:g}{' ' + self.unit}, "
                             f"not {value:g}")
        return value


def load_options(path=OPTIONS_FILE) -> dict:
    """name → Option, in the file's order (the order front ends show them in)."""
    declared = read_toml(path)
    options = {}
    for name, spec in declared.items():
        if name == "papers":
            continue
        try:
            option = Option(name=name, **{**spec, "choices": tuple(spec.get("choices", ()))})
        except TypeError as error:
            raise InputError(f"option {name}: {error}", str(path)) from None
        if option.type not in TYPES:
            raise InputError(f"option {name}: type must be one of {', '.join(TYPES)}", str(path))
        options[name] = replace(option, default=option.checked(option.default))
    return options


OPTIONS = load_options()
PAPERS = {name: tuple(size) for name, size in read_toml(OPTIONS_FILE)["papers"].items()}


def options(*groups) -> list:
    """The options of these groups, in their declared order."""
    return [option for option in OPTIONS.values() if option.group in groups]


def defaults(*groups) -> dict:
    return {option.name: option.default for option in options(*groups)}


def add_arguments(parser: argparse.ArgumentParser, *groups):
    """One command-line flag per option, with its default, bounds and labels."""
    for option in options(*groups):
        parser.add_argument(option.flag, dest=option.name, type=_argument_type(option), default=option.default,
                            choices=option.choices or None, metavar=None if option.choices else option.type.upper(),
                            help=f"{option.en} {option.zh}: {option.help} (default {option.default}"
                                 f"{' ' + option.unit if option.unit else ''})")


def _argument_type(option: Option):
    def parse(text):
        try:
            return option.checked(text)
        except InputError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    parse.__name__ = option.type
    return parse


def values(namespace, *groups) -> dict:
    """The options of these groups from parsed arguments (or any object with them as attributes)."""
    return {option.name: getattr(namespace, option.name) for option in options(*groups)}
