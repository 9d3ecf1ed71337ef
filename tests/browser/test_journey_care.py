"""Care journeys (issue 9): a clinician screens a family, gives strengths-first guidance and
refers; the receiving program closes the loop; the visit works with the keyboard alone; a
researcher's data request is approved by the data steward.

Every page a journey visits is checked with axe (no serious or critical problems). Site staff
and the data steward sign in with a second factor: the demo TOTP code comes from
``manage.py demo_totp``, as the README tells a demo user to do.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible

PASSWORD = "kindred-demo-2026"
CLINICIAN = "clinician@demo.kindred.test"
ORG_ADMIN = "orgadmin@demo.kindred.test"  # admin of Tulsa Family Connections
RESEARCHER = "researcher@demo.kindred.test"
STEWARD = "steward@demo.kindred.test"
RECEIVING_SERVICE = "Family Connections Home Visits"  # Tulsa Family Connections' service

# Demo site staff and the data steward share the authenticator secret the README publishes
# (``manage.py demo_totp EMAIL`` prints the same code). The code is worked out here, as an
# authenticator app would, so that a busy machine does not eat the seconds it is valid for.
DEMO_TOTP_SECRET = "KINDREDDEMOSITESTAFFERHOBSERVE23"
TOTP_PERIOD = 30

# The last code each account used: allauth refuses a code used before, so a second sign-in
# within the same 30-second window waits for the next code.
_used_codes: dict[str, str] = {}


def _totp(at: float) -> str:
    key = base64.b32decode(DEMO_TOTP_SECRET)
    digest = hmac.new(key, struct.pack(">Q", int(at // TOTP_PERIOD)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**6:06d}"


def _fresh_code(email: str) -> str:
    """A code ``email`` has not used yet, with at least 10 seconds left to type it."""
    while True:
        now = time.time()
        left = TOTP_PERIOD - now % TOTP_PERIOD
        code = _totp(now)
        if left >= 10 and code != _used_codes.get(email):
            _used_codes[email] = code
            return code
        time.sleep(left + 0.2)


def checked(page, context: str = "") -> None:
    """Every page a journey visits: it has loaded and axe finds nothing serious."""
    page.wait_for_load_state()
    assert_accessible(page, context=context)


def sign_in(page, kindred, email: str, *, mfa: bool) -> None:
    """Sign in as a person would (password, then the authenticator code); a fresh session."""
    page.context.clear_cookies()
    page.goto(kindred.url + "/accounts/login/")
    checked(page, "(sign-in)")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state()
    if mfa:
        assert "/2fa/authenticate" in page.url, f"{email} was not asked for a second factor"
        checked(page, "(second factor)")
        for _attempt in range(3):  # a code can run out while a loaded machine answers
            page.get_by_label("Code").fill(_fresh_code(email))
            page.get_by_role("button", name="Sign In").click()
            page.wait_for_load_state()
            if "/2fa/authenticate" not in page.url:
                break
            checked(page, "(second factor refused)")
    assert page.get_by_text("Successfully signed in").is_visible(), page.url
    checked(page, f"(signed in as {email})")


def wait_for_email(kindred, address: str, pattern: str, *, after: int = 0, seconds: int = 90):
    """The newest message to ``address`` matching ``pattern`` among those after the first
    ``after`` messages, waiting (bounded) for the task worker to send it."""
    deadline = time.monotonic() + seconds
    while True:
        messages = kindred.emails_to(address)[after:]
        found = [m for m in messages if re.search(pattern, m)]
        if found:
            return found[-1]
        assert time.monotonic() < deadline, (
            f"no email to {address} matching {pattern!r} within {seconds}s"
        )
        time.sleep(0.5)


def link_path(message: str) -> str:
    """The path of the Kindred link in an email (emails use SITE_URL, not the test port)."""
    url = re.search(r"https?://\S+", message).group(0)
    return urlsplit(url).path


def open_family(page, kindred, caregiver: str) -> None:
    """From the Observe home, through the clinician's site, to one family."""
    page.goto(kindred.url + "/observe/")
    checked(page, "(observe home)")
    page.get_by_role("link", name="Riverside Pediatrics").click()
    checked(page, "(site)")
    page.locator("main").get_by_role("link", name="Families", exact=True).first.click()
    checked(page, "(families)")
    page.get_by_label("Find a family by code or name").fill(caregiver)
    page.get_by_role("button", name="Search").click()
    row = page.locator("tbody tr", has_text=caregiver)
    row.get_by_role("link").click()
    checked(page, "(family)")
    assert page.locator("main").get_by_text(caregiver).first.is_visible()


