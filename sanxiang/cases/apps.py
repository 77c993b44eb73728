from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sanxiang.cases"
    label = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from sanxiang.accounts.selectors import register_work
        from sanxiang.cases.selectors import work_items

        register_work("cases", work_items)
