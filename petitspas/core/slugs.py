from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], name: str, *, default: str, max_length: int = 80) -> str:
    """A slug for ``name`` that no row of ``model`` has yet: two organisations may name a
    programme alike, so the later one is numbered ("cabanes-2")."""
    base = slugify(name)[: max_length - 8] or default
    slug, number = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
