from django.urls import path

from sanxiang.assist import views

app_name = "assist"

urlpatterns = [
    path("laws/", views.law_list, name="laws"),
    path("laws/<str:title>/", views.law_detail, name="law"),
    path("laws/<str:title>/<int:number>/", views.article_detail, name="article"),
    path("staff/assist/cases/<uuid:case_id>/", views.case_assist, name="case"),
    path("staff/assist/cases/<uuid:case_id>/suggest/", views.case_suggest, name="suggest"),
    path("staff/assist/cases/<uuid:case_id>/choose/", views.case_choose, name="choose"),
    path("staff/assist/cases/<uuid:case_id>/check/", views.case_check, name="check"),
    path(
        "staff/assist/cases/<uuid:case_id>/checks/<uuid:check_id>/explain/",
        views.check_explain,
        name="explain",
    ),
    path("staff/assist/cases/<uuid:case_id>/draft/", views.case_draft, name="draft"),
    path("staff/assist/cases/<uuid:case_id>/draft.docx", views.case_draft_docx, name="draft_docx"),
    path("staff/assist/duplicates/", views.duplicates, name="duplicates"),
]
