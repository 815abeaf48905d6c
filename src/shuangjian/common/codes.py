"""Unified social credit codes (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

from .errors import DomainError
from .text import nfkc

#: The 31 characters of GB 32100-2015 (no I, O, S, V, Z), in value order.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Weights of positions 1–17: 3^(i-1) mod 31.
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class CreditCodeError(DomainError):
    """A credit code that is malformed or whose check character is wrong; the message is Chinese."""

    code = "invalid_credit_code"


def credit_code_check_char(first17: str) -> str:
    """The check character (position 18) for the first 17 characters of a credit code.

    Raises ``CreditCodeError`` when a character is outside the GB 32100-2015 set.
    """
    total = 0
    for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True):
        index = CREDIT_CODE_CHARSET.find(char)
        if index < 0:
            raise CreditCodeError(f"统一社会信用代码含有无效字符“{char}”")
        total += index * weight
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_normalize(value: object) -> str:
    """Return the credit code NFKC-normalised, upper-cased and verified.

    Full-width input (９１４３…) is accepted. Raises ``CreditCodeError`` naming the problem:
    wrong length, a character outside the set, or a wrong check character (with the expected one).
    """
    code = nfkc(value).upper().replace(" ", "")
    if len(code) != 18:
        raise CreditCodeError(f"统一社会信用代码应为18位，实际为{len(code)}位")
    expected = credit_code_check_char(code[:17])
    if code[17] not in CREDIT_CODE_CHARSET:
        raise CreditCodeError(f"统一社会信用代码含有无效字符“{code[17]}”")
    if code[17] != expected:
        raise CreditCodeError(f"统一社会信用代码校验位错误：应为“{expected}”，实为“{code[17]}”")
    return code


def credit_code_make(first17: str) -> str:
    """Complete 17 characters with their check character (for generated demo data and tests)."""
    return first17 + credit_code_check_char(first17)
