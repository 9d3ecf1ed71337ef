import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kindred.policy import services
from kindred.policy.models import Official

URL = "/policy/officials/import/"
HEADER = "name,office,jurisdiction,district,email,contact_form_url\n"
GOOD = (
    HEADER
    + "Sen. A,State Senator,ocd-division/country:us/state:ok,1,a@example.org,\n"
    + "Rep. B,State Representative,OK,2,,https://example.org/contact\n"
    + "Sen. C,U.S. Senator,ocd-division/country:us,,c@example.org,\n"
)


def upload(client, text, **extra):
    file = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    return client.post(URL, {"file": file, **extra})


def test_staff_import_a_good_file(client_as, staff):
    response = upload(client_as(staff), GOOD)
    assert response.status_code == 302
    officials = {o.name: o for o in Official.objects.select_related("jurisdiction", "state")}
    assert set(officials) == {"Sen. A", "Rep. B", "Sen. C"}
    assert officials["Rep. B"].state.usps == "OK"
    assert officials["Sen. C"].jurisdiction.ocd_id == "ocd-division/country:us"


def test_one_bad_row_saves_nothing_and_names_row_and_column(client_as, staff):
    text = GOOD + "Sen. D,State Senator,ocd-division/country:us/state:zz,3,not-an-email,ftp://x\n"
    response = upload(client_as(staff), text)
    assert response.status_code == 422
    body = response.content.decode()
    assert "nothing was imported" in body
    assert not Official.objects.exists()
    result = services.import_officials(text.encode(), user=staff)
    assert {(row, column) for row, column, _ in result.errors} == {
        (5, "jurisdiction"), (5, "email"), (5, "contact_form_url")
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name,email\nA,a@example.org\n", (1, "office, jurisdiction")),
        (HEADER, (2, "file")),
        (HEADER + ",State Senator,OK,1,,\n", (2, "name")),
        (HEADER + "A,,OK,1,,\n", (2, "office")),
        (HEADER + "A,Senator,OK,1,,\nA,Senator,OK,1,,\n", (3, "name")),
    ],
)
def test_bad_files_are_explained(staff, text, where):
    result = services.import_officials(text.encode(), user=staff)
    assert where in [(row, column) for row, column, _ in result.errors]
    assert not Official.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(staff):
    result = services.import_officials("name,office\nJosé,Senator\n".encode("utf-16"), user=staff)
    assert result.errors[0][1] == "file"


def test_open_states_columns_are_understood(staff):
    text = (
        "id,name,current_party,current_district,current_chamber,email,state\n"
        "ocd-person/1,Sen. E,Independent,7,upper,e@example.org,OK\n"
    )
    result = services.import_officials(text.encode(), user=staff)
    assert result.ok, result.errors
    official = Official.objects.get()
    assert (official.office, official.district, official.external_id) == (
        "State Senator", "7", "ocd-person/1"
    )  # fmt: skip


def test_reimport_updates_and_retires_who_left_office(staff):
    services.import_officials(GOOD.encode(), user=staff)
    after_election = HEADER + "Sen. A,State Senator,OK,1,new-a@example.org,\n"
    result = services.import_officials(after_election.encode(), user=staff, retire_missing=True)
    assert (result.created, result.updated, result.retired) == (0, 1, 1)
    assert Official.objects.get(name="Sen. A").email == "new-a@example.org"
    assert not Official.objects.get(name="Rep. B").is_active
    assert Official.objects.get(name="Sen. C").is_active  # another jurisdiction: untouched


def test_only_staff_may_import(client, client_as, bob):
    assert client.get(URL).status_code == 302
    assert client_as(bob).get(URL).status_code == 403
    assert upload(client_as(bob), GOOD).status_code == 403
    assert not Official.objects.exists()
