"""Whole journeys, as people take them (issue 9).

Each journey asserts what the person sees and runs axe on every page it visits. They share
the session's server (see conftest): a seeded database, gunicorn, one task worker, and emails
written to files that the journeys read like an inbox.

1. A parent on a phone chooses Spanish, joins, confirms their email, finds their community
   and takes a place at one of its events.
2. Someone joins with the keyboard alone (Tab, Shift+Tab, Space, Enter and typing).
3. An advocate signs a letter in Spanish on a phone; staff export the letters per target and
   find the advocate's letter addressed to every target.
4. Staff record a policy's new status with its source; subscribers get the alert email.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import re
import struct
import time
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from tests.browser.helpers import assert_accessible

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts"
PASSWORD = "kindred-demo-2026"
STAFF = "staff@demo.kindred.test"
ADVOCATE = "advocate@demo.kindred.test"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TOTP_PERIOD = 30


# --- What every page must pass ---------------------------------------------------------------


def check_page(page, context: str = "") -> None:
    """axe finds nothing serious; at phone size, nothing is wider than the screen."""
    page.wait_for_load_state()
    assert_accessible(page, context=context)
    if page.viewport_size["width"] < 600:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{page.url} is {overflow}px wider than the phone screen"


# --- The inbox --------------------------------------------------------------------------------


class Email:
    def __init__(self, raw: str):
        self.message = message_from_string(raw.strip())
        subject = str(make_header(decode_header(self.message["Subject"] or "")))
        self.subject = " ".join(subject.split())  # unfolded
        if self.message["Content-Transfer-Encoding"] in {"base64", "quoted-printable"}:
            payload = self.message.get_payload(decode=True)
            self.body = payload.decode(self.message.get_content_charset() or "utf-8")
        else:
            self.body = self.message.get_payload()

    def link(self, pattern: str) -> str:
        match = re.search(r"https?://\S*" + pattern + r"\S*", self.body)
        assert match, f"no link like {pattern!r} in:\n{self.body}"
        return match.group(0)


def wait_for_email(kindred, address: str, *, subject: str, after: int = 0, timeout: float = 60):
    """The first message to ``address`` (past the first ``after``) whose subject contains
    ``subject``; emails sent by the task worker may take a moment."""
    deadline = time.monotonic() + timeout
    while True:
        messages = [Email(raw) for raw in kindred.emails_to(address)[after:]]
        for message in messages:
            if subject in message.subject:
                return message
        if time.monotonic() > deadline:
            subjects = [m.subject for m in messages]
            pytest.fail(f"no email to {address} about {subject!r} in {timeout}s; got {subjects}")
        time.sleep(0.3)


# --- Signing in, with the second factor staff must use ----------------------------------------


def _totp(secret: str, counter: int) -> str:
    """RFC 6238 code (SHA-1, six digits), what an authenticator app shows."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


_used_counters: dict[str, int] = {}


