"""Atom feed of policy status changes (django.contrib.syndication)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from kindred.policy.models import StatusChange


class StatusChangeFeed(Feed):
    feed_type = Atom1Feed
    title = _("Kindred policy tracker: status changes")
    subtitle = _("Every recorded change to a tracked policy, with its source.")

    def get_object(self, request, *args, **kwargs):
        # Optional filters ?topic=<slug>&jurisdiction=<slug>, passed on as the feed's "object"
        # (a Feed instance serves every request, so it must not keep per-request state).
        return {key: request.GET[key] for key in ("topic", "jurisdiction") if request.GET.get(key)}

    def link(self):
        return reverse("policy:index")

    def items(self, filters):
        changes = StatusChange.objects.filter(policy__is_published=True).select_related(
            "policy__jurisdiction"
        )
        if filters.get("topic"):
            changes = changes.filter(policy__topics__slug=filters["topic"])
        if filters.get("jurisdiction"):
            changes = changes.filter(policy__jurisdiction__slug=filters["jurisdiction"])
        return changes.order_by("-created")[:50]

    def item_title(self, item: StatusChange) -> str:
        return f"{item.policy.title} ({item.policy.jurisdiction.name}): {item.get_status_display()}"

    def item_description(self, item: StatusChange) -> str:
        parts = [item.note, _("Source: %(source)s") % {"source": item.source_title}]
        if item.source_url:
            parts.append(item.source_url)
        return " — ".join(str(p) for p in parts if p)

    def item_link(self, item: StatusChange) -> str:
        return item.policy.get_absolute_url() + f"#change-{item.pk}"

    def item_guid(self, item: StatusChange) -> str:
        return f"policy-status-change-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: StatusChange):
        return item.created

    def item_updateddate(self, item: StatusChange):
        return item.created
