from django.urls import path

from certification import views

# The coordinator's overview (certificates with the training behind them) is added under this namespace by
# vibplatform.urls from courses.certification_views: certification does not import courses.
app_name = "certification"
urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/certificate.pdf", views.certificate_pdf_download, name="pdf"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/evidence/<int:evidence_pk>/confirm/", views.evidence_confirm, name="evidence_confirm"),
    path("<int:pk>/renew/", views.certificate_renew, name="renew"),
    path("<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("<int:pk>/reinstate/", views.certificate_reinstate, name="reinstate"),
]
