"""Profile photos: checked with Pillow, shrunk, and re-encoded so no metadata survives."""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 800
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# A decompression bomb (a tiny file that expands to a huge image) is refused outright.
MAX_PIXELS = 40_000_000


def clean_photo(upload) -> ContentFile:
    """Return a fresh JPEG of the uploaded picture, or raise ValidationError saying why not.

    Only the pixels are copied into the new file, so EXIF (camera, GPS position), XMP and
    ICC data from the original are gone.
    """
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("This photo is %(size)s MB; please choose one under 5 MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}"},
            code="too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            probe.verify()
        if image_format not in ALLOWED_FORMATS:
            raise UnidentifiedImageError(image_format)
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This photo is too large to handle."), code="too_large")
            image = ImageOps.exif_transpose(image)  # keep the picture upright once EXIF is gone
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            clean = Image.new("RGB", image.size)
            clean.paste(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a photo we can use. Please choose a JPEG, PNG, WebP or GIF image."),
            code="not_an_image",
        ) from None
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
