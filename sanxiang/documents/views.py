"""Staff pages (a case's documents: preview, generate, download, print; a document with the party's
signature) and the public verification of an issued document (/verify/document/)."""

from __future__ import annotations

import base64
import binascii
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from sanxiang.cases import context as case_context
from sanxiang.cases import selectors as case_selectors
from sanxiang.cases.services import can_act
from sanxiang.documents import kinds, selectors, services
from sanxiang.documents import render as rendering
from sanxiang.documents.models import PartySignature
from sanxiang.errors import FieldError, InvalidInput, NotFound, SanxiangError
from sanxiang.ledger.storage import get_storage

MAX_UPLOAD = 50 * 1024 * 1024


def _errors(request: HttpRequest, exc: SanxiangError, template: str, context: dict) -> HttpResponse:
    return render(
        request, template, {**context, "errors": exc.errors, "error_title": exc.title}, status=exc.status
    )


def _page_images(pdf: bytes, dpi: int = 70) -> list[str]:
    """The PDF's pages as PNG data URLs (the preview works on a phone without a PDF viewer)."""
    with tempfile.TemporaryDirectory(prefix="sanxiang-preview-") as tmp:
        source = Path(tmp) / "d.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(source), str(Path(tmp) / "p")], check=True, timeout=60
        )
        pages = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return ["data:image/png;base64," + base64.b64encode(p.read_bytes()).decode() for p in pages]


@login_required
def case_documents(request: HttpRequest, case_id: Any) -> HttpResponse:
    try:
        case = case_selectors.case_for(request.user, case_id)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    view = case_context.load(case)
    rows = selectors.case_documents(case, view)
    return render(
        request,
        "documents/case.html",
        {
            "case": case,
            "rows": rows,
            "can_act": can_act(request.user, case),
            "case_files": list(case.case_files.order_by("-made_at")[:5]),
        },
    )


@login_required
@require_POST
def case_file(request: HttpRequest, case_id: Any) -> HttpResponse:
    from sanxiang.documents.casefile import case_file_export

    try:
        case = case_selectors.case_for(request.user, case_id)
        export = case_file_export(actor=request.user, case=case)
    except SanxiangError as exc:
        return _errors(request, exc, "documents/error.html", {})
    messages.success(
        request, f"已导出案卷：卷内文件{export.case_file.items}件，共{export.case_file.pages}页，已存证"
    )
    return redirect("documents:case", case.public_id)


@login_required
def case_file_download(request: HttpRequest, file_id: Any, part: str) -> HttpResponse:
    from sanxiang.documents.models import CaseFile

    row = CaseFile.objects.select_related("case").filter(public_id=file_id).first()
    try:
        if row is None or part not in ("case-file.pdf", "manifest.json"):
            raise NotFound("case_file")
        case_selectors.case_for(request.user, row.case.public_id)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    pdf = part.endswith(".pdf")
    with get_storage().open(row.pdf_sm3 if pdf else row.manifest_sm3) as handle:
        body = handle.read()
    response = HttpResponse(
        body, content_type="application/pdf" if pdf else "application/json; charset=utf-8"
    )
    from urllib.parse import quote

    name = f"案卷-{row.case.number}-{timezone.localtime(row.made_at):%Y%m%d%H%M}.{'pdf' if pdf else 'json'}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def preview(request: HttpRequest, case_id: Any, kind: str) -> HttpResponse:
    try:
        case = case_selectors.case_for(request.user, case_id)
        docx, _context, _source, template = services.document_render(case=case, kind=kind)
    except SanxiangError as exc:
        return _errors(request, exc, "documents/error.html", {})
    pdf = rendering.to_pdf(docx)
    return render(
        request,
        "documents/preview.html",
        {
            "case": case,
            "dtype": kinds.TYPES[kind],
            "pages": _page_images(pdf),
            "template": template,
            "can_act": can_act(request.user, case),
        },
    )


@login_required
@require_POST
def generate(request: HttpRequest, case_id: Any, kind: str) -> HttpResponse:
    try:
        case = case_selectors.case_for(request.user, case_id)
        doc = services.document_issue(actor=request.user, case=case, kind=kind)
    except SanxiangError as exc:
        return _errors(request, exc, "documents/error.html", {})
    messages.success(request, f"已生成{doc.title}{(' ' + doc.number) if doc.number else ''}，已存证并签名")
    return redirect("documents:detail", doc.public_id)


def _detail_context(request: HttpRequest, doc: Any) -> dict:
    return {
        "doc": doc,
        "case": doc.case,
        "dtype": kinds.TYPES[doc.kind],
        "state": selectors.signature_state(doc),
        "signatures": list(doc.signatures.all()),
        "methods": PartySignature.Method.choices,
        "can_act": can_act(request.user, doc.case),
        "verify_url": services.verify_url(doc.code),
        "superseded": doc.superseded_by.first(),
    }


