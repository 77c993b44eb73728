"""Demo: the statutes the demo matters cite, the similar-case index of the demo decisions, and one
类案同罚 check of a proposal far above its similar cases (so the warning and the supervisor's list of
flagged checks have something to show)."""

from __future__ import annotations

import datetime as dt

from sanxiang.demo import register_step


@register_step("法律法规与相似案例索引")
def load(*, today: dt.date, out) -> None:
    from sanxiang.accounts.models import User
    from sanxiang.assist import index, services
    from sanxiang.assist.models import ConsistencyCheck
    from sanxiang.cases import discretion
    from sanxiang.cases.demo import FOOD, MATTERS
    from sanxiang.cases.models import Case

    services.statutes_import_shipped(actor=None)
    index.rebuild_all()
    officer = User.objects.filter(username="officer").first()
    case = Case.objects.filter(matter_code=MATTERS[FOOD[0][0]], stage="notice").order_by("-pk").first()
    if case is None or officer is None or ConsistencyCheck.objects.filter(case=case).exists():
        return
    check = discretion.compare_case(case)
    if check is None or check.applied is None:
        return
    result = services.consistency_check(
        actor=officer,
        case=case,
        matter_code=case.matter_code,
        level=check.applied.level,
        proposed=check.fine,
    )
    flagged = "明显偏离" if result.flagged else "未偏离"
    out(f"  类案同罚比对：{case.number} 拟罚款{check.fine:,.0f}元，{result.count}件类案，{flagged}")
