"""A wrong rule file gets a clear error naming the line."""
import pytest

from gridgov.coloring.rules import DEFAULT_RULES, RuleError, load_rules


def test_the_default_rules_load():
    rules = load_rules()
    assert rules.by == "share" and rules.red + rules.yellow < 1 and "crowded_rental" in rules.factors
    assert [g.grade for g in rules.grades] == ["major", "urgent", "routine"]


def broken(tmp_path, old, new):
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(number for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if new.splitlines()[0] in text)
    return path, line


@pytest.mark.parametrize("old, new, message", [
    ("[factors.under_care]", "[factors.under_cares]", "unknown factor 'under_cares'"),
    ("weight = 8\n", "weight = \"8\"\n", "must be a finite number"),
    ("half_life_days = 90", "half_life = 90", "has no parameter 'half_life'"),
    ("red = 0.05 ", "red = 0.9 ", "leave no house green"),
    ('by = "share"', 'by = "rank"', "by must be one of score, share"),
    ("yellow = 0.15 ", "yellow = 15 ", "a share of the houses"),
    ('level = "red"', 'level = "purple"', "trigger level must be yellow or red"),
    ('factor = "fire_alarms"', 'factor = "fire"', "not a factor of this file"),
    ("min_channels = 4", "min_channels = 0", "min_channels must be a whole number"),
])
def test_errors_name_the_line(tmp_path, old, new, message):
    path, line = broken(tmp_path, old, new)
    with pytest.raises(RuleError, match=message) as error:
        load_rules(path)
    assert f"{path}, line {line}:" in str(error.value)


def test_missing_required_parameter_names_the_factor_header(tmp_path):
    path, line = broken(tmp_path, "[factors.elderly_alone]\nweight = 4           # points per person\n",
                        "[factors.elderly_alone]\n")
    with pytest.raises(RuleError, match="needs 'weight'") as error:
        load_rules(path)
    assert f"line {line}:" in str(error.value)


def test_toml_syntax_and_missing_file(tmp_path):
    (tmp_path / "bad.toml").write_text("[levels\nyellow = 1", encoding="utf-8")
    with pytest.raises(RuleError, match="line 1"):
        load_rules(tmp_path / "bad.toml")
    with pytest.raises(RuleError, match="file not found"):
        load_rules(tmp_path / "absent.toml")


def test_grades_must_rise_with_seriousness(tmp_path):
    path, _ = broken(tmp_path, "min_signals = 7", "min_signals = 2")
    with pytest.raises(RuleError, match="'major' asks for less than 'urgent'"):
        load_rules(path)
