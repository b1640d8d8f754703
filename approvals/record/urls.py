"""Pages of the record: documents, exports, reports, who is abroad now, the audit log."""

from django.urls import path

from approvals.record import audit_log as audit_log
from approvals.record import round_views as round_views
from approvals.record import signatures as signatures
from approvals.record import views as views

urlpatterns = [
    path("van-ban/", views.document_list, name="document_list"),
    path("van-ban/<int:pk>/tai-ve/", views.document_download, name="document_download"),
    path("van-ban/<int:pk>/vao-so/", views.document_number_enter, name="document_number_enter"),
    path("van-ban/<int:pk>/", signatures.document_detail, name="document_detail"),
    path(
        "van-ban/<int:pk>/ban-ky/", signatures.document_signing_file, name="document_signing_file"
    ),
    path(
        "van-ban/<int:pk>/ky-so-co-quan/",
        signatures.document_sign_organisation,
        name="document_sign_organisation",
    ),
    path(
        "van-ban/<int:pk>/tai-len-ban-da-ky/",
        signatures.document_signature_upload,
        name="document_signature_upload",
    ),
    path("xuat-du-lieu/", views.export_list, name="export_list"),
    path("bao-cao/", views.report_dashboard, name="report_dashboard"),
    path("bao-cao/nam/", views.report_annual, name="report_annual"),
    path("bao-cao/dot/", round_views.round_list, name="reporting_rounds"),
    path("bao-cao/dot/<int:pk>/", round_views.round_detail, name="reporting_round_detail"),
    path(
        "bao-cao/dot/<int:pk>/tong-hop.<str:fmt>",
        round_views.round_export,
        name="reporting_round_export",
    ),
    path("bao-cao/dot/<int:pk>/mau/", round_views.round_template, name="reporting_round_template"),
    path("bao-cao/don-vi/<int:pk>/", round_views.unit_report_detail, name="unit_report_detail"),
    path("dang-o-nuoc-ngoai/", views.abroad_now_page, name="abroad_now"),
    path("nhat-ky/", audit_log.audit_log, name="audit_log"),
    path("nhat-ky/kiem-tra/", audit_log.audit_verify, name="audit_verify"),
]
