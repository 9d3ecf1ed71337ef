from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindred.accounts.models import User
from kindred.core.models import Topic
from kindred.library.models import (
    Audience,
    Campaign,
    Event,
    NewsletterIssue,
    Resource,
    Story,
    SuggestedPost,
)
from kindred.library.models.events import TIME_ZONES
from kindred.network.models import Community, Organization
from kindred.places.models import State, ZipCode

PDF_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_BYTES = 5 * 1024 * 1024
WEB_ONLY = URLValidator(schemes=["http", "https"])


def validate_pdf(upload) -> None:
    """Refuse anything that is not really a PDF, whatever its name or declared type."""
    if upload.size > PDF_MAX_BYTES:
        raise forms.ValidationError(
            _("This file is larger than 10 MB. Please upload a smaller PDF.")
        )
    if not upload.name.lower().endswith(".pdf"):
        raise forms.ValidationError(_("Please upload a PDF file (its name ends in .pdf)."))
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head.startswith(b"%PDF-"):
        raise forms.ValidationError(
            _(
                "This file's content is not a PDF, although its name says so. "
                "Please upload the PDF itself."
            )
        )


def validate_image_size(upload) -> None:
    if upload and upload.size > IMAGE_MAX_BYTES:
        raise forms.ValidationError(
            _("This image is larger than 5 MB. Please upload a smaller one.")
        )


def topic_field(label=None, required=False) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Topic.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        required=required,
        label=label or _("Topics"),
    )


class ResourceSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    audience = forms.ChoiceField(
        label=_("For"), required=False, choices=[("", _("Everyone"))] + Audience.choices
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language"))] + settings.LANGUAGES
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type"))] + Resource.Type.choices
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any topic"))] + [
            (topic.slug, topic.name) for topic in Topic.objects.active()
        ]


