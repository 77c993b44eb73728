from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "sanxiang.disclosure"
    label = "disclosure"
    verbose_name = "行政执法公示"

    def ready(self) -> None:
        from sanxiang.cases import decisions
        from sanxiang.disclosure.decisions import duties_corrected, duties_from_decision, duties_withdrawn
        from sanxiang.disclosure.models import CorrectionRequest, Duty, WithdrawalOrder
        from sanxiang.workdays.tracking import register_deadline_model

        # a calendar change (holiday data published later) recomputes the stored due dates
        register_deadline_model(Duty)
        register_deadline_model(WithdrawalOrder)
        register_deadline_model(CorrectionRequest)
        # every decided case creates its disclosure duty (《松原市行政执法公示办法》第十六条、第二十一条)
        decisions.register_decision_hook("disclosure", duties_from_decision)
        # a corrected decision document reaches its duties (公示办法 第三十、三十一条); a changed, revoked
        # or annulled decision is withdrawn within 3 working days (行政处罚法 第四十八条)
        decisions.register_correction_hook("disclosure", duties_corrected)
        decisions.register_change_hook("disclosure", duties_withdrawn)
        # the case page shows the case's duties with their periods and sources
        from sanxiang.cases.panels import register_case_panel
        from sanxiang.disclosure.panels import disclosure_panel

        register_case_panel("disclosure", disclosure_panel)
        from sanxiang.accounts.selectors import register_work
        from sanxiang.disclosure.selectors import disclosure_work

        register_work("disclosure", disclosure_work)
