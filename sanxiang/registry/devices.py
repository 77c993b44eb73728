"""执法记录设备台账: writes and reads of an agency's recording devices (执法记录仪 and others).

《吴忠市市场监督管理局全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度工作方案》
二、（二）3 asks for recording devices in at least the ratio of one to two officers; the ratio itself
is the rules-registry key ``record.officers_per_device`` (read by the supervision statistics, which
compare it with the devices in service here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from sanxiang.errors import FieldError, InvalidInput
from sanxiang.ledger.services import record
from sanxiang.registry.models import Agency, Officer, RecordingDevice

KIND_BY_LABEL = {str(label): value for value, label in RecordingDevice.Kind.choices}
IMPORT_COLUMNS = ("设备类别", "设备编号", "品牌型号", "领用人执法证号", "启用日期", "停用日期", "备注")
REQUIRED_COLUMNS = ("设备编号", "启用日期")


def in_service(on: dt.date) -> Q:
    """Devices in service on a day (relative to the device)."""
    return Q(in_service_from__lte=on) & (Q(retired_on__isnull=True) | Q(retired_on__gt=on))


def devices_in_service_by_agency(agency_ids, on: dt.date) -> dict[int, int]:
    rows = (
        RecordingDevice.objects.filter(in_service(on), agency_id__in=list(agency_ids))
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def officers_with_valid_credential(agency_ids, on: dt.date) -> dict[int, int]:
    """执法人员 holding a valid 行政执法证件 on a day, per agency (the base of the device ratio)."""
    rows = (
        Officer.objects.filter(
            agency_id__in=list(agency_ids),
            status=Officer.Status.ACTIVE,
            valid_from__lte=on,
            valid_until__gte=on,
        )
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def visible_devices(user) -> QuerySet[RecordingDevice]:
    from sanxiang.registry.selectors import visible_agencies

    return RecordingDevice.objects.filter(agency__in=visible_agencies(user)).select_related(
        "agency", "keeper"
    )


def _check(device: RecordingDevice) -> None:
    from sanxiang.registry.services import _full_clean

    _full_clean(device, exclude=["agency", "keeper"])
    if device.keeper_id and device.keeper.agency_id != device.agency_id:
        raise InvalidInput([FieldError("keeper", "same_agency", "领用人: 应为本执法主体的执法人员")])
    duplicate = RecordingDevice.objects.filter(agency_id=device.agency_id, serial_number=device.serial_number)
    if device.pk:
        duplicate = duplicate.exclude(pk=device.pk)
    if duplicate.exists():
        raise InvalidInput([FieldError("serial_number", "unique", "设备编号: 本执法主体已登记该编号的设备")])


def device_register(
    *,
    actor,
    agency: Agency,
    serial_number: str,
    in_service_from: dt.date,
    kind: str = RecordingDevice.Kind.BODY_CAMERA,
    model_name: str = "",
    keeper: Officer | None = None,
    retired_on: dt.date | None = None,
    note: str = "",
) -> RecordingDevice:
    """登记一台执法记录设备 (one ledger entry)."""
    device = RecordingDevice(
        agency=agency,
        kind=kind,
        serial_number=(serial_number or "").strip(),
        model_name=(model_name or "").strip(),
        keeper=keeper,
        in_service_from=in_service_from,
        retired_on=retired_on,
        note=(note or "").strip(),
    )
    with transaction.atomic():
        _check(device)
        device.save()
        record(
            kind="registry.device_registered",
            subject=device,
            actor=actor,
            payload={
                "agency": str(agency.public_id),
                "kind": device.kind,
                "serial_number": device.serial_number,
                "in_service_from": in_service_from.isoformat(),
                "retired_on": retired_on.isoformat() if retired_on else None,
            },
        )
    return device


def device_retire(*, actor, device: RecordingDevice, retired_on: dt.date) -> RecordingDevice:
    """停用 a device from a day on (it stays in the register; recordings made before keep naming it)."""
    with transaction.atomic():
        locked = RecordingDevice.objects.select_for_update().get(pk=device.pk)
        if retired_on <= locked.in_service_from:
            raise InvalidInput([FieldError("retired_on", "after_start", "停用日期: 应晚于启用日期")])
        locked.retired_on = retired_on
        locked.save(update_fields=["retired_on", "updated_at"])
        record(
            kind="registry.device_retired",
            subject=locked,
            actor=actor,
            payload={"serial_number": locked.serial_number, "retired_on": retired_on.isoformat()},
        )
    return locked


@dataclass
class DeviceImport:
    created: int = 0
    errors: list[str] = field(default_factory=list)


def _date(value: Any, line: int, label: str, errors: list[str]) -> dt.date | None:
    from sanxiang.registry.importing import parse_date

    if value in (None, ""):
        return None
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        errors.append(f"第{line}行 {label}: 日期格式不正确（应为 2026-03-01）")
    return parsed


def devices_import(*, actor, agency: Agency, path: Path) -> DeviceImport:
    """Import the agency's devices from CSV or XLSX (columns ``IMPORT_COLUMNS``, first row the header).
    All or nothing: a file with any bad row writes nothing and every error is reported by line."""
    from sanxiang.registry.importing import FileProblem, _open

    report = DeviceImport()
    try:
        source = _open(Path(path), None)
    except FileProblem as exc:
        report.errors.append(str(exc.error))
        return report
    try:
        header = [str(h or "").strip() for h in source.header]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            report.errors.append(
                f"表头: 缺少列「{'」「'.join(missing)}」（应为 {'、'.join(IMPORT_COLUMNS)}）"
            )
            return report
        col = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
        keepers = {o.credential_number: o for o in Officer.objects.filter(agency=agency)}
        seen: set[str] = set()
        rows: list[dict[str, Any]] = []
        for line, cells in source.rows:

            def cell(name: str, cells=cells) -> Any:
                i = col.get(name)
                value = cells[i] if i is not None and i < len(cells) else None
                return value.strip() if isinstance(value, str) else value

            if all(c in (None, "") for c in cells):
                continue
            serial = str(cell("设备编号") or "").strip()
            kind_label = str(cell("设备类别") or "执法记录仪").strip()
            kind = KIND_BY_LABEL.get(kind_label)
            if kind is None:
                report.errors.append(
                    f"第{line}行 设备类别: 应为 {'、'.join(KIND_BY_LABEL)} 之一（值「{kind_label}」）"
                )
            if not serial:
                report.errors.append(f"第{line}行 设备编号: 必须填写")
            elif serial in seen:
                report.errors.append(f"第{line}行 设备编号: 文件中重复（值「{serial}」）")
            seen.add(serial)
            start = _date(cell("启用日期"), line, "启用日期", report.errors)
            if start is None and cell("启用日期") in (None, ""):
                report.errors.append(f"第{line}行 启用日期: 必须填写")
            end = _date(cell("停用日期"), line, "停用日期", report.errors)
            number = str(cell("领用人执法证号") or "").strip()
            keeper = keepers.get(number) if number else None
            if number and keeper is None:
                report.errors.append(f"第{line}行 领用人执法证号: 不是本执法主体的执法人员（值「{number}」）")
            rows.append(
                {
                    "line": line,
                    "serial_number": serial,
                    "kind": kind,
                    "model_name": str(cell("品牌型号") or ""),
                    "keeper": keeper,
                    "in_service_from": start,
                    "retired_on": end,
                    "note": str(cell("备注") or ""),
                }
            )
    finally:
        source.close()
    if report.errors:
        return report
    with transaction.atomic():
        for row in rows:
            line = row.pop("line")
            try:
                device_register(actor=actor, agency=agency, **row)
            except InvalidInput as exc:
                report.errors += [f"第{line}行 {e.message}" for e in exc.errors]
        if report.errors:
            transaction.set_rollback(True)
            return report
    report.created = len(rows)
    return report
