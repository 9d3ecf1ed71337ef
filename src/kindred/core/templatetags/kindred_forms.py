from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error-summary link should point at: the field's first focusable input.

    Groups of inputs (radio buttons, check boxes, split date/time) have no single input with
    the field's id, so the link goes to the first one (``id_x_0``).
    """
    return field.id_for_label or f"{field.auto_id}_0"