@login_required
def document_detail(request: HttpRequest, doc_id: Any) -> HttpResponse:
    try:
        doc = selectors.document_for(request.user, doc_id)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    return render(request, "documents/detail.html", _detail_context(request, doc))


@login_required
def document_file(request: HttpRequest, doc_id: Any, fmt: str) -> HttpResponse:
    try:
        doc = selectors.document_for(request.user, doc_id)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    if fmt not in ("pdf", "docx"):
        return render(request, "cases/missing.html", {"errors": []}, status=404)
    sm3 = doc.pdf_sm3 if fmt == "pdf" else doc.docx_sm3
    with get_storage().open(sm3) as handle:
        body = handle.read()
    media = "application/pdf" if fmt == "pdf" else services.DOCX_TYPE
    response = HttpResponse(body, content_type=media)
    name = f"{doc.title}-{doc.code}.{fmt}"
    disposition = "inline" if fmt == "pdf" and request.GET.get("print") else "attachment"
    from urllib.parse import quote

    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    return response


def _handwritten(data_url: str) -> bytes:
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        return b""
    try:
        return base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        return b""


@login_required
@require_POST
def signature(request: HttpRequest, doc_id: Any) -> HttpResponse:
    try:
        doc = selectors.document_for(request.user, doc_id)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    p = request.POST
    method = p.get("method", "")
    content, media_type = b"", ""
    if method == PartySignature.Method.SCAN:
        upload = request.FILES.get("scan")
        if upload is not None and upload.size <= MAX_UPLOAD:
            content, media_type = upload.read(), upload.content_type or ""
    elif method == PartySignature.Method.HANDWRITTEN:
        content, media_type = _handwritten(p.get("drawing", "")), "image/png"
    signed_at = parse_datetime(p.get("signed_at", "")) if p.get("signed_at") else None
    try:
        if p.get("signed_at") and signed_at is None:
            raise InvalidInput([FieldError("signed_at", "datetime", "签名时间: 格式不正确")])
        services.signature_add(
            actor=request.user,
            document=doc,
            method=method,
            signer=p.get("signer", ""),
            content=content,
            media_type=media_type,
            signed_at=signed_at,
            note=p.get("note", ""),
        )
    except SanxiangError as exc:
        return _errors(request, exc, "documents/detail.html", _detail_context(request, doc))
    messages.success(request, "已录入当事人签名情况")
    return redirect("documents:detail", doc.public_id)


def verify(request: HttpRequest) -> HttpResponse:
    """Public: is this an issued document (its 核验码 or the QR code's link), and is the uploaded file
    the issued one?"""
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()[:16]
    content = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is not None and upload.size <= MAX_UPLOAD:
            content = upload.read()
    result = selectors.verify(code, content) if code else None
    return render(
        request, "documents/verify.html", {"code": code, "result": result, "uploaded": content is not None}
    )


def verify_bundle(request: HttpRequest) -> HttpResponse:
    """Public: the proof bundle (ZIP) of the document ``code``, for the standalone verifier."""
    from urllib.parse import quote

    from django.http import Http404

    code = (request.GET.get("code") or "").strip()[:16]
    found = selectors.document_bundle(code) if code else None
    if found is None:
        raise Http404("未找到该核验码对应的文书")
    if found.problem:
        result = selectors.verify(code)
        return render(
            request,
            "documents/verify.html",
            {"code": code, "result": result, "uploaded": False, "bundle_problem": found.problem},
            status=409,
        )
    response = HttpResponse(found.content, content_type="application/zip")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    return response


def samples(request: HttpRequest) -> HttpResponse:
    """Public: 行政执法文书样本 — every document type with its format source and its blank template."""
    from sanxiang.documents import shipped

    rows = [
        (t, shipped.path_of(t.key).stat().st_mtime)
        for t in kinds.TYPES.values()
        if shipped.path_of(t.key).exists()
    ]
    import datetime as dt

    from django.utils import timezone

    updated = max((m for _, m in rows), default=0)
    return render(
        request,
        "documents/samples.html",
        {
            "types": [t for t, _ in rows],
            "updated": dt.datetime.fromtimestamp(updated, tz=timezone.get_current_timezone())
            if updated
            else None,
        },
    )


def sample_file(request: HttpRequest, kind: str) -> HttpResponse:
    from urllib.parse import quote

    from sanxiang.documents import shipped

    if kind not in kinds.TYPES or not shipped.path_of(kind).exists():
        return render(request, "documents/samples.html", {"types": [], "missing": True}, status=404)
    response = HttpResponse(shipped.path_of(kind).read_bytes(), content_type=services.DOCX_TYPE)
    name = f"{kinds.TYPES[kind].title}（格式样本）.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def progress(request: HttpRequest) -> HttpResponse:
    """Public: 办理进度查询 by 申请编号 and 核验码 (《松原市行政执法公示办法》第十五条)."""
    number = (request.GET.get("number") or "").strip()[:60]
    code = (request.GET.get("code") or "").strip()[:16]
    found = selectors.application_progress(number, code) if number and code else None
    return render(
        request,
        "documents/progress.html",
        {"number": number, "code": code, "found": found, "asked": bool(number and code)},
    )


