"""Copies the network keeps of other apps' data, kept current by signals."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_init, post_save

_LOADED = "_network_loaded_is_active"


def remember_account_active(sender, instance, **kwargs) -> None:
    # Read from __dict__: a deferred is_active must not cost a query here.
    instance.__dict__[_LOADED] = instance.__dict__.get("is_active")


def sync_account_active(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """Copy ``User.is_active`` to the member profile, which the directory filters on.

    Costs a query only when is_active may have changed on an existing account."""
    if raw or created or (update_fields is not None and "is_active" not in update_fields):
        return
    if instance.__dict__.get(_LOADED) == instance.is_active:
        return
    from kindred.network.models import MemberProfile

    MemberProfile.objects.filter(user_id=instance.pk).exclude(
        account_active=instance.is_active
    ).update(account_active=instance.is_active)
    instance.__dict__[_LOADED] = instance.is_active


def forget_filter_options(sender, **kwargs) -> None:
    """A vocabulary, state or county changed: the directory's drop-downs are built again."""
    from kindred.network.forms import _OPTIONS

    _OPTIONS.clear()


def connect() -> None:
    user = settings.AUTH_USER_MODEL
    post_init.connect(remember_account_active, sender=user, dispatch_uid="network_user_loaded")
    post_save.connect(sync_account_active, sender=user, dispatch_uid="network_account_active")
    from kindred.core.models import Role, Sector, Topic
    from kindred.network.models import Language
    from kindred.places.models import County, State

    for model in (Role, Sector, Topic, Language, State, County):
        uid = f"network_options_{model.__name__}"
        post_save.connect(forget_filter_options, sender=model, dispatch_uid=uid)
        post_delete.connect(forget_filter_options, sender=model, dispatch_uid=uid + "_d")
