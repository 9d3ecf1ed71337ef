from django.urls import path

from kindred.policy import views
from kindred.policy.feeds import StatusChangeFeed

app_name = "policy"

urlpatterns = [
    path("", views.index, name="index"),
    path("matrix/", views.matrix, name="matrix"),
    path("map/<slug:topic>/", views.topic_map, name="map"),
    path("feed.atom", StatusChangeFeed(), name="feed"),
    path("hearings.ics", views.hearings_ics, name="hearings-ics"),
    path("new/", views.policy_new, name="policy-new"),
    path("p/<slug:slug>/", views.policy_detail, name="policy"),
    path("p/<slug:slug>/edit/", views.policy_edit, name="policy-edit"),
    path("p/<slug:slug>/status/", views.record_status, name="policy-status"),
    path("alerts/", views.subscribe, name="subscribe"),
    path("alerts/<str:token>/", views.subscription_manage, name="subscription"),
    path("alerts/<str:token>/confirm/", views.subscription_confirm, name="subscription-confirm"),
    path("actions/", views.action_list, name="actions"),
    # Before actions/<slug>/, which would take "new" for a slug.
    path("actions/new/", views.action_new, name="action-new"),
    path("actions/<slug:slug>/", views.action_detail, name="action"),
    path("actions/<slug:slug>/thanks/", views.action_thanks, name="action-thanks"),
    path("actions/<slug:slug>/manage/", views.action_manage, name="action-manage"),
    path("actions/<slug:slug>/edit/", views.action_edit, name="action-edit"),
    path("actions/<slug:slug>/status/", views.action_status, name="action-status"),
    path("actions/<slug:slug>/deliver/", views.action_deliver, name="action-deliver"),
    path(
        "actions/<slug:slug>/export.<str:file_format>",
        views.action_export,
        name="action-export",
    ),
    path("exports/<uuid:progress_id>/", views.export_download, name="export-download"),
    path("officials/import/", views.officials_import, name="officials-import"),
]