def _enter_code(page, secret: str) -> None:
    """Type the current code; a code is accepted once, so wait for a fresh one if needed."""
    for _attempt in range(2):
        counter = int(time.time() // TOTP_PERIOD)
        if _used_counters.get(secret) == counter:
            time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.5)
            counter = int(time.time() // TOTP_PERIOD)
        _used_counters[secret] = counter
        code = page.locator("input[name=code]")
        code.fill(_totp(secret, counter))
        code.press("Enter")
        page.wait_for_load_state()
        if page.locator("input[name=code]").count() == 0:
            return
    pytest.fail(f"the authenticator code was refused on {page.url}")


def _staff_secret(kindred) -> str:
    """The secret of an authenticator set up earlier in the session (maybe by another test)."""
    out = kindred.manage(
        "shell",
        "-c",
        "from allauth.mfa.models import Authenticator\n"
        "from allauth.mfa.adapter import get_adapter\n"
        f"a = Authenticator.objects.get(user__email={STAFF!r}, type='totp')\n"
        "print('SECRET', get_adapter().decrypt(a.data['secret']))",
    )
    return re.search(r"SECRET (\S+)", out).group(1)


def sign_in(page, kindred, email: str, password: str = PASSWORD) -> None:
    page.goto(kindred.url + "/accounts/login/")
    check_page(page, "(sign in)")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state()


def sign_in_staff(page, kindred) -> None:
    """Staff sign in with a password and an authenticator app, setting the app up the first
    time as the site asks them to."""
    sign_in(page, kindred, STAFF)
    if "/accounts/mfa-required/" in page.url:
        check_page(page, "(MFA required)")
        page.locator("main").get_by_role("button", name="Set up an authenticator app").click()
        page.wait_for_load_state()
        if "/reauthenticate/" in page.url:
            check_page(page, "(confirm password)")
            page.fill("input[name=password]", PASSWORD)
            page.locator("input[name=password]").press("Enter")
            page.wait_for_load_state()
        assert "/2fa/totp/activate/" in page.url
        check_page(page, "(activate authenticator)")
        secret = page.locator("#authenticator_secret").input_value()
        _enter_code(page, secret)
        assert "Authenticator app activated" in page.locator("main").inner_text()
        check_page(page, "(recovery codes)")
    elif "/2fa/authenticate/" in page.url:
        check_page(page, "(two-factor code)")
        _enter_code(page, _staff_secret(kindred))
        assert "Successfully signed in as Nia Okafor" in page.locator("main").inner_text()
    assert page.locator("input[name=password]").count() == 0, f"still signing in: {page.url}"
    assert page.locator("header").get_by_role("button", name="Sign out").count() == 1


@pytest.fixture
def staff_page(request, chromium):
    """A second, desktop-sized English browser for staff, beside the journey's own page."""
    context = chromium.new_context(viewport=DESKTOP, locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    if getattr(request.node, "journey_failed", False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = ARTIFACTS / (request.node.name.replace("/", "_") + "-staff")
        try:
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(page.content())
        except Exception as exc:  # the page may be gone; keep the test's own failure
            Path(f"{stem}.txt").write_text(f"no screenshot: {exc}")
    context.close()


# --- 1. A parent joins in Spanish on a phone and RSVPs ----------------------------------------


def test_a_parent_joins_in_spanish_on_a_phone_and_takes_a_place_at_a_community_event(kindred, page):
    email = f"lucia.{time.time_ns()}@example.org"
    page.set_viewport_size(PHONE)
    page.goto(kindred.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    check_page(page, "(home, English)")

    # The language switch at the foot of every page.
    page.get_by_label("Language").select_option("es")
    with page.expect_navigation():
        page.get_by_role("button", name="Change language").click()
    assert page.locator("html").get_attribute("lang") == "es"
    main = page.locator("main")
    assert "Cada bebé crece en sus relaciones" in main.inner_text()
    check_page(page, "(home, Spanish)")

    # Step 1: about you. The ZIP code is confirmed as the person types it.
    main.get_by_role("button", name="Unirse a la red").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Unirse a la red"
    assert "Paso 1 de 3" in main.inner_text()
    check_page(page, "(join, step 1)")
    page.get_by_label("Su nombre").fill("Lucía Prueba")
    page.get_by_label("Madre, padre o persona cuidadora").check()
    page.get_by_label("Su código postal").press_sequentially("93701")
    place = page.locator("#id_zip_code_place")
    place.get_by_text("Fresno County").wait_for()
    assert "California" in place.inner_text()
    check_page(page, "(join, step 1 with the place)")
    main.get_by_role("button", name="Siguiente: lo que le importa").click()

    # Step 2: what you care about; Spanish is already ticked.
    assert "Paso 2 de 3" in main.inner_text()
    assert "Su lugar: Fresno, Fresno County, California" in main.inner_text()
    assert page.get_by_label("Español", exact=True).is_checked()
    check_page(page, "(join, step 2)")
    page.get_by_label("Jugar y leer juntos").check()
    main.get_by_role("button", name="Siguiente: su cuenta").click()

    # Step 3: the account.
    assert "Paso 3 de 3" in main.inner_text()
    check_page(page, "(join, step 3)")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill("cuna-de-abrazos-2026")
    page.get_by_label("Contraseña (de nuevo)").fill("cuna-de-abrazos-2026")
    page.get_by_label("Acepto los términos de uso").check()
    main.get_by_role("button", name="Crear mi cuenta").click()

    # Welcome: communities near Fresno, and a link waiting in the inbox.
    assert page.url.endswith("/network/welcome/")
    assert "¡Le damos la bienvenida, Lucía Prueba!" in main.inner_text()
    assert f"Enviamos un enlace a {email}" in main.inner_text()
    communities = page.locator("section[aria-labelledby=suggested-communities]")
    assert "Fresno County Familias Unidas" in communities.inner_text()
    check_page(page, "(welcome, not yet confirmed)")

    confirmation = wait_for_email(kindred, email, subject="confirme su dirección")
    assert "Hola" in confirmation.body
    page.goto(confirmation.link("/accounts/confirm-email/"))
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Confirmar dirección de correo electrónico"
    )
    check_page(page, "(confirm email)")
    main.get_by_role("button", name="Confirmar").click()
    page.wait_for_load_state()
    assert f"Ha confirmado {email}" in main.inner_text()
    assert "Ha iniciado sesión" in main.inner_text()
    check_page(page, "(welcome, signed in)")

    # Their community.
    communities.get_by_role("link", name="Fresno County Familias Unidas").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fresno County Familias Unidas"
    check_page(page, "(community)")
    main.get_by_role("button", name="Unirse a esta comunidad").click()
    page.wait_for_load_state()
    assert "¡Le damos la bienvenida a Fresno County Familias Unidas!" in main.inner_text()
    assert "Usted es miembro." in main.inner_text()
    check_page(page, "(community, member)")

    # Its events: the community page does not list them (see the report), so the parent goes
    # to the library's events through the phone menu and looks in California.
    page.locator(".menu > summary").click()
    page.locator(".menu-items").get_by_role("link", name="Aprender").click()
    page.wait_for_load_state()
    check_page(page, "(library)")
    main.get_by_role("link", name="Eventos", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Eventos"
    check_page(page, "(events)")
    page.get_by_label("Dónde").select_option(label="California")
    page.wait_for_url("**state=ca**")
    card = page.locator(".event-card", has_text="Organizado por Fresno County Familias Unidas")
    card.first.wait_for()
    check_page(page, "(events in California)")
    title = card.first.get_by_role("heading").inner_text()
    card.first.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert "Fresno County Familias Unidas" in main.inner_text()
    check_page(page, "(event)")

    main.get_by_role("button", name="Ahí estaré").click()
    page.wait_for_load_state()
    assert "Tiene un lugar. Le enviamos los detalles por correo." in main.inner_text()
    assert "Tiene un lugar. ¡Nos vemos allí!" in main.inner_text()
    assert main.get_by_role("button", name="Ya no puedo ir").is_visible()
    check_page(page, "(event, going)")

    details = wait_for_email(kindred, email, subject=f"Tiene un lugar: {title}")
    assert "Su lugar está reservado" in details.body


# --- 2. Joining with the keyboard alone -------------------------------------------------------


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {
            tag: el.tagName, id: el.id, name: el.getAttribute('name'),
            text: (el.innerText || el.value || '').trim().slice(0, 60),
            visible: box.width > 0 && box.height > 0,
            indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                || style.boxShadow !== 'none',
        };
    }"""
    )


def tab_to(page, selector: str, *, back: bool = False, limit: int = 120) -> dict:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has the focus; every
    element passed on the way must be visible and show that it has the focus."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        focused = _focused(page)
        assert focused["visible"], f"the focus is on something invisible: {focused}"
        assert focused["indicator"], f"no visible focus indicator on {focused} at {page.url}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return focused
    pytest.fail(f"{selector} not reached with {key} on {page.url}")


def test_someone_joins_with_the_keyboard_alone(kindred, page):
    email = f"kai.{time.time_ns()}@example.org"
    page.goto(kindred.url + "/")
    check_page(page, "(home)")
    tab_to(page, 'main a[href="/network/join/"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/network/join/")
    check_page(page, "(join, step 1)")

    tab_to(page, "#id_name")
    page.keyboard.type("Kai Keyboard")
    tab_to(page, "#id_roles_0")  # Parent or caregiver
    page.keyboard.press("Space")
    assert page.locator("#id_roles_0").is_checked()
    tab_to(page, "#id_zip_code")
    page.keyboard.type("74103")
    page.locator("#id_zip_code_place").get_by_text("Tulsa County").wait_for()
    # Past the organization and back: the ZIP code is still there.
    tab_to(page, "#id_organization_name")
    tab_to(page, "#id_zip_code", back=True)
    assert page.locator("#id_zip_code").input_value() == "74103"
    check_page(page, "(join, step 1 filled in)")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/network/join/interests/")

    assert "Step 2 of 3" in page.locator("main").inner_text()
    assert "Tulsa, Tulsa County, Oklahoma" in page.locator("main").inner_text()
    check_page(page, "(join, step 2)")
    tab_to(page, "input[name=topics]")
    page.keyboard.press("Space")
    assert page.locator("input[name=topics]").first.is_checked()
    tab_to(page, "input[name=listed_in_directory]")
    page.keyboard.press("Space")
    assert page.locator("input[name=listed_in_directory]").is_checked()
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/network/join/account/")

    assert "Step 3 of 3" in page.locator("main").inner_text()
    check_page(page, "(join, step 3)")
    tab_to(page, "#id_email")
    page.keyboard.type(email)
    tab_to(page, "#id_accept_terms")
    page.keyboard.press("Space")
    assert page.locator("#id_accept_terms").is_checked()
    tab_to(page, "#id_password1")
    page.keyboard.type("keys-only-journey-2026")
    tab_to(page, "#id_password2")
    page.keyboard.type("keys-only-journey-2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/network/welcome/")
    assert "Welcome, Kai Keyboard!" in page.locator("main").inner_text()
    check_page(page, "(welcome)")

    # The link from the email, then the confirmation with the keyboard.
    confirmation = wait_for_email(kindred, email, subject="Confirm")
    page.goto(confirmation.link("/accounts/confirm-email/"))
    check_page(page, "(confirm email)")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert f"You have confirmed {email}" in page.locator("main").inner_text()
    assert "Welcome, Kai Keyboard!" in page.locator("main").inner_text()
    check_page(page, "(welcome, signed in)")


# --- 3. An advocate signs a letter in Spanish on a phone; staff export it per target ----------


def test_an_advocate_signs_a_letter_in_spanish_and_staff_find_it_for_every_target(
    kindred, phone, staff_page
):
    note = f"Mi hija nació en marzo; lo escribo desde el teléfono ({time.time_ns()})."
    sign_in(phone, kindred, ADVOCATE)
    assert phone.locator("html").get_attribute("lang") == "es"
    assert "Ha iniciado sesión exitosamente" in phone.locator("main").inner_text()
    check_page(phone, "(home, signed in)")

    phone.locator(".menu > summary").click()
    phone.locator(".menu-items").get_by_role("link", name="Políticas", exact=True).click()
    phone.wait_for_load_state()
    check_page(phone, "(policy tracker)")
    phone.locator("main nav").get_by_role("link", name="Actúe").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Actúe"
    check_page(phone, "(actions)")
    phone.locator("main").get_by_role("link", name=re.compile("legislatura de Oklahoma")).click()
    main = phone.locator("main")
    assert "Envíe su carta" in main.inner_text()
    check_page(phone, "(letter)")
    addressed = main.locator("p", has_text="Su carta va dirigida a:").inner_text()

    phone.get_by_label("Su nombre").fill("Tom Whitehorse")
    phone.get_by_label("Correo electrónico").fill(ADVOCATE)
    phone.get_by_label("Código postal (ZIP)").fill("74103")
    letter = phone.get_by_role("textbox", name="Su carta")
    assert letter.input_value().startswith("Estimado/a {target_name}:")
    letter.fill(letter.input_value() + "\n\n" + note)
    phone.get_by_label("Envíen esta carta con mi nombre").check()
    main.get_by_role("button", name="Firmar y enviar").click()
    phone.wait_for_url("**/thanks/")
    assert "Gracias por alzar la voz por las familias" in main.inner_text()
    check_page(phone, "(thanks)")

    # Staff export the letters, one row per target and signature.
    sign_in_staff(staff_page, kindred)
    staff_page.goto(kindred.url + "/policy/actions/ok-paid-leave-letter/")
    check_page(staff_page, "(letter, staff)")
    staff_page.get_by_role("link", name="Manage this action").click()
    check_page(staff_page, "(manage action)")
    staff_page.get_by_role("button", name="Export letters per target (CSV)").click()
    staff_page.wait_for_url("**/tasks/**")
    check_page(staff_page, "(export progress)")
    result = staff_page.get_by_role("link", name="See the result")
    result.wait_for(timeout=60_000)
    assert "letters are ready" in staff_page.locator("main").inner_text()
    check_page(staff_page, "(export finished)")
    with staff_page.expect_download() as download:
        result.click()
    with open(download.value.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    targets = {row["target_name"] for row in rows}
    assert len(targets) >= 2
    for target in targets:
        assert target in addressed, f"{target} is in the export but not on the action's page"
    mine = [row for row in rows if note in row["letter"]]
    assert sorted(row["target_name"] for row in mine) == sorted(targets)
    for row in mine:
        assert row["signer_name"] == "Tom Whitehorse"
        assert row["language"] == "es"
        assert row["zip"] == "74103"
        assert row["subject"] == "Por favor apoye la licencia familiar pagada (SB 1234)"
        assert row["letter"].startswith(f"Estimado/a {row['target_name']}:")
        assert "{target_name}" not in row["letter"]


# --- 4. Staff record a new status with its source; subscribers are alerted -------------------


def test_staff_record_a_policy_status_with_its_source_and_subscribers_are_emailed(kindred, page):
    subscriber = "parent@demo.kindred.test"  # demo alerts: Oklahoma, immediately, in English
    before = len(kindred.emails_to(subscriber))
    source = f"Oklahoma Legislature, bill history ({time.time_ns()})"

    sign_in_staff(page, kindred)
    page.goto(kindred.url + "/policy/")
    check_page(page, "(policy tracker)")
    page.get_by_label("Search").fill("Family Leave Insurance")
    page.get_by_label("Search").press("Enter")
    link = page.locator("main").get_by_role("link", name=re.compile("Oklahoma Family Leave"))
    link.first.wait_for()
    check_page(page, "(policy search)")
    link.first.click()
    title = page.get_by_role("heading", level=1).inner_text()
    assert title.startswith("Oklahoma Family Leave Insurance Act")
    check_page(page, "(policy)")

    form = page.locator("section.policy-staff")
    form.get_by_label("New status").select_option(label="Passed one chamber")
    assert form.get_by_label("Date of the change").input_value()  # today, filled in
    form.get_by_label("Source", exact=True).fill(source)
    form.get_by_label("Source address (URL)").fill("https://example.org/ok/sb1234")
    form.get_by_label("What happened (English)").fill("The Senate passed SB 1234.")
    form.get_by_label("What happened (Spanish)").fill("El Senado aprobó el SB 1234.")
    form.get_by_role("button", name="Record the change and alert subscribers").click()
    page.wait_for_load_state()

    main = page.locator("main")
    assert "The new status is recorded and subscribers are being told." in main.inner_text()
    assert "Passed one chamber" in main.locator(".policy-facts").inner_text()
    latest = main.locator(".policy-timeline li").first
    assert source in latest.inner_text()
    assert "The Senate passed SB 1234." in latest.inner_text()
    check_page(page, "(policy, new status)")

    alert = wait_for_email(
        kindred, subscriber, subject=f"{title}: Passed one chamber", after=before
    )
    assert "has a new status" in alert.body
    assert f"Source: {source} https://example.org/ok/sb1234" in alert.body
    assert "The Senate passed SB 1234." in alert.body
    assert alert.message["List-Unsubscribe"]
