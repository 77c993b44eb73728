"""The five published texts of an agency (松原 12345+: 行政执法行为流程图、行政执法服务指南、行政执法规范用语、
行政执法文书样本、重大行政执法决定法制审核流程图), each with its update date."""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone
from docx import Document

from sanxiang.catalog import services as catalog
from sanxiang.catalog.guides import service_guide_publish
from sanxiang.catalog.guides_demo import GUIDES
from sanxiang.catalog.models import ListKind, ServiceGuide
from sanxiang.errors import Forbidden, InvalidInput
from sanxiang.portal import phrasebook
from sanxiang.portal.models import PhrasebookVersion
from sanxiang.portal.services import phrasebook_publish
from sanxiang.review import flow
from sanxiang.review.models import ReviewRound
from sanxiang.rules.selectors import rule_for

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 1)
FOOD = GUIDES[0]  # 食品经营许可


def _licensing_matter(agency, actor, entry=FOOD):
    catalog.entry_publish(
        actor=actor,
        kind=ListKind.ITEMS,
        agency=agency,
        data=entry["matter"],
        effective_from=START,
        reason="首次公布",
    )


def _guide(agency, actor, entry=FOOD, **over):
    data = {**copy.deepcopy(entry["guide"]), **over}
    return service_guide_publish(
        actor=actor,
        agency=agency,
        code=entry["matter"]["code"],
        data=data,
        effective_from=START,
        reason="首次公布",
    )


def test_the_guide_of_a_licensing_matter_lists_every_item_of_article_15(client, agency_a, head_a):
    # 《松原市行政执法公示办法》第十五条: 名称、依据、受理机构、审批机构、许可条件、申请材料清单含示范文本和常见错误示例、
    # 办理流程、办理时限、证照发放、表格下载方式、监督检查、咨询渠道、投诉举报、办公时间、办公地址、办公电话、状态查询
    _licensing_matter(agency_a, head_a)
    _guide(agency_a, head_a)
    page = client.get(reverse("portal:agency_guide", args=[agency_a.public_id, "XK-SP-001"]))
    html = page.content.decode()
    assert page.status_code == 200
    for label in (
        "事项名称",
        "设定依据",
        "受理机构",
        "审批机构",
        "许可条件",
        "申请材料清单",
        "常见错误示例",
        "办理流程",
        "办理时限",
        "证照发放",
        "表格下载方式",
        "监督检查",
        "咨询渠道",
        "投诉举报",
        "办公时间",
        "办公地址",
        "办公电话",
        "状态查询",
        "收费标准",
    ):
        assert label in html, label
    assert "《中华人民共和国食品安全法》第三十五条" in html
    assert reverse("documents:progress") in html
    # the statutory period from the rules registry (行政许可法 第四十二条), the promised one from the 事项清单
    period = rule_for("licensing.decision.period", region=agency_a.region_code, on=timezone.localdate())
    assert period.display_value in html and period.citation in html
    assert "10个工作日" in html
    # 办理流程 runs in order to 归档; 不予受理 is another way an application ends, not a step after 归档
    process = html.split('id="process">')[1].split("</ol>")[0]
    assert process.rstrip().endswith("<li>归档</li>")
    assert "不予受理" not in process and "其他办结情形：不予受理" in html
    # every material has its 示范文本 and its 常见错误示例
    for i, material in enumerate(FOOD["guide"]["materials"], 1):
        assert reverse("portal:guide_sample", args=[agency_a.public_id, "XK-SP-001", i]) in html
        assert material["mistakes"][0] in html


