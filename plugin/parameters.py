"""Processing parameters from the declared options (resources/options.toml), and their values back.

Parameter names are the options' names in capitals (THRESHOLD_S), so a model or
a qgis_process call reads like the command line (--threshold-s).
"""
from __future__ import annotations

from qgis.core import QgsProcessingParameterEnum, QgsProcessingParameterNumber

from ..options import options

NUMBER_TYPES = {"int": QgsProcessingParameterNumber.Integer, "float": QgsProcessingParameterNumber.Double}


def parameter(option):
    label = f"{option.en} {option.zh}" + (f" ({option.unit})" if option.unit else "")
    name = option.name.upper()
    if option.type == "choice":
        made = QgsProcessingParameterEnum(name, label, options=list(option.choices),
                                          defaultValue=option.choices.index(option.default))
    else:
        made = QgsProcessingParameterNumber(name, label, NUMBER_TYPES[option.type], option.default)
        if option.min is not None:
            made.setMinimum(option.min)
        if option.max is not None:
            made.setMaximum(option.max)
    made.setHelp(option.help)
    return made


def add_parameters(algorithm, *groups):
    for option in options(*groups):
        algorithm.addParameter(parameter(option))


def parameter_values(algorithm, parameters, context, *groups) -> dict:
    """name → value of the options of these groups, as the algorithm was given them."""
    values = {}
    for option in options(*groups):
        name = option.name.upper()
        if option.type == "choice":
            values[option.name] = option.choices[algorithm.parameterAsEnum(parameters, name, context)]
        elif option.type == "int":
            values[option.name] = algorithm.parameterAsInt(parameters, name, context)
        else:
            values[option.name] = algorithm.parameterAsDouble(parameters, name, context)
    return values
