# ruff: noqa: E501  (one service description per line, as written)
"""The Suresnes partner directory (seed 002: the Point Info Famille's partners grouped
under six themes). Invented but plausible; every contact is fictitious (``.demo``
addresses, 01 99 00 … numbers, which no one holds). Each service's thématiques are
data·inclusion codes; the group it is listed under comes from ``directory.themes``."""

SURESNES = ("92073", "92150", "Suresnes")
# Structures whose services were last confirmed 8 months ago ("à actualiser").
STALE = {"Ludothèque La Toupie", "Permanence d'avocats", "Conseil des parents d'élèves"}
# Owned by the demo's partner organisation (Centre social de Suresnes).
OWNED_BY_PARTNER = {
    "Maison de quartier des Chênes",
    "Maison de quartier Liberté",
    "Maison de quartier Gambetta",
}

SOINS = "sante--acces-aux-soins"
MENTAL = "sante--sante-mentale"
GARDE = "famille--garde-denfants"
PARENT = "famille--soutien-a-la-parentalite-et-a-leducation"
CONFLITS = "famille--surmonter-conflits-separation-violence"
BIEN_ETRE = "remobilisation--bien-etre-confiance-en-soi"
DEMARCHES = (
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"
)
BUDGET = "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere"
ALIMENTATION = "equipement-et-alimentation--alimentation"
CULTURE = "remobilisation--activites-sportives-et-culturelles"
LIEN = "remobilisation--lien-social"
DROITS = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
DISCRIMINATION = (
    "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination"
)
JUSTICE = (
    "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire"
)
BENEVOLAT = "remobilisation--benevolat-action-citoyenne"
CITOYENNETE = (
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete"
)

WEEKDAYS = "Mo-Fr 09:00-12:30,13:30-17:30; PH off"
AFTERNOONS = "Mo,Tu,Th,Fr 13:30-18:00; We 09:00-18:00; PH off"

