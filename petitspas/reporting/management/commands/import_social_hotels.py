from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from petitspas.organisations.models import Programme
from petitspas.reporting.hotels import HotelFileError, read_hotels
from petitspas.reporting.services_coverage import hotels_import


class Command(BaseCommand):
    help = (
        "Importe la liste de référence des hôtels sociaux d'un programme depuis un fichier "
        "CSV (nom ; adresse ; code_insee ; enfants ; latitude ; longitude ; lieu). Les "
        "lignes valides sont gardées, les autres signalées par leur numéro ; un nouvel "
        "import du même fichier ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme_id", type=int, help="Identifiant du programme")
        parser.add_argument("path", help="Fichier CSV en UTF-8")

    def handle(self, *args, programme_id, path, **options):
        programme = Programme.objects.filter(pk=programme_id).first()
        if programme is None:
            raise CommandError(f"Aucun programme n° {programme_id}.")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {exc}.") from exc
        try:
            rows, errors = read_hotels(data, programme=programme)
        except HotelFileError as exc:
            raise CommandError(str(exc)) from exc
        report = hotels_import(by=None, programme=programme, rows=rows, errors=errors)
        self.stdout.write(
            f"{report.created} ajouté(s), {report.updated} mis à jour, {report.unchanged} "
            f"inchangé(s), {len(report.errors)} refusé(s)."
        )
        for error in report.errors:
            self.stdout.write(f"  Refusé — {error}")
        if report.errors:
            raise SystemExit(1)
