"""Seed the needs vocabulary (our HSDS taxonomy) and a starting relational-health competency
framework. Slugs are stable; names can be edited later (competencies by network staff)."""

from django.db import migrations

NEEDS = [
    ("perinatal-mental-health", "Perinatal mental health", "Salud mental perinatal"),
    ("infant-mental-health", "Infant and early childhood mental health",
     "Salud mental infantil y de la primera infancia"),
    ("relational-support", "Relationship and play support (video feedback, dyadic)",
     "Apoyo a la relación y al juego (video, diádico)"),
    ("home-visiting", "Home visiting", "Visitas al hogar"),
    ("doula-care", "Doula care", "Acompañamiento de doula"),
    ("early-intervention", "Early intervention and development",
     "Intervención temprana y desarrollo"),
    ("parenting-groups", "Parent groups and classes", "Grupos y clases para madres y padres"),
    ("infant-feeding", "Breastfeeding and infant feeding", "Lactancia y alimentación infantil"),
    ("food", "Food and nutrition (WIC, SNAP, food banks)",
     "Alimentos y nutrición (WIC, SNAP, bancos de comida)"),
    ("housing", "Housing and utilities", "Vivienda y servicios básicos"),
    ("child-care", "Child care and early learning", "Cuidado infantil y aprendizaje temprano"),
    ("health-care", "Health care and insurance", "Atención médica y seguro"),
    ("safety", "Safety and crisis support", "Seguridad y apoyo en crisis"),
    ("transportation", "Transportation", "Transporte"),
    ("legal", "Legal help and benefits", "Ayuda legal y beneficios"),
]

COMPETENCIES = [
    ("attune", "Relationships", "Relaciones",
     "Notice and name moments of connection between caregiver and baby",
     "Notar y nombrar los momentos de conexión entre la persona cuidadora y el bebé"),
    ("strengths", "Relationships", "Relaciones",
     "Start from family strengths and use asset-based language",
     "Partir de las fortalezas de la familia y usar un lenguaje basado en sus recursos"),
    ("reflect", "Reflective practice", "Práctica reflexiva",
     "Notice my own reactions and regulate myself before responding",
     "Notar mis propias reacciones y regularme antes de responder"),
    ("culture", "Equity and culture", "Equidad y cultura",
     "Honor each family's culture, language and ways of caregiving",
     "Honrar la cultura, el idioma y las formas de crianza de cada familia"),
    ("screen", "Screening and observation", "Tamizaje y observación",
     "Offer screening and observation as a conversation, and explain results kindly",
     "Ofrecer el tamizaje y la observación como una conversación y explicar los resultados "
     "con amabilidad"),
    ("connect", "Connecting to services", "Conexión con servicios",
     "Connect families to services across systems and close the loop",
     "Conectar a las familias con servicios de distintos sistemas y cerrar el ciclo"),
    ("self-care", "Reflective practice", "Práctica reflexiva",
     "Care for myself and seek reflective supervision",
     "Cuidarme y buscar supervisión reflexiva"),
]


def seed(apps, schema_editor):
    Need = apps.get_model("systems", "Need")
    Competency = apps.get_model("systems", "Competency")
    for order, (slug, name_en, name_es) in enumerate(NEEDS):
        Need.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_es": name_es, "order": order}
        )
    for order, (slug, domain_en, domain_es, name_en, name_es) in enumerate(COMPETENCIES):
        Competency.objects.get_or_create(
            slug=slug,
            defaults={
                "domain_en": domain_en,
                "domain_es": domain_es,
                "name_en": name_en,
                "name_es": name_es,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("systems", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
