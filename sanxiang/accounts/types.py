"""Type aliases for the people the service layer deals with (annotations only; no runtime use)."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from sanxiang.accounts.models import User

# Whoever is asking: ``request.user`` of a staff page or the API, which may be anonymous.
Viewer: TypeAlias = User | AnonymousUser
