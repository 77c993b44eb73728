"""The privacy stress set of issue 10 §15: invented people and many written forms of every kind of
personal data. ``FORMS`` is a list of :class:`Form` — the kind, the sentence a decision's facts
contain, and the secret that must not reach any public surface. Used by the test named after 10.15
(``test_10_15_privacy_stress.py``) and by ``benches/privacy_stress.py`` (share caught, before/after).

Every person, number and address here is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanxiang.registry.validators import id_number_check_digit


def _id(first17: str) -> str:
    return first17 + id_number_check_digit(first17)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# The natural person party of the first decision (known to the case: structured data).
PERSON_NAME = "司马文杰"
PERSON_ID = _id("22070219850709123")
PERSON_PHONE = "13843812345"
PERSON_ADDRESS = "吉林省松原市宁江区建设街道幸福小区3栋2单元501室"
# The complainant of that case (投诉举报人 and contact, known to the case).
REPORTER_NAME = "贺兰芳"
REPORTER_PHONE = "15904381234"
REPORTER_EMAIL = "helanfang2020@qq.com"
# The operator of the 个体工商户 of the second decision: a minority name, and the home the shop is in.
OPERATOR_NAME = "阿依古丽·买买提"
SHOP_NAME = "宁江区阿依古丽风味小吃部"
SHOP_ADDRESS = "松原市宁江区民主街道团结路18号"
# A driver's 从业资格证 whose number is the holder's ID number (the licence's 许可编号).
HOLDER_ID = _id("22072119900315456")
OTHER_ID = _id("22070220010101002")
OLD_ID = "220702850709123"  # a 15-digit number of the first generation


@dataclass(frozen=True)
class Form:
    kind: str
    text: str  # the sentence in the decision's facts
    secret: str  # what must not appear on any public surface


def _spaced(number: str, groups: tuple[int, ...], sep: str) -> str:
    out, i = [], 0
    for g in groups:
        out.append(number[i : i + g])
        i += g
    if i < len(number):
        out.append(number[i:])
    return sep.join(out)


FORMS: list[Form] = [
    # --- the known party's name in every written form
    Form("known_name", f"当事人{PERSON_NAME}在其经营场所销售过期食品", PERSON_NAME),
    Form("known_name", "经查司 马 文 杰本人到场", "司 马 文 杰"),
    Form("known_name", "当事人司马\u3000文杰签字确认", "司马\u3000文杰"),
    Form("known_name", "文杰承认上述事实", "文杰"),
    Form("known_name", "其外文签名为Sima Wenjie", "Sima Wenjie"),
    Form("known_name", "护照姓名 SIMA WEN-JIE", "SIMA WEN-JIE"),
    Form("known_name", "英文名Wenjie Sima", "Wenjie Sima"),
    Form("known_name", "网名simawenjie", "simawenjie"),
    Form("known_name", "签名缩写 Sima W.J.", "Sima W.J."),
    Form("known_name", "询问笔录中记作司马某杰", "司马某杰"),
    # --- the complainant (known to the case, not a party)
    Form("known_person", f"投诉举报人{REPORTER_NAME}反映", REPORTER_NAME),
    Form("known_person", "经与贺 兰 芳核实", "贺 兰 芳"),
    Form("known_person", "He Lanfang称其购买的牛奶已过期", "He Lanfang"),
    Form("known_person", f"联系电话{REPORTER_PHONE}", REPORTER_PHONE),
    Form("known_person", f"来信邮箱{REPORTER_EMAIL}", REPORTER_EMAIL),
    # --- a minority name, with or without its dot
    Form("minority_name", f"经营者{OPERATOR_NAME}", OPERATOR_NAME),
    Form("minority_name", "经营者阿依古丽买买提", "阿依古丽买买提"),
    Form("minority_name", "阿依古丽.买买提签字", "阿依古丽.买买提"),
    Form("minority_name", "阿依古丽•买买提到场", "阿依古丽•买买提"),
    Form("minority_name", "阿依古丽 买买提拒绝签字", "阿依古丽 买买提"),
    Form("minority_name", "阿依古丽・买买提称", "阿依古丽・买买提"),
    Form("minority_name", "阿依古丽-买买提经营", "阿依古丽-买买提"),
    # --- other natural persons nobody entered: named in the facts only
    Form("other_person", "投诉人王秀英称其在该店购买的牛奶已过期", "王秀英"),
    Form("other_person", "当事人与其妻刘桂芳共同经营", "刘桂芳"),
    Form("other_person", "证人钱卫东到场作证", "钱卫东"),
    Form("other_person", "未成年人李小明在店内购买香烟", "李小明"),
    Form("other_person", "店员孙一帆负责收银", "孙一帆"),
    Form("other_person", "其子张浩然在场", "张浩然"),
    Form("other_person", "消费者周丽娟购买后腹泻就医", "周丽娟"),
    Form("other_person", "举报人欧阳娜娜提供了购物小票", "欧阳娜娜"),
    # --- birthdays
    Form("birth_date", "该未成年人出生于2010年1月1日", "2010年1月1日"),
    Form("birth_date", "其子出生日期：2012-05-06", "2012-05-06"),
    Form("birth_date", "证人生于1978年3月", "1978年3月"),
    Form("birth_date", "生日为2009/12/31", "2009/12/31"),
    Form("birth_date", "出生于 2011 年 7 月 8 日", "2011 年 7 月 8 日"),
    # --- ID numbers in every form
    Form("id_number", f"身份证号{PERSON_ID}", PERSON_ID),
    Form("id_number", f"身份证 {_spaced(PERSON_ID, (6, 8), ' ')}", _spaced(PERSON_ID, (6, 8), " ")),
    Form("id_number", f"证件号码{_spaced(OTHER_ID, (6, 8), '-')}", _spaced(OTHER_ID, (6, 8), "-")),
    Form("id_number", f"公民身份号码{_fullwidth(OTHER_ID)}", _fullwidth(OTHER_ID)),
    Form("id_number", f"其妻身份证{_id('22070219870202222')[:-1]}x", _id("22070219870202222")[:-1] + "x"),
    Form("id_number", f"旧身份证号{OLD_ID}", OLD_ID),
    Form(
        "id_number",
        f"身份证号：{_spaced(HOLDER_ID, (3, 3, 4, 4), ' ')}",
        _spaced(HOLDER_ID, (3, 3, 4, 4), " "),
    ),
    Form("id_number", f"从业资格证号JY{HOLDER_ID}", HOLDER_ID),
    # --- phone numbers in every format
    Form("phone", "手机13912345678", "13912345678"),
    Form("phone", "手机139-1234-5678", "139-1234-5678"),
    Form("phone", "手机 139 1234 5678", "139 1234 5678"),
    Form("phone", "电话+86 139 1234 5679", "139 1234 5679"),
    Form("phone", "电话0086-13912345670", "13912345670"),
    Form("phone", "座机（0438）6123456", "6123456"),
    Form("phone", "座机0438-61234567", "61234567"),
    Form("phone", f"手机{_fullwidth('13612349876')}", _fullwidth("13612349876")),
    Form("phone", "联系电话：6234567", "6234567"),
    Form("phone", "电话(0438)7654321转8", "7654321"),
    # --- bank accounts
    Form("bank_account", "收款账户6222021234567890123", "6222021234567890123"),
    Form("bank_account", "银行卡号6222 0212 3456 7890 124", "6222 0212 3456 7890 124"),
    Form("bank_account", "转账至6217-0000-1234-5678", "6217-0000-1234-5678"),
    Form("bank_account", "账号：0701234567890123", "0701234567890123"),
    Form("bank_account", "对公账户 2207012345678", "2207012345678"),
    Form("bank_account", f"卡号{_fullwidth('6228481234567890')}", _fullwidth("6228481234567890")),
    # --- licence plates
    Form("plate", "驾驶吉A12345号小型汽车", "吉A12345"),
    Form("plate", "车牌号吉A·D1234", "吉A·D1234"),
    Form("plate", "吉J 56789号货车", "吉J 56789"),
    Form("plate", "新能源车吉AD12345", "吉AD12345"),
    Form("plate", "教练车吉a-1234学", "吉a-1234学"),
    Form(
        "plate", f"外地车辆{_fullwidth('京B56789')}", _fullwidth("京B56789").replace(_fullwidth("京"), "京")
    ),
    # --- e-mail
    Form("email", "邮箱zhang.san+shop@163.com", "zhang.san+shop@163.com"),
    Form("email", "电子邮件 WANGXIU@SINA.COM.CN", "WANGXIU@SINA.COM.CN"),
    Form("email", "邮箱liu_gf＠126.com", "liu_gf＠126.com"),
    Form("email", "邮箱 qianwd @ qq.com", "qianwd @ qq.com"),
    Form("email", "邮箱sunyf[at]foxmail.com", "sunyf[at]foxmail.com"),
    # --- messaging ids
    Form("messenger", "微信号：zsf_1980", "zsf_1980"),
    Form("messenger", "微信wxid_8k2j3h4g5f", "wxid_8k2j3h4g5f"),
    Form("messenger", "VX: shop-88888", "shop-88888"),
    Form("messenger", "QQ：12345678", "12345678"),
    Form("messenger", "QQ号 987654321", "987654321"),
    Form("messenger", "qq:55667788", "55667788"),
    Form("messenger", "通过扣扣号 44556677 联系", "44556677"),
    # --- 通行证 and passports
    Form("travel_document", "港澳通行证C12345678", "C12345678"),
    Form("travel_document", "往来港澳通行证号码：W87654321", "W87654321"),
    Form("travel_document", "护照号E23456789", "E23456789"),
    Form("travel_document", "护照 EA1234567", "EA1234567"),
    Form("travel_document", "台湾居民来往大陆通行证号码 01234567", "01234567"),
    Form("travel_document", "回乡证H98765432", "H98765432"),
    # --- addresses introduced by many words (and none)
    Form("address", "家住宁江区伯都乡伯都村5组", "伯都村5组"),
    Form("address", "住址：扶余市三岔河镇光明街28号", "光明街28号"),
    Form("address", "居住于前郭县平凤乡新庙村", "新庙村"),
    Form("address", "现住宁江区繁荣街道锦绣家园7号楼3单元602室", "锦绣家园"),
    Form("address", "户籍地：乾安县安字镇建设路9号", "建设路9号"),
    Form("address", "暂住于长岭县太平川镇兴隆街66号", "兴隆街66号"),
    Form("address", "租住在宁江区沿江街道江畔小区2栋1单元101室", "江畔小区"),
    Form("address", "家庭住址为宁江区临江街道和平路108号", "和平路108号"),
    Form("address", "其母住在前郭县长山镇胜利村3组", "胜利村3组"),
    Form("address", "户籍所在地 宁江区大洼镇大洼村", "大洼村"),
    Form("address", "送达至其家中：松江小区12栋4单元302室", "松江小区12栋"),
    Form("address", "住址宁江区建设街道幸福小区3栋2单元501室", "幸福小区"),
    # --- the 个体工商户's premises that are the operator's home
    Form("premises", f"经营场所位于{SHOP_ADDRESS}", "团结路18号"),
    Form("premises", "其经营地址为宁江区民主街道团结路18号", "团结路18号"),
    Form("premises", "在民主街道团结路18号的店内", "团结路18号"),
    Form("premises", "营业场所：松原市宁江区团结路18号", "团结路18号"),
    Form("premises", "店址团结路18号（即其住宅）", "团结路18号"),
]

KINDS = sorted({f.kind for f in FORMS})


def facts_by_kind() -> dict[str, str]:
    """The facts of one decision per kind: every sentence of that kind, in one text."""
    out: dict[str, list[str]] = {}
    for form in FORMS:
        out.setdefault(form.kind, []).append(form.text)
    return {kind: "；".join(texts) + "。" for kind, texts in out.items()}


# Forms written after the redactor was built and never tuned against (the bench reports them apart;
# the test does not assert them): an honest estimate for text written differently.
HELD_OUT: list[Form] = [
    Form("other_person", "经调查，韩梅梅与当事人系朋友关系", "韩梅梅"),
    Form("other_person", "由驾驶员邓建华驾驶车辆运输", "邓建华"),
    Form("other_person", "经现场负责人于卫国确认", "于卫国"),
    Form("other_person", "货款由黄志强收取", "黄志强"),
    Form("other_person", "据目击者称，马丽丽当时在场", "马丽丽"),
    Form("id_number", f"持有身份证（号码：{_id('22072319750823551')}）", _id("22072319750823551")),
    Form("phone", "可拨打 138.4381.2222 联系", "138.4381.2222"),
    Form("phone", "客服电话：0438－6667777", "6667777"),
    Form("bank_account", "通过尾号为8888的银行卡6230 5200 1234 8888支付", "6230 5200 1234 8888"),
    Form("plate", "涉案车辆号牌为蒙D·A2345", "蒙D·A2345"),
    Form("email", "发送至邮箱：LiuJia-88@outlook.com", "LiuJia-88@outlook.com"),
    Form("messenger", "添加其微信（ID：jiahe_2019）后交易", "jiahe_2019"),
    Form("travel_document", "出示护照（No. G12345678）", "G12345678"),
    Form("address", "该人员居住地址为宁江区铁西街道南京路59号", "南京路59号"),
    Form("address", "当事人住宁江区善友镇红旗村2组", "红旗村2组"),
    Form("birth_date", "李某某（2008年6月1日出生）", "2008年6月1日"),
]


# Sentences of a decision's facts with no personal data: the redactor must leave them as they are
# (the bench reports how many it changed, for precision). Organisations, places, products, dates,
# amounts and citations are public in a 双公示 item.
CLEAN: list[str] = [
    "当事人松原市宁江区鑫盛食品有限公司于2025年3月12日销售超过保质期的食品",
    "该批产品生产日期为2024年11月3日，保质期12个月",
    "本决定自2025年6月1日生效",
    "依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项的规定",
    "没收违法所得人民币3200元，并处罚款人民币50000元",
    "执法人员于2025年4月8日对当事人经营场所进行现场检查",
    "经查，当事人共购进该产品120箱，已售出86箱",
    "吉林省松原市市场监督管理局宁江分局作出本决定",
    "当事人应当自收到本决定书之日起十五日内缴纳罚款",
    "如不服本决定，可以在六十日内向松原市人民政府申请行政复议",
    "涉案产品为康师傅红烧牛肉面，规格105克/袋",
    "检验报告编号为JL2025-0413，检验结论为不合格",
    "当事人系个体工商户以外的企业法人，统一社会信用代码已在登记机关公示",
    "2025年5月20日发生的事故造成直接经济损失约两万元",
    "现场检查笔录、询问笔录及抽样检验报告等证据在案佐证",
    "当事人在规定期限内未提出陈述、申辩意见，亦未要求听证",
    "本案经负责人集体讨论决定",
    "违法行为持续时间为2024年12月1日至2025年2月28日",
    "该店铺位于宁江区商业步行街，经营面积约60平方米",
    "当事人主动消除违法行为危害后果，依法予以从轻处罚",
    "抽样单编号SC25220700012，抽样基数200件",
    "根据《吉林省市场监督管理行政处罚裁量权适用规则》第十二条",
    "经营者应当在醒目位置公示营业执照",
    "松原市交通运输综合行政执法支队于2025年7月2日立案调查",
    "车辆道路运输证已于2025年1月31日有效期届满",
    "当事人已于2025年8月15日改正违法行为并缴清罚款",
    "超限运输车辆货物总重49.5吨，超过限值4.5吨",
    "华为手机维修服务中心未明码标价",
    "经营的白酒未标注生产许可证编号",
    "该公司法定代表人到场接受询问并在笔录上签字确认",
]
