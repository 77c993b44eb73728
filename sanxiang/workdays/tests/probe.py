"""A test-only model carrying stored deadlines, as other apps' models will.

Its app label is not installed, so migrations never see it; the workdays test conftest creates
its table once per session.
"""

from __future__ import annotations

from django.db import models

from sanxiang.workdays.models import DeadlineFields, deadline_fields


class ProbeDeadline(DeadlineFields):
    label = models.CharField(max_length=50)

    class Meta:
        app_label = "workdays_probe"


class ProbeCase(deadline_fields("disclosure_"), deadline_fields("review_")):
    title = models.CharField(max_length=50)

    class Meta:
        app_label = "workdays_probe"
