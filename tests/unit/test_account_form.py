"""The account pages' shared "the two new passwords differ" check (ui/components/account_form)."""

from onestop.i18n import t
from onestop.ui.components.account_form import password_mismatch


def test_differing_passwords_are_refused_in_both_languages() -> None:
    assert password_mismatch({"new": "Mat-khau-1", "confirm": "Mat-khau-2"}) == (
        t("account.mismatch", "vi"),
        t("account.mismatch", "en"),
    )


def test_equal_passwords_pass_and_missing_fields_count_as_empty() -> None:
    assert password_mismatch({"new": "Mat-khau-1", "confirm": "Mat-khau-1"}) is None
    assert password_mismatch({}) is None
    assert password_mismatch({"new": "x"}) is not None


def test_only_the_first_256_characters_are_compared() -> None:
    """As before the move: both pages cut the fields at 256 characters before comparing."""
    assert password_mismatch({"new": "a" * 256 + "b", "confirm": "a" * 256 + "c"}) is None
