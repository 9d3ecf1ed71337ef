"""One slug helper for every app: free in its table, numbered when taken, never reserved."""

from kindred.core.models import Topic
from kindred.core.slugs import unique_slug


def _topic(slug):
    return Topic.objects.create(slug=slug, name_en=slug, name_es=slug)


def test_a_slug_is_numbered_when_taken_and_skips_reserved_words(db):
    assert unique_slug(Topic, "Zebra Finches!") == "zebra-finches"
    _topic("zebra-finches")
    assert unique_slug(Topic, "Zebra finches") == "zebra-finches-2"
    assert unique_slug(Topic, "New", reserved={"new"}) == "new-2"
    assert unique_slug(Topic, "★★★") == "item"


def test_renaming_keeps_its_own_slug_and_long_titles_fit_the_field(db):
    kept = _topic("zebra-finches")
    assert unique_slug(Topic, "Zebra finches", exclude_pk=kept.pk) == "zebra-finches"
    limit = Topic._meta.get_field("slug").max_length
    _topic("z" * limit)
    slug = unique_slug(Topic, "z" * (limit + 30))
    assert len(slug) == limit and slug.endswith("-2")
