"""The real policy landscape the tracker starts with (shared/domain.md §6), with sources.

Every entry names its source and the source's date. Where the source gives only a year, the
step is dated 1 January of that year and its note says so. Facts marked "verify" come from
general knowledge, as in domain.md, and should be checked before anyone relies on them.
Nothing here is fictional; fictional demo bills live in ``demo.py`` and are flagged.
"""

from __future__ import annotations

from datetime import date

# --- Sources (title, url, date) ------------------------------------------------------------
NCSL_PFML = ("NCSL, state paid family and medical leave laws", "https://www.ncsl.org/", None)
LEXOLOGY_2026 = ("Lexology, state paid leave overview (early 2026)", "", date(2026, 1, 15))
HYLANT_2025 = ("Hylant, paid leave benefit start dates", "", date(2025, 10, 1))
VIDAHR_2025 = ("VidaHR, Maryland FAMLI timeline (2025)", "", date(2025, 6, 1))
BLOOMBERG = ("Bloomberg Law and Zippia, paid leave state lists", "", None)
KFF_POSTPARTUM = (
    "KFF, Medicaid postpartum coverage extension tracker",
    "https://www.kff.org/",
    date(2025, 1, 17),
)
HPT_2025 = ("Health Policy Today, postpartum coverage status", "", date(2025, 3, 6))
WI_NEWS_2026 = ("News reports on the Wisconsin postpartum bill", "", date(2026, 2, 20))
NHELP_DOULA = (
    "National Health Law Program, Doula Medicaid Project tracker",
    "https://healthlaw.org/",
    date(2025, 9, 1),
)
BADT_2024 = ("BADT and NHeLP, doula Medicaid status", "", date(2024, 11, 1))
DOULAPAID_2026 = ("doulapaid.com, states reimbursing doulas", "", date(2026, 6, 1))
NASHP_CHW = ("NASHP, community health worker payment", "https://nashp.org/", None)
MACPAC_2021 = (
    "MACPAC, review of Medicaid CHW coverage",
    "https://www.macpac.gov/",
    date(2021, 1, 1),
)
KFF_BUDGET_2022 = ("KFF, Medicaid budget survey", "https://www.kff.org/", date(2022, 7, 1))
TRIAGE_CANCER = ("Triage Cancer, CHW coverage chart", "", None)
CMS_CIB_2016 = (
    "CMS Informational Bulletin: Maternal depression screening and treatment",
    "https://www.medicaid.gov/",
    date(2016, 5, 11),
)
NASHP_SCREENING = (
    "NASHP, maternal depression screening at well-child visits (map)",
    "https://nashp.org/",
    None,
)
CA_CYBHI = ("California CYBHI; IEHP; Health Net, Medi-Cal dyadic services", "", date(2023, 1, 1))
HMA_SPA = ("Health Management Associates blog, SPA 23-0010", "", None)
WA_HCA = ("Washington Health Care Authority, DC:0-5 crosswalk", "https://www.hca.wa.gov/", None)
NFP_2022 = (
    "Nurse-Family Partnership and Child First release on MIECHV reauthorization",
    "",
    date(2022, 12, 23),
)
NCSL_CTC = ("NCSL, state child tax credits", "https://www.ncsl.org/", date(2025, 12, 11))
TAX_2025 = ("Tax-preparer summaries of the One Big Beautiful Bill Act", "", date(2025, 7, 15))
GENERAL = ("General knowledge (verify)", "", None)


def source(entry) -> dict:
    title, url, when = entry
    return {"title": title, "url": url, "source_date": when}


def step(status: str, when: date, entry, note_en: str = "", note_es: str = "") -> dict:
    title, url, source_date = entry
    return {
        "status": status,
        "date": when,
        "source_title": title,
        "source_url": url,
        "source_date": source_date,
        "note_en": note_en,
        "note_es": note_es,
    }


def year(value: int) -> date:
    return date(value, 1, 1)


YEAR_ONLY_EN = "The source gives the year only."
YEAR_ONLY_ES = "La fuente solo indica el año."

