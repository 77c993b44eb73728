"""执法记录设备台账: registering and importing devices, the device on a recording, and the indicator
"recording devices per officer against the jurisdiction's ratio"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.cases import services as cases
from sanxiang.cases.services.records import DEVICE_NOT_IN_SERVICE
from sanxiang.cases.tests.factories import ORGANISATION, penalty, present
from sanxiang.errors import InvalidInput
from sanxiang.ledger.models import Entry
from sanxiang.registry.devices import device_register, device_retire, devices_import
from sanxiang.registry.models import Agency, RecordingDevice
from sanxiang.supervision.statistics import Figures, Period
from sanxiang.testing.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db
START = dt.date(2025, 1, 1)


def _csv(tmp_path, text: str):
    path = tmp_path / "devices.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_device_file_with_a_bad_row_imports_nothing_and_names_every_error_by_line(tmp_path, head_a):
    officer = OfficerFactory(agency=head_a.agency)
    path = _csv(
        tmp_path,
        "设备类别,设备编号,品牌型号,领用人执法证号,启用日期,停用日期,备注\n"
        f"执法记录仪,JLY-001,DSJ-V9,{officer.credential_number},2025-01-02,,\n"
        "执法记录仪,JLY-002,DSJ-V9,不存在的证号,2025-01-02,,\n"
        "对讲机,JLY-003,,,2025-13-40,,\n"
        "执法记录仪,JLY-001,,,2025-01-02,,\n",
    )
    report = devices_import(actor=head_a, agency=head_a.agency, path=path)
    assert report.created == 0
    assert "第3行 领用人执法证号: 不是本执法主体的执法人员（值「不存在的证号」）" in report.errors
    assert any(e.startswith("第4行 设备类别") for e in report.errors)
    assert any(e.startswith("第4行 启用日期: 日期格式不正确") for e in report.errors)
    assert "第5行 设备编号: 文件中重复（值「JLY-001」）" in report.errors
    assert not RecordingDevice.objects.exists()


def test_a_good_file_registers_every_device_with_its_keeper_and_a_ledger_entry(tmp_path, head_a):
    officer = OfficerFactory(agency=head_a.agency)
    path = _csv(
        tmp_path,
        "设备编号,启用日期,设备类别,领用人执法证号\n"
        f"JLY-001,2025-01-02,执法记录仪,{officer.credential_number}\n"
        "XJ-01,2025/03/01,照相机,\n",
    )
    report = devices_import(actor=head_a, agency=head_a.agency, path=path)
    assert (report.created, report.errors) == (2, [])
    camera = RecordingDevice.objects.get(serial_number="XJ-01")
    assert camera.kind == RecordingDevice.Kind.CAMERA and camera.in_service_from == dt.date(2025, 3, 1)
    assert RecordingDevice.objects.get(serial_number="JLY-001").keeper == officer
    assert Entry.objects.filter(kind="registry.device_registered").count() == 2
    again = devices_import(actor=head_a, agency=head_a.agency, path=path)
    assert again.created == 0 and "设备编号: 本执法主体已登记该编号的设备" in again.errors[0]


def test_the_register_page_shows_the_agency_its_own_devices_and_not_another_agency_s(
    client_for, head_a, head_b, tmp_path
):
    device_register(actor=head_a, agency=head_a.agency, serial_number="A-001", in_service_from=START)
    device_register(actor=head_b, agency=head_b.agency, serial_number="B-001", in_service_from=START)
    page = client_for(head_a).get(reverse("registry:device_list")).content.decode()
    assert "A-001" in page and "B-001" not in page
    upload = _csv(tmp_path, "设备编号,启用日期\nA-002,2025-02-01\n")
    with upload.open("rb") as fh:
        response = client_for(head_a).post(reverse("registry:device_list"), {"file": fh})
    assert response.status_code == 200 and "已导入 1 台设备" in response.content.decode()
    assert RecordingDevice.objects.filter(agency=head_a.agency).count() == 2


def test_a_recording_names_a_device_of_its_own_agency_in_service_and_no_other(officer_a, head_b):
    from sanxiang.cases.tests.factories import officer_for

    officer_for(officer_a)
    own = device_register(
        actor=officer_a, agency=officer_a.agency, serial_number="A-1", in_service_from=START
    )
    other = device_register(actor=head_b, agency=head_b.agency, serial_number="B-1", in_service_from=START)
    case = cases.case_open(
        actor=officer_a,
        procedure="penalty_simple",
        officers=[officer_a.officer, OfficerFactory(agency=officer_a.agency)],
        parties=[ORGANISATION],
        title="占道经营案",
        source="inspection",
    )
    facts = {
        "facts": "占道经营",
        "basis": "市容条例",
        "facts_certain": True,
        **penalty(("warning",), fine=""),
    }
    with pytest.raises(InvalidInput) as refused:
        cases.record_add(
            actor=officer_a,
            case=case,
            kind="simple_facts_record",
            officers=present(case),
            payload=facts,
            device=str(other.public_id),
        )
    assert refused.value.errors[0].field == "device"
    assert refused.value.errors[0].message == DEVICE_NOT_IN_SERVICE
    written = cases.record_add(
        actor=officer_a,
        case=case,
        kind="simple_facts_record",
        officers=present(case),
        payload=facts,
        device=str(own.public_id),
    )
    assert written.device == own


def _indicator(agency: Agency, column: str) -> str:
    figures = Figures(Agency.objects.filter(pk=agency.pk), Period.year(2026))
    table = next(t for t in figures.tables() if t.key == "indicators")
    cells = dict(table.rows)[agency.name]
    return cells[table.columns.index(column)].display


def test_devices_are_compared_with_one_per_two_officers_where_the_wuzhong_plan_applies(head_a):
    # 《吴忠市市场监督管理局全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度工作方案》
    # 二、（二）3: 按照不少于执法人数与记录装备2:1的比例 配备全过程记录音像装备 (record.officers_per_device)
    wuzhong = AgencyFactory(name="吴忠市某市场监督管理局", region_code="640302")
    for _ in range(5):
        OfficerFactory(agency=wuzhong)
    device_register(actor=head_a, agency=wuzhong, serial_number="W-1", in_service_from=START)
    device_register(actor=head_a, agency=wuzhong, serial_number="W-2", in_service_from=START)
    retired = device_register(actor=head_a, agency=wuzhong, serial_number="W-3", in_service_from=START)
    device_retire(actor=head_a, device=retired, retired_on=dt.date(2026, 6, 1))
    assert _indicator(wuzhong, "在用记录设备") == "2"
    assert _indicator(wuzhong, "应配记录设备") == "3"  # 5 officers, one device per two: 3
    assert _indicator(wuzhong, "记录设备配备") == "不足（差1台）"
    device_register(actor=head_a, agency=wuzhong, serial_number="W-4", in_service_from=START)
    assert _indicator(wuzhong, "记录设备配备") == "达标"
    figures = Figures(Agency.objects.filter(pk=wuzhong.pk), Period.year(2026))
    notes = next(t for t in figures.tables() if t.key == "indicators").notes
    assert any("二、（二）3" in n and "吴忠" in n for n in notes)


def test_where_no_ratio_is_in_force_the_indicator_says_so_instead_of_a_verdict(agency_a):
    # 国办发〔2018〕118号 三、（八） asks for recording devices without fixing a ratio
    assert _indicator(agency_a, "应配记录设备") == "—"
    assert _indicator(agency_a, "记录设备配备") == "—"
