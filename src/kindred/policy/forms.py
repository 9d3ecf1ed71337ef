from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindred.core.models import Topic
from kindred.policy.models import AdvocacyAction, Jurisdiction, Policy, Subscription
from kindred.policy.signing import ActionSnapshot, clean_signature


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def _jurisdictions():
    return Jurisdiction.objects.filter(
        level__in=[Jurisdiction.Level.FEDERAL, Jurisdiction.Level.STATE]
    ).order_by("-level", "name")


class PolicyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    topic = TopicChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Where"),
        queryset=Jurisdiction.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Everywhere"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status"))] + Policy.Status.choices, required=False
    )
    policy_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any type"))] + Policy.Type.choices, required=False
    )
    position = forms.ChoiceField(
        label=_("Our position"),
        choices=[("", _("Any position"))] + Policy.Position.choices,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The menu lists federal and state jurisdictions; a local one still works by URL.
        self.fields["jurisdiction"].widget.choices = [("", _("Everywhere"))] + [
            (j.slug, j.name) for j in _jurisdictions()
        ]

    def filter(self, policies):
        data = self.cleaned_data
        policies = policies.search(data.get("q") or "")
        if data.get("topic"):
            policies = policies.filter(topics=data["topic"])
        if data.get("jurisdiction"):
            place = data["jurisdiction"]
            if place.level == Jurisdiction.Level.STATE:
                policies = policies.filter(jurisdiction__state=place.state_id)
            else:
                policies = policies.filter(jurisdiction=place)
        for name, lookup in (("status", "status"), ("policy_type", "policy_type")):
            if data.get(name):
                policies = policies.filter(**{lookup: data[name]})
        if data.get("position"):
            policies = policies.filter(position=data["position"])
        return policies


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Policy.Status.choices)
    date = forms.DateField(
        label=_("Date of the change"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source_title = forms.CharField(
        label=_("Source"),
        max_length=250,
        help_text=_("Who says so, for example “Oklahoma Legislature, bill history”."),
    )
    source_url = forms.URLField(label=_("Source address (URL)"), max_length=500, required=False)
    source_date = forms.DateField(
        label=_("Date of the source"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note_en = forms.CharField(label=_("What happened (English)"), max_length=300, required=False)
    note_es = forms.CharField(label=_("What happened (Spanish)"), max_length=300, required=False)

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A status change cannot be in the future."))
        return value


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    topic = TopicChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.active(),
        required=False,
        empty_label=_("Every topic"),
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Where"),
        queryset=_jurisdictions(),
        required=False,
        empty_label=_("Everywhere"),
        help_text=_("A state also covers its counties and cities."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )


class SignatureForm(forms.Form):
    """The HTML signing form. Its checks are ``signing.clean_signature``, shared with the API."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We use it to count you once. It is not shown to anyone."),
    )
    zip = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    organization = forms.CharField(label=_("Organization"), max_length=200, required=False)
    message = forms.CharField(
        label=_("Your letter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    consent = forms.BooleanField(label="", required=False)
    follow_up_consent = forms.BooleanField(
        label=_("Yes, Kindred may email me about this and other actions (optional)."),
        required=False,
    )
    # The honeypot: hidden from people by CSS, left empty by them, filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    ref = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(self, *args, action: AdvocacyAction, snapshot: ActionSnapshot | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action, self.snapshot = action, snapshot
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if action.kind == AdvocacyAction.Kind.SIGN_ON:
            self.fields["organization"].required = True
            self.fields["name"].label = _("Your name (the person signing)")
            self.fields["consent"].label = _(
                "I am authorized to sign this letter for my organization."
            )
        else:
            del self.fields["organization"]
            self.fields["consent"].label = (
                _("Add my name and ZIP code to this petition.")
                if action.kind == AdvocacyAction.Kind.PETITION
                else _("Send this letter with my name and ZIP code to the officials.")
            )
        if action.kind == AdvocacyAction.Kind.PETITION:
            self.fields["message"].label = _("Why this matters to you")
            self.fields["message"].widget.attrs["rows"] = 4
        else:
            self.fields["message"].help_text = _(
                "Edit it as you like; plain text only. {target_name} becomes each official's name."
            )
        self.fields["consent"].required = True
        self.fields["consent"].error_messages["required"] = _(
            "Please tick this box to sign; nothing is saved without it."
        )

    def clean(self):
        cleaned = super().clean()
        if self.snapshot is None or not self.snapshot.is_open():
            message = (
                self.snapshot.closed_message()
                if self.snapshot
                else _("This action is not taking signatures.")
            )
            raise forms.ValidationError(message)
        raw = {key: self.data.get(key, "") for key in self.fields}
        raw["consent"] = bool(cleaned.get("consent"))
        raw["follow_up_consent"] = bool(cleaned.get("follow_up_consent"))
        clean, errors = clean_signature(self.snapshot, raw, consent_default=False)
        for name, message in errors.items():
            target = name if name in self.fields else None
            if target is None or target not in self.errors:
                self.add_error(target, message)
        self.signature_data = clean
        return cleaned


class OfficialImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, office, jurisdiction (an Open Civic Data id or a state code), "
            "district, email, contact_form_url; optional state and id (Open States person id)."
        ),
    )
    retire_missing = forms.BooleanField(
        label=_("Mark officials of these jurisdictions who are not in the file as out of office"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Please upload a file smaller than 5 MB."))
        return upload
