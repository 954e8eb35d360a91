from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from petitspas.core.db import is_possible_id
from petitspas.organisations.models import Programme
from petitspas.reporting.report import report_content, report_pdf, report_xlsx


class Command(BaseCommand):
    help = (
        "Écrit le rapport annuel d'un programme (PDF, ou XLSX si le fichier finit par "
        ".xlsx) : les chiffres de toutes les familles du programme, comme ses "
        "coordinateurs les lisent ; --financeur masque les effectifs de moins de 5."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme_id", help="identifiant du programme")
        parser.add_argument("year", type=int, help="année, AAAA")
        parser.add_argument("--output", required=True, help="fichier à écrire (.pdf ou .xlsx)")
        parser.add_argument(
            "--financeur",
            action="store_true",
            help="effectifs de moins de 5 affichés « < 5 » (rapport remis à un financeur)",
        )

    def handle(self, *args, programme_id, year, output, financeur, **options):
        pk = int(programme_id) if programme_id.isdigit() else None
        if not is_possible_id(pk):
            raise CommandError(f"« {programme_id} » n'est pas un identifiant de programme.")
        programme = Programme.objects.select_related("organisation").filter(pk=pk).first()
        if programme is None:
            raise CommandError(f"Aucun programme n'a l'identifiant {programme_id}.")
        if not 2000 <= year <= 2100:
            raise CommandError("Choisissez une année entre 2000 et 2100.")
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"Le dossier {path.parent} n'existe pas.")

        def progress(percent, step):
            self.stderr.write(f"{percent:3d} % {step}")

        content = report_content(
            programme, year, today=timezone.localdate(), protected=financeur, progress=progress
        )
        if path.suffix.lower() == ".xlsx":
            data = report_xlsx(content)
        else:
            progress(75, "Mise en page du PDF")
            data = report_pdf(content)
        path.write_bytes(data)
        self.stdout.write(f"Rapport annuel {year} de {programme.name} écrit : {path}")
