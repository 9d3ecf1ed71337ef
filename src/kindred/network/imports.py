"""Import members and organizations from a CSV file, such as a CRM export.

The journey: upload (``save_upload``) → map columns (``guess_mapping``, saved with
``save_meta``) → preview (``validate``: every row checked, errors listed by row and column)
→ confirm → ``run_import`` in a background task.

- All or nothing: ``run_import`` validates again and writes every row in one transaction; any
  error and nothing is written.
- Duplicates are merged by email: a person already in Kindred (or listed twice in the file)
  is updated, never duplicated. Updates fill in what is missing and add roles, sectors,
  topics, languages and affiliations; they never overwrite what a member wrote themselves.
- Files are read as UTF-8 (with or without a byte-order mark) or, failing that, as Windows-1252
  (Excel's "CSV" on Windows); any line endings; blank lines skipped; ZIP codes that lost their
  leading zero in a spreadsheet ("2139") are restored ("02139").
- People imported get an account without a password (they set one with "forgot password"),
  an unverified email address, and a hidden, unlisted profile until they choose otherwise.

The uploaded file and its column mapping are kept under ``private/network-imports/<token>/``
in the default storage until the import has run.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kindred.accounts.models import User
from kindred.accounts.services import create_account
from kindred.core.audit import log_action
from kindred.core.models import Role, Sector, Topic
from kindred.core.progress import advance, fail, finish
from kindred.network import services
from kindred.network.models import (
    Community,
    CommunityMembership,
    Language,
    MemberProfile,
    Organization,
    OrganizationMembership,
    Visibility,
)
from kindred.network.search import fold
from kindred.places.models import ZipCode
from kindred.places.services import ZipCodeError, normalize_zip

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
PREVIEW_ROWS = 10
PROGRESS_EVERY = 50
PREFIX = "private/network-imports"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_SPLIT = re.compile(r"[;|,\n]")

# Kindred's fields, in the order the mapping form shows them.
FIELDS: dict[str, object] = {
    "email": gettext_lazy("Email"),
    "name": gettext_lazy("Full name"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "zip_code": gettext_lazy("ZIP code"),
    "organization": gettext_lazy("Organization"),
    "title": gettext_lazy("Job title"),
    "roles": gettext_lazy("Roles"),
    "sectors": gettext_lazy("Sectors"),
    "topics": gettext_lazy("Topics"),
    "languages": gettext_lazy("Languages"),
    "phone": gettext_lazy("Phone"),
    "pronouns": gettext_lazy("Pronouns"),
}
# Column headings (folded, letters and digits only) that usually mean each field.
SYNONYMS = {
    "email": {"email", "emailaddress", "mail", "correo", "correoelectronico", "primaryemail"},
    "name": {"name", "fullname", "contactname", "displayname", "nombre", "nombrecompleto"},
    "first_name": {"firstname", "givenname", "first", "nombredepila"},
    "last_name": {"lastname", "surname", "familyname", "last", "apellido", "apellidos"},
    "zip_code": {
        "zip",
        "zipcode",
        "postalcode",
        "postcode",
        "mailingzip",
        "mailingzipcode",
        "mailingpostalcode",
        "codigopostal",
    },
    "organization": {
        "organization",
        "organisation",
        "company",
        "accountname",
        "employer",
        "agency",
        "organizacion",
        "org",
    },
    "title": {"title", "jobtitle", "position", "cargo", "puesto"},
    "roles": {"role", "roles", "rol"},
    "sectors": {"sector", "sectors", "system", "systems"},
    "topics": {"topic", "topics", "interests", "temas"},
    "languages": {"language", "languages", "idioma", "idiomas"},
    "phone": {"phone", "phonenumber", "mobile", "mobilephone", "cell", "telefono"},
    "pronouns": {"pronouns", "pronombres"},
}


class ImportFileError(Exception):
    """The file cannot be read at all; the message is for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class RowError:
    row: int  # as a spreadsheet numbers it: the heading is row 1
    column: str  # the heading of the column in the file ("" when about the whole row)
    message: str


