"""`{% if user|has_any_role:"head supervisor" %}`: hide a link from a user whose roles cannot use the page."""

from __future__ import annotations

from typing import Any

from django import template

from sanxiang.accounts.roles import Role

register = template.Library()


@register.filter
def has_any_role(user: Any, roles: str) -> bool:
    """True if the signed-in user holds any of the space-separated role values (Role.value)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(user.has_role(Role(r)) for r in roles.split())
