"""Themes are data·inclusion's thématiques. Suresnes' Point Info Famille groups its
partners under six themes (seed 002); each is mapped onto the thématiques below, one
explicit table, so that a service tagged with the standard's codes lands in the right
group and an imported file needs no local vocabulary."""

from data_inclusion.schema import v1

SURESNES_GROUPS: dict[str, tuple[str, ...]] = {
    "Prises en charge et soins": (
        "sante--acces-aux-soins",
        "sante--sante-mentale",
        "famille--garde-denfants",
        "famille--prise-en-charge-personne-dependante",
    ),
    "Accompagnement psychosocial": (
        "famille--soutien-a-la-parentalite-et-a-leducation",
        "famille--surmonter-conflits-separation-violence",
        "remobilisation--bien-etre-confiance-en-soi",
    ),
    "Accès aux aides légales et facultatives": (
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
        "equipement-et-alimentation--alimentation",
    ),
    "Accès aux loisirs et à la culture": (
        "remobilisation--activites-sportives-et-culturelles",
        "remobilisation--lien-social",
    ),
    "Accès au droit": (
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
        "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination",
        "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
    ),
    "Participation citoyenne": (
        "remobilisation--benevolat-action-citoyenne",
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete",
    ),
}

THEMATIQUES: dict[str, str] = {t.value: t.label for t in v1.Thematique}
PUBLICS: dict[str, str] = {p.value: p.label for p in v1.Public}
FRAIS: dict[str, str] = {f.value: f.label for f in v1.Frais}
MODES_ACCUEIL: dict[str, str] = {m.value: m.label for m in v1.ModeAccueil}
MODES_MOBILISATION: dict[str, str] = {m.value: m.label for m in v1.ModeMobilisation}
MOBILISABLE_PAR: dict[str, str] = {m.value: m.label for m in v1.PersonneMobilisatrice}
CATEGORIES: dict[str, str] = {c.value: c.label for c in v1.Categorie}


def group_of(thematique: str) -> str | None:
    """The Suresnes group a thématique belongs to, or None."""
    for group, codes in SURESNES_GROUPS.items():
        if thematique in codes:
            return group
    return None


def grouped_thematique_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every thématique, grouped by the standard's category, for a form."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in THEMATIQUES.items():
        groups.setdefault(CATEGORIES[code.split("--")[0]], []).append((code, label))
    return list(groups.items())