class ResourceForm(forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("Written for"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    topics = topic_field()
    external_url = forms.URLField(
        label=_("Link"), required=False, max_length=500, assume_scheme="https"
    )
    translation_of = forms.CharField(
        label=_("Translation of"),
        required=False,
        max_length=500,
        help_text=_("The web address of the same resource in the other language, if there is one."),
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "summary",
            "body",
            "type",
            "language",
            "external_url",
            "file",
            "source",
            "source_date",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "source_date": forms.DateInput(attrs={"type": "date"}),
            "file": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["external_url"].validators.append(WEB_ONLY)
        if self.instance.pk:
            self.fields["audiences"].initial = self.instance.audiences
            self.fields["topics"].initial = self.instance.topics.all()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_pdf(upload)
        return upload

    def clean_translation_of(self) -> Resource | None:
        value = self.cleaned_data["translation_of"].strip().rstrip("/")
        if not value:
            return None
        slug = value.rsplit("/", 1)[-1]
        other = Resource.objects.published().filter(slug=slug).first()
        if other is None:
            raise forms.ValidationError(_("No published resource has that web address."))
        return other

    def clean(self):
        data = super().clean()
        if data.get("type") == Resource.Type.VIDEO and not data.get("external_url"):
            self.add_error("external_url", _("A video needs a link to where it can be watched."))
        return data


class AssignReviewerForm(forms.Form):
    email = forms.EmailField(label=_("Reviewer's email address"))

    def clean_email(self) -> User:
        user = User.objects.filter(email=self.cleaned_data["email"].lower(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody with that email address has joined Kindred yet."))
        return user


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and publish")), ("changes", _("Ask for changes"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "changes" and not data.get("note", "").strip():
            self.add_error("note", _("Please say what should change, so the author can act on it."))
        return data


class StoryForm(forms.ModelForm):
    topics = topic_field(label=_("Themes"))
    consent = forms.BooleanField(
        label=_(
            "I agree that Kindred may publish my story as I chose above. "
            "I can withdraw it at any time."
        ),
        error_messages={
            "required": _("Please give your consent, or we cannot publish your story.")
        },
    )

    class Meta:
        model = Story
        fields = [
            "title",
            "body",
            "teller_name",
            "teller_email",
            "teller_role",
            "attribution",
            "language",
            "state",
            "photo",
            "photo_alt",
            "consent_photo",
        ]
        widgets = {
            "attribution": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 10}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        labels = {"state": _("Where you live (optional)")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["state"].queryset = State.objects.all()
        self.fields["state"].required = False
        if user is not None and user.is_authenticated:
            self.fields["teller_email"].widget = forms.HiddenInput()
        else:
            self.fields["teller_email"].required = True
            self.fields["teller_email"].help_text = _(
                "Only to tell you when your story is published. Never shown."
            )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        validate_image_size(photo)
        return photo

    def clean(self):
        data = super().clean()
        if data.get("photo") and not data.get("photo_alt", "").strip():
            self.add_error(
                "photo_alt", _("Please describe the photo for people who cannot see it.")
            )
        return data


class ModerateStoryForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("decline", _("Do not publish"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the storyteller"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("note", "").strip():
            self.add_error("note", _("Please write a short note so the storyteller knows why."))
        return data


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=settings.LANGUAGES)
    topics = topic_field(label=_("Topics you care about (leave empty for everything)"))


class NewLinkForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))


class IssueForm(forms.ModelForm):
    topics = topic_field()

    class Meta:
        model = NewsletterIssue
        fields = ["subject", "body", "language", "topics"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}


class CampaignForm(forms.ModelForm):
    resource_addresses = forms.CharField(
        label=_("Resources to share"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Web addresses of published resources, one per line."),
    )

    class Meta:
        model = Campaign
        fields = ["title", "core_message", "description", "community", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "core_message": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Community.objects.active()
        if not (user.is_staff or user.is_superuser):
            communities = communities.filter(
                memberships__user=user, memberships__role="organizer", memberships__status="active"
            )
        self.fields["community"].queryset = communities
        if self.instance.pk:
            self.fields["resource_addresses"].initial = "\n".join(
                resource.get_absolute_url() for resource in self.instance.resources.all()
            )

    def clean_resource_addresses(self) -> list[Resource]:
        lines = [
            line.strip().rstrip("/")
            for line in self.cleaned_data["resource_addresses"].splitlines()
        ]
        slugs = [line.rsplit("/", 1)[-1] for line in lines if line]
        found = Resource.objects.published().in_bulk(slugs, field_name="slug")
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise forms.ValidationError(
                _("These are not published resources: %(list)s") % {"list": ", ".join(missing)}
            )
        return [found[slug] for slug in dict.fromkeys(slugs)]

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return data


class SuggestedPostForm(forms.ModelForm):
    class Meta:
        model = SuggestedPost
        fields = ["language", "text", "image", "image_alt"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def clean_image(self):
        image = self.cleaned_data.get("image")
        validate_image_size(image)
        return image

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("image_alt", "").strip():
            self.add_error(
                "image_alt", _("Please describe the image for people who cannot see it.")
            )
        return data


def host_choices(user) -> list[tuple[str, str]]:
    """Communities the person belongs to and organizations they are part of."""
    communities = Community.objects.active().filter(
        memberships__user=user, memberships__status="active"
    )
    organizations = Organization.objects.filter(memberships__user=user)
    if user.is_staff or user.is_superuser:
        communities, organizations = Community.objects.active(), Organization.objects.all()
    return [(f"community:{c.pk}", c.name) for c in communities.order_by("name")] + [
        (f"organization:{o.pk}", o.name) for o in organizations.order_by("name")
    ]


class EventForm(forms.ModelForm):
    host = forms.ChoiceField(label=_("Hosted by"))
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, max_length=500, assume_scheme="https"
    )
    start = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    end = forms.DateTimeField(
        label=_("Ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    zip = forms.CharField(label=_("ZIP code"), required=False, max_length=5)
    topics = topic_field()

    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "mode",
            "online_url",
            "venue_name",
            "address",
            "timezone",
            "capacity",
            "language",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "mode": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = TIME_ZONES
        self.fields["online_url"].validators.append(WEB_ONLY)
        event = self.instance
        if event.pk:
            del self.fields["host"]
            self.fields["start"].initial = event.local_start.replace(tzinfo=None)
            self.fields["end"].initial = event.local_end.replace(tzinfo=None)
            self.fields["zip"].initial = event.zip_code_id or ""
            self.fields["topics"].initial = event.topics.all()
        else:
            self.fields["host"].choices = host_choices(user)

    def clean_host(self) -> Community | Organization:
        kind, _sep, pk = self.cleaned_data["host"].partition(":")
        model = Community if kind == "community" else Organization
        return model.objects.get(pk=pk)

    def clean_zip(self) -> ZipCode | None:
        code = self.cleaned_data["zip"].strip()
        if not code:
            return None
        zip_code = ZipCode.objects.select_related("county", "state").filter(code=code).first()
        if zip_code is None:
            raise forms.ValidationError(_("We do not know this ZIP code. Please check it."))
        return zip_code

    def clean(self):
        data = super().clean()
        tz_name = data.get("timezone")
        if data.get("start") and data.get("end") and tz_name:
            tz = zoneinfo.ZoneInfo(tz_name)
            start = data["start"].replace(tzinfo=None).replace(tzinfo=tz)
            end = data["end"].replace(tzinfo=None).replace(tzinfo=tz)
            if end <= start:
                self.add_error("end", _("The event must end after it starts."))
            elif not self.instance.pk and start < timezone.now():
                self.add_error("start", _("Please choose a time in the future."))
            elif end - start > dt.timedelta(days=14):
                self.add_error("end", _("An event can last at most two weeks."))
            data["starts_at"], data["ends_at"] = start, end
        mode = data.get("mode")
        if mode in {Event.Mode.ONLINE, Event.Mode.HYBRID} and not data.get("online_url"):
            self.add_error("online_url", _("An online event needs a meeting link."))
        if mode in {Event.Mode.IN_PERSON, Event.Mode.HYBRID} and not (
            data.get("venue_name") or data.get("address")
        ):
            self.add_error("venue_name", _("Please say where people should come."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self._meta.fields}
        fields.update(starts_at=data["starts_at"], ends_at=data["ends_at"], zip_code=data["zip"])
        if data["zip"] is None:
            fields.update(county=None, state=None)
        else:
            fields.update(county=data["zip"].county, state=data["zip"].state)
        return fields


class GuestRSVPForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))


class TrustHostForm(forms.Form):
    email = forms.EmailField(label=_("Member's email address"))

    def clean_email(self) -> User:
        user = User.objects.filter(email=self.cleaned_data["email"].lower(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody with that email address has joined Kindred yet."))
        return user
