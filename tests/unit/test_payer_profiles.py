"""Payer profile TOML files: the shipped examples load, and every kind of mistake
in a file gives a ConfigError naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerdesk.domain.billing import PayerProfile, RoundingMode, units_for_minutes
from peerdesk.domain.models import ContactType
from peerdesk.errors import ConfigError
from peerdesk.resources import resource_path
from peerdesk.services.payers import load_payer_profile, load_payer_profiles, shipped_payers_dir

SHIPPED = sorted(resource_path("payers").glob("*.toml"))

VALID = """\
name = "Test payer"
code = "H0038"
unit_minutes = 15
rounding = "cms_8_minute"
daily_cap_units = 16
modifiers = ["HQ", "95"]
billable_contact_types = ["in_person", "group", "video"]

[contact_modifiers]
group = ["HQ"]
video = ["95"]
"""


def write(tmp_path: Path, text: str, name: str = "payer.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def replace_line(key: str, new_line: str | None) -> str:
    """VALID with the line for ``key`` replaced (or removed when None)."""
    out = []
    for line in VALID.splitlines():
        if line.startswith(f"{key} ="):
            if new_line is not None:
                out.append(new_line)
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def config_error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_payer_profile(path)
    return info.value


# --- shipped examples -----------------------------------------------------------------


def test_shipped_payer_folder_has_the_two_examples() -> None:
    assert shipped_payers_dir() == resource_path("payers")
    names = {p.name for p in SHIPPED}
    assert {"medicaid_default.toml", "strict_full_units.toml"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_profile_loads(path: Path) -> None:
    profile = load_payer_profile(path)
    assert isinstance(profile, PayerProfile)
    assert profile.code == "H0038"
    assert profile.unit_minutes == 15
    assert ContactType.NO_SHOW not in profile.billable_contact_types


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_profile_warns_it_is_an_example(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "EXAMPLE" in text
    assert "Medicaid provider manual" in text


def test_default_medicaid_profile_rules() -> None:
    profile = load_payer_profiles()["medicaid_default"]
    assert profile.rounding is RoundingMode.CMS_8_MINUTE
    assert profile.daily_cap_units == 16
    assert profile.max_contact_minutes == 720
    assert profile.modifiers_for(ContactType.GROUP) == ("HQ",)
    assert profile.modifiers_for(ContactType.VIDEO) == ("95",)
    assert profile.modifiers_for(ContactType.PHONE) == ("93",)
    assert profile.modifiers_for(ContactType.IN_PERSON) == ()
    assert not profile.is_billable(ContactType.NO_SHOW)
    assert not profile.is_billable(ContactType.COLLATERAL)
    assert [units_for_minutes(m, profile) for m in (7, 8, 22, 23)] == [0, 1, 1, 2]


def test_strict_profile_rules() -> None:
    profile = load_payer_profiles()["strict_full_units"]
    assert profile.rounding is RoundingMode.MIN_MINUTES_PER_UNIT
    assert profile.min_minutes_per_unit == 10
    assert profile.daily_cap_units == 24
    assert [units_for_minutes(m, profile) for m in (9, 10, 24, 25)] == [0, 1, 1, 2]


def test_load_payer_profiles_keys_by_file_stem(tmp_path: Path) -> None:
    write(tmp_path, VALID, "b_second.toml")
    write(tmp_path, VALID.replace("Test payer", "Other payer"), "a_first.toml")
    write(tmp_path, "not a profile", "readme.txt")
    profiles = load_payer_profiles(tmp_path)
    assert list(profiles) == ["a_first", "b_second"]
    assert profiles["a_first"].name == "Other payer"


# --- a valid file ---------------------------------------------------------------------


def test_valid_file_loads_all_keys(tmp_path: Path) -> None:
    profile = load_payer_profile(write(tmp_path, VALID))
    assert profile.name == "Test payer"
    assert profile.rounding is RoundingMode.CMS_8_MINUTE
    assert profile.billable_contact_types == frozenset(
        {ContactType.IN_PERSON, ContactType.GROUP, ContactType.VIDEO}
    )
    assert profile.min_minutes_per_unit is None
    assert profile.description == ""


def test_missing_daily_cap_means_no_cap(tmp_path: Path) -> None:
    profile = load_payer_profile(write(tmp_path, replace_line("daily_cap_units", None)))
    assert profile.daily_cap_units is None


# --- bad files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("unit_minutes", 'unit_minutes = "15"'),
        ("unit_minutes", "unit_minutes = 15.0"),
        ("daily_cap_units", "daily_cap_units = true"),
        ("daily_cap_units", "daily_cap_units = 0"),
        ("rounding", 'rounding = "round_up"'),
        ("rounding", "rounding = 8"),
        ("code", 'code = "H38"'),
        ("name", "name = 42"),
        ("modifiers", 'modifiers = "HQ"'),
        ("billable_contact_types", 'billable_contact_types = ["in_person", "carpool"]'),
        ("min_minutes_per_unit", 'rounding = "min_minutes_per_unit"'),
    ],
)
def test_bad_value_names_file_and_key(tmp_path: Path, key: str, line: str) -> None:
    replaced = line.split(" =")[0]
    path = write(tmp_path, replace_line(replaced, line))
    err = config_error(path)
    assert err.path == str(path)
    assert str(path) in str(err)
    assert f"'{key}'" in str(err)


def test_unknown_key_is_rejected_by_name(tmp_path: Path) -> None:
    path = write(tmp_path, "daily_cap = 16\n" + VALID)
    err = config_error(path)
    assert "'daily_cap'" in str(err)
    assert "unknown key" in str(err)
    assert err.path == str(path)


def test_missing_required_key_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, replace_line("rounding", None))
    err = config_error(path)
    assert "'rounding'" in str(err) and "missing" in str(err)


def test_min_minutes_without_that_rounding_mode_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "min_minutes_per_unit = 10\n" + VALID)
    assert "'min_minutes_per_unit'" in str(config_error(path))


def test_unknown_contact_type_in_modifier_table(tmp_path: Path) -> None:
    path = write(tmp_path, VALID + 'carpool = ["HQ"]\n')
    assert "'contact_modifiers.carpool'" in str(config_error(path))


def test_undeclared_modifier_in_modifier_table(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace('video = ["95"]', 'video = ["GT"]'))
    err = config_error(path)
    assert "'contact_modifiers'" in str(err) and "GT" in str(err)


def test_modifier_table_of_wrong_type(tmp_path: Path) -> None:
    text = VALID.split("[contact_modifiers]")[0]
    path = write(tmp_path, 'contact_modifiers = "group:HQ"\n' + text)
    assert "'contact_modifiers'" in str(config_error(path))


def test_malformed_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "name = \n")
    err = config_error(path)
    assert err.path == str(path)
    assert "TOML" in str(err)


def test_non_utf8_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "Caf\u00e9"\n'.encode("latin-1"))
    assert config_error(path).path == str(path)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    assert config_error(tmp_path / "nope.toml").path == str(tmp_path / "nope.toml")


def test_missing_or_empty_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_payer_profiles(tmp_path / "absent")
    with pytest.raises(ConfigError):
        load_payer_profiles(tmp_path)


def test_two_files_with_the_same_payer_name_rejected(tmp_path: Path) -> None:
    write(tmp_path, VALID, "one.toml")
    write(tmp_path, VALID, "two.toml")
    with pytest.raises(ConfigError) as info:
        load_payer_profiles(tmp_path)
    assert "two.toml" in str(info.value) and "'name'" in str(info.value)


def test_one_bad_file_in_a_folder_is_named(tmp_path: Path) -> None:
    write(tmp_path, VALID, "good.toml")
    bad = write(tmp_path, replace_line("unit_minutes", "unit_minutes = -15"), "bad.toml")
    with pytest.raises(ConfigError) as info:
        load_payer_profiles(tmp_path)
    assert info.value.path == str(bad)
    assert "'unit_minutes'" in str(info.value)


# --- how a day is counted and what a claim needs (issue 19) ---------------------------

CLAIM_KEYS = """\
day_rule = "sum_per_code_per_day"
billable_states = ["signed", "approved"]
payer_id = "MCD01"
unit_charge = "5.10"
diagnosis_required = true
default_diagnosis = "z71.89"
"""


def test_claim_keys_are_read_and_normalised(tmp_path: Path) -> None:
    text = CLAIM_KEYS + VALID + '\n[place_of_service]\nhome = "12"\n'
    text += '\n[contact_place_of_service]\nvideo = "10"\n'
    profile = load_payer_profile(write(tmp_path, text))
    assert profile.day_rule == "sum_per_code_per_day"
    assert profile.billable_states == {"signed", "approved"}
    assert (profile.payer_id, str(profile.unit_charge)) == ("MCD01", "5.10")
    assert profile.diagnosis_required and profile.default_diagnosis == "Z7189"
    assert profile.place_for(ContactType.VIDEO, "office") == "10"  # the contact type wins
    assert profile.place_for(ContactType.IN_PERSON, "home") == "12"
    assert profile.place_for(ContactType.IN_PERSON, "office") == "11"  # the default table


def test_a_profile_without_claim_keys_keeps_the_old_per_contact_rule(tmp_path: Path) -> None:
    profile = load_payer_profile(write(tmp_path, VALID))
    assert profile.day_rule == "per_contact"
    assert profile.billable_states == {"approved"}


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('day_rule = "weekly"', "day_rule"),
        ('billable_states = ["draft"]', "billable_states"),
        ("billable_states = []", "billable_states"),
        ('unit_charge = "12.345"', "unit_charge"),
        ('unit_charge = "free"', "unit_charge"),
        ('payer_id = "MCD 01"', "payer_id"),
        ('diagnosis_required = "yes"', "diagnosis_required"),
        ('default_diagnosis = "not a code"', "default_diagnosis"),
    ],
)
def test_a_bad_claim_key_names_itself(tmp_path: Path, line: str, key: str) -> None:
    err = config_error(write(tmp_path, line + "\n" + VALID))
    assert f"key '{key}'" in str(err)


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('[place_of_service]\nhome = "1"', "place_of_service"),
        ('[place_of_service]\nmoon = "11"', "place_of_service.moon"),
        ('[contact_place_of_service]\nfax = "02"', "contact_place_of_service.fax"),
    ],
)
def test_a_bad_place_of_service_names_its_key(tmp_path: Path, table: str, key: str) -> None:
    err = config_error(write(tmp_path, VALID + "\n" + table + "\n"))
    assert f"key '{key}'" in str(err)


@pytest.mark.parametrize("amount", ["1e26", "1E+30", "10000.01", "-1", "NaN", "Infinity"])
def test_an_absurd_unit_charge_is_a_config_error_naming_file_and_key(
    tmp_path: Path, amount: str
) -> None:
    # issue 19 (LOW 11): "1e26" raised a raw decimal.InvalidOperation from quantize
    path = write(tmp_path, f'unit_charge = "{amount}"\n' + VALID)
    err = config_error(path)
    assert "key 'unit_charge'" in str(err) and "payer.toml" in str(err)
