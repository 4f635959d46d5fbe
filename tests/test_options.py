"""Every option declared once (resources/options.toml): the command line builds its flags from it."""
import pytest

from gridgov import cli
from gridgov.demo.osm import STREET_AREAS
from gridgov.options import OPTIONS, PAPERS, load_options
from gridgov.pipeline import settings

from helpers import options_with_defaults


def command_defaults(command: str) -> dict:
    subparsers = next(a for a in cli.parser()._actions if a.dest == "command")
    return {a.dest: a.default for a in subparsers.choices[command]._actions}


def test_every_option_is_a_flag_with_its_declared_default():
    offered = {}
    for command in ("run", "join", "score", "coverage", "demo", "atlas", "webmap"):
        offered.update(command_defaults(command))
    assert {name: offered[name] for name in OPTIONS} == {name: o.default for name, o in OPTIONS.items()}
    assert set(command_defaults("run")) >= {"tolerance_m", "window_days", "threshold_s", "turnout_s",
                                            "walk_speed_kmh", "new_bases"}


def test_bounds_and_choices_are_enforced_with_a_clear_message(capsys):
    for argv in (["run", "p.toml", "--threshold-s", "5"], ["webmap", "r.gpkg", "--basemap", "google"],
                 ["run", "p.toml", "--new-bases", "two"]):
        with pytest.raises(SystemExit) as stopped:
            cli.parser().parse_args(argv)
        assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "threshold_s must be between 30 and 3600 s, not 5" in err
    assert "basemap must be one of none, osm, tianditu, amap, not 'google'" in err and "new_bases must be int, not 'two'" in err


def test_a_default_changed_in_its_one_home_changes_the_command_line_and_the_run(monkeypatch, tmp_path):
    options_with_defaults(monkeypatch, tmp_path, threshold_s=240.0, new_bases=5, paper="A3", tolerance_m=12.5)
    assert command_defaults("run")["threshold_s"] == 240.0 and command_defaults("coverage")["new_bases"] == 5
    assert command_defaults("atlas")["paper"] == "A3"
    given = settings()
    assert given["coverage_options"].threshold_s == 240.0 and given["new_bases"] == 5
    assert given["join_options"].tolerance_m == 12.5


def test_declarations_are_whole(tmp_path):
    assert set(OPTIONS["area"].choices) == set(STREET_AREAS)   # the demo streets of resources/demo/areas.toml
    assert set(OPTIONS["paper"].choices) == set(PAPERS)
    for option in OPTIONS.values():
        assert option.en and option.zh and option.help
        assert option.checked(option.default) == option.default
    (tmp_path / "bad.toml").write_text('[x]\ngroup = "join"\ntype = "float"\ndefault = 1\nen = "x"\nzh = "x"\n'
                                       'colour = "red"\n', encoding="utf-8")
    with pytest.raises(Exception, match="option x: .*colour"):
        load_options(tmp_path / "bad.toml")
