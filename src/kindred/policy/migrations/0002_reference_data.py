"""Policy reference data: the topics the tracker needs beyond the shared vocabulary, and a
jurisdiction (Open Civic Data id) for the United States and every state, DC and territory.

Idempotent: anything that already exists is left as it is.
"""

from django.db import migrations

FEDERAL = "ocd-division/country:us"

# (slug, English, Spanish, description EN, description ES)
TOPICS = [
    (
        "postpartum-coverage",
        "Postpartum coverage",
        "Cobertura posparto",
        "Medicaid and CHIP coverage for parents in the year after birth.",
        "Cobertura de Medicaid y CHIP para madres y padres durante el año después del parto.",
    ),
    (
        "doula-care",
        "Doula care",
        "Acompañamiento de doulas",
        "Support from doulas in pregnancy, birth and the months after, and paying for it.",
        "El apoyo de doulas en el embarazo, el parto y los meses siguientes, y cómo se paga.",
    ),
    (
        "community-health-workers",
        "Community health workers",
        "Promotoras y promotores de salud",
        "Paying community health workers and promotoras for their work with families.",
        "El pago a promotoras y promotores de salud por su trabajo con las familias.",
    ),
    (
        "dyadic-care",
        "Dyadic care",
        "Atención diádica",
        "Care for a young child and caregiver together, such as caregiver depression "
        "screening at well-child visits.",
        "Atención a la niña o el niño pequeño junto con su persona cuidadora, como la "
        "detección de depresión en las visitas de control infantil.",
    ),
    (
        "child-tax-credit",
        "Child tax credits",
        "Créditos tributarios por hijos",
        "Cash support for families with children through federal and state tax credits.",
        "Apoyo económico a las familias con hijos mediante créditos tributarios federales "
        "y estatales.",
    ),
    (
        "continuous-coverage",
        "Continuous coverage for children",
        "Cobertura continua para la niñez",
        "Keeping young children enrolled in Medicaid and CHIP without gaps.",
        "Mantener a la niñez pequeña inscrita en Medicaid y CHIP sin interrupciones.",
    ),
]


def forwards(apps, schema_editor):
    Topic = apps.get_model("core", "Topic")
    for order, (slug, en, es, desc_en, desc_es) in enumerate(TOPICS, start=50):
        Topic.objects.get_or_create(
            slug=slug,
            defaults={
                "name_en": en,
                "name_es": es,
                "description_en": desc_en,
                "description_es": desc_es,
                "sort_order": order,
            },
        )
    Jurisdiction = apps.get_model("policy", "Jurisdiction")
    State = apps.get_model("places", "State")
    federal, _ = Jurisdiction.objects.get_or_create(
        ocd_id=FEDERAL, defaults={"slug": "us", "name": "United States", "level": "federal"}
    )
    for state in State.objects.all():
        if state.usps == "DC":
            ocd_id = f"{FEDERAL}/district:dc"
        else:
            kind = "territory" if state.is_territory else "state"
            ocd_id = f"{FEDERAL}/{kind}:{state.usps.lower()}"
        Jurisdiction.objects.get_or_create(
            ocd_id=ocd_id,
            defaults={
                "slug": f"us-{state.usps.lower()}",
                "name": state.name,
                "level": "state",
                "state": state,
                "parent": federal,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0001_initial"),
        ("core", "0003_seed_vocabularies"),
        ("places", "0003_load_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
