"""Words the demo data is written from: for each topic, a subject, an opening and practical
ideas in English and Spanish, plus shapes of titles per resource type. ``demo.py`` composes
them into resources, stories, posts and events with a seeded random generator."""

# topic slug → (subject EN, subject ES, opening EN, opening ES, [(tip EN, tip ES), ...])
TOPICS = {
    "early-relational-health": (
        "early relationships",
        "las primeras relaciones",
        "Babies grow in relationships. Every warm moment between a baby and a caring adult "
        "helps build a strong, healthy brain.",
        "Los bebés crecen en relaciones. Cada momento cálido entre un bebé y una persona "
        "adulta que lo cuida ayuda a construir un cerebro fuerte y sano.",
        [
            (
                "Notice what your baby is looking at and name it together.",
                "Fíjate en lo que mira tu bebé y nómbralo juntos.",
            ),
            (
                "Small moments count: a smile at diaper time is a conversation.",
                "Los pequeños momentos cuentan: una sonrisa al cambiar el pañal "
                "es una conversación.",
            ),
            (
                "You do not need special toys. Your face and voice are what your baby loves most.",
                "No necesitas juguetes especiales. Tu cara y tu voz son lo que más ama tu bebé.",
            ),
            (
                "When things go wrong, repair: a hug and a calm voice teach trust.",
                "Cuando algo sale mal, repara: un abrazo y una voz tranquila enseñan confianza.",
            ),
            (
                "Ask the people around you for help. Caring adults need care too.",
                "Pide ayuda a quienes te rodean. Quienes cuidan también necesitan cuidado.",
            ),
            (
                "Talk about your family's traditions; they connect your baby to who you are.",
                "Comparte las tradiciones de tu familia; conectan a tu bebé con quienes son.",
            ),
        ],
    ),
    "responsive-caregiving": (
        "responding to your baby's cues",
        "responder a las señales de tu bebé",
        "Babies tell us what they need long before they can talk. Watching and answering their "
        "signals is one of the most powerful things a caregiver can do.",
        "Los bebés nos dicen lo que necesitan mucho antes de hablar. Observar y responder a sus "
        "señales es una de las cosas más poderosas que puede hacer quien cuida.",
        [
            (
                "Turning away or yawning can mean your baby needs a break.",
                "Voltear la cara o bostezar puede significar que tu bebé necesita un descanso.",
            ),
            (
                "Wait a moment after you speak: your baby is taking a turn too.",
                "Espera un momento después de hablar: tu bebé también está tomando su turno.",
            ),
            (
                "A fussy baby is not a bad baby. Crying is how babies ask for help.",
                "Un bebé inquieto no es un bebé malo. Llorar es su manera de pedir ayuda.",
            ),
            (
                "Try gentle rocking, a quiet room or a soft song to soothe.",
                "Prueba mecer con suavidad, un cuarto tranquilo o una canción suave para calmar.",
            ),
            (
                "You will not get it right every time, and that is okay.",
                "No siempre acertarás, y está bien.",
            ),
            (
                "Describe feelings out loud: 'You are tired. Let's rest.'",
                "Nombra los sentimientos en voz alta: 'Estás cansado. Vamos a descansar.'",
            ),
        ],
    ),
    "perinatal-mental-health": (
        "feelings during pregnancy and after birth",
        "las emociones en el embarazo y después del parto",
        "Many parents feel sad, worried or overwhelmed during pregnancy or after a baby arrives. "
        "These feelings are common, and help works.",
        "Muchas madres y padres se sienten tristes, preocupados o agobiados durante el embarazo "
        "o después de la llegada del bebé. Son sentimientos comunes, y la ayuda funciona.",
        [
            (
                "Tell someone you trust how you are really feeling.",
                "Cuéntale a alguien de confianza cómo te sientes de verdad.",
            ),
            (
                "Rest when you can, and accept offers of meals or help.",
                "Descansa cuando puedas y acepta la comida o la ayuda que te ofrezcan.",
            ),
            (
                "Your doctor, midwife or doula can talk with you about support.",
                "Tu médico, partera o doula puede hablar contigo sobre el apoyo disponible.",
            ),
            (
                "Partners and fathers can feel low too; check in with each other.",
                "Las parejas y los papás también pueden sentirse mal; pregúntense cómo están.",
            ),
            (
                "Short walks outside and time with friends can lift your mood.",
                "Caminar un poco al aire libre y ver a tus amistades puede mejorar tu ánimo.",
            ),
            (
                "Asking for help is a sign of strength and love for your baby.",
                "Pedir ayuda es una señal de fortaleza y de amor por tu bebé.",
            ),
        ],
    ),
    "infant-feeding": (
        "feeding time",
        "la hora de comer",
        "Feeding is about more than food. Whether by breast or bottle, it is a time to hold, "
        "look and connect.",
        "Alimentar es mucho más que comida. Con pecho o con biberón, es un momento para "
        "abrazar, mirar y conectar.",
        [
            (
                "Hold your baby close and look into their eyes while feeding.",
                "Abraza a tu bebé y mírale a los ojos mientras come.",
            ),
            (
                "Watch for hunger cues like sucking on hands before crying starts.",
                "Observa las señales de hambre, como chuparse las manos, antes de que llore.",
            ),
            (
                "Let your baby set the pace and stop when they show they are full.",
                "Deja que tu bebé marque el ritmo y para cuando muestre que está lleno.",
            ),
            (
                "Lactation consultants and WIC offices can answer your questions.",
                "Las consultoras de lactancia y las oficinas de WIC pueden resolver tus dudas.",
            ),
            (
                "Family meals later on are a chance to talk and laugh together.",
                "Más adelante, las comidas en familia son una oportunidad para hablar "
                "y reír juntos.",
            ),
        ],
    ),
    "play-reading": (
        "playing, reading and singing",
        "jugar, leer y cantar",
        "Play is how babies learn. Reading, singing and silly games build language and "
        "closeness at the same time.",
        "El juego es la forma en que aprenden los bebés. Leer, cantar y jugar construyen el "
        "lenguaje y la cercanía al mismo tiempo.",
        [
            (
                "Read the pictures, not only the words; point and name what you see.",
                "Lee las imágenes, no solo las palabras; señala y nombra lo que ven.",
            ),
            (
                "Sing the songs you grew up with, in your own language.",
                "Canta las canciones con las que creciste, en tu propio idioma.",
            ),
            (
                "Peekaboo teaches that people come back.",
                "Jugar a 'ya me ves, ya no me ves' enseña que las personas regresan.",
            ),
            (
                "Let your baby choose the book, even if it is the same one every night.",
                "Deja que tu bebé elija el libro, aunque sea el mismo cada noche.",
            ),
            (
                "Everyday objects like cups and spoons make wonderful toys.",
                "Los objetos de todos los días, como vasos y cucharas, son juguetes maravillosos.",
            ),
            (
                "Follow your baby's lead and join the game they start.",
                "Sigue a tu bebé y únete al juego que empiece.",
            ),
        ],
    ),
    "father-coparent-involvement": (
        "fathers and co-parents",
        "los papás y quienes crían en pareja",
        "Babies benefit from every caring adult in their lives. Fathers, partners and "
        "co-parents bring their own ways of playing, soothing and teaching.",
        "Los bebés se benefician de cada persona adulta que los cuida. Los papás, las parejas "
        "y quienes crían juntos aportan sus propias formas de jugar, calmar y enseñar.",
        [
            (
                "Skin-to-skin time is for dads and partners too.",
                "El contacto piel con piel también es para los papás y las parejas.",
            ),
            (
                "Take over one routine, like bath or bedtime, and make it yours.",
                "Hazte cargo de una rutina, como el baño o la hora de dormir, y hazla tuya.",
            ),
            (
                "Talk with your co-parent about what each of you learned growing up.",
                "Habla con tu pareja sobre lo que cada quien aprendió en su infancia.",
            ),
            (
                "Clinics can invite fathers to visits and speak to them directly.",
                "Las clínicas pueden invitar a los papás a las consultas y hablarles directamente.",
            ),
            (
                "Rough-and-tumble play, done gently, builds confidence and trust.",
                "El juego físico, hecho con cuidado, construye confianza y seguridad.",
            ),
        ],
    ),
    "infant-early-childhood-mental-health": (
        "babies' and toddlers' emotional health",
        "la salud emocional de bebés y niños pequeños",
        "Even very young children have big feelings. Caring relationships help them learn to "
        "manage those feelings over time.",
        "Incluso los niños muy pequeños tienen emociones grandes. Las relaciones afectuosas "
        "les ayudan a aprender a manejarlas con el tiempo.",
        [
            (
                "Stay close and calm during a tantrum; your calm helps theirs.",
                "Quédate cerca y con calma durante un berrinche; tu calma ayuda a la suya.",
            ),
            (
                "Predictable routines help toddlers feel safe.",
                "Las rutinas predecibles ayudan a los niños pequeños a sentirse seguros.",
            ),
            (
                "Name feelings: happy, sad, mad, scared. Words give children tools.",
                "Nombra las emociones: alegría, tristeza, enojo, miedo. "
                "Las palabras son herramientas.",
            ),
            (
                "Infant mental health specialists work with families, not just children.",
                "Los especialistas en salud mental infantil trabajan con toda la familia.",
            ),
            (
                "Notice what goes well each day and say it out loud.",
                "Fíjate en lo que sale bien cada día y dilo en voz alta.",
            ),
        ],
    ),
    "home-visiting": (
        "home visits",
        "las visitas al hogar",
        "Home visitors meet families where they are. Nurses, parent educators and community "
        "health workers bring support, information and a friendly ear.",
        "Las visitadoras domiciliarias acompañan a las familias donde están. Enfermeras, "
        "educadoras y promotoras de salud llevan apoyo, información y escucha.",
        [
            (
                "Visits are free in many places and you choose what to talk about.",
                "En muchos lugares las visitas son gratuitas y tú eliges de qué hablar.",
            ),
            (
                "Visitors celebrate what you already do well with your baby.",
                "Las visitadoras celebran lo que ya haces bien con tu bebé.",
            ),
            (
                "Ask your clinic or health department about programs near you.",
                "Pregunta en tu clínica o en el departamento de salud por programas cercanos.",
            ),
            (
                "Visits can happen by video when that is easier for your family.",
                "Las visitas pueden ser por video cuando sea más fácil para tu familia.",
            ),
            (
                "Home visitors can connect you to food, housing and child care help.",
                "Pueden conectarte con ayuda para comida, vivienda y cuidado infantil.",
            ),
        ],
    ),
    "paid-family-leave": (
        "paid family leave",
        "la licencia familiar pagada",
        "Time at home after a birth or adoption gives families room to bond, heal and find "
        "their rhythm. Paid leave makes that time possible for more families.",
        "El tiempo en casa después de un nacimiento o una adopción da espacio para crear "
        "vínculos, sanar y encontrar un ritmo. La licencia pagada lo hace posible para más "
        "familias.",
        [
            (
                "Check whether your state has a paid family leave program.",
                "Averigua si tu estado tiene un programa de licencia familiar pagada.",
            ),
            (
                "Leave can often be shared between parents or taken in parts.",
                "A menudo la licencia se puede compartir entre madre y padre o tomar por partes.",
            ),
            (
                "Employers who offer leave keep staff longer and build loyalty.",
                "Los empleadores que ofrecen licencia conservan a su personal por más tiempo.",
            ),
            (
                "Policymakers can look at wage replacement and job protection together.",
                "Quienes hacen políticas pueden considerar el pago y la protección "
                "del empleo juntos.",
            ),
            (
                "Families' stories help leaders understand what leave makes possible.",
                "Las historias de las familias ayudan a entender lo que la licencia hace posible.",
            ),
        ],
    ),
    "child-care": (
        "child care",
        "el cuidado infantil",
        "Good child care is built on warm, steady relationships between children and the "
        "adults who care for them.",
        "El buen cuidado infantil se basa en relaciones cálidas y estables entre los niños y "
        "las personas adultas que los cuidan.",
        [
            (
                "Visit and watch how caregivers talk with the babies.",
                "Visita y observa cómo las cuidadoras hablan con los bebés.",
            ),
            (
                "Ask how many babies each caregiver looks after.",
                "Pregunta cuántos bebés cuida cada persona.",
            ),
            (
                "A short goodbye routine helps mornings go more smoothly.",
                "Una rutina corta de despedida ayuda a que las mañanas sean más fáciles.",
            ),
            (
                "Share what works at home so caregivers can do the same.",
                "Comparte lo que funciona en casa para que las cuidadoras hagan lo mismo.",
            ),
            (
                "Family, friend and neighbor care is part of the picture too.",
                "El cuidado de familiares, amistades y vecinos también es parte de la historia.",
            ),
        ],
    ),
    "health-equity": (
        "fairness in health",
        "la equidad en la salud",
        "Every family deserves the chance to thrive. Removing barriers to care and support "
        "helps relationships flourish in every community.",
        "Cada familia merece la oportunidad de prosperar. Quitar las barreras al cuidado y al "
        "apoyo ayuda a que las relaciones florezcan en cada comunidad.",
        [
            (
                "Offer information in the languages families speak at home.",
                "Ofrece información en los idiomas que las familias hablan en casa.",
            ),
            (
                "Listen to parents as experts on their own children.",
                "Escucha a madres y padres como expertos en sus propios hijos.",
            ),
            (
                "Community health workers and doulas build bridges of trust.",
                "Las promotoras de salud y las doulas construyen puentes de confianza.",
            ),
            (
                "Evening and weekend hours make services easier to reach.",
                "Los horarios de tarde y fin de semana hacen los servicios más accesibles.",
            ),
            (
                "Ask families what gets in the way, and change it together.",
                "Pregunta a las familias qué les dificulta las cosas, y cámbienlo juntos.",
            ),
        ],
    ),
    "positive-childhood-experiences": (
        "positive childhood experiences",
        "las experiencias positivas en la infancia",
        "Feeling safe, seen and supported in childhood helps people grow into healthy adults, "
        "even when life is hard.",
        "Sentirse seguro, visto y apoyado en la infancia ayuda a crecer con salud, aun cuando "
        "la vida es difícil.",
        [
            (
                "Traditions, big or small, give children a sense of belonging.",
                "Las tradiciones, grandes o pequeñas, dan a la niñez un sentido de pertenencia.",
            ),
            (
                "Having at least one adult who truly listens makes a lasting difference.",
                "Tener al menos una persona adulta que escuche de verdad deja una huella duradera.",
            ),
            (
                "Neighbors, teachers and coaches can all be caring adults.",
                "Vecinos, maestras y entrenadores pueden ser personas adultas que cuidan.",
            ),
            (
                "Celebrate what your family does well together.",
                "Celebra lo que tu familia hace bien en conjunto.",
            ),
            (
                "Communities can create safe places to play and gather.",
                "Las comunidades pueden crear lugares seguros para jugar y reunirse.",
            ),
        ],
    ),
}

