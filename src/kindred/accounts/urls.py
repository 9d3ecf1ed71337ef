from django.urls import path

from kindred.accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/my-data/", views.export_data, name="export-data"),
    path("settings/delete/", views.delete_account_page, name="delete"),
    path("settings/delete/confirm/", views.delete_account, name="delete-confirm"),
    path("mfa-required/", views.mfa_required, name="mfa-required"),
]
