from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kindred.observe.models import Instrument, Site
from kindred.research import deid
from kindred.research.models import (
    DataRequest,
    Finding,
    Question,
    Round,
    StakeholderGroup,
    Study,
)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["title", "why", "theme", "populations", "care_settings"]
        labels = {"title": _("Your question")}
        help_texts = {
            "title": _(
                "One question, in plain words. For example: What helps fathers feel "
                "confident playing with their baby?"
            ),
            "why": _("Who would this help, and how?"),
            "populations": _(
                "For example: teen parents, grandparents raising children, "
                "families who speak Spanish."
            ),
            "care_settings": _("For example: pediatric clinics, home visiting, child care."),
        }
        widgets = {
            "why": forms.Textarea(attrs={"rows": 4}),
            "theme": forms.RadioSelect,
        }


class QuestionFilterForm(forms.Form):
    theme = forms.ChoiceField(
        label=_("Theme"), choices=[("", _("All themes")), *Question.Theme.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Open and accepted")), *Question.Status.choices],
        required=False,
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add to the discussion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Question.objects.none(),
        help_text=_("Followers and studies move to the question you choose."),
    )

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Question.objects.exclude(pk=question.pk).exclude(
            status__in=[Question.Status.MERGED, Question.Status.DECLINED]
        )


class RoundForm(forms.ModelForm):
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions to rate"),
        queryset=Question.objects.accepted(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only accepted questions can go into a round."),
    )

    class Meta:
        model = Round
        fields = [
            "title",
            "description",
            "previous",
            "closes_on",
            "open_enrolment",
            "high_from",
            "low_to",
            "agree_percent",
            "disagree_percent",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "previous": _("From round 2 on, panelists see the last round's results."),
            "agree_percent": _("With each stakeholder group weighted equally."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["previous"].queryset = Round.objects.exclude(pk=self.instance.pk)
            self.fields["questions"].initial = list(self.instance.questions.all())

    def clean(self):
        data = super().clean()
        if data.get("low_to") and data.get("high_from") and data["low_to"] >= data["high_from"]:
            self.add_error("low_to", _("Low ratings must end below where high ratings start."))
        return data


class PanelistsForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. Each person must already be a member of the network."),
    )
    group = forms.ChoiceField(
        label=_("Stakeholder group"),
        choices=[("", _("From each person's roles")), *StakeholderGroup.choices],
        required=False,
    )

    def clean_emails(self) -> list[str]:
        from kindred.accounts.models import User

        emails = [e.strip().lower() for e in self.cleaned_data["emails"].split() if e.strip()]
        users = list(User.objects.filter(email__in=emails, is_active=True))
        missing = sorted(set(emails) - {u.email.lower() for u in users})
        if missing:
            raise forms.ValidationError(
                _("These addresses are not members yet: %(emails)s"),
                params={"emails": ", ".join(missing)},
            )
        return users


class RatingForm(forms.Form):
    """One 1–9 rating and an optional comment for each question of the round."""

    def __init__(self, *args, questions, initial_ratings=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_ratings = initial_ratings or {}
        self.questions = list(questions)
        choices = [(str(n), str(n)) for n in range(1, 10)]
        for question in self.questions:
            score, comment = initial_ratings.get(question.pk, (None, ""))
            self.fields[f"score_{question.pk}"] = forms.ChoiceField(
                label=_("Importance of: %(title)s") % {"title": question.title},
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
                initial=str(score) if score else None,
            )
            self.fields[f"comment_{question.pk}"] = forms.CharField(
                label=_("Comment (optional)"),
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=comment,
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(f"score_{q.pk}") for q in self.questions):
            raise forms.ValidationError(_("Rate at least one question before saving."))
        return data

    def ratings(self) -> dict[int, tuple[int, str]]:
        out = {}
        for question in self.questions:
            score = self.cleaned_data.get(f"score_{question.pk}")
            if score:
                out[question.pk] = (int(score), self.cleaned_data.get(f"comment_{question.pk}", ""))
        return out

    def rows(self):
        """(question, score field, comment field) for the template."""
        return [(q, self[f"score_{q.pk}"], self[f"comment_{q.pk}"]) for q in self.questions]


class StudyForm(forms.ModelForm):
    class Meta:
        model = Study
        fields = [
            "title",
            "summary",
            "questions",
            "status",
            "sites",
            "instruments",
            "registration_id",
            "protocol_url",
            "ethics_status",
            "ethics_board",
            "ethics_reference",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "questions": forms.CheckboxSelectMultiple,
            "sites": forms.CheckboxSelectMultiple,
            "instruments": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "registration_id": _("For example a ClinicalTrials.gov or OSF registration."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = Question.objects.exclude(
            status__in=[Question.Status.MERGED, Question.Status.DECLINED]
        )
        self.fields["sites"].queryset = Site.objects.order_by("name")
        self.fields["instruments"].queryset = Instrument.objects.order_by("slug")


class TeamForm(forms.Form):
    email = forms.EmailField(label=_("Add a team member by email"))

    def clean_email(self):
        from kindred.accounts.models import User

        user = User.objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody in the network has that email address."))
        return user


def _variable_choices():
    return [(name, var.label) for name, var in deid.catalog().items()]


class DataRequestForm(forms.Form):
    purpose = forms.CharField(
        label=_("What the data will be used for"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    instruments = forms.ModelMultipleChoiceField(
        label=_("Instruments"),
        queryset=Instrument.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"), queryset=Site.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    date_from = forms.DateField(
        label=_("Visits from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Visits until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    variables = forms.MultipleChoiceField(
        label=_("Variables about each visit"),
        choices=_variable_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Answers and scores always come; names, contact details, full dates and "
            "free text never do."
        ),
    )
    quasi_identifiers = forms.MultipleChoiceField(
        label=_("Check these for k-anonymity"),
        choices=_variable_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Variables someone could use to recognise a family. Leave all unchecked "
            "to check every requested variable."
        ),
    )
    k = forms.IntegerField(
        label=_("Smallest group size (k)"),
        min_value=2,
        max_value=50,
        initial=5,
        help_text=_(
            "Every combination of the checked variables is shared by at least k "
            "families, or it is coarsened or suppressed."
        ),
    )

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruments"].queryset = study.instruments.order_by("slug")
        self.fields["sites"].queryset = study.sites.order_by("name")
        if not self.is_bound:
            self.fields["variables"].initial = deid.DEFAULT_VARIABLES

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        variables = data.get("variables") or []
        quasi = data.get("quasi_identifiers") or []
        extra = [q for q in quasi if q not in variables]
        if extra:
            self.add_error(
                "quasi_identifiers", _("Only requested variables can be checked for k-anonymity.")
            )
        data["quasi_identifiers"] = quasi or variables
        return data


class ApproveForm(forms.ModelForm):
    class Meta:
        model = DataRequest
        fields = ["dua_reference", "dua_signed_on", "dua_expires_on", "dua_terms", "decision_note"]
        widgets = {
            "dua_signed_on": forms.DateInput(attrs={"type": "date"}),
            "dua_expires_on": forms.DateInput(attrs={"type": "date"}),
            "dua_terms": forms.Textarea(attrs={"rows": 3}),
            "decision_note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "dua_expires_on": _("Downloads stop on this day at the latest."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dua_reference"].required = True
        self.fields["dua_signed_on"].required = True

    def clean(self):
        data = super().clean()
        signed, ends = data.get("dua_signed_on"), data.get("dua_expires_on")
        if signed and ends and ends <= signed:
            self.add_error("dua_expires_on", _("The agreement must end after it is signed."))
        return data


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Why the request is declined"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FindingForm(forms.ModelForm):
    chart_rows = forms.CharField(
        label=_("Chart data"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One bar per line: English label | Spanish label | number."),
    )

    class Meta:
        model = Finding
        fields = [
            "title_en",
            "title_es",
            "questions",
            "summary_en",
            "summary_es",
            "details",
            "chart_title_en",
            "chart_title_es",
            "chart_unit",
        ]
        widgets = {
            "questions": forms.CheckboxSelectMultiple,
            "summary_en": forms.Textarea(attrs={"rows": 4}),
            "summary_es": forms.Textarea(attrs={"rows": 4}),
            "details": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "summary_en": _("Plain words a parent can read in a minute."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = Question.objects.exclude(
            status__in=[Question.Status.MERGED, Question.Status.DECLINED]
        )
        if self.instance.pk and not self.is_bound:
            self.fields["chart_rows"].initial = "\n".join(
                f"{bar['label_en']} | {bar['label_es']} | {bar['value']:g}"
                for bar in self.instance.chart
            )

    def clean_chart_rows(self) -> list[dict]:
        bars = []
        for number, line in enumerate(self.cleaned_data["chart_rows"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            try:
                if len(parts) != 3 or not parts[0]:
                    raise ValueError
                value = float(parts[2])
            except ValueError:
                raise forms.ValidationError(
                    _(
                        "Line %(n)s should look like: Read together daily | Leen juntos a diario "
                        "| 42"
                    ),
                    params={"n": number},
                ) from None
            bars.append({"label_en": parts[0], "label_es": parts[1] or parts[0], "value": value})
        if len(bars) > 20:
            raise forms.ValidationError(_("A chart can have at most 20 bars."))
        return bars
