from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindred.core.db import fast


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get(self, *args, **kwargs):
        # Every signed-in request loads its user with get(pk=…) (Django's ModelBackend):
        # that one lookup uses a statement built once per process (kindred.core.db.fast).
        # The user was usually read along with the session already (kindred.core.sessions).
        if not args and len(kwargs) == 1 and "pk" in kwargs:
            # Not at the top: kindred.core.sessions imports Django's auth middleware, whose
            # views and forms need the models loaded, and this module is one of them.
            from kindred.core.sessions import user_loaded_with_session

            pk = kwargs["pk"]
            loaded = user_loaded_with_session(self.model, pk, using=self._db)
            return loaded if loaded is not None else fast.get(self.model, pk, using=self._db)
        return super().get(*args, **kwargs)

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in to Kindred. Email is the login."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="", blank=True
    )
    is_staff = models.BooleanField(
        _("network staff"),
        default=False,
        help_text=_("Network staff may sign in to the administration pages."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name.split() or [self.email])[0]

    @property
    def must_use_mfa(self) -> bool:
        """Whether this person must sign in with a second factor.

        Network staff must, and so must anyone who may see family data: each app that
        grants such a role lists the relation in ``settings.MFA_REQUIRED_RELATIONS``
        (e.g. ``"site_memberships"`` from observe), so this rule stays in one place.
        """
        if self.is_staff or self.is_superuser:
            return True
        for relation in getattr(settings, "MFA_REQUIRED_RELATIONS", []):
            manager = getattr(self, relation, None)
            if manager is not None and manager.exists():
                return True
        return False
