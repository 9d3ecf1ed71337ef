"""The two demo learning paths, written out here in English and Spanish.

Each module: (title_en, title_es, minutes, competency slugs, video (url, title),
pages [(title_en, title_es, body_en, body_es)], questions
[(prompt_en, prompt_es, choices_en, choices_es, correct index)]).
"""

from __future__ import annotations

from kindred.systems.models import Competency, LearningPath, Module, ModulePage, QuizQuestion

FOUNDATIONS = {
    "slug": "relational-health-foundations",
    "title_en": "Relational Health Foundations",
    "title_es": "Fundamentos de la salud relacional",
    "summary_en": "What early relational health is, how to notice and name connection between "
    "a caregiver and a baby, and how to talk about it in a way that builds on strengths.",
    "summary_es": "Qué es la salud relacional temprana, cómo notar y nombrar la conexión entre "
    "una persona cuidadora y su bebé, y cómo hablar de ello partiendo de las fortalezas.",
    "audience_en": "Clinicians, doulas, community health workers and home visitors",
    "audience_es": "Profesionales clínicos, doulas, promotoras de salud y visitadoras del hogar",
    "ce_hours": "3.0",
    "competencies": ["attune", "strengths", "reflect", "culture"],
    "modules": [
        (
            "Why relationships are the foundation",
            "Por qué las relaciones son la base",
            25,
            ["attune"],
            ("https://videos.kindred.example/why-relationships", "Serve and return"),
            [
                (
                    "Safe, stable, nurturing relationships",
                    "Relaciones seguras, estables y afectuosas",
                    "Babies grow in relationships. Safe, stable and nurturing relationships buffer "
                    "stress and build the brain's foundations.\n\nEarly relational health is the "
                    "emotional well-being that grows from these everyday moments of connection. "
                    "It is an **asset** families already have, not a test they pass or fail.",
                    "Los bebés crecen en relación. Las relaciones seguras, estables y afectuosas "
                    "amortiguan el estrés y construyen las bases del cerebro.\n\nLa salud "
                    "relacional temprana es el bienestar emocional que nace de estos momentos "
                    "cotidianos de conexión. Es un **recurso** que las familias ya tienen, no una "
                    "prueba que se aprueba o se reprueba.",
                ),
                (
                    "Serve and return",
                    "Ir y volver",
                    "When a baby coos, looks or reaches (a *serve*) and a caregiver answers with a "
                    "word, a smile or a touch (a *return*), the baby learns the world responds.\n\n"
                    "- Notice the serve.\n- Return it.\n- Take turns, and wait.",
                    "Cuando un bebé balbucea, mira o extiende la mano (un *saque*) y la persona "
                    "cuidadora responde con una palabra, una sonrisa o una caricia (una "
                    "*devolución*), el bebé aprende que el mundo le responde.\n\n- Note el saque."
                    "\n- Devuélvalo.\n- Tomen turnos y esperen.",
                ),
            ],
            [
                (
                    "Early relational health is best described as…",
                    "La salud relacional temprana se describe mejor como…",
                    [
                        "A strength that grows from everyday connection",
                        "A diagnosis to screen out",
                        "A parenting test",
                    ],
                    [
                        "Una fortaleza que crece con la conexión diaria",
                        "Un diagnóstico que hay que descartar",
                        "Un examen para madres y padres",
                    ],
                    0,
                ),
                (
                    "In serve and return, the caregiver's part is to…",
                    "En el ir y volver, lo que le toca a la persona cuidadora es…",
                    ["Answer the baby's cue", "Keep the baby quiet", "Teach letters early"],
                    [
                        "Responder a la señal del bebé",
                        "Mantener al bebé callado",
                        "Enseñar letras temprano",
                    ],
                    0,
                ),
            ],
        ),
        (
            "Noticing and naming connection",
            "Notar y nombrar la conexión",
            30,
            ["attune", "strengths"],
            ("https://videos.kindred.example/naming", "Naming a moment"),
            [
                (
                    "What to look for",
                    "Qué observar",
                    "Look for shared gaze, mirrored faces, soothing touch, turn-taking sounds, and "
                    "the baby settling in the caregiver's arms.",
                    "Observe la mirada compartida, las caras que se reflejan, las caricias que "
                    "calman, los sonidos por turnos y al bebé que se tranquiliza en brazos.",
                ),
                (
                    "Say what you see",
                    "Diga lo que ve",
                    'Name the moment out loud, specifically: *"She stopped crying as soon as she '
                    'heard your voice. She knows you."* Specific praise builds confidence.',
                    'Nombre el momento en voz alta y con detalle: *"Dejó de llorar en cuanto '
                    'oyó su voz. La conoce."* El elogio concreto da confianza.',
                ),
            ],
            [
                (
                    "Which comment names a strength most helpfully?",
                    "¿Qué comentario nombra mejor una fortaleza?",
                    [
                        '"He calmed when you held him close."',
                        '"Good job."',
                        '"He should sleep more."',
                    ],
                    ['"Se calmó cuando lo abrazó."', '"Buen trabajo."', '"Debería dormir más."'],
                    0,
                ),
                (
                    "Shared gaze is a sign of…",
                    "La mirada compartida es una señal de…",
                    ["Connection", "A problem", "Boredom"],
                    ["Conexión", "Un problema", "Aburrimiento"],
                    0,
                ),
            ],
        ),
        (
            "Your own reactions",
            "Sus propias reacciones",
            20,
            ["reflect"],
            ("https://videos.kindred.example/reflect", "Pause and breathe"),
            [
                (
                    "Pause before you respond",
                    "Haga una pausa antes de responder",
                    "Families feel our calm. Before a hard conversation, notice your breath and "
                    "your body. Ask: what might this parent be feeling right now?",
                    "Las familias sienten nuestra calma. Antes de una conversación difícil, note "
                    "su respiración y su cuerpo. Pregúntese: ¿qué puede estar sintiendo esta "
                    "madre o este padre ahora?",
                ),
            ],
            [
                (
                    "Before a hard conversation, it helps to…",
                    "Antes de una conversación difícil, ayuda…",
                    ["Notice and steady my own feelings", "Hurry to the advice", "Avoid the topic"],
                    [
                        "Notar y calmar mis propias emociones",
                        "Apurarme a dar consejos",
                        "Evitar el tema",
                    ],
                    0,
                ),
            ],
        ),
        (
            "Culture, language and caregiving",
            "Cultura, idioma y crianza",
            25,
            ["culture"],
            ("https://videos.kindred.example/culture", "Many ways to care"),
            [
                (
                    "Many ways to care",
                    "Muchas formas de cuidar",
                    "Caregiving looks different across cultures: who holds the baby, how sleep "
                    "happens, how feelings are shown. Ask, listen, and follow the family's lead. "
                    "Offer materials in the family's language.",
                    "La crianza es diferente en cada cultura: quién carga al bebé, cómo se "
                    "duerme, cómo se muestran los sentimientos. Pregunte, escuche y siga a la "
                    "familia. Ofrezca materiales en su idioma.",
                ),
            ],
            [
                (
                    "When a family's caregiving differs from yours, you…",
                    "Cuando la crianza de una familia es distinta a la suya, usted…",
                    ["Ask and learn what it means to them", "Correct it", "Ignore it"],
                    ["Pregunta y aprende qué significa para ellos", "La corrige", "La ignora"],
                    0,
                ),
            ],
        ),
    ],
}

