"""Demo accounts: one per persona. Passwords are public, so seed_demo refuses DEBUG off."""

from kindred.accounts.models import User
from kindred.accounts.services import create_account

DEMO_PASSWORD = "kindred-demo-2026"

# (email, name, what they can try)
PERSONAS = [
    (
        "staff@demo.kindred.test",
        "Nia Okafor",
        "network staff (administration; sets up MFA on first visit)",
    ),
    (
        "clinician@demo.kindred.test",
        "Dr. Elena Ruiz",
        "clinician at Riverside Pediatrics (MFA: manage.py demo_totp EMAIL)",
    ),
    ("chw@demo.kindred.test", "Marisol Vega", "community health worker at Family Roots (MFA)"),
    ("parent@demo.kindred.test", "Jasmine Carter", "parent in Tulsa, Oklahoma"),
    (
        "researcher@demo.kindred.test",
        "Dr. Sam Lee",
        "researcher with a study and an approved data request",
    ),
    ("advocate@demo.kindred.test", "Tom Whitehorse", "policy advocate"),
    ("orgadmin@demo.kindred.test", "Grace Kim", "organization admin and site admin (MFA)"),
]


def seed(rng, scale: str) -> None:
    for email, name, _what in PERSONAS:
        if User.objects.filter(email=email).exists():
            continue
        create_account(
            email,
            DEMO_PASSWORD,
            name=name,
            verified=True,
            is_staff=email.startswith("staff@"),
        )
