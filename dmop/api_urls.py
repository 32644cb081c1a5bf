from django.urls import path

from dmop import api

# Names are global (the API is not namespaced): every one starts with "dmop-api-".
urlpatterns = [
    path("dmop/families/", api.FamilyListCreate.as_view(), name="dmop-api-family-list"),
    path("dmop/families/<int:pk>/", api.FamilyDetail.as_view(), name="dmop-api-family-detail"),
    path(
        "dmop/families/<int:pk>/contact-moments/",
        api.ContactMomentCreate.as_view(),
        name="dmop-api-contact-moment-create",
    ),
    path(
        "dmop/families/<int:pk>/export.json",
        api.FamilyExportJson.as_view(),
        name="dmop-api-family-export-json",
    ),
    path(
        "dmop/families/<int:pk>/export.csv", api.FamilyExportCsv.as_view(), name="dmop-api-family-export-csv"
    ),
    path(
        "dmop/organisation/export.json",
        api.OrganisationExportJson.as_view(),
        name="dmop-api-organisation-export-json",
    ),
    path(
        "dmop/organisation/export.csv",
        api.OrganisationExportCsv.as_view(),
        name="dmop-api-organisation-export-csv",
    ),
    path("dmop/factors/", api.FactorList.as_view(), name="dmop-api-factor-list"),
    path("dmop/partners/", api.PartnerList.as_view(), name="dmop-api-partner-list"),
]
