from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kindred.core.models import Sector
from kindred.network.models import Language, Organization
from kindred.places.models import State
from kindred.places.services import ZipCodeError, lookup_zip
from kindred.systems.hsds_import import IMPORT_HELP
from kindred.systems.models import Commitment, Competency, Need, Referral, Service

DATE = forms.DateInput(attrs={"type": "date"})


def _org_choices(organizations) -> list[tuple[int, str]]:
    return [(o.pk, o.name) for o in organizations]


class OrganizationChoiceMixin:
    """A form whose ``organization`` field offers only the organizations given."""

    def _limit_organizations(self, organizations, field: str = "organization") -> None:
        self.fields[field].queryset = Organization.objects.filter(
            pk__in=[o.pk for o in organizations]
        )


# --- commitments ------------------------------------------------------------------------------


class CommitmentFilterForm(forms.Form):
    sector = forms.ModelChoiceField(
        Sector.objects.active(), required=False, to_field_name="slug", label=_("Sector")
    )
    state = forms.ModelChoiceField(
        State.objects.filter(is_territory=False),
        required=False,
        to_field_name="usps",
        label=_("State"),
    )
    kind = forms.ChoiceField(
        choices=[("", _("Any type"))] + Commitment.Kind.choices, required=False, label=_("Type")
    )
    status = forms.ChoiceField(
        choices=[("", _("Any status"))] + Commitment.Status.choices,
        required=False,
        label=_("Status"),
    )

    def filter(self, qs):
        data = self.cleaned_data
        if data.get("sector"):
            qs = qs.of_sector(data["sector"])
        if data.get("state"):
            qs = qs.in_state(data["state"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        return qs


class CommitmentForm(OrganizationChoiceMixin, forms.Form):
    organization = forms.ModelChoiceField(Organization.objects.none(), label=_("Lead organization"))
    title = forms.CharField(
        label=_("What you commit to"),
        max_length=200,
        help_text=_(
            "One concrete change, e.g. “Offer relational-health observation at the 2-, "
            "4- and 6-month visits”."
        ),
    )
    kind = forms.ChoiceField(choices=Commitment.Kind.choices, label=_("Type of change"))
    description = forms.CharField(
        label=_("Why and how"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
    )
    partners = forms.ModelMultipleChoiceField(
        Organization.objects.order_by("name"),
        required=False,
        label=_("Coalition partners"),
        help_text=_("Other organizations that make this commitment with you."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    states = forms.ModelMultipleChoiceField(
        State.objects.all(),
        required=False,
        label=_("States"),
        help_text=_("Leave empty to use your organizations' states."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    target_date = forms.DateField(label=_("To be kept by"), required=False, widget=DATE)
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: the date (YYYY-MM-DD), a space, then the milestone."),
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_organizations(organizations)

    def clean_milestones(self) -> list:
        from datetime import date

        out = []
        for number, line in enumerate(self.cleaned_data["milestones"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            day, _sep, title = line.partition(" ")
            try:
                due = date.fromisoformat(day)
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)d: start with a date like 2027-06-30, then the milestone."),
                    params={"n": number},
                ) from None
            if not title.strip():
                raise forms.ValidationError(
                    _("Line %(n)d: say what the milestone is after the date."),
                    params={"n": number},
                )
            out.append((title.strip()[:200], due))
        return out


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DATE)


class ProgressUpdateForm(forms.Form):
    body = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    milestone = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Milestone reached (optional)")
    )
    status = forms.ChoiceField(
        choices=[("", _("Keep the current status"))] + Commitment.Status.choices,
        required=False,
        label=_("Status"),
    )
    evidence_url = forms.URLField(label=_("Link to evidence"), required=False)
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, PNG, JPEG, Word, Excel, CSV or text; up to 10 MB."),
    )

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = commitment.milestones.filter(done_on__isnull=True)


# --- learning ---------------------------------------------------------------------------------


class CompetencyForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = [
            "slug",
            "domain_en",
            "domain_es",
            "name_en",
            "name_es",
            "description_en",
            "description_es",
            "order",
            "is_active",
        ]


CONFIDENCE_CHOICES = [
    ("1", _("1 · Not yet confident")),
    ("2", _("2")),
    ("3", _("3 · Somewhat confident")),
    ("4", _("4")),
    ("5", _("5 · Very confident")),
]


class ConfidenceForm(forms.Form):
    """How confident the learner feels in each of the path's competencies (1-5)."""

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        for competency in competencies:
            self.fields[f"confidence_{competency.slug}"] = forms.ChoiceField(
                label=competency.name,
                choices=CONFIDENCE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a number from 1 to 5.")},
            )

    def ratings(self) -> dict:
        return {
            name.removeprefix("confidence_"): int(value)
            for name, value in self.cleaned_data.items()
        }


class QuizForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"question_{question.pk}"] = forms.ChoiceField(
                label=question.prompt,
                choices=[(str(i), text) for i, text in enumerate(question.choices)],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def answers(self) -> dict:
        return {int(k.removeprefix("question_")): int(v) for k, v in self.cleaned_data.items()}


class CertificateLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"), max_length=20, help_text=_("For example ABCD-EFGH-JKLM.")
    )


# --- directory --------------------------------------------------------------------------------


class ServiceSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    need = forms.ModelChoiceField(
        Need.objects.all(),
        required=False,
        to_field_name="slug",
        label=_("Help with"),
        empty_label=_("Any need"),
    )
    zip = forms.CharField(
        label=_("ZIP code"),
        required=False,
        max_length=10,
        help_text=_("Services that serve this ZIP code's county."),
    )
    age_months = forms.IntegerField(
        label=_("Child's age (months)"), required=False, min_value=0, max_value=216
    )
    language = forms.ModelChoiceField(
        Language.objects.all(), required=False, label=_("Language"), empty_label=_("Any language")
    )

    def clean_zip(self):
        raw = self.cleaned_data["zip"].strip()
        if not raw:
            return None
        try:
            return lookup_zip(raw)
        except ZipCodeError as exc:
            raise forms.ValidationError(exc.message) from None

    def filter(self, qs):
        data = self.cleaned_data
        place = data.get("zip")
        return qs.search(
            need=data.get("need"),
            county=place.county if place else None,
            age_months=data.get("age_months"),
            language=data["language"].code if data.get("language") else None,
            text=data.get("q") or "",
        )


class ServiceForm(forms.ModelForm):
    counties_text = forms.CharField(
        label=_("Counties served"),
        required=False,
        help_text=_("5-digit county FIPS codes or ZIP codes, separated by commas."),
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "alternate_name",
            "description",
            "needs",
            "eligibility_description",
            "min_age_months",
            "max_age_months",
            "languages",
            "interpretation_services",
            "cost",
            "fees_description",
            "application_process",
            "accepts_referrals",
            "capacity",
            "status",
            "url",
            "email",
            "phone",
        ]
        widgets = {
            "needs": forms.CheckboxSelectMultiple,
            "languages": forms.SelectMultiple(attrs={"size": 6}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "eligibility_description": forms.Textarea(attrs={"rows": 2}),
            "application_process": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_counties_text(self):
        from kindred.places.models import County

        found = []
        for token in self.cleaned_data["counties_text"].replace(";", ",").split(","):
            token = token.strip()
            if not token:
                continue
            county = County.objects.filter(fips=token).first() if len(token) == 5 else None
            if county is None:
                try:
                    county = lookup_zip(token).county
                except ZipCodeError:
                    raise forms.ValidationError(
                        _("“%(value)s” is not a county FIPS code or a ZIP code we know."),
                        params={"value": token},
                    ) from None
            found.append(county)
        return found

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age_months"), data.get("max_age_months")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_age_months", _("The oldest age served must not be below the youngest.")
            )
        return data


class CapacityForm(forms.Form):
    capacity = forms.ChoiceField(choices=Service.Capacity.choices, label=_("Capacity"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("HSDS file (JSON or CSV)"), help_text=IMPORT_HELP)
    default_need = forms.ModelChoiceField(
        Need.objects.all(),
        required=False,
        label=_("Need for services that do not say"),
        empty_label=_("None: such services are errors"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".json", ".csv")):
            raise forms.ValidationError(_("Choose a .json or .csv file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            return name, upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as UTF-8 text and try again.")) from None


# --- referrals --------------------------------------------------------------------------------


class ReferralForm(OrganizationChoiceMixin, forms.Form):
    """What is needed to refer: the sending organization, who it is for, what the family
    agreed to share, and their consent."""

    organization = forms.ModelChoiceField(Organization.objects.none(), label=_("Referring as"))
    subject_kind = forms.ChoiceField(
        choices=[("family", _("A family I work with")), ("member", _("Myself"))],
        label=_("Who is this referral for?"),
        initial="family",
        widget=forms.RadioSelect,
    )
    first_name = forms.CharField(
        label=_("First name or initials"),
        max_length=40,
        help_text=_("Only what the program needs to greet them."),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        choices=[("", _("Not said"))],
    )
    child_age_months = forms.IntegerField(
        label=_("Child's age (months)"), required=False, min_value=0, max_value=72
    )
    contact_method = forms.ChoiceField(
        label=_("How the program may reach them"),
        choices=[
            ("phone", _("Phone call")),
            ("text", _("Text message")),
            ("email", _("Email")),
            ("none", _("They will reach out themselves")),
        ],
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    email = forms.EmailField(label=_("Email"), required=False)
    urgency = forms.ChoiceField(choices=Referral.Urgency.choices, label=_("How soon"))
    note = forms.CharField(
        label=_("Note for the program"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What would help them welcome this family. No diagnoses or scores."),
    )
    consent_to_share = forms.BooleanField(
        label=_("The family agreed to share this information with this program."),
        required=False,
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_organizations(organizations)
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk
        self.fields["language"].choices += [
            (lang.code, lang.name) for lang in Language.objects.all()
        ]

    def shared_info(self) -> dict:
        data = self.cleaned_data
        info = {"first_name": data["first_name"], "contact_method": data["contact_method"]}
        if data.get("language"):
            info["language"] = data["language"]
        if data.get("child_age_months") is not None:
            info["child_age_months"] = data["child_age_months"]
        if data["contact_method"] in {"phone", "text"}:
            info["phone"] = data.get("phone", "")
        if data["contact_method"] == "email":
            info["email"] = data.get("email", "")
        return info


class ResultReferralForm(forms.Form):
    """What ``observe/_result_referrals.html`` posts (for observe's send-referral view):
    the chosen service, urgency, an optional note and the consent box."""

    service = forms.ModelChoiceField(
        Service.objects.filter(status=Service.Status.ACTIVE, accepts_referrals=True),
        label=_("Service"),
        error_messages={"invalid_choice": _("This service is not taking referrals now.")},
    )
    urgency = forms.ChoiceField(choices=Referral.Urgency.choices, label=_("How soon"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
    consent_to_share = forms.BooleanField(required=False, label=_("Consent to share"))


class MoveForm(forms.Form):
    status = forms.ChoiceField(choices=Referral.Status.choices, label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Needed when you decline, so the sender can find another service."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", _("Any status")), ("open", _("Open"))] + Referral.Status.choices,
        required=False,
        label=_("Status"),
    )
    overdue = forms.BooleanField(required=False, label=_("Only overdue"))


class MetricsFilterForm(forms.Form):
    state = forms.ModelChoiceField(
        State.objects.all(),
        required=False,
        to_field_name="usps",
        label=_("State"),
        empty_label=_("All states"),
    )
