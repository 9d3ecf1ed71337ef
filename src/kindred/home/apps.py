from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "kindred.home"
    verbose_name = _("Home")

    def ready(self) -> None:
        from kindred.home.state_sections import register

        register()
