"""Letters: one per signature and target, personalised from the action's template.

Letters are not stored one by one: a signature keeps the text its signer edited (or nothing,
meaning the action's own text) and each letter is rendered when it is exported or sent.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kindred.policy.models import PLACEHOLDER_RE, AdvocacyAction, Official, Signature
from kindred.policy.signing import action_text

CHUNK = 2000


def targets_for_state(action: AdvocacyAction) -> tuple[list[Official], dict[str, list[Official]]]:
    """(listed targets, officials by state id for signer-state matching) in two queries."""
    listed = list(action.targets.filter(is_active=True).select_related("jurisdiction"))
    by_state: dict[str, list[Official]] = {}
    if action.target_mode == AdvocacyAction.TargetMode.SIGNER_STATE:
        states = action.signatures.values_list("state_id", flat=True).distinct().order_by()
        matched = Official.objects.filter(
            is_active=True, state_id__in=states, jurisdiction__level=action.target_level
        ).select_related("jurisdiction")
        for official in matched:
            by_state.setdefault(official.state_id, []).append(official)
    return listed, by_state


def letter_groups(action: AdvocacyAction) -> Iterator[tuple[Official | None, QuerySet]]:
    """Each target with the signatures addressed to it; a petition without targets gives one
    group with every signature and no official."""
    signatures = action.signatures.select_related("state").order_by("created", "pk")
    listed, by_state = targets_for_state(action)
    if action.target_mode == AdvocacyAction.TargetMode.SIGNER_STATE:
        for state_id in sorted(by_state):
            for official in by_state[state_id]:
                yield official, signatures.filter(state_id=state_id)
        return
    if not listed:
        yield None, signatures
        return
    for official in listed:
        yield official, signatures


def render_letter(
    action: AdvocacyAction, signature: Signature, official: Official | None
) -> tuple[str, str]:
    """(subject, body) of one letter, in the language the signer signed in."""
    language = signature.language or "en"
    text = signature.message or action_text(action, language)
    with translation.override(language):
        values = {
            "target_name": official.name if official else _("Decision makers"),
            "target_office": official.office if official else "",
            "signer_name": signature.name,
            "signer_place": signature.place_label,
        }
        body = PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], text).strip()
        closing = [signature.name]
        if signature.organization:
            closing.append(signature.organization)
        closing.append(f"{signature.place_label} {signature.zip_code}".strip())
        subject = (
            action.letter_subject_es
            if language.startswith("es") and action.letter_subject_es
            else action.letter_subject_en
        ) or action.title
    return subject, body + "\n\n" + "\n".join(closing)


CSV_HEADER = [
    "target_name",
    "target_office",
    "target_district",
    "target_email",
    "target_contact_form_url",
    "signer_name",
    "organization",
    "city",
    "state",
    "zip",
    "signed_at",
    "language",
    "subject",
    "letter",
]


def count_letters(action: AdvocacyAction) -> int:
    return sum(group.count() for _official, group in letter_groups(action))


def write_csv(action: AdvocacyAction, path: Path, advance: Callable[[int], None]) -> int:
    """Write one row per letter, grouped by target; returns the number of letters."""
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for official, group in letter_groups(action):
            for signature in group.iterator(chunk_size=CHUNK):
                subject, body = render_letter(action, signature, official)
                writer.writerow(
                    _safe_cells(
                        [
                            official.name if official else "",
                            official.office if official else "",
                            official.district if official else "",
                            official.email if official else "",
                            official.contact_form_url if official else "",
                            signature.name,
                            signature.organization,
                            signature.city,
                            signature.state.usps,
                            signature.zip_code,
                            signature.created.isoformat(timespec="seconds"),
                            signature.language,
                            subject,
                            body,
                        ]
                    )
                )
                written += 1
                if written % CHUNK == 0:
                    advance(written)
    return written


def _safe_cells(cells: list[str]) -> list[str]:
    """Stop spreadsheet formula injection: a cell a signer typed never starts with =+-@."""
    return ["'" + c if isinstance(c, str) and c[:1] in {"=", "+", "-", "@"} else c for c in cells]


def _pdf_font() -> tuple[str, str]:
    """DejaVu Sans when the system has it (covers far more scripts), else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    bold = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    if regular.exists() and bold.exists():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def write_pdf(action: AdvocacyAction, path: Path, advance: Callable[[int], None]) -> int:
    """A printable bundle: per target a cover page, then one letter per page."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    regular, bold = _pdf_font()
    body_style = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15)
    head_style = ParagraphStyle("head", fontName=bold, fontSize=16, leading=20, spaceAfter=12)
    small = ParagraphStyle("small", fontName=regular, fontSize=9, leading=12)

    def para(text: str, style) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story: list = []
    written = 0
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    for official, group in letter_groups(action):
        total = group.count()
        if not total:
            continue
        who = f"{official.name}, {official.office}" if official else _("Decision makers")
        story += [
            para(action.title, head_style),
            para(_("Letters to %(who)s") % {"who": who}, body_style),
            para(_("%(n)d letters, printed %(date)s") % {"n": total, "date": today}, small),
        ]
        if official and (official.email or official.contact_form_url):
            story.append(para(official.email or official.contact_form_url, small))
        story.append(PageBreak())
        for signature in group.iterator(chunk_size=CHUNK):
            subject, body = render_letter(action, signature, official)
            story += [
                para(formats.date_format(signature.created, "DATE_FORMAT"), small),
                Spacer(1, 0.2 * inch),
                para(subject, head_style),
                para(body, body_style),
                PageBreak(),
            ]
            written += 1
            if written % CHUNK == 0:
                advance(written)
    if not story:
        story = [para(action.title, head_style), para(_("No letters yet."), body_style)]
    document = SimpleDocTemplate(
        str(path),
        pagesize=LETTER,
        title=action.title,
        author="Kindred",
        leftMargin=inch,
        rightMargin=inch,
        topMargin=inch,
        bottomMargin=inch,
    )
    document.build(story)
    return written


def deliverable_pairs(action: AdvocacyAction) -> Iterator[tuple[Official, QuerySet]]:
    """Targets that have an email address, with their signatures."""
    for official, group in letter_groups(action):
        if official is not None and official.email:
            yield official, group
