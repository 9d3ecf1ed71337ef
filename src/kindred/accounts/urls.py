from django.urls import path

from kindred.accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("mfa-required/", views.mfa_required, name="mfa-required"),
]
