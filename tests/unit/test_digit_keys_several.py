"""Digit keys of several values at once: a value without digits (an empty phone number)
adds nothing and the values after it still count."""

from __future__ import annotations

from clinic_desk.domain.search_keys import DIGIT_MARK, digit_keys


def test_a_value_without_digits_is_passed_over_not_the_end() -> None:
    assert digit_keys("", "no phone", "0612 34") == digit_keys("0612 34")
    assert digit_keys("", "0612 34") == {
        DIGIT_MARK + "061234",
        DIGIT_MARK + "61234",
        DIGIT_MARK + "1234",
    }
    assert digit_keys("", "") == set()
