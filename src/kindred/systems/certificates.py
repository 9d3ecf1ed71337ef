"""A learning certificate as a one-page PDF (reportlab, BSD), with its verification link."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _


def certificate_pdf(certificate, verify_url: str) -> bytes:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(letter),
        title=_("Certificate %(code)s") % {"code": certificate.code},
        author="Kindred",
        leftMargin=inch,
        rightMargin=inch,
        topMargin=inch,
        bottomMargin=inch,
    )
    styles = getSampleStyleSheet()
    center = ParagraphStyle(
        "center", parent=styles["Normal"], alignment=TA_CENTER, fontSize=13, leading=18
    )
    title = ParagraphStyle("title", parent=styles["Title"], fontSize=30, leading=36)
    name = ParagraphStyle("name", parent=styles["Title"], fontSize=26, leading=32)
    issued = formats.date_format(certificate.issued_at, "DATE_FORMAT")
    story = [
        Paragraph(escape(_("Certificate of completion")), title),
        Spacer(1, 0.2 * inch),
        Paragraph(escape(_("This certifies that")), center),
        Spacer(1, 0.15 * inch),
        Paragraph(escape(certificate.holder_name), name),
        Spacer(1, 0.15 * inch),
        Paragraph(escape(_("completed the learning path")), center),
        Paragraph(f"<b>{escape(certificate.path_title)}</b>", center),
        Spacer(1, 0.15 * inch),
        Paragraph(
            escape(
                _("%(hours)s continuing-education hours · issued %(date)s")
                % {"hours": certificate.ce_hours, "date": issued}
            ),
            center,
        ),
    ]
    if certificate.competencies:
        story += [
            Spacer(1, 0.15 * inch),
            Paragraph(
                escape(_("Competencies: %(list)s") % {"list": "; ".join(certificate.competencies)}),
                center,
            ),
        ]
    story += [
        Spacer(1, 0.3 * inch),
        Paragraph(escape(_("Certificate code: %(code)s") % {"code": certificate.code}), center),
        Paragraph(escape(_("Verify it at %(url)s") % {"url": verify_url}), center),
    ]
    document.build(story)
    return buffer.getvalue()
