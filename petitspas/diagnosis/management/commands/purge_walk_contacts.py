from django.core.management.base import BaseCommand

from petitspas.diagnosis.services_participation import walk_contacts_purge


class Command(BaseCommand):
    help = (
        "Efface les contacts laissés par les habitants inscrits aux parcours urbains passés "
        "depuis plus de PLACE_REQUEST_RETENTION_DAYS jours (à lancer chaque jour)."
    )

    def handle(self, *args, **options):
        erased = walk_contacts_purge()
        self.stdout.write(f"{erased} contact(s) effacé(s).")
