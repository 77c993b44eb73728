"""Errors a user can cause. Each names the field and the rule (and, for a legal rule, the article).

The API renders them as RFC 9457 problem details; staff pages render the same messages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


@dataclass(frozen=True)
class FieldError:
    field: str
    rule: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class SanxiangError(Exception):
    """Base of every error a caller can cause."""

    errors: list[FieldError] = field(default_factory=list)
    code: str = "invalid"
    title: str = "请求无效"
    status: int = 422

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.message}" for e in self.errors) or self.title


class InvalidInput(SanxiangError):
    """422: the input breaks a rule."""

    def __init__(
        self, errors: list[FieldError], *, code: str = "invalid_input", title: str = "输入不符合规则"
    ):
        super().__init__(errors=errors, code=code, title=title, status=422)


class TransitionRefused(SanxiangError):
    """409: the rules refuse this transition; every unmet requirement is listed with its source."""

    def __init__(
        self, errors: list[FieldError], *, code: str = "transition_refused", title: str = "不符合办理条件"
    ):
        super().__init__(errors=errors, code=code, title=title, status=409)


class NotFound(SanxiangError):
    """404: it does not exist, or the caller may not know that it does."""

    def __init__(self, what: str = "resource"):
        super().__init__(
            errors=[FieldError(field=what, rule="exists", message="不存在或无权查看")],
            code="not_found",
            title="未找到",
            status=404,
        )


class Forbidden(SanxiangError):
    """403: the caller may see this but may not do it. The one permission error of every app."""

    def __init__(self, message: str, *, field: str = "actor", rule: str = "permission"):
        super().__init__(
            errors=[FieldError(field=field, rule=rule, message=message)],
            code="forbidden",
            title="无权操作",
            status=403,
        )


def from_validation_error(exc: ValidationError, *, prefix: str = "") -> InvalidInput:
    """Turn a Django ValidationError into InvalidInput, keeping field names and rule codes."""
    errors: list[FieldError] = []
    if hasattr(exc, "error_dict"):
        for name, items in exc.error_dict.items():
            for item in items:
                field_name = "" if name == NON_FIELD_ERRORS else name
                errors.append(
                    FieldError(
                        field=f"{prefix}{field_name}" if field_name else prefix.rstrip(".") or "__all__",
                        rule=item.code or "invalid",
                        message=" ".join(item.messages),
                    )
                )
    else:
        for item in exc.error_list:
            errors.append(
                FieldError(
                    field=prefix.rstrip(".") or "__all__",
                    rule=item.code or "invalid",
                    message=" ".join(item.messages),
                )
            )
    return InvalidInput(errors)
