"""Identifier validators: GB 32100-2015 统一社会信用代码 and GB 11643-1999 公民身份号码."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sanxiang.registry.validators import (
    credit_code_check_character,
    id_number_birth_date,
    region_contains,
    validate_credit_code,
    validate_id_number,
)
from sanxiang.testing.factories import make_credit_code


# GB 32100-2015 附录 example and published codes of real organisations.
@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the standard's own worked example
        "91110108551385082Q",  # an enterprise (工商 9, 企业 1)
        "12100000400000624D",  # a public institution (机构编制 1, 事业单位 2)
    ],
)
def test_published_credit_codes_are_accepted(code):
    validate_credit_code(code)


@pytest.mark.parametrize("department", ["A", "N", "Y", "1", "5", "9"])
def test_letter_registration_departments_are_valid_when_the_check_character_matches(department):
    # GB 32100-2015 4.1: 登记管理部门代码 may be a letter (A 军队, N 农业, Y 其他)
    code = make_credit_code(123456, department=department, kind="1")
    validate_credit_code(code)


def test_a_lower_case_code_is_checked_as_upper_case():
    validate_credit_code("91350100m000100y43")


def test_a_wrong_check_character_is_refused_naming_the_standard_and_the_right_character():
    with pytest.raises(ValidationError) as err:
        validate_credit_code("91350100M000100Y44")
    message = err.value.messages[0]
    assert "GB 32100-2015" in message
    assert "第18位应为 3" in message
    assert err.value.code == "credit_code_check"


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V"])
def test_characters_outside_the_code_alphabet_are_refused(bad):
    code = "91350100M000100Y4" + "3"
    code = code[:10] + bad + code[11:]
    with pytest.raises(ValidationError) as err:
        validate_credit_code(code)
    assert err.value.code == "credit_code_charset"
    assert bad in err.value.messages[0]


@pytest.mark.parametrize("code", ["", "9135010", "91350100M000100Y433"])
def test_a_code_of_the_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as err:
        validate_credit_code(code)
    assert err.value.code == "credit_code_length"


def test_the_region_part_must_be_digits():
    body = "91AB0100M000100Y4"
    code = body + credit_code_check_character(body)
    with pytest.raises(ValidationError) as err:
        validate_credit_code(code)
    assert err.value.code == "credit_code_region"


def test_every_check_character_value_round_trips():
    # Over many bodies the computed check character always validates, and any other one fails.
    for n in range(200):
        code = make_credit_code(n * 7919, department="9", kind="2")
        validate_credit_code(code)
        wrong = "0" if code[-1] != "0" else "1"
        with pytest.raises(ValidationError):
            validate_credit_code(code[:-1] + wrong)


# GB 11643-1999 公民身份号码


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "11010519491231002x"])
def test_the_standards_examples_are_accepted(number):
    validate_id_number(number)


def test_a_wrong_check_digit_is_refused_naming_the_standard():
    with pytest.raises(ValidationError) as err:
        validate_id_number("110105194912310021")
    assert "GB 11643-1999" in err.value.messages[0]
    assert "第18位应为 X" in err.value.messages[0]
    assert err.value.code == "id_number_check"


def test_a_date_of_birth_that_does_not_exist_is_refused():
    # 2023-02-29 does not exist; the check digit is computed so only the date is wrong.
    from sanxiang.registry.validators import id_number_check_digit

    body = "22070220230229001"
    with pytest.raises(ValidationError) as err:
        validate_id_number(body + id_number_check_digit(body))
    assert err.value.code == "id_number_birth_date"


def test_a_date_of_birth_in_the_future_is_refused():
    from sanxiang.registry.validators import id_number_check_digit

    body = "22070220300101001"
    with pytest.raises(ValidationError) as err:
        validate_id_number(body + id_number_check_digit(body), today=dt.date(2026, 11, 24))
    assert err.value.code == "id_number_birth_date"


@pytest.mark.parametrize("number", ["11010519491231002", "1101051949123100XX", "A1010519491231002X"])
def test_malformed_numbers_are_refused(number):
    with pytest.raises(ValidationError) as err:
        validate_id_number(number)
    assert err.value.code == "id_number_format"


def test_the_birth_date_is_read_from_positions_seven_to_fourteen():
    assert id_number_birth_date("11010519491231002X") == dt.date(1949, 12, 31)


def test_region_containment_follows_the_code_hierarchy():
    assert region_contains("220000", "220702")  # province contains district
    assert region_contains("220700", "220702")  # city contains district
    assert region_contains("220702", "220702")
    assert not region_contains("220702", "220721")
    assert not region_contains("220700", "210702")
