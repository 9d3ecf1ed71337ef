import pytest
from allauth.mfa.models import Authenticator

from kindred.accounts.services import create_account
from kindred.core.audit import log_action
from kindred.core.models import AuditEvent, Role
from kindred.core.progress import start_progress


@pytest.fixture
def staff(db):
    user = create_account("staff@example.org", "pw", verified=True, is_staff=True)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    # Staff must use two-factor sign-in; a TOTP authenticator lets them through.
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def test_staff_edit_vocabularies_in_order(client_as, staff):
    client = client_as(staff)
    response = client.get("/admin/core/role/")
    assert response.status_code == 200
    assert "Parent or caregiver" in response.content.decode()
    role = Role.objects.get(slug="doula")
    response = client.get(f"/admin/core/role/{role.pk}/change/")
    assert response.status_code == 200
    # The slug is shown but cannot be changed: other apps refer to it.
    assert 'name="slug"' not in response.content.decode()


def test_the_audit_log_is_read_only(client_as, staff, alice):
    event = log_action(alice, "profile.updated", alice, fields=["name"])
    client = client_as(staff)
    response = client.get("/admin/core/auditevent/?q=profile")
    assert response.status_code == 200
    assert "profile.updated" in response.content.decode()
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    page = client.get(f"/admin/core/auditevent/{event.pk}/change/").content.decode()
    assert 'name="verb"' not in page  # shown, not editable
    client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_task_progress_is_listed_read_only(client_as, staff, alice):
    start_progress(alice, "Building an export")
    client = client_as(staff)
    response = client.get("/admin/core/taskprogress/?status=queued")
    assert response.status_code == 200
    assert "Building an export" in response.content.decode()
    assert client.get("/admin/core/taskprogress/add/").status_code == 403


def test_people_who_are_not_staff_cannot_open_the_admin(client_as, alice):
    response = client_as(alice).get("/admin/core/auditevent/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
