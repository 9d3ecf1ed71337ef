from __future__ import annotations

from allauth.account.forms import SignupForm
from django import forms
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kindred.core.models import Role, Sector, Topic
from kindred.core.ttl import TTLCache
from kindred.network.models import (
    Community,
    Language,
    MemberProfile,
    Organization,
    OrganizationMembership,
    Post,
    Visibility,
)
from kindred.network.photos import clean_photo
from kindred.places.forms import ZipCodeField
from kindred.places.models import County, State

NEW_ORGANIZATION = "new"


def _checkboxes(queryset, label, *, required=False, help_text=""):
    return forms.ModelMultipleChoiceField(
        queryset=queryset,
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


# --- Join, step by step -------------------------------------------------------------------


class JoinAboutForm(forms.Form):
    """Step 1: who you are."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As you would like others in the network to see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    roles = _checkboxes(
        Role.objects.active(),
        _("What do you do for babies and families?"),
        required=True,
        help_text=_("Choose all that fit."),
    )
    zip_code = ZipCodeField(
        label=_("Your ZIP code"),
        help_text=_("We use it to find your county and the communities near you."),
    )
    organization_name = forms.CharField(
        label=_("Your organization"),
        max_length=200,
        required=False,
        help_text=_("Where you work or volunteer. Leave it empty if that is not you."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organization_choice = forms.ChoiceField(
        label=_("Which organization do you mean?"),
        required=False,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Your title there"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    sectors = _checkboxes(
        Sector.objects.active(),
        _("Which systems do you work in?"),
        help_text=_("Parents and caregivers can leave this empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zip_field = self.fields["zip_code"]
        zip_field.template_name = "network/forms/zip_field.html"
        zip_field.widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "postal-code",
                "hx-get": reverse("network:join-zip"),
                "hx-trigger": "keyup changed delay:400ms, change",
                "hx-target": "#id_zip_code_place",
                "hx-sync": "this:replace",
            }
        )
        organization = self.fields["organization_name"]
        organization.template_name = "network/forms/organization_field.html"
        organization.widget.attrs.update(
            {
                "list": "organization-suggestions",
                "hx-get": reverse("network:join-organizations"),
                "hx-trigger": "keyup changed delay:300ms",
                "hx-target": "#organization-suggestions",
                "hx-sync": "this:replace",
            }
        )
        self.organization_matches: list[Organization] = []
        query = (self.data.get("organization_name") or "").strip() if self.is_bound else ""
        if query:
            self._offer_organizations(query)
        elif not self.is_bound and self.initial.get("organization_name"):
            self._offer_organizations(self.initial["organization_name"])
        if not self.fields["organization_choice"].choices:
            del self.fields["organization_choice"]

    def _offer_organizations(self, query: str) -> None:
        self.organization_matches = list(
            Organization.objects.filter(name__icontains=query).order_by("-is_verified", "name")[:5]
        )
        if self.organization_matches:
            choices = [(str(org.pk), self._label(org)) for org in self.organization_matches]
            choices.append((NEW_ORGANIZATION, _("None of these: add “%(name)s”") % {"name": query}))
            self.fields["organization_choice"].choices = choices

    @staticmethod
    def _label(org: Organization) -> str:
        return f"{org.name} ({org.county.label})" if org.county_id else org.name

    def clean(self):
        data = super().clean()
        query = (data.get("organization_name") or "").strip()
        if not query:
            data["organization_choice"] = ""
            return data
        exact = [o for o in self.organization_matches if o.name.lower() == query.lower()]
        choice = data.get("organization_choice")
        if not choice and len(exact) == 1:
            data["organization_choice"] = str(exact[0].pk)
        elif not choice and self.organization_matches:
            self.add_error(
                "organization_choice",
                _("We found organizations with similar names. Choose yours, or add a new one."),
            )
        elif not choice:
            data["organization_choice"] = NEW_ORGANIZATION
        return data


class JoinInterestsForm(forms.Form):
    """Step 2: what you care about and how to reach you."""

    topics = _checkboxes(
        Topic.objects.active(), _("What do you care about?"), help_text=_("Choose any.")
    )
    languages = _checkboxes(
        Language.objects.all(), _("Which languages do you speak?"), required=True
    )
    contact_methods = forms.MultipleChoiceField(
        label=_("How would you like people in the network to reach you?"),
        choices=MemberProfile.Contact.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    listed_in_directory = forms.BooleanField(
        label=_("List me in the directory so others nearby can find me"),
        required=False,
        help_text=_("You can change this at any time on your profile."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see my profile"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )


class JoinAccountForm(SignupForm):
    """Step 3: allauth's own sign-up form (email, password twice), plus the terms."""

    accept_terms = forms.BooleanField(
        label=_("I agree to the network's terms of use and privacy notice"),
        error_messages={"required": _("Please agree to the terms to create your account.")},
    )

    def existing_account_error(self) -> str:
        return format_html(
            _(
                "There is already an account for this email. "
                '<a href="{login}">Sign in</a> to finish joining, or '
                '<a href="{reset}">reset your password</a> if you have forgotten it.'
            ),
            login=reverse("account_login") + "?next=" + reverse("network:join-account"),
            reset=reverse("account_reset_password"),
        )


class JoinTermsForm(forms.Form):
    """Step 3 for someone already signed in: only the terms."""

    accept_terms = JoinAccountForm.base_fields["accept_terms"]


# --- Profiles -------------------------------------------------------------------------------


class ProfileForm(forms.ModelForm):
    zip_code = ZipCodeField(label=_("ZIP code"), required=False)
    contact_methods = forms.MultipleChoiceField(
        label=_("How people can reach me"),
        choices=MemberProfile.Contact.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("A JPEG, PNG, WebP or GIF under 5 MB. We remove location and camera data."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = MemberProfile
        fields = [
            "display_name",
            "pronouns",
            "roles",
            "sectors",
            "topics",
            "languages",
            "zip_code",
            "bio",
            "photo",
            "visibility",
            "listed_in_directory",
            "contact_methods",
            "phone",
        ]
        widgets = {
            "roles": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
            "bio": forms.Textarea(attrs={"rows": 5}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }
        help_texts = {
            "bio": _("Plain text, up to 2,000 characters."),
            "phone": _("Shown only to people you are connected with."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = Role.objects.active()
        self.fields["sectors"].queryset = Sector.objects.active()
        self.fields["topics"].queryset = Topic.objects.active()
        if self.instance.zip_code_id and not self.is_bound:
            self.initial["zip_code"] = self.instance.zip_code_id

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo is False:  # "clear" was ticked
            return ""
        if photo in (None, "") or photo == self.instance.photo:
            return None
        return clean_photo(photo)


# --- Organizations --------------------------------------------------------------------------


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    zip_code = ZipCodeField(label=_("ZIP code of the main office"), required=False)

    class Meta:
        model = Organization
        # "website" is declared above (https by default) rather than built from the model.
        fields = ["name", "description", "sectors", "zip_code", "states_served"]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "states_served": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.active()
        self.fields["states_served"].queryset = State.objects.all()
        self.fields["states_served"].required = False
        if self.instance.pk and self.instance.state_id:
            self.fields["counties_served"] = forms.ModelMultipleChoiceField(
                queryset=County.objects.filter(state_id=self.instance.state_id),
                required=False,
                label=_("Counties served in %(state)s") % {"state": self.instance.state},
                widget=forms.SelectMultiple(attrs={"size": 8}),
                initial=list(self.instance.counties_served.values_list("pk", flat=True)),
            )
        if self.instance.zip_code_id and not self.is_bound:
            self.initial["zip_code"] = self.instance.zip_code_id
        if self.instance.pk and not self.is_bound:
            self.initial["website"] = self.instance.website
        self.order_fields(["name", "description", "website"])


class OrganizationMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("They need to have joined the network already."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=OrganizationMembership.Role.choices,
        initial=OrganizationMembership.Role.MEMBER,
    )
    title = forms.CharField(label=_("Title"), max_length=150, required=False)


class OrganizationMemberChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrganizationMembership.Role.choices)
    title = forms.CharField(label=_("Title"), max_length=150, required=False)


# --- Communities ----------------------------------------------------------------------------


class CommunityForm(forms.ModelForm):
    area_zip = ZipCodeField(
        label=_("A ZIP code in the community's area"),
        required=False,
        help_text=_("For neighborhood, city and county communities: sets the county and state."),
    )

    class Meta:
        model = Community
        fields = [
            "name",
            "level",
            "description",
            "state",
            "topic",
            "join_policy",
            "join_questions",
            "parents",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "join_questions": forms.Textarea(attrs={"rows": 3}),
            "join_policy": forms.RadioSelect,
            "parents": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.active()
        self.fields["parents"].queryset = Community.objects.active().filter(
            level__in=[
                Community.Level.NATIONAL,
                Community.Level.STATE,
                Community.Level.COUNTY,
                Community.Level.CITY,
                Community.Level.TOPIC,
            ]
        )
        self.fields["parents"].required = False

    def clean(self):
        data = super().clean()
        level = data.get("level")
        local = {Community.Level.NEIGHBORHOOD, Community.Level.CITY, Community.Level.COUNTY}
        if level in local and not data.get("area_zip") and "area_zip" not in self.errors:
            self.add_error("area_zip", _("Give a ZIP code in the area of a local community."))
        if level == Community.Level.STATE and not data.get("state"):
            self.add_error("state", _("Choose the state this community is for."))
        if level == Community.Level.TOPIC and not data.get("topic"):
            self.add_error("topic", _("Choose the topic this community is about."))
        policy = data.get("join_policy")
        if policy == Community.JoinPolicy.QUESTIONS and not data.get("join_questions", "").strip():
            self.add_error("join_questions", _("Write at least one question for newcomers."))
        return data


class CommunityEditForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["name", "description", "join_policy", "join_questions", "parents", "peers"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "join_questions": forms.Textarea(attrs={"rows": 3}),
            "join_policy": forms.RadioSelect,
            "parents": forms.SelectMultiple(attrs={"size": 8}),
            "peers": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Community.objects.active().exclude(pk=self.instance.pk).order_by("name")
        self.fields["parents"].queryset = others.exclude(level=Community.Level.NEIGHBORHOOD)
        self.fields["peers"].queryset = others
        self.fields["parents"].required = self.fields["peers"].required = False

    def clean(self):
        data = super().clean()
        policy = data.get("join_policy")
        if policy == Community.JoinPolicy.QUESTIONS and not data.get("join_questions", "").strip():
            self.add_error("join_questions", _("Write at least one question for newcomers."))
        return data


class JoinCommunityForm(forms.Form):
    answers = forms.CharField(
        label=_("Your answers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["kind", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5}), "kind": forms.RadioSelect}

    def __init__(self, *args, can_announce: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_announce:
            del self.fields["kind"]


# --- Connections ----------------------------------------------------------------------------


class ConnectionRequestForm(forms.Form):
    note = forms.CharField(
        label=_("A note to introduce yourself"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Directory ------------------------------------------------------------------------------


# Drop-down options of the directory filters as HTML, per (field, language, state); cleared
# by signals when a vocabulary, state or county changes (kindred/network/signals.py).
OPTIONS_SECONDS = 300
_OPTIONS = TTLCache(OPTIONS_SECONDS, limit=500)


def _options_html(field: forms.Field) -> str:
    if isinstance(field, forms.ModelChoiceField):
        attr = field.to_field_name or "pk"
        options = [(str(getattr(obj, attr)), str(obj)) for obj in field.queryset]
    else:
        options = [(str(value), str(label)) for value, label in field.choices]
    return str(format_html_join("", '<option value="{}">{}</option>', options))


class DirectoryForm(forms.Form):
    """Filters for the directory. Every field is optional; invalid ones are ignored with
    a message, so a shared link with a stale value still shows results."""

    PEOPLE, ORGANIZATIONS = "people", "organizations"
    MILES = [(5, "5"), (10, "10"), (25, "25"), (50, "50"), (100, "100")]

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Show"),
        choices=[(PEOPLE, _("People")), (ORGANIZATIONS, _("Organizations"))],
        required=False,
        initial=PEOPLE,
    )
    role = forms.ModelChoiceField(
        Role.objects.active(),
        label=_("Role"),
        required=False,
        empty_label=_("Any role"),
        to_field_name="slug",
    )
    sector = forms.ModelChoiceField(
        Sector.objects.active(),
        label=_("Sector"),
        required=False,
        empty_label=_("Any sector"),
        to_field_name="slug",
    )
    topic = forms.ModelChoiceField(
        Topic.objects.active(),
        label=_("Topic"),
        required=False,
        empty_label=_("Any topic"),
        to_field_name="slug",
    )
    language = forms.ModelChoiceField(
        Language.objects.all(), label=_("Language"), required=False, empty_label=_("Any language")
    )
    state = forms.ModelChoiceField(
        State.objects.all(),
        label=_("State"),
        required=False,
        empty_label=_("Any state"),
        to_field_name="usps",
    )
    county = forms.ModelChoiceField(
        County.objects.none(),
        label=_("County"),
        required=False,
        empty_label=_("Any county"),
    )
    near = ZipCodeField(label=_("Near ZIP code"), required=False)
    miles = forms.TypedChoiceField(
        label=_("Within (miles)"), choices=MILES, coerce=int, required=False, initial=25
    )

    SELECTS = ("kind", "role", "sector", "topic", "language", "state", "county", "miles")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        county = self.fields["county"]
        usps = (self.data.get("state") or "").upper() if self.is_bound else ""
        if usps:
            county.queryset = County.objects.filter(state__usps=usps).order_by("name")
            chosen = self.data.get("county")
            if chosen and not county.queryset.filter(pk=chosen).exists():
                # The state changed under a county of another state: drop it quietly.
                self.data = self.data.copy()
                self.data["county"] = ""
        else:
            county.help_text = _("Choose a state first.")

    def selects(self, names: tuple[str, ...] = SELECTS) -> dict[str, dict]:
        """Each drop-down's options as ready HTML: rendering Django's Select widget option by
        option costs more than the whole directory query. The options (vocabularies, states,
        a state's counties) change rarely, so each list is kept briefly per language."""
        result = {}
        language = get_language() or "en"
        usps = (self.data.get("state") or "").upper() if self.is_bound else ""
        for name in names:
            field = self.fields[name]
            key = (name, language, usps if name == "county" else "")
            html = _OPTIONS.get(key, lambda _key, field=field: _options_html(field))
            empty_label = field.empty_label if isinstance(field, forms.ModelChoiceField) else None
            value = self[name].value()
            selected = "" if value is None else str(value)
            if selected:
                marker = f'<option value="{escape(selected)}">'
                html = html.replace(marker, marker[:-1] + " selected>", 1)
            result[name] = {
                "field": self[name],
                "options_html": mark_safe(html),  # noqa: S308 (built with format_html_join)
                "selected": selected,
                "empty_label": empty_label,
                "wrapper_id": "county-field" if name == "county" else "",
            }
        return result

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.PEOPLE
