"""Every profile's rules, each test naming the document and article its value comes from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.rules import catalogue as C
from sanxiang.rules.selectors import rule_for, rules_in_force
from sanxiang.rules.sources import SOURCES

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)
SONGYUAN = "220702"  # 宁江区, 松原市
KUNMING = "530102"  # 五华区, 昆明市
TIEXI = "210106"
LINGCHUAN = "140524"
WUZHONG = "640302"  # 利通区, 吴忠市
ELSEWHERE = "110101"  # 北京市东城区: national default


def test_every_key_has_a_national_value_with_a_real_source():
    for key in C.KEYS:
        rule = rule_for(key, region="", on=ON)
        assert rule.source.code in SOURCES
        assert rule.citation.startswith("《") and "seed" not in rule.citation.lower()
        assert rule.label and "{" not in rule.label


def test_every_profile_entry_names_a_declared_key_and_a_known_source():
    for profile in C.PROFILES.values():
        for key, entries in profile.entries.items():
            assert key in C.KEYS, (profile.code, key)
            for entry in entries:
                assert entry.source in SOURCES, (profile.code, key)


def test_songyuan_discloses_every_decision_within_7_working_days():
    # 《松原市行政执法公示办法》第二十七条: 各类行政执法决定结果应当自该信息形成或者变更之日起7个工作日内予以公开
    for kind in ("penalty", "licensing", "other"):
        rule = rule_for(f"disclosure.period.{kind}", region=SONGYUAN, on=ON)
        assert (rule.value, rule.unit) == (7, C.WORKING_DAYS)
        assert rule.citation == "《松原市行政执法公示办法》第二十七条"
    # 同条: 抽查结果自抽查结束之日起20个工作日内向社会公示
    assert rule_for("disclosure.period.inspection", region=SONGYUAN, on=ON).value == 20


@pytest.mark.parametrize(
    ("region", "citation"),
    [
        (
            KUNMING,
            "《昆明市全面推行行政执法公示制度执法全过程记录制度重大行政执法决定法制审核制度的工作方案》二、（一）3",
        ),
        (
            TIEXI,
            "《铁西区司法局全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度责任分工方案》二、（一）3",
        ),
    ],
)
def test_kunming_and_tiexi_allow_20_working_days_for_other_decisions(region, citation):
    # 昆明 工作方案 二、（一）3 and 铁西区司法局 方案 二、（一）3: 20个工作日; 许可、处罚 7个工作日
    other = rule_for("disclosure.period.other", region=region, on=ON)
    assert (other.value, other.citation) == (20, citation)
    assert rule_for("disclosure.period.penalty", region=region, on=ON).value == 7
    assert rule_for("disclosure.period.licensing", region=region, on=ON).value == 7


def test_national_default_is_the_state_council_guidance():
    # 国办发〔2018〕118号 二、（六）: 20个工作日内公布; 行政许可、行政处罚 7个工作日内公开
    other = rule_for("disclosure.period.other", region=ELSEWHERE, on=ON)
    assert other.value == 20 and other.profile == "national"
    assert other.source.number == "国办发〔2018〕118号"
    assert rule_for("disclosure.period.penalty", region=ELSEWHERE, on=ON).value == 7
    # 企业信息公示暂行条例 第六条: 自产生之日起20个工作日内予以公示
    assert (
        rule_for("disclosure.period.inspection", region=ELSEWHERE, on=ON).citation
        == "《企业信息公示暂行条例》第六条"
    )


def test_lingchuan_sets_no_period_of_its_own_and_works_under_the_national_rules():
    # 陵交字〔2019〕36号 sets no period, ratio or date: every rule is the national one
    assert all(r.profile == "national" for r in rules_in_force(region=LINGCHUAN, on=ON))


def test_kunming_wants_the_years_data_by_12_15_and_the_report_by_01_31():
    # 昆明 工作方案 二、（一）3: 于每年12月15日前汇总本年度行政执法数据…于下一年度1月31日前公开
    data = rule_for("stats.annual_data_due", region=KUNMING, on=ON)
    assert (data.value, data.unit, data.display_value) == ("12-15", C.MONTH_DAY, "12月15日")
    assert rule_for("stats.annual_report_due", region=KUNMING, on=ON).value == "01-31"
    # 国办发〔2018〕118号 二、（六）: 每年1月31日前公开上年度行政执法总体情况有关数据; no data date nationally
    assert rule_for("stats.annual_report_due", region=ELSEWHERE, on=ON).value == "01-31"
    assert rule_for("stats.annual_data_due", region=ELSEWHERE, on=ON).value is None


def test_reviewer_ratio_and_minimum_per_profile():
    # 国办发〔2018〕118号 四、（十一）; 昆明 二、（三）1 (不足1人的至少按1人配置); 吴忠 二、（三）1 (不少于2名);
    # 松原 松政办发〔2019〕25号 一、（三）1; 铁西 二、（三）1
    for region in (SONGYUAN, KUNMING, TIEXI, WUZHONG, ELSEWHERE):
        ratio = rule_for("review.reviewer_ratio", region=region, on=ON)
        assert (ratio.value, ratio.unit) == (5, C.PERCENT)
    assert rule_for("review.reviewer_minimum", region=KUNMING, on=ON).value == 1
    assert rule_for("review.reviewer_minimum", region=WUZHONG, on=ON).value == 2
    assert rule_for("review.reviewer_minimum", region=SONGYUAN, on=ON).value is None
    assert rule_for("review.reviewer_ratio", region=SONGYUAN, on=ON).source.number == "松政办发〔2019〕25号"


def test_wuzhong_wants_one_recording_device_per_two_officers():
    # 吴忠市市场监督管理局 工作方案 二、（二）3: 不少于执法人数与记录装备2:1的比例
    rule = rule_for("record.officers_per_device", region=WUZHONG, on=ON)
    assert rule.value == 2
    assert rule.label == "每2名执法人员至少配备一台全过程记录音像设备"
    assert rule_for("record.officers_per_device", region=SONGYUAN, on=ON).value is None


def test_songyuan_recording_and_review_periods():
    # 《松原市行政执法全过程记录实施办法》第八条: 24小时内补报; 第三十二条: 30日内归档, 24小时内存储
    assert rule_for("record.emergency_approval", region=SONGYUAN, on=ON).value == 24
    assert (
        rule_for("record.upload", region=SONGYUAN, on=ON).citation
        == "《松原市行政执法全过程记录实施办法》第三十二条"
    )
    archive = rule_for("record.archive", region=SONGYUAN, on=ON)
    assert (archive.value, archive.unit) == (30, C.NATURAL_DAYS)
    # 《松原市重大行政执法决定法制审核办法》第十一条: 七个工作日内审核完毕，可以延长五个工作日
    assert rule_for("review.period", region=SONGYUAN, on=ON).value == 7
    assert rule_for("review.extension", region=SONGYUAN, on=ON).value == 5


def test_withdrawal_after_5_years_or_2_for_a_natural_person_and_3_working_days_after_a_change():
    # 《松原市行政执法公示办法》第二十八条; 《中华人民共和国行政处罚法》第四十八条第二款、第八十五条
    assert rule_for("disclosure.withdrawal.years", region=SONGYUAN, on=ON).value == 5
    assert rule_for("disclosure.withdrawal.years_person", region=SONGYUAN, on=ON).value == 2
    change = rule_for("disclosure.withdrawal.after_change", region=SONGYUAN, on=ON)
    assert (change.value, change.unit) == (3, C.WORKING_DAYS)
    # 《松原市行政执法公示办法》第二十五条: 20个工作日内及时更新
    assert rule_for("disclosure.ex_ante.update", region=SONGYUAN, on=ON).value == 20


def test_penalty_law_periods_and_amounts():
    # 《中华人民共和国行政处罚法》第五十一条: 公民二百元以下、法人或者其他组织三千元以下
    assert rule_for("penalty.simple.fine_limit_person", region=SONGYUAN, on=ON).value == Decimal("200")
    org = rule_for("penalty.simple.fine_limit_organisation", region=SONGYUAN, on=ON)
    assert (org.value, org.label) == (
        Decimal("3000"),
        "适用简易程序当场处罚的，对法人或者其他组织罚款不超过3000元",
    )
    # 第六十四条第一项、第二项 and 第八十五条: 五日 and 七日 are working days
    assert rule_for("penalty.hearing.request", region=SONGYUAN, on=ON).unit == C.WORKING_DAYS
    assert rule_for("penalty.hearing.notice", region=SONGYUAN, on=ON).value == 7
    # 第六十条: 九十日内作出; 第六十一条: 七日内送达
    assert rule_for("penalty.decision.period", region=SONGYUAN, on=ON).value == 90
    assert rule_for("penalty.decision.extension", region=SONGYUAN, on=ON).value is None
    assert rule_for("penalty.service", region=SONGYUAN, on=ON).value == 7
    # 第七十二条第一款第一项: 每日百分之三，不得超出罚款的数额
    assert rule_for("penalty.surcharge.daily_rate", region=SONGYUAN, on=ON).value == Decimal("3")
    assert rule_for("penalty.surcharge.cap", region=SONGYUAN, on=ON).value == Decimal("100")
    # 第四十二条: 执法人员不得少于两人
    assert rule_for("penalty.officers_minimum", region=SONGYUAN, on=ON).value == 2


def test_credit_publication_periods_are_versioned_by_date():
    # 《市场监督管理行政处罚信息公示规定》(2021-09-01); 《信用修复管理办法》(2026-04-01 起)
    before = rule_for("credit.publication.ordinary", region=SONGYUAN, on=dt.date(2026, 3, 31))
    after = rule_for("credit.publication.ordinary", region=SONGYUAN, on=dt.date(2026, 4, 1))
    assert (before.value, after.value) == (36, 12)
    assert before.version_id != after.version_id
    assert (
        rule_for("credit.publication.minor", region=SONGYUAN, on=ON).label
        == "轻微违法行为的行政处罚信息原则上不公示"
    )


def test_a_profile_document_applies_only_from_its_own_effective_date():
    # 《松原市行政执法公示办法》第三十四条: 本办法自2020年1月1日起施行 — before that, the national rule
    assert rule_for("disclosure.period.other", region=SONGYUAN, on=dt.date(2019, 12, 31)).value == 20
    assert rule_for("disclosure.period.other", region=SONGYUAN, on=dt.date(2020, 1, 1)).value == 7


def test_region_prefix_inheritance():
    # 220702 → 2207 (松原市) → 22 → national
    assert rule_for("disclosure.period.other", region="220721", on=ON).profile == "songyuan"
    assert rule_for("disclosure.period.other", region="220700", on=ON).profile == "songyuan"
    assert rule_for("disclosure.period.other", region="220000", on=ON).profile == "national"
