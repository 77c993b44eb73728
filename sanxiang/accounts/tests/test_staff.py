"""Staff site: login, throttling, session timeout, role-scoped home page."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_home_page_requires_login(anonymous):
    response = anonymous.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_an_officer_logs_in_and_sees_their_agency_and_an_empty_work_list(officer_a):
    client = Client()
    response = client.post("/staff/login/", {"username": "officer_a", "password": "correct horse battery"})
    assert response.status_code == 302
    page = client.get("/staff/").content.decode()
    assert officer_a.agency.name in page
    assert "暂无待办事项" in page
    assert "执法人员" in page  # the role's label


def test_b_does_not_see_as_agency_on_the_home_page(client_for, officer_b, agency_a):
    page = client_for(officer_b).get("/staff/").content.decode()
    assert agency_a.name not in page


def test_officers_cannot_open_the_admin_site(client_for, officer_a):
    response = client_for(officer_a).get("/admin/registry/officer/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_repeated_failed_logins_lock_the_account(settings, officer_a):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(3):
        client.post("/staff/login/", {"username": "officer_a", "password": "wrong"})
    locked = client.post("/staff/login/", {"username": "officer_a", "password": "correct horse battery"})
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()


def test_idle_sessions_expire_and_every_request_renews_them():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from sanxiang import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_supervisor_and_the_disclosure_officer_see_overdue_disclosure_duties_at_home(
    client_for, supervisor, agency_a, agency_b
):
    # 《松原市行政执法公示办法》第二十七条 (7 working days); DESIGN.md: the supervisor watches every overdue duty
    import datetime as dt

    from sanxiang.accounts.roles import Role
    from sanxiang.disclosure.services import disclosure_duty_create
    from sanxiang.disclosure.tests.conftest import penalty_fields
    from sanxiang.testing.factories import PartyFactory, UserFactory

    disclosure_officer = UserFactory(agency=agency_a, roles=[Role.DISCLOSURE_OFFICER])
    duty = disclosure_duty_create(
        actor=disclosure_officer,
        agency=agency_a,
        source_kind="penalty",
        source_ref="罚〔2026〕0099号",
        decided_on=dt.date(2026, 1, 5),
        party=PartyFactory(),
        fields=penalty_fields(document_number="宁市监罚〔2026〕99号"),
    )
    for user in (supervisor, disclosure_officer):
        page = client_for(user).get("/staff/").content.decode()
        assert "罚〔2026〕0099号" in page, user
        assert "已逾期" in page
    officer_b = UserFactory(agency=agency_b, roles=[Role.DISCLOSURE_OFFICER])
    assert "罚〔2026〕0099号" not in client_for(officer_b).get("/staff/").content.decode()
    assert duty.due_date < dt.date.today()
    officer = UserFactory(agency=agency_a, roles=[Role.OFFICER])  # an officer has no 公示 duties
    assert "罚〔2026〕0099号" not in client_for(officer).get("/staff/").content.decode()
