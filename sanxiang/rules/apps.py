from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "sanxiang.rules"
    label = "rules"
    verbose_name = "执法规则"
