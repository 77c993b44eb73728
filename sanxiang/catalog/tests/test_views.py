"""Portal pages publish every list with its history; staff pages edit by adding versions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.catalog import services
from sanxiang.catalog.models import EnforcementItem, ListKind
from sanxiang.catalog.tests.conftest import DISCRETION, item_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def published(publish):
    publish(discretion=DISCRETION, on=TODAY - dt.timedelta(days=10))
    return publish(
        data=item_data(name="修订后的事项名称"), discretion=DISCRETION, on=TODAY, reason="法规修改"
    ).entry


def test_the_portal_publishes_each_list_with_last_updated(anonymous, published, agency_a):
    # 《松原市行政执法公示办法》第五条、第二十二条
    page = anonymous.get(f"/catalog/{agency_a.public_id}/").content.decode()
    for title in ("行政执法事项清单", "随机抽查事项清单", "音像记录事项清单", "重大执法决定法制审核目录清单"):
        assert title in page
    assert timezone.localtime(published.created_at).strftime("%Y-%m-%d %H:%M") in page


def test_the_portal_list_shows_the_version_in_force_and_the_discretion_table(anonymous, published, agency_a):
    # 行政处罚法 第三十四条: 裁量基准应当向社会公布
    page = anonymous.get(f"/catalog/{agency_a.public_id}/items/").content.decode()
    assert "修订后的事项名称" in page and "首次违法且货值金额不足一万元" in page
    earlier = anonymous.get(
        f"/catalog/{agency_a.public_id}/items/", {"on": str(TODAY - dt.timedelta(days=1))}
    ).content.decode()
    assert item_data()["name"] in earlier and "修订后的事项名称" not in earlier


def test_the_portal_shows_every_version_of_an_entry(anonymous, published, agency_a):
    page = anonymous.get(f"/catalog/{agency_a.public_id}/items/CF-001/").content.decode()
    assert "第1版" in page and "第2版" in page and "法规修改" in page


def test_the_portal_list_page_does_not_grow_queries_with_entries(
    anonymous, publish, agency_a, django_assert_max_num_queries
):
    for i in range(12):
        publish(data=item_data(code=f"CF-{i:03d}"), discretion=DISCRETION, on=TODAY)
    with django_assert_max_num_queries(8):
        assert anonymous.get(f"/catalog/{agency_a.public_id}/items/").status_code == 200


def test_unknown_agencies_and_lists_are_not_found(anonymous, agency_a):
    assert anonymous.get(f"/catalog/{agency_a.public_id}/nothing/").status_code == 404
    assert anonymous.get("/catalog/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_head_publishes_a_new_version_through_the_staff_form(client_for, head_a, published, agency_a):
    client = client_for(head_a)
    url = f"/catalog/staff/{agency_a.public_id}/items/CF-001/edit/"
    assert client.get(url).status_code == 200
    form = {
        **{k: v for k, v in item_data(name="第三版名称").items() if k != "code"},
        "effective_from": str(TODAY + dt.timedelta(days=1)),
        "reason": "机构调整",
        "law_change": "",
        "d-TOTAL_FORMS": "1",
        "d-INITIAL_FORMS": "0",
        "d-0-level": "一般",
        "d-0-circumstances": "一般情形",
        "d-0-penalty_kinds": ["fine"],
        "d-0-fine_min": "1000",
        "d-0-fine_max": "2000",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = EnforcementItem.objects.filter(code="CF-001").order_by("-version").first()
    assert (latest.version, latest.name, latest.discretion.count()) == (3, "第三版名称", 1)


def test_the_staff_form_shows_the_rule_that_refused(client_for, head_a, published, agency_a):
    client = client_for(head_a)
    form = {
        **{k: v for k, v in item_data().items() if k != "code"},
        "effective_from": str(TODAY - dt.timedelta(days=30)),
        "reason": "倒签",
        "d-TOTAL_FORMS": "0",
        "d-INITIAL_FORMS": "0",
    }
    response = client.post(f"/catalog/staff/{agency_a.public_id}/items/CF-001/edit/", form)
    assert response.status_code == 200
    assert "不得早于上一版本" in response.content.decode()


def test_officers_may_read_but_not_open_the_edit_pages(client_for, officer_a, published, agency_a):
    client = client_for(officer_a)
    assert client.get(f"/catalog/staff/{agency_a.public_id}/items/").status_code == 200
    assert client.get(f"/catalog/staff/{agency_a.public_id}/items/new/").status_code == 404


def test_agency_b_cannot_open_agency_as_staff_pages(client_for, officer_b, head_b, published, agency_a):
    assert client_for(officer_b).get(f"/catalog/staff/{agency_a.public_id}/items/").status_code == 404
    assert (
        client_for(head_b).get(f"/catalog/staff/{agency_a.public_id}/items/CF-001/edit/").status_code == 404
    )


def test_a_failed_import_lists_each_line_and_writes_nothing(client_for, head_a, agency_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanxiang.catalog.tests.test_xlsx import row, workbook

    content = workbook([row("CF-001"), row("CF-002", category="处分")])
    response = client_for(head_a).post(
        f"/catalog/staff/{agency_a.public_id}/items/import/",
        {"file": SimpleUploadedFile("x.xlsx", content), "effective_from": str(TODAY), "reason": "导入"},
    )
    assert response.status_code == 422
    assert "第3行" in response.content.decode()
    assert EnforcementItem.objects.count() == 0


def test_overdue_updates_are_listed_for_the_agency_and_its_supervisor(
    calendar, client_for, head_a, supervisor, officer_b, agency_a
):
    # 《松原市行政执法公示办法》第二十五条
    services.law_change_record(
        actor=head_a,
        agency=agency_a,
        kind="repealed",
        title="某市某管理办法",
        trigger_date=TODAY - dt.timedelta(days=60),
        lists=[ListKind.ITEMS],
    )
    for user in (head_a, supervisor):
        page = client_for(user).get("/catalog/staff/law-changes/?overdue=1").content.decode()
        assert "某市某管理办法" in page and "已逾期" in page
    assert "某市某管理办法" not in client_for(officer_b).get("/catalog/staff/law-changes/").content.decode()
    home = client_for(head_a).get("/catalog/staff/").content.decode()
    assert "已超过更新期限未更新清单" in home
    assert "自生效或者调整之日起20个工作日内更新，《松原市行政执法公示办法》第二十五条" in home


def test_a_head_records_a_law_change_and_marks_it_done(calendar, client_for, head_a, agency_a):
    client = client_for(head_a)
    response = client.post(
        "/catalog/staff/law-changes/",
        {
            "agency": agency_a.pk,
            "kind": "amended",
            "title": "中华人民共和国食品安全法",
            "trigger_date": str(TODAY),
            "lists": ["items"],
        },
    )
    assert response.status_code == 302
    change = agency_a.law_changes.get()
    assert client.post(f"/catalog/staff/law-changes/{change.public_id}/complete/").status_code == 302
    change.refresh_from_db()
    assert change.completion.completed_on == TODAY


def test_the_admin_lists_catalogue_versions_read_only(client_for, administrator, published):
    client = client_for(administrator)
    assert client.get("/admin/catalog/enforcementitem/").status_code == 200
    assert client.get("/admin/catalog/enforcementitem/add/").status_code == 403
