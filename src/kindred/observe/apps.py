from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObserveConfig(AppConfig):
    name = "kindred.observe"
    verbose_name = _("Observe")
