from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "sanxiang.review"
    label = "review"
    verbose_name = "重大执法决定法制审核"

    def ready(self) -> None:
        from sanxiang.cases import gate, panels
        from sanxiang.review import services
        from sanxiang.review.models import ReviewRound
        from sanxiang.workdays.tracking import register_deadline_model

        # 行政处罚法 第五十八条; 《松原市重大行政执法决定法制审核办法》第四条、第十三条: no major decision without a passed review.
        gate.register_review_check(services.passed_for, services.requested_for)
        register_deadline_model(ReviewRound)
        from sanxiang.review.panels import review_panel

        panels.register_case_panel("review", review_panel)
        from sanxiang.accounts.selectors import WorkItem, register_work
        from sanxiang.review.selectors import work_items

        register_work("review", lambda user: [WorkItem(*item) for item in work_items(user)])
