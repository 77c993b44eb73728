from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sanxiang.documents"
    label = "documents"
    verbose_name = "执法文书"

    def ready(self) -> None:
        from sanxiang.cases import panels
        from sanxiang.documents.panels import documents_panel

        panels.register_case_panel("documents", documents_panel)
