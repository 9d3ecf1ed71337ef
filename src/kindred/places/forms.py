from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kindred.places.models import ZipCode
from kindred.places.services import ZipCodeError, lookup_zip


class ZipCodeField(forms.CharField):
    """A ZIP code typed by a person; ``clean()`` gives the ``ZipCode`` (state and county loaded).

    Accepts "74103", " 74103 " and "74103-1234". Use it for a model's ``zip_code`` foreign key:
    ``zip_code = ZipCodeField(required=False)`` in a ModelForm. Errors are the messages from
    ``kindred.places.services`` (malformed vs unknown), with codes "malformed"/"unknown".
    """

    widget = forms.TextInput

    def __init__(self, *, restore_leading_zero: bool = False, **kwargs):
        self.restore_leading_zero = restore_leading_zero
        kwargs.setdefault("label", _("ZIP code"))
        error_messages = {"required": _("Enter a ZIP code. It has 5 digits, like 74103.")}
        error_messages.update(kwargs.pop("error_messages", None) or {})
        kwargs["error_messages"] = error_messages
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "postal-code", "size": "10"})
        return attrs

    def prepare_value(self, value):
        if isinstance(value, ZipCode):
            return value.code
        return value

    def to_python(self, value):
        if isinstance(value, ZipCode):
            return value
        return super().to_python(value)

    def validate(self, value):
        if isinstance(value, ZipCode):
            return
        super().validate(value)

    def run_validators(self, value):
        if isinstance(value, ZipCode):
            return
        super().run_validators(value)

    def clean(self, value):
        value = super().clean(value)
        if isinstance(value, ZipCode) or value in self.empty_values:
            return value or None
        try:
            return lookup_zip(value, restore_leading_zero=self.restore_leading_zero)
        except ZipCodeError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def has_changed(self, initial, data):
        return super().has_changed(self.prepare_value(initial), data)


class ZipLookupForm(forms.Form):
    """The "which state and county is this ZIP code in?" form on /places/ (GET)."""

    zip = ZipCodeField(help_text=_("5 digits, like 74103."))

    def __init__(self, *args, live: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if live:
            # With JavaScript, htmx shows the answer as the person types (see views.state_list).
            self.fields["zip"].widget.attrs.update(
                {
                    "hx-get": reverse("places:index"),
                    "hx-trigger": "input changed delay:400ms",
                    "hx-target": "#zip-result",
                    "hx-sync": "closest form:replace",
                }
            )