@dataclass
class Person:
    """One person (or, without an email, one organization) after validation and merging."""

    rows: list[int]
    email: str = ""
    name: str = ""
    zip_code: ZipCode | None = None
    organization: str = ""
    title: str = ""
    phone: str = ""
    pronouns: str = ""
    roles: set = field(default_factory=set)
    sectors: set = field(default_factory=set)
    topics: set = field(default_factory=set)
    languages: set = field(default_factory=set)
    exists: bool = False

    def merge(self, other: Person) -> None:
        """Another row with the same email: fill in blanks, add to the lists."""
        self.rows += other.rows
        for name in ("name", "zip_code", "organization", "title", "phone", "pronouns"):
            if not getattr(self, name) and getattr(other, name):
                setattr(self, name, getattr(other, name))
        for name in ("roles", "sectors", "topics", "languages"):
            getattr(self, name).update(getattr(other, name))


@dataclass
class Validation:
    people: list[Person]
    errors: list[RowError]
    rows: int

    @property
    def new_people(self) -> int:
        return sum(1 for p in self.people if p.email and not p.exists)

    @property
    def existing_people(self) -> int:
        return sum(1 for p in self.people if p.email and p.exists)

    @property
    def organizations_only(self) -> int:
        return sum(1 for p in self.people if not p.email)


# --- Reading the file -----------------------------------------------------------------------


def decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise ImportFileError(
            _("This file is not a CSV text file. Save it as “CSV UTF-8” and try again.")
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(
                _("We could not read the characters in this file. Save it as “CSV UTF-8”.")
            ) from None


def read_csv(raw: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Headings, and the non-blank rows as (row number, cells)."""
    if len(raw) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB. Split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    text = decode(raw)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headings: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            cells = [cell.replace("\ufeff", "").strip() for cell in cells]
            if not any(cells):
                continue
            if headings is None:
                headings = [
                    cell or _("Column %(n)s") % {"n": i + 1} for i, cell in enumerate(cells)
                ]
                heading_row = number
                continue
            rows.append((number - heading_row + 1, cells))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(n)s rows. Split it into smaller files.")
                    % {"n": MAX_ROWS}
                )
    except csv.Error as exc:
        raise ImportFileError(
            _("The file is not valid CSV: %(problem)s") % {"problem": str(exc)}
        ) from None
    if headings is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has headings but no rows."))
    return headings, rows


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def guess_mapping(headings: list[str]) -> dict[str, int | None]:
    """Kindred field -> column index, from the headings' usual names."""
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)
    for index, heading in enumerate(headings):
        key = _key(heading)
        for name, words in SYNONYMS.items():
            if mapping[name] is None and key in words:
                mapping[name] = index
                break
    return mapping


# --- Storage of uploads between steps -------------------------------------------------------


def _path(token: str, name: str) -> str:
    if not _TOKEN.match(token or ""):
        raise FileNotFoundError(token)
    return f"{PREFIX}/{token}/{name}"


def save_upload(raw: bytes, *, owner: User, filename: str, community_id: int | None) -> str:
    """Keep the file until the import runs; returns its token. Reads it first, so a file
    that cannot be read is refused here (``ImportFileError``)."""
    headings, _rows = read_csv(raw)
    token = uuid.uuid4().hex
    default_storage.save(_path(token, "upload.csv"), ContentFile(raw))
    save_meta(
        token,
        {
            "owner_id": owner.pk,
            "filename": filename[:200],
            "community_id": community_id,
            "mapping": guess_mapping(headings),
            "mapped": False,
            "uploaded": timezone.now().isoformat(),
        },
    )
    return token


def save_meta(token: str, meta: dict) -> None:
    path = _path(token, "meta.json")
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(meta).encode()))


