from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kindred.observe.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a demo account (DEBUG only): the demo site "
        "staff share a published TOTP secret so that anyone can try the clinician journey."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="A demo account, e.g. clinician@demo.kindred.test")

    def handle(self, *args, email: str, **options):
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError("demo_totp prints codes for public demo secrets: DEBUG only.")
        if not email.endswith("@demo.kindred.test"):
            raise CommandError("Only demo accounts (…@demo.kindred.test) have a known secret.")
        authenticator = Authenticator.objects.filter(
            user__email__iexact=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator; run seed_demo first.")
        period = app_settings.TOTP_PERIOD
        now = int(timezone.now().timestamp())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // period))
        self.stdout.write(f"{code}  (valid for {period - now % period} more seconds)")
