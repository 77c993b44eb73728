from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "sanxiang.inspections"
    label = "inspections"
    verbose_name = "双随机一公开"
