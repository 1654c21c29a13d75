from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.uscc import validate_uscc

# Published codes of real organisations (their check characters are right by construction).
VALID = ["91350100M000100Y43", "91110000600037341L", "11100000000013127D", "91440300708461136T"]


@pytest.mark.parametrize("code", VALID)
def test_it_accepts_valid_codes(code):
    validate_uscc(code)


def test_it_accepts_lower_case_and_spaces():
    validate_uscc(" 91350100m000100y43 ")


@pytest.mark.parametrize(
    ("code", "error_code", "fragment"),
    [
        ("91350100M000100Y4", "uscc_length", "18"),
        ("91350100M000100Y433", "uscc_length", "18"),
        ("", "uscc_length", "18"),
        ("91350100M000100I43", "uscc_characters", "I"),
        ("91350100M0001O0Y43", "uscc_characters", "O"),
        ("91350100M000100Y4?", "uscc_characters", "?"),
        ("9135A100M000100Y43", "uscc_region", ""),
        ("91350100M000100Y44", "uscc_check", ""),
        ("91110000600037341K", "uscc_check", ""),
    ],
)
def test_it_rejects_invalid_codes_with_a_chinese_message(code, error_code, fragment):
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    error = info.value
    assert error.code == error_code
    message = error.messages[0]
    assert fragment in message
    # The default language is Simplified Chinese.
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
