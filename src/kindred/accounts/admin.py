from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from kindred.accounts.models import User
from kindred.core.audit import log_action

# Staff sign in through allauth's form, so the admin gets the same two-factor step and
# django-axes lockout as every other page instead of Django's password-only login.
admin.site.login = secure_admin_login(admin.site.login)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")
        field_classes: dict = {}


class UserChangingForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


class MFAFilter(admin.SimpleListFilter):
    title = _("two-factor authentication")
    parameter_name = "mfa"

    def lookups(self, request, model_admin):
        return [("yes", _("Set up")), ("no", _("Not set up"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(has_mfa=self.value() == "yes")
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangingForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "name",
        "is_staff",
        "is_superuser",
        "is_active",
        "mfa_set_up",
        "date_joined",
        "last_login",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", MFAFilter, "language", "date_joined"]
    search_fields = ["email", "name", "emailaddress__email"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal details"), {"fields": ["name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "name", "usable_password", "password1", "password2"],
            },
        ),
    ]

    def get_queryset(self, request):
        totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        return super().get_queryset(request).annotate(has_mfa=Exists(totp))

    @admin.display(boolean=True, description=_("two-factor"), ordering="has_mfa")
    def mfa_set_up(self, obj: User) -> bool:
        return obj.has_mfa

    def save_model(self, request, obj: User, form, change: bool) -> None:
        obj.email = obj.email.lower()
        super().save_model(request, obj, form, change)
        if not change:
            # The person confirms the address the first time they sign in.
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=False)
            log_action(request.user, "account.created", obj, by="admin")
