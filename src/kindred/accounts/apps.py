from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kindred.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Forget cached MFA decisions wherever roles or authenticators change (management
        # commands and task workers too), not only in processes that serve requests.
        from kindred.accounts import middleware

        middleware.watch_required_relations()
