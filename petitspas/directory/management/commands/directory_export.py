from pathlib import Path

from django.core.management.base import BaseCommand

from petitspas.directory.interop import write_export


class Command(BaseCommand):
    help = "Exporte l'annuaire au format data·inclusion (structures et services)."

    def add_arguments(self, parser):
        parser.add_argument("out", help="Dossier où écrire structures.* et services.*")
        parser.add_argument("--format", choices=("json", "csv"), default="json")

    def handle(self, *args, out, format, **options):
        structures, services = write_export(Path(out), format)
        self.stdout.write(f"{structures} structure(s) et {services} service(s) écrits dans {out}.")
