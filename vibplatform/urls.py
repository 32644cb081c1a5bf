from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from certification import views as certification_views
from organisations import views as organisation_views
from organisations.forms import EmailLoginForm
from vibplatform.health import healthz

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=EmailLoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The link in a new member of staff's invitation: set a first password (single use, expires).
    path(
        "welcome/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="organisations/set_password.html", success_url="/login/"
        ),
        name="password_set",
    ),
    path("two-factor/", organisation_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", organisation_views.two_factor_setup, name="two_factor_setup"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("organisations/", include("organisations.urls")),
    path("courses/", include("courses.urls")),
    path("recordings/", include("recordings.urls")),
    path("uploads/", include("uploads.urls")),
    path("annotations/", include("annotations.urls")),
    path("certification/", include("certification.urls")),
    path("verify/<str:code>/", certification_views.verify, name="verify"),
    path("dmop/", include("dmop.urls")),
    path("notifications/", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    path("api/", include("vibplatform.api_urls")),
]
