"""Every legal rule the platform applies, as data: its key, unit and sentence, and each jurisdiction
profile's value with the document and article it comes from.

The national profile holds the statutes and 国办发〔2018〕118号 (and, where neither fixes a value the
platform must apply, the value the source documents agree on, cited to the document it comes from).
Each other profile lists only the rules its own document sets differently, cited to that document;
a rule a profile does not list is the national one. A region is assigned a profile in
``DEFAULT_ASSIGNMENTS`` (and by an administrator, see :mod:`sanxiang.rules.services`).

Adding a rule: declare its :class:`Key` in ``KEYS`` and its national :class:`Entry` in
``NATIONAL``; the test suite checks that every key has a national value with a source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sanxiang.rules import sources as S

WORKING_DAYS = "working_days"
NATURAL_DAYS = "natural_days"
HOURS = "hours"
YUAN = "yuan"
PERCENT = "percent"
COUNT = "count"
OBJECTS = "objects"
CASES = "cases"
MULTIPLE = "multiple"
YEARS = "years"
MONTHS = "months"
MONTH_DAY = "month_day"  # "12-15"
TEXT = "text"

UNIT_LABELS = {
    WORKING_DAYS: "工作日",
    NATURAL_DAYS: "日",
    HOURS: "小时",
    YUAN: "元",
    PERCENT: "%",
    COUNT: "名",
    OBJECTS: "个",
    CASES: "件",
    MULTIPLE: "倍",
    YEARS: "年",
    MONTHS: "个月",
    MONTH_DAY: "月日",
    TEXT: "",
}
DAY_UNITS = frozenset({WORKING_DAYS, NATURAL_DAYS})

Value = int | Decimal | str | None


@dataclass(frozen=True)
class Key:
    key: str
    unit: str
    title: str  # short name: 行政处罚决定公开期限
    sentence: str  # "行政处罚决定自作出之日起{v}内公开"; {v} is the value with its unit
    group: str  # 行政执法公示 / 执法全过程记录 / 重大执法决定法制审核 / 行政处罚 …
    when_none: str = ""  # the sentence when the profile sets no value
    when_zero: str = ""  # the sentence when the value is 0


@dataclass(frozen=True)
class Entry:
    value: Value
    source: str  # a code in sanxiang.rules.sources.SOURCES
    article: str = ""  # 第二十七条 / 二、（一）3
    effective_from: dt.date | None = None  # None: in force as long as the platform has known it
    note: str = ""  # how the value was read from the text, where the text is not a number


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    description: str
    entries: dict[str, tuple[Entry, ...]] = field(default_factory=dict)


G_DISCLOSURE = "行政执法公示"
G_RECORDING = "执法全过程记录"
G_REVIEW = "重大执法决定法制审核"
G_PENALTY = "行政处罚程序"
G_LICENSING = "行政许可程序"
G_COERCION = "行政强制程序"
G_CREDIT = "信用信息公示"
G_REPORTING = "统计与年度报告"
G_SPOT_CHECK = "双随机一公开"
G_REMEDY = "救济途径"
G_SUPERVISION = "行政执法监督"
G_APPLICATION = "行政确认、行政裁决、行政给付程序"
G_ASSIST = "类案同罚提示"

KEYS: dict[str, Key] = {
    k.key: k
    for k in (
        Key(
            "disclosure.period.penalty",
            WORKING_DAYS,
            "行政处罚决定公开期限",
            "行政处罚决定自作出之日起{v}内公开",
            G_DISCLOSURE,
        ),
        Key(
            "disclosure.period.licensing",
            WORKING_DAYS,
            "行政许可决定公开期限",
            "行政许可决定自作出之日起{v}内公开",
            G_DISCLOSURE,
        ),
        Key(
            "disclosure.period.other",
            WORKING_DAYS,
            "其他行政执法决定公开期限",
            "行政许可、行政处罚以外的行政执法决定自作出之日起{v}内公开",
            G_DISCLOSURE,
        ),
        Key(
            "disclosure.period.inspection",
            WORKING_DAYS,
            "抽查检查结果公示期限",
            "抽查检查结果自检查结束之日起{v}内公示",
            G_DISCLOSURE,
        ),
        Key(
            "disclosure.withdrawal.years",
            YEARS,
            "决定信息可撤下的公开年限",
            "行政执法决定结果信息公开满{v}的，可以从公示载体上撤下",
            G_DISCLOSURE,
        ),
        Key(
            "disclosure.withdrawal.years_person",
            YEARS,
            "自然人决定信息可撤下的公开年限",
            "行政相对人是自然人的，决定结果信息公开满{v}的，可以从公示载体上撤下",
            G_DISCLOSURE,
        ),
        Key(
            "disclosure.withdrawal.after_change",
            WORKING_DAYS,
            "决定被变更、撤销后撤回期限",
            "公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，在{v}内撤回决定信息并公开说明理由",
            G_DISCLOSURE,
        ),
        Key(
            "disclosure.ex_ante.update",
            WORKING_DAYS,
            "事前公开内容更新期限",
            "法律、法规、规章等立改废或者机构职能调整引起公示内容变化的，自生效或者调整之日起{v}内更新",
            G_DISCLOSURE,
        ),
        Key(
            "disclosure.correction.period",
            WORKING_DAYS,
            "公示信息更正申请处理期限",
            "公民、法人或者其他组织要求更正公示信息的，在{v}内作出处理",
            G_DISCLOSURE,
        ),
        Key(
            "record.emergency_approval",
            HOURS,
            "紧急启动程序补报期限",
            "情况紧急先行启动执法程序的，在程序启动后{v}内补报负责人批准",
            G_RECORDING,
        ),
        Key(
            "record.upload",
            HOURS,
            "音像记录存储期限",
            "音像记录制作完成后，执法人员不得自行保管，在{v}内存储至执法信息系统",
            G_RECORDING,
        ),
        Key(
            "record.archive",
            NATURAL_DAYS,
            "案卷归档期限",
            "行政执法行为终结之日起{v}内将文字和音像记录形成案卷归档",
            G_RECORDING,
        ),
        Key(
            "record.officers_per_device",
            COUNT,
            "音像记录设备配备比例",
            "每{v}执法人员至少配备一台全过程记录音像设备",
            G_RECORDING,
            when_none="未规定音像记录设备配备比例",
        ),
        Key(
            "review.period",
            WORKING_DAYS,
            "法制审核期限",
            "法制机构收到重大行政执法决定送审材料后{v}内审核完毕",
            G_REVIEW,
        ),
        Key(
            "review.extension",
            WORKING_DAYS,
            "法制审核延长期限",
            "案件复杂的，经行政执法机关负责人批准，法制审核可以延长{v}",
            G_REVIEW,
        ),
        Key(
            "review.reviewer_ratio",
            PERCENT,
            "法制审核人员比例",
            "法制审核人员原则上不少于本单位执法人员总数的{v}",
            G_REVIEW,
        ),
        Key(
            "review.reviewer_minimum",
            COUNT,
            "法制审核人员最低人数",
            "法制审核人员不少于{v}",
            G_REVIEW,
            when_none="未规定法制审核人员最低人数",
        ),
        Key(
            "penalty.officers_minimum",
            COUNT,
            "执法人员最低人数",
            "行政处罚由具有行政执法资格的执法人员实施，执法人员不得少于{v}",
            G_PENALTY,
        ),
        Key(
            "penalty.simple.fine_limit_person",
            YUAN,
            "简易程序罚款上限（公民）",
            "适用简易程序当场处罚的，对公民罚款不超过{v}",
            G_PENALTY,
        ),
        Key(
            "penalty.simple.fine_limit_organisation",
            YUAN,
            "简易程序罚款上限（法人或者其他组织）",
            "适用简易程序当场处罚的，对法人或者其他组织罚款不超过{v}",
            G_PENALTY,
        ),
        Key(
            "penalty.hearing.request",
            WORKING_DAYS,
            "要求听证期限",
            "当事人要求听证的，应当在行政机关告知后{v}内提出",
            G_PENALTY,
        ),
        Key(
            "penalty.hearing.notice",
            WORKING_DAYS,
            "听证通知提前期限",
            "行政机关应当在举行听证的{v}前，通知当事人及有关人员听证的时间、地点",
            G_PENALTY,
        ),
        Key(
            "penalty.decision.period",
            NATURAL_DAYS,
            "行政处罚决定期限",
            "行政机关应当自行政处罚案件立案之日起{v}内作出行政处罚决定",
            G_PENALTY,
        ),
        Key(
            "penalty.decision.extension",
            NATURAL_DAYS,
            "行政处罚决定延长期限",
            "经批准，行政处罚决定期限可以延长{v}",
            G_PENALTY,
            when_none="未规定统一的延长期限；法律、法规、规章另有规定的，从其规定",
        ),
        Key(
            "penalty.service",
            WORKING_DAYS,
            "行政处罚决定书送达期限",
            "行政处罚决定书未当场交付的，行政机关应当在{v}内送达当事人",
            G_PENALTY,
        ),
        Key(
            "penalty.payment",
            NATURAL_DAYS,
            "缴纳罚款期限",
            "当事人应当自收到行政处罚决定书之日起{v}内缴纳罚款",
            G_PENALTY,
        ),
        Key(
            "penalty.surcharge.daily_rate",
            PERCENT,
            "加处罚款日比例",
            "到期不缴纳罚款的，每日按罚款数额的{v}加处罚款",
            G_PENALTY,
        ),
        Key(
            "documents.number.format",
            TEXT,
            "执法文书编号规则",
            "执法文书编号由机关代字、文书代字、年份和顺序号组成：{v}",
            G_PENALTY,
        ),
        Key(
            "penalty.surcharge.cap", PERCENT, "加处罚款上限", "加处罚款的数额不得超出罚款数额的{v}", G_PENALTY
        ),
        Key(
            "licensing.decision.period",
            WORKING_DAYS,
            "行政许可决定期限",
            "除可以当场作出的以外，行政机关应当自受理行政许可申请之日起{v}内作出行政许可决定",
            G_LICENSING,
        ),
        Key(
            "licensing.decision.extension",
            WORKING_DAYS,
            "行政许可决定延长期限",
            "行政许可决定期限经本行政机关负责人批准，可以延长{v}",
            G_LICENSING,
        ),
        Key(
            "coercion.seizure.period",
            NATURAL_DAYS,
            "查封、扣押期限",
            "查封、扣押的期限不得超过{v}",
            G_COERCION,
        ),
        Key(
            "coercion.seizure.extension",
            NATURAL_DAYS,
            "查封、扣押延长期限",
            "情况复杂的，经行政机关负责人批准，查封、扣押可以延长，但延长期限不得超过{v}",
            G_COERCION,
        ),
        Key(
            "penalty.preservation.decision",
            WORKING_DAYS,
            "先行登记保存证据处理期限",
            "先行登记保存证据的，应当在{v}内及时作出处理决定",
            G_PENALTY,
        ),
        Key(
            "penalty.simple.deposit",
            WORKING_DAYS,
            "当场收缴罚款交纳期限",
            "执法人员当场收缴的罚款，应当自收缴罚款之日起{v}内交至行政机关",
            G_PENALTY,
        ),
        Key(
            "licensing.supplement",
            WORKING_DAYS,
            "一次性告知补正期限",
            "申请材料不齐全或者不符合法定形式的，应当当场或者在{v}内一次告知申请人需要补正的全部内容",
            G_LICENSING,
        ),
        Key(
            "licensing.hearing.request",
            WORKING_DAYS,
            "行政许可听证申请期限",
            "申请人、利害关系人在被告知听证权利之日起{v}内提出听证申请",
            G_LICENSING,
        ),
        Key(
            "licensing.hearing.organise",
            WORKING_DAYS,
            "行政许可组织听证期限",
            "行政机关应当在申请人、利害关系人提出听证申请之日起{v}内组织听证",
            G_LICENSING,
        ),
        Key(
            "licensing.hearing.notice",
            WORKING_DAYS,
            "行政许可听证通知提前期限",
            "行政机关应当于举行听证的{v}前将举行听证的时间、地点通知申请人、利害关系人",
            G_LICENSING,
        ),
        Key(
            "licensing.issuance",
            WORKING_DAYS,
            "许可证件颁发、送达期限",
            "作出准予行政许可的决定，需要颁发行政许可证件的，应当自作出决定之日起{v}内颁发、送达",
            G_LICENSING,
        ),
        Key(
            "coercion.emergency_approval",
            HOURS,
            "当场实施强制措施补办批准期限",
            "情况紧急需要当场实施行政强制措施的，应当在{v}内向行政机关负责人报告，并补办批准手续",
            G_COERCION,
        ),
        Key(
            "coercion.court.reminder_wait",
            WORKING_DAYS,
            "催告后申请法院强制执行的等待期限",
            "行政机关申请人民法院强制执行前应当催告当事人履行义务，催告书送达{v}后当事人仍未履行义务的，"
            "方可申请强制执行",
            G_COERCION,
        ),
        Key(
            "credit.publication.minor",
            MONTHS,
            "轻微违法处罚信息公示期",
            "轻微违法行为的行政处罚信息最长公示{v}",
            G_CREDIT,
            when_zero="轻微违法行为的行政处罚信息原则上不公示",
        ),
        Key(
            "credit.publication.ordinary",
            MONTHS,
            "一般违法处罚信息公示期",
            "一般违法行为的行政处罚信息最长公示{v}",
            G_CREDIT,
        ),
        Key(
            "credit.publication.serious",
            MONTHS,
            "严重违法处罚信息公示期",
            "严重违法行为的行政处罚信息最长公示{v}",
            G_CREDIT,
        ),
        Key(
            "inspections.inspector_cap",
            OBJECTS,
            "执法检查人员工作量上限",
            "每名执法检查人员在同一抽查计划的各次抽取中被选派检查的对象合计不超过{v}",
            G_SPOT_CHECK,
            when_none="未规定执法检查人员工作量上限，抽取时可另行设定",
        ),
        Key(
            "inspections.repeat_check_window",
            NATURAL_DAYS,
            "重复检查预警期间",
            "同一检查对象在{v}内被不同部门抽查检查的，提示重复检查",
            G_SPOT_CHECK,
        ),
        Key(
            "remedy.reconsideration",
            NATURAL_DAYS,
            "申请行政复议期限",
            "自知道或者应当知道该行政行为之日起{v}内提出行政复议申请",
            G_REMEDY,
        ),
        Key(
            "remedy.litigation",
            MONTHS,
            "直接提起行政诉讼期限",
            "直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起{v}内提出",
            G_REMEDY,
        ),
        Key(
            "confirmation.decision.period",
            WORKING_DAYS,
            "行政确认决定期限",
            "申请材料齐全、符合法定形式，不能当场确认的，应当自受理之日起{v}内作出确认决定",
            G_APPLICATION,
        ),
        Key(
            "confirmation.decision.extension",
            WORKING_DAYS,
            "行政确认决定延长期限",
            "情形复杂的，经负责人批准，行政确认决定期限可以再延长{v}",
            G_APPLICATION,
        ),
        Key(
            "adjudication.court.wait",
            NATURAL_DAYS,
            "行政裁决后申请法院强制执行的等待期限",
            "当事人不服处理决定的，可以自收到处理通知之日起{v}内起诉；期满不起诉又不履行的，"
            "方可申请人民法院强制执行",
            G_APPLICATION,
        ),
        Key(
            "remedy.litigation_after_reconsideration",
            NATURAL_DAYS,
            "复议后提起行政诉讼期限",
            "不服复议决定的，可以在收到复议决定书之日起{v}内向人民法院提起诉讼",
            G_REMEDY,
        ),
        Key(
            "supervision.alert.yellow_days",
            WORKING_DAYS,
            "期限届满黄色预警提前量",
            "以日计算的期限届满前{v}内，向承办人员、负责人和监督人员发出黄色预警；届满未办结的发出红色预警",
            G_SUPERVISION,
        ),
        Key(
            "supervision.alert.yellow_hours",
            HOURS,
            "小时期限黄色预警提前量",
            "以小时计算的期限届满前{v}内发出黄色预警；届满未办结的发出红色预警",
            G_SUPERVISION,
        ),
        Key(
            "supervision.alert.yellow_annual",
            NATURAL_DAYS,
            "年度数据和报告黄色预警提前量",
            "年度行政执法数据报送和年度报告公开日期前{v}内发出黄色预警",
            G_SUPERVISION,
        ),
        Key(
            "stats.annual_data_due",
            MONTH_DAY,
            "年度行政执法数据报送日期",
            "每年{v}前汇总本年度行政执法数据，报本级人民政府（司法行政机关）和上级主管部门",
            G_REPORTING,
            when_none="未规定年度行政执法数据报送日期",
        ),
        Key(
            "stats.annual_report_due",
            MONTH_DAY,
            "上年度行政执法数据公开日期",
            "每年{v}前公开本机关上年度行政执法总体情况有关数据",
            G_REPORTING,
        ),
        Key(
            "assist.consistency.min_cases",
            CASES,
            "类案同罚比较所需最少类案数",
            "同一执法事项、同一裁量阶次的已决类案不少于{v}时，才判断拟罚款数额是否明显偏离",
            G_ASSIST,
        ),
        Key(
            "assist.consistency.fence",
            MULTIPLE,
            "类案同罚偏离界限（四分位距倍数）",
            "拟罚款数额低于类案罚款下四分位数或高于上四分位数超过四分位距的{v}的，提示明显偏离",
            G_ASSIST,
        ),
        Key(
            "assist.consistency.min_spread",
            PERCENT,
            "类案同罚偏离界限与中位数的最小距离",
            "偏离界限与类案罚款中位数的距离不小于中位数的{v}",
            G_ASSIST,
        ),
    )
}


def _e(value: Value, source: str, article: str = "", **kw) -> tuple[Entry, ...]:
    return (Entry(value, source, article, **kw),)


PLATFORM_NOTE = "平台自定的统计规则，非法律规定；提示不阻止办理"
GUIDANCE_DISCLOSURE = "二、（六）"
GUIDANCE_REVIEWERS = "四、（十一）"
GUIDANCE_ONLINE = "五、（十五）"

NATIONAL = Profile(
    code="national",
    name="全国默认",
    description="法律、行政法规和《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定"
    "法制审核制度的指导意见》（国办发〔2018〕118号）",
    entries={
        "disclosure.period.penalty": _e(7, S.NATIONAL_GUIDANCE, GUIDANCE_DISCLOSURE),
        "disclosure.period.licensing": _e(7, S.NATIONAL_GUIDANCE, GUIDANCE_DISCLOSURE),
        "disclosure.period.other": _e(20, S.NATIONAL_GUIDANCE, GUIDANCE_DISCLOSURE),
        "disclosure.period.inspection": _e(20, S.ENTERPRISE_INFO, "第六条"),
        # No statute fixes when a published decision may come down; the platform applies 松原's
        # rule everywhere until a profile says otherwise, cited to 松原's document.
        "disclosure.withdrawal.years": _e(5, S.SONGYUAN_DISCLOSURE, "第二十八条"),
        "disclosure.withdrawal.years_person": _e(2, S.SONGYUAN_DISCLOSURE, "第二十八条"),
        "disclosure.withdrawal.after_change": _e(3, S.PENALTY_LAW, "第四十八条第二款、第八十五条"),
        "disclosure.ex_ante.update": _e(20, S.SONGYUAN_DISCLOSURE, "第二十五条"),
        "disclosure.correction.period": _e(
            15, S.SONGYUAN_DISCLOSURE, "第三十一条", note="“应当及时作出处理”，平台按15个工作日督办"
        ),
        "record.emergency_approval": _e(24, S.SONGYUAN_RECORDING, "第八条"),
        "record.upload": _e(24, S.SONGYUAN_RECORDING, "第三十二条"),
        "record.archive": _e(30, S.SONGYUAN_RECORDING, "第三十二条"),
        "record.officers_per_device": _e(None, S.NATIONAL_GUIDANCE, "三、（八）"),
        "review.period": _e(7, S.SONGYUAN_REVIEW, "第十一条"),
        "review.extension": _e(5, S.SONGYUAN_REVIEW, "第十一条"),
        "review.reviewer_ratio": _e(5, S.NATIONAL_GUIDANCE, GUIDANCE_REVIEWERS),
        # No statute or source document fixes a number for 类案同罚 (行政处罚法 第五条 asks only that a
        # penalty fit the facts); these are the platform's own statistical rule, cited to the decision
        # record that sets it, and they never refuse anything.
        "assist.consistency.min_cases": _e(5, S.PLATFORM_ASSIST, "二", note=PLATFORM_NOTE),
        "assist.consistency.fence": _e(Decimal("1.5"), S.PLATFORM_ASSIST, "三", note=PLATFORM_NOTE),
        "assist.consistency.min_spread": _e(Decimal("10"), S.PLATFORM_ASSIST, "三", note=PLATFORM_NOTE),
        "review.reviewer_minimum": _e(None, S.NATIONAL_GUIDANCE, GUIDANCE_REVIEWERS),
        "penalty.officers_minimum": _e(2, S.PENALTY_LAW, "第四十二条"),
        "penalty.simple.fine_limit_person": _e(Decimal("200"), S.PENALTY_LAW, "第五十一条"),
        "penalty.simple.fine_limit_organisation": _e(Decimal("3000"), S.PENALTY_LAW, "第五十一条"),
        "penalty.hearing.request": _e(5, S.PENALTY_LAW, "第六十四条第一项、第八十五条"),
        "penalty.hearing.notice": _e(7, S.PENALTY_LAW, "第六十四条第二项、第八十五条"),
        "penalty.decision.period": _e(90, S.PENALTY_LAW, "第六十条"),
        "penalty.decision.extension": _e(None, S.PENALTY_LAW, "第六十条"),
        "penalty.service": _e(7, S.PENALTY_LAW, "第六十一条第一款、第八十五条"),
        "penalty.payment": _e(15, S.PENALTY_LAW, "第六十七条第三款"),
        "penalty.surcharge.daily_rate": _e(Decimal("3"), S.PENALTY_LAW, "第七十二条第一款第一项"),
        "penalty.surcharge.cap": _e(Decimal("100"), S.PENALTY_LAW, "第七十二条第一款第一项"),
        # 发文字号: 机关代字、年份、发文顺序号; 年份用六角括号“〔〕”括入, 顺序号不加“第”字、不编虚位
        "documents.number.format": _e(
            "【机关代字】【文书代字】〔【年份】〕【顺序号】号",
            S.DOCUMENT_FORMAT,
            "7.2.4",
            note="年份标全称，用六角括号括入；顺序号不加“第”字，不编虚位",
        ),
        "licensing.decision.period": _e(20, S.LICENSING_LAW, "第四十二条第一款"),
        "licensing.decision.extension": _e(10, S.LICENSING_LAW, "第四十二条第一款"),
        "coercion.seizure.period": _e(30, S.COERCION_LAW, "第二十五条第一款"),
        "coercion.seizure.extension": _e(30, S.COERCION_LAW, "第二十五条第一款"),
        "penalty.preservation.decision": _e(7, S.PENALTY_LAW, "第五十六条、第八十五条"),
        "penalty.simple.deposit": _e(2, S.PENALTY_LAW, "第七十一条、第八十五条"),
        "licensing.supplement": _e(5, S.LICENSING_LAW, "第三十二条第一款第四项、第八十二条"),
        "licensing.hearing.request": _e(5, S.LICENSING_LAW, "第四十七条第一款"),
        "licensing.hearing.organise": _e(20, S.LICENSING_LAW, "第四十七条第一款"),
        "licensing.hearing.notice": _e(7, S.LICENSING_LAW, "第四十八条第一款第一项"),
        "licensing.issuance": _e(10, S.LICENSING_LAW, "第四十四条"),
        "coercion.emergency_approval": _e(24, S.COERCION_LAW, "第十九条"),
        # 第五十四条: 催告书送达十日后; 第六十九条: 本法中十日以内期限的规定是指工作日
        "coercion.court.reminder_wait": _e(10, S.COERCION_LAW, "第五十四条、第六十九条"),
        "credit.publication.minor": (
            Entry(36, S.SAMR_PENALTY_DISCLOSURE, effective_from=dt.date(2021, 9, 1), note="公示期限三年"),
            Entry(0, S.CREDIT_REPAIR, effective_from=dt.date(2026, 4, 1)),
        ),
        "credit.publication.ordinary": (
            Entry(36, S.SAMR_PENALTY_DISCLOSURE, effective_from=dt.date(2021, 9, 1), note="公示期限三年"),
            Entry(12, S.CREDIT_REPAIR, effective_from=dt.date(2026, 4, 1), note="3个月至1年"),
        ),
        "credit.publication.serious": (
            Entry(36, S.SAMR_PENALTY_DISCLOSURE, effective_from=dt.date(2021, 9, 1), note="公示期限三年"),
            Entry(36, S.CREDIT_REPAIR, effective_from=dt.date(2026, 4, 1), note="1年至3年"),
        ),
        "inspections.inspector_cap": _e(
            None,
            S.SPOT_CHECK_NOTICE,
            note="通知要求随机选派执法检查人员，未规定每人检查对象数上限；各地可按执法力量以规则覆盖设定",
        ),
        "inspections.repeat_check_window": _e(
            30,
            S.SPOT_CHECK_NOTICE,
            note="通知要求减少重复检查、防止检查扰民，未规定天数；30日采自浙江省衢州市重复检查预警的做法，各地可按规则覆盖调整",
        ),
        "remedy.reconsideration": _e(60, S.RECONSIDERATION_LAW, "第二十条第一款"),
        "remedy.litigation": _e(6, S.LITIGATION_LAW, "第四十六条第一款"),
        "remedy.litigation_after_reconsideration": _e(15, S.LITIGATION_LAW, "第四十五条"),
        # 行政确认、行政裁决、行政给付 have no general procedural law: each matter's own law sets its
        # periods. The national values are those of the demo's matters (an agency whose matter follows
        # another law overrides them for its region, citing that law).
        # 《中华人民共和国市场主体登记管理条例》第十九条: 对申请材料齐全、符合法定形式的予以确认并当场登记。
        # 不能当场登记的，应当在3个工作日内予以登记；情形复杂的，经登记机关负责人批准，可以再延长3个工作日。
        "confirmation.decision.period": _e(
            3,
            S.MARKET_ENTITY_REGISTRATION,
            "第十九条第一款",
            note="市场主体登记；其他确认事项适用其法律、法规",
        ),
        "confirmation.decision.extension": _e(
            3, S.MARKET_ENTITY_REGISTRATION, "第十九条第一款", note="情形复杂的，经登记机关负责人批准"
        ),
        # 《中华人民共和国专利法》第六十五条 (2020年修正; 2008年文本为第六十条): 当事人不服的，可以自收到处理
        # 通知之日起十五日内依照《中华人民共和国行政诉讼法》向人民法院起诉；侵权人期满不起诉又不停止侵权
        # 行为的，管理专利工作的部门可以申请人民法院强制执行。
        "adjudication.court.wait": _e(
            15, S.PATENT_LAW, "第六十五条", note="专利侵权纠纷处理；其他裁决事项适用其法律、法规"
        ),
        # 118号 asks for 执法活动网上监督 and 即时性、过程性、系统性管理 without fixing how early a
        # reminder comes; the platform's defaults, which a profile or an administrator may override.
        "supervision.alert.yellow_days": _e(
            3,
            S.NATIONAL_GUIDANCE,
            GUIDANCE_ONLINE,
            note="要求执法活动网上监督，未规定预警提前量；平台默认届满前3个工作日黄色预警",
        ),
        "supervision.alert.yellow_hours": _e(
            6,
            S.NATIONAL_GUIDANCE,
            GUIDANCE_ONLINE,
            note="要求执法活动网上监督，未规定预警提前量；平台默认届满前6小时黄色预警",
        ),
        "supervision.alert.yellow_annual": _e(
            30,
            S.NATIONAL_GUIDANCE,
            GUIDANCE_ONLINE,
            note="未规定预警提前量；平台默认报送和公开日期前30日黄色预警",
        ),
        "stats.annual_data_due": _e(None, S.NATIONAL_GUIDANCE, GUIDANCE_DISCLOSURE),
        "stats.annual_report_due": _e("01-31", S.NATIONAL_GUIDANCE, GUIDANCE_DISCLOSURE),
    },
)

_SONGYUAN_FROM = dt.date(2020, 1, 1)  # 三个办法 各自的最后一条: 本办法自2020年1月1日起施行
_KUNMING_FROM = dt.date(2019, 7, 4)
_TIEXI_FROM = dt.date(2021, 10, 11)
_WUZHONG_FROM = dt.date(2018, 9, 28)

PROFILES: dict[str, Profile] = {
    p.code: p
    for p in (
        NATIONAL,
        Profile(
            code="songyuan",
            name="松原市",
            description="松政办发〔2019〕25号：《松原市行政执法公示办法》《松原市行政执法全过程记录实施办法》"
            "《松原市重大行政执法决定法制审核办法》",
            entries={
                # 第二十七条: 各类行政执法决定结果应当自该信息形成或者变更之日起7个工作日内予以公开
                **{
                    key: _e(7, S.SONGYUAN_DISCLOSURE, "第二十七条", effective_from=_SONGYUAN_FROM)
                    for key in (
                        "disclosure.period.penalty",
                        "disclosure.period.licensing",
                        "disclosure.period.other",
                    )
                },
                "disclosure.period.inspection": _e(
                    20, S.SONGYUAN_DISCLOSURE, "第二十七条", effective_from=_SONGYUAN_FROM
                ),
                "disclosure.withdrawal.years": _e(
                    5, S.SONGYUAN_DISCLOSURE, "第二十八条", effective_from=_SONGYUAN_FROM
                ),
                "disclosure.withdrawal.years_person": _e(
                    2, S.SONGYUAN_DISCLOSURE, "第二十八条", effective_from=_SONGYUAN_FROM
                ),
                "disclosure.ex_ante.update": _e(
                    20, S.SONGYUAN_DISCLOSURE, "第二十五条", effective_from=_SONGYUAN_FROM
                ),
                "record.emergency_approval": _e(
                    24, S.SONGYUAN_RECORDING, "第八条", effective_from=_SONGYUAN_FROM
                ),
                "record.upload": _e(24, S.SONGYUAN_RECORDING, "第三十二条", effective_from=_SONGYUAN_FROM),
                "record.archive": _e(30, S.SONGYUAN_RECORDING, "第三十二条", effective_from=_SONGYUAN_FROM),
                "review.period": _e(7, S.SONGYUAN_REVIEW, "第十一条", effective_from=_SONGYUAN_FROM),
                "review.extension": _e(5, S.SONGYUAN_REVIEW, "第十一条", effective_from=_SONGYUAN_FROM),
                "review.reviewer_ratio": _e(
                    5, S.SONGYUAN_NOTICE, "一、（三）1", effective_from=_SONGYUAN_FROM
                ),
            },
        ),
        Profile(
            code="kunming",
            name="昆明市",
            description="昆明市人民政府办公室2019年7月4日印发的三项制度工作方案",
            entries={
                "disclosure.period.penalty": _e(7, S.KUNMING, "二、（一）3", effective_from=_KUNMING_FROM),
                "disclosure.period.licensing": _e(7, S.KUNMING, "二、（一）3", effective_from=_KUNMING_FROM),
                "disclosure.period.other": _e(20, S.KUNMING, "二、（一）3", effective_from=_KUNMING_FROM),
                "stats.annual_data_due": _e("12-15", S.KUNMING, "二、（一）3", effective_from=_KUNMING_FROM),
                "stats.annual_report_due": _e(
                    "01-31", S.KUNMING, "二、（一）3", effective_from=_KUNMING_FROM
                ),
                "review.reviewer_ratio": _e(5, S.KUNMING, "二、（三）1", effective_from=_KUNMING_FROM),
                "review.reviewer_minimum": _e(
                    1, S.KUNMING, "二、（三）1", effective_from=_KUNMING_FROM, note="不足1人的至少按1人配置"
                ),
            },
        ),
        Profile(
            code="tiexi",
            name="沈阳市铁西区司法局",
            description="沈阳市铁西区司法局2021年10月11日印发的三项制度责任分工方案",
            entries={
                "disclosure.period.penalty": _e(7, S.TIEXI, "二、（一）3", effective_from=_TIEXI_FROM),
                "disclosure.period.licensing": _e(7, S.TIEXI, "二、（一）3", effective_from=_TIEXI_FROM),
                "disclosure.period.other": _e(20, S.TIEXI, "二、（一）3", effective_from=_TIEXI_FROM),
                "review.reviewer_ratio": _e(5, S.TIEXI, "二、（三）1", effective_from=_TIEXI_FROM),
            },
        ),
        Profile(
            code="lingchuan",
            name="陵川县交通运输局",
            description="陵交字〔2019〕36号实施方案；方案未另定期限和比例的，适用法律、法规和国办发〔2018〕118号",
            entries={},
        ),
        Profile(
            code="wuzhong",
            name="吴忠市市场监督管理局",
            description="吴忠市市场监督管理局2018年9月28日印发的三项制度工作方案",
            entries={
                "record.officers_per_device": _e(
                    2,
                    S.WUZHONG,
                    "二、（二）3",
                    effective_from=_WUZHONG_FROM,
                    note="按照不少于执法人数与记录装备2:1的比例配备",
                ),
                "review.reviewer_minimum": _e(2, S.WUZHONG, "二、（三）1", effective_from=_WUZHONG_FROM),
            },
        ),
    )
}

# Which profile a region works under unless an administrator assigns another (行政区划代码 prefix).
DEFAULT_ASSIGNMENTS: dict[str, str] = {
    "2207": "songyuan",  # 吉林省松原市
    "5301": "kunming",  # 云南省昆明市
    "210106": "tiexi",  # 辽宁省沈阳市铁西区
    "140524": "lingchuan",  # 山西省晋城市陵川县
    "6403": "wuzhong",  # 宁夏回族自治区吴忠市
}
