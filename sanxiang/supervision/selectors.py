"""Reads of the supervision app, scoped: who sees which alert.

A supervisor sees every agency of the region (registry ``agency_scope``); a head and an
administrator the whole agency; a reviewer the agency's review alerts, a disclosure officer its
disclosure alerts; everyone the alerts for which they are the responsible officer.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sanxiang.accounts.roles import Role
from sanxiang.registry.models import Agency
from sanxiang.registry.selectors import agency_scope
from sanxiang.supervision.models import Alert, AlertKind, AlertLevel

ROLE_KINDS = {
    Role.REVIEWER: (AlertKind.REVIEW,),
    Role.DISCLOSURE_OFFICER: (
        AlertKind.DISCLOSURE,
        AlertKind.WITHDRAWAL,
        AlertKind.CORRECTION,
        AlertKind.EX_ANTE,
    ),
}


def visible_alerts(user) -> QuerySet[Alert]:
    qs = Alert.objects.select_related("agency", "responsible", "closed_by")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return qs
    if user.has_role(Role.SUPERVISOR):
        scope = agency_scope(user)
        return qs if scope is None else qs.filter(agency__in=Agency.objects.filter(scope).values("pk"))
    condition = Q(responsible=user)
    if user.agency_id:
        if user.has_role(Role.HEAD):
            condition |= Q(agency_id=user.agency_id)
        for role, kinds in ROLE_KINDS.items():
            if user.has_role(role):
                condition |= Q(agency_id=user.agency_id, kind__in=kinds)
    return qs.filter(condition)


def open_alerts(user) -> QuerySet[Alert]:
    return visible_alerts(user).filter(closed_at__isnull=True).order_by("-level", "due_date", "pk")


def alert_counts_by_agency(user) -> list:
    """Open alerts per agency (red and yellow), for the supervisor's overview."""
    from django.db.models import Count

    rows = (
        open_alerts(user)
        .order_by()
        .values("agency_id", "agency__name")
        .annotate(
            red=Count("pk", filter=Q(level=AlertLevel.RED)),
            yellow=Count("pk", filter=Q(level=AlertLevel.YELLOW)),
        )
        .order_by("-red", "-yellow", "agency__name")
    )
    return list(rows)


def alert_work_items(user) -> list:
    """One line on the staff home: how many open alerts the user sees (the list is its own page;
    the cases app already lists the user's own deadlines one by one)."""
    from django.db.models import Count

    from sanxiang.accounts.selectors import WorkItem

    if not getattr(user, "is_authenticated", False):
        return []
    counts = dict(
        open_alerts(user).order_by().values_list("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    red, yellow = counts.get(AlertLevel.RED, 0), counts.get(AlertLevel.YELLOW, 0)
    if not (red or yellow):
        return []
    return [
        WorkItem(
            "监督预警",
            f"红色预警 {red} 项，黄色预警 {yellow} 项",
            "—",
            "/staff/supervision/alerts/",
            "overdue" if red else "running",
        )
    ]


def standard_versions():
    """Every version of every 案卷评查标准, newest first within a code, with its items."""
    from django.db.models import Prefetch

    from sanxiang.supervision.models import EvaluationStandard, StandardItem

    return EvaluationStandard.objects.order_by("code", "-version").prefetch_related(
        Prefetch("items", queryset=StandardItem.objects.order_by("section", "position"))
    )


def visible_campaigns(user):
    """Campaigns a person may see: the organiser's own (a supervisor), every one (an administrator
    without an agency), or those that drew the person's agency's cases or assigned the person."""
    from sanxiang.supervision.models import Campaign

    qs = Campaign.objects.select_related("organiser", "standard")
    if user.has_role(Role.ADMINISTRATOR) and not user.agency_id:
        return qs
    mine = Q(cases__evaluator=user)
    if user.agency_id:
        mine |= Q(organiser_id=user.agency_id) | Q(cases__case__agency_id=user.agency_id)
    return qs.filter(mine).distinct()