def test_the_sample_text_of_a_material_is_a_real_docx_made_from_the_guide(client, agency_a, head_a):
    _licensing_matter(agency_a, head_a)
    _guide(agency_a, head_a)
    response = client.get(reverse("portal:guide_sample", args=[agency_a.public_id, "XK-SP-001", 1]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    material = FOOD["guide"]["materials"][0]
    assert material["sample"]["title"] in text and "示范文本" in text and "常见错误示例" in text
    assert all(m in text for m in material["mistakes"])
    assert "经营项目" in cells and "热食类食品制售、冷食类食品制售" in cells
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37  # GB/T 9704 A4, 天头
    east_asia = (
        doc.paragraphs[1]
        .runs[0]
        ._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    )
    assert east_asia  # the Chinese face is set for East-Asian text, not only for Latin
    assert (
        client.get(reverse("portal:guide_sample", args=[agency_a.public_id, "XK-SP-001", 99])).status_code
        == 404
    )


def test_only_an_on_application_matter_gets_a_guide_and_each_material_needs_a_sample_and_mistakes(
    agency_a, head_a
):
    # 《松原市行政执法公示办法》第十五条: the guide is for 许可 or 服务 matters; 申请材料清单含示范文本和常见错误示例
    penalty = {**FOOD["matter"], "code": "CF-1", "category": "penalty", "name": "某处罚"}
    catalog.entry_publish(
        actor=head_a,
        kind=ListKind.ITEMS,
        agency=agency_a,
        data=penalty,
        effective_from=START,
        reason="首次公布",
    )
    with pytest.raises(InvalidInput) as refused:
        service_guide_publish(
            actor=head_a,
            agency=agency_a,
            code="CF-1",
            data=FOOD["guide"],
            effective_from=START,
            reason="首次公布",
        )
    assert [e.rule for e in refused.value.errors] == ["not_on_application"]
    _licensing_matter(agency_a, head_a)
    bad = copy.deepcopy(FOOD["guide"]["materials"])
    bad[0]["mistakes"] = []
    bad[1]["sample"]["fields"] = []
    with pytest.raises(InvalidInput) as refused:
        _guide(agency_a, head_a, materials=bad, office_phone="")
    fields = {e.field: e for e in refused.value.errors}
    assert set(fields) == {"materials[0].mistakes", "materials[1].sample", "office_phone"}
    assert "第十五条" in fields["materials[0].mistakes"].message


def test_a_changed_guide_is_a_new_version_and_the_same_one_again_changes_nothing(
    client, agency_a, head_a, head_b
):
    _licensing_matter(agency_a, head_a)
    first = _guide(agency_a, head_a)
    again = _guide(agency_a, head_a)
    assert first.created and not again.created and again.guide.pk == first.guide.pk
    second = _guide(agency_a, head_a, fee="不收费（免收工本费）")
    assert second.guide.version == 2 and ServiceGuide.objects.filter(agency=agency_a).count() == 2
    html = client.get(reverse("portal:agency_guide", args=[agency_a.public_id, "XK-SP-001"])).content.decode()
    assert "第2版" in html and "免收工本费" in html
    with pytest.raises(Forbidden):  # agency B's head does not write A's guide
        _guide(agency_a, head_b, fee="收费")


def test_the_demo_publishes_a_guide_for_every_licensing_agency(client):
    from sanxiang.catalog.demo import load_guides
    from sanxiang.demo.registry import AGENCIES, build_registry

    build_registry(today=dt.date(2026, 3, 2), entities=10, out=lambda *a: None)
    load_guides(today=dt.date(2026, 3, 2), out=lambda *a: None)
    from sanxiang.registry.models import Agency

    keyed = {spec.key: Agency.objects.get(name=spec.name) for spec in AGENCIES}
    for entry in GUIDES:
        agency = keyed[entry["agency"]]
        listing = client.get(reverse("portal:agency_guides", args=[agency.public_id])).content.decode()
        assert entry["matter"]["name"] in listing
    for agency in Agency.objects.all():  # every demo agency publishes the five texts
        html = client.get(reverse("portal:agency_texts", args=[agency.public_id])).content.decode()
        for title in (
            "行政执法行为流程图",
            "行政执法服务指南",
            "行政执法规范用语",
            "行政执法文书样本",
            "重大行政执法决定法制审核流程图",
        ):
            assert title in html, (agency.name, title)
    culture = client.get(reverse("portal:agency_guides", args=[keyed["culture"].public_id])).content.decode()
    assert "没有依申请办理的事项" in culture


def test_the_platform_default_phrasebook_is_marked_as_such_until_the_agency_publishes_its_own(
    client, agency_a, head_a, head_b
):
    # 松政办发〔2019〕25号 责任分工方案 一、（二）1: 制定执法规范用语
    url = reverse("portal:agency_phrases", args=[agency_a.public_id])
    html = client.get(url).content.decode()
    assert "平台默认文本" in html and agency_a.name in html
    hearing = rule_for("penalty.hearing.request", region=agency_a.region_code, on=timezone.localdate())
    assert f"收到告知书后{hearing.display_value}内提出" in html  # the period from the registry
    assert "{" not in html.split("<main")[-1]  # no placeholder left
    sections = [{**s, "civil": [*s["civil"], "请您出示营业执照。"]} for s in phrasebook.DEFAULT_SECTIONS]
    with pytest.raises(Forbidden):
        phrasebook_publish(
            actor=head_b,
            agency=agency_a,
            sections=sections,
            source="本局规定",
            effective_from=START,
            reason="修订",
        )
    with pytest.raises(InvalidInput) as refused:
        phrasebook_publish(
            actor=head_a,
            agency=agency_a,
            sections=[{"scene": "送达", "source": "x", "civil": ["请在{penalty.no_such_rule}内签收"]}],
            source="本局规定",
            effective_from=START,
            reason="修订",
        )
    assert refused.value.errors[0].rule == "rule_unknown"
    version = phrasebook_publish(
        actor=head_a,
        agency=agency_a,
        sections=sections,
        source="本局规定",
        effective_from=START,
        reason="结合本局实际修订",
    )
    html = client.get(url).content.decode()
    assert "平台默认文本" not in html and "第1版" in html and "请您出示营业执照。" in html
    with pytest.raises(DatabaseError), transaction.atomic():  # recorded versions are never changed
        PhrasebookVersion.objects.filter(pk=version.pk).update(reason="改")


def test_the_review_flowchart_is_drawn_from_the_table_the_review_services_move_along(client, agency_a):
    # 《松原市重大行政执法决定法制审核办法》第五条至第十三条
    statuses = set(ReviewRound.Status.values)
    assert statuses <= {s.key for s in flow.STAGES}  # every status a round can have is on the chart
    assert {t.source for t in flow.TRANSITIONS} | {t.target for t in flow.TRANSITIONS} == {
        s.key for s in flow.STAGES
    }
    html = client.get(reverse("portal:agency_review_flow", args=[agency_a.public_id])).content.decode()
    for s in flow.STAGES:
        assert f'data-stage="{s.key}"' in html
    for t in flow.TRANSITIONS:
        assert f'data-transition="{t.key}"' in html
    period = rule_for("review.period", region=agency_a.region_code, on=timezone.localdate())
    assert period.display_value in html
    passed = ReviewRound(status=ReviewRound.Status.PASSED)
    with pytest.raises(flow.FlowViolation):  # no move the chart does not show
        flow.move(passed, ReviewRound.Status.REVIEWING)


def test_the_agency_page_links_its_five_texts_with_their_update_dates(client, agency_a, head_a):
    _licensing_matter(agency_a, head_a)
    guide = _guide(agency_a, head_a).guide
    detail = client.get(reverse("portal:agency_detail", args=[agency_a.public_id])).content.decode()
    assert reverse("portal:agency_texts", args=[agency_a.public_id]) in detail
    html = client.get(reverse("portal:agency_texts", args=[agency_a.public_id])).content.decode()
    assert f"{timezone.localtime(guide.created_at):%Y-%m-%d}" in html
    assert f"{flow.UPDATED_ON:%Y-%m-%d}" in html and f"{phrasebook.DEFAULT_UPDATED_ON:%Y-%m-%d}" in html
    assert reverse("documents:samples") in html and reverse("procedures:list") in html
    assert "食品经营许可" in html