def load_meta(token: str) -> dict:
    with default_storage.open(_path(token, "meta.json"), "rb") as handle:
        return json.loads(handle.read())


def load_upload(token: str) -> bytes:
    with default_storage.open(_path(token, "upload.csv"), "rb") as handle:
        return handle.read()


def delete_upload(token: str) -> None:
    for name in ("upload.csv", "meta.json"):
        path = _path(token, name)
        if default_storage.exists(path):
            default_storage.delete(path)


def upload_for(token: str, user) -> dict | None:
    """The upload's details if ``user`` made it, else None."""
    try:
        meta = load_meta(token)
    except (FileNotFoundError, OSError, ValueError):
        return None
    return meta if meta.get("owner_id") == getattr(user, "pk", None) else None


# --- Validation -----------------------------------------------------------------------------


class _Vocabulary:
    """Terms by slug and by name in English and Spanish (folded)."""

    def __init__(self, items: Iterable, keys):
        self.by_key: dict[str, object] = {}
        self.names: list[str] = []
        for item in items:
            self.names.append(str(item))
            for key in keys(item):
                if key:
                    self.by_key.setdefault(_key(key), item)

    def find(self, text: str):
        return self.by_key.get(_key(text))


def _vocabularies() -> dict[str, _Vocabulary]:
    def term_keys(term):
        return (term.slug, term.name_en, term.name_es)

    return {
        "roles": _Vocabulary(Role.objects.active(), term_keys),
        "sectors": _Vocabulary(Sector.objects.active(), term_keys),
        "topics": _Vocabulary(Topic.objects.active(), term_keys),
        "languages": _Vocabulary(
            Language.objects.all(), lambda lang: (lang.code, lang.name_en, lang.name_es)
        ),
    }


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def validate(raw: bytes, mapping: dict[str, int | None]) -> Validation:
    """Check every row; merge rows that share an email. Reads the database in a fixed
    number of queries per 500 rows, so thousands of rows validate in a moment."""
    headings, rows = read_csv(raw)
    vocabularies = _vocabularies()
    heading = {
        name: headings[i] for name, i in mapping.items() if i is not None and i < len(headings)
    }
    zips_wanted = set()
    for _number, cells in rows:
        text = _cell(cells, mapping.get("zip_code"))
        if text:
            with contextlib.suppress(ZipCodeError):
                zips_wanted.add(normalize_zip(text, restore_leading_zero=True))
    known_zips = {
        z.code: z
        for z in ZipCode.objects.filter(code__in=zips_wanted).select_related("county", "state")
    }
    errors: list[RowError] = []
    people: dict[str, Person] = {}
    organizations: list[Person] = []
    for number, cells in rows:
        person, row_errors = _validate_row(
            number, cells, mapping, heading, vocabularies, known_zips
        )
        errors += row_errors
        if row_errors:
            continue
        if person.email:
            if person.email in people:
                people[person.email].merge(person)
            else:
                people[person.email] = person
        else:
            organizations.append(person)
    emails = list(people)
    existing = set()
    for start in range(0, len(emails), 500):
        existing.update(
            User.objects.filter(email__in=emails[start : start + 500]).values_list(
                "email", flat=True
            )
        )
    for email, person in people.items():
        person.exists = email in existing
        if not person.exists and not person.name:
            errors.append(
                RowError(
                    person.rows[0],
                    heading.get("name", heading.get("first_name", "")),
                    _("A name is needed for someone new to Kindred."),
                )
            )
    errors.sort(key=lambda e: (e.row, e.column))
    return Validation(people=[*people.values(), *organizations], errors=errors, rows=len(rows))