# --- Paid family and medical leave ---------------------------------------------------------
PFML_SUMMARY_EN = (
    "A state insurance program that pays workers part of their wages while they bond with a "
    "new baby, care for a family member or recover from their own illness. Federal FMLA "
    "leave is unpaid."
)
PFML_SUMMARY_ES = (
    "Un seguro estatal que paga a las personas trabajadoras parte de su salario mientras "
    "conviven con su bebé recién llegado, cuidan a un familiar o se recuperan de una "
    "enfermedad propia. La licencia federal FMLA no es pagada."
)
PFML_WHY_EN = (
    "Paid time at home in the first months lets parents and babies build the nurturing "
    "relationship everything else grows from, without losing income."
)
PFML_WHY_ES = (
    "El tiempo pagado en casa durante los primeros meses permite que madres, padres y bebés "
    "construyan el vínculo afectivo del que crece todo lo demás, sin perder ingresos."
)
PFML_RATIONALE_EN = "Paid leave reduces stress on families at the moment babies need them most."
PFML_RATIONALE_ES = (
    "La licencia pagada reduce el estrés de las familias justo cuando sus bebés más las necesitan."
)
# usps: (enacted year, benefits start (date or year), source of benefits, note_en, note_es)
PFML_STATES = {
    "CA": (2002, year(2004), GENERAL, "", ""),
    "NJ": (2009, year(2009), GENERAL, "", ""),
    "RI": (2014, year(2014), GENERAL, "", ""),
    "NY": (2016, year(2018), GENERAL, "", ""),
    "WA": (2017, year(2020), GENERAL, "", ""),
    "DC": (2017, year(2020), GENERAL, "", ""),
    "MA": (2018, year(2021), GENERAL, "", ""),
    "CT": (2019, year(2022), GENERAL, "", ""),
    "OR": (2019, year(2023), GENERAL, "", ""),
    "CO": (
        2020,
        year(2023),
        NCSL_PFML,
        "Approved by voters in 2020; the source gives benefits from 2023.",
        "Aprobada por votación en 2020; la fuente indica beneficios desde 2023.",
    ),
    "DE": (2022, date(2026, 1, 1), HYLANT_2025, "Benefits began 1 January 2026.",
           "Los beneficios comenzaron el 1 de enero de 2026."),
    "MN": (2023, date(2026, 1, 1), HYLANT_2025, "Benefits began 1 January 2026.",
           "Los beneficios comenzaron el 1 de enero de 2026."),
    "ME": (2023, date(2026, 5, 1), HYLANT_2025, "Benefits began 1 May 2026.",
           "Los beneficios comenzaron el 1 de mayo de 2026."),
}  # fmt: skip

# --- Postpartum coverage -------------------------------------------------------------------
POSTPARTUM_SUMMARY_EN = (
    "Medicaid and CHIP keep covering a parent for 12 months after pregnancy instead of 60 "
    "days, under the option created by the American Rescue Plan Act and made permanent in "
    "2023."
)
POSTPARTUM_SUMMARY_ES = (
    "Medicaid y CHIP siguen cubriendo a la madre durante 12 meses después del embarazo, en "
    "lugar de 60 días, gracias a la opción creada por la Ley del Plan de Rescate "
    "Estadounidense y hecha permanente en 2023."
)
POSTPARTUM_WHY_EN = (
    "A parent's health and mental health in the baby's first year shape the relationship "
    "between them; coverage keeps care going when it matters."
)
POSTPARTUM_WHY_ES = (
    "La salud física y emocional de la madre durante el primer año del bebé da forma al "
    "vínculo entre ambos; la cobertura mantiene la atención cuando más importa."
)
POSTPARTUM_NOT_YET = {"AR", "WI"}

# --- Doula care ----------------------------------------------------------------------------
DOULA_SUMMARY_EN = (
    "Medicaid pays doulas for support in pregnancy, labor and after birth; the state sets "
    "certification and payment rates."
)
DOULA_SUMMARY_ES = (
    "Medicaid paga a las doulas por el acompañamiento en el embarazo, el parto y después "
    "del nacimiento; el estado fija la certificación y las tarifas."
)
DOULA_WHY_EN = (
    "Doulas support parents through birth and the first weeks, helping families start "
    "strong and connected."
)
DOULA_WHY_ES = (
    "Las doulas acompañan a las familias en el parto y las primeras semanas, y les ayudan a "
    "empezar con fuerza y unidas."
)
DOULA_STATES = {
    "OR": (
        [
            step("in_effect", year(2014), NHELP_DOULA, "Oregon was the first state to cover "
                 "doula care. " + YEAR_ONLY_EN,
                 "Oregón fue el primer estado en cubrir el acompañamiento de doulas. "
                 + YEAR_ONLY_ES),
            step("in_effect", year(2022), NHELP_DOULA, "Rate raised to $1,500. " + YEAR_ONLY_EN,
                 "La tarifa subió a 1.500 dólares. " + YEAR_ONLY_ES),
        ]
    ),
    "AZ": ([step("in_effect", year(2024), NHELP_DOULA, YEAR_ONLY_EN, YEAR_ONLY_ES)]),
    "DC": ([step("in_effect", date(2024, 11, 1), BADT_2024,
                 "Listed as implemented in November 2024.",
                 "Figura como implementado en noviembre de 2024.")]),
}  # fmt: skip

