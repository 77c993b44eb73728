from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "sanxiang.assist"
    label = "assist"
    verbose_name = "智能辅助"

    def ready(self) -> None:
        from sanxiang.accounts.selectors import register_work
        from sanxiang.assist import index, panels
        from sanxiang.cases import decisions
        from sanxiang.cases import panels as case_panels

        # every final decision enters the similar-case index in the transaction that makes it
        decisions.register_decision_hook("assist", index.index_decision)
        decisions.register_correction_hook("assist", index.index_corrected)
        # the case page links the officer's assistance and shows the last 类案同罚 check (the legal
        # reviewer sees it there beside 执行裁量基准是否适当); the supervisor's home lists flagged checks
        case_panels.register_case_panel("assist", panels.case_panel)
        register_work("assist", panels.flagged_work)
        # the drafted decision fills the case's record form (the officer edits it and saves it)
        from sanxiang.assist import drafts
        from sanxiang.cases import prefill

        prefill.register_provider(drafts.PROVIDER, drafts.PREFILL)
