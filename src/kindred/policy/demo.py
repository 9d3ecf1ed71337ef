"""Demo data for the policy area: the real landscape (landscape.py, with sources) plus a few
fictional bills, officials and actions that are clearly labelled as fictional."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.core.models import Topic
from kindred.places.models import State, ZipCode
from kindred.policy import landscape as L
from kindred.policy import services, signing
from kindred.policy.models import AdvocacyAction, Jurisdiction, Policy, Subscription

SUPPORT = Policy.Position.SUPPORT
WATCH = Policy.Position.WATCH


@transaction.atomic
def seed(rng, scale: str) -> None:
    services.sync_jurisdictions()
    if Policy.objects.filter(slug="us-miechv-2022").exists():
        return
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    states = {state.usps: state for state in State.objects.all()}
    seed_real_landscape(topics, states, staff)
    fictional = seed_fictional_bills(topics, states, staff)
    seed_officials(staff)
    actions = seed_actions(fictional, states, staff)
    seed_subscriptions(topics, states)
    seed_signatures(rng, scale, actions)


def _topics(topics: dict, *slugs: str) -> list:
    return [topics[slug] for slug in slugs if slug in topics]


def _state_policy(states, usps, **kwargs) -> Policy | None:
    state = states.get(usps)
    if state is None:
        return None
    jurisdiction = services.state_jurisdiction(state)
    kwargs["title_en"] = f"{kwargs['title_en']}: {state.name}"
    kwargs["title_es"] = f"{kwargs['title_es']}: {state.name}"
    return services.create_policy(jurisdiction=jurisdiction, **kwargs)


def seed_real_landscape(topics: dict, states: dict, staff) -> None:
    federal = services.federal_jurisdiction()
    verified = date(2026, 6, 30)

    # Paid family and medical leave.
    fmla = services.create_policy(
        slug="us-fmla",
        title_en="Family and Medical Leave Act (unpaid leave)",
        title_es="Ley de Licencia Familiar y Médica (licencia sin goce de sueldo)",
        jurisdiction=federal,
        policy_type=Policy.Type.BILL,
        identifier="Public Law 103-3",
        topics=_topics(topics, "paid-family-leave"),
        summary_en="Up to 12 weeks of job-protected leave for eligible workers; the leave is "
        "unpaid, which is why states build paid leave programs.",
        summary_es="Hasta 12 semanas de licencia con el empleo protegido para quienes "
        "cumplen los requisitos; la licencia no es pagada, por eso los estados crean "
        "programas de licencia pagada.",
        why_it_matters_en=L.PFML_WHY_EN,
        why_it_matters_es=L.PFML_WHY_ES,
        position=WATCH,
        position_rationale_en="A floor to build on: many families cannot afford unpaid leave.",
        position_rationale_es="Una base sobre la cual construir: muchas familias no pueden "
        "tomar una licencia sin sueldo.",
        history=[L.step("in_effect", date(1993, 2, 5), L.GENERAL, "Signed into law.",
                        "Firmada como ley.")],
        sources=[L.source(L.NCSL_PFML)],
        last_verified=verified,
        user=staff,
    )  # fmt: skip
    pfml_policies = []
    for usps, (enacted, benefits, benefit_source, note_en, note_es) in L.PFML_STATES.items():
        history = [L.step("enacted", L.year(enacted), L.NCSL_PFML, L.YEAR_ONLY_EN, L.YEAR_ONLY_ES)]
        if benefits:
            history.append(
                L.step(
                    "in_effect",
                    benefits,
                    benefit_source,
                    note_en or "Benefits began. " + L.YEAR_ONLY_EN,
                    note_es or "Comenzaron los beneficios. " + L.YEAR_ONLY_ES,
                )
            )
        policy = _state_policy(
            states,
            usps,
            slug=f"pfml-{usps.lower()}",
            title_en="Paid family and medical leave",
            title_es="Licencia familiar y médica pagada",
            policy_type=Policy.Type.BALLOT_MEASURE if usps == "CO" else Policy.Type.BILL,
            topics=_topics(topics, "paid-family-leave"),
            summary_en=L.PFML_SUMMARY_EN,
            summary_es=L.PFML_SUMMARY_ES,
            why_it_matters_en=L.PFML_WHY_EN,
            why_it_matters_es=L.PFML_WHY_ES,
            position=SUPPORT,
            position_rationale_en=L.PFML_RATIONALE_EN,
            position_rationale_es=L.PFML_RATIONALE_ES,
            history=history,
            sources=[L.source(L.LEXOLOGY_2026), L.source(L.NCSL_PFML), L.source(L.BLOOMBERG)],
            last_verified=verified,
            user=staff,
        )
        if policy:
            pfml_policies.append(policy)
    md = _state_policy(
        states,
        "MD",
        slug="pfml-md",
        title_en="Paid family and medical leave (FAMLI)",
        title_es="Licencia familiar y médica pagada (FAMLI)",
        policy_type=Policy.Type.BILL,
        topics=_topics(topics, "paid-family-leave"),
        summary_en=L.PFML_SUMMARY_EN,
        summary_es=L.PFML_SUMMARY_ES,
        why_it_matters_en=L.PFML_WHY_EN,
        why_it_matters_es=L.PFML_WHY_ES,
        position=SUPPORT,
        position_rationale_en=L.PFML_RATIONALE_EN,
        position_rationale_es=L.PFML_RATIONALE_ES,
        history=[
            L.step("enacted", L.year(2022), L.NCSL_PFML, L.YEAR_ONLY_EN, L.YEAR_ONLY_ES),
            L.step("implementing", date(2025, 6, 1), L.VIDAHR_2025,
                   "Start dates have shifted; the source says July 2026, and reports say it "
                   "was delayed further (unsure).",
                   "Las fechas de inicio han cambiado; la fuente dice julio de 2026 y hay "
                   "reportes de un nuevo retraso (sin confirmar)."),
        ],
        sources=[L.source(L.VIDAHR_2025), L.source(L.LEXOLOGY_2026)],
        last_verified=verified,
        user=staff,
    )  # fmt: skip
    pfml_policies.append(md)
    fmla.related.add(*[p for p in pfml_policies if p])

    # Postpartum coverage to 12 months.
    postpartum = services.create_policy(
        slug="us-postpartum-12-months",
        title_en="Option to extend postpartum Medicaid and CHIP to 12 months",
        title_es="Opción de extender Medicaid y CHIP posparto a 12 meses",
        jurisdiction=federal,
        policy_type=Policy.Type.BILL,
        identifier="ARPA 2021 §9812; CAA 2023",
        topics=_topics(topics, "postpartum-coverage", "perinatal-mental-health"),
        summary_en=L.POSTPARTUM_SUMMARY_EN + " As of March 2025 every state except Arkansas "
        "had acted; Wisconsin covered 90 days.",
        summary_es=L.POSTPARTUM_SUMMARY_ES + " En marzo de 2025 todos los estados menos "
        "Arkansas habían actuado; Wisconsin cubría 90 días.",
        why_it_matters_en=L.POSTPARTUM_WHY_EN,
        why_it_matters_es=L.POSTPARTUM_WHY_ES,
        position=SUPPORT,
        position_rationale_en="A year of coverage should be the floor in every state.",
        position_rationale_es="Un año de cobertura debe ser el mínimo en todos los estados.",
        history=[
            L.step("enacted", date(2021, 3, 11), L.GENERAL, "American Rescue Plan Act signed.",
                   "Se firmó la Ley del Plan de Rescate Estadounidense."),
            L.step("in_effect", date(2022, 4, 1), L.KFF_POSTPARTUM,
                   "States may extend coverage from 1 April 2022.",
                   "Los estados pueden extender la cobertura desde el 1 de abril de 2022."),
            L.step("in_effect", date(2022, 12, 29), L.KFF_POSTPARTUM,
                   "Made permanent by the Consolidated Appropriations Act, 2023.",
                   "Se hizo permanente con la Ley de Asignaciones Consolidadas de 2023."),
        ],
        sources=[L.source(L.KFF_POSTPARTUM), L.source(L.HPT_2025)],
        effective_date=date(2022, 4, 1),
        last_verified=verified,
        user=staff,
    )  # fmt: skip
    for usps, state in sorted(states.items()):
        if state.is_territory or usps in L.POSTPARTUM_NOT_YET:
            continue
        policy = _state_policy(
            states,
            usps,
            slug=f"postpartum-12m-{usps.lower()}",
            title_en="12-month postpartum Medicaid coverage",
            title_es="Cobertura posparto de Medicaid por 12 meses",
            policy_type=Policy.Type.PROGRAM_RULE,
            topics=_topics(topics, "postpartum-coverage"),
            summary_en=L.POSTPARTUM_SUMMARY_EN,
            summary_es=L.POSTPARTUM_SUMMARY_ES,
            why_it_matters_en=L.POSTPARTUM_WHY_EN,
            why_it_matters_es=L.POSTPARTUM_WHY_ES,
            position=SUPPORT,
            history=[
                L.step("enacted", date(2025, 3, 6), L.HPT_2025,
                       "The state had acted by March 2025; check the KFF tracker for its "
                       "start date.",
                       "El estado ya había actuado en marzo de 2025; consulte la fecha de "
                       "inicio en el monitor de KFF.")
            ],
            sources=[L.source(L.HPT_2025), L.source(L.KFF_POSTPARTUM)],
            last_verified=verified,
            user=staff,
        )  # fmt: skip
        postpartum.related.add(policy)
    wisconsin = _state_policy(
        states,
        "WI",
        slug="postpartum-12m-wi",
        title_en="12-month postpartum Medicaid coverage",
        title_es="Cobertura posparto de Medicaid por 12 meses",
        policy_type=Policy.Type.BILL,
        topics=_topics(topics, "postpartum-coverage"),
        summary_en="Wisconsin covers 90 days after pregnancy; a bill extends it to 12 months.",
        summary_es="Wisconsin cubre 90 días después del embarazo; un proyecto de ley lo "
        "extiende a 12 meses.",
        why_it_matters_en=L.POSTPARTUM_WHY_EN,
        why_it_matters_es=L.POSTPARTUM_WHY_ES,
        position=SUPPORT,
        history=[
            L.step("in_committee", date(2025, 3, 6), L.HPT_2025,
                   "Coverage was 90 days in March 2025.",
                   "La cobertura era de 90 días en marzo de 2025."),
            L.step("passed_one_chamber", date(2026, 2, 20), L.WI_NEWS_2026,
                   "The legislature passed the 12-month extension; the governor's signature "
                   "is not confirmed here.",
                   "La legislatura aprobó la extensión a 12 meses; la firma del gobernador "
                   "no está confirmada aquí."),
        ],
        sources=[L.source(L.WI_NEWS_2026), L.source(L.HPT_2025)],
        last_verified=verified,
        user=staff,
    )  # fmt: skip
    if wisconsin:
        postpartum.related.add(wisconsin)

    # Doula care.
    for usps, history in L.DOULA_STATES.items():
        _state_policy(
            states,
            usps,
            slug=f"doula-medicaid-{usps.lower()}",
            title_en="Medicaid coverage of doula care",
            title_es="Cobertura de Medicaid para el acompañamiento de doulas",
            policy_type=Policy.Type.PROGRAM_RULE,
            topics=_topics(topics, "doula-care"),
            summary_en=L.DOULA_SUMMARY_EN + " Nationally, 28 states and DC were reimbursing "
            "and 6 were implementing in June 2026.",
            summary_es=L.DOULA_SUMMARY_ES + " En todo el país, 28 estados y DC pagaban y 6 "
            "lo estaban implementando en junio de 2026.",
            why_it_matters_en=L.DOULA_WHY_EN,
            why_it_matters_es=L.DOULA_WHY_ES,
            position=SUPPORT,
            history=history,
            sources=[L.source(L.NHELP_DOULA), L.source(L.DOULAPAID_2026)],
            last_verified=verified,
            user=staff,
        )

    # Community health workers.
    for usps, (when, entry, note_en, note_es) in L.CHW_STATES.items():
        _state_policy(
            states,
            usps,
            slug=f"chw-medicaid-{usps.lower()}",
            title_en="Medicaid payment for community health workers",
            title_es="Pago de Medicaid a promotoras y promotores de salud",
            policy_type=Policy.Type.PROGRAM_RULE,
            topics=_topics(topics, "community-health-workers"),
            summary_en=L.CHW_SUMMARY_EN,
            summary_es=L.CHW_SUMMARY_ES,
            why_it_matters_en=L.CHW_WHY_EN,
            why_it_matters_es=L.CHW_WHY_ES,
            position=SUPPORT,
            history=[L.step("in_effect", when, entry, note_en + L.YEAR_ONLY_EN,
                            note_es + L.YEAR_ONLY_ES)],
            sources=[L.source(L.NASHP_CHW), L.source(L.MACPAC_2021)],
            last_verified=verified,
            user=staff,
        )  # fmt: skip
    services.create_policy(
        slug="us-chw-workforce-funding",
        title_en="Community health worker workforce funding, FY2023 to FY2027",
        title_es="Fondos para la fuerza laboral de promotores de salud, años fiscales 2023 a 2027",
        jurisdiction=federal,
        policy_type=Policy.Type.BUDGET_ITEM,
        identifier="CAA 2023",
        topics=_topics(topics, "community-health-workers"),
        summary_en="$50 million a year for training and supporting community health workers. "
        "At least 29 of 48 responding states paid for CHW services by July 2022.",
        summary_es="50 millones de dólares al año para formar y apoyar a promotoras y "
        "promotores de salud. Al menos 29 de 48 estados que respondieron pagaban sus "
        "servicios en julio de 2022.",
        why_it_matters_en=L.CHW_WHY_EN,
        why_it_matters_es=L.CHW_WHY_ES,
        position=SUPPORT,
        history=[L.step("enacted", date(2022, 12, 29), L.KFF_BUDGET_2022,
                        "Authorized in the Consolidated Appropriations Act, 2023.",
                        "Autorizado en la Ley de Asignaciones Consolidadas de 2023.")],
        sources=[L.source(L.KFF_BUDGET_2022), L.source(L.MACPAC_2021)],
        last_verified=verified,
        user=staff,
    )  # fmt: skip
    services.create_policy(
        slug="us-medicare-chi-codes",
        title_en="Medicare Community Health Integration codes (G0019, G0022)",
        title_es="Códigos de Integración de Salud Comunitaria de Medicare (G0019, G0022)",
        jurisdiction=federal,
        policy_type=Policy.Type.REGULATION,
        identifier="CY2024 Physician Fee Schedule",
        topics=_topics(topics, "community-health-workers"),
        summary_en="Medicare pays for community health integration services that CHWs can "
        "provide under a clinician's direction. Verify before relying on this entry.",
        summary_es="Medicare paga servicios de integración de salud comunitaria que los "
        "promotores pueden prestar bajo la dirección de un profesional clínico. Verifique "
        "antes de confiar en esta entrada.",
        why_it_matters_en=L.CHW_WHY_EN,
        why_it_matters_es=L.CHW_WHY_ES,
        position=WATCH,
        history=[L.step("in_effect", date(2024, 1, 1), L.GENERAL)],
        sources=[L.source(L.GENERAL)],
        user=staff,
    )

    # Dyadic care.
    services.create_policy(
        slug="us-cms-maternal-depression-cib",
        title_en="CMS bulletin: caregiver depression screening as a child's service",
        title_es="Boletín de CMS: detección de depresión en la persona cuidadora como "
        "servicio para la niña o el niño",
        jurisdiction=federal,
        policy_type=Policy.Type.PROGRAM_RULE,
        identifier="CMS CIB 2016-05-11",
        topics=_topics(topics, "dyadic-care", "perinatal-mental-health"),
        summary_en="States may cover maternal depression screening at well-child visits as a "
        "service for the child, even when the mother is not on Medicaid, and dyadic "
        "treatment of mother and child together for the child's benefit.",
        summary_es="Los estados pueden cubrir la detección de depresión materna en las "
        "visitas de control infantil como un servicio para la niña o el niño, aunque la "
        "madre no tenga Medicaid, y el tratamiento diádico de madre e hijo juntos en "
        "beneficio del menor.",
        why_it_matters_en=L.SCREENING_WHY_EN,
        why_it_matters_es=L.SCREENING_WHY_ES,
        position=SUPPORT,
        history=[L.step("in_effect", date(2016, 5, 11), L.CMS_CIB_2016)],
        sources=[L.source(L.CMS_CIB_2016)],
        last_verified=verified,
        user=staff,
    )
    for level, codes in L.SCREENING.items():
        word_en, word_es = L.SCREENING_WORDS[level]
        for usps in codes:
            _state_policy(
                states,
                usps,
                slug=f"caregiver-screening-{usps.lower()}",
                title_en=f"Caregiver depression screening at well-child visits ({word_en})",
                title_es=f"Detección de depresión en la persona cuidadora ({word_es})",
                policy_type=Policy.Type.PROGRAM_RULE,
                topics=_topics(topics, "dyadic-care", "perinatal-mental-health"),
                summary_en=L.SCREENING_SUMMARY_EN.format(word=word_en),
                summary_es=L.SCREENING_SUMMARY_ES.format(word=word_es),
                why_it_matters_en=L.SCREENING_WHY_EN,
                why_it_matters_es=L.SCREENING_WHY_ES,
                position=SUPPORT,
                history=[
                    L.step("in_effect", date(2016, 5, 11), L.NASHP_SCREENING,
                           "NASHP's map does not give the state's start date; dated from the "
                           "2016 CMS bulletin.",
                           "El mapa de NASHP no da la fecha de inicio del estado; se fecha con "
                           "el boletín de CMS de 2016.")
                ],
                sources=[L.source(L.NASHP_SCREENING), L.source(L.CMS_CIB_2016)],
                user=staff,
            )  # fmt: skip
    _state_policy(
        states,
        "CA",
        slug="medi-cal-dyadic-services",
        title_en="Medi-Cal dyadic services benefit",
        title_es="Beneficio de servicios diádicos de Medi-Cal",
        policy_type=Policy.Type.PROGRAM_RULE,
        identifier="SPA 23-0010",
        topics=_topics(topics, "dyadic-care", "infant-early-childhood-mental-health"),
        summary_en="Dyadic behavioral-health well-child visits, dyadic community supports, "
        "psychoeducation and family training; the caregiver need not be enrolled. Modeled "
        "on HealthySteps, with $542 million.",
        summary_es="Visitas de control infantil con salud conductual diádica, apoyos "
        "comunitarios diádicos, psicoeducación y capacitación familiar; la persona cuidadora "
        "no necesita estar inscrita. Inspirado en HealthySteps, con 542 millones de dólares.",
        why_it_matters_en="It pays for care of the relationship itself: baby and caregiver "
        "together.",
        why_it_matters_es="Paga la atención del vínculo mismo: el bebé y la persona cuidadora "
        "juntos.",
        position=SUPPORT,
        history=[
            L.step("in_effect", date(2023, 1, 1), L.CA_CYBHI, "Benefit live.",
                   "El beneficio entró en vigor."),
            L.step("in_effect", date(2023, 3, 15), L.HMA_SPA,
                   "CMS approved SPA 23-0010 (FQHC payment), retroactive to this date.",
                   "CMS aprobó la SPA 23-0010 (pago a FQHC), con efecto retroactivo a esta "
                   "fecha."),
        ],
        sources=[L.source(L.CA_CYBHI), L.source(L.HMA_SPA)],
        effective_date=date(2023, 1, 1),
        last_verified=verified,
        user=staff,
    )  # fmt: skip
    _state_policy(
        states,
        "WA",
        slug="wa-dc05-assessment",
        title_en="DC:0-5 diagnosis and multi-session assessment",
        title_es="Diagnóstico DC:0-5 y evaluación en varias sesiones",
        policy_type=Policy.Type.BILL,
        identifier="2021 c 126",
        topics=_topics(topics, "infant-early-childhood-mental-health", "dyadic-care"),
        summary_en="Medicaid pays for age-appropriate infant and early-childhood mental-health "
        "diagnosis, with assessments over several sessions and at home.",
        summary_es="Medicaid paga un diagnóstico de salud mental infantil adecuado a la edad, "
        "con evaluaciones en varias sesiones y en el hogar.",
        why_it_matters_en="Babies are assessed the way they really are: over time, with the "
        "people they love.",
        why_it_matters_es="Se evalúa a los bebés como realmente son: con tiempo y junto a las "
        "personas que aman.",
        position=SUPPORT,
        history=[
            L.step("enacted", L.year(2021), L.WA_HCA, L.YEAR_ONLY_EN, L.YEAR_ONLY_ES),
            L.step("in_effect", date(2022, 1, 1), L.WA_HCA),
        ],
        sources=[L.source(L.WA_HCA)],
        effective_date=date(2022, 1, 1),
        user=staff,
    )  # fmt: skip

    # Home visiting.
    services.create_policy(
        slug="us-miechv-2022",
        title_en="MIECHV home visiting reauthorization through FY2027",
        title_es="Reautorización de las visitas al hogar MIECHV hasta el año fiscal 2027",
        jurisdiction=federal,
        policy_type=Policy.Type.BILL,
        identifier="ACA §511; reauthorized Dec 2022",
        topics=_topics(topics, "home-visiting"),
        summary_en="Federal formula funding for evidence-based home visiting, reauthorized "
        "through FY2027 with its first increase (to $800 million a year by FY2027 through a "
        "state match), a doubled tribal set-aside and continued virtual visits.",
        summary_es="Fondos federales por fórmula para visitas al hogar basadas en evidencia, "
        "reautorizados hasta el año fiscal 2027 con su primer aumento (hasta 800 millones "
        "de dólares al año en 2027 mediante un aporte estatal), el doble de fondos para "
        "comunidades tribales y la continuidad de las visitas virtuales.",
        why_it_matters_en="Home visitors walk alongside parents in the first years, in the "
        "family's own home.",
        why_it_matters_es="Las visitadoras del hogar acompañan a madres y padres en los "
        "primeros años, en la casa de la propia familia.",
        position=SUPPORT,
        position_rationale_en="Reauthorization is due again by the end of FY2027.",
        position_rationale_es="La reautorización vence otra vez al final del año fiscal 2027.",
        history=[
            L.step("in_effect", date(2010, 3, 23), L.GENERAL, "Created by the Affordable Care "
                   "Act, section 511.", "Creado por la Ley de Cuidado de Salud a Bajo Precio, "
                   "sección 511."),
            L.step("enacted", date(2022, 12, 23), L.NFP_2022, "Reauthorized through FY2027.",
                   "Reautorizado hasta el año fiscal 2027."),
            L.step("in_effect", date(2023, 10, 1), L.NFP_2022),
        ],
        sources=[L.source(L.NFP_2022)],
        last_verified=verified,
        user=staff,
    )  # fmt: skip

    # Child tax credits.
    services.create_policy(
        slug="us-ctc-2025",
        title_en="Federal child tax credit of $2,200 per child",
        title_es="Crédito tributario federal por hijos de 2.200 dólares por niño",
        jurisdiction=federal,
        policy_type=Policy.Type.BILL,
        identifier="One Big Beautiful Bill Act",
        topics=_topics(topics, "child-tax-credit"),
        summary_en="$2,200 per child from tax year 2025, indexed from 2026, refundable up to "
        "$1,700, with a Social Security number requirement.",
        summary_es="2.200 dólares por niño desde el año tributario 2025, ajustado desde 2026, "
        "reembolsable hasta 1.700 dólares, con requisito de número de Seguro Social.",
        why_it_matters_en=L.CTC_WHY_EN,
        why_it_matters_es=L.CTC_WHY_ES,
        position=WATCH,
        position_rationale_en="Families with the lowest incomes get only part of the credit.",
        position_rationale_es="Las familias con menos ingresos reciben solo una parte del "
        "crédito.",
        history=[L.step("enacted", date(2025, 7, 4), L.TAX_2025, "Signed 4 July 2025.",
                        "Firmada el 4 de julio de 2025."),
                 L.step("in_effect", date(2026, 1, 1), L.TAX_2025,
                        "Applies from tax year 2025, claimed in 2026.",
                        "Aplica desde el año tributario 2025 y se reclama en 2026.")],
        sources=[L.source(L.TAX_2025)],
        last_verified=verified,
        user=staff,
    )  # fmt: skip
    services.create_policy(
        slug="us-ctc-2021-expansion",
        title_en="Expanded child tax credit of 2021 (monthly payments)",
        title_es="Crédito tributario por hijos ampliado de 2021 (pagos mensuales)",
        jurisdiction=federal,
        policy_type=Policy.Type.BILL,
        identifier="ARPA 2021",
        topics=_topics(topics, "child-tax-credit"),
        summary_en="$3,600 for each child under 6, fully refundable and paid monthly. It "
        "expired and was not renewed.",
        summary_es="3.600 dólares por cada niño menor de 6 años, totalmente reembolsable y "
        "pagado cada mes. Venció y no se renovó.",
        why_it_matters_en=L.CTC_WHY_EN,
        why_it_matters_es=L.CTC_WHY_ES,
        position=SUPPORT,
        history=[
            L.step("enacted", date(2021, 3, 11), L.GENERAL),
            L.step("repealed", L.year(2022), L.TAX_2025,
                   "Expired after tax year 2021. " + L.YEAR_ONLY_EN,
                   "Venció después del año tributario 2021. " + L.YEAR_ONLY_ES),
        ],
        sources=[L.source(L.TAX_2025)],
        user=staff,
    )  # fmt: skip
    for usps in L.CTC_STATES:
        name_en, name_es = L.CTC_NAMES.get(
            usps, ("State child tax credit", "Crédito tributario estatal por hijos")
        )
        refundable = usps in L.CTC_REFUNDABLE
        _state_policy(
            states,
            usps,
            slug=f"state-ctc-{usps.lower()}",
            title_en=name_en,
            title_es=name_es,
            policy_type=Policy.Type.BILL,
            topics=_topics(topics, "child-tax-credit"),
            summary_en=L.CTC_SUMMARY_EN + (" It is refundable." if refundable else ""),
            summary_es=L.CTC_SUMMARY_ES + (" Es reembolsable." if refundable else ""),
            why_it_matters_en=L.CTC_WHY_EN,
            why_it_matters_es=L.CTC_WHY_ES,
            position=SUPPORT,
            history=[L.step("in_effect", date(2025, 12, 11), L.NCSL_CTC,
                            "In NCSL's list of state child tax credits (15 states; the 15th is "
                            "not named in our source).",
                            "Figura en la lista de NCSL de créditos estatales por hijos (15 "
                            "estados; nuestra fuente no nombra el número 15).")],
            sources=[L.source(L.NCSL_CTC)],
            last_verified=verified,
            user=staff,
        )  # fmt: skip

    services.create_policy(
        slug="us-continuous-eligibility-children",
        title_en="12-month continuous Medicaid and CHIP eligibility for children",
        title_es="Elegibilidad continua de 12 meses en Medicaid y CHIP para la niñez",
        jurisdiction=federal,
        policy_type=Policy.Type.BILL,
        identifier="CAA 2023",
        topics=_topics(topics, "continuous-coverage"),
        summary_en="Children keep Medicaid or CHIP for a full year once enrolled, from 1 "
        "January 2024. Some states go further with coverage from birth to age 6 through "
        "waivers. Verify before relying on this entry.",
        summary_es="La niñez conserva Medicaid o CHIP un año completo una vez inscrita, "
        "desde el 1 de enero de 2024. Algunos estados van más allá con cobertura desde el "
        "nacimiento hasta los 6 años mediante exenciones. Verifique antes de confiar en "
        "esta entrada.",
        why_it_matters_en="No gaps in care during the years the brain grows fastest.",
        why_it_matters_es="Sin interrupciones en la atención durante los años en que el "
        "cerebro crece más rápido.",
        position=SUPPORT,
        history=[L.step("in_effect", date(2024, 1, 1), L.GENERAL)],
        sources=[L.source(L.GENERAL)],
        effective_date=date(2024, 1, 1),
        user=staff,
    )


FICTIONAL_EN = " (fictional demo bill)"
FICTIONAL_ES = " (proyecto ficticio de demostración)"
DEMO_SOURCE = {"source_title": "Kindred demo data (fictional)", "source_url": ""}


def seed_fictional_bills(topics: dict, states: dict, staff) -> dict[str, Policy]:
    """A few made-up bills so the demo shows pending statuses, hearings and local policy."""
    today = timezone.localdate()
    made: dict[str, Policy] = {}
    ok = states.get("OK")
    tx = states.get("TX")
    if ok is not None:
        made["ok-pfml"] = services.create_policy(
            slug="ok-family-leave-insurance-act-demo",
            title_en="Oklahoma Family Leave Insurance Act" + FICTIONAL_EN,
            title_es="Ley de Seguro de Licencia Familiar de Oklahoma" + FICTIONAL_ES,
            jurisdiction=services.state_jurisdiction(ok),
            policy_type=Policy.Type.BILL,
            identifier="SB 1234 (demo)",
            topics=_topics(topics, "paid-family-leave"),
            summary_en="Would create 12 weeks of paid family leave for Oklahoma workers. "
            "This bill is made up for the demo.",
            summary_es="Crearía 12 semanas de licencia familiar pagada para quienes trabajan "
            "en Oklahoma. Este proyecto es inventado para la demostración.",
            why_it_matters_en=L.PFML_WHY_EN,
            why_it_matters_es=L.PFML_WHY_ES,
            position=SUPPORT,
            position_rationale_en=L.PFML_RATIONALE_EN,
            position_rationale_es=L.PFML_RATIONALE_ES,
            history=[
                {"status": "introduced", "date": today - timedelta(days=40), **DEMO_SOURCE},
                {"status": "in_committee", "date": today - timedelta(days=20), **DEMO_SOURCE,
                 "note_en": "Referred to the Senate Health and Human Services Committee.",
                 "note_es": "Enviado a la Comisión de Salud y Servicios Humanos del Senado."},
            ],
            is_fictional=True,
            user=staff,
        )  # fmt: skip
        made["ok-pfml"].related.add(*Policy.objects.filter(slug__in=["us-fmla", "pfml-ca"]))
        starts = timezone.make_aware(datetime.combine(today + timedelta(days=10), time(14, 0)))
        services.add_hearing(
            made["ok-pfml"],
            title="Senate Health and Human Services Committee hearing (demo)",
            starts_at=starts,
            location="Oklahoma State Capitol, Room 535 (demo)",
        )
        tulsa = ok.counties.filter(name__startswith="Tulsa").first()
        if tulsa is not None:
            made["tulsa-home-visits"] = services.create_policy(
                slug="tulsa-county-newborn-home-visits-demo",
                title_en="Tulsa County universal newborn home visits" + FICTIONAL_EN,
                title_es="Visitas al hogar para todos los recién nacidos en el condado de "
                "Tulsa" + FICTIONAL_ES,
                jurisdiction=services.local_jurisdiction(county=tulsa),
                policy_type=Policy.Type.BUDGET_ITEM,
                identifier="FY2027 budget line (demo)",
                topics=_topics(topics, "home-visiting"),
                summary_en="A nurse visit at home for every family with a newborn, in the "
                "style of Family Connects. Made up for the demo.",
                summary_es="Una visita de enfermería en casa para cada familia con un recién "
                "nacido, al estilo de Family Connects. Inventado para la demostración.",
                why_it_matters_en="Every family gets a warm welcome and a link to support in "
                "the first weeks.",
                why_it_matters_es="Cada familia recibe una cálida bienvenida y un vínculo con "
                "apoyos en las primeras semanas.",
                position=SUPPORT,
                history=[{"status": "proposed", "date": today - timedelta(days=15),
                          **DEMO_SOURCE}],
                is_fictional=True,
                user=staff,
            )  # fmt: skip
            services.add_hearing(
                made["tulsa-home-visits"],
                title="County budget public hearing (demo)",
                starts_at=starts + timedelta(days=14),
                location="Tulsa County Administration Building (demo)",
            )
    if tx is not None:
        made["tx-doula"] = services.create_policy(
            slug="tx-doula-medicaid-demo",
            title_en="Texas Medicaid doula coverage" + FICTIONAL_EN,
            title_es="Cobertura de doulas en Medicaid de Texas" + FICTIONAL_ES,
            jurisdiction=services.state_jurisdiction(tx),
            policy_type=Policy.Type.BILL,
            identifier="HB 777 (demo)",
            topics=_topics(topics, "doula-care"),
            summary_en=L.DOULA_SUMMARY_EN + " This bill is made up for the demo.",
            summary_es=L.DOULA_SUMMARY_ES + " Este proyecto es inventado para la demostración.",
            why_it_matters_en=L.DOULA_WHY_EN,
            why_it_matters_es=L.DOULA_WHY_ES,
            position=SUPPORT,
            history=[
                {"status": "introduced", "date": today - timedelta(days=60), **DEMO_SOURCE},
                {"status": "passed_one_chamber", "date": today - timedelta(days=5),
                 **DEMO_SOURCE, "note_en": "Passed the House.", "note_es": "Aprobado por la "
                 "Cámara de Representantes."},
            ],
            is_fictional=True,
            user=staff,
        )  # fmt: skip
    return made


OK_OCD = "ocd-division/country:us/state:ok"
DEMO_MAIL = "officials.demo.kindred.test"
# An Open States-style file of fictional officials (every name says "demo").
OFFICIALS = [
    ["name", "office", "jurisdiction", "district", "email", "contact_form_url", "state", "id"],
    ["Sen. Jordan Rivers (demo)", "State Senator", OK_OCD, "35",
     f"jordan.rivers@{DEMO_MAIL}", "", "OK", "demo-ok-1"],
    ["Sen. Avery Lake (demo)", "State Senator", OK_OCD, "11", "",
     "https://example.org/contact/avery-lake", "OK", "demo-ok-2"],
    ["Rep. Casey Morgan (demo)", "State Representative", OK_OCD, "72",
     f"casey.morgan@{DEMO_MAIL}", "", "OK", "demo-ok-3"],
    ["Gov. Robin Hale (demo)", "Governor", OK_OCD, "", f"governor@{DEMO_MAIL}", "", "OK",
     "demo-ok-4"],
    ["Sen. Dana Flores (demo)", "State Senator", "TX", "26", f"dana.flores@{DEMO_MAIL}", "",
     "TX", "demo-tx-1"],
    ["Rep. Morgan Ortiz (demo)", "State Representative", "TX", "116", "",
     "https://example.org/contact/morgan-ortiz", "TX", "demo-tx-2"],
    ["Sen. Alex Kim (demo)", "State Senator", "CA", "11", f"alex.kim@{DEMO_MAIL}", "", "CA",
     "demo-ca-1"],
    ["Sen. Pat Quinn (demo)", "State Senator", "NY", "59", f"pat.quinn@{DEMO_MAIL}", "", "NY",
     "demo-ny-1"],
    ["Sen. Lee Carter (demo)", "U.S. Senator", "ocd-division/country:us", "",
     f"lee.carter@{DEMO_MAIL}", "", "OK", "demo-us-1"],
]  # fmt: skip


def seed_officials(staff) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(OFFICIALS)
    result = services.import_officials(buffer.getvalue().encode(), user=staff)
    if not result.ok:  # the demo data is ours; a failure here is a bug to see at once
        raise RuntimeError(f"demo officials did not import: {result.errors}")


def seed_actions(fictional: dict, states: dict, staff) -> list[AdvocacyAction]:
    actions = []
    federal = services.federal_jurisdiction()
    ok_pfml = fictional.get("ok-pfml")
    if ok_pfml is not None:
        letter = AdvocacyAction.objects.create(
            slug="ok-paid-leave-letter",
            kind=AdvocacyAction.Kind.LETTER,
            status=AdvocacyAction.Status.OPEN,
            title_en="Tell Oklahoma lawmakers: pass paid family leave",
            title_es="Dígale a la legislatura de Oklahoma: aprueben la licencia familiar pagada",
            intro_en="SB 1234 (a fictional demo bill) is in committee. A short letter from "
            "you, in your own words, helps lawmakers see the families behind it.",
            intro_es="El SB 1234 (un proyecto ficticio de demostración) está en comisión. Una "
            "carta breve, con sus propias palabras, ayuda a la legislatura a ver a las "
            "familias detrás de él.",
            policy=ok_pfml,
            jurisdiction=ok_pfml.jurisdiction,
            letter_subject_en="Please support paid family leave (SB 1234)",
            letter_subject_es="Por favor apoye la licencia familiar pagada (SB 1234)",
            letter_body_en="Dear {target_name},\n\nI live in {signer_place} and I am asking you "
            "to support SB 1234. When parents can stay home with a new baby, families start "
            "strong: babies grow in the warm, steady relationships they need, and parents "
            "do not have to choose between a paycheck and their child.\n\nThank you for "
            "standing with Oklahoma families.",
            letter_body_es="Estimado/a {target_name}:\n\nVivo en {signer_place} y le pido que "
            "apoye el SB 1234. Cuando madres y padres pueden quedarse en casa con su bebé, "
            "las familias empiezan con fuerza: los bebés crecen en las relaciones cálidas y "
            "estables que necesitan, y nadie tiene que elegir entre su sueldo y su hijo.\n\n"
            "Gracias por apoyar a las familias de Oklahoma.",
            goal=500,
            created_by=staff,
        )
        letter.targets.set(services.state_jurisdiction(states["OK"]).officials.all())
        actions.append(letter)
    actions.append(
        AdvocacyAction.objects.create(
            slug="postpartum-year-petition",
            kind=AdvocacyAction.Kind.PETITION,
            status=AdvocacyAction.Status.OPEN,
            title_en="A full year of postpartum coverage in every state",
            title_es="Un año completo de cobertura posparto en todos los estados",
            intro_en="Every state but one has extended postpartum Medicaid to 12 months. Add "
            "your name to ask the last states to finish the job.",
            intro_es="Todos los estados menos uno ya extendieron Medicaid posparto a 12 meses. "
            "Sume su nombre para pedir a los últimos estados que terminen la tarea.",
            policy=Policy.objects.filter(slug="us-postpartum-12-months").first(),
            jurisdiction=federal,
            letter_body_en="We ask every state to cover parents for a full year after birth, "
            "so that care continues while babies and parents build their bond.",
            letter_body_es="Pedimos a todos los estados que cubran a madres y padres durante "
            "un año completo después del parto, para que la atención continúe mientras el "
            "bebé y su familia construyen su vínculo.",
            goal=2000,
            created_by=staff,
        )
    )
    actions.append(
        AdvocacyAction.objects.create(
            slug="doula-coverage-sign-on",
            kind=AdvocacyAction.Kind.SIGN_ON,
            status=AdvocacyAction.Status.OPEN,
            title_en="Organizations for doula coverage",
            title_es="Organizaciones a favor de la cobertura de doulas",
            intro_en="Organizations: sign on to ask your state senators to pay doulas fairly "
            "through Medicaid.",
            intro_es="Organizaciones: súmense para pedir a sus senadores estatales que "
            "Medicaid pague a las doulas de manera justa.",
            jurisdiction=federal,
            letter_subject_en="Organizations support Medicaid doula coverage",
            letter_subject_es="Organizaciones apoyan la cobertura de doulas en Medicaid",
            letter_body_en="Dear {target_name},\n\nAs organizations serving families in your "
            "state, we ask you to support Medicaid payment for doula care at a fair rate.",
            letter_body_es="Estimado/a {target_name}:\n\nComo organizaciones que sirven a las "
            "familias de su estado, le pedimos apoyar el pago de Medicaid por el "
            "acompañamiento de doulas con una tarifa justa.",
            target_mode=AdvocacyAction.TargetMode.SIGNER_STATE,
            target_level=Jurisdiction.Level.STATE,
            created_by=staff,
        )
    )
    AdvocacyAction.objects.create(
        slug="miechv-2022-thank-you",
        kind=AdvocacyAction.Kind.PETITION,
        status=AdvocacyAction.Status.CLOSED,
        title_en="Thank Congress for doubling home visiting (closed)",
        title_es="Agradezca al Congreso por duplicar las visitas al hogar (cerrada)",
        intro_en="This action closed when MIECHV was reauthorized in December 2022.",
        intro_es="Esta acción cerró cuando MIECHV se reautorizó en diciembre de 2022.",
        policy=Policy.objects.filter(slug="us-miechv-2022").first(),
        jurisdiction=federal,
        letter_body_en="Thank you for reauthorizing MIECHV home visiting.",
        letter_body_es="Gracias por reautorizar las visitas al hogar MIECHV.",
        created_by=staff,
    )
    return actions


def seed_subscriptions(topics: dict, states: dict) -> None:
    """The advocate follows paid family leave; the parent follows Oklahoma (both confirmed,
    so a status change on demo data emails them)."""
    for email, topic_slug, usps in (
        ("advocate@demo.kindred.test", "paid-family-leave", None),
        ("parent@demo.kindred.test", None, "OK"),
    ):
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        services.subscribe(
            email=email,
            topic=topics.get(topic_slug) if topic_slug else None,
            jurisdiction=services.state_jurisdiction(states[usps]) if usps else None,
            frequency=Subscription.Frequency.IMMEDIATE,
            language=getattr(user, "language", "") or "en",
            user=user,
        )


FIRST = ["Ana", "Luis", "Maya", "Omar", "Grace", "Tariq", "Rosa", "Ben", "Keisha", "Hana",
         "Diego", "Ruth", "Sam", "Lena", "Jamal", "Mei", "Noah", "Ivy", "Carlos",
         "Zoe"]  # fmt: skip
LAST = ["Lopez", "Nguyen", "Johnson", "Begay", "Kim", "Okafor", "Smith", "Garcia", "Patel",
        "Brown", "Hernandez", "Williams", "Yazzie", "Chen", "Davis"]  # fmt: skip
ORGS = ["Sooner Doula Collective", "Family Roots Clinic", "Little Steps Home Visiting",
        "Promotoras Unidas", "Bright Start Pediatrics"]  # fmt: skip


def seed_signatures(rng, scale: str, actions: list[AdvocacyAction]) -> None:
    from kindred.network.models import Community

    per_action = 60 if scale == "small" else 3000
    communities = list(Community.objects.order_by("pk")[:5])
    codes = [services.referral_code_for(c).code for c in communities]
    for action in actions:
        snapshot = signing.get_action_snapshot(action.slug)
        zips = ZipCode.objects.order_by("code")
        if action.jurisdiction.state_id:
            zips = zips.filter(state_id=action.jurisdiction.state_id)
        zip_pool = list(zips.values_list("code", flat=True)[:: 25 if scale == "small" else 5])
        if not zip_pool or snapshot is None:
            continue
        for n in range(per_action):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            data = {
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{action.pk}.{n}@example.org".lower(),
                "zip": rng.choice(zip_pool),
                "follow_up_consent": rng.random() < 0.6,
                "organization": rng.choice(ORGS),
                "ref": rng.choice(codes) if codes and rng.random() < 0.4 else "",
            }
            if action.kind == AdvocacyAction.Kind.LETTER and rng.random() < 0.3:
                data["message"] = action.letter_body_en + "\n\nI am a parent of a toddler."
            clean, errors = signing.clean_signature(snapshot, data, consent_default=True)
            if not errors:
                language = "es" if rng.random() < 0.25 else "en"
                signing.sign_action(snapshot, clean, language=language)
