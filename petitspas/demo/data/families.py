"""The demo families' first names and languages, and how many families each Asmae site
meets at a time. Common first names from the families' languages; no family is real."""

from petitspas.demo.data.activities import (
    BLANC_MESNIL,
    BOBIGNY_CENTRE,
    BOBIGNY_NORD,
    LA_COURNEUVE,
    PANTIN,
    ROSNY,
    SAINT_DENIS,
)


def _names(mothers: str, fathers: str, children: str) -> tuple[tuple[str, ...], ...]:
    return tuple(mothers.split()), tuple(fathers.split()), tuple(children.split())


# Common first names in the families' languages: (mothers, fathers, children). None is a
# French word that a note could contain ("Grâce", "Rose"…): observations are checked.
NAMES = {
    "mande": _names(
        "Mariam Fatoumata Kadiatou Aminata Hawa Oumou Djeneba Salimata",
        "Moussa Mamadou Bakary Seydou Issa Drissa",
        "Sira Fanta Adama Souleymane Binta Ousmane Mariama Bintou Sekou Assetou Lassana Kadidia",
    ),
    "arabe": _names(
        "Amina Fatima Khadija Samira Nour Yasmine Leïla Rania",
        "Karim Youssef Bilal Omar Mehdi Hamza",
        "Ilyes Adam Sara Lina Rayan Jana Yanis Assia Imran Maryam Aya Malak",
    ),
    "tamoul": _names(
        "Priya Kavitha Thenmozhi Malar Vasanthi",
        "Suresh Kumaran Rajan Senthil",
        "Aravind Nila Kavin Anbu Dhanya Yazhini Nithish Harini",
    ),
    "anglais": _names(
        "Esther Blessing Favour Chioma Ngozi Abena",
        "Chinedu Emeka Kwame Tunde",
        "Daniel Samuel Michelle Precious Tobi Ada Kofi Zainab",
    ),
    "roumain": _names(
        "Ioana Elena Mihaela Andreea Florentina",
        "Ionut Florin Marius Costel",
        "Denisa Alexandru Bianca Darius Sorina Rebeca Fabian Larisa",
    ),
    "lingala": _names(
        "Ornella Nadège Mbuyi Nsimba Kiese",
        "Patrick Junior Christian Blaise",
        "Plamedi Benjamin Dorcas Glodie Christelle Naomie Josué Keren",
    ),
    "dari": _names(
        "Zarmina Parwana Nazia Fereshta",
        "Ahmad Farid Nasir Jawad",
        "Zahra Mustafa Hasina Elham Sohrab Mursal Yalda Omid",
    ),
    "géorgien": _names(
        "Nino Tamari Ketevan Natia",
        "Giorgi Levan Davit",
        "Mariami Luka Ana Nikoloz Elene Saba",
    ),
    "tigrinya": _names(
        "Selam Helen Senait Mebrat",
        "Dawit Yonas Tesfay",
        "Meron Rahel Abel Yohana Natnael Lidya",
    ),
    "bengali": _names(
        "Nusrat Tahmina Shirin Rokeya",
        "Rahim Jamal Sohel",
        "Arif Tania Rafi Nabila Ayaan Sumaiya",
    ),
    "français": _names(
        "Camille Julie Sarah Laura Chloé Manon Pauline Aurélie Émilie Claire-Anne Sandrine Marion",
        "Julien Thomas Nicolas Maxime Guillaume Sébastien",
        "Louise Jules Gabriel Alice Léon Margaux Hugo Léna Arthur Inès Nina Raphaël Zoé Noé "
        "Lucie Mathis",
    ),
    "portugais": _names(
        "Inês Cátia Sofia Joana",
        "João Rui Tiago",
        "Tomás Beatriz Diogo Leonor Duarte Matilde",
    ),
}
# (languages written in the file, names, weight) for the families met in 93's social hotels.
HOTEL_LANGUAGES = (
    ("bambara, français", "mande", 12),
    ("soninké, français", "mande", 9),
    ("peul, français", "mande", 5),
    ("arabe", "arabe", 9),
    ("arabe, français", "arabe", 7),
    ("tamoul", "tamoul", 6),
    ("tamoul, anglais", "tamoul", 3),
    ("anglais", "anglais", 8),
    ("roumain", "roumain", 7),
    ("lingala, français", "lingala", 8),
    ("dari", "dari", 4),
    ("pachto, dari", "dari", 2),
    ("géorgien, russe", "géorgien", 3),
    ("tigrinya", "tigrinya", 3),
    ("bengali", "bengali", 3),
    ("français", "français", 2),
)
SURESNES_LANGUAGES = (
    ("français", "français", 30),
    ("arabe, français", "arabe", 8),
    ("portugais, français", "portugais", 5),
    ("anglais, français", "anglais", 3),
    ("tamoul, français", "tamoul", 2),
    ("roumain, français", "roumain", 2),
)
# Families the mobile team meets at each site at any time ("slots", each filled by one
# household after another as families are moved on).
ASMAE_SLOTS = {
    LA_COURNEUVE: 28,
    PANTIN: 22,
    BOBIGNY_CENTRE: 24,
    BOBIGNY_NORD: 20,
    ROSNY: 28,
    SAINT_DENIS: 22,
    BLANC_MESNIL: 26,
}
SIX_YEARS = 6 * 365