def _validate_row(number, cells, mapping, heading, vocabularies, known_zips):
    errors: list[RowError] = []

    def get(name: str) -> str:
        return _cell(cells, mapping.get(name))

    def error(name: str, message: str) -> None:
        errors.append(RowError(number, heading.get(name, ""), message))

    person = Person(rows=[number])
    email = get("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error("email", _("“%(value)s” is not an email address.") % {"value": email})
        person.email = email.lower()
    name = get("name") or " ".join(p for p in (get("first_name"), get("last_name")) if p)
    person.name = services.strip_html(name)[:150]
    if len(name) > 150:
        error("name", _("The name is longer than 150 characters."))
    person.organization = services.strip_html(get("organization"))[:200]
    person.title = services.strip_html(get("title"))[:150]
    person.phone = get("phone")[:30]
    person.pronouns = services.strip_html(get("pronouns"))[:40]
    if not person.email and not person.organization:
        errors.append(
            RowError(number, "", _("Each row needs an email address or an organization."))
        )
    zip_text = get("zip_code")
    if zip_text:
        try:
            code = normalize_zip(zip_text, restore_leading_zero=True)
        except ZipCodeError as exc:
            error("zip_code", str(exc.message))
        else:
            person.zip_code = known_zips.get(code)
            if person.zip_code is None:
                error("zip_code", _("We could not find ZIP code %(zip)s.") % {"zip": code})
    for name in ("roles", "sectors", "topics", "languages"):
        vocabulary = vocabularies[name]
        for part in _SPLIT.split(get(name)):
            part = part.strip()
            if not part:
                continue
            found = vocabulary.find(part)
            if found is None:
                error(
                    name,
                    _("“%(value)s” is not one of Kindred's %(field)s. Use one of: %(choices)s.")
                    % {
                        "value": part,
                        "field": str(FIELDS[name]).lower(),
                        "choices": "; ".join(vocabulary.names[:40]),
                    },
                )
            else:
                getattr(person, name).add(found.pk)
    return person, errors


# --- Running --------------------------------------------------------------------------------


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def describe(error: RowError) -> str:
    if error.column:
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": error.row,
            "column": error.column,
            "message": error.message,
        }
    return _("Row %(row)s: %(message)s") % {"row": error.row, "message": error.message}


def run_import(*, upload: str, owner_id: int, progress_id: str | None = None) -> dict:
    """Validate again and write everything in one transaction; on any error write nothing
    and say why. Returns counts."""
    owner = User.objects.get(pk=owner_id)
    meta = load_meta(upload)
    if meta.get("owner_id") != owner_id:
        raise PermissionError("This upload belongs to someone else.")
    community = None
    if meta.get("community_id"):
        community = Community.objects.filter(pk=meta["community_id"]).first()
    mapping = {name: meta["mapping"].get(name) for name in FIELDS}
    raw = load_upload(upload)
    try:
        if progress_id:
            advance(progress_id, message=_("Checking every row"))
        checked = validate(raw, mapping)
        if checked.errors:
            raise ImportRejected(checked.errors)
        if progress_id:
            # Inside the transaction the count cannot be seen until the end: say so.
            message = ngettext(
                "Writing %(count)d row, all at once: nothing is saved unless everything is.",
                "Writing %(count)d rows, all at once: nothing is saved unless everything is.",
                len(checked.people),
            ) % {"count": len(checked.people)}
            advance(progress_id, done=0, total=len(checked.people), message=message)
        with transaction.atomic():
            result = _write_all(raw, mapping, owner, community, progress_id)
    except ImportRejected as exc:
        first = exc.errors[0]
        message = ngettext(
            "Nothing was imported: the file has %(count)d problem. The first: %(first)s",
            "Nothing was imported: the file has %(count)d problems. The first: %(first)s",
            len(exc.errors),
        ) % {"count": len(exc.errors), "first": describe(first)}
        if progress_id:
            fail(progress_id, message=message)
        return {"imported": False, "errors": len(exc.errors)}
    delete_upload(upload)
    log_action(owner, "network.imported", community, filename=meta.get("filename", ""), **result)
    if progress_id:
        message = (
            _(
                "Imported: %(created)s new members, %(updated)s updated, "
                "%(organizations)s new organizations."
            )
            % result
        )
        target = community.get_absolute_url() if community else ""
        finish(progress_id, message=message, result_url=target)
    return {"imported": True, **result}


