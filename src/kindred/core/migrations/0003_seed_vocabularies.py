"""Seed the three shared vocabularies: roles, sectors and systems, and ERH topics.

Slugs are stable identifiers (other apps and the API refer to them); names and descriptions
can be edited later in the admin. Running this again updates nothing that already exists.
"""

from django.db import migrations

ROLES = [
    (
        "parent-caregiver",
        "Parent or caregiver",
        "Madre, padre o persona cuidadora",
        "Raising a baby or young child, including grandparents, kin and foster caregivers.",
        "Cría a un bebé o a una niña o un niño pequeño; incluye a abuelas, abuelos, "
        "familiares y familias de acogida.",
    ),
    (
        "pediatric-clinician",
        "Pediatric clinician",
        "Profesional clínico de pediatría",
        "Pediatrician, family physician, nurse practitioner or physician assistant who cares "
        "for young children.",
        "Pediatra, médica o médico de familia, enfermera practicante o asistente médico que "
        "atiende a niñas y niños pequeños.",
    ),
    (
        "nurse",
        "Nurse",
        "Enfermera o enfermero",
        "Nurse in a clinic, hospital, school or home-visiting program.",
        "Profesional de enfermería en una clínica, un hospital, una escuela o un programa de "
        "visitas al hogar.",
    ),
    (
        "doula",
        "Doula",
        "Doula",
        "Supports families through pregnancy, birth and the first months with a new baby.",
        "Acompaña a las familias durante el embarazo, el parto y los primeros meses con su "
        "bebé.",
    ),
    (
        "community-health-worker",
        "Community health worker",
        "Promotora o promotor de salud",
        "A trusted member of the community who connects families with health and social "
        "services.",
        "Una persona de confianza de la comunidad que conecta a las familias con servicios "
        "de salud y sociales.",
    ),
    (
        "home-visitor",
        "Home visitor",
        "Visitadora o visitador del hogar",
        "Meets families at home to support parenting, health and child development.",
        "Visita a las familias en su casa para apoyar la crianza, la salud y el desarrollo "
        "infantil.",
    ),
    (
        "early-educator",
        "Early educator",
        "Educadora o educador de la primera infancia",
        "Teaches and cares for infants and toddlers in child care, Early Head Start or "
        "preschool.",
        "Enseña y cuida a bebés y niños pequeños en el cuidado infantil, Early Head Start o "
        "preescolar.",
    ),
    (
        "infant-family-mental-health",
        "Infant and family mental-health professional",
        "Profesional de salud mental infantil y familiar",
        "Clinician or consultant who supports the emotional well-being of babies, young "
        "children and their families.",
        "Profesional clínico o consultor que apoya el bienestar emocional de los bebés, la "
        "niñez pequeña y sus familias.",
    ),
    (
        "community-leader",
        "Community leader",
        "Líder comunitario",
        "Leads a neighborhood group, faith community, cultural organization or coalition.",
        "Dirige un grupo vecinal, una comunidad de fe, una organización cultural o una "
        "coalición.",
    ),
    (
        "policymaker",
        "Policymaker or government staff",
        "Responsable de políticas o personal de gobierno",
        "Elected official or public employee at the local, state, tribal or federal level.",
        "Funcionaria o funcionario electo, o personal público a nivel local, estatal, tribal "
        "o federal.",
    ),
    (
        "researcher",
        "Researcher",
        "Investigadora o investigador",
        "Studies early relationships, child development or the systems that support families.",
        "Estudia las relaciones tempranas, el desarrollo infantil o los sistemas que apoyan "
        "a las familias.",
    ),
    (
        "funder",
        "Funder",
        "Financiadora o financiador",
        "Works at a foundation, public agency or company that funds work with young children "
        "and families.",
        "Trabaja en una fundación, una agencia pública o una empresa que financia el trabajo "
        "con la niñez pequeña y las familias.",
    ),
    (
        "other",
        "Other",
        "Otro rol",
        "Another way of caring for or supporting young children and their families.",
        "Otra forma de cuidar o apoyar a la niñez pequeña y a sus familias.",
    ),
]