# ---------------------------------------------------------------- an agency's templates

MAX_TEMPLATE = 10 * 1024 * 1024


def _template_rows(agency: Any) -> list[dict]:
    from django.utils import timezone

    today = timezone.localdate()
    rows = []
    for dtype in kinds.TYPES.values():
        current = services.template_in_force(kind=dtype.key, agency=agency, on=today)
        rows.append({"dtype": dtype, "current": current, "own": current.agency_id is not None})
    return rows


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    """The agency's 文书模板: for each document type the version in force (its own or the platform's)."""
    agency = getattr(request.user, "agency", None)
    if agency is None:
        return render(request, "cases/missing.html", {"errors": []}, status=404)
    return render(
        request,
        "documents/templates.html",
        {
            "agency": agency,
            "rows": _template_rows(agency),
            "may_manage": services.may_manage_templates(request.user, agency),
        },
    )


@login_required
def template_kind(request: HttpRequest, kind: str) -> HttpResponse:
    """One document type's templates: every version of the agency's (never edited: an upload is a new
    version), the placeholders the type offers, and the upload of a new version."""
    import datetime as dt

    from django.utils import timezone

    from sanxiang.documents.models import DocumentTemplate

    agency = getattr(request.user, "agency", None)
    if agency is None or kind not in kinds.TYPES:
        return render(request, "cases/missing.html", {"errors": []}, status=404)
    dtype = kinds.TYPES[kind]
    context: dict[str, Any] = {
        "agency": agency,
        "dtype": dtype,
        "may_manage": services.may_manage_templates(request.user, agency),
        "names": sorted(services.supplied_names(kind)),
        "today": timezone.localdate(),
        "form": {"name": "", "note": "", "effective_from": timezone.localdate().isoformat()},
    }
    if request.method == "POST":
        form = {
            "name": (request.POST.get("name") or "").strip()[:100],
            "note": (request.POST.get("note") or "").strip()[:2000],
            "effective_from": (request.POST.get("effective_from") or "").strip(),
        }
        context["form"] = form
        errors: list[FieldError] = []
        upload = request.FILES.get("content")
        if upload is None:
            errors.append(FieldError("content", "required", "模板文件: 请选择要上传的 DOCX 文件"))
        elif upload.size > MAX_TEMPLATE:
            errors.append(FieldError("content", "size", "模板文件: 不得超过 10 MB"))
        effective = None
        if form["effective_from"]:
            try:
                effective = dt.date.fromisoformat(form["effective_from"])
            except ValueError:
                errors.append(FieldError("effective_from", "date", "启用日期: 格式不正确，应为 年-月-日"))
        try:
            if errors:
                raise InvalidInput(errors)
            assert upload is not None
            row = services.template_add(
                actor=request.user,
                kind=kind,
                agency=agency,
                content=upload.read(),
                name=form["name"],
                effective_from=effective,
                note=form["note"],
            )
        except SanxiangError as exc:
            context["versions"] = list(
                DocumentTemplate.objects.filter(kind=kind, agency=agency).order_by("-version")
            )
            context["current"] = services.template_in_force(kind=kind, agency=agency, on=timezone.localdate())
            return _errors(request, exc, "documents/template_kind.html", context)
        messages.success(
            request,
            f"已上传{dtype.title}模板第{row.version}版，自 {row.effective_from:%Y-%m-%d} 起启用，已存证",
        )
        return redirect("documents:template_kind", kind)
    context["versions"] = list(DocumentTemplate.objects.filter(kind=kind, agency=agency).order_by("-version"))
    context["current"] = services.template_in_force(kind=kind, agency=agency, on=timezone.localdate())
    return render(request, "documents/template_kind.html", context)


@login_required
def template_file(request: HttpRequest, kind: str, version: str) -> HttpResponse:
    """A version's DOCX (``default``: the platform's template in force), to edit in Word or WPS."""
    from urllib.parse import quote

    from django.utils import timezone

    from sanxiang.documents.models import DocumentTemplate

    agency = getattr(request.user, "agency", None)
    if agency is None or kind not in kinds.TYPES:
        return render(request, "cases/missing.html", {"errors": []}, status=404)
    if version == "default":
        row = services.template_in_force(kind=kind, agency=None, on=timezone.localdate())
        label = "平台默认"
    else:
        found = DocumentTemplate.objects.filter(
            kind=kind, agency=agency, version=int(version) if version.isdigit() else -1
        ).first()
        if found is None:
            return render(request, "cases/missing.html", {"errors": []}, status=404)
        row, label = found, f"第{found.version}版"
    response = HttpResponse(bytes(row.content), content_type=services.DOCX_TYPE)
    name = f"{kinds.TYPES[kind].title}模板（{label}）.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