# (structure, street, hours, [(service, description, thématiques, publics, frais)])
STRUCTURES = (
    (
        "Centre de PMI Carnot",
        "12 rue Carnot",
        WEEKDAYS,
        (
            (
                "Consultations des nourrissons",
                "Suivi médical des enfants de 0 à 6 ans, pesées, vaccinations, conseils d'alimentation.",
                (SOINS,),
                ("familles",),
                "gratuit",
            ),
            (
                "Entretien prénatal",
                "Une sage-femme reçoit les futurs parents pour préparer la naissance et le retour à la maison.",
                (SOINS, PARENT),
                ("familles", "femmes"),
                "gratuit",
            ),
        ),
    ),
    (
        "Centre de PMI Mont-Valérien",
        "3 avenue du Mont-Valérien",
        WEEKDAYS,
        (
            (
                "Consultations pédiatriques",
                "Consultations de prévention pour les tout-petits, sur rendez-vous.",
                (SOINS,),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Centre médico-psychologique infanto-juvénile",
        "8 rue des Bourets",
        WEEKDAYS,
        (
            (
                "Consultations enfants et adolescents",
                "Psychologues et pédopsychiatres reçoivent les enfants et leurs parents en difficulté.",
                (MENTAL,),
                ("familles", "jeunes"),
                "gratuit",
            ),
            (
                "Groupe thérapeutique parents-bébés",
                "Un temps pour les parents qui traversent une période difficile avec leur bébé.",
                (MENTAL, PARENT),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Centre médico-psycho-pédagogique",
        "21 rue de la République",
        WEEKDAYS,
        (
            (
                "Bilan et suivi orthophonique",
                "Bilans et rééducations du langage pour les enfants scolarisés.",
                (SOINS,),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Centre municipal de santé",
        "5 place du Marché",
        "Mo-Fr 08:30-19:00; Sa 09:00-12:00; PH off",
        (
            (
                "Médecine générale et pédiatrie",
                "Consultations sans dépassement d'honoraires, tiers payant.",
                (SOINS,),
                ("tous-publics",),
                "payant",
            ),
            (
                "Point écoute santé mentale",
                "Un premier rendez-vous avec une psychologue pour être orienté.",
                (MENTAL,),
                ("tous-publics",),
                "gratuit",
            ),
        ),
    ),
    (
        "Multi-accueil Les Petits Loups",
        "14 rue Émile-Zola",
        "Mo-Fr 07:45-18:45; PH off",
        (
            (
                "Accueil régulier des 10 semaines-3 ans",
                "Crèche municipale : inscription au Relais petite enfance.",
                (GARDE,),
                ("familles",),
                "payant",
            ),
            (
                "Accueil occasionnel",
                "Quelques demi-journées par semaine pour souffler ou faire ses démarches.",
                (GARDE,),
                ("familles",),
                "payant",
            ),
        ),
    ),
    (
        "Relais petite enfance",
        "2 rue du Clos-des-Ermites",
        WEEKDAYS,
        (
            (
                "Information sur les modes de garde",
                "Crèches, assistantes maternelles, garde à domicile : le relais informe et accompagne les parents.",
                (GARDE,),
                ("familles",),
                "gratuit",
            ),
            (
                "Ateliers d'éveil",
                "Matinées d'éveil pour les enfants accompagnés de leur assistante maternelle.",
                (GARDE, CULTURE),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Halte-garderie La Farandole",
        "30 rue des Velettes",
        "Mo-Fr 08:30-12:00,13:30-17:30; PH off",
        (
            (
                "Halte-garderie",
                "Accueil des enfants de 1 à 4 ans à la demi-journée.",
                (GARDE,),
                ("familles",),
                "payant",
            ),
        ),
    ),
    (
        "Lieu d'accueil enfants-parents Le Petit Pont",
        "9 rue Merlin-de-Thionville",
        "Tu 14:00-17:30; Sa 09:30-12:00; PH off",
        (
            (
                "Accueil libre enfants-parents",
                "Anonyme et gratuit, pour jouer et parler avec d'autres parents et des accueillants.",
                (PARENT, LIEN),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Maison de quartier des Chênes",
        "4 allée des Chênes",
        AFTERNOONS,
        (
            (
                "Café des parents",
                "Chaque vendredi, un temps d'échange entre parents autour de la parentalité.",
                (PARENT, LIEN),
                ("familles",),
                "gratuit",
            ),
            (
                "Sorties familles",
                "Sorties culturelles et de loisirs à petit prix pendant les vacances.",
                (CULTURE, LIEN),
                ("familles",),
                "payant",
            ),
            (
                "Accompagnement à la scolarité",
                "Aide aux devoirs et lien avec l'école, pour les enfants et leurs parents.",
                (PARENT,),
                ("familles", "jeunes"),
                "gratuit",
            ),
        ),
    ),
    (
        "Maison de quartier Liberté",
        "17 boulevard de la Liberté",
        AFTERNOONS,
        (
            (
                "Ateliers parents-enfants",
                "Jeux, cuisine, bricolage : des ateliers à partager en famille le mercredi.",
                (PARENT, CULTURE),
                ("familles",),
                "gratuit",
            ),
            (
                "Permanence écrivain public",
                "Aide pour écrire un courrier, remplir un dossier.",
                (DEMARCHES,),
                ("tous-publics",),
                "gratuit",
            ),
        ),
    ),
    (
        "Maison de quartier Gambetta",
        "40 rue Gambetta",
        AFTERNOONS,
        (
            (
                "Cours de français pour parents",
                "Apprendre le français pour suivre la scolarité de ses enfants.",
                (PARENT, LIEN),
                ("familles", "personnes-exilees"),
                "gratuit",
            ),
            (
                "Fête de quartier",
                "Les familles préparent ensemble la fête de quartier de juin.",
                (BENEVOLAT, LIEN),
                ("tous-publics",),
                "gratuit",
            ),
        ),
    ),
    (
        "Point écoute jeunes et parents",
        "6 rue Desbassayns-de-Richemont",
        "Mo-Fr 14:00-19:00; PH off",
        (
            (
                "Écoute des parents d'adolescents",
                "Un psychologue reçoit les parents inquiets pour leur adolescent, sans rendez-vous le mercredi.",
                (PARENT, MENTAL),
                ("familles", "jeunes"),
                "gratuit",
            ),
        ),
    ),
    (
        "Service de médiation familiale",
        "11 rue de Verdun",
        WEEKDAYS,
        (
            (
                "Médiation familiale",
                "Séparation, conflit, lien entre grands-parents et petits-enfants : un médiateur aide à renouer le dialogue.",
                (CONFLITS, PARENT),
                ("familles",),
                "payant",
            ),
            (
                "Espace rencontre parent-enfant",
                "Un lieu neutre pour maintenir le lien entre un enfant et le parent chez qui il ne vit pas.",
                (CONFLITS,),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Association d'aide aux victimes",
        "23 rue du Bac",
        WEEKDAYS,
        (
            (
                "Accompagnement des victimes de violences",
                "Écoute, soutien psychologique et aide juridique pour les victimes de violences intrafamiliales.",
                (CONFLITS, JUSTICE),
                ("femmes", "familles"),
                "gratuit",
            ),
        ),
    ),
    (
        "Service social départemental",
        "15 rue de Saint-Cloud",
        WEEKDAYS,
        (
            (
                "Accompagnement social des familles",
                "Un travailleur social accompagne les familles dans leurs difficultés de logement, de budget ou d'éducation.",
                (PARENT, BUDGET),
                ("familles",),
                "gratuit",
            ),
            (
                "Aide éducative à domicile",
                "Un éducateur soutient les parents dans l'éducation de leurs enfants.",
                (PARENT,),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Groupe de parole Parents solos",
        "1 place de la Paix",
        "We 18:30-20:30",
        (
            (
                "Groupe de parole des familles monoparentales",
                "Une fois par mois, des parents seuls échangent avec une psychologue.",
                (PARENT, BIEN_ETRE),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Atelier bien-être des mamans",
        "28 rue de Neuilly",
        "Th 09:30-11:30",
        (
            (
                "Relaxation et confiance en soi",
                "Ateliers de sophrologie pour les mères de jeunes enfants.",
                (BIEN_ETRE,),
                ("femmes",),
                "gratuit",
            ),
        ),
    ),
    (
        "Centre communal d'action sociale",
        "2 rue Carnot",
        WEEKDAYS,
        (
            (
                "Aides financières facultatives",
                "Aides ponctuelles pour les familles en difficulté : cantine, énergie, loisirs.",
                (BUDGET,),
                ("familles",),
                "gratuit",
            ),
            (
                "Domiciliation administrative",
                "Une adresse pour recevoir son courrier et faire valoir ses droits.",
                (DEMARCHES,),
                ("personnes-en-situation-durgence",),
                "gratuit",
            ),
        ),
    ),
    (
        "Caisse d'allocations familiales – accueil de Suresnes",
        "7 avenue Jean-Jaurès",
        "Mo,Tu,Th 09:00-12:00,13:30-16:00; PH off",
        (
            (
                "Rendez-vous prestations familiales",
                "Un conseiller aide à faire valoir les droits aux prestations familiales.",
                (DEMARCHES,),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Point d'accès au numérique",
        "10 rue de la Poterie",
        "Tu-Sa 10:00-12:30,14:00-18:00; PH off",
        (
            (
                "Aide aux démarches en ligne",
                "Un conseiller numérique aide à créer ses comptes CAF, Ameli et impôts.",
                (DEMARCHES,),
                ("tous-publics",),
                "gratuit",
            ),
        ),
    ),
    (
        "Épicerie solidaire L'Escale",
        "19 rue Pasteur",
        "Tu,Fr 14:00-18:00; Sa 09:30-12:30",
        (
            (
                "Épicerie solidaire",
                "Produits du quotidien à petit prix, sur orientation d'un travailleur social.",
                (ALIMENTATION,),
                ("familles", "beneficiaires-des-minimas-sociaux"),
                "payant",
            ),
        ),
    ),
    (
        "Restos du cœur – antenne de Suresnes",
        "33 rue des Parigots",
        "Tu,Th 09:00-12:00",
        (
            (
                "Aide alimentaire et espace bébé",
                "Colis alimentaires, lait et couches pour les bébés.",
                (ALIMENTATION,),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Point conseil budget",
        "4 rue Émile-Duclaux",
        "Mo,We 09:00-12:00; PH off",
        (
            (
                "Conseil budget et surendettement",
                "Un conseiller aide à faire le point sur son budget et à sortir des dettes.",
                (BUDGET,),
                ("tous-publics",),
                "gratuit",
            ),
        ),
    ),
    (
        "Médiathèque municipale",
        "5 rue Ledru-Rollin",
        "Tu,Th,Fr 14:00-19:00; We,Sa 10:00-18:00; PH off",
        (
            (
                "Heure du conte",
                "Lectures pour les 3-6 ans le mercredi matin.",
                (CULTURE,),
                ("familles",),
                "gratuit",
            ),
            (
                "Bébés lecteurs",
                "Comptines et albums pour les moins de 3 ans et leurs parents.",
                (CULTURE, PARENT),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Conservatoire de musique et de danse",
        "1 place du Théâtre",
        "Mo-Fr 14:00-20:00; Sa 09:00-17:00; PH off",
        (
            (
                "Éveil musical parents-enfants",
                "Séances d'éveil musical pour les 18 mois-3 ans avec un parent.",
                (CULTURE, PARENT),
                ("familles",),
                "payant",
            ),
        ),
    ),
    (
        "Ludothèque La Toupie",
        "8 rue Salomon-de-Rothschild",
        "We,Sa 10:00-12:30,14:00-18:00",
        (
            (
                "Jeu sur place en famille",
                "Plus de 2 000 jeux à découvrir en famille.",
                (CULTURE, LIEN),
                ("familles",),
                "gratuit",
            ),
            (
                "Prêt de jeux",
                "Emprunter des jeux pour jouer à la maison.",
                (CULTURE,),
                ("familles",),
                "payant",
            ),
        ),
    ),
    (
        "Piscine des Raguidelles",
        "2 rue des Raguidelles",
        "Tu-Su 10:00-19:00",
        (
            (
                "Bébés nageurs",
                "Éveil aquatique des 6 mois-4 ans avec leurs parents, le samedi matin.",
                (CULTURE, PARENT),
                ("familles",),
                "payant",
            ),
        ),
    ),
    (
        "Musée d'histoire urbaine et sociale",
        "1 place de la Gare",
        "We-Su 10:00-18:00",
        (
            (
                "Visites en famille",
                "Visites-jeux pour les familles pendant les vacances scolaires.",
                (CULTURE,),
                ("familles",),
                "payant",
            ),
        ),
    ),
    (
        "Centre de loisirs municipal",
        "12 rue des Cités-Jardins",
        "Mo-Fr 08:00-18:30",
        (
            (
                "Accueil de loisirs du mercredi et des vacances",
                "Activités pour les 3-11 ans, inscription au guichet unique.",
                (CULTURE, GARDE),
                ("familles",),
                "payant",
            ),
        ),
    ),
    (
        "Point d'accès au droit",
        "6 place de l'Hôtel-de-Ville",
        "Mo,Th 14:00-17:00; PH off",
        (
            (
                "Consultations juridiques gratuites",
                "Un juriste répond aux questions de droit de la famille, du logement, du travail.",
                (DROITS,),
                ("tous-publics",),
                "gratuit",
            ),
            (
                "Information sur l'autorité parentale",
                "Droits et devoirs des parents séparés, pension alimentaire.",
                (DROITS, CONFLITS),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Permanence d'avocats",
        "6 place de l'Hôtel-de-Ville",
        "Sa 09:30-12:00",
        (
            (
                "Consultation gratuite d'un avocat",
                "Premier conseil d'un avocat, sur rendez-vous.",
                (DROITS, JUSTICE),
                ("tous-publics",),
                "gratuit",
            ),
        ),
    ),
    (
        "Délégué du Défenseur des droits",
        "6 place de l'Hôtel-de-Ville",
        "Tu 09:00-12:00",
        (
            (
                "Permanence du Défenseur des droits",
                "Droits de l'enfant, discriminations, litiges avec un service public.",
                (DISCRIMINATION, DROITS),
                ("tous-publics",),
                "gratuit",
            ),
        ),
    ),
    (
        "Centre d'information sur les droits des femmes et des familles",
        "18 rue de Stalingrad",
        WEEKDAYS,
        (
            (
                "Information juridique famille",
                "Divorce, séparation, violences : information et orientation.",
                (DROITS, CONFLITS),
                ("femmes", "familles"),
                "gratuit",
            ),
        ),
    ),
    (
        "Association d'accès aux droits des étrangers",
        "25 rue des Bas-Rogers",
        "We 14:00-18:00",
        (
            (
                "Permanence droit des étrangers",
                "Titres de séjour, regroupement familial : information et aide aux dossiers.",
                (DROITS, CITOYENNETE),
                ("personnes-exilees",),
                "gratuit",
            ),
        ),
    ),
    (
        "Conseil des parents d'élèves",
        "3 rue de l'École",
        "Mo 18:00-20:00",
        (
            (
                "Réunions des parents d'élèves",
                "Les parents s'engagent dans la vie de l'école de leurs enfants.",
                (BENEVOLAT,),
                ("familles",),
                "gratuit",
            ),
        ),
    ),
    (
        "Conseils de quartier",
        "Hôtel de ville, 2 rue Carnot",
        "Mo-Fr 09:00-17:00; PH off",
        (
            (
                "Participer au conseil de quartier",
                "Les habitants proposent et suivent les projets de leur quartier.",
                (BENEVOLAT, CITOYENNETE),
                ("tous-publics",),
                "gratuit",
            ),
        ),
    ),
    (
        "Réseau d'échanges réciproques de savoirs",
        "9 rue du Pont",
        "Tu 18:00-20:00",
        (
            (
                "Échanges de savoirs entre parents",
                "Chacun apprend et transmet : couture, cuisine, langues.",
                (BENEVOLAT, LIEN),
                ("tous-publics",),
                "gratuit",
            ),
        ),
    ),
    (
        "Association des familles de Suresnes",
        "21 rue Worth",
        "Sa 10:00-12:00",
        (
            (
                "Bourse aux vêtements d'enfants",
                "Deux fois par an, les familles vendent et achètent des vêtements d'enfants.",
                (BENEVOLAT, LIEN),
                ("familles",),
                "payant",
            ),
            (
                "Devenir bénévole",
                "Rejoindre l'association pour organiser des actions avec les familles.",
                (BENEVOLAT,),
                ("tous-publics",),
                "gratuit",
            ),
        ),
    ),
    (
        "Conseil local des jeunes",
        "Hôtel de ville, 2 rue Carnot",
        "We 14:00-17:00",
        (
            (
                "Conseil local des jeunes",
                "Les 11-17 ans montent des projets pour leur ville.",
                (BENEVOLAT, CITOYENNETE),
                ("jeunes",),
                "gratuit",
            ),
        ),
    ),
)
