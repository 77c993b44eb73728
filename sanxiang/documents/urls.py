from django.urls import path

from sanxiang.documents import views

app_name = "documents"

urlpatterns = [
    path("staff/documents/case/<uuid:case_id>/", views.case_documents, name="case"),
    path("staff/documents/case/<uuid:case_id>/preview/<slug:kind>/", views.preview, name="preview"),
    path("staff/documents/case/<uuid:case_id>/generate/<slug:kind>/", views.generate, name="generate"),
    path("staff/documents/case/<uuid:case_id>/case-file/", views.case_file, name="case_file"),
    path(
        "staff/documents/case-file/<uuid:file_id>/<str:part>",
        views.case_file_download,
        name="case_file_download",
    ),
    path("staff/documents/<uuid:doc_id>/", views.document_detail, name="detail"),
    path("staff/documents/<uuid:doc_id>/file.<str:fmt>", views.document_file, name="file"),
    path("staff/documents/<uuid:doc_id>/signature/", views.signature, name="signature"),
    path("staff/documents/templates/", views.templates, name="templates"),
    path("staff/documents/templates/<slug:kind>/", views.template_kind, name="template_kind"),
    path(
        "staff/documents/templates/<slug:kind>/<str:version>.docx", views.template_file, name="template_file"
    ),
    path("verify/document/", views.verify, name="verify"),
    path("verify/document/bundle/", views.verify_bundle, name="verify_bundle"),
    path("documents/progress/", views.progress, name="progress"),
    path("documents/samples/", views.samples, name="samples"),
    path("documents/samples/<slug:kind>.docx", views.sample_file, name="sample_file"),
]
