from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindred.observe.engine.definition import Definition, Item, format_number, pick
from kindred.observe.models import Consent, Family, InstrumentVersion, SiteMembership


class DateInput(forms.DateInput):
    input_type = "date"


class FamilyForm(forms.ModelForm):
    class Meta:
        model = Family
        fields = [
            "caregiver_name",
            "caregiver_relationship",
            "child_name",
            "child_dob",
            "due_date",
            "gestational_age_weeks",
            "language",
            "contact_preference",
            "phone",
            "email",
        ]
        widgets = {"child_dob": DateInput(), "due_date": DateInput()}
        help_texts = {
            "due_date": _("For a baby born early: we use it to work out the corrected age."),
            "gestational_age_weeks": _(
                "If the due date is not known: weeks of pregnancy at birth."
            ),
        }

    def clean_child_dob(self):
        dob = self.cleaned_data["child_dob"]
        today = timezone.localdate()
        if dob > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if dob < today - dt.timedelta(days=6 * 366):
            raise forms.ValidationError(_("Kindred follows children up to five years old."))
        return dob

    def clean_gestational_age_weeks(self):
        weeks = self.cleaned_data.get("gestational_age_weeks")
        if weeks is not None and not 22 <= weeks <= 44:
            raise forms.ValidationError(_("Enter a number of weeks between 22 and 44."))
        return weeks

    def clean(self):
        data = super().clean()
        dob, due = data.get("child_dob"), data.get("due_date")
        if dob and due and abs((due - dob).days) > 140:
            self.add_error("due_date", _("The due date must be within 20 weeks of the birth."))
        return data


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consent for"), choices=Consent.Kind.choices)
    granted = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Agrees")), ("no", _("Does not agree"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    version = forms.CharField(
        label=_("Consent form version"),
        max_length=30,
        initial="2026-1",
        help_text=_("As printed on the form the family saw."),
    )


class StartEncounterForm(forms.Form):
    versions = forms.ModelMultipleChoiceField(
        label=_("Instruments for this visit"),
        queryset=InstrumentVersion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one instrument.")},
    )
    date = forms.DateField(label=_("Visit date"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, rows: list[dict[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        ids = [row["version"].pk for row in rows]
        self.fields["versions"].queryset = InstrumentVersion.objects.filter(pk__in=ids)
        labels = {row["version"].pk: row for row in rows}

        def label(version):
            row = labels[version.pk]
            name = row["spec"].title(get_language() or "en")
            return f"{name} — {_('due now') if row['due'] else _('available')}"

        self.fields["versions"].label_from_instance = label
        self.fields["versions"].initial = [row["version"].pk for row in rows if row["due"]]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The visit date cannot be in the future."))
        return date


class FinishEncounterForm(forms.Form):
    follow_up_plan = forms.CharField(
        label=_("Follow-up plan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happens next, in words the family would recognise."),
    )
    follow_up_due = forms.DateField(label=_("Follow up by"), required=False, widget=DateInput())


class FollowUpForm(FinishEncounterForm):
    done = forms.BooleanField(label=_("Follow-up done"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("Kept in the history of this record.")
    )


class ResolveAlertForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: safety assessment done at the visit; warm hand-off to care."),
    )


class ContentPackForm(forms.Form):
    instrument_version = forms.ModelChoiceField(
        label=_("Instrument"), queryset=InstrumentVersion.objects.none()
    )
    language = forms.ChoiceField(label=_("Language of the wording"), choices=settings.LANGUAGES)
    file = forms.FileField(
        label=_("Content pack file"),
        help_text=_("A JSON content pack or a REDCap data dictionary (.csv), up to 2 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument_version"].queryset = (
            InstrumentVersion.objects.published()
            .filter(definition__item_text_source="content_pack")
            .select_related("instrument")
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class ImportInstrumentForm(forms.Form):
    file = forms.FileField(
        label=_("Instrument file"),
        required=False,
        help_text=_("A FHIR R4 Questionnaire (.json) or a REDCap data dictionary (.csv)."),
    )
    # The preview step carries the file's text forward, so confirming needs no re-upload.
    content = forms.CharField(widget=forms.HiddenInput, required=False)
    filename = forms.CharField(widget=forms.HiddenInput, required=False)


class AuditFilterForm(forms.Form):
    verb = forms.CharField(label=_("Action"), required=False, max_length=100)
    actor = forms.CharField(label=_("Person (email)"), required=False, max_length=200)
    target = forms.CharField(label=_("Record (e.g. a family code)"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Email of an existing Kindred account"))
    role = forms.ChoiceField(label=_("Role"), choices=SiteMembership.Role.choices)


# --- answers --------------------------------------------------------------------------------

YES_NO = [("true", _("Yes")), ("false", _("No"))]


def _field_for(item: Item, label: str, options: dict[str, str], language: str) -> forms.Field:
    common = {"label": label, "required": False}
    if item.type in {"choice", "rating"}:
        choices = [
            (o.code, options.get(o.code) or pick(o.text, language) or o.code)
            for o in item.answer_options()
        ]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if item.type == "multi_choice":
        choices = [(o.code, options.get(o.code) or pick(o.text, language)) for o in item.options]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if item.type == "boolean":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if item.type in {"integer", "decimal"}:
        attrs = {"inputmode": "numeric" if item.type == "integer" else "decimal"}
        return forms.CharField(widget=forms.TextInput(attrs=attrs), max_length=30, **common)
    if item.type == "date":
        return forms.CharField(widget=DateInput(), max_length=10, **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)


def answer_form_class(
    spec: Definition, *, texts: dict[str, Any], language: str, only: list[str] | None = None
) -> type[forms.Form]:
    """A Django form for an instrument's items, labelled in ``language`` (or the pack's).

    Every field is optional here: the scoring engine is the one judge of what is required,
    hidden or out of range, so the web form, the API and imports give the same messages.
    """
    fields: dict[str, forms.Field] = {}
    for item in spec.answerable_items:
        if only is not None and item.link_id not in only:
            continue
        pack = texts.get(item.link_id, {})
        label = pack.get("text") or pick(item.text, language) or item.link_id
        fields[item.link_id] = _field_for(item, label, pack.get("options", {}), language)
    return type("AnswerForm", (forms.Form,), fields)


def answers_to_initial(spec: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    initial = {}
    for link_id, value in answers.items():
        item = spec.item(link_id)
        if item is None:
            continue
        if item.type == "boolean":
            initial[link_id] = "true" if value else "false"
        elif item.type == "rating":
            initial[link_id] = format_number(float(value))
        else:
            initial[link_id] = value
    return initial


def form_to_answers(data: dict[str, Any]) -> dict[str, Any]:
    """Cleaned form data → raw answers for the engine (empty fields left out)."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}