# Resource type → (title shapes EN, title shapes ES); {subject} is the topic's subject.
TITLES = {
    "article": (
        [
            "Everyday ideas for {subject}",
            "What families tell us about {subject}",
            "Small steps, big love: {subject}",
        ],
        [
            "Ideas para cada día sobre {subject}",
            "Lo que nos cuentan las familias sobre {subject}",
            "Pequeños pasos, mucho amor: {subject}",
        ],
    ),
    "toolkit": (
        ["A community toolkit on {subject}", "Toolkit for talking about {subject}"],
        [
            "Herramientas comunitarias sobre {subject}",
            "Caja de herramientas para hablar de {subject}",
        ],
    ),
    "conversation_guide": (
        ["Conversation guide: {subject}", "Starting conversations about {subject}"],
        ["Guía de conversación: {subject}", "Cómo empezar conversaciones sobre {subject}"],
    ),
    "fact_sheet": (
        ["Fact sheet: {subject}", "{Subject} at a glance"],
        ["Hoja informativa: {subject}", "{Subject} en pocas palabras"],
    ),
    "video": (
        ["Video: families share {subject}", "Watch: {subject} in real life"],
        ["Video: las familias comparten {subject}", "Mira: {subject} en la vida real"],
    ),
    "research_brief": (
        ["Research brief: what we know about {subject}", "New findings on {subject}"],
        [
            "Resumen de investigación: lo que sabemos sobre {subject}",
            "Nuevos hallazgos sobre {subject}",
        ],
    ),
    "policy_brief": (
        ["Policy brief: supporting {subject}", "How states can strengthen {subject}"],
        ["Resumen de políticas: apoyar {subject}", "Cómo los estados pueden fortalecer {subject}"],
    ),
}

