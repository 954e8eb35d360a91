import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from petitspas.directory.interop import ImportFileError, find_files, import_records, read_records
from petitspas.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Importe l'annuaire au format data·inclusion : un dossier (structures + services, "
        "JSON ou CSV) ou un seul fichier de services."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Dossier ou fichier services.json / services.csv")
        parser.add_argument(
            "--organisation",
            help="Slug de l'organisation partenaire à qui appartiennent les structures créées.",
        )

    def handle(self, *args, path, organisation=None, **options):
        owner = None
        if organisation:
            owner = Organisation.objects.filter(slug=organisation).first()
            if owner is None:
                raise CommandError(f"Aucune organisation « {organisation} ».")
        try:
            structures_file, services_file = find_files(Path(path))
            structures = read_records(structures_file, "structures") if structures_file else []
            services = read_records(services_file, "services")
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        total = len(structures) + len(services)
        show = total >= 200 and sys.stderr.isatty() or options.get("verbosity", 1) >= 2

        def progress(done, total):
            if show and (done % 50 == 0 or done == total):
                width = 30
                filled = width * done // total
                self.stderr.write(
                    f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
                )
                if done == total:
                    self.stderr.write("")

        report = import_records(
            structures=structures, services=services, organisation=owner, progress=progress
        )
        self.stdout.write(
            f"{report.created} créé(s), {report.updated} mis à jour, {report.unchanged} "
            f"inchangé(s), {len(report.errors)} refusé(s)."
        )
        for error in report.errors:
            self.stdout.write(f"  Refusé — {error}")
        for entry in report.kept_local:
            self.stdout.write(
                f"  Non écrasé — {entry} : modifié ici depuis le dernier import ; comparez "
                "et reportez à la main."
            )
