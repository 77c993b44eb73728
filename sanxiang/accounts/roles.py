"""Staff roles. Each is a Django group; a user's agency scopes what the role may see."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    REVIEWER = "reviewer", _("法制审核人员")
    HEAD = "head", _("负责人")
    DISCLOSURE_OFFICER = "disclosure_officer", _("公示管理员")
    SUPERVISOR = "supervisor", _("监督人员")
    ADMINISTRATOR = "administrator", _("系统管理员")
