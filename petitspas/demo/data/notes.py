"""The demo's observation notes, by where they are written: neutral professional notes,
no name, no detail that would identify a family."""

from petitspas.activities.models import ActivityType
from petitspas.attendance.models import Theme

Kind = ActivityType.Kind


T = Theme
HOTEL_NOTES = (
    (
        "Une mère arrivée récemment à l'hôtel dit ne parler à personne en dehors de nos "
        "passages. Mise en lien avec une autre maman de la même langue.",
        [T.ISOLATION],
    ),
    (
        "Plusieurs parents laissent le téléphone aux enfants pour avoir un moment de calme "
        "dans la chambre. Échange sur des jeux possibles dans une seule pièce.",
        [T.SCREENS, T.HOUSING],
    ),
    (
        "Un enfant de deux ans et demi dit encore très peu de mots ; la mère s'inquiète. "
        "Comptines dans la langue familiale encouragées, orientation vers la PMI proposée.",
        [T.LANGUAGE],
    ),
    (
        "Parents épuisés : les enfants s'endorment tard à cause du bruit dans les couloirs. "
        "Échange sur les rituels du coucher.",
        [T.SLEEP, T.HOUSING],
    ),
    (
        "Deux pères présents pour la première fois, restés sur le tapis de jeu avec leurs "
        "enfants. Les inviter au prochain groupe de parole.",
        [T.FATHER],
    ),
    (
        "Une famille doit quitter l'hôtel pour un autre département : inquiétude pour la "
        "scolarité de l'aîné. Coordonnées de la PMI du futur secteur transmises.",
        [T.HOUSING],
    ),
    (
        "Pas de cuisine dans les chambres, repas souvent froids. Idées de repas simples pour "
        "les tout-petits échangées entre parents.",
        [T.FOOD, T.HOUSING],
    ),
    (
        "Une femme enceinte sans suivi de grossesse depuis son arrivée : orientation vers la "
        "PMI, rendez-vous pris avec son accord.",
        [T.PERINATALITY, T.ACCESS_TO_RIGHTS],
    ),
    (
        "Questions sur les colères des enfants de deux-trois ans ; les parents comparent leurs "
        "façons de faire, sans jugement.",
        [T.AUTHORITY],
    ),
    (
        "Plusieurs familles sans nouvelles de leur demande d'hébergement pérenne ; orientation "
        "vers le travailleur social référent.",
        [T.ACCESS_TO_RIGHTS, T.HOUSING],
    ),
    (
        "Les enfants ont investi le coin construction ; un enfant très réservé les semaines "
        "précédentes a joué avec les autres.",
        [T.PLAY],
    ),
    (
        "Un parent évoque un retard moteur chez son enfant. La psychomotricienne le verra au "
        "prochain atelier ; orientation CAMSP évoquée.",
        [T.DISABILITY],
    ),
    (
        "Beaucoup d'enfants, peu de place : la salle commune était aussi occupée par le "
        "personnel de l'hôtel. Séance écourtée dans le calme.",
        [T.HOUSING, T.PLAY],
    ),
    (
        "Une mère allaite dans la salle et pose des questions sur la diversification ; "
        "échange entre mères de cultures différentes.",
        [T.FOOD, T.PERINATALITY],
    ),
)
ASMAE_WORKSHOP_NOTES = {
    Kind.TALK_GROUP: (
        (
            "Groupe centré sur la vie à l'hôtel avec des enfants : promiscuité, bruit, "
            "impossibilité de recevoir. Les parents ont proposé un temps entre eux le soir.",
            [T.HOUSING, T.ISOLATION],
        ),
        (
            "Échange sur les limites : dire non sans crier quand on vit à quatre dans une "
            "chambre. Beaucoup de rires, une mère très émue.",
            [T.AUTHORITY],
        ),
        (
            "Les pères présents ont parlé de leur place auprès des enfants quand ils ne "
            "peuvent pas travailler.",
            [T.FATHER],
        ),
        (
            "Questions sur l'école maternelle et l'inscription sans adresse stable ; "
            "orientation vers le CCAS et la domiciliation.",
            [T.ACCESS_TO_RIGHTS],
        ),
    ),
    Kind.READING: (
        (
            "Lecture d'albums en français et imagiers ; les parents ont traduit les histoires "
            "dans leur langue pour les plus petits.",
            [T.LANGUAGE, T.PLAY],
        ),
        (
            "La bibliothécaire a présenté l'inscription gratuite ; trois familles veulent y "
            "aller ensemble avec l'équipe.",
            [T.ACCESS_TO_RIGHTS, T.PLAY],
        ),
        (
            "Enfants très attentifs aux comptines à gestes, reprises ensuite dans le couloir.",
            [T.LANGUAGE],
        ),
    ),
    Kind.PSYCHOMOTOR: (
        (
            "Parcours moteur dans la salle commune : les bébés habitués au lit ou à la "
            "poussette ont découvert le tapis au sol.",
            [T.PLAY, T.HOUSING],
        ),
        (
            "La psychomotricienne a repéré un enfant qui ne tient pas encore assis à dix mois ; "
            "orientation vers la PMI en accord avec la famille.",
            [T.DISABILITY],
        ),
        (
            "Échange sur le portage et le sommeil des tout-petits dans une chambre partagée.",
            [T.SLEEP],
        ),
    ),
}
CABANE_NOTES = (
    (
        "Première venue de plusieurs familles orientées par le centre social ; la puéricultrice "
        "de PMI a présenté les consultations du centre.",
        [T.ACCESS_TO_RIGHTS, T.PERINATALITY],
    ),
    (
        "Échange autour du sommeil des nourrissons avec trois mères ; questions sur le "
        "couchage partagé.",
        [T.SLEEP],
    ),
    (
        "Deux pères présents avec leurs bébés ; ils reviennent d'une semaine sur l'autre.",
        [T.FATHER],
    ),
    (
        "Une mère dit sortir de chez elle pour la première fois depuis la naissance ; elle "
        "compte revenir la semaine prochaine.",
        [T.ISOLATION, T.PERINATALITY],
    ),
    (
        "Éveil musical : plusieurs enfants de 18 mois à 2 ans très attentifs, des parents "
        "ont repris des comptines en arabe et en soninké.",
        [T.LANGUAGE, T.PLAY],
    ),
    (
        "Questions sur les écrans pendant les repas ; les repères de la PMI ont été remis "
        "aux parents.",
        [T.SCREENS, T.FOOD],
    ),
    (
        "Temps froid : installation à l'intérieur, fréquentation plus faible, échanges plus "
        "longs avec chaque parent.",
        [T.PLAY],
    ),
    (
        "Deux femmes enceintes sans déclaration de grossesse ; accompagnement vers la PMI "
        "pour un premier rendez-vous.",
        [T.PERINATALITY, T.ACCESS_TO_RIGHTS],
    ),
    (
        "Enfants de deux ans qui parlent peu ; les parents s'inquiètent des écrans à la "
        "maison. Lecture partagée proposée.",
        [T.LANGUAGE, T.SCREENS],
    ),
    (
        "Des parents du quartier passent voir sans entrer ; une association locale relaiera "
        "l'information en pied d'immeuble.",
        [T.ISOLATION],
    ),
    (
        "Échange entre mères sur la diversification alimentaire, avec les conseils de "
        "l'auxiliaire de puériculture.",
        [T.FOOD],
    ),
    (
        "Une famille mal logée (suroccupation) demande de l'aide ; orientation vers le "
        "service social départemental.",
        [T.HOUSING, T.ACCESS_TO_RIGHTS],
    ),
)
LAEP_NOTES = (
    (
        "Séparation difficile pour un enfant de deux ans avant l'entrée à la crèche ; "
        "l'accueillante a proposé de revenir plusieurs fois d'ici là.",
        [T.PLAY],
    ),
    (
        "Une grand-mère est venue avec son petit-fils ; échange sur la transmission entre "
        "générations.",
        [T.LANGUAGE],
    ),
    (
        "Un père seul avec sa fille de huit mois, première venue ; il cherche d'autres pères "
        "à rencontrer.",
        [T.FATHER, T.ISOLATION],
    ),
    (
        "Questions sur les colères et les morsures entre enfants ; les parents ont partagé "
        "leurs façons de faire.",
        [T.AUTHORITY],
    ),
    (
        "Parents isolés depuis un déménagement récent ; présentation des activités de la "
        "Maison des Familles.",
        [T.ISOLATION],
    ),
    (
        "Une mère évoque le handicap de son aîné et la fatigue ; orientation vers le Point "
        "Info Famille.",
        [T.DISABILITY],
    ),
)
THEATRE_NOTES = (
    (
        "Improvisations autour de l'attente de l'enfant ; plusieurs futures mères ont parlé "
        "de l'accouchement et de la sortie de maternité.",
        [T.PERINATALITY],
    ),
    (
        "Une participante dit se sentir seule en fin de grossesse ; le groupe a échangé ses "
        "contacts.",
        [T.ISOLATION, T.PERINATALITY],
    ),
    (
        "Travail sur la voix et le souffle ; les participantes ont demandé une séance ouverte "
        "aux futurs pères.",
        [T.FATHER, T.PERINATALITY],
    ),
    (
        "Jeux de rôle sur le retour à la maison avec le bébé et les aînés ; échanges sur le "
        "sommeil.",
        [T.SLEEP, T.PERINATALITY],
    ),
)
CDO_TALK_GROUP_NOTES = (
    (
        "Thème choisi par le groupe : les écrans. Les parents veulent des repères simples "
        "à afficher à la maison.",
        [T.SCREENS, T.AUTHORITY],
    ),
    (
        "Échanges sur la monoparentalité et la fatigue ; deux parents se retrouveront au LAEP.",
        [T.ISOLATION],
    ),
    (
        "Parents de jeunes enfants en situation de handicap : besoin d'information sur les "
        "démarches, orientation vers le Point Info Famille.",
        [T.DISABILITY, T.ACCESS_TO_RIGHTS],
    ),
    (
        "La place du père dans les premiers mois ; deux pères présents pour la première fois.",
        [T.FATHER],
    ),
    (
        "Difficultés d'endormissement et réveils nocturnes : les parents ont partagé leurs "
        "rituels.",
        [T.SLEEP],
    ),
)
INFO_DESK_NOTES = (
    (
        "Demandes surtout sur les modes de garde et les aides de la CAF ; orientations vers "
        "le relais petite enfance et le CCAS.",
        [T.ACCESS_TO_RIGHTS],
    ),
    (
        "Plusieurs parents venus pour les activités de loisirs des vacances ; guide "
        "parentalité remis.",
        [T.PLAY],
    ),
    (
        "Une famille hébergée chez un tiers cherche un logement ; orientation vers le service "
        "logement et l'ADIL.",
        [T.HOUSING, T.ACCESS_TO_RIGHTS],
    ),
    (
        "Questions sur la séparation et la résidence des enfants ; orientation vers la "
        "médiation familiale et le point d'accès au droit.",
        [T.ACCESS_TO_RIGHTS, T.FATHER],
    ),
)
CAFE_NOTES = (
    (
        "Parents nouveaux dans le quartier ; les habitants-relais ont présenté le kiosque et "
        "le centre social.",
        [T.ISOLATION, T.ACCESS_TO_RIGHTS],
    ),
    (
        "Discussion sur le temps d'écran le soir et le sommeil avant l'école.",
        [T.SCREENS, T.SLEEP],
    ),
    (
        "Les parents préparent la kermesse avec l'équipe enseignante.",
        [T.PLAY],
    ),
)
KIOSQUE_NOTES = (
    (
        "Deux habitantes-relais ont tenu le kiosque avec l'équipe ; plusieurs familles "
        "découvrent la carte des lieux ressources du quartier.",
        [T.ACCESS_TO_RIGHTS],
    ),
    (
        "Questions sur les modes de garde et les inscriptions à la crèche ; orientation vers "
        "le relais petite enfance.",
        [T.ACCESS_TO_RIGHTS, T.ISOLATION],
    ),
    (
        "Des pères sont restés après le marché pour parler des activités du samedi.",
        [T.FATHER, T.PLAY],
    ),
)
PARIS_WORKSHOP_NOTES = (
    (
        "Atelier éveil musical préparé avec le groupe ressource ; des parents proposent "
        "d'animer la prochaine séance.",
        [T.PLAY],
    ),
    (
        "Échanges sur l'apprentissage du français et les langues parlées à la maison.",
        [T.LANGUAGE],
    ),
)
