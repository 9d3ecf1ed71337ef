from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "kindred.network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from kindred.network import signals

        signals.connect()