CONNECTING = {
    "slug": "connecting-families-across-systems",
    "title_en": "Connecting Families Across Systems",
    "title_es": "Conectar a las familias entre sistemas",
    "summary_en": "Offer screening as a conversation, find services that fit, refer with the "
    "family's consent and close the loop.",
    "summary_es": "Ofrecer el tamizaje como una conversación, encontrar servicios adecuados, "
    "referir con el consentimiento de la familia y cerrar el ciclo.",
    "audience_en": "Anyone who refers families: clinics, programs, community health workers",
    "audience_es": "Quienes refieren familias: clínicas, programas, promotoras de salud",
    "ce_hours": "2.0",
    "competencies": ["screen", "connect", "strengths"],
    "modules": [
        (
            "Screening as a conversation",
            "El tamizaje como conversación",
            20,
            ["screen"],
            ("https://videos.kindred.example/screening", "Asking with care"),
            [
                (
                    "Before, during, after",
                    "Antes, durante y después",
                    "Explain why you ask, that every family is asked, and what happens next. "
                    "Share results strengths first, then what could help.",
                    "Explique por qué pregunta, que se le pregunta a todas las familias y qué "
                    "pasa después. Comparta los resultados empezando por las fortalezas y luego "
                    "lo que podría ayudar.",
                ),
            ],
            [
                (
                    "Results are best shared…",
                    "Los resultados se comparten mejor…",
                    [
                        "Strengths first, then what could help",
                        "As a score only",
                        "Only if they ask",
                    ],
                    [
                        "Primero las fortalezas y luego lo que puede ayudar",
                        "Solo como un puntaje",
                        "Solo si lo piden",
                    ],
                    0,
                ),
            ],
        ),
        (
            "Finding services that fit",
            "Encontrar servicios adecuados",
            20,
            ["connect"],
            ("https://videos.kindred.example/directory", "Using the directory"),
            [
                (
                    "Fit matters",
                    "Lo que importa es que sirva",
                    "A good referral fits the family's need, place, child's age, language and "
                    "schedule, and the program has room. Check capacity before you send.",
                    "Una buena referencia responde a la necesidad, el lugar, la edad del niño o "
                    "la niña, el idioma y el horario de la familia, y el programa tiene cupo. "
                    "Revise la capacidad antes de enviarla.",
                ),
            ],
            [
                (
                    "Before sending a referral, check…",
                    "Antes de enviar una referencia, revise…",
                    [
                        "That the program has room and fits the family",
                        "Only the program's name",
                        "Nothing: send it anyway",
                    ],
                    [
                        "Que el programa tenga cupo y le sirva a la familia",
                        "Solo el nombre del programa",
                        "Nada: envíela igual",
                    ],
                    0,
                ),
            ],
        ),
        (
            "Consent and closing the loop",
            "Consentimiento y cerrar el ciclo",
            20,
            ["connect"],
            ("https://videos.kindred.example/closing-the-loop", "Closing the loop"),
            [
                (
                    "Share only what is needed",
                    "Comparta solo lo necesario",
                    "Ask the family what they agree to share. A first name, language, the child's "
                    "age and how to reach them is usually enough. No scores, no diagnoses.",
                    "Pregunte a la familia qué acepta compartir. Un nombre, el idioma, la edad "
                    "del niño o la niña y cómo contactarles suele bastar. Sin puntajes ni "
                    "diagnósticos.",
                ),
                (
                    "Close the loop",
                    "Cierre el ciclo",
                    "Follow the referral until the family is connected: accepted, contacted, "
                    "service started, completed. If a program declines, find another with the "
                    "family.",
                    "Siga la referencia hasta que la familia esté conectada: aceptada, "
                    "contactada, servicio iniciado, completada. Si un programa la rechaza, "
                    "busque otro con la familia.",
                ),
            ],
            [
                (
                    "A referral may be sent when…",
                    "Se puede enviar una referencia cuando…",
                    [
                        "The family agreed to share their information",
                        "The clinic decides alone",
                        "Any time",
                    ],
                    [
                        "La familia aceptó compartir su información",
                        "La clínica decide sola",
                        "En cualquier momento",
                    ],
                    0,
                ),
                (
                    "Closing the loop means…",
                    "Cerrar el ciclo significa…",
                    [
                        "Following the referral until the family is connected",
                        "Sending a fax",
                        "Closing the file",
                    ],
                    [
                        "Dar seguimiento hasta que la familia esté conectada",
                        "Enviar un fax",
                        "Cerrar el expediente",
                    ],
                    0,
                ),
            ],
        ),
    ],
}