# ---------------------------------------------------------------------------------------------
# Journeys 1 and 2: screen, guide, print, refer; the program accepts and completes; the
# clinician sees the loop closed.


def test_clinician_screens_guides_and_refers_and_the_program_closes_the_loop(kindred, page):
    # 1. The clinician signs in with the second factor and finds a family at her site.
    sign_in(page, kindred, CLINICIAN, mfa=True)
    open_family(page, kindred, "Keisha Brown")

    # She starts a visit with the Welch Emotional Connection Screen only.
    page.get_by_role("button", name="Start a visit").click()
    checked(page, "(start a visit)")
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_label("Welch Emotional Connection Screen").check()
    page.get_by_role("button", name="Start", exact=True).click()
    checked(page, "(visit)")
    assert page.get_by_role("heading", name=re.compile("with family F-")).is_visible()
    page.get_by_role("link", name="Whole form").click()
    checked(page, "(WECS form)")

    # Low ratings and "not yet connected", with a strength she saw.
    for group in page.locator("form.observe-form fieldset").all():
        legend = group.locator("legend").inner_text()
        if "(1 low to 3 high)" in legend:
            group.get_by_label("1.5", exact=True).check()
        elif "emotionally connected" in legend:
            group.get_by_label("No", exact=True).check()
    strength = "Keisha sang to Liam and he turned to her voice."
    page.get_by_label("Strengths observed").fill(strength)
    page.get_by_role("button", name="Submit and score").click()
    checked(page, "(visit after submitting)")
    assert page.get_by_text("Submitted and scored.").is_visible()
    page.get_by_label("Follow-up plan").fill("Call Keisha next week about home visits.")
    page.get_by_role("button", name="Finish and see the result").click()
    checked(page, "(result)")

    # Strengths come first: before the scores and before the guidance.
    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("Strengths") < headings.index("Results")
    assert headings.index("Strengths") < headings.index("Guidance for the family")
    strengths = page.locator("section.observe-strengths")
    assert strengths.get_by_text(strength).is_visible()
    assert strengths.get_by_text("You made time for this visit").is_visible()
    guidance = page.locator("section[aria-labelledby=guidance-heading]")
    assert guidance.get_by_text("Connection grows moment by moment").is_visible()
    assert guidance.get_by_text("National Maternal Mental Health Hotline").is_visible()
    result_url = page.url

    # The printable handout speaks to the family: strengths, ideas, support.
    page.get_by_role("link", name="Printable handout").click()
    checked(page, "(handout)")
    assert page.get_by_role("heading", name="Growing together").is_visible()
    page.emulate_media(media="print")
    assert page.get_by_role("heading", name="Your strengths").is_visible()
    assert page.get_by_text(strength).is_visible()
    assert page.get_by_text("Connection grows moment by moment").is_visible()
    assert page.get_by_role("heading", name="Support is here").is_visible()
    assert page.get_by_text("Call Keisha next week about home visits.").is_visible()
    assert not page.get_by_role("link", name="Download as PDF").is_visible()  # not printed
    checked(page, "(handout, print view)")
    page.emulate_media(media="screen")
    pdf_path = page.get_by_role("link", name="Download as PDF").get_attribute("href")
    pdf = page.request.get(kindred.url + pdf_path)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.get_by_role("link", name="Back to the result").click()
    checked(page, "(result again)")

    # She refers the family to the home-visiting program nearby.
    referrals = page.locator("section.systems-result-referrals")
    choice = referrals.get_by_label(re.compile(RECEIVING_SERVICE))
    assert choice.count() == 1, referrals.inner_text()
    choice.check()
    referrals.get_by_label("How soon").select_option("soon")
    referrals.get_by_label("Note for the program").fill("Weekday mornings suit Keisha best.")
    consent = referrals.get_by_label(re.compile("The family agreed to share"))
    assert consent.is_checked()  # Keisha's sharing consent is on record
    mails_before = len(kindred.emails_to(ORG_ADMIN))
    referrals.get_by_role("button", name="Send a referral").click()
    checked(page, "(result after referring)")
    assert page.url == result_url
    assert page.get_by_text(f"Referral sent to {RECEIVING_SERVICE}.").is_visible()

    # 2. The program's administrator hears of it by email and opens the inbox.
    new = wait_for_email(
        kindred,
        ORG_ADMIN,
        f"Riverside Children's Health sent a referral to {RECEIVING_SERVICE}",
        after=mails_before,
    )
    assert f"Subject: New referral for {RECEIVING_SERVICE}" in new
    assert "Keisha" not in new  # emails name no family
    sign_in(page, kindred, ORG_ADMIN, mfa=True)
    page.goto(kindred.url + "/systems/referrals/")
    checked(page, "(inbox)")
    page.get_by_label("Status").select_option("sent")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"status=sent"))  # htmx swaps the list and updates the URL
    checked(page, "(inbox, waiting for an answer)")
    row = page.locator("#results tbody tr", has=page.locator(f"a[href='{link_path(new)}']"))
    assert row.count() == 1, page.locator("#results").inner_text()
    assert row.get_by_text("Riverside Children's Health · Riverside Pediatrics").is_visible()
    assert row.get_by_text("Sent, waiting for an answer").is_visible()
    row.get_by_role("link", name="Keisha").click()
    checked(page, "(referral)")
    facts = page.locator("dl.systems-facts")
    assert facts.get_by_text("A family: Keisha").is_visible()
    assert facts.get_by_text("Weekday mornings suit Keisha best.").is_visible()
    assert facts.get_by_text("Soon (within 3 days)").is_visible()
    reference = page.get_by_role("heading", level=1).inner_text().removeprefix("Referral ")

    page.get_by_label("Accepted").check()
    page.get_by_label("Note").fill("We will call Keisha tomorrow.")
    page.get_by_role("button", name="Save the next step").click()
    checked(page, "(referral accepted)")
    assert page.get_by_text("Saved: Accepted.").is_visible()

    page.get_by_label("Completed").check()
    page.get_by_label("Note").fill("Keisha and Liam started weekly home visits.")
    page.get_by_role("button", name="Save the next step").click()
    checked(page, "(referral completed)")
    assert page.get_by_text("Saved: Completed.").is_visible()
    assert page.locator("main .systems-status").first.inner_text() == "Completed"
    assert page.get_by_role("heading", name="Next step").count() == 0  # nothing left to do

    # The clinician is told at each step and sees the loop closed on the referral.
    done = wait_for_email(kindred, CLINICIAN, f"Referral {reference}: Completed")
    wait_for_email(kindred, CLINICIAN, f"Referral {reference}: Accepted")
    assert "is now: Completed" in done
    sign_in(page, kindred, CLINICIAN, mfa=True)
    page.goto(kindred.url + link_path(done))
    checked(page, "(referral, clinician)")
    assert page.locator("main .systems-status").first.inner_text() == "Completed"
    history = page.locator("section[aria-labelledby=history-heading]")
    for step in ("Sent, waiting for an answer", "Accepted", "Completed"):
        assert history.get_by_text(step).first.is_visible(), history.inner_text()
    assert history.get_by_text("Keisha and Liam started weekly home visits.").is_visible()

    # Back on the visit's result, where she was told she would see the answer.
    page.goto(result_url)
    checked(page, "(result, loop closed)")
    sent = page.locator("section[aria-labelledby=referrals-sent-heading]")
    row = sent.locator("li", has=page.locator(f"a[href='{link_path(done)}']"))
    assert row.count() == 1, sent.inner_text()
    assert row.get_by_role("link").inner_text() == RECEIVING_SERVICE
    assert row.locator(".systems-status").inner_text() == "Completed"


