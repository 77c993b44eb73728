"""Registry endpoints: agencies, officers, credential check, reviewer compliance."""

import datetime as dt
from uuid import UUID

from django.utils import timezone
from ninja import Router, Schema

from sanxiang.accounts.roles import Role
from sanxiang.api.pagination import Pagination, paginate
from sanxiang.errors import FieldError, InvalidInput, NotFound
from sanxiang.registry import selectors, services
from sanxiang.registry.models import EnforcementCategory
from sanxiang.registry.validators import validate_region_code

router = Router(tags=["registry 名录库"])


class AgencyOut(Schema):
    id: UUID
    name: str
    credit_code: str
    kind: str
    head_name: str
    address: str
    phone: str
    supervision_phone: str
    categories: list[str]
    region_code: str
    qualification_basis: str
    legal_office_name: str
    supervisor_id: UUID | None
    status: str

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_supervisor_id(obj) -> UUID | None:
        return obj.supervisor.public_id if obj.supervisor_id else None


class OfficerOut(Schema):
    id: UUID
    name: str
    agency_id: UUID
    agency_name: str
    post: str
    credential_number: str
    credential_categories: list[str]
    credential_region: str
    valid_from: dt.date
    valid_until: dt.date
    status: str

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_agency_id(obj) -> UUID:
        return obj.agency.public_id

    @staticmethod
    def resolve_agency_name(obj) -> str:
        return obj.agency.name


class ReasonOut(Schema):
    field: str
    rule: str
    message: str


class CredentialCheckOut(Schema):
    credential_number: str
    name: str
    agency_name: str
    on: dt.date
    valid: bool
    allowed: bool | None
    reasons: list[ReasonOut]


class ComplianceOut(Schema):
    agency_id: UUID
    agency_name: str
    officers: int
    reviewers: int
    required: int
    requirement: str
    compliant: bool


def _today() -> dt.date:
    return timezone.localdate()


@router.get("/agencies", response=list[AgencyOut], summary="执法主体列表（按权限范围）")
@paginate(Pagination, page_size=50)
def list_agencies(request):
    return selectors.visible_agencies(request.auth)


@router.get("/agencies/{agency_id}", response=AgencyOut, summary="执法主体详情")
def get_agency(request, agency_id: UUID):
    return selectors.agency_for(request.auth, agency_id)


@router.get("/officers", response=list[OfficerOut], summary="执法人员列表（按权限范围）")
@paginate(Pagination, page_size=50)
def list_officers(request, agency_id: UUID | None = None):
    qs = selectors.visible_officers(request.auth)
    if agency_id is not None:
        qs = qs.filter(agency__public_id=agency_id)
    return qs


@router.get("/officers/{officer_id}", response=OfficerOut, summary="执法人员详情")
def get_officer(request, officer_id: UUID):
    return selectors.officer_for(request.auth, officer_id)


@router.get(
    "/credential-check",
    response=CredentialCheckOut,
    auth=None,
    summary="执法证件核验（公开）",
    description="按执法证件号核验证件今日（或指定日期）是否有效；给出执法类别和区域时一并核验能否在该区域从事该类执法。",
)
def credential_check(
    request,
    credential_number: str,
    category: str | None = None,
    region_code: str | None = None,
    on: dt.date | None = None,
):
    day = on or _today()
    officer = selectors.public_officer_by_credential(credential_number)
    if officer is None:
        raise NotFound("credential_number")
    allowed = None
    reasons: list[FieldError] = []
    if category or region_code:
        errors = []
        if category not in EnforcementCategory.values:
            errors.append(
                FieldError("category", "enum", f"执法类别: 应为 {', '.join(EnforcementCategory.values)} 之一")
            )
        try:
            validate_region_code(region_code or "")
        except Exception as exc:
            errors.append(FieldError("region_code", "region_code_format", str(exc.messages[0])))
        if errors:
            raise InvalidInput(errors)
        result = services.officer_eligibility(
            officer=officer, category=category, region_code=region_code, on=day
        )
        allowed, reasons = result.allowed, result.reasons
    return CredentialCheckOut(
        credential_number=officer.credential_number,
        name=officer.name,
        agency_name=officer.agency.name,
        on=day,
        valid=services.credential_valid_on(officer, day),
        allowed=allowed,
        reasons=[ReasonOut(**r.as_dict()) for r in reasons],
    )


@router.get(
    "/reviewer-compliance", response=list[ComplianceOut], summary="法制审核人员配备情况（按所在地区的规则）"
)
@paginate(Pagination, page_size=50)
def reviewer_compliance(request):
    user = request.auth
    if not (user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD) or user.has_role(Role.ADMINISTRATOR)):
        raise NotFound("reviewer-compliance")
    rows = services.reviewer_compliance(agencies=selectors.visible_agencies(user), on=_today())
    return [
        ComplianceOut(
            agency_id=r.agency.public_id,
            agency_name=r.agency.name,
            officers=r.officers,
            reviewers=r.reviewers,
            required=r.required,
            requirement=r.requirement,
            compliant=r.compliant,
        )
        for r in rows
    ]
