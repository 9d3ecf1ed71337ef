"""Web addresses made from titles, free in their table: "SB 12" → "sb-12", then "sb-12-2"."""

from __future__ import annotations

from collections.abc import Collection

from django.db import models
from django.utils.text import slugify


def unique_slug(
    model: type[models.Model],
    text: str,
    *,
    exclude_pk=None,
    reserved: Collection[str] = (),
) -> str:
    """A slug for ``model`` made from ``text`` that no other row uses (``exclude_pk``: the
    row being renamed) and that is not in ``reserved`` (words its URLs use, e.g. "new");
    as long as the model's ``slug`` field allows, numbered when taken."""
    max_length = model._meta.get_field("slug").max_length
    base = slugify(text)[:max_length].strip("-") or "item"
    others = model._default_manager.exclude(pk=exclude_pk) if exclude_pk else model._default_manager
    slug, number = base, 2
    while slug in reserved or others.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)] + suffix
        number += 1
    return slug
