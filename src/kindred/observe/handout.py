"""The family handout as a one-page PDF (reportlab, BSD), from the same guidance as the page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from kindred.observe.guidance import Guidance


def handout_pdf(
    *, title: str, family_label: str, visit: str, guide: Guidance, follow_up: str, site_name: str
) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=letter,
        title=title,
        leftMargin=0.8 * inch,
        rightMargin=0.8 * inch,
        topMargin=0.7 * inch,
        bottomMargin=0.7 * inch,
    )
    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading2"]

    def bullets(lines):
        return ListFlowable(
            [Paragraph(_escape(line), body) for line in lines], bulletType="bullet", start="•"
        )

    story = [
        Paragraph(_escape(title), styles["Title"]),
        Paragraph(_escape(f"{site_name} · {visit} · {family_label}"), body),
        Spacer(1, 8),
        Paragraph(_escape(_("Your strengths")), heading),
        bullets(guide.strengths),
    ]
    if guide.results:
        story += [
            Paragraph(_escape(_("What we talked about")), heading),
            bullets([f"{r['name']}: {r['words']}" for r in guide.results]),
        ]
    story += [
        Paragraph(_escape(_("Ideas for %(who)s") % {"who": guide.age_label}), heading),
        bullets(guide.ideas),
    ]
    if guide.support:
        story += [Paragraph(_escape(_("Support is here")), heading), bullets(guide.support)]
    if follow_up:
        story += [Paragraph(_escape(_("Next steps")), heading), Paragraph(_escape(follow_up), body)]
    doc.build(story)
    return out.getvalue()


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
