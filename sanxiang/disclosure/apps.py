from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "sanxiang.disclosure"
    label = "disclosure"
    verbose_name = "行政执法公示"

    def ready(self) -> None:
        from sanxiang.cases import decisions
        from sanxiang.disclosure.decisions import duties_from_decision
        from sanxiang.disclosure.models import CorrectionRequest, Duty, WithdrawalOrder
        from sanxiang.workdays.tracking import register_deadline_model

        # a calendar change (holiday data published later) recomputes the stored due dates
        register_deadline_model(Duty)
        register_deadline_model(WithdrawalOrder)
        register_deadline_model(CorrectionRequest)
        # every decided case creates its disclosure duty (seed 002 公示办法 第十六、二十一、二十七条)
        decisions.register_decision_hook("disclosure", duties_from_decision)
