"""名录库: agencies, officers and their credentials, reviewers, parties, market entities."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.registry.validators import (
    id_number_birth_date,
    normalize_credit_code,
    normalize_id_number,
    validate_credit_code,
    validate_id_number,
    validate_region_code,
)


class EnforcementCategory(models.TextChoices):
    """执法类别 printed on credentials and assigned to agencies."""

    MARKET = "market", _("市场监管")
    TRANSPORT = "transport", _("交通运输")
    ECOLOGY = "ecology", _("生态环境")
    URBAN = "urban", _("城市管理综合执法")
    CULTURE = "culture", _("文化市场")
    AGRICULTURE = "agriculture", _("农业农村")
    EMERGENCY = "emergency", _("应急管理")
    HEALTH = "health", _("卫生健康")
    NATURAL_RESOURCES = "natural_resources", _("自然资源")
    JUSTICE = "justice", _("司法行政")
    SUPERVISION = "supervision", _("行政执法监督")


def validate_categories(value: list[str]) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("执法类别: 至少选择一项", code="categories_required")
    unknown = [v for v in value if v not in EnforcementCategory.values]
    if unknown:
        raise ValidationError(f"执法类别: 未知类别 {', '.join(map(str, unknown))}", code="categories_unknown")


class Agency(models.Model):
    """执法主体."""

    class Kind(models.TextChoices):
        ADMINISTRATIVE_ORGAN = "organ", _("行政机关")
        AUTHORIZED = "authorized", _("法律法规授权组织")
        ENTRUSTED = "entrusted", _("受委托组织")

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        REVOKED = "revoked", _("已撤销")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    name = models.CharField(_("名称"), max_length=200, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    kind = models.CharField(
        _("主体类型"), max_length=16, choices=Kind.choices, default=Kind.ADMINISTRATIVE_ORGAN
    )
    head_name = models.CharField(_("负责人"), max_length=50)
    address = models.CharField(_("地址"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=30)
    supervision_phone = models.CharField(_("监督电话"), max_length=30)
    categories = models.JSONField(_("执法类别"), default=list, validators=[validate_categories])
    region_code = models.CharField(_("行政区划代码"), max_length=6, validators=[validate_region_code])
    qualification_basis = models.TextField(_("执法主体资格依据"))
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("上级或监督机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised",
    )
    legal_office_name = models.CharField(_("法制审核机构"), max_length=200)
    legal_office = models.ForeignKey(
        "self",
        verbose_name=_("承担法制审核的单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空表示由本机关内设法制机构承担"),
    )
    is_supervisory = models.BooleanField(_("行政执法监督机关"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))

    class Meta:
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")
        ordering = ["region_code", "name"]
        indexes = [models.Index(fields=["region_code"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.credit_code = normalize_credit_code(self.credit_code)


class Officer(models.Model):
    """执法人员 and the credential (行政执法证件) they hold."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        SUSPENDED = "suspended", _("暂扣")
        REVOKED = "revoked", _("注销")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="officers"
    )
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("岗位"), max_length=100)
    photo = models.ImageField(_("照片"), upload_to="officer-photos/", blank=True)
    credential_number = models.CharField(_("执法证件号"), max_length=32, unique=True)
    credential_categories = models.JSONField(_("执法类别"), default=list, validators=[validate_categories])
    credential_region = models.CharField(_("执法区域"), max_length=6, validators=[validate_region_code])
    issuing_authority = models.CharField(_("发证机关"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["agency_id", "name"]
        indexes = [models.Index(fields=["name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="officer_validity_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.credential_number}）"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "有效期至: 不得早于有效期起"})


class RecordingDevice(models.Model):
    """全过程记录音像装备台账: an agency's 执法记录仪 and other recording devices (cameras, recorders,
    mobile terminals, fixed video surveillance). In service from ``in_service_from`` until
    ``retired_on`` (exclusive); a recording names the device it was made with."""

    class Kind(models.TextChoices):
        BODY_CAMERA = "body_camera", _("执法记录仪")
        CAMERA = "camera", _("照相机")
        VIDEO_CAMERA = "video_camera", _("摄像机")
        AUDIO_RECORDER = "audio_recorder", _("录音笔")
        MOBILE_TERMINAL = "mobile_terminal", _("移动执法终端")
        SURVEILLANCE = "surveillance", _("视频监控设备")
        OTHER = "other", _("其他记录设备")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="recording_devices"
    )
    kind = models.CharField(_("设备类别"), max_length=20, choices=Kind.choices, default=Kind.BODY_CAMERA)
    serial_number = models.CharField(_("设备编号"), max_length=64)
    model_name = models.CharField(_("品牌型号"), max_length=100, blank=True)
    keeper = models.ForeignKey(
        Officer,
        verbose_name=_("领用人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recording_devices",
    )
    in_service_from = models.DateField(_("启用日期"))
    retired_on = models.DateField(_("停用日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))

    class Meta:
        verbose_name = _("执法记录设备")
        verbose_name_plural = _("执法记录设备")
        ordering = ["agency_id", "kind", "serial_number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "serial_number"], name="registry_device_serial_once"),
            models.CheckConstraint(
                condition=models.Q(retired_on__isnull=True)
                | models.Q(retired_on__gt=models.F("in_service_from")),
                name="registry_device_service_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial_number}"

    def in_service_on(self, day: dt.date) -> bool:
        return self.in_service_from <= day and (self.retired_on is None or day < self.retired_on)

    def clean(self) -> None:
        if self.keeper_id and self.agency_id and self.keeper.agency_id != self.agency_id:
            raise ValidationError({"keeper": "领用人: 应为本执法主体的执法人员"})
        if self.retired_on and self.in_service_from and self.retired_on <= self.in_service_from:
            raise ValidationError({"retired_on": "停用日期: 应晚于启用日期"})


class ReviewerRegistration(models.Model):
    """法制审核人员名录库: a person filed (备案) as legal reviewer for an agency."""

    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("法制审核人员")
        LEGAL_ADVISER = "adviser", _("法律顾问")
        PUBLIC_LAWYER = "public_lawyer", _("公职律师")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="reviewers"
    )
    name = models.CharField(_("姓名"), max_length=50)
    officer = models.ForeignKey(
        Officer, verbose_name=_("执法人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("类型"), max_length=16, choices=Role.choices, default=Role.REVIEWER)
    has_legal_qualification = models.BooleanField(_("具有法律职业资格"), default=False)
    filed_on = models.DateField(_("备案日期"))
    withdrawn_on = models.DateField(_("撤销备案日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("法制审核人员")
        verbose_name_plural = _("法制审核人员名录库")
        ordering = ["agency_id", "filed_on"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    def is_active_on(self, day: dt.date) -> bool:
        return self.filed_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")
    OTHER = "other", _("其他")


class Party(models.Model):
    """行政相对人."""

    class Kind(models.TextChoices):
        NATURAL_PERSON = "person", _("自然人")
        ORGANISATION = "organisation", _("法人或其他组织")
        INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    kind = models.CharField(_("类别"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("名称或姓名"), max_length=200)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人或经营者"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("行政相对人")
        verbose_name_plural = _("行政相对人")
        indexes = [models.Index(fields=["credit_code"]), models.Index(fields=["id_number"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.credit_code = normalize_credit_code(self.credit_code)
        self.id_number = normalize_id_number(self.id_number)
        errors: dict[str, str] = {}
        if self.kind == self.Kind.NATURAL_PERSON:
            if not self.id_type:
                errors["id_type"] = "证件类型: 自然人必须填写"
            if not self.id_number:
                errors["id_number"] = "证件号码: 自然人必须填写"
            elif self.id_type == IdType.RESIDENT_ID:
                try:
                    validate_id_number(self.id_number)
                except ValidationError as exc:
                    errors["id_number"] = exc.messages[0]
        else:
            if not self.credit_code:
                errors["credit_code"] = "统一社会信用代码: 法人、其他组织和个体工商户必须填写"
            else:
                try:
                    validate_credit_code(self.credit_code)
                except ValidationError as exc:
                    errors["credit_code"] = exc.messages[0]
            if not self.legal_representative:
                errors["legal_representative"] = "法定代表人或经营者: 必须填写"
        if errors:
            raise ValidationError(errors)

    def derived_birth_date(self) -> dt.date | None:
        if self.birth_date:
            return self.birth_date
        if self.kind == self.Kind.NATURAL_PERSON and self.id_type == IdType.RESIDENT_ID and self.id_number:
            return id_number_birth_date(self.id_number)
        return None

    def is_minor_on(self, day: dt.date) -> bool | None:
        """Under 18 on ``day`` (民法典 第十七条); None when it cannot be known."""
        if self.kind != self.Kind.NATURAL_PERSON:
            return False
        born = self.derived_birth_date()
        if born is None:
            return None
        try:
            adult_on = born.replace(year=born.year + 18)
        except ValueError:  # born on 29 February
            adult_on = dt.date(born.year + 18, 3, 1)
        return day < adult_on


class MarketEntity(models.Model):
    """市场主体名录库: the directory random inspections draw from."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
        COOPERATIVE = "cooperative", _("农民专业合作社")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPERATING = "operating", _("存续")
        REVOKED = "revoked", _("吊销")
        DEREGISTERED = "deregistered", _("注销")

    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("主体类型"), max_length=24, choices=Kind.choices)
    legal_representative = models.CharField(_("法定代表人或经营者"), max_length=50)
    region_code = models.CharField(_("行政区划代码"), max_length=6, validators=[validate_region_code])
    address = models.CharField(_("住所"), max_length=200, blank=True)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    status = models.CharField(_("登记状态"), max_length=16, choices=Status.choices, default=Status.OPERATING)
    imported_at = models.DateTimeField(auto_now_add=True, verbose_name=_("导入时间"))

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体名录库")
        indexes = [models.Index(fields=["region_code", "kind"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name
