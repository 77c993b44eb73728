from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "sanxiang.rules"
    label = "rules"
    verbose_name = "执法规则"

    def ready(self) -> None:
        # The registry (a lower app) reports reviewer staffing against the rules of each agency's region.
        from sanxiang.registry.services import register_reviewer_requirement
        from sanxiang.rules.selectors import reviewer_requirement

        register_reviewer_requirement(reviewer_requirement)
