"""年度行政执法总体情况报告: generated for an agency and a year from the statistics, the 情况说明
drafted from the figures and edited by a person, approved by the head, submitted by the data deadline
and published by the report deadline (``stats.annual_data_due`` / ``stats.annual_report_due`` in the
rules registry: 昆明 12月15日 and 次年1月31日); XLSX and PDF; past years stay published."""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.ledger.services import record
from sanxiang.rules.selectors import rule_for
from sanxiang.supervision.models import AnnualReport, AnnualReportRevision
from sanxiang.supervision.statistics import Figures, Period, Table

NARRATIVE_MAX = 20000


def deadlines(agency, year: int) -> dict[str, tuple[dt.date | None, str]]:
    """The data deadline (this year) and the report deadline (next year) with their citations."""
    out: dict[str, tuple[dt.date | None, str]] = {}
    for name, key, due_year in (
        ("data", "stats.annual_data_due", year),
        ("report", "stats.annual_report_due", year + 1),
    ):
        rule = rule_for(key, region=agency.region_code, on=dt.date(year, 12, 1))
        if rule.value:
            month, day = (int(x) for x in str(rule.value).split("-"))
            out[name] = (dt.date(due_year, month, day), rule.text)
        else:
            out[name] = (None, rule.text)
    return out


def report_agencies(agency):
    """The agencies a report covers: the agency itself, or for a 司法局 (a supervisory agency) the
    region report of every active enforcement agency it supervises."""
    from sanxiang.registry.models import Agency

    if agency.is_supervisory:
        return Agency.objects.filter(supervisor=agency, is_supervisory=False, status=Agency.Status.ACTIVE)
    return Agency.objects.filter(pk=agency.pk)


def subject_name(agency) -> str:
    """Who the report is about, as its title says."""
    return f"{agency.name}所辖各行政执法主体" if agency.is_supervisory else agency.name


def tables_of(report: AnnualReport) -> list[Table]:
    from sanxiang.supervision.statistics import Cell

    out = []
    for t in report.figures.get("tables", []):
        table = Table(t["key"], t["title"], t["columns"], notes=t.get("notes", []))
        for row in t["rows"]:
            table.rows.append(
                (
                    row["agency"],
                    [
                        Cell(v, duty=v != "无相关职责") if v != "无相关职责" else Cell(None, duty=False)
                        for v in row["values"]
                    ],
                )
            )
        if t.get("total"):
            table.total = [
                Cell(v, duty=v != "无相关职责") if v != "无相关职责" else Cell(None, duty=False)
                for v in t["total"]
            ]
        out.append(table)
    return out


def draft_text(agency, year: int, tables: list[Table]) -> str:
    """情况说明 drafted from the figures (the agency edits it)."""
    by = {t.key: t for t in tables}

    def cell(key: str, column: str) -> str:
        t = by[key]
        if not t.rows:
            return "0"
        cells = t.total if agency.is_supervisory and t.total else t.rows[0][1]
        return cells[t.columns.index(column)].display

    lines = [f"{subject_name(agency)}{year}年度行政执法总体情况", ""]
    if agency.is_supervisory:
        lines.append(f"本报告汇总{'、'.join(name for name, _ in by['behaviours'].rows)}的数据。")
    counts = [
        f"{c}{cell('behaviours', c)}件"
        for c in by["behaviours"].columns
        if cell("behaviours", c) != "无相关职责"
    ]
    lines.append(
        "一、行政执法基本情况。本年度共作出" + ("、".join(counts) if counts else "行政执法决定0件") + "。"
    )
    if cell("penalties", "合计") != "无相关职责":
        lines.append(
            f"二、行政处罚情况。作出行政处罚决定{cell('penalties', '合计')}件（按最重处罚种类计），"
            f"罚没金额合计{cell('penalties', '罚没金额合计（元）')}元（以处罚决定书确定的数额计）。"
        )
    lines.append(
        f"三、执法监督情况。持有效执法证件的执法人员{cell('indicators', '执法人员（持有效证件）')}名，持证率{cell('indicators', '持证率')}；"
        f"法制审核{cell('indicators', '法制审核件数')}件，审核通过率{cell('indicators', '审核通过率')}；"
        f"决定信息公示及时率{cell('indicators', '公示及时率')}；案卷评查合格率{cell('indicators', '案卷评查合格率')}。"
    )
    lines.append("四、存在的问题和下一步工作。（请执法主体根据本单位情况补充）")
    return "\n".join(lines)


def _may_prepare(actor, agency) -> bool:
    return actor.agency_id == agency.pk and (
        actor.has_role(Role.HEAD)
        or actor.has_role(Role.OFFICER)
        or actor.has_role(Role.DISCLOSURE_OFFICER)
        or (agency.is_supervisory and actor.has_role(Role.SUPERVISOR))
    )


