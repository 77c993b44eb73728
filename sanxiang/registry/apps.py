from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sanxiang.registry"
    label = "registry"
    verbose_name = "名录库"