# Angles that make titles on one subject differ: (English, Spanish).
ANGLES = [
    ("in the first months", "en los primeros meses"),
    ("with toddlers", "con niños pequeños"),
    ("at bedtime", "a la hora de dormir"),
    ("for busy families", "para familias con poco tiempo"),
    ("during clinic visits", "durante las consultas"),
    ("for grandparents", "para abuelas y abuelos"),
    ("in your community", "en tu comunidad"),
    ("for new fathers", "para papás primerizos"),
    ("when money is tight", "cuando el dinero no alcanza"),
    ("for twins and siblings", "para gemelos y hermanos"),
]

# Resource type → the audiences it is written for (the first is always included).
AUDIENCES = {
    "article": ["parents", "community_workers"],
    "toolkit": ["community_workers", "clinicians", "parents"],
    "conversation_guide": ["parents", "clinicians", "community_workers"],
    "fact_sheet": ["parents", "clinicians", "policymakers"],
    "video": ["parents", "community_workers"],
    "research_brief": ["researchers", "clinicians", "policymakers"],
    "policy_brief": ["policymakers", "researchers"],
}

SOURCES = [
    "Kindred Family Council",
    "Nurture Connection",
    "Tulsa County Families",
    "Familias Unidas de Fresno",
    "Healthy Start Network",
    "Doulas for Every Family",
    "Read, Play, Sing",
    "Community Health Workers Network",
]

