from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sanxiang.catalog"
    label = "catalog"
    verbose_name = "执法清单"

    def ready(self) -> None:
        from sanxiang.catalog.models import LawChange
        from sanxiang.workdays.tracking import register_deadline_model

        # a calendar change (holiday data published later) recomputes the 20-working-day due dates
        register_deadline_model(LawChange)
