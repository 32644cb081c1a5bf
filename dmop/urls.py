from django.urls import path

from dmop import views

app_name = "dmop"
urlpatterns = [
    path("", views.family_list, name="family_list"),
    path("families/new/", views.family_new, name="family_new"),
    path("families/<int:pk>/", views.family_detail, name="family_detail"),
    path("families/<int:pk>/contact-moments/new/", views.contact_moment_new, name="contact_moment_new"),
    path(
        "families/<int:pk>/contact-moments/<int:moment_pk>/",
        views.contact_moment_detail,
        name="contact_moment_detail",
    ),
    path(
        "families/<int:pk>/contact-moments/<int:moment_pk>/correct/",
        views.contact_moment_correct,
        name="contact_moment_correct",
    ),
    path("families/<int:pk>/plan-actions/<int:action_pk>/", views.plan_action_edit, name="plan_action_edit"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/curve.csv", views.monitoring_curve_csv, name="monitoring_curve_csv"),
    path("sociale-kaart/", views.partner_list, name="partner_list"),
    path("sociale-kaart/new/", views.partner_new, name="partner_new"),
    path("sociale-kaart/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("sociale-kaart/<int:pk>/delete/", views.partner_delete, name="partner_delete"),
]