CLOSING = (
    "You already bring so much to the children in your life. Pick one idea, try it this week, "
    "and notice what happens.",
    "Ya aportas mucho a la niñez que te rodea. Elige una idea, pruébala esta semana y observa "
    "lo que pasa.",
)
CONVERSATION = (
    "## Questions to start a conversation\n\n- What do you enjoy most about your time "
    "together?\n- When does your baby seem happiest?\n- Who helps you, and who could?",
    "## Preguntas para empezar una conversación\n\n- ¿Qué es lo que más disfrutas de su "
    "tiempo juntos?\n- ¿Cuándo se ve más feliz tu bebé?\n- ¿Quién te ayuda, y quién podría "
    "ayudarte?",
)
HEADINGS = (
    ("## Ideas to try", "## Ideas para probar"),
    ("## Why it matters", "## Por qué importa"),
)
WHY = (
    "Caring relationships shape how children learn, handle stress and connect with others "
    "for the rest of their lives.",
    "Las relaciones afectuosas influyen en cómo la niñez aprende, maneja el estrés y se "
    "relaciona con los demás durante toda la vida.",
)

# Stories: (title EN, title ES, body EN, body ES, teller role, topic slug)
STORIES = [
    (
        "The night she first laughed",
        "La noche en que se rio por primera vez",
        "We were singing in the kitchen, the song my grandmother sang to me, and my daughter "
        "laughed out loud for the first time. I cried a little. Now we sing it every night.",
        "Estábamos cantando en la cocina la canción que me cantaba mi abuela, y mi hija se rio "
        "a carcajadas por primera vez. Lloré un poquito. Ahora la cantamos cada noche.",
        "parent",
        "play-reading",
    ),
    (
        "A doula who listened",
        "Una doula que me escuchó",
        "After a hard first birth I was scared. My doula sat with me, asked what I needed and "
        "reminded me that I knew my body. This time I felt strong.",
        "Después de un primer parto difícil tenía miedo. Mi doula se sentó conmigo, me preguntó "
        "qué necesitaba y me recordó que yo conocía mi cuerpo. Esta vez me sentí fuerte.",
        "parent",
        "perinatal-mental-health",
    ),
    (
        "Bath time is our time",
        "La hora del baño es nuestra",
        "I work nights, so bath time is mine. We splash, I narrate everything, and my son "
        "waits for me at the door now. It is the best part of my day.",
        "Trabajo de noche, así que la hora del baño es mía. Chapoteamos, le cuento todo lo que "
        "hacemos y ahora mi hijo me espera en la puerta. Es lo mejor de mi día.",
        "parent",
        "father-coparent-involvement",
    ),
    (
        "What I learned from one family",
        "Lo que aprendí de una familia",
        "As a pediatrician I used to rush. A mother showed me how her baby calmed when she "
        "hummed. Now I ask every parent what works for them, and I learn every day.",
        "Como pediatra solía tener prisa. Una madre me mostró cómo su bebé se calmaba cuando "
        "ella tarareaba. Ahora pregunto a cada familia qué les funciona, y aprendo cada día.",
        "clinician",
        "responsive-caregiving",
    ),
    (
        "Bridges in our neighborhood",
        "Puentes en nuestro barrio",
        "I knock on doors as a community health worker. The first visit is often quiet. By the "
        "third, families share their hopes, and we plan together.",
        "Toco puertas como promotora de salud. La primera visita suele ser silenciosa. Para la "
        "tercera, las familias comparten sus sueños y hacemos planes juntos.",
        "chw",
        "home-visiting",
    ),
    (
        "Grandma's lullabies",
        "Las canciones de cuna de la abuela",
        "I care for my grandson three days a week. I sing him the old songs from our island "
        "and he sways along. He is learning where he comes from.",
        "Cuido a mi nieto tres días por semana. Le canto las canciones antiguas de nuestra isla "
        "y él se mece al ritmo. Está aprendiendo de dónde viene.",
        "grandparent",
        "positive-childhood-experiences",
    ),
    (
        "Six weeks at home",
        "Seis semanas en casa",
        "Paid leave meant I could stay home while my partner healed. I learned to soothe our "
        "baby and my partner could rest. We became a team in those weeks.",
        "La licencia pagada me permitió quedarme en casa mientras mi pareja se recuperaba. "
        "Aprendí a calmar a nuestro bebé y mi pareja pudo descansar. Nos volvimos un equipo.",
        "parent",
        "paid-family-leave",
    ),
    (
        "The morning goodbye",
        "La despedida de la mañana",
        "At our center we made a goodbye song for drop-off. The crying did not vanish, but the "
        "babies settle faster now, and parents leave with a smile.",
        "En nuestro centro creamos una canción de despedida para las mañanas. El llanto no "
        "desapareció, pero los bebés se calman más rápido y las familias se van sonriendo.",
        "educator",
        "child-care",
    ),
]

