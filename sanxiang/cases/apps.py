from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sanxiang.cases"
    label = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from sanxiang.accounts.selectors import register_work
        from sanxiang.cases.selectors import work_items

        register_work("cases", work_items)
        from sanxiang.cases.deadlines import refresh_for_calendar
        from sanxiang.workdays.tracking import register_recompute_listener

        # a calendar change moves the case deadlines counted in working days (CaseDeadline rows)
        register_recompute_listener("cases", refresh_for_calendar)
