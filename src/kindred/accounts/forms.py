from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from kindred.accounts.models import User


def _language_choices() -> list[tuple[str, str]]:
    # Each language in its own words, so anyone can find theirs.
    return [
        (code, get_language_info(code)["name_local"].capitalize())
        for code, _name in settings.LANGUAGES
    ]


class ProfileForm(forms.Form):
    # A plain form, not a ModelForm: services.update_profile does the saving and must see
    # what changed.
    name = forms.CharField(
        label=_("Your name"),
        max_length=User._meta.get_field("name").max_length,
        required=False,
        help_text=_("How other people in the network will see you."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=_language_choices,
        widget=forms.RadioSelect,
        help_text=_("Kindred's pages and emails will use this language."),
    )


class DeleteAccountForm(forms.Form):
    email = forms.CharField(
        label=_("Your email address"),
        help_text=_("Type the email address you sign in with, to show this is really you."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understand = forms.BooleanField(
        label=_("I understand that my account and my personal data will be deleted for good."),
        error_messages={"required": _("Please tick this box to confirm.")},
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise forms.ValidationError(
                _("This is not the email address of your account."), code="wrong_email"
            )
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."), code="wrong_password")
        return password

    def clean(self):
        cleaned = super().clean()
        if self.user.is_superuser and not (
            User.objects.filter(is_superuser=True, is_active=True).exclude(pk=self.user.pk).exists()
        ):
            raise forms.ValidationError(
                _("You are the only administrator. Make someone else an administrator first."),
                code="last_superuser",
            )
        return cleaned
