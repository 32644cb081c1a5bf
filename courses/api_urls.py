from django.urls import path

from courses import api

urlpatterns = [
    path("enrolments/", api.EnrolmentList.as_view(), name="api_enrolments"),
    path("enrolments/<int:pk>/", api.EnrolmentDetail.as_view(), name="api_enrolment_detail"),
]
