"""Partnerships and survey rounds, network health and the graph view, and CSV imports."""

from django.urls import path

from kindred.network.views import health, imports, partnerships

urlpatterns = [
    # Partnerships between organizations
    path(
        "organizations/<slug:slug>/partners/",
        partnerships.organization_partners,
        name="organization-partners",
    ),
    path(
        "organizations/<slug:slug>/partners/new/",
        partnerships.partnership_create,
        name="partnership-create",
    ),
    path("partnerships/<int:pk>/", partnerships.partnership_detail, name="partnership"),
    path("partnerships/<int:pk>/edit/", partnerships.partnership_edit, name="partnership-edit"),
    path("partnerships/<int:pk>/end/", partnerships.partnership_end, name="partnership-end"),
    path(
        "partnerships/<int:pk>/rate/<slug:slug>/",
        partnerships.partnership_rate,
        name="partnership-rate",
    ),
    # Partnership survey rounds
    path("communities/<slug:slug>/surveys/", partnerships.survey_list, name="survey-list"),
    path("communities/<slug:slug>/surveys/new/", partnerships.survey_create, name="survey-create"),
    path("surveys/<int:pk>/", partnerships.survey_detail, name="survey"),
    path("surveys/<int:pk>/close/", partnerships.survey_close, name="survey-close"),
    # Network map and health
    path("health/", health.health, name="health"),
    path("health/graph/", health.graph, name="graph"),
    path("health/recompute/", health.health_recompute, name="health-recompute"),
    path("health/states/<str:usps>/", health.health_state, name="health-state"),
    path("health/states/<str:usps>/graph/", health.graph_state, name="graph-state"),
    path("health/communities/<slug:slug>/", health.health_community, name="health-community"),
    path("health/communities/<slug:slug>/graph/", health.graph_community, name="graph-community"),
    # Import from CSV
    path("import/", imports.import_upload, name="import"),
    path("import/<str:token>/", imports.import_map, name="import-map"),
    path("import/<str:token>/preview/", imports.import_preview, name="import-preview"),
    path("import/<str:token>/confirm/", imports.import_confirm, name="import-confirm"),
]
