from django.urls import path

from families import views

app_name = "families"
urlpatterns = [
    path("<int:pk>/", views.family_detail, name="detail"),
    path("<int:pk>/withdraw/", views.family_withdraw, name="withdraw"),
    path("<int:pk>/forms/", views.signed_form_upload, name="form_upload"),
    path("forms/<int:pk>/", views.signed_form_download, name="form_download"),
]
