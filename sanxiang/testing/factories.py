"""factory_boy factories. Identifiers are generated valid (check characters computed)."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group

from sanxiang.accounts.models import User
from sanxiang.registry.models import Agency, MarketEntity, Officer, Party, ReviewerRegistration
from sanxiang.registry.validators import compose_credit_code, id_number_check_digit


def make_credit_code(n: int, *, department: str = "1", kind: str = "1", region: str = "220702") -> str:
    return compose_credit_code(department=department, kind=kind, region=region, serial=n)


def make_id_number(n: int, *, born: dt.date = dt.date(1985, 6, 15), region: str = "220702") -> str:
    body = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return body + id_number_check_digit(body)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试执法局{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(1000 + n))
    head_name = "张局长"
    address = "某市某区某路1号"
    phone = "0438-1234567"
    supervision_phone = "0438-12345"
    categories = factory.LazyFunction(lambda: ["market"])
    region_code = "220702"
    qualification_basis = "《中华人民共和国行政处罚法》第十七条"
    legal_office_name = "法制科"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"执法员{n}")
    post = "执法科科员"
    credential_number = factory.Sequence(lambda n: f"22070200{n:05d}")
    credential_categories = factory.LazyAttribute(lambda o: list(o.agency.categories))
    credential_region = factory.LazyAttribute(lambda o: o.agency.region_code)
    valid_from = dt.date(2024, 1, 1)
    valid_until = dt.date(2029, 12, 31)


class ReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerRegistration

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"审核员{n}")
    filed_on = dt.date(2024, 3, 1)
    has_legal_qualification = True


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = Party.Kind.ORGANISATION
    name = factory.Sequence(lambda n: f"某某商贸有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(5000 + n, department="9", kind="1"))
    legal_representative = "李四"


class MarketEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketEntity

    credit_code = factory.Sequence(lambda n: make_credit_code(7000 + n, department="9", kind="1"))
    name = factory.Sequence(lambda n: f"某某食品店{n}")
    kind = MarketEntity.Kind.ENTERPRISE
    legal_representative = "王五"
    region_code = "220702"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda u: u.username)
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            group, _ = Group.objects.get_or_create(name=str(role))
            self.groups.add(group)
