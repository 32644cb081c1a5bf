from django.urls import path

from organisations import coordinator_views

app_name = "organisations"
urlpatterns = [
    path("", coordinator_views.coordination, name="coordination"),
    path("ncj-contact/", coordinator_views.ncj_contact, name="ncj_contact"),
    path("checklist/<slug:item>/", coordinator_views.implementation_check, name="implementation_check"),
    path("staff/", coordinator_views.staff_list, name="staff_list"),
    path("staff/new/", coordinator_views.staff_new, name="staff_new"),
    path("staff/<int:pk>/", coordinator_views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/deactivate/", coordinator_views.staff_deactivate, name="staff_deactivate"),
    path("staff/<int:pk>/reactivate/", coordinator_views.staff_reactivate, name="staff_reactivate"),
]
