from django.urls import path

from courses import cohort_views, views

app_name = "courses"
urlpatterns = [
    path("", views.my_training, name="my_training"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path(
        "enrolments/<int:pk>/requirements/<int:requirement_id>/done/",
        views.study_module_done,
        name="study_module_done",
    ),
    path(
        "enrolments/<int:pk>/requirements/<int:requirement_id>/submit/",
        views.assignment_submit,
        name="assignment_submit",
    ),
    path(
        "enrolments/<int:pk>/requirements/<int:requirement_id>/attendance/",
        views.attendance_register,
        name="attendance_register",
    ),
    path(
        "enrolments/<int:pk>/requirements/<int:requirement_id>/evaluation/",
        views.milestone_record,
        name="milestone_record",
    ),
    path(
        "enrolments/<int:pk>/requirements/<int:requirement_id>/final/",
        views.final_assessment,
        name="final_assessment",
    ),
    path("assignments/<int:evidence_id>/review/", views.assignment_review, name="assignment_review"),
    path("trainees/", views.trainees, name="trainees"),
    path("overview/", views.overview, name="overview"),
    path("overview.csv", views.overview_export, name="overview_export"),
    # The coordinator's cohorts and the trainers' training days
    path("cohorts/", cohort_views.cohort_list, name="cohort_list"),
    path("cohorts/new/", cohort_views.cohort_new, name="cohort_new"),
    path("cohorts/<int:pk>/", cohort_views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/enrol/", cohort_views.cohort_enrol, name="cohort_enrol"),
    path("cohorts/<int:pk>/training-days/new/", cohort_views.training_day_new, name="training_day_new"),
    path("enrolments/<int:pk>/withdraw/", cohort_views.enrolment_withdraw, name="enrolment_withdraw"),
    path("enrolments/<int:pk>/cohort/", cohort_views.enrolment_cohort_change, name="enrolment_cohort_change"),
    path("training-days/", cohort_views.training_days, name="training_days"),
    path("training-days/<int:pk>/", cohort_views.training_day_detail, name="training_day_detail"),
    path(
        "training-days/<int:pk>/attendance/",
        cohort_views.training_day_attendance,
        name="training_day_attendance",
    ),
]