# ---------------------------------------------------------------------------------------------
# Journey 3: the encounter with the keyboard alone.


def tab_to(page, matches: str, *, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab until the focused element satisfies the JavaScript predicate ``matches``
    (given ``el``); fail after ``limit`` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return !!({matches}); }})()"
        ):
            return
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{limit} presses of {key} never reached {matches}; at {focused}")


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def by_text(text: str) -> str:
    return f"el.textContent.trim() === {text!r}"


def test_a_visit_can_be_done_with_the_keyboard_alone(kindred, page):
    sign_in(page, kindred, CLINICIAN, mfa=True)
    page.goto(kindred.url + "/observe/")
    checked(page, "(observe home)")

    # Skip link first, then on to the site, its families and one family: Tab and Enter.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    tab_to(page, by_text("Riverside Pediatrics"))
    press_and_wait(page, "Enter")
    checked(page, "(site)")
    tab_to(page, f"el.closest('main') && {by_text('Families')}")
    press_and_wait(page, "Enter")
    checked(page, "(families)")
    tab_to(page, "el.id === 'family-q'")
    page.keyboard.type("Emily Nguyen")
    page.keyboard.press("Enter")  # htmx swaps in the matching families
    expect(page.locator("#results tbody tr")).to_have_count(1)
    family_href = page.locator("tbody tr", has_text="Emily Nguyen").get_by_role("link")
    href = family_href.get_attribute("href")
    tab_to(page, f"el.getAttribute('href') === {href!r}")
    press_and_wait(page, "Enter")
    checked(page, "(family)")
    assert page.get_by_role("heading", name=re.compile("^Family F-")).is_visible()

    # Start a visit with the PHQ-2 alone: Space ticks and unticks the instruments.
    tab_to(page, by_text("Start a visit"))
    press_and_wait(page, "Enter")
    checked(page, "(start a visit)")
    boxes = page.get_by_role("checkbox")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        want = "(PHQ-2)" in box.evaluate("el => el.closest('label').textContent")
        tab_to(page, f"el.id === {box.get_attribute('id')!r}")
        if box.is_checked() != want:
            page.keyboard.press("Space")
        assert box.is_checked() == want
    tab_to(page, "el.type === 'submit'")
    press_and_wait(page, "Enter")
    checked(page, "(visit)")
    tab_to(page, by_text("Whole form"))
    press_and_wait(page, "Enter")
    checked(page, "(PHQ-2 form)")

    # Radio groups: Tab into the group, Space picks the first answer, arrows move the choice.
    tab_to(page, "el.name === 'phq2_1'")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # "Several days"
    tab_to(page, "el.name === 'phq2_2'")
    page.keyboard.press("Space")  # "Not at all"
    assert page.locator("input[name=phq2_1]:checked").get_attribute("value") == "1"
    assert page.locator("input[name=phq2_2]:checked").get_attribute("value") == "0"
    tab_to(page, by_text("Submit and score"))
    press_and_wait(page, "Enter")
    checked(page, "(visit after submitting)")
    assert page.get_by_text("Submitted and scored.").is_visible()

    # The follow-up plan is typed; Space on the button finishes the visit.
    tab_to(page, "el.name === 'follow_up_plan'")
    page.keyboard.type("Check in with Emily at the 15-month visit.")
    tab_to(page, by_text("Finish and see the result"))
    press_and_wait(page, "Space")
    checked(page, "(result)")
    assert "/result/" in page.url
    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("Strengths") < headings.index("Results")
    row = page.locator("tbody tr", has_text="PHQ-2")
    assert row.get_by_text("Negative screen").is_visible()
    assert row.locator("td.num").inner_text() in {"1", "1.0"}
    plan = page.locator("section[aria-labelledby=followup-heading] > p")
    assert plan.get_by_text("Check in with Emily at the 15-month visit.").is_visible()


