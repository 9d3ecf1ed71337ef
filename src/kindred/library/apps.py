from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "kindred.library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from kindred.library.sections import upcoming_events
        from kindred.network.sections import register_community_section

        register_community_section(upcoming_events)
