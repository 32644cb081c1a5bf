from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from certification import urls as certification_urls
from certification import views as certification_views
from courses import certification_views as certification_overview_views
from organisations import views as organisation_views
from organisations.forms import EmailLoginForm
from vibplatform import home
from vibplatform.health import healthz

# The certification overview combines certificates and training; its views live in courses (see there).
certification_overview = [
    path("overview/", certification_overview_views.overview, name="overview"),
    path("overview/export.csv", certification_overview_views.overview_export, name="overview_export"),
]

urlpatterns = [
    path("", home.home, name="home"),
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
    path("i18n/setlang/", organisation_views.language_set, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("organisations/", include("organisations.urls")),
    path("courses/", include("courses.urls")),
    path("recordings/", include("recordings.urls")),
    path("families/", include("families.urls")),
    path("uploads/", include("uploads.urls")),
    path("annotations/", include("annotations.urls")),
    path(
        "certification/", include((certification_urls.urlpatterns + certification_overview, "certification"))
    ),
    path("verify/<str:code>/", certification_views.verify, name="verify"),
    path("dmop/", include("dmop.urls")),
    path("notifications/", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    path("api/", include("vibplatform.api_urls")),
]

handler404 = "vibplatform.api_errors.page_not_found"
