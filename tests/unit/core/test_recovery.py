"""The recovery key: format, checksums, typo detection, key derivation."""

from __future__ import annotations

import pytest

from xhht_desktop.core import recovery
from xhht_desktop.core.recovery import RecoveryKey, parse
from xhht_desktop.errors import RecoveryKeyInvalid


def test_key_is_ten_groups_of_five_and_round_trips() -> None:
    key = RecoveryKey.generate()
    groups = key.groups
    assert len(groups) == 10
    assert all(len(g) == 5 and set(g) <= set(recovery.ALPHABET) for g in groups)
    assert parse(key.text) == key
    assert len(key.secret) * 8 == 200


def test_typing_is_forgiving_about_case_spaces_and_lookalikes() -> None:
    key = RecoveryKey(bytes(range(25)))
    typed = " ".join(key.groups).lower()
    assert parse(typed) == key
    # O for 0 and l/I for 1 are read as what the sheet means.
    lookalike = key.text.replace("0", "O").replace("1", "l")
    assert parse(lookalike) == key


@pytest.mark.parametrize("group", range(10))
def test_a_changed_character_names_its_group(group: int) -> None:
    key = RecoveryKey(bytes(range(100, 125)))
    groups = key.groups
    caught = 0
    for position in range(5):
        for replacement in recovery.ALPHABET:
            if replacement == groups[group][position]:
                continue
            typo = list(groups)
            typo[group] = typo[group][:position] + replacement + typo[group][position + 1 :]
            try:
                parse("-".join(typo))
            except RecoveryKeyInvalid as exc:
                assert exc.groups == (group + 1,)
                assert f"nhóm thứ {group + 1}" in exc.message
                caught += 1
    # A 5-bit check misses about one change in 32; nearly all are caught.
    assert caught >= 0.9 * 5 * 31


def test_swapped_groups_are_caught() -> None:
    key = RecoveryKey(bytes(range(25)))
    groups = key.groups
    groups[2], groups[3] = groups[3], groups[2]
    with pytest.raises(RecoveryKeyInvalid) as caught:
        parse("".join(groups))
    assert set(caught.value.groups) <= {3, 4} and caught.value.groups


def test_wrong_length_and_strange_characters_say_so() -> None:
    key = RecoveryKey.generate()
    with pytest.raises(RecoveryKeyInvalid, match=r"50 ký tự.*49"):
        parse(key.text[:-1])
    with pytest.raises(RecoveryKeyInvalid, match="ký tự lạ: #"):
        parse(key.text[:-1] + "#")


def test_database_key_is_derived_and_stable() -> None:
    key = RecoveryKey(bytes(25))
    other = RecoveryKey(bytes(24) + b"\x01")
    assert len(key.database_key()) == 32
    assert key.database_key() == parse(key.text).database_key()
    assert key.database_key() != other.database_key()
