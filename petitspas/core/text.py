import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, hyphens or apostrophes, for accent-insensitive search
    ("Zoé", "zoe" and "ZOE" fold alike) on every database."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("-", " ").replace("'", " ").replace("’", " ").split())