SECTORS = [
    (
        "health-care",
        "Health care",
        "Atención médica",
        "Clinics, hospitals, health centers and health plans.",
        "Clínicas, hospitales, centros de salud y planes de salud.",
    ),
    (
        "public-health",
        "Public health",
        "Salud pública",
        "Health departments and programs that protect the health of whole communities.",
        "Departamentos y programas de salud que protegen la salud de comunidades enteras.",
    ),
    (
        "community-services",
        "Community-based services",
        "Servicios comunitarios",
        "Nonprofits and local programs that serve families where they live.",
        "Organizaciones sin fines de lucro y programas locales que atienden a las familias "
        "donde viven.",
    ),
    (
        "early-care-education",
        "Early care and education",
        "Cuidado y educación temprana",
        "Child care, Early Head Start, Head Start and pre-kindergarten.",
        "Cuidado infantil, Early Head Start, Head Start y prekínder.",
    ),
    (
        "home-visiting",
        "Home visiting",
        "Visitas al hogar",
        "Programs that support families through regular visits at home.",
        "Programas que apoyan a las familias con visitas regulares en su casa.",
    ),
    (
        "child-welfare",
        "Child welfare",
        "Bienestar infantil",
        "Services that keep children safe and help families stay together.",
        "Servicios que protegen a la niñez y ayudan a las familias a permanecer unidas.",
    ),
    (
        "mental-health",
        "Mental health",
        "Salud mental",
        "Services for the emotional well-being of children, parents and caregivers.",
        "Servicios para el bienestar emocional de niñas, niños, madres, padres y personas "
        "cuidadoras.",
    ),
    (
        "faith-communities",
        "Faith communities",
        "Comunidades de fe",
        "Congregations and faith-based organizations.",
        "Congregaciones y organizaciones basadas en la fe.",
    ),
    (
        "government",
        "Government",
        "Gobierno",
        "Local, state, tribal and federal agencies and legislatures.",
        "Agencias y órganos legislativos locales, estatales, tribales y federales.",
    ),
    (
        "research-academia",
        "Research and academia",
        "Investigación y academia",
        "Universities, research institutes and evaluators.",
        "Universidades, institutos de investigación y equipos de evaluación.",
    ),
    (
        "philanthropy",
        "Philanthropy",
        "Filantropía",
        "Foundations and donors that invest in young children and families.",
        "Fundaciones y donantes que invierten en la niñez pequeña y las familias.",
    ),
    (
        "business",
        "Business",
        "Empresas",
        "Employers and companies, including family-friendly workplaces.",
        "Empleadores y empresas, incluidos los lugares de trabajo que apoyan a las familias.",
    ),
    (
        "family-leadership",
        "Family and parent leadership",
        "Liderazgo de familias, madres y padres",
        "Parent groups, family advisory councils and organizations led by families.",
        "Grupos de madres y padres, consejos asesores de familias y organizaciones dirigidas "
        "por familias.",
    ),
]

TOPICS = [
    (
        "early-relational-health",
        "Early relational health",
        "Salud relacional temprana",
        "The safe, stable and nurturing relationships that help babies and young children "
        "thrive.",
        "Las relaciones seguras, estables y afectuosas que ayudan a los bebés y a la niñez "
        "pequeña a crecer plenamente.",
    ),
    (
        "responsive-caregiving",
        "Responsive caregiving",
        "Cuidado receptivo",
        "Noticing a baby's cues and answering them with warmth.",
        "Notar las señales del bebé y responderle con calidez.",
    ),
    (
        "perinatal-mental-health",
        "Perinatal mental health",
        "Salud mental perinatal",
        "Emotional well-being during pregnancy and the first year after birth.",
        "El bienestar emocional durante el embarazo y el primer año después del parto.",
    ),
    (
        "infant-feeding",
        "Breastfeeding and infant feeding",
        "Lactancia y alimentación infantil",
        "Support for breastfeeding, chestfeeding, formula feeding and first foods.",
        "Apoyo para la lactancia, la alimentación con fórmula y los primeros alimentos.",
    ),
    (
        "play-reading",
        "Play and reading together",
        "Jugar y leer juntos",
        "Everyday play, songs, talk and books that build connection and early learning.",
        "El juego de cada día, las canciones, la conversación y los libros que fortalecen el "
        "vínculo y el aprendizaje temprano.",
    ),
    (
        "father-coparent-involvement",
        "Father and co-parent involvement",
        "Participación de los padres y de quienes comparten la crianza",
        "Welcoming fathers, partners and co-parents into caring for a baby.",
        "Dar la bienvenida a los padres, las parejas y a quienes comparten la crianza en el "
        "cuidado del bebé.",
    ),
    (
        "infant-early-childhood-mental-health",
        "Infant and early childhood mental health",
        "Salud mental de la primera infancia",
        "Social and emotional development from birth to age five.",
        "El desarrollo social y emocional desde el nacimiento hasta los cinco años.",
    ),
    (
        "home-visiting",
        "Home visiting",
        "Visitas al hogar",
        "Voluntary programs that bring support to families at home.",
        "Programas voluntarios que llevan apoyo a las familias en su casa.",
    ),
    (
        "paid-family-leave",
        "Paid family leave",
        "Licencia familiar pagada",
        "Time at home with a new baby without losing income.",
        "Tiempo en casa con un bebé recién llegado sin perder ingresos.",
    ),
    (
        "child-care",
        "Child care",
        "Cuidado infantil",
        "Affordable, high-quality care for infants and toddlers.",
        "Cuidado accesible y de calidad para bebés y niños pequeños.",
    ),
    (
        "health-equity",
        "Health equity",
        "Equidad en salud",
        "A fair chance for every family to be healthy, whatever their race, income or place.",
        "Una oportunidad justa de tener buena salud para cada familia, sin importar su raza, "
        "sus ingresos o el lugar donde vive.",
    ),
    (
        "positive-childhood-experiences",
        "Community resilience and positive childhood experiences",
        "Resiliencia comunitaria y experiencias positivas en la infancia",
        "Communities that surround children with safety, belonging and joy.",
        "Comunidades que rodean a la niñez de seguridad, pertenencia y alegría.",
    ),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Role", ROLES), ("Sector", SECTORS), ("Topic", TOPICS)):
        model = apps.get_model("core", model_name)
        for order, (slug, name_en, name_es, description_en, description_es) in enumerate(rows):
            model.objects.get_or_create(
                slug=slug,
                defaults={
                    "name_en": name_en,
                    "name_es": name_es,
                    "description_en": description_en,
                    "description_es": description_es,
                    "sort_order": (order + 1) * 10,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_task_progress_language_and_labels")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