def _write_all(raw, mapping, owner, community, progress_id) -> dict:
    validation = validate(raw, mapping)
    if validation.errors:
        raise ImportRejected(validation.errors)
    total = len(validation.people)
    counts = {"created": 0, "updated": 0, "organizations": 0}
    organizations: dict[str, Organization] = {}
    for done, person in enumerate(validation.people, start=1):
        organization = None
        if person.organization:
            organization = _organization(person, owner, organizations, counts)
        if person.email:
            created = _write_person(person, organization, community)
            counts["created" if created else "updated"] += 1
        if progress_id and (done % PROGRESS_EVERY == 0 or done == total):
            advance(progress_id, done=done)
    return counts


def _organization(person: Person, owner, cache: dict, counts: dict) -> Organization:
    key = fold(person.organization)
    if key not in cache:
        found = Organization.objects.filter(name__iexact=person.organization).order_by("pk")
        organization = found.first()
        if organization is None:
            organization = services.create_organization(
                actor=owner,
                name=person.organization,
                zip_code=person.zip_code,
                sectors=Sector.objects.filter(pk__in=person.sectors),
                make_admin=False,
            )
            counts["organizations"] += 1
        cache[key] = organization
    return cache[key]


def _write_person(person: Person, organization, community) -> bool:
    """Create or update one person; True when they are new to Kindred."""
    user = User.objects.filter(email__iexact=person.email).first()
    created = user is None
    if user is None:
        user = create_account(person.email, None, name=person.name, verified=False)
    profile = MemberProfile.objects.filter(user=user).first()
    if profile is None:
        profile = services.join_network(
            user=user,
            name=person.name or user.name,
            roles=Role.objects.filter(pk__in=person.roles),
            sectors=Sector.objects.filter(pk__in=person.sectors),
            topics=Topic.objects.filter(pk__in=person.topics),
            languages=list(person.languages),
            zip_code=person.zip_code,
            organization=organization,
            title=person.title,
            listed_in_directory=False,
            visibility=Visibility.HIDDEN,
            accepted_terms=False,
        )
        changed = []
        for name in ("phone", "pronouns"):
            if getattr(person, name):
                setattr(profile, name, getattr(person, name))
                changed.append(name)
        if changed:
            profile.save(update_fields=changed)
    else:
        _fill_in(profile, person, organization)
    if community is not None:
        CommunityMembership.objects.get_or_create(
            community=community,
            user=user,
            defaults={
                "status": CommunityMembership.Status.ACTIVE,
                "joined_at": timezone.now(),
            },
        )
    return created


def _fill_in(profile: MemberProfile, person: Person, organization) -> None:
    """Add what the file knows and the profile lacks; never overwrite the member's words."""
    changed = []
    if not profile.display_name and person.name:
        profile.display_name = person.name
        changed.append("display_name")
    if profile.zip_code_id is None and person.zip_code is not None:
        profile.zip_code = person.zip_code
        profile.county = person.zip_code.county
        profile.state = person.zip_code.state
        changed += ["zip_code", "county", "state"]
    for name in ("phone", "pronouns"):
        if not getattr(profile, name) and getattr(person, name):
            setattr(profile, name, getattr(person, name))
            changed.append(name)
    if changed:
        profile.save(update_fields=[*changed, "updated"])
    profile.roles.add(*person.roles)
    profile.sectors.add(*person.sectors)
    profile.topics.add(*person.topics)
    profile.languages.add(*person.languages)
    if organization is not None:
        OrganizationMembership.objects.get_or_create(
            organization=organization, user_id=profile.user_id, defaults={"title": person.title}
        )
    services.refresh_search_text(profile)
