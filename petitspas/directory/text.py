"""A small French stemmer for the directory's search, the same on every database.

Words are folded (lower case, no accents: ``core.text.fold``), cut into letters-only
tokens, and their common French endings are removed, longest first, while at least four
letters stay: "parentalité", "parental", "parentales" and "parents" all give "parent";
"accompagnement" and "accompagner" give "accompagn". Short and stop words are dropped.
"""

import functools
import re

from petitspas.core.text import fold

# Longest first. Each is removed once, then the plural/feminine endings again.
SUFFIXES = (
    "issements",
    "issement",
    "alites",
    "alite",
    "ations",
    "ation",
    "ements",
    "ement",
    "ments",
    "ment",
    "iques",
    "ique",
    "ites",
    "ite",
    "euses",
    "euse",
    "eurs",
    "eur",
    "ives",
    "ive",
    "ifs",
    "if",
    "ales",
    "ale",
    "aux",
    "al",
    "ees",
    "ee",
    "er",
    "es",
    "e",
    "s",
    "x",
)
MIN_STEM = 4
_STOP = "a au aux avec ce ces d dans de des du en et la le les l leur leurs ou par pour qu que qui"
_STOP += " sa se ses son sur un une vos votre nous vous il elle ils elles est sont"
STOP_WORDS = frozenset(_STOP.split(" "))
WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    # The plural first, so that "ateliers", "dossiers", "quartiers" end as their singular
    # does ("atelier" → "ateli"): cut after the suffixes, they kept their "er".
    if word.endswith("s") and len(word) - 1 >= MIN_STEM:
        word = word[:-1]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    # A plural or feminine left after the first cut ("parentales" → "parentale" above).
    for suffix in ("al", "e", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    return word


def stems(text: str) -> list[str]:
    """The stems of ``text``'s words, in order, without stop words."""
    return [stem(w) for w in WORD.findall(fold(text)) if w not in STOP_WORDS]


def index_text(*texts: str) -> str:
    """What the search column holds: every stem, once, framed by spaces so that a query
    stem is matched at the start of a word (`` parent``)."""
    seen = dict.fromkeys(s for text in texts for s in stems(text or ""))
    return " " + " ".join(seen) + " " if seen else ""