def report_generate(*, actor, agency, year: int) -> AnnualReport:
    if not _may_prepare(actor, agency):
        raise Forbidden("只有本机关工作人员可以生成年度报告")
    if not 2000 <= year <= timezone.localdate().year:
        raise InvalidInput(
            [FieldError("year", "range", f"年度：应在2000年至{timezone.localdate().year}年之间")]
        )
    found = AnnualReport.objects.filter(agency=agency, year=year).first()
    if found is not None:
        return found
    tables = Figures(report_agencies(agency), Period.year(year)).tables()
    narrative = draft_text(agency, year, tables)
    now = timezone.now()
    with transaction.atomic():
        report = AnnualReport.objects.create(
            agency=agency,
            year=year,
            figures={"generated_at": now.isoformat(), "tables": [t.as_json() for t in tables]},
            narrative=narrative,
            created_by=actor,
            created_at=now,
        )
        entry = record(
            kind="supervision.report_generated",
            subject=report,
            actor=actor,
            payload={"year": year, "narrative": narrative},
        )
        AnnualReportRevision.objects.create(
            report=report, narrative=narrative, by=actor, at=now, ledger_seq=entry.seq
        )
    return report


def report_edit(*, actor, report: AnnualReport, narrative: str) -> AnnualReport:
    if not _may_prepare(actor, report.agency):
        raise Forbidden("只有本机关工作人员可以修改年度报告")
    narrative = (narrative or "").strip()
    if not narrative or len(narrative) > NARRATIVE_MAX:
        raise InvalidInput([FieldError("narrative", "required", f"情况说明：必填，不超过{NARRATIVE_MAX}字")])
    now = timezone.now()
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.status != AnnualReport.Status.DRAFT:
            raise InvalidInput([FieldError("narrative", "status", "情况说明：报告已批准，不能再修改")])
        report.narrative = narrative
        report.save(update_fields=["narrative"])
        entry = record(
            kind="supervision.report_edited", subject=report, actor=actor, payload={"narrative": narrative}
        )
        AnnualReportRevision.objects.create(
            report=report, narrative=narrative, by=actor, at=now, ledger_seq=entry.seq
        )
    return report


def _step(*, actor, report: AnnualReport, need: str, to: str, who: str, when: str, kind: str) -> AnnualReport:
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != need:
            raise InvalidInput(
                [
                    FieldError(
                        "status", "order", f"年度报告当前为“{locked.get_status_display()}”，不能执行此操作"
                    )
                ]
            )
        now = timezone.now()
        locked.status = to
        setattr(locked, who, actor)
        setattr(locked, when, now)
        locked.save(update_fields=["status", who, when])
        due = deadlines(locked.agency, locked.year)
        record(
            kind=kind,
            subject=locked,
            actor=actor,
            payload={
                "status": to,
                "data_due": due["data"][0].isoformat() if due["data"][0] else None,
                "report_due": due["report"][0].isoformat() if due["report"][0] else None,
            },
        )
    return locked


def report_approve(*, actor, report: AnnualReport) -> AnnualReport:
    if not (actor.has_role(Role.HEAD) and actor.agency_id == report.agency_id):
        raise Forbidden("只有本机关负责人可以批准年度报告")
    return _step(
        actor=actor,
        report=report,
        need="draft",
        to="approved",
        who="approved_by",
        when="approved_at",
        kind="supervision.report_approved",
    )


def report_submit(*, actor, report: AnnualReport) -> AnnualReport:
    if not _may_prepare(actor, report.agency):
        raise Forbidden("只有本机关工作人员可以报送年度数据")
    return _step(
        actor=actor,
        report=report,
        need="approved",
        to="submitted",
        who="submitted_by",
        when="submitted_at",
        kind="supervision.report_submitted",
    )


def report_publish(*, actor, report: AnnualReport) -> AnnualReport:
    if not (actor.has_role(Role.HEAD) and actor.agency_id == report.agency_id):
        raise Forbidden("只有本机关负责人可以公开年度报告")
    return _step(
        actor=actor,
        report=report,
        need="submitted",
        to="published",
        who="published_by",
        when="published_at",
        kind="supervision.report_published",
    )


def report_xlsx(report: AnnualReport) -> bytes:
    from sanxiang.supervision.dashboard import workbook

    return workbook(f"{subject_name(report.agency)}{report.year}年度行政执法数据", tables_of(report))


def report_docx(report: AnnualReport) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(f"{subject_name(report.agency)}{report.year}年度行政执法总体情况报告", level=1)
    for line in report.narrative.splitlines():
        doc.add_paragraph(line)
    for t in tables_of(report):
        if t.key == "indicators":
            continue
        doc.add_heading(t.title, level=2)
        table = doc.add_table(rows=1, cols=len(t.columns) + 1)
        table.style = "Table Grid"
        for i, c in enumerate(["执法主体", *t.columns]):
            table.rows[0].cells[i].text = c
        for name, cells in [*t.rows, *([("合计", t.total)] if t.total and len(t.rows) > 1 else [])]:
            row = table.add_row()
            for i, text in enumerate([name, *(c.display for c in cells)]):
                row.cells[i].text = text
        for n in t.notes:
            doc.add_paragraph(n)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def report_pdf(report: AnnualReport) -> bytes:
    from sanxiang.documents.render import to_pdf

    return to_pdf(report_docx(report))
