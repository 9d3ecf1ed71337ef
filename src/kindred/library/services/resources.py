from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.core.audit import log_action
from kindred.core.models import Topic
from kindred.core.slugs import unique_slug
from kindred.library import search
from kindred.library.models import Resource, ResourceAudience, ResourceReview
from kindred.library.tasks import send_review_request, send_review_result
from kindred.library.text import reading_level, resource_tags

EDITABLE_FIELDS = {
    "title",
    "summary",
    "body",
    "type",
    "language",
    "external_url",
    "file",
    "source",
    "source_date",
}


def apply_changes(obj, fields: dict) -> list[str]:
    """Set ``fields`` on ``obj``; return the names whose value differs from the stored row.

    Compared with the database, not the instance, because a ModelForm has already copied
    the new values onto the instance it was given.
    """
    attnames = {name: obj._meta.get_field(name).attname for name in fields}
    stored = type(obj).objects.filter(pk=obj.pk).values(*attnames.values()).get()
    changed = []
    for name, value in fields.items():
        new = value.pk if isinstance(value, models.Model) else value
        if name == "file":
            new = getattr(value, "name", value) or ""
        if stored[attnames[name]] != new:
            changed.append(name)
        setattr(obj, name, value)
    return changed


def _set_reading_level(resource: Resource) -> None:
    text = f"{resource.title}. {resource.summary}\n\n{resource.body}"
    resource.reading_ease, resource.reading_grade = reading_level(text, resource.language)


@transaction.atomic
def create_resource(
    *,
    author,
    title: str,
    summary: str,
    type: str,
    language: str = "en",
    body: str = "",
    audiences=(),
    topics=(),
    external_url: str = "",
    file=None,
    source: str = "",
    source_date=None,
    translation_of: Resource | None = None,
    status: str = Resource.Status.DRAFT,
    published_at=None,
) -> Resource:
    """A new resource (a draft unless ``status`` says otherwise), indexed for search."""
    resource = Resource(
        slug=unique_slug(Resource, title),
        title=title,
        summary=summary,
        body=body,
        type=type,
        language=language,
        external_url=external_url,
        source=source,
        source_date=source_date,
        author=author,
        status=status,
    )
    if file:
        resource.file = file
    if translation_of is not None:
        resource.translation_group = translation_of.translation_group
    if status == Resource.Status.PUBLISHED:
        resource.published_at = published_at or timezone.now()
    _set_reading_level(resource)
    resource.full_clean(exclude=["file"])
    resource.save()
    set_audiences(resource, audiences)
    resource.topics.set(topics)
    search.index_resources([resource])
    log_action(author, "resource.created", resource, status=status)
    return resource


def set_audiences(resource: Resource, audiences) -> None:
    wanted = set(audiences)
    resource.audience_rows.exclude(audience__in=wanted).delete()
    have = set(resource.audience_rows.values_list("audience", flat=True))
    ResourceAudience.objects.bulk_create(
        [ResourceAudience(resource=resource, audience=code) for code in sorted(wanted - have)]
    )


@transaction.atomic
def update_resource(
    resource: Resource,
    *,
    editor,
    audiences=None,
    topics=None,
    translation_of: Resource | None = None,
    **fields,
) -> Resource:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changed = apply_changes(resource, fields)
    if translation_of is not None and translation_of.pk != resource.pk:
        resource.translation_group = translation_of.translation_group
        changed.append("translation_group")
    if "title" in changed:
        resource.slug = unique_slug(Resource, resource.title, exclude_pk=resource.pk)
        changed.append("slug")
    _set_reading_level(resource)
    resource.save(update_fields=[*changed, "reading_ease", "reading_grade", "updated"])
    if audiences is not None:
        set_audiences(resource, audiences)
    if topics is not None:
        resource.topics.set(topics)
    search.index_resources([resource])
    log_action(editor, "resource.updated", resource, fields=sorted(changed))
    return resource


def _set_status(resource: Resource, status: str, *, by, verb: str, **details) -> None:
    resource.status = status
    fields = ["status", "updated"]
    if status == Resource.Status.PUBLISHED and not resource.published_at:
        resource.published_at = timezone.now()
        fields.append("published_at")
    resource.save(update_fields=fields)
    search.index_resources([resource])  # the index's tags hold the status
    log_action(by, verb, resource, **details)


@transaction.atomic
def submit_resource_for_review(resource: Resource, *, by) -> Resource:
    if resource.status != Resource.Status.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    _set_status(resource, Resource.Status.IN_REVIEW, by=by, verb="resource.submitted")
    for review in resource.reviews.all():
        review.decision = ResourceReview.Decision.PENDING
        review.save(update_fields=["decision"])
        send_review_request.enqueue(review.pk)
    return resource