def build_path(spec: dict) -> LearningPath:
    """Create (or return) a path with its modules, pages and quizzes."""
    existing = LearningPath.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    fields = {
        k: spec[k]
        for k in (
            "slug",
            "title_en",
            "title_es",
            "summary_en",
            "summary_es",
            "audience_en",
            "audience_es",
            "ce_hours",
        )
    }
    path = LearningPath.objects.create(**fields)
    competencies = {c.slug: c for c in Competency.objects.all()}
    path.competencies.set([competencies[s] for s in spec["competencies"] if s in competencies])
    for order, (title_en, title_es, minutes, slugs, video, pages, questions) in enumerate(
        spec["modules"], start=1
    ):
        module = Module.objects.create(
            path=path,
            order=order,
            title_en=title_en,
            title_es=title_es,
            minutes=minutes,
            video_url=video[0],
            video_title=video[1],
            pass_mark=80,
        )
        module.competencies.set([competencies[s] for s in slugs if s in competencies])
        for number, (p_en, p_es, body_en, body_es) in enumerate(pages, start=1):
            ModulePage.objects.create(
                module=module,
                order=number,
                title_en=p_en,
                title_es=p_es,
                body_en=body_en,
                body_es=body_es,
            )
        for number, (q_en, q_es, c_en, c_es, correct) in enumerate(questions, start=1):
            QuizQuestion.objects.create(
                module=module,
                order=number,
                prompt_en=q_en,
                prompt_es=q_es,
                choices_en=c_en,
                choices_es=c_es,
                correct=correct,
            )
    return path
