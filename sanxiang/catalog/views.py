"""Portal pages publishing every catalogue with its history, and the staff pages that edit them.

Views parse, call a selector or service, and render; the rules live in services.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxiang.catalog import selectors, services, xlsx
from sanxiang.catalog.models import MODELS, LawChange, ListKind, PenaltyKind
from sanxiang.catalog.specs import SPECS
from sanxiang.errors import InvalidInput, NotFound, SanxiangError
from sanxiang.procedures import registry as procedures
from sanxiang.registry.models import Agency

# --- shared helpers ---------------------------------------------------------------------------------------


def _kind(kind: str) -> str:
    if kind not in ListKind.values:
        raise Http404
    return kind


def _day(request: HttpRequest) -> dt.date:
    raw = request.GET.get("on")
    if raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    return timezone.localdate()


def display_fields(kind: str, entry) -> list[tuple[str, object]]:
    """(header, shown value) for every column but the code."""
    shown = []
    for c in SPECS[kind].columns[1:]:
        value = getattr(entry, c.field)
        if c.type == "choice" and value:
            value = getattr(entry, f"get_{c.field}_display")()
        if kind == ListKind.RECORDING and c.field == "procedure":
            value = procedures.REGISTRY[value].name if value in procedures.REGISTRY else value
        if kind == ListKind.RECORDING and c.field == "record":
            records = procedures.REGISTRY.get(entry.procedure)
            spec = records.records().get(value) if records else None
            value = spec.name if spec else value
        shown.append((c.header, value))
    return shown


PENALTY_LABELS = dict(PenaltyKind.choices)


def _rows(kind: str, entries) -> list[dict]:
    return [
        {
            "entry": e,
            "fields": display_fields(kind, e),
            "discretion": [
                {"rule": r, "kinds": "、".join(str(PENALTY_LABELS.get(k, k)) for k in r.penalty_kinds)}
                for r in e.discretion.all()
            ]
            if kind == ListKind.ITEMS
            else [],
        }
        for e in entries
    ]


def _lists_overview(agency: Agency) -> list[dict]:
    today = timezone.localdate()
    return [
        {
            "kind": kind,
            "title": spec.title,
            "source": spec.source,
            "count": selectors.in_force(MODELS[kind], agency=agency, on=today).count(),
            "updated": selectors.last_updated(MODELS[kind], agency=agency),
        }
        for kind, spec in SPECS.items()
    ]


# --- portal (public) ----------------------------------------------------------------------------------------


def _public_agency(agency_id) -> Agency:
    agency = selectors.public_catalog_agencies().filter(public_id=agency_id).first()
    if agency is None:
        raise Http404
    return agency


def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/public_index.html", {"agencies": selectors.public_catalog_agencies()})


def public_agency(request: HttpRequest, agency_id) -> HttpResponse:
    agency = _public_agency(agency_id)
    return render(request, "catalog/public_agency.html", {"agency": agency, "lists": _lists_overview(agency)})


def public_list(request: HttpRequest, agency_id, kind: str) -> HttpResponse:
    kind = _kind(kind)
    agency = _public_agency(agency_id)
    day = _day(request)
    model = MODELS[kind]
    entries = selectors.in_force(model, agency=agency, on=day)
    return render(
        request,
        "catalog/public_list.html",
        {
            "agency": agency,
            "kind": kind,
            "spec": SPECS[kind],
            "headers": [c.header for c in SPECS[kind].columns[1:]],
            "rows": _rows(kind, entries),
            "day": day,
            "updated": selectors.last_updated(model, agency=agency),
            "upcoming": selectors.upcoming(model, agency=agency, on=day),
        },
    )


def public_history(request: HttpRequest, agency_id, kind: str, code: str) -> HttpResponse:
    kind = _kind(kind)
    agency = _public_agency(agency_id)
    versions = list(selectors.history(MODELS[kind], agency=agency, code=code))
    if not versions:
        raise Http404
    return render(
        request,
        "catalog/public_history.html",
        {
            "agency": agency,
            "kind": kind,
            "spec": SPECS[kind],
            "code": code,
            "headers": [c.header for c in SPECS[kind].columns[1:]],
            "rows": _rows(kind, versions),
        },
    )


# --- staff --------------------------------------------------------------------------------------------------


def _staff_agency(request: HttpRequest, agency_id) -> Agency:
    agency = selectors.catalog_agencies(request.user).filter(public_id=agency_id).first()
    if agency is None:
        raise Http404
    return agency


def _require_editor(request: HttpRequest, agency: Agency) -> None:
    if not services.can_edit_catalog(request.user, agency):
        raise Http404  # the page to change a list exists only for those who may change it


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    agencies = selectors.catalog_agencies(request.user)
    chosen = request.GET.get("agency")
    agency = None
    if chosen:
        agency = agencies.filter(public_id=chosen).first()
    elif request.user.agency_id:
        agency = agencies.filter(pk=request.user.agency_id).first()
    today = timezone.localdate()
    return render(
        request,
        "catalog/staff_home.html",
        {
            "agencies": agencies,
            "agency": agency,
            "lists": _lists_overview(agency) if agency else [],
            "can_edit": agency is not None and services.can_edit_catalog(request.user, agency),
            "overdue": selectors.overdue_law_changes(request.user, today=today),
            "update_rule": services.update_rule(agency, today) if agency else None,
            "today": today,
        },
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="XLSX 文件")
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="变更原因", max_length=300)


class WithdrawForm(forms.Form):
    effective_from = forms.DateField(label="废止生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="废止原因", max_length=300)


@login_required
def staff_list(request: HttpRequest, agency_id, kind: str) -> HttpResponse:
    kind = _kind(kind)
    agency = _staff_agency(request, agency_id)
    day = _day(request)
    model = MODELS[kind]
    return render(
        request,
        "catalog/staff_list.html",
        {
            "agency": agency,
            "kind": kind,
            "spec": SPECS[kind],
            "headers": [c.header for c in SPECS[kind].columns[1:]],
            "rows": _rows(kind, selectors.in_force(model, agency=agency, on=day)),
            "upcoming": selectors.upcoming(model, agency=agency, on=day),
            "day": day,
            "can_edit": services.can_edit_catalog(request.user, agency),
            "import_form": ImportForm(),
        },
    )


@login_required
def staff_export(request: HttpRequest, agency_id, kind: str) -> HttpResponse:
    kind = _kind(kind)
    agency = _staff_agency(request, agency_id)
    day = _day(request)
    response = HttpResponse(
        xlsx.catalog_export(kind=kind, agency=agency, on=day),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-{day}.xlsx"'
    return response


def _add_errors(form: forms.Form, exc: SanxiangError) -> None:
    for e in exc.errors:
        name = e.field if e.field in form.fields else None
        form.add_error(name, e.message)


@login_required
@require_POST
def staff_import(request: HttpRequest, agency_id, kind: str) -> HttpResponse:
    kind = _kind(kind)
    agency = _staff_agency(request, agency_id)
    _require_editor(request, agency)
    form = ImportForm(request.POST, request.FILES)
    errors: list = []
    if form.is_valid():
        try:
            result = xlsx.catalog_import(
                actor=request.user,
                kind=kind,
                agency=agency,
                content=form.cleaned_data["file"].read(),
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                f"导入完成：新增 {len(result.created)}，修订 {len(result.revised)}，"
                f"废止 {len(result.withdrawn)}，未变 {len(result.unchanged)}",
            )
            return redirect("catalog:staff_list", agency_id=agency.public_id, kind=kind)
    return render(
        request,
        "catalog/staff_import_errors.html",
        {"agency": agency, "kind": kind, "spec": SPECS[kind], "form": form, "errors": errors},
        status=422,
    )


class DiscretionForm(forms.Form):
    level = forms.CharField(label="裁量阶次", max_length=50)
    circumstances = forms.CharField(label="适用情形", widget=forms.Textarea(attrs={"rows": 2}))
    penalty_kinds = forms.MultipleChoiceField(
        label="处罚种类", choices=PenaltyKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    fine_min = forms.DecimalField(label="罚款下限（元）", required=False, min_value=0, decimal_places=2)
    fine_max = forms.DecimalField(label="罚款上限（元）", required=False, min_value=0, decimal_places=2)
    other = forms.CharField(label="其他处罚内容", required=False, max_length=300)


DiscretionFormSet = forms.formset_factory(DiscretionForm, extra=2)


def entry_form_class(kind: str, agency: Agency) -> type[forms.Form]:
    model = MODELS[kind]
    fields = forms.fields_for_model(model, fields=SPECS[kind].fields)
    fields["code"].label = SPECS[kind].columns[0].header
    if kind == ListKind.RECORDING:
        fields["procedure"] = forms.ChoiceField(
            label="执法程序", choices=[(d.key, d.name) for d in procedures.definitions()]
        )
        fields["record"] = forms.ChoiceField(
            label="执法环节记录",
            choices=[
                (r.key, f"{d.name} · {r.name}")
                for d in procedures.definitions()
                for s in d.stages
                for r in s.records
                if not r.av_required
            ],
        )
    fields["effective_from"] = forms.DateField(
        label="生效日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    fields["reason"] = forms.CharField(label="变更原因", max_length=300)
    fields["law_change"] = forms.ModelChoiceField(
        label="对应的法律法规变化（如有）",
        queryset=LawChange.objects.filter(agency=agency, completion__isnull=True),
        required=False,
    )
    return type("EntryForm", (forms.Form,), dict(fields))


@login_required
def staff_edit(request: HttpRequest, agency_id, kind: str, code: str | None = None) -> HttpResponse:
    """A new entry, or the next version of ``code`` (pre-filled with the latest version)."""
    kind = _kind(kind)
    agency = _staff_agency(request, agency_id)
    _require_editor(request, agency)
    model = MODELS[kind]
    latest = selectors.latest_version(model, agency=agency, code=code) if code else None
    if code and latest is None:
        raise Http404
    form_class = entry_form_class(kind, agency)
    with_discretion = kind == ListKind.ITEMS
    if request.method == "POST":
        form = form_class(request.POST)
        formset = DiscretionFormSet(request.POST, prefix="d") if with_discretion else None
        if code:
            form.data = form.data.copy()
            form.data["code"] = code
        if form.is_valid() and (formset is None or formset.is_valid()):
            data = {
                k: v
                for k, v in form.cleaned_data.items()
                if k not in ("effective_from", "reason", "law_change")
            }
            rows = (
                [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]
                if formset
                else []
            )
            try:
                result = services.entry_publish(
                    actor=request.user,
                    kind=kind,
                    agency=agency,
                    data=data,
                    discretion=rows,
                    effective_from=form.cleaned_data["effective_from"],
                    reason=form.cleaned_data["reason"],
                    law_change=form.cleaned_data["law_change"],
                )
            except InvalidInput as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"已发布第{result.entry.version}版"
                    if result.created
                    else "内容与现行版本相同，未新增版本",
                )
                return redirect("catalog:staff_list", agency_id=agency.public_id, kind=kind)
    else:
        initial = {"effective_from": timezone.localdate()}
        rows_initial = []
        if latest is not None:
            initial.update({f: getattr(latest, f) for f in SPECS[kind].fields})
            if with_discretion:
                rows_initial = [
                    {
                        "level": r.level,
                        "circumstances": r.circumstances,
                        "penalty_kinds": r.penalty_kinds,
                        "fine_min": r.fine_min,
                        "fine_max": r.fine_max,
                        "other": r.other,
                    }
                    for r in latest.discretion.all()
                ]
        form = form_class(initial=initial)
        formset = DiscretionFormSet(initial=rows_initial, prefix="d") if with_discretion else None
    if code:
        form.fields["code"].disabled = True
    return render(
        request,
        "catalog/staff_form.html",
        {
            "agency": agency,
            "kind": kind,
            "spec": SPECS[kind],
            "form": form,
            "formset": formset,
            "latest": latest,
        },
    )


@login_required
def staff_withdraw(request: HttpRequest, agency_id, kind: str, code: str) -> HttpResponse:
    kind = _kind(kind)
    agency = _staff_agency(request, agency_id)
    _require_editor(request, agency)
    latest = selectors.latest_version(MODELS[kind], agency=agency, code=code)
    if latest is None:
        raise Http404
    form = WithdrawForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_withdraw(
                actor=request.user,
                kind=kind,
                agency=agency,
                code=code,
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已废止 {code}")
            return redirect("catalog:staff_list", agency_id=agency.public_id, kind=kind)
    return render(
        request,
        "catalog/staff_withdraw.html",
        {"agency": agency, "kind": kind, "spec": SPECS[kind], "form": form, "latest": latest},
    )


class LawChangeForm(forms.Form):
    agency = forms.ModelChoiceField(label="执法主体", queryset=Agency.objects.none())
    kind = forms.ChoiceField(label="变化类型", choices=LawChange.Kind.choices)
    title = forms.CharField(label="法律、法规、规章、规范性文件或机构调整", max_length=300)
    document_number = forms.CharField(label="文号或条款", max_length=100, required=False)
    trigger_date = forms.DateField(
        label="生效、废止或调整之日", widget=forms.DateInput(attrs={"type": "date"})
    )
    lists = forms.MultipleChoiceField(
        label="受影响的清单", choices=ListKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


@login_required
def staff_law_changes(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    editable = [
        a.pk for a in selectors.catalog_agencies(request.user) if services.can_edit_catalog(request.user, a)
    ]
    form = LawChangeForm(request.POST or None)
    form.fields["agency"].queryset = Agency.objects.filter(pk__in=editable)
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                change = services.law_change_record(actor=request.user, **data)
            except InvalidInput as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, f"已登记，清单应于 {change.due_date} 前完成更新（公示办法 第二十五条）"
                )
                return redirect("catalog:staff_law_changes")
    only_overdue = request.GET.get("overdue") == "1"
    changes = (
        selectors.overdue_law_changes(request.user, today=today)
        if only_overdue
        else selectors.law_changes_for(request.user)
    )
    return render(
        request,
        "catalog/staff_law_changes.html",
        {
            "changes": changes,
            "today": today,
            "form": form if editable else None,
            "only_overdue": only_overdue,
            "editable": set(editable),
            "rule": services.update_rule(request.user.agency, today) if request.user.agency_id else None,
        },
    )


@login_required
@require_POST
def staff_law_change_complete(request: HttpRequest, change_id) -> HttpResponse:
    change = selectors.law_changes_for(request.user).filter(public_id=change_id).first()
    if change is None:
        raise Http404
    try:
        services.law_change_complete(actor=request.user, law_change=change, note=request.POST.get("note", ""))
    except services.Forbidden:
        raise Http404 from None
    except (InvalidInput, NotFound) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已登记清单更新完成")
    return redirect(reverse("catalog:staff_law_changes"))
