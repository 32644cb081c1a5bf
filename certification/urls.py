from django.urls import path

from certification import views

app_name = "certification"
urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
]