@transaction.atomic
def assign_reviewer(resource: Resource, *, reviewer, by) -> ResourceReview:
    if resource.status in {Resource.Status.PUBLISHED, Resource.Status.ARCHIVED}:
        raise ValidationError(_("This resource is already published."))
    review, created = ResourceReview.objects.get_or_create(
        resource=resource, reviewer=reviewer, defaults={"assigned_by": by}
    )
    if created:
        log_action(by, "resource.reviewer_assigned", resource, reviewer=reviewer.pk)
        if resource.status == Resource.Status.IN_REVIEW:
            send_review_request.enqueue(review.pk)
    return review


@transaction.atomic
def review_resource(resource: Resource, *, reviewer, approve: bool, note: str = "") -> Resource:
    """A reviewer's decision. Approval publishes; asking for changes returns it to draft."""
    if resource.status != Resource.Status.IN_REVIEW:
        raise ValidationError(_("This resource is not waiting for review."))
    if not approve and not note.strip():
        raise ValidationError(_("Please say what should change, so the author can act on it."))
    review, _created = ResourceReview.objects.get_or_create(resource=resource, reviewer=reviewer)
    review.decision = (
        ResourceReview.Decision.APPROVED if approve else ResourceReview.Decision.CHANGES
    )
    review.note = note
    review.decided_at = timezone.now()
    review.save(update_fields=["decision", "note", "decided_at"])
    if approve:
        _set_status(resource, Resource.Status.PUBLISHED, by=reviewer, verb="resource.published")
    else:
        _set_status(resource, Resource.Status.DRAFT, by=reviewer, verb="resource.changes_requested")
    send_review_result.enqueue(review.pk)
    return resource


@transaction.atomic
def archive_resource(resource: Resource, *, by) -> Resource:
    _set_status(resource, Resource.Status.ARCHIVED, by=by, verb="resource.archived")
    return resource


def related_resources(resource: Resource, *, limit: int = 4) -> QuerySet:
    """Published resources sharing the most topics with this one, in its language."""
    topic_ids = list(resource.topics.values_list("pk", flat=True))
    queryset = (
        Resource.objects.published()
        .filter(language=resource.language)
        .exclude(translation_group=resource.translation_group)
    )
    if topic_ids:
        queryset = queryset.filter(topics__in=topic_ids).annotate(shared=Count("topics"))
        queryset = queryset.order_by("-shared", "-published_at", "-id")
    else:
        queryset = queryset.filter(type=resource.type)
    return queryset.prefetch_related("audience_rows")[:limit]


def bulk_create_resources(items: list[dict], *, author=None, on_batch=None) -> int:
    """Insert many published resources fast (demo data at scale, the bench), then index.

    Each item holds Resource fields plus ``audiences`` (codes) and ``topics`` (ids).
    """
    now = timezone.now()
    audience_rows, topic_rows, created = [], [], 0
    Through = Resource.topics.through
    slugs_by_id = dict(Topic.objects.values_list("pk", "slug"))
    for start in range(0, len(items), 1000):
        chunk = items[start : start + 1000]
        resources = []
        for item in chunk:
            fields = {k: v for k, v in item.items() if k not in {"audiences", "topics"}}
            resource = Resource(author=author, status=Resource.Status.PUBLISHED, **fields)
            resource.published_at = resource.published_at or now
            resource.search_tags = resource_tags(
                status=resource.status,
                language=resource.language,
                type=resource.type,
                audiences=item.get("audiences", ()),
                topics=[slugs_by_id[pk] for pk in item.get("topics", ())],
            )
            _set_reading_level(resource)
            resources.append(resource)
        with transaction.atomic():
            Resource.objects.bulk_create(resources, batch_size=500)
            if resources[0].pk is None:  # backends that do not return ids
                slugs = {r.slug: r for r in resources}
                for pk, slug in Resource.objects.filter(slug__in=slugs).values_list("pk", "slug"):
                    slugs[slug].pk = pk
            for resource, item in zip(resources, chunk, strict=True):
                audience_rows += [
                    ResourceAudience(resource_id=resource.pk, audience=code)
                    for code in item.get("audiences", ())
                ]
                topic_rows += [
                    Through(resource_id=resource.pk, topic_id=topic_id)
                    for topic_id in item.get("topics", ())
                ]
            ResourceAudience.objects.bulk_create(audience_rows, batch_size=1000)
            Through.objects.bulk_create(topic_rows, batch_size=1000)
        audience_rows, topic_rows = [], []
        created += len(resources)
        if on_batch:
            on_batch(created)
    search.rebuild_index()
    return created
