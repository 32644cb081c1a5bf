from django.urls import path

from certification.api import CertificateDetail, CertificateList

urlpatterns = [
    path("certifications/", CertificateList.as_view(), name="api_certification_list"),
    path("certifications/<int:pk>/", CertificateDetail.as_view(), name="api_certification_detail"),
]
