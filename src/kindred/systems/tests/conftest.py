import pytest

from kindred.accounts.services import create_account
from kindred.systems.tests.factories import make_org, make_service


@pytest.fixture
def rosa(db):
    """Runs the receiving program (another organization, another sector)."""
    return create_account(
        "rosa@example.org", "x-long-password-1", name="Rosa Receiver", verified=True
    )


@pytest.fixture
def clinic(alice, bob):
    """A pediatric clinic (health care) that alice administers and bob belongs to."""
    return make_org("Riverside Pediatrics", admin=alice, member=bob)


@pytest.fixture
def program(rosa):
    """A home-visiting program that rosa administers."""
    return make_org("Tulsa Home Visits", admin=rosa, sectors=("home-visiting",))


@pytest.fixture
def service(program, rosa):
    return make_service(program, rosa)