CAMPAIGNS = [
    {
        "title": "Talk, Sing, Play",
        "core_message": "Every conversation with your baby builds a strong brain and a "
        "strong bond.",
        "description": "A season of small moments across Tulsa County: libraries, clinics "
        "and churches share one simple idea with every family they meet.",
        "community": "Tulsa County Families",
        "organizer": "orgadmin",
        "topics": ["play-reading", "responsive-caregiving", "early-relational-health"],
        "posts": [
            (
                "en",
                "Your voice is your baby's favorite sound. Talk, sing and play today! "
                "#TalkSingPlay",
            ),
            (
                "es",
                "Tu voz es el sonido favorito de tu bebé. ¡Habla, canta y juega hoy! "
                "#HablaCantaJuega",
            ),
            ("en", "No fancy toys needed: a cup, a spoon and you. #TalkSingPlay"),
        ],
        "days": 75,
    },
    {
        "title": "Cada momento cuenta",
        "core_message": "Cada momento con tu bebé cuenta: miradas, canciones y abrazos "
        "construyen su futuro.",
        "description": "Una campaña de Familias Unidas de Fresno con promotoras de salud, "
        "radio comunitaria y ferias familiares.",
        "community": "Fresno County Familias Unidas",
        "organizer": "chw",
        "topics": ["responsive-caregiving", "home-visiting", "health-equity"],
        "posts": [
            ("es", "Cada momento cuenta. Mira a tu bebé a los ojos y háblale. #CadaMomentoCuenta"),
            ("en", "Every moment counts. Look into your baby's eyes and talk. #EveryMomentCounts"),
        ],
        "days": 45,
    },
    {
        "title": "Dads Read Too",
        "core_message": "Fathers and co-parents: ten minutes of reading a day is a gift that "
        "lasts.",
        "description": "Dads and co-parents across the network share their favorite books "
        "and bedtime routines.",
        "community": "Dads and Co-parents Connect",
        "organizer": "staff",
        "topics": ["father-coparent-involvement", "play-reading"],
        "posts": [
            (
                "en",
                "What's your little one's favorite book? Share a photo of story time! #DadsReadToo",
            ),
            (
                "es",
                "¿Cuál es el libro favorito de tu peque? ¡Comparte una foto a la hora del "
                "cuento! #PapásTambiénLeen",
            ),
        ],
        "days": 120,
    },
]