# ---------------------------------------------------------------------------------------------
# Journey 4: a researcher requests data; the data steward approves; the researcher downloads.


def test_a_researcher_requests_data_and_the_steward_approves_it(kindred, page):
    sign_in(page, kindred, RESEARCHER, mfa=False)
    page.goto(kindred.url + "/research/")
    checked(page, "(research agenda)")
    page.locator("nav.research-nav").get_by_role("link", name="Studies").click()
    checked(page, "(studies)")
    page.get_by_role("link", name=re.compile("^Connected from the start")).click()
    checked(page, "(study)")
    page.get_by_role("button", name="Request data").click()
    checked(page, "(request data)")

    purpose = "Journey check: how caregiver mood relates to connection in the first year."
    page.get_by_label("What the data will be used for").fill(purpose)
    page.get_by_label("Patient Health Questionnaire-2 (PHQ-2)").check()
    page.get_by_label("Welch Emotional Connection Screen (WECS)").check()
    page.locator("#id_sites").get_by_label("Riverside Pediatrics").check()
    page.locator("#id_sites").get_by_label("Family Roots Home Visiting").check()
    page.get_by_role("button", name="Send to the data steward").click()
    checked(page, "(request sent)")
    assert page.get_by_text("Request sent to the data steward.").is_visible()
    facts = page.locator("dl.facts")
    assert facts.get_by_text("Waiting for the data steward").is_visible()
    assert facts.get_by_text(purpose).is_visible()
    request_url = page.url
    title = page.get_by_role("heading", level=1).inner_text()

    # The data steward signs in with the second factor and approves with the agreement.
    sign_in(page, kindred, STEWARD, mfa=True)
    page.goto(kindred.url + "/research/requests/")
    checked(page, "(requests, steward)")
    page.get_by_role("link", name=title, exact=True).click()
    checked(page, "(request, steward)")
    assert page.url == request_url
    steward = page.locator("section.curator-tools")
    steward.get_by_label("Data use agreement reference").fill("DUA-JOURNEY-9")
    steward.get_by_label("Agreement signed on").fill(time.strftime("%Y-%m-%d"))
    steward.get_by_label("Note").fill("Approved for the journey check.")
    steward.get_by_role("button", name="Approve and build the dataset").click()
    checked(page, "(approved: build progress)")
    assert page.get_by_text("Approved. The dataset is being built.").is_visible()

    # The researcher sees the approval and, once the worker has built it, downloads the extract.
    sign_in(page, kindred, RESEARCHER, mfa=False)
    page.goto(kindred.url + "/research/requests/")
    checked(page, "(requests, researcher)")
    row = page.locator("tbody tr", has_text=title)
    assert row.get_by_text("Approved").is_visible(), row.inner_text()
    row.get_by_role("link", name=title, exact=True).click()
    checked(page, "(request approved, researcher)")
    facts = page.locator("dl.facts")
    assert facts.get_by_text("Approved", exact=True).is_visible()
    assert facts.get_by_text("DUA-JOURNEY-9").is_visible()
    assert facts.get_by_text("Approved for the journey check.").is_visible()
    page.locator("main ul a[href*='/research/datasets/']").first.click()
    dataset_url = page.url
    deadline = time.monotonic() + 120
    while not page.get_by_role("heading", name="Download").count():
        assert time.monotonic() < deadline, "the dataset was not built within 120 s"
        assert "Failed" not in page.locator("dl.facts").inner_text()
        time.sleep(1)
        page.goto(dataset_url)
    checked(page, "(dataset ready)")
    assert page.get_by_text(re.compile(r"completed instruments from \d+ families")).is_visible()
    links = page.locator("ul.downloads a")
    assert links.count() >= 1
    with page.expect_download() as info:
        links.first.click()
    download = info.value
    path = download.path()
    assert path is not None and path.stat().st_size > 0
    assert download.suggested_filename