# --- Community health workers --------------------------------------------------------------
CHW_SUMMARY_EN = (
    "Medicaid pays for the services of community health workers and promotoras through a "
    "state plan amendment, a waiver or managed-care contracts."
)
CHW_SUMMARY_ES = (
    "Medicaid paga los servicios de promotoras y promotores de salud mediante una enmienda "
    "al plan estatal, una exención o contratos de atención administrada."
)
CHW_WHY_EN = (
    "Community health workers are trusted neighbors who connect families with care and "
    "support; stable pay keeps them in the work."
)
CHW_WHY_ES = (
    "Las promotoras de salud son vecinas de confianza que conectan a las familias con "
    "atención y apoyo; un pago estable les permite seguir en este trabajo."
)
CHW_STATES = {
    "MN": (year(2008), NASHP_CHW, "First state plan amendment for CHW services. ",
           "Primera enmienda al plan estatal para servicios de promotores. "),
    "RI": (year(2022), NASHP_CHW, "State plan amendment approved. ",
           "Enmienda al plan estatal aprobada. "),
    "LA": (year(2022), NASHP_CHW, "State plan amendment approved. ",
           "Enmienda al plan estatal aprobada. "),
    "CA": (year(2022), NASHP_CHW, "State plan amendment approved. ",
           "Enmienda al plan estatal aprobada. "),
    "ME": (year(2022), NASHP_CHW, "State plan amendment approved. ",
           "Enmienda al plan estatal aprobada. "),
    "NV": (year(2022), NASHP_CHW, "State plan amendment approved. ",
           "Enmienda al plan estatal aprobada. "),
    "AZ": (year(2023), TRIAGE_CANCER, "State plan amendment approved. ",
           "Enmienda al plan estatal aprobada. "),
}  # fmt: skip

# --- Caregiver depression screening at well-child visits (dyadic care) ----------------------
SCREENING = {
    "require": ["GA", "MI", "MS", "PA", "SC", "WA"],
    "recommend": [
        "CA", "DE", "DC", "ID", "IL", "IA", "KY", "ME", "MD", "MA", "MN", "MT", "NM", "NC",
        "ND", "OH", "RI", "SD", "TN", "TX", "VT", "VA", "WV",
    ],
    "allow": ["AL", "CO", "CT", "HI", "NV", "NY", "WI"],
}  # fmt: skip
SCREENING_WORDS = {
    "require": ("requires", "exige"),
    "recommend": ("recommends", "recomienda"),
    "allow": ("allows", "permite"),
}
SCREENING_SUMMARY_EN = (
    "Medicaid {word} screening the caregiver for depression at the baby's well-child "
    "visits, billed as a service for the child (as the 2016 CMS bulletin allows)."
)
SCREENING_SUMMARY_ES = (
    "Medicaid {word} la detección de depresión en la persona cuidadora durante las visitas "
    "de control del bebé, facturada como un servicio para la niña o el niño (como permite "
    "el boletín de CMS de 2016)."
)
SCREENING_WHY_EN = (
    "Finding and supporting a caregiver's depression early protects the back-and-forth "
    "between caregiver and baby that builds a healthy brain."
)
SCREENING_WHY_ES = (
    "Detectar y apoyar a tiempo la depresión de quien cuida protege la interacción entre "
    "la persona cuidadora y el bebé que construye un cerebro sano."
)

# --- State child tax credits ---------------------------------------------------------------
CTC_STATES = ["CA", "CO", "ID", "ME", "MD", "MA", "MN", "NJ", "NM", "NY", "OK", "OR", "UT", "VT"]
CTC_REFUNDABLE = {"CA", "CO", "ME", "MD", "MA", "MN", "NJ", "NM", "NY", "OR", "VT"}
CTC_NAMES = {"CA": ("Young Child Tax Credit", "Crédito Tributario por Hijos Pequeños")}
CTC_SUMMARY_EN = "A state income-tax credit for families raising children."
CTC_SUMMARY_ES = "Un crédito en el impuesto estatal sobre la renta para familias que crían hijos."
CTC_WHY_EN = (
    "Cash in families' hands eases the money worries that crowd out time and attention for "
    "young children."
)
CTC_WHY_ES = (
    "El dinero en manos de las familias alivia las preocupaciones económicas que les quitan "
    "tiempo y atención para sus hijos pequeños."
)