EVENT_KINDS = [
    (
        "Baby and me play group",
        "Grupo de juego para bebés y familias",
        "Songs, stories and floor play for babies up to 18 months and their grown-ups.",
        "Canciones, cuentos y juego en el piso para bebés de hasta 18 meses y sus familias.",
    ),
    (
        "Dads' coffee morning",
        "Café para papás",
        "An easy-going morning for fathers and co-parents to share tips and stories.",
        "Una mañana relajada para que papás y parejas compartan consejos e historias.",
    ),
    (
        "New parents support circle",
        "Círculo de apoyo para nuevas familias",
        "A gentle, confidential space to talk about the ups and downs of the first year.",
        "Un espacio cálido y confidencial para hablar de lo bueno y lo difícil del primer año.",
    ),
    (
        "Reading together workshop",
        "Taller de lectura en familia",
        "Ideas for reading with babies and toddlers, with a free book for every family.",
        "Ideas para leer con bebés y niños pequeños, con un libro gratis para cada familia.",
    ),
    (
        "Clinician learning session on relational health",
        "Sesión de aprendizaje sobre salud relacional para profesionales de la salud",
        "Practical ways to notice and strengthen parent-child relationships during well visits.",
        "Formas prácticas de notar y fortalecer la relación entre familias y bebés en las "
        "consultas.",
    ),
    (
        "Community walk and picnic",
        "Caminata y picnic comunitario",
        "Bring a blanket and your little ones. Local programs will share what they offer.",
        "Trae una manta y a tus peques. Los programas locales compartirán lo que ofrecen.",
    ),
]
