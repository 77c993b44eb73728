from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "sanxiang.supervision"
    label = "supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        from sanxiang.accounts.selectors import register_work
        from sanxiang.supervision.selectors import alert_work_items

        register_work("supervision", alert_work_items)
