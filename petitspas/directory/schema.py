"""The data·inclusion layout (schema v1) in and out: a row as the standard's record, a
record checked by the schema package (``data-inclusion-schema``) plus the rules the
standard leaves to producers (readable opening hours, coordinates in France, a known
commune), with French messages keyed by field.

Every write of a structure or a service (form, import, API) goes through ``check_*``, so
what is stored always validates against the package, and the export is a plain copy."""

import datetime

import pydantic
from data_inclusion.schema import v1
from django.core.exceptions import ValidationError

from petitspas.directory.hours import hours_error
from petitspas.places.communes import get_commune

STRUCTURE_FIELDS = (
    "source",
    "id",
    "nom",
    "date_maj",
    "description",
    "lien_source",
    "siret",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "site_web",
    "horaires_accueil",
    "accessibilite_lieu",
    "reseaux_porteurs",
)
SERVICE_FIELDS = (
    "source",
    "structure_id",
    "id",
    "nom",
    "description",
    "lien_source",
    "date_maj",
    "thematiques",
    "frais",
    "frais_precisions",
    "publics",
    "publics_precisions",
    "conditions_acces",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "modes_accueil",
    "zone_eligibilite",
    "contact_nom_prenom",
    "lien_mobilisation",
    "modes_mobilisation",
    "mobilisable_par",
    "mobilisation_precisions",
    "volume_horaire_hebdomadaire",
    "nombre_semaines",
    "horaires_accueil",
)
LIST_FIELDS = frozenset(
    {
        "reseaux_porteurs",
        "thematiques",
        "publics",
        "modes_accueil",
        "zone_eligibilite",
        "modes_mobilisation",
        "mobilisable_par",
    }
)
NUMBER_FIELDS = frozenset({"longitude", "latitude", "volume_horaire_hebdomadaire"})
INTEGER_FIELDS = frozenset({"nombre_semaines"})
# Mainland France with Corsica, and the overseas départements (lat min, lat max, lon min,
# lon max): a point outside all of them is a typo (swapped latitude and longitude…).
FRANCE_BOXES = (
    (41.3, 51.1, -5.2, 9.6),  # métropole et Corse
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (14.3, 14.9, -61.3, -60.8),  # Martinique
    (2.1, 5.8, -54.6, -51.6),  # Guyane
    (-21.4, -20.8, 55.2, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.3),  # Mayotte
)
LABELS = {
    "id": "identifiant",
    "structure_id": "structure",
    "nom": "nom",
    "date_maj": "date de mise à jour",
    "thematiques": "thématique",
    "publics": "public",
    "frais": "frais",
    "modes_accueil": "mode d'accueil",
    "modes_mobilisation": "mode de mobilisation",
    "mobilisable_par": "mobilisable par",
    "zone_eligibilite": "zone d'éligibilité",
    "code_insee": "code INSEE",
    "code_postal": "code postal",
    "courriel": "courriel",
    "siret": "SIRET",
    "horaires_accueil": "horaires d'accueil",
    "latitude": "latitude",
    "longitude": "longitude",
}


def _french(error: dict) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "champ obligatoire manquant"
    if kind in ("enum", "literal_error"):
        return f"valeur inconnue « {value} »"
    if kind == "string_too_short":
        return f"trop court (au moins {ctx.get('min_length')} caractères)"
    if kind == "string_too_long":
        return f"trop long (au plus {ctx.get('max_length')} caractères)"
    if kind == "too_short":
        return "au moins une valeur attendue"
    if kind.startswith("url"):
        return f"adresse web invalide « {value} »"
    if kind.startswith(("date", "datetime")):
        return f"date invalide « {value} » (AAAA-MM-JJ attendu)"
    if kind.startswith(("float", "int")):
        return f"nombre attendu, pas « {value} »"
    if kind == "value_error":
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        if "email" in message.lower():
            return f"adresse électronique invalide « {value} »"
        return message
    if kind == "string_pattern_mismatch":
        return f"format invalide « {value} »"
    return f"valeur invalide « {value} »"


def _messages(exc: pydantic.ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    seen = set()
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        field = str(loc[0]) if loc else "__all__"
        # A union (zone d'éligibilité) reports every branch: keep one message per value.
        key = (field, loc[1] if len(loc) > 1 else None)
        if key in seen:
            continue
        seen.add(key)
        label = LABELS.get(field, field.replace("_", " "))
        errors.setdefault(field, []).append(f"{label} : {_french(error)}")
    return errors


def _extra_checks(record: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    message = hours_error(record.get("horaires_accueil") or "")
    if message:
        errors["horaires_accueil"] = [message]
    lat, lon = record.get("latitude"), record.get("longitude")
    if (lat is None) != (lon is None):
        errors["latitude"] = ["Donnez la latitude et la longitude, ou aucune des deux."]
    elif lat is not None:
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            pass  # the schema says so
        else:
            if not any(a <= lat <= b and c <= lon <= d for a, b, c, d in FRANCE_BOXES):
                errors["latitude"] = [
                    f"Les coordonnées ({lat}, {lon}) sont hors de France : vérifiez qu'elles "
                    "ne sont pas inversées (latitude d'abord, vers 48,8 à Suresnes)."
                ]
    code = record.get("code_insee")
    if code and get_commune(str(code)) is None:
        errors["code_insee"] = [f"code INSEE : aucune commune n'a le code « {code} »."]
    return errors


def _check(model, record: dict) -> dict:
    errors = _extra_checks(record)
    try:
        model.model_validate(record, context={"ignore_warnings": True})
    except pydantic.ValidationError as exc:
        for field, messages in _messages(exc).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return record


def check_structure(record: dict) -> dict:
    """``record`` (data·inclusion layout) if it validates, else ``ValidationError``."""
    return _check(v1.Structure, record)


def check_service(record: dict) -> dict:
    return _check(v1.Service, record)


def _value(instance, name):
    value = getattr(instance, name)
    if name in LIST_FIELDS:
        return sorted(value) if value else None
    if value == "" or value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def structure_record(structure) -> dict:
    """The structure in the standard's layout (JSON-ready)."""
    record = {}
    for name in STRUCTURE_FIELDS:
        if name == "id":
            record["id"] = structure.source_id
        else:
            record[name] = _value(structure, name)
    return record


def service_record(service) -> dict:
    record = {}
    for name in SERVICE_FIELDS:
        if name == "id":
            record["id"] = service.source_id
        elif name == "structure_id":
            record["structure_id"] = service.structure.source_id
        else:
            record[name] = _value(service, name)
    return record


def apply_record(instance, record: dict, fields: tuple[str, ...]) -> dict:
    """Copy ``record`` onto ``instance``; the changes as ``{field: [before, after]}``."""
    changes = {}
    for name in fields:
        if name in ("id", "source", "structure_id"):
            continue
        value = record.get(name)
        if name in LIST_FIELDS:
            value = sorted(value or [])
        elif name in NUMBER_FIELDS | INTEGER_FIELDS:
            value = None if value in (None, "") else value
        elif name == "date_maj":
            value = datetime.date.fromisoformat(str(value)) if value else instance.date_maj
        else:
            value = "" if value is None else str(value)
        before = getattr(instance, name)
        if before != value:
            changes[name] = [_json(before), _json(value)]
            setattr(instance, name, value)
    return changes


def _json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def comparable(record: dict) -> dict:
    """A record without its date, to tell whether content changed."""
    return {k: v for k, v in record.items() if k != "date_maj"}
