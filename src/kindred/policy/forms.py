from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindred.core.models import Topic
from kindred.policy.models import (
    PLACEHOLDER_RE,
    AdvocacyAction,
    Jurisdiction,
    Official,
    Policy,
    Subscription,
)
from kindred.policy.services import RESERVED_SLUGS
from kindred.policy.signing import HTML_TAG_RE, MESSAGE_MAX, ActionSnapshot, clean_signature


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


# --- Staff: policies and actions -------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _all_jurisdictions():
    """Every jurisdiction, the United States first, then states, counties and cities."""
    rank = Case(
        *(When(level=level, then=Value(i)) for i, level in enumerate(Jurisdiction.Level.values)),
        output_field=IntegerField(),
    )
    return Jurisdiction.objects.order_by(rank, "name")


class PolicyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title_en} ({obj.jurisdiction.name})"


class PolicyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title_en} ({obj.jurisdiction.name})"


def _policies():
    return Policy.objects.select_related("jurisdiction").order_by("title_en", "pk")


class NewSlugField(forms.SlugField):
    """The web address of something new: optional (made from the title), and free."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(
            label=_("Web address"),
            max_length=120,
            required=False,
            help_text=_(
                "Lowercase letters, numbers and hyphens. Leave it empty to make one from the "
                "English title. It cannot change later, so links keep working."
            ),
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value).lower()
        if value in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("“%(value)s” is kept for a page of the site.") % {"value": value}
            )
        if value and self.model.objects.filter(slug=value).exists():
            raise forms.ValidationError(
                _("This web address is taken. Choose another or leave it empty.")
            )
        return value


class PolicyForm(forms.ModelForm):
    """A policy's descriptive fields. Status is not here: it changes with a sourced step."""

    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    related = PolicyMultipleChoiceField(
        label=_("Related policies"),
        queryset=Policy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose more than one."),
    )

    class Meta:
        model = Policy
        fields = [
            "title_en",
            "title_es",
            "jurisdiction",
            "policy_type",
            "identifier",
            "ocd_id",
            "topics",
            "summary_en",
            "summary_es",
            "why_it_matters_en",
            "why_it_matters_es",
            "effective_date",
            "last_verified",
            "position",
            "position_rationale_en",
            "position_rationale_es",
            "related",
            "is_fictional",
            "is_published",
        ]
        widgets = {
            "summary_en": forms.Textarea(attrs={"rows": 5}),
            "summary_es": forms.Textarea(attrs={"rows": 5}),
            "why_it_matters_en": forms.Textarea(attrs={"rows": 4}),
            "why_it_matters_es": forms.Textarea(attrs={"rows": 4}),
            "position_rationale_en": forms.Textarea(attrs={"rows": 3}),
            "position_rationale_es": forms.Textarea(attrs={"rows": 3}),
            "effective_date": DATE_INPUT,
            "last_verified": DATE_INPUT,
        }
        help_texts = {
            "is_published": _("Unpublished policies are seen by staff only."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = _all_jurisdictions()
        related = _policies()
        if self.instance.pk:
            related = related.exclude(pk=self.instance.pk)
        self.fields["related"].queryset = related

    def clean_last_verified(self):
        value = self.cleaned_data["last_verified"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The last check cannot be in the future."))
        return value


class NewPolicyForm(PolicyForm):
    """A new policy with its web address and the first step of its history, with a source."""

    slug = NewSlugField(Policy)
    status = forms.ChoiceField(label=_("Status now"), choices=Policy.Status.choices)
    status_date = forms.DateField(label=_("Date of this status"), widget=DATE_INPUT)
    source_title = forms.CharField(
        label=_("Source"),
        max_length=250,
        help_text=_("Who says so, for example “Oklahoma Legislature, bill history”."),
    )
    source_url = forms.URLField(label=_("Source address (URL)"), max_length=500)
    source_date = forms.DateField(label=_("Date of the source"), required=False, widget=DATE_INPUT)
    note_en = forms.CharField(label=_("What happened (English)"), max_length=300, required=False)
    note_es = forms.CharField(label=_("What happened (Spanish)"), max_length=300, required=False)

    STATUS_FIELDS = ("source_title", "source_url", "source_date", "note_en", "note_es")

    def clean_status_date(self):
        value = self.cleaned_data["status_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A status change cannot be in the future."))
        return value

    def policy_data(self) -> dict:
        """Keywords for ``services.create_policy``: the policy, and its history's first step."""
        data = dict(self.cleaned_data)
        step = {name: data.pop(name) for name in self.STATUS_FIELDS}
        step["status"] = data.pop("status")
        step["date"] = data.pop("status_date")
        return data | {"history": [step]}


# "{target_name}" and the like; a brace pair around other words is probably a typo.
BRACED_WORD_RE = re.compile(r"\{\s*([A-Za-z_ ]+?)\s*\}")
PLACEHOLDERS = "{target_name}, {target_office}, {signer_name}, {signer_place}"


def check_letter_text(value: str) -> str:
    """Refuse letter text that signers could not send as it is: HTML (the signing form
    refuses it), more than the signing form takes, or a placeholder we do not fill in."""
    if HTML_TAG_RE.search(value):
        raise forms.ValidationError(
            _(
                "Please remove the HTML tags (like <b> or <a>): letters are sent as plain "
                "text, and signers could not send a letter that has them."
            )
        )
    if len(value) > MESSAGE_MAX:
        raise forms.ValidationError(
            _("Please keep the text under %(max)d characters: signers could not send more.")
            % {"max": MESSAGE_MAX}
        )
    unknown = [
        match.group(0)
        for match in BRACED_WORD_RE.finditer(value)
        if not PLACEHOLDER_RE.fullmatch(match.group(0))
    ]
    if unknown:
        raise forms.ValidationError(
            _("%(found)s is not a placeholder we fill in. Use %(known)s.")
            % {"found": unknown[0], "known": PLACEHOLDERS}
        )
    return value


def check_plain_text(value: str) -> str:
    if HTML_TAG_RE.search(value):
        raise forms.ValidationError(_("Please write plain text, without HTML tags."))
    return value


class OfficialMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        place = f", {obj.state.usps}" if obj.state_id else ""
        return f"{obj.name} ({obj.office}{place})"


class ActionForm(forms.ModelForm):
    """An advocacy action. Opening and closing it is on its manage page."""

    policy = PolicyChoiceField(label=_("Policy"), queryset=Policy.objects.none(), required=False)
    targets = OfficialMultipleChoiceField(
        label=_("Officials"),
        queryset=Official.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_(
            "Who receives the letters when they go to the officials listed on the action. "
            "Hold Ctrl (or ⌘) to choose more than one."
        ),
    )

    class Meta:
        model = AdvocacyAction
        fields = [
            "kind",
            "title_en",
            "title_es",
            "intro_en",
            "intro_es",
            "policy",
            "jurisdiction",
            "letter_subject_en",
            "letter_subject_es",
            "letter_body_en",
            "letter_body_es",
            "target_mode",
            "target_level",
            "targets",
            "goal",
            "closes_at",
        ]
        widgets = {
            "intro_en": forms.Textarea(attrs={"rows": 4}),
            "intro_es": forms.Textarea(attrs={"rows": 4}),
            "letter_body_en": forms.Textarea(attrs={"rows": 12}),
            "letter_body_es": forms.Textarea(attrs={"rows": 12}),
            "closes_at": DATETIME_INPUT,
        }
        help_texts = {
            "closes_at": _("Leave empty to keep it open until you close it."),
            "letter_body_es": _("Leave empty to use the English text."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = _all_jurisdictions()
        self.fields["policy"].queryset = _policies()
        listed = Q(is_active=True)
        if self.instance.pk:  # officials out of office stay listed while they are chosen
            listed |= Q(pk__in=self.instance.targets.values("pk"))
        self.fields["targets"].queryset = Official.objects.filter(listed).select_related("state")

    def clean_letter_body_en(self):
        return check_letter_text(self.cleaned_data["letter_body_en"])

    def clean_letter_body_es(self):
        return check_letter_text(self.cleaned_data["letter_body_es"])

    def clean_letter_subject_en(self):
        return check_plain_text(self.cleaned_data["letter_subject_en"])

    def clean_letter_subject_es(self):
        return check_plain_text(self.cleaned_data["letter_subject_es"])

    def clean_closes_at(self):
        value = self.cleaned_data["closes_at"]
        stored = self.instance.closes_at if self.instance.pk else None
        # The form shows minutes only: the same minute is the stored time, unchanged. An
        # existing action may have closed already; only a newly typed time is checked.
        if value and stored and abs(value - stored) < timedelta(minutes=1):
            return stored
        if value and value <= timezone.now():
            raise forms.ValidationError(
                _("The closing time has passed: the action would close at once.")
            )
        return value


class NewActionForm(ActionForm):
    slug = NewSlugField(AdvocacyAction)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (AdvocacyAction.Status.DRAFT, _("Draft: only staff see it")),
            (AdvocacyAction.Status.OPEN, _("Open: taking signatures now")),
        ],
        initial=AdvocacyAction.Status.DRAFT,
        widget=forms.RadioSelect,
    )
